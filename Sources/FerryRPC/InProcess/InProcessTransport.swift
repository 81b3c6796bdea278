/// A client and server transport connected inside one process, for unit tests and for embedding a
/// service without a network.
///
/// Streams are pairs of in-memory buffers with backpressure; cancellation, deadlines and
/// half-close behave as on a network transport.
public struct InProcessTransport: Sendable {
    /// The server half: give it to an ``RPCServer``.
    public let server: Server
    /// The client half: give it to an ``RPCClient``.
    public let client: Client

    /// Creates a connected pair.
    public init() {
        let server = Server()
        self.server = server
        self.client = Client(server: server)
    }

    struct Accepted: Sendable {
        var stream: RPCServerStream
        var context: ServerStreamContext
    }

    /// The server half of an ``InProcessTransport``.
    public struct Server: ServerTransport {
        let accepted = StreamBuffer<Accepted>(highWatermark: .max)

        public func listen(
            _ handler: @escaping @Sendable (RPCServerStream, ServerStreamContext) async -> Void
        ) async throws(RPCError) {
            await withDiscardingTaskGroup { group in
                while let next = try? await accepted.next() {
                    group.addTask { await handler(next.stream, next.context) }
                }
            }
        }

        public func beginGracefulShutdown() {
            accepted.finish()
        }
    }

    /// The client half of an ``InProcessTransport``.
    public struct Client: ClientTransport {
        let server: Server
        private let shutdown = StreamCancellation()

        init(server: Server) {
            self.server = server
        }

        public func connect() async throws(RPCError) {
            await shutdown.wait()
        }

        public func beginGracefulShutdown() {
            shutdown.cancel()
        }

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
                cancellation: cancellation
            )
            guard server.accepted.push(Accepted(stream: serverStream, context: context)) else {
                throw RPCError(code: .unavailable, message: "The in-process server is not accepting calls.")
            }
            let clientStream = RPCClientStream(
                inbound: RPCAsyncSequence(buffer: responses),
                outbound: ClosableRPCWriter(buffer: requests)
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
