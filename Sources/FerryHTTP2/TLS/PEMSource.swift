/// PEM-encoded TLS material (certificates or a private key), read from a file or given as bytes.
///
/// Files are read when the transport starts (the server's ``HTTP2ServerTransport/listen(_:)``) or
/// when the client transport is created, so a rotated file is picked up by the next transport.
public struct PEMSource: Sendable, Hashable, CustomStringConvertible {
    enum Storage: Sendable, Hashable {
        case file(String)
        case bytes([UInt8])
    }

    let storage: Storage

    /// The PEM file at `path` (one or more `-----BEGIN ...-----` blocks).
    public static func file(_ path: String) -> PEMSource {
        PEMSource(storage: .file(path))
    }

    /// PEM text held in memory.
    public static func bytes(_ bytes: [UInt8]) -> PEMSource {
        PEMSource(storage: .bytes(bytes))
    }

    /// PEM text held in memory, e.g. read from a secret store.
    public static func string(_ pem: String) -> PEMSource {
        PEMSource(storage: .bytes(Array(pem.utf8)))
    }

    /// Names the source in error messages without printing key material.
    public var description: String {
        switch storage {
        case .file(let path): "the file \(path)"
        case .bytes(let bytes): "\(bytes.count) bytes of PEM in memory"
        }
    }
}

/// A certificate chain (leaf first) with the private key of its leaf: what a TLS endpoint presents.
public struct TLSIdentity: Sendable, Hashable {
    /// The leaf certificate followed by the intermediates that lead to a trusted root.
    public var certificateChain: PEMSource
    /// The private key matching the leaf certificate (unencrypted PEM).
    public var privateKey: PEMSource

    /// Creates an identity from a certificate chain and its key.
    public init(certificateChain: PEMSource, privateKey: PEMSource) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}
