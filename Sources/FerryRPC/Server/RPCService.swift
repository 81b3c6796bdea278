/// Public: the router records each service's file as a FerryCodec `ProtoFile` type (for reflection).
public import FerryCodec

/// A service a server exposes: generated service protocols refine it and implement
/// ``registerMethods(with:)`` by registering one handler per RPC.
public protocol RPCService: Sendable {
    /// Adds this service's method handlers to the router.
    func registerMethods(with router: inout RPCRouter)
}

/// Maps method paths to handlers.
///
/// Generated code registers each method with the variant for its kind; every variant reduces to the
/// bidirectional ``register(_:deserializer:serializer:handler:)``.
public struct RPCRouter: Sendable {
    typealias Handler =
        @Sendable (StreamingServerRequest<[UInt8]>, ServerContext, HandlerEnvironment) async throws
        -> StreamingServerResponse<[UInt8]>

    /// What the server gives each of a method's calls: its limits and the interceptors in scope.
    struct HandlerEnvironment: Sendable {
        var maxResponseMessageBytes: Int
        var interceptors: [any ServerInterceptor]
    }

    private(set) var handlers: [String: Handler] = [:]
    /// Run by ``RPCServer/beginGracefulShutdown()`` before the transport stops taking calls.
    private(set) var shutdownHandlers: [@Sendable () -> Void] = []
    /// Run by ``RPCServer`` once every service has registered, with the finished router.
    private(set) var completionHandlers: [@Sendable (RPCRouter) -> Void] = []
    /// The generated file defining each registered service, by fully-qualified service name.
    public private(set) var serviceFiles: [String: any ProtoFile.Type] = [:]

    /// Creates an empty router.
    public init() {}

    /// The methods registered, by path.
    public var methods: [MethodDescriptor] {
        handlers.keys.compactMap(MethodDescriptor.init(path:)).sorted { $0.path < $1.path }
    }

    /// Records the generated file that defines `service` (a fully-qualified name); generated
    /// `registerMethods(with:)` calls it so that server reflection can serve the schema.
    public mutating func describe(service: String, file: any ProtoFile.Type) {
        serviceFiles[service] = file
    }

    /// Asks for the finished router once every service of the server has registered, e.g. so
    /// that server reflection lists exactly the services served.
    public mutating func onComplete(_ handler: @escaping @Sendable (RPCRouter) -> Void) {
        completionHandlers.append(handler)
    }

    /// Hands the finished router to the handlers of ``onComplete(_:)`` (``RPCServer`` calls it).
    func complete() {
        for handler in completionHandlers { handler(self) }
    }

    /// The fully-qualified names of the services with at least one method registered.
    public var serviceNames: [String] {
        Set(methods.map(\.service)).sorted()
    }

    /// Asks to be told when the server begins a graceful shutdown, before it stops taking calls:
    /// e.g. a health service reporting NOT_SERVING so load balancers drain the server.
    public mutating func onGracefulShutdown(_ handler: @escaping @Sendable () -> Void) {
        shutdownHandlers.append(handler)
    }

    /// Whether a method has a handler.
    public func hasHandler(for descriptor: MethodDescriptor) -> Bool {
        handlers[descriptor.path] != nil
    }

    /// Registers a bidirectional-streaming handler (the general form); replaces an earlier handler for
    /// the same method.
    public mutating func register<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler:
            @escaping @Sendable (StreamingServerRequest<Request>, ServerContext) async throws
            -> StreamingServerResponse<Response>
    ) {
        handlers[descriptor.path] = { rawRequest, context, environment in
            let codec = context.codec
            let messages = rawRequest.messages.mapElements { (bytes: [UInt8]) throws(RPCError) -> Request? in
                try deserializer.deserialize(bytes, codec: codec)
            }
            let request = StreamingServerRequest(metadata: rawRequest.metadata, messages: messages)
            let response =
                if environment.interceptors.isEmpty {
                    try await handler(request, context)
                } else {
                    try await ServerInterceptorChain.run(
                        environment.interceptors[...],
                        request: request,
                        context: context
                    ) {
                        request,
                        context throws(RPCError) in
                        // Interceptors see the handler's failure as the status it becomes.
                        do { return try await handler(request, context) } catch { throw RPCError(converting: error) }
                    }
                }
            let maxResponseMessageBytes = environment.maxResponseMessageBytes
            return StreamingServerResponse<[UInt8]>(metadata: response.metadata, compression: response.compression) {
                rawWriter in
                try await response.producer(
                    RPCWriter(withOptions: { (message: Response, options: WriteOptions) throws(RPCError) in
                        let bytes = try serializer.serialize(message, codec: codec)
                        if bytes.count > maxResponseMessageBytes {
                            throw RPCError(
                                code: .resourceExhausted,
                                message:
                                    """
                                    Response message of \(bytes.count) bytes exceeds the limit \
                                    of \(maxResponseMessageBytes) bytes.
                                    """
                            )
                        }
                        try await rawWriter.write(bytes, options: options)
                    })
                )
            }
        }
    }

    /// Registers a unary handler.
    public mutating func registerUnary<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler: @escaping @Sendable (ServerRequest<Request>, ServerContext) async throws -> ServerResponse<Response>
    ) {
        register(descriptor, deserializer: deserializer, serializer: serializer) { request, context in
            let single = try await Self.single(request)
            return StreamingServerResponse(single: try await handler(single, context))
        }
    }

    /// Registers a server-streaming handler.
    public mutating func registerServerStreaming<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler:
            @escaping @Sendable (ServerRequest<Request>, ServerContext) async throws -> StreamingServerResponse<
                Response
            >
    ) {
        register(descriptor, deserializer: deserializer, serializer: serializer) { request, context in
            try await handler(try await Self.single(request), context)
        }
    }

    /// Registers a client-streaming handler.
    public mutating func registerClientStreaming<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler:
            @escaping @Sendable (StreamingServerRequest<Request>, ServerContext) async throws -> ServerResponse<
                Response
            >
    ) {
        register(descriptor, deserializer: deserializer, serializer: serializer) { request, context in
            StreamingServerResponse(single: try await handler(request, context))
        }
    }

    /// Registers a bidirectional-streaming handler; the same as ``register(_:deserializer:serializer:handler:)``.
    public mutating func registerBidirectionalStreaming<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        deserializer: some MessageDeserializer<Request>,
        serializer: some MessageSerializer<Response>,
        handler:
            @escaping @Sendable (StreamingServerRequest<Request>, ServerContext) async throws ->
            StreamingServerResponse<Response>
    ) {
        register(descriptor, deserializer: deserializer, serializer: serializer, handler: handler)
    }

    private static func single<Request: Sendable>(
        _ request: StreamingServerRequest<Request>
    ) async throws(RPCError) -> ServerRequest<Request> {
        var iterator = request.messages.makeAsyncIterator()
        guard let message = try await iterator.next() else {
            throw RPCError(
                code: .unimplemented,
                message: "The client sent no request message for a single-request RPC."
            )
        }
        guard try await iterator.next() == nil else {
            throw RPCError(
                code: .unimplemented,
                message: "The client sent more than one request message for a single-request RPC."
            )
        }
        return ServerRequest(message: message, metadata: request.metadata)
    }
}
