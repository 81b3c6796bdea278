/// Makes RPCs over a ``ClientTransport``: the API generated client stubs call.
///
/// Each of the four call kinds serializes requests, applies the deadline, retries or hedges per the
/// policy and deserializes responses. Failures are thrown as ``RPCError``. Per-method settings come
/// from the transport's service config (``ClientTransport/config(forMethod:)``), overridden by
/// ``CallOptions``. Run the client with ``withRPCClient(transport:interceptors:clock:_:)`` or call
/// ``runConnections()`` in a task of your own.
public struct RPCClient: Sendable {
    let transport: any ClientTransport
    let interceptors: [any ClientInterceptor]
    /// The time source of deadlines and of retry and hedging delays.
    let clock: any RPCClock
    let retryBufferLimits: RetryBufferLimits
    /// The request bytes all retryable calls keep (``RetryBufferLimits/perClientBytes``).
    let retryBufferPool: RetryBufferPool

    /// Creates a client; calls open streams on demand (``runConnections()`` keeps the transport's
    /// connections and lets ``beginGracefulShutdown()`` end them).
    ///
    /// - Parameters:
    ///   - transport: opens a stream per call attempt (``InProcessTransport/Client``, FerryHTTP2's
    ///     `HTTP2ClientTransport`).
    ///   - interceptors: run around every call, the first outermost.
    ///   - retryBufferLimits: how many request bytes are kept for retries, per call and in all.
    ///   - clock: the time source of deadlines and retry and hedging delays (tests inject one).
    public init(
        transport: some ClientTransport,
        interceptors: [any ClientInterceptor] = [],
        retryBufferLimits: RetryBufferLimits = RetryBufferLimits(),
        clock: some RPCClock = .system
    ) {
        self.transport = transport
        self.clock = clock
        self.interceptors = interceptors
        self.retryBufferLimits = retryBufferLimits
        self.retryBufferPool = RetryBufferPool(limit: retryBufferLimits.perClientBytes)
    }

    /// Runs the transport until ``beginGracefulShutdown()``.
    public func runConnections() async throws(RPCError) {
        try await transport.connect()
    }

    /// Lets in-flight calls finish, refuses new ones and makes ``runConnections()`` return.
    public func beginGracefulShutdown() {
        transport.beginGracefulShutdown()
    }

    /// Makes a unary call: one request, one response.
    ///
    /// - Throws: ``RPCError`` for every non-OK status, a deadline, cancellation or a transport failure.
    public func unary<Request: Sendable, Response: Sendable>(
        request: ClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions = .defaults
    ) async throws(RPCError) -> ClientResponse<Response> {
        let message = request.message
        return try await execute(
            request: StreamingClientRequest(metadata: request.metadata) { try await $0.write(message) },
            descriptor: descriptor,
            serializer: serializer,
            deserializer: deserializer,
            options: options,
            kind: .unary,
            onResponse: Self.collectSingle
        )
    }

    /// Makes a client-streaming call: a stream of requests, one response.
    public func clientStreaming<Request: Sendable, Response: Sendable>(
        request: StreamingClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions = .defaults
    ) async throws(RPCError) -> ClientResponse<Response> {
        try await execute(
            request: request,
            descriptor: descriptor,
            serializer: serializer,
            deserializer: deserializer,
            options: options,
            kind: .clientStreaming,
            onResponse: Self.collectSingle
        )
    }

    /// Makes a server-streaming call: one request, a stream of responses handled by `onResponse`.
    ///
    /// The call ends when `onResponse` returns; its result is returned.
    public func serverStreaming<Request: Sendable, Response: Sendable, Result: Sendable>(
        request: ClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions = .defaults,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        let message = request.message
        return try await execute(
            request: StreamingClientRequest(metadata: request.metadata) { try await $0.write(message) },
            descriptor: descriptor,
            serializer: serializer,
            deserializer: deserializer,
            options: options,
            kind: .serverStreaming,
            onResponse: onResponse
        )
    }

    /// Makes a bidirectional-streaming call: requests from the request's producer, responses handled
    /// by `onResponse`, both concurrently.
    public func bidirectionalStreaming<Request: Sendable, Response: Sendable, Result: Sendable>(
        request: StreamingClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions = .defaults,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        try await execute(
            request: request,
            descriptor: descriptor,
            serializer: serializer,
            deserializer: deserializer,
            options: options,
            onResponse: onResponse
        )
    }

    @Sendable
    static func collectSingle<Response: Sendable>(
        _ response: StreamingClientResponse<Response>
    ) async throws -> ClientResponse<Response> {
        var iterator = response.messages.makeAsyncIterator()
        guard let message = try await iterator.next() else {
            throw RPCError(
                code: .unimplemented,
                message: "The server sent no response message for a single-response RPC."
            )
        }
        guard try await iterator.next() == nil else {
            throw RPCError(
                code: .unimplemented,
                message: "The server sent more than one response message for a single-response RPC."
            )
        }
        return ClientResponse(
            message: message,
            metadata: response.metadata,
            trailingMetadata: response.trailingMetadata
        )
    }
}

/// Runs a client for the duration of `body`: the transport runs in a child task, and when `body`
/// returns the client shuts down gracefully and waits for the transport to stop.
public func withRPCClient<Result: Sendable>(
    transport: some ClientTransport,
    interceptors: [any ClientInterceptor] = [],
    clock: some RPCClock = .system,
    _ body: (RPCClient) async throws -> Result
) async throws -> Result {
    let client = RPCClient(transport: transport, interceptors: interceptors, clock: clock)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await client.runConnections() }
        do {
            let result = try await body(client)
            client.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            client.beginGracefulShutdown()
            group.cancelAll()
            throw error
        }
    }
}
