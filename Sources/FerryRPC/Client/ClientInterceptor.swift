/// What a client interceptor knows of a call besides its request, and may change before passing it on.
public struct ClientCallContext: Sendable {
    /// The method being called.
    public var descriptor: MethodDescriptor
    /// The call's options; changes apply to the call.
    public var options: CallOptions

    /// Creates a context.
    public init(descriptor: MethodDescriptor, options: CallOptions) {
        self.descriptor = descriptor
        self.options = options
    }
}

/// Code that runs around every call a client makes and sees its messages: to add credentials,
/// validate or rewrite messages, log, measure, trace, or turn errors into others.
///
/// `intercept` receives the request (metadata and a producer of the request messages) and calls
/// `next` (at most once) to run the rest of the chain and the call, all attempts included. `next`
/// returns once the server's response headers arrived, with the response messages still to be read;
/// it throws when the call failed before that. An interceptor may
/// - change the request metadata or the ``CallOptions``, or wrap the request
///   (``StreamingClientRequest/mapMessages(_:)``) to see, rewrite or reject each request message;
/// - replace `response.messages` with a mapped sequence (``RPCAsyncSequence/map(_:)``) to see,
///   rewrite or reject each response message, and observe the call's end with
///   ``StreamingClientResponse/onFinish(_:)``;
/// - fail the call by throwing ``RPCError``, before or after calling `next`.
///
/// Interceptors given to ``RPCClient`` run in order (the first is the outermost); use
/// ``ClientInterceptor/scoped(to:)`` to run one only for some services or methods.
public protocol ClientInterceptor: Sendable {
    /// Runs around one call.
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output>
}

/// A client interceptor that runs only for calls in its scope.
public struct ScopedClientInterceptor: ClientInterceptor {
    /// The interceptor that runs for calls in scope.
    public let base: any ClientInterceptor
    /// The calls it runs for.
    public let scope: InterceptorScope

    /// Wraps `base` to run only for calls in `scope`.
    public init(_ base: any ClientInterceptor, scope: InterceptorScope) {
        self.base = base
        self.scope = scope
    }

    /// Runs `base` for a call in scope, and only `next` for any other.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output> {
        guard scope.contains(context.descriptor) else { return try await next(request, context) }
        return try await base.intercept(request: request, context: context, next: next)
    }
}

extension ClientInterceptor {
    /// This interceptor, run only for calls in `scope`.
    public func scoped(to scope: InterceptorScope) -> ScopedClientInterceptor {
        ScopedClientInterceptor(self, scope: scope)
    }
}

/// Runs client interceptors around a call.
enum ClientInterceptorChain {
    /// Runs `interceptors` (first outermost) around `call`.
    static func run<Input: Sendable, Output: Sendable>(
        _ interceptors: ArraySlice<any ClientInterceptor>,
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        call: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output> {
        guard let first = interceptors.first else { return try await call(request, context) }
        return try await first.intercept(request: request, context: context) { request, context throws(RPCError) in
            try await run(interceptors.dropFirst(), request: request, context: context, call: call)
        }
    }
}

extension StreamingClientRequest {
    /// The same request with each message passed through `transform` as the producer writes it;
    /// throwing from `transform` fails the call with that error (as ``RPCError``).
    public func mapMessages(
        _ transform: @escaping @Sendable (Message) async throws -> Message
    ) -> StreamingClientRequest<Message> {
        let producer = self.producer
        return StreamingClientRequest(metadata: metadata) { writer in
            try await producer(
                RPCWriter(withOptions: { message, options throws(RPCError) in
                    let transformed: Message
                    do { transformed = try await transform(message) } catch { throw RPCError(converting: error) }
                    try await writer.write(transformed, options: options)
                })
            )
        }
    }
}
