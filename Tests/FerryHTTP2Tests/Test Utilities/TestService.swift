import FerryHTTP2
import FerryRPC
import RPCTestSupport
import Testing

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

/// Runs a server with `configuration` (on 127.0.0.1, port 0 picks a free one) and a client with
/// `channel` for the duration of `body`, which gets both (the server to shut it down mid-test).
func withServerAndClient(
    configuration: HTTP2ServerTransport.Configuration = .init(host: "127.0.0.1", port: 0),
    services: [any RPCService],
    channel: ChannelConfiguration = ChannelConfiguration(),
    _ body: @Sendable (RPCClient, RPCServer) async throws -> Void
) async throws {
    let transport = HTTP2ServerTransport(configuration: configuration)
    let server = RPCServer(transport: transport, services: services)
    let serving = Task { try await server.serve() }
    let port = try await transport.listeningPort()
    let client = RPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port, channel: channel))
    let connections = Task { try await client.runConnections() }
    defer {
        client.beginGracefulShutdown()
        server.beginGracefulShutdown()
        connections.cancel()
        serving.cancel()
    }
    try await body(client, server)
}

/// Calls every kind of `EchoService` method through `client` and checks the answers: messages,
/// headers, trailers (text and binary), and an error with its code, message and metadata.
func expectEchoCallKinds(_ client: RPCClient, _ label: String) async throws {
    let options = CallOptions(timeout: .seconds(120))
    let reply = try await client.unary(
        request: ClientRequest(message: "hi", metadata: ["echo-a": "b"]),
        descriptor: Echo.get,
        serializer: UTF8Coder(),
        deserializer: UTF8Coder(),
        options: options
    )
    #expect(reply.message == "echo: hi", "\(label)")
    #expect(reply.metadata[stringValues: "echo-a"] == ["b"], "\(label)")
    #expect(reply.trailingMetadata[stringValues: "trailer-key"] == ["trailer-value"], "\(label)")
    #expect(reply.trailingMetadata[binaryValues: "trailer-bin"] == [[0, 1, 2, 255]], "\(label)")
    let words = try await client.serverStreaming(
        request: ClientRequest(message: "a b c"),
        descriptor: Echo.expand,
        serializer: UTF8Coder(),
        deserializer: UTF8Coder(),
        options: options
    ) { try await $0.messages.collect() }
    #expect(words == ["a", "b", "c"], "\(label)")
    let joined = try await client.clientStreaming(
        request: StreamingClientRequest(messages: ["x", "y"]),
        descriptor: Echo.collect,
        serializer: UTF8Coder(),
        deserializer: UTF8Coder(),
        options: options
    )
    #expect(joined.message == "x y", "\(label)")
    let upper = try await client.bidirectionalStreaming(
        request: StreamingClientRequest(messages: ["p", "q"]),
        descriptor: Echo.update,
        serializer: UTF8Coder(),
        deserializer: UTF8Coder(),
        options: options
    ) { try await $0.messages.collect() }
    #expect(upper == ["P", "Q"], "\(label)")
    let failure = await #expect(throws: RPCError.self) {
        try await client.unary(
            request: ClientRequest(message: "5"),
            descriptor: Echo.fail,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder(),
            options: options
        )
    }
    #expect(failure?.code == .notFound, "\(label)")
    #expect(failure?.message.hasSuffix("✓ 100%") == true, "\(label): \(String(describing: failure))")
    #expect(failure?.metadata[stringValues: "why"] == ["asked"], "\(label)")
}
