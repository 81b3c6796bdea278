import FerryHTTP2
import FerryRPC
import RPCTestSupport
import Testing

/// ``ServerConnectionLimits/maxConnections`` over real sockets on 127.0.0.1.
@Suite("HTTP/2 server connection limit")
struct ConnectionLimitTests {
    @Test("A connection beyond maxConnections is closed at once; one opened after another closes is served")
    func maxConnections() async throws {
        var limits = ServerConnectionLimits()
        limits.maxConnections = 2
        let transport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0, limits: limits))
        let server = RPCServer(transport: transport, services: [EchoService(probe: Probe())])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let port = try await transport.listeningPort()
            @Sendable func call(_ client: RPCClient) async throws -> String {
                try await client.unary(
                    request: ClientRequest(message: "hi"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .seconds(30))
                ).message
            }
            let first = HTTP2ClientTransport(host: "127.0.0.1", port: port)
            let second = HTTP2ClientTransport(host: "127.0.0.1", port: port)
            let refusal: RPCError? = try await withRPCClient(transport: first) { one in
                try await withRPCClient(transport: second) { two in
                    let answers = (try await call(one), try await call(two))
                    #expect(answers == ("echo: hi", "echo: hi"))
                    do {
                        _ = try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) {
                            try await call($0)
                        }
                        return nil
                    } catch {
                        return error as? RPCError
                    }
                }
            }
            #expect(refusal?.code == .unavailable, "\(String(describing: refusal))")
            // Both connections are gone: a new one is admitted (the closes may take a moment to register).
            var answer: String?
            for _ in 0..<50 where answer == nil {
                answer = try? await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) {
                    try await call($0)
                }
                if answer == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(answer == "echo: hi")
        }
    }
}
