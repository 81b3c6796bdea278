import RPCTestSupport
import FerryRPC
import Testing

/// Adds a credential to every call and records what happened.
struct AuthInterceptor: ClientInterceptor {
    let name: String
    let probe: Probe

    func intercept<Result: Sendable>(
        context: ClientCallContext,
        next: (ClientCallContext) async throws -> Result
    ) async throws -> Result {
        var context = context
        context.metadata.addString("Bearer \(name)", forKey: "authorization")
        probe.record("\(name) before \(context.descriptor.method)")
        do {
            let result = try await next(context)
            probe.record("\(name) ok")
            return result
        } catch let error as RPCError {
            probe.record("\(name) failed \(error.code)")
            throw error
        }
    }
}

/// Rejects calls without credentials and echoes the first credential to the handler as metadata.
struct RequireAuth: ServerInterceptor {
    let probe: Probe

    func intercept(context: ServerCallContext, next: (ServerCallContext) async throws -> Void) async throws {
        guard let credential = context.metadata.firstString(forKey: "authorization") else {
            probe.record("server rejected")
            throw RPCError(code: .unauthenticated, message: "No credentials.")
        }
        var context = context
        context.metadata.addString(credential, forKey: "echo-credential")
        probe.record("server accepted \(credential)")
        try await next(context)
    }
}

@Suite("Client and server interceptors")
struct InterceptorTests {
    func withPair<Result: Sendable>(
        clientInterceptors: [any ClientInterceptor],
        serverInterceptors: [any ServerInterceptor],
        _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        let transport = InProcessTransport()
        let client = RPCClient(transport: transport.client, interceptors: clientInterceptors)
        let server = RPCServer(transport: transport.server, services: [EchoService(probe: Probe())], interceptors: serverInterceptors)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            return try await body(client)
        }
    }

    @Test("Client interceptors run in order around the call and can add metadata; server interceptors see it")
    func order() async throws {
        let probe = Probe()
        let response = try await withPair(
            clientInterceptors: [AuthInterceptor(name: "outer", probe: probe), AuthInterceptor(name: "inner", probe: probe)],
            serverInterceptors: [RequireAuth(probe: probe)]
        ) { client in
            try await client.unary(
                request: ClientRequest(message: "hi"), descriptor: Echo.get,
                serializer: UTF8Coder(), deserializer: UTF8Coder()
            )
        }
        #expect(response.message == "echo: hi")
        #expect(response.metadata[stringValues: "echo-credential"] == ["Bearer outer"])
        #expect(probe.events == [
            "outer before Get", "inner before Get", "server accepted Bearer outer", "inner ok", "outer ok",
        ])
    }

    @Test("A server interceptor rejects a call with its status and the client interceptor sees the error")
    func rejection() async throws {
        let probe = Probe()
        let error = try await withPair(clientInterceptors: [], serverInterceptors: [RequireAuth(probe: probe)]) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "hi"), descriptor: Echo.get,
                    serializer: UTF8Coder(), deserializer: UTF8Coder()
                )
            }
        }
        #expect(error?.code == .unauthenticated)
        #expect(probe.events == ["server rejected"])
    }
}
