import FerryRPC
import RPCTestSupport

/// Runs a server and a client over one in-process transport for the duration of `body`.
func withInProcessPair<Result: Sendable>(
    services: (RPCClient) -> [any RPCService],
    serviceConfig: ServiceConfig = ServiceConfig(),
    maxMessageBytes: Int = CallOptions.defaultMaxMessageBytes,
    messageLimits: ServerMessageLimits? = nil,
    clock: some RPCClock = .system,
    interceptors: [any ClientInterceptor] = [],
    _ body: @Sendable (RPCClient) async throws -> Result
) async throws -> Result {
    let transport = InProcessTransport(
        serviceConfig: serviceConfig,
        messageLimits: messageLimits
            ?? ServerMessageLimits(maxRequestBytes: maxMessageBytes, maxResponseBytes: maxMessageBytes),
        clock: clock
    )
    let client = RPCClient(transport: transport.client, interceptors: interceptors, clock: clock)
    let server = RPCServer(
        transport: transport.server,
        services: services(client)
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        group.addTask { try await client.runConnections() }
        defer {
            server.beginGracefulShutdown()
            client.beginGracefulShutdown()
        }
        return try await body(client)
    }
}
