/// TLS for ``HTTP2ServerTransport``: the certificate the server presents and, for mutual TLS, the
/// certificate authorities whose client certificates it accepts.
///
/// The server offers the ALPN protocols `h2` (gRPC, and Connect and gRPC-Web over HTTP/2) and
/// `http/1.1` (Connect and gRPC-Web from browsers and HTTP/1.1 clients); a client that negotiates
/// neither, or no ALPN at all, is disconnected right after the handshake.
///
/// ```swift
/// let transport = HTTP2ServerTransport(configuration: .init(
///     host: "0.0.0.0", port: 443,
///     tls: ServerTLSConfiguration(certificateChain: .file("server.pem"), privateKey: .file("server.key"))
/// ))
/// ```
public struct ServerTLSConfiguration: Sendable, Hashable {
    /// The certificate chain and private key the server presents.
    public var identity: TLSIdentity
    /// When set, every client must present a certificate issued by one of these CA certificates
    /// (mutual TLS); when nil, clients are not asked for a certificate.
    public var clientCertificateTrustRoots: PEMSource?

    /// Creates a configuration presenting `certificateChain` (leaf first) signed by `privateKey`.
    public init(certificateChain: PEMSource, privateKey: PEMSource, clientCertificateTrustRoots: PEMSource? = nil) {
        self.identity = TLSIdentity(certificateChain: certificateChain, privateKey: privateKey)
        self.clientCertificateTrustRoots = clientCertificateTrustRoots
    }
}
