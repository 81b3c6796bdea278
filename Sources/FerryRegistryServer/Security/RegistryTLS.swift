import NIOSSL

/// The PEM files of a registry's HTTPS listener.
public struct RegistryTLSFiles: Sendable, Hashable {
    /// The server's certificate chain, leaf first.
    public var certificateChain: String
    /// The server's private key.
    public var privateKey: String
    /// When set, clients must present a certificate signed by one of these CAs (mutual TLS).
    public var clientCA: String?

    /// Creates the file set.
    public init(certificateChain: String, privateKey: String, clientCA: String? = nil) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.clientCA = clientCA
    }

    /// NIOSSL's server configuration for these files (TLS 1.2 or later).
    ///
    /// - Throws: NIOSSL's error when a file is missing or not PEM.
    func serverConfiguration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateChain).map { NIOSSLCertificateSource.certificate($0) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain,
            privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKey, format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv12
        if let clientCA {
            configuration.trustRoots = .file(clientCA)
            configuration.certificateVerification = .noHostnameVerification
        }
        return configuration
    }
}
