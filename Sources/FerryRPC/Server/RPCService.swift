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
    @usableFromInline typealias Handler =
        @Sendable (StreamingServerRequest<[UInt8]>, ServerContext, HandlerEnvironment) async throws
        -> StreamingServerResponse<[UInt8]>

    /// What the server gives each of a method's calls: its limits, and the interceptors in scope
    /// with the observers at their head taken apart (``ServerCallObserver``).
    @usableFromInline
    struct HandlerEnvironment: Sendable {
        @usableFromInline var maxResponseMessageBytes: Int
        @usableFromInline var observers: [any ServerCallObserver] = []
        @usableFromInline var interceptors: [any ServerInterceptor]
        /// Whether any observer binds task-locals around the handler (``ServerCallObserver/bindsTaskLocals``).
        @usableFromInline var observersBindTaskLocals = false

        init(maxResponseMessageBytes: Int, interceptors: [any ServerInterceptor]) {
            self.maxResponseMessageBytes = maxResponseMessageBytes
            // Observers before any other interceptor see the call exactly as the outermost
            // interceptors would, so they need not wrap it.
            let head = interceptors.prefix { $0 is any ServerCallObserver }
            observers = head.compactMap { $0 as? any ServerCallObserver }
            self.interceptors = Array(interceptors.dropFirst(head.count))
            observersBindTaskLocals = observers.contains { $0.bindsTaskLocals }
        }
    }

    // Internal rather than private(set): the inlinable registration below writes it.
    @usableFromInline var handlers: [String: Handler] = [:]
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
    ///
    /// Inlinable, as are the other registrations: generated code's module specializes them for its
    /// message types, so a call's decoding, encoding and frames need no generic look-ups at run time.
    @inlinable
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
            // Observers are told of each message and of the end from the decoding and encoding
            // below, which run for every call anyway: observing adds no wrapper of its own.
            let observations = ServerCallObservations(
                environment.observers,
                metadata: rawRequest.metadata,
                context: context
            )
            let messages = rawRequest.messages.mapElements { (bytes: [UInt8]) throws(RPCError) -> Request? in
                let message = try deserializer.deserialize(bytes, codec: codec)
                observations?.messageReceived()
                return message
            }
            let request = StreamingServerRequest(metadata: rawRequest.metadata, messages: messages)
            let response: StreamingServerResponse<Response>
            if let observations {
                do throws(RPCError) {
                    if environment.observersBindTaskLocals {
                        response = try await observations.run {
                            () async throws(RPCError) -> StreamingServerResponse<Response> in
                            do { return try await Self.run(handler, request, context, environment.interceptors) } catch
                            {
                                throw RPCError(converting: error)
                            }
                        }
                    } else {
                        do { response = try await Self.run(handler, request, context, environment.interceptors) } catch
                        {
                            throw RPCError(converting: error)
                        }
                    }
                } catch {
                    observations.callFinished(error)
                    throw error
                }
            } else {
                response = try await Self.run(handler, request, context, environment.interceptors)
            }
            let limit = environment.maxResponseMessageBytes
            var encoded: StreamingServerResponse<[UInt8]>
            if let observations {
                let binds = environment.observersBindTaskLocals
                encoded = StreamingServerResponse(metadata: response.metadata, compression: response.compression) {
                    rawWriter in
                    let trailers: Metadata
                    let writer = Self.encoder(rawWriter, serializer, codec, limit, observations)
                    do throws(RPCError) {
                        if binds {
                            trailers = try await observations.run { () async throws(RPCError) -> Metadata in
                                do { return try await response.producer(writer) } catch {
                                    throw RPCError(converting: error)
                                }
                            }
                        } else {
                            do { trailers = try await response.producer(writer) } catch {
                                throw RPCError(converting: error)
                            }
                        }
                    } catch {
                        observations.callFinished(error)
                        throw error
                    }
                    observations.callFinished(nil)
                    return trailers
                }
                encoded.abandon = { error in
                    await response.abandon?(error)
                    observations.callFinished(error)
                }
            } else {
                encoded = StreamingServerResponse(metadata: response.metadata, compression: response.compression) {
                    rawWriter in
                    try await response.producer(Self.encoder(rawWriter, serializer, codec, limit, nil))
                }
                encoded.abandon = response.abandon
            }
            return encoded
        }
    }

    /// A writer that encodes each response message onto `rawWriter`, within the response size
    /// limit, and tells the observers of each message sent.
    @inlinable
    static func encoder<Response: Sendable>(
        _ rawWriter: RPCWriter<[UInt8]>,
        _ serializer: some MessageSerializer<Response>,
        _ codec: MessageCodec,
        _ maxResponseMessageBytes: Int,
        _ observations: ServerCallObservations?
    ) -> RPCWriter<Response> {
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
            observations?.messageSent()
        })
    }

    /// Runs `handler` behind `interceptors` (none: directly).
    @inlinable
    static func run<Request: Sendable, Response: Sendable>(
        _ handler: (StreamingServerRequest<Request>, ServerContext) async throws -> StreamingServerResponse<Response>,
        _ request: StreamingServerRequest<Request>,
        _ context: ServerContext,
        _ interceptors: [any ServerInterceptor]
    ) async throws -> StreamingServerResponse<Response> {
        if interceptors.isEmpty { return try await handler(request, context) }
        return try await ServerInterceptorChain.run(interceptors[...], request: request, context: context) {
            request,
            context throws(RPCError) in
            // Interceptors see the handler's failure as the status it becomes.
            do { return try await handler(request, context) } catch { throw RPCError(converting: error) }
        }
    }

    /// Registers a unary handler.
    @inlinable
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
    @inlinable
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
    @inlinable
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
    @inlinable
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

    @inlinable
    static func single<Request: Sendable>(
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
