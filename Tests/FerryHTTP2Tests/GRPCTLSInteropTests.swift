import FerryHTTP2
import FerryRPC
import ProcessTestSupport
import RPCTestSupport
import Testing

/// TLS between Ferry and python grpcio (grpc.ssl_channel_credentials / ssl_server_credentials), and the
/// server's ALPN policy seen by python's ssl module; certificates are made by openssl in each test.
@Suite("Interop with grpcio over TLS", .serialized)
struct GRPCTLSInteropTests {
    /// Runs `body` with a Ferry TLS server (the raw interop service) listening on 127.0.0.1.
    func withTLSServer(_ pki: TestCertificates, _ body: @Sendable (Int) async throws -> Void) async throws {
        let transport = HTTP2ServerTransport(
            configuration: .init(
                host: "127.0.0.1",
                port: 0,
                tls: ServerTLSConfiguration(
                    certificateChain: .file(pki.serverCertificate),
                    privateKey: .file(pki.serverKey)
                )
            )
        )
        let server = RPCServer(transport: transport, services: [RawInteropService()])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            try await body(try await transport.listeningPort())
        }
    }

    @Test("grpcio client → Ferry TLS server", arguments: ["unary", "server_streaming", "bidi", "status"])
    func grpcioClient(testCase: String) async throws {
        let pki = try await TestCertificates()
        try await withTLSServer(pki) { port in
            let (status, output) = try await PythonPeer.runClient(
                port: port,
                testCase: testCase,
                arguments: ["--tls-ca", pki.caCertificate]
            )
            #expect(status == 0, "grpcio TLS client case \(testCase) failed:\n\(output)")
        }
    }

    @Test("Ferry TLS client → grpcio TLS server: unary and server streaming")
    func ferryClient() async throws {
        let pki = try await TestCertificates()
        let (peer, port) = try await PythonPeer.startServer(
            arguments: ["--tls-cert", pki.serverCertificate, "--tls-key", pki.serverKey]
        )
        try await peer.stopAfter {
            let tls = ClientTLSConfiguration(trustRoots: .certificates(.file(pki.caCertificate)))
            try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port, tls: tls)) {
                client in
                let options = CallOptions(timeout: .seconds(60))
                let response = try await client.unary(
                    request: ClientRequest(message: Array("secure hello".utf8)),
                    descriptor: Raw.method("Echo"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    options: options
                )
                #expect(response.message == Array("secure hello".utf8))
                #expect(response.trailingMetadata[stringValues: "x-trailer"] == ["t"])
                let words = try await client.serverStreaming(
                    request: ClientRequest(message: Array("one two three".utf8)),
                    descriptor: Raw.method("Expand"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    options: options
                ) { try await $0.messages.collect() }
                #expect(words == ["one", "two", "three"].map { Array($0.utf8) })
            }
        }
    }

    @Test("Ferry TLS client → grpcio TLS server it does not trust: UNAVAILABLE about the certificate")
    func ferryClientUntrusted() async throws {
        let pki = try await TestCertificates()
        let (peer, port) = try await PythonPeer.startServer(
            arguments: ["--tls-cert", pki.serverCertificate, "--tls-key", pki.serverKey]
        )
        try await peer.stopAfter {
            let tls = ClientTLSConfiguration(trustRoots: .certificates(.file(pki.otherCACertificate)))
            try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port, tls: tls)) {
                client in
                let error = await #expect(throws: RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: [1]),
                        descriptor: Raw.method("Echo"),
                        serializer: RawBytesSerializer(),
                        deserializer: RawBytesSerializer(),
                        options: CallOptions(timeout: .seconds(60))
                    )
                }
                #expect(error?.code == .unavailable)
                #expect(error?.message.contains("certificate") == true, "\(String(describing: error))")
            }
        }
    }

    @Test(
        "The Ferry TLS server keeps a client that chose h2 or http/1.1 and closes one that offered another or none",
        arguments: [
            ("h2", "NEGOTIATED h2", "OPEN"), ("http/1.1", "NEGOTIATED http/1.1", "OPEN"),
            ("spdy/3", "NEGOTIATED None", "CLOSED"), ("-", "NEGOTIATED None", "CLOSED"),
        ]
    )
    func alpnPolicy(offered: String, negotiated: String, outcome: String) async throws {
        let pki = try await TestCertificates()
        try await withTLSServer(pki) { port in
            let (status, output) = try await PythonPeer.run(
                ["alpn", "--port", String(port), "--alpn", offered, "--tls-ca", pki.caCertificate]
            )
            #expect(status == 0, "\(output)")
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines.contains(negotiated), "\(output)")
            #expect(lines.contains(outcome), "\(output)")
        }
    }
}
