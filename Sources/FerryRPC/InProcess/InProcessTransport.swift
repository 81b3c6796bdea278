/// A client and server transport connected inside one process, for unit tests and for embedding a
/// service without a network.
///
/// Streams are pairs of in-memory buffers with backpressure; cancellation, deadlines, half-close
/// and the request size limit behave as on a network transport.
public struct InProcessTransport: Sendable {
    /// The server half: give it to an ``RPCServer``.
    public let server: Server
    /// The client half: give it to an ``RPCClient``.
    public let client: Client

    /// Creates a connected pair.
    ///
    /// - Parameters:
    ///   - serviceConfig: the client half's service config (per-method settings, retry throttling).
    ///   - messageLimits: the server half's message sizes: a larger request fails the call with
    ///     RESOURCE_EXHAUSTED before the server sees it, as over HTTP/2 (default 4 MiB each way).
    ///   - clock: the clock on which the server half ends a call at its deadline; give it the
    ///     client's clock so that a test moving time by hand moves both ends.
    public init(
        serviceConfig: ServiceConfig = ServiceConfig(),
        messageLimits: ServerMessageLimits = ServerMessageLimits(),
        clock: some RPCClock = .system
    ) {
        let server = Server(messageLimits: messageLimits, clock: clock)
        self.server = server
        self.client = Client(
            server: server,
            serviceConfig: serviceConfig,
            maxRequestMessageBytes: messageLimits.maxRequestBytes
        )
    }

    struct Accepted: Sendable {
        var stream: RPCServerStream
        var context: ServerStreamContext
    }

    /// The server half of an ``InProcessTransport``.
    public struct Server: ServerTransport {
        let accepted = StreamBuffer<Accepted>(highWatermark: .max)
        /// The request and response sizes this server half takes and sends.
        public let messageLimits: ServerMessageLimits
        /// The clock that times calls' deadlines.
        let clock: any RPCClock

        init(messageLimits: ServerMessageLimits, clock: any RPCClock) {
            self.messageLimits = messageLimits
            self.clock = clock
        }

        /// Serves each call a client half opens, every handler in its own child task, until
        /// ``beginGracefulShutdown()``; handlers still running are awaited before it returns.
        public func listen(
            _ handler: @escaping @Sendable (RPCServerStream, ServerStreamContext) async -> Void
        ) async throws(RPCError) {
            await withDiscardingTaskGroup { group in
                while let next = try? await accepted.next() {
                    group.addTask { await Self.serve(next, clock: clock, with: handler) }
                }
            }
        }

