import FerryCodec

/// Serves ``RPCService``s over a ``ServerTransport``.
///
/// Each stream is routed by its path to a registered handler (unknown methods are answered with
/// UNIMPLEMENTED). The transport runs the handler in its own task and cancels it when the client
/// cancels the stream or the client's deadline passes (the client then gets DEADLINE_EXCEEDED).
/// Calls made from a handler inherit its deadline through ``RPCDeadline/current``. Message sizes are
/// the transport's ``ServerTransport/messageLimits``: the transport enforces the request limit before
/// buffering a message, the server the response limit before sending one.
public struct RPCServer: Sendable {
    let transport: any ServerTransport
    let router: RPCRouter
    /// Each method's handler with its environment (scoped interceptors resolved once, here).
    let routes: [String: Route]

    struct Route: Sendable {
        /// The method, parsed from its path once here rather than on every call.
        let descriptor: MethodDescriptor?
        let handler: RPCRouter.Handler
        let environment: RPCRouter.HandlerEnvironment
        /// Whether the method is declared without side effects (`idempotency_level =
        /// NO_SIDE_EFFECTS`), so that it may be called with Connect's GET.
        let hasNoSideEffects: Bool
    }

    /// Creates a server for the given services.
    ///
    /// - Parameters:
    ///   - transport: accepts the streams the server handles (``InProcessTransport/Server``,
    ///     FerryHTTP2's `HTTP2ServerTransport`).
    ///   - services: the services whose methods are routed by path; a call to any other path fails
    ///     with UNIMPLEMENTED.
    ///   - interceptors: run around every call (or the calls of their scope,
    ///     ``ServerInterceptor/scoped(to:)``), the first outermost.
    public init(
        transport: some ServerTransport,
        services: [any RPCService],
        interceptors: [any ServerInterceptor] = []
    ) {
        var router = RPCRouter()
        for service in services { service.registerMethods(with: &router) }
        self.init(transport: transport, router: router, interceptors: interceptors)
    }

    /// Creates a server from a router filled by hand.
    public init(
        transport: some ServerTransport,
        router: RPCRouter,
        interceptors: [any ServerInterceptor] = []
    ) {
        let maxResponseMessageBytes = transport.messageLimits.maxResponseBytes
        self.transport = transport
        self.router = router
        router.complete()
        var routes: [String: Route] = [:]
        for (path, handler) in router.handlers {
            let descriptor = MethodDescriptor(path: path)
            let scoped = descriptor.map { ServerInterceptorChain.resolve(interceptors, for: $0) } ?? interceptors
            routes[path] = Route(
                descriptor: descriptor,
                handler: handler,
                environment: RPCRouter.HandlerEnvironment(
                    maxResponseMessageBytes: maxResponseMessageBytes,
                    interceptors: scoped
                ),
                hasNoSideEffects: descriptor.map { Self.hasNoSideEffects($0, files: router.serviceFiles) } ?? false
            )
        }
        self.routes = routes
    }

    /// Whether the method's schema, as its service described it (``RPCRouter/describe(service:file:)``),
    /// declares `idempotency_level = NO_SIDE_EFFECTS`.
    static func hasNoSideEffects(_ method: MethodDescriptor, files: [String: any FerryCodec.ProtoFile.Type]) -> Bool {
        guard let file = files[method.service]?.descriptor else { return false }
        let prefix = file.package.map { $0.isEmpty ? "" : $0 + "." } ?? ""
        guard let service = file.service.first(where: { prefix + ($0.name ?? "") == method.service }),
            let declared = service.method.first(where: { $0.name == method.method })
        else { return false }
        return declared.options?.idempotencyLevel == .noSideEffects
    }

    /// Serves until ``beginGracefulShutdown()`` has let open calls finish, or the task is cancelled.
    ///
    /// - Throws: ``RPCError`` with ``Status/Code/unavailable`` when the transport cannot listen.
    public func serve() async throws(RPCError) {
        try await transport.listen { stream, context in
            await self.handle(stream, context: context)
        }
    }

    /// Stops accepting calls; open calls run to their end and then ``serve()`` returns. Services
    /// that asked with ``RPCRouter/onGracefulShutdown(_:)`` are told first.
    public func beginGracefulShutdown() {
        for handler in router.shutdownHandlers { handler() }
        transport.beginGracefulShutdown()
    }

    /// Runs one stream's handler. The transport cancels the task when the client cancels or the
    /// deadline passes (answering DEADLINE_EXCEEDED itself): each transport owns its streams'
    /// deadlines, so the server needs no watcher of its own.
    func handle(_ stream: RPCServerStream, context: ServerStreamContext) async {
        await process(stream, context: context)
    }

    private func process(_ stream: RPCServerStream, context: ServerStreamContext) async {
        var iterator = stream.inbound.makeAsyncIterator()
        guard case .metadata(let metadata)? = try? await iterator.next() else {
            await stream.outbound.finish()
            return
        }
        guard let route = routes[context.path], let descriptor = route.descriptor else {
            let status = Status(code: .unimplemented, message: "Method not found: \(context.path)")
            try? await stream.outbound.write(.status(status, [:]))
            await stream.outbound.finish()
            return
        }
        // A GET can be sent by any page a browser loads (no preflight): only methods declared
        // without side effects take it.
        guard context.httpMethod == "POST" || route.hasNoSideEffects else {
            let status = Status(
                code: .unimplemented,
                message: "\(context.path) has side effects (no idempotency_level = NO_SIDE_EFFECTS); call it with POST."
            )
            try? await stream.outbound.write(.status(status, [:]))
            await stream.outbound.finish()
            return
        }
        let rest = IteratorBox(iterator)
        let messages = RPCAsyncSequence<[UInt8]>(makeNext: {
            { () async throws(RPCError) -> [UInt8]? in
                switch try await rest.next() {
                case .none: return nil
                case .message(let bytes): return bytes
                case .metadata:
                    throw RPCError(code: .internalError, message: "The client sent request metadata twice.")
                }
            }
        })
        let serverContext = ServerContext(
            descriptor: descriptor,
            deadline: context.deadline,
            peer: context.peer,
            requestCompression: context.requestCompression,
            peerCertificate: context.peerCertificate,
            codec: context.codec
        )
        do {
            try await RPCDeadline.$current.withValue(context.deadline) {
                let request = StreamingServerRequest(metadata: metadata, messages: messages)
                let response = try await route.handler(request, serverContext, route.environment)
                var headers = response.metadata
                if let compression = response.compression, compression != .identity {
                    headers.replaceOrAddString(compression.name, forKey: "grpc-encoding")
                }
                do throws(RPCError) {
                    try await stream.outbound.write(.metadata(headers))
                } catch {
                    await response.abandon?(error)
                    throw error
                }
                let trailers = try await response.producer(
                    RPCWriter(withOptions: { bytes, options throws(RPCError) in
                        try await stream.outbound.write(.message(bytes), options: options)
                    })
                )
                try await stream.outbound.write(.status(.ok, trailers))
            }
        } catch {
            var rpcError = RPCError(converting: error)
            if Task.isCancelled && rpcError.code == .cancelled {
                // Our task is cancelled for one of three reasons: the client cancelled (it gets no
                // status anyway), the deadline passed (DEADLINE_EXCEEDED was already sent), or the
                // server itself is being cancelled, which the client should see as unavailability.
                rpcError = RPCError(code: .unavailable, message: "The server is shutting down.")
            }
            try? await stream.outbound.write(.status(rpcError.status, rpcError.metadata))
        }
        await stream.outbound.finish()
    }
}
