import FerryRPC
import NIOCore
import NIOSSL

/// The one ALPN protocol gRPC runs on.
let grpcALPNProtocol = "h2"
/// The ALPN protocol of HTTP/1.1, which a server also offers for Connect and gRPC-Web.
let http1ALPNProtocol = "http/1.1"

extension PEMSource {
    func loadCertificates(what: String) throws(RPCError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            switch storage {
            case .file(let path): certificates = try NIOSSLCertificate.fromPEMFile(path)
            case .bytes(let bytes): certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
            }
        } catch {
            throw RPCError(
                code: .invalidArgument,
                message: "Cannot read the \(what) from \(self): \(error)",
                cause: error
            )
        }
        if certificates.isEmpty {
            throw RPCError(code: .invalidArgument, message: "The \(what) in \(self) holds no PEM certificate.")
        }
        return certificates
    }

    func loadPrivateKey() throws(RPCError) -> NIOSSLPrivateKey {
        do {
            switch storage {
            case .file(let path): return try NIOSSLPrivateKey(file: path, format: .pem)
            case .bytes(let bytes): return try NIOSSLPrivateKey(bytes: bytes, format: .pem)
            }
        } catch {
            throw RPCError(
                code: .invalidArgument,
                message: "Cannot read the TLS private key from \(self): \(error)",
                cause: error
            )
        }
    }
}

extension TLSIdentity {
    func apply(to configuration: inout TLSConfiguration) throws(RPCError) {
        configuration.certificateChain = try certificateChain.loadCertificates(what: "TLS certificate chain")
            .map { .certificate($0) }
        configuration.privateKey = .privateKey(try privateKey.loadPrivateKey())
    }
}

func makeSSLContext(_ configuration: TLSConfiguration) throws(RPCError) -> NIOSSLContext {
    do {
        return try NIOSSLContext(configuration: configuration)
    } catch {
        throw RPCError(code: .invalidArgument, message: "Cannot set up TLS: \(error)", cause: error)
    }
}

extension ServerTLSConfiguration {
    /// Reads the PEM material and builds the context every accepted connection shares.
    func makeContext() throws(RPCError) -> NIOSSLContext {
        let chain = try identity.certificateChain.loadCertificates(what: "TLS certificate chain")
        let key = try identity.privateKey.loadPrivateKey()
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = [grpcALPNProtocol, http1ALPNProtocol]
        if let roots = clientCertificateTrustRoots {
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try roots.loadCertificates(what: "client CA certificates"))
        }
        return try makeSSLContext(configuration)
    }
}

extension ClientTLSConfiguration {
    /// Reads the PEM material and builds the context the transport's connections share, offering
    /// `alpn` (`h2`, or `http/1.1` for an HTTP/1.1 channel).
    func makeContext(alpn: String = grpcALPNProtocol) throws(RPCError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = [alpn]
        switch trustRoots {
        case .system:
            configuration.trustRoots = .default
        case .certificates(let source):
            configuration.trustRoots = .certificates(try source.loadCertificates(what: "trusted CA certificates"))
        }
        if let clientIdentity { try clientIdentity.apply(to: &configuration) }
        return try makeSSLContext(configuration)
    }

    /// The name sent as SNI and checked against the certificate; nil for an IP address, which
    /// SNI cannot carry (NIOSSL then checks the certificate's IP entries against the peer address).
    func sniHostname(host: String) -> String? {
        let name = serverHostname ?? host
        if (try? SocketAddress(ipAddress: name, port: 0)) != nil { return nil }
        return name
    }
}
