import FerryHTTP2
import FerryRPC
import RPCTestSupport
import Testing

/// The server's limits and shutdown over HTTP/1.1, driven by Ferry's own HTTP/1.1 client.
@Suite("Server limits and shutdown over HTTP/1.1")
struct HTTP1ServerLimitsTests {
    /// Runs a server with `limits` and an HTTP/1.1 Connect client for the duration of `body`.
    static func withServer(
        limits: ServerConnectionLimits,
        services: [any RPCService],
        _ body: @Sendable (RPCClient, RPCServer) async throws -> Void
    ) async throws {
        try await withServerAndClient(
            configuration: .init(host: "127.0.0.1", port: 0, limits: limits),
            services: services,
            channel: ChannelConfiguration(wireProtocol: .connect, httpVersion: .http1_1),
            body
        )
    }

    /// A Hold call of `milliseconds`, or until the service is released when nil.
    static func hold(
        _ client: RPCClient,
        milliseconds: Int?,
        options: CallOptions = CallOptions()
    ) async throws
        -> String
    {
        var options = options
        options.timeout = .seconds(180)
        return try await client.unary(
            request: ClientRequest(message: milliseconds.map(String.init) ?? "until-released"),
            descriptor: HoldService.hold,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder(),
            options: options
        ).message
    }

    @Test("at maxConcurrentHandlers a request on another connection is refused UNAVAILABLE; the running one finishes")
    func handlerLimit() async throws {
        let service = HoldService()
        try await Self.withServer(limits: ServerConnectionLimits(maxConcurrentHandlers: 1), services: [service]) {
            client,
            _ in
            // The first call runs until released, so the second arrives while it runs however slow
            // the machine is.
            let running = Task { try await Self.hold(client, milliseconds: nil) }
            try await service.waitUntilRunning(1)
            let refused = await #expect(throws: RPCError.self) { try await Self.hold(client, milliseconds: 0) }
            service.release()
            #expect(refused?.code == .unavailable, "\(String(describing: refused))")
            #expect(refused?.message == "The server is at its limit of running calls.")
            #expect(try await running.value.hasPrefix("ipv4:127.0.0.1:"))
        }
    }

    @Test("graceful shutdown lets the request in progress finish; the server then takes no more")
    func gracefulShutdown() async throws {
        let service = HoldService()
        try await Self.withServer(limits: ServerConnectionLimits(), services: [service]) { client, server in
            let running = Task { try await Self.hold(client, milliseconds: 1_000) }
            try await service.waitUntilRunning(1)
            server.beginGracefulShutdown()
            #expect(try await running.value.hasPrefix("ipv4:127.0.0.1:"))
            let after = await #expect(throws: RPCError.self) { try await Self.hold(client, milliseconds: 0) }
            #expect(after?.code == .unavailable, "\(String(describing: after))")
        }
    }

    @Test("an idle keep-alive connection closes after connectionSetupTimeout; the client's next call opens another")
    func idleKeepAlive() async throws {
        try await Self.withServer(
            limits: ServerConnectionLimits(connectionSetupTimeout: .seconds(1)),
            services: [HoldService()]
        ) { client, _ in
            // HTTP/1.1's race: a server may close an idle connection as a request goes out on it
            // (on a loaded machine, before the first request's head arrived). The request then
            // fails UNAVAILABLE, and a retry policy, as a user would set, sends it again.
            let retry = CallOptions(
                retryPolicy: RetryPolicy(
                    maxAttempts: 5,
                    initialBackoff: .milliseconds(10),
                    maxBackoff: .milliseconds(100),
                    backoffMultiplier: 2,
                    retryableStatusCodes: [.unavailable]
                )
            )
            let first = try await Self.hold(client, milliseconds: 0, options: retry)
            // Well past the server's idle bound: it closed the connection, and the client saw it go.
            // (Reuse within the bound is HTTP1ClientTests' keep-alive case.)
            try await Task.sleep(for: .seconds(3))
            let later = try await Self.hold(client, milliseconds: 0, options: retry)
            #expect(later != first)
        }
    }
}