        /// Runs a stream's handler in a task bound to its cancellation signal and, at the stream's
        /// deadline, answers DEADLINE_EXCEEDED and cancels the handler, as a network transport does.
        static func serve(
            _ accepted: Accepted,
            clock: any RPCClock,
            with handler: @escaping @Sendable (RPCServerStream, ServerStreamContext) async -> Void
        ) async {
            let (stream, context) = (accepted.stream, accepted.context)
            let task = Task { await handler(stream, context) }
            context.cancellation.bind(task)
            await withTaskCancellationHandler {
                guard let deadline = context.deadline else {
                    await task.value
                    return
                }
                await withTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        await task.value
                        return true
                    }
                    group.addTask { (try? await clock.sleep(until: deadline)) == nil }
                    if await group.next() == false {
                        let status = Status(
                            code: .deadlineExceeded,
                            message: "The deadline passed while the server handled the call."
                        )
                        try? await stream.outbound.write(.status(status, [:]))
                        await stream.outbound.finish()
                        context.cancellation.cancel()
                    }
                    group.cancelAll()
                }
            } onCancel: {
                context.cancellation.cancel()
            }
        }

        /// Stops accepting calls: new ones fail with UNAVAILABLE, and ``listen(_:)`` returns once the
        /// calls already accepted are done.
        public func beginGracefulShutdown() {
            accepted.finish()
        }
    }

    /// The client half of an ``InProcessTransport``.
    public struct Client: ClientTransport {
        let server: Server
        let maxRequestMessageBytes: Int
        let serviceConfig: ServiceConfig
        /// The token bucket of the service config's `retryThrottling`, shared by the client's calls.
        public let retryThrottle: RetryThrottle?
        private let shutdown = StreamCancellation()

        init(server: Server, serviceConfig: ServiceConfig, maxRequestMessageBytes: Int) {
            self.server = server
            self.serviceConfig = serviceConfig
            self.retryThrottle = serviceConfig.retryThrottling.map(RetryThrottle.init(policy:))
            self.maxRequestMessageBytes = maxRequestMessageBytes
        }

        /// The service config's settings for `method` (timeout, retry or hedging policy), if any.
        public func config(forMethod method: MethodDescriptor) -> ServiceConfig.MethodConfig? {
            serviceConfig.config(for: method)
        }

        /// Keeps the client half open until ``beginGracefulShutdown()``: there is no connection to
        /// make, so this only waits.
        public func connect() async throws(RPCError) {
            await shutdown.wait()
        }

        /// Refuses new calls with UNAVAILABLE and ends ``connect()``; calls already open go on.
        public func beginGracefulShutdown() {
            shutdown.cancel()
        }

        /// Opens a call on the server half and runs `body` with its stream: requests over the server's
        /// size limit fail with RESOURCE_EXHAUSTED, and the stream is cancelled if `body` leaves early.
        public func withStream<Result: Sendable>(
            descriptor: MethodDescriptor,
            options: ClientStreamOptions,
            _ body: @Sendable (RPCClientStream) async throws -> Result
        ) async throws -> Result {
            guard !shutdown.isCancelled else {
                throw RPCError(code: .unavailable, message: "The in-process transport is shutting down.")
            }
            let requests = StreamBuffer<RPCRequestPart>()
            let responses = StreamBuffer<RPCResponsePart>()
            let cancellation = StreamCancellation()
            let serverStream = RPCServerStream(
                inbound: RPCAsyncSequence(buffer: requests),
                outbound: ClosableRPCWriter(
                    write: { part throws(RPCError) in
                        try await responses.write(part)
                        if case .status = part { responses.finish() }
                    },
                    finish: { responses.finish() }
                )
            )
            let context = ServerStreamContext(
                path: descriptor.path,
                deadline: options.deadline,
                peer: "in-process",
                cancellation: cancellation,
                // Nothing is compressed in process, but the handler sees the encoding the client
                // chose, as it would over HTTP/2.
                requestCompression: options.compression == .identity ? nil : options.compression
            )
            guard server.accepted.push(Accepted(stream: serverStream, context: context)) else {
                throw RPCError(code: .unavailable, message: "The in-process server is not accepting calls.")
            }
            let limit = maxRequestMessageBytes
            let clientStream = RPCClientStream(
                inbound: RPCAsyncSequence(buffer: responses),
                outbound: ClosableRPCWriter(
                    write: { part throws(RPCError) in
                        if case .message(let bytes) = part, bytes.count > limit {
                            // What a network server answers to a message over its limit.
                            let status = Status(
                                code: .resourceExhausted,
                                message: "Request message of \(bytes.count) bytes exceeds the limit of \(limit) bytes."
                            )
                            responses.push(.status(status, [:]))
                            responses.finish()
                            cancellation.cancel()
                            requests.cancel(RPCError(code: .cancelled, message: "The request was refused."))
                            return
                        }
                        try await requests.write(part)
                    },
                    finish: { requests.finish() }
                )
            )
            @Sendable func cancelStream() {
                let error = RPCError(code: .cancelled, message: "The stream was cancelled.")
                cancellation.cancel()
                requests.cancel(error)
                responses.cancel(error)
            }
            do {
                let result = try await withTaskCancellationHandler {
                    try await body(clientStream)
                } onCancel: {
                    cancelStream()
                }
                if !responses.isFinished || responses.bufferedCount > 0 { cancelStream() }
                return result
            } catch {
                cancelStream()
                throw error
            }
        }
    }
}
