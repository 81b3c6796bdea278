/// What a client interceptor sees of a call and may change before passing it on.
public struct ClientCallContext: Sendable {
    /// The method being called.
    public var descriptor: MethodDescriptor
    /// The request metadata; changes are sent.
    public var metadata: Metadata
    /// The call's options; changes apply to the call.
    public var options: CallOptions

    /// Creates a context.
    public init(descriptor: MethodDescriptor, metadata: Metadata, options: CallOptions) {
        self.descriptor = descriptor
        self.metadata = metadata
        self.options = options
    }
}

/// Code that runs around every call a client makes: to add credentials, log, measure, or turn
/// errors into others.
///
/// `intercept` calls `next` (at most once) to run the rest of the chain and the call itself, all
/// attempts and the response handling included, and returns its result or throws. Interceptors given
/// to ``RPCClient`` run in order: the first is the outermost.
public protocol ClientInterceptor: Sendable {
    /// Runs around one call.
    func intercept<Result: Sendable>(
        context: ClientCallContext,
        next: (ClientCallContext) async throws -> Result
    ) async throws -> Result
}

/// Runs client interceptors around a call.
enum ClientInterceptorChain {
    /// Runs `interceptors` (first outermost) around `call`.
    static func run<Result: Sendable>(
        _ interceptors: ArraySlice<any ClientInterceptor>,
        context: ClientCallContext,
        call: (ClientCallContext) async throws -> Result
    ) async throws -> Result {
        guard let first = interceptors.first else { return try await call(context) }
        return try await first.intercept(context: context) { context in
            try await run(interceptors.dropFirst(), context: context, call: call)
        }
    }
}
