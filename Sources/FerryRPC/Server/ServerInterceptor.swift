/// What a server interceptor sees of a call and may change before passing it on.
public struct ServerCallContext: Sendable {
    /// The method being called.
    public var descriptor: MethodDescriptor
    /// The request metadata; changes are what the handler sees.
    public var metadata: Metadata
    /// The client's deadline, if it sent one.
    public var deadline: ContinuousClock.Instant?
    /// The remote peer.
    public var peer: String

    /// Creates a context.
    public init(descriptor: MethodDescriptor, metadata: Metadata, deadline: ContinuousClock.Instant?, peer: String) {
        self.descriptor = descriptor
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
    }
}

/// Code that runs around every call a server handles: to check credentials, log or measure.
///
/// `intercept` calls `next` (at most once) to run the rest of the chain and the handler, whose
/// response is fully sent when `next` returns. Throwing ``RPCError`` without calling `next` rejects
/// the call with that status. Interceptors given to ``RPCServer`` run in order: the first is the
/// outermost.
public protocol ServerInterceptor: Sendable {
    /// Runs around one call.
    func intercept(context: ServerCallContext, next: (ServerCallContext) async throws -> Void) async throws
}

/// Runs server interceptors around a handler.
enum ServerInterceptorChain {
    /// Runs `interceptors` (first outermost) around `handle`.
    static func run(
        _ interceptors: ArraySlice<any ServerInterceptor>,
        context: ServerCallContext,
        handle: (ServerCallContext) async throws -> Void
    ) async throws {
        guard let first = interceptors.first else { return try await handle(context) }
        try await first.intercept(context: context) { context in
            try await run(interceptors.dropFirst(), context: context, handle: handle)
        }
    }
}
