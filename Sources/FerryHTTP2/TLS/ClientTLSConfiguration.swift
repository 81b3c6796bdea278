/// TLS for ``HTTP2ClientTransport``: which certificate authorities to trust, the name the server's
/// certificate must carry and, for mutual TLS, the client's own certificate.
///
/// The client offers only the ALPN protocol `h2`. A failed handshake (untrusted certificate, wrong
/// name, no `h2`) fails the call with `Status.Code.unavailable` and a message saying why.
///
/// ```swift
/// let transport = HTTP2ClientTransport(
///     host: "10.0.0.7", port: 443,
///     tls: ClientTLSConfiguration(trustRoots: .certificates(.file("ca.pem")), serverHostname: "orders.internal")
/// )
/// ```
public struct ClientTLSConfiguration: Sendable, Hashable {
    /// The certificate authorities a server certificate is checked against.
    public enum TrustRoots: Sendable, Hashable {
        /// The operating system's CA bundle.
        case system
        /// Only these CA certificates (e.g. a private CA); the system bundle is not used.
        case certificates(PEMSource)
    }

    /// The certificate authorities a server certificate is checked against.
    public var trustRoots: TrustRoots
    /// The name the server's certificate must be valid for, also sent as SNI; nil uses the
    /// transport's host. A certificate whose IP address entries include the connected address is
    /// accepted whatever this name is (NIOSSL's rule), so an IP-only host needs such an entry.
    public var serverHostname: String?
    /// The certificate chain and key presented when the server asks for one (mutual TLS).
    public var clientIdentity: TLSIdentity?

    /// Creates a client TLS configuration; the defaults trust the system's CAs and check the host name.
    public init(trustRoots: TrustRoots = .system, serverHostname: String? = nil, clientIdentity: TLSIdentity? = nil) {
        self.trustRoots = trustRoots
        self.serverHostname = serverHostname
        self.clientIdentity = clientIdentity
    }
}
