/// The ``RPCError/cause`` a transport gives when the server refused a stream without processing it
/// (HTTP/2 REFUSED_STREAM, or a stream above the last one a GOAWAY promised to process).
///
/// Such an attempt never reached the server's application, so the client retries it transparently
/// (independently of any retry policy) when it can send the request again.
public struct StreamRefusedError: Error, Sendable, CustomStringConvertible {
    /// Creates the marker.
    public init() {}

    /// Says that the server refused the stream before processing it.
    public var description: String { "the server refused the stream before processing it" }
}
