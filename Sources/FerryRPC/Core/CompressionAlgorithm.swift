/// A gRPC message encoding: how a message's bytes are compressed on the wire (`grpc-encoding`).
///
/// Compression is chosen per call (``CallOptions/compression`` on a client,
/// ``ServerResponse/compression`` in a handler) and can be turned off for single messages with
/// ``WriteOptions/uncompressed``. The transport negotiates it with the peer: it compresses only with
/// an encoding the peer listed in `grpc-accept-encoding`, and refuses requests in encodings it has
/// not enabled with UNIMPLEMENTED, as gRPC's compression spec requires.
public struct CompressionAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// The encoding's name as it appears in `grpc-encoding`.
    public let name: String

    private init(uncheckedName name: String) {
        self.name = name
    }

    /// The encoding called `name` if Ferry implements it (`identity`, `deflate`, `gzip`), else nil.
    public init?(name: String) {
        guard let known = Self.all.first(where: { $0.name == name }) else { return nil }
        self = known
    }

    /// No compression.
    public static let identity = CompressionAlgorithm(uncheckedName: "identity")
    /// zlib-wrapped DEFLATE (RFC 1950/1951).
    public static let deflate = CompressionAlgorithm(uncheckedName: "deflate")
    /// gzip (RFC 1952).
    public static let gzip = CompressionAlgorithm(uncheckedName: "gzip")

    /// Every encoding Ferry implements.
    public static let all: [CompressionAlgorithm] = [.identity, .deflate, .gzip]

    /// The `grpc-encoding` name, e.g. `gzip`.
    public var description: String { name }
}

/// How one message is written into a stream.
public struct WriteOptions: Sendable, Hashable {
    /// Whether the message may be compressed with the call's encoding (true by default).
    ///
    /// Turn it off for a message that mixes secrets with data an attacker controls (the CRIME and
    /// BREACH attacks read secrets from compressed sizes) or whose bytes are already compressed.
    public var compress: Bool

    /// Creates options.
    public init(compress: Bool = true) {
        self.compress = compress
    }

    /// Compressed when the call has an encoding.
    public static let `default` = WriteOptions()
    /// Sent uncompressed whatever the call's encoding.
    public static let uncompressed = WriteOptions(compress: false)
}
