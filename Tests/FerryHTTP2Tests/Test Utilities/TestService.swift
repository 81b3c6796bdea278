import FerryHTTP2
import FerryRPC
import RPCTestSupport

/// Runs an HTTP/2 server on 127.0.0.1 (free port) and a client connected to it for the duration of `body`;
/// cleartext unless TLS configurations are given; `channel` configures the client (its protocol and
/// HTTP version).
func withLoopbackPair<Result: Sendable>(
    serverTLS: ServerTLSConfiguration? = nil,
    clientTLS: ClientTLSConfiguration? = nil,
    services: (RPCClient) -> [any RPCService],
    serviceConfig: ServiceConfig = ServiceConfig(),
    maxMessageBytes: Int = CallOptions.defaultMaxMessageBytes,
    channel: ChannelConfiguration = ChannelConfiguration(),
    _ body: @Sendable (RPCClient, Int) async throws -> Result
) async throws -> Result {
    let serverTransport = HTTP2ServerTransport(
        configuration: .init(
            host: "127.0.0.1",
            port: 0,
            tls: serverTLS,
            messageLimits: ServerMessageLimits(maxRequestBytes: maxMessageBytes, maxResponseBytes: maxMessageBytes)
        )
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        let placeholder = RPCClient(transport: InProcessTransport().client)
        let server = RPCServer(
            transport: serverTransport,
            services: services(placeholder)
        )
        group.addTask { try await server.serve() }
        let port = try await serverTransport.listeningPort()
        let client = RPCClient(
            transport: HTTP2ClientTransport(
                host: "127.0.0.1",
                port: port,
                tls: clientTLS,
                serviceConfig: serviceConfig,
                channel: channel
            )
        )
        group.addTask { try await client.runConnections() }
        defer {
            client.beginGracefulShutdown()
            server.beginGracefulShutdown()
        }
        return try await body(client, port)
    }
}
