import FerryHTTP2
import FerryRPC
import Foundation
import ProcessTestSupport
import RPCTestSupport
import Testing

/// TLS with ALPN h2 between Ferry's own client and server, with certificates made by openssl in the test.
@Suite("TLS with ALPN h2 on 127.0.0.1")
struct TLSTests {
    static func serverTLS(_ pki: TestCertificates, clientRoots: PEMSource? = nil) -> ServerTLSConfiguration {
        ServerTLSConfiguration(
            certificateChain: .file(pki.serverCertificate),
            privateKey: .file(pki.serverKey),
            clientCertificateTrustRoots: clientRoots
        )
    }

    /// One unary call through `client`, with a deadline so that a hang fails the test.
    /// A unary call with a bound far above the ~40 s for which other suites can starve the test
    /// process's threads: a TLS failure must win over the deadline however slowly it is processed.
    static func get(_ client: RPCClient, _ text: String) async throws -> String {
        try await client.unary(
            request: ClientRequest(message: text),
            descriptor: Echo.get,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder(),
            options: CallOptions(timeout: .seconds(120))
        ).message
    }

    @Test("A Ferry client calls a Ferry server over TLS: unary, server streaming and bidirectional")
    func calls() async throws {
        let pki = try await TestCertificates()
        let caBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: pki.caCertificate)))
        try await withLoopbackPair(
            serverTLS: Self.serverTLS(pki),
            clientTLS: ClientTLSConfiguration(trustRoots: .certificates(.bytes(caBytes))),
            services: { _ in [EchoService(probe: Probe())] }
        ) { client, _ in
            let reply = try await Self.get(client, "over tls")
            #expect(reply == "echo: over tls")
            let words = try await client.serverStreaming(
                request: ClientRequest(message: "a b c"),
                descriptor: Echo.expand,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(timeout: .seconds(30))
            ) { try await $0.messages.collect() }
            #expect(words == ["a", "b", "c"])
            let upper = try await client.bidirectionalStreaming(
                request: StreamingClientRequest(messages: ["p", "q"]),
                descriptor: Echo.update,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(timeout: .seconds(30))
            ) { try await $0.messages.collect() }
            #expect(upper == ["P", "Q"])
        }
    }

    @Test("A certificate without the expected host name is rejected; serverHostname names the expected one")
    func hostnames() async throws {
        let pki = try await TestCertificates()
        let roots = ClientTLSConfiguration.TrustRoots.certificates(.file(pki.caCertificate))
        // This certificate names only localhost, so neither the address 127.0.0.1 nor another name matches.
        let serverTLS = ServerTLSConfiguration(
            certificateChain: .file(pki.namedServerCertificate),
            privateKey: .file(pki.namedServerKey)
        )
        try await withLoopbackPair(
            serverTLS: serverTLS,
            clientTLS: ClientTLSConfiguration(trustRoots: roots, serverHostname: "localhost"),
            services: { _ in [EchoService(probe: Probe())] }
        ) { client, _ in
            let reply = try await Self.get(client, "by name")
            #expect(reply == "echo: by name")
        }
        for serverHostname in ["orders.example", nil] {
            try await withLoopbackPair(
                serverTLS: serverTLS,
                clientTLS: ClientTLSConfiguration(trustRoots: roots, serverHostname: serverHostname),
                services: { _ in [EchoService(probe: Probe())] }
            ) { client, _ in
                let error = await #expect(throws: RPCError.self) { try await Self.get(client, "wrong name") }
                #expect(error?.code == .unavailable)
                #expect(
                    error?.message.contains("not valid for the expected host name \"\(serverHostname ?? "127.0.0.1")\"")
                        == true,
                    "\(String(describing: error))"
                )
            }
        }
    }

    @Test("A client that does not trust the server's CA fails with UNAVAILABLE naming the certificate")
    func untrustedCertificate() async throws {
        let pki = try await TestCertificates()
        try await withLoopbackPair(
            serverTLS: Self.serverTLS(pki),
            clientTLS: ClientTLSConfiguration(trustRoots: .certificates(.file(pki.otherCACertificate))),
            services: { _ in [EchoService(probe: Probe())] }
        ) { client, _ in
            let error = await #expect(throws: RPCError.self) { try await Self.get(client, "untrusted") }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("TLS handshake") == true, "\(String(describing: error))")
            #expect(
                error?.message.contains("certificate could not be verified against the trusted certificate authorities")
                    == true
            )
        }
    }

    @Test("Cleartext and TLS peers that meet fail fast with UNAVAILABLE in both directions")
    func mismatchedSecurity() async throws {
        let pki = try await TestCertificates()
        try await withLoopbackPair(serverTLS: Self.serverTLS(pki), services: { _ in [EchoService(probe: Probe())] }) {
            client,
            _ in
            let error = await #expect(throws: RPCError.self) { try await Self.get(client, "cleartext to tls") }
            #expect(error?.code == .unavailable)
        }
        let roots = ClientTLSConfiguration.TrustRoots.certificates(.file(pki.caCertificate))
        try await withLoopbackPair(
            clientTLS: ClientTLSConfiguration(trustRoots: roots),
            services: { _ in [EchoService(probe: Probe())] }
        ) { client, _ in
            let error = await #expect(throws: RPCError.self) { try await Self.get(client, "tls to cleartext") }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("TLS handshake") == true, "\(String(describing: error))")
        }
    }

    @Test("Mutual TLS: the server accepts a client certificate from its CA and rejects a client without one")
    func mutualTLS() async throws {
        let pki = try await TestCertificates()
        let roots = ClientTLSConfiguration.TrustRoots.certificates(.file(pki.caCertificate))
        let identity = TLSIdentity(certificateChain: .file(pki.clientCertificate), privateKey: .file(pki.clientKey))
        try await withLoopbackPair(
            serverTLS: Self.serverTLS(pki, clientRoots: .file(pki.caCertificate)),
            clientTLS: ClientTLSConfiguration(trustRoots: roots, clientIdentity: identity),
            services: { _ in [EchoService(probe: Probe())] }
        ) { client, _ in
            let reply = try await Self.get(client, "mutual")
            #expect(reply == "echo: mutual")
        }
        try await withLoopbackPair(
            serverTLS: Self.serverTLS(pki, clientRoots: .file(pki.caCertificate)),
            clientTLS: ClientTLSConfiguration(trustRoots: roots),
            services: { _ in [EchoService(probe: Probe())] }
        ) { client, _ in
            let error = await #expect(throws: RPCError.self) { try await Self.get(client, "anonymous") }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("requires a client certificate") == true, "\(String(describing: error))")
        }
    }

    @Test("A handler sees the peer's address and, under mutual TLS, the client's certificate")
    func peerIdentity() async throws {
        let pki = try await TestCertificates()
        let clientDER = try await Program.check(
            "/usr/bin/openssl",
            ["x509", "-in", pki.clientCertificate, "-outform", "DER"]
        )
        let roots = ClientTLSConfiguration.TrustRoots.certificates(.file(pki.caCertificate))
        let identity = TLSIdentity(certificateChain: .file(pki.clientCertificate), privateKey: .file(pki.clientKey))
        let seen = try await withLoopbackPair(
            serverTLS: Self.serverTLS(pki, clientRoots: .file(pki.caCertificate)),
            clientTLS: ClientTLSConfiguration(trustRoots: roots, clientIdentity: identity),
            services: { _ in [PeerService()] }
        ) { client, _ in try await Self.whoAmI(client) }
        #expect(seen.certificate == clientDER)
        #expect(seen.peer.hasPrefix("ipv4:127.0.0.1:"), "\(seen.peer)")
        let anonymous = try await withLoopbackPair(
            serverTLS: Self.serverTLS(pki),
            clientTLS: ClientTLSConfiguration(trustRoots: roots),
            services: { _ in [PeerService()] }
        ) { client, _ in try await Self.whoAmI(client) }
        #expect(anonymous.certificate == nil)
        let cleartext = try await withLoopbackPair(services: { _ in [PeerService()] }) { client, _ in
            try await Self.whoAmI(client)
        }
        #expect(cleartext.certificate == nil)
    }

    static func whoAmI(_ client: RPCClient) async throws -> (peer: String, certificate: [UInt8]?) {
        let response = try await client.unary(
            request: ClientRequest(message: ""),
            descriptor: PeerService.whoAmI,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder(),
            options: CallOptions(timeout: .seconds(120))
        )
        let certificate = response.trailingMetadata[binaryValues: "peer-certificate-bin"].first
        return (response.message, certificate)
    }

    @Test("Unreadable PEM material fails listen and calls with a message naming the file")
    func badMaterial() async throws {
        let missing = "/nonexistent/ferry-tls/server.pem"
        let transport = HTTP2ServerTransport(
            configuration: .init(
                host: "127.0.0.1",
                port: 0,
                tls: ServerTLSConfiguration(certificateChain: .file(missing), privateKey: .file(missing))
            )
        )
        let listenError = await #expect(throws: RPCError.self) { try await transport.listen { _, _ in } }
        #expect(listenError?.message.contains(missing) == true, "\(String(describing: listenError))")
        try await withRPCClient(
            transport: HTTP2ClientTransport(
                host: "127.0.0.1",
                port: 1,
                tls: ClientTLSConfiguration(trustRoots: .certificates(.string("not pem")))
            )
        ) { client in
            let error = await #expect(throws: RPCError.self) { try await Self.get(client, "x") }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("trusted CA certificates") == true, "\(String(describing: error))")
        }
    }
}

/// Answers with the caller's address, and its certificate in the trailer `peer-certificate-bin`.
struct PeerService: RPCService {
    static let whoAmI = MethodDescriptor(service: "ferry.test.Peer", method: "WhoAmI")

    func registerMethods(with router: inout RPCRouter) {
        router.registerUnary(Self.whoAmI, deserializer: UTF8Coder(), serializer: UTF8Coder()) { _, context in
            var trailers: Metadata = [:]
            if let certificate = context.peerCertificate {
                trailers.addBinary(certificate, forKey: "peer-certificate-bin")
            }
            return ServerResponse(message: context.peer, trailingMetadata: trailers)
        }
    }
}
