/// Code that runs around every call a server handles and sees its messages: to check
/// credentials, validate or rewrite requests, log, measure or trace.
///
/// `intercept` receives the request (metadata and the lazily read request messages) and calls
/// `next` (at most once) to run the rest of the chain and the handler. What `next` returns is the
/// handler's response: headers and a producer that writes the response messages and returns the
/// trailers. An interceptor may
/// - change the request metadata, or wrap `request.messages` (``RPCAsyncSequence/map(_:)``) to see,
///   rewrite or reject each request message (throw ``RPCError``);
/// - wrap the response (``StreamingServerResponse/mapMessages(_:)``,
///   ``StreamingServerResponse/onFinish(_:)``) to see or rewrite each response message, the trailers
///   and the final status;
/// - reject the call by throwing ``RPCError`` without calling `next`.
///
/// The call's status is decided when `next` throws, or when the response's producer returns (OK) or
/// throws. Interceptors given to ``RPCServer`` run in order (the first is the outermost); use
/// ``ServerInterceptor/scoped(to:)`` to run one only for some services or methods. One that only
/// watches calls can also be a ``ServerCallObserver``, which the server runs without wrapping.
public protocol ServerInterceptor: Sendable {
    /// Runs around one call.
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output>
}

/// The calls an interceptor applies to: all, some services, or some methods.
public struct InterceptorScope: Sendable, Hashable {
    private enum Kind: Sendable, Hashable {
        case all
        case services(Set<String>)
        case methods(Set<String>)
    }

    private let kind: Kind

    /// Every call.
    public static var all: InterceptorScope { InterceptorScope(kind: .all) }

    /// Calls to the services with these fully-qualified names (e.g. `acme.payments.v1.Payments`).
    public static func services(_ names: Set<String>) -> InterceptorScope {
        InterceptorScope(kind: .services(names))
    }

    /// Calls to exactly these methods.
    public static func methods(_ methods: [MethodDescriptor]) -> InterceptorScope {
        InterceptorScope(kind: .methods(Set(methods.map(\.path))))
    }

    /// The interceptors of `list` that run for `method`: scope wrappers (`unwrap` gives a wrapper's
    /// scope and base) are removed, and dropped where their scope, or a nested one, excludes it.
    static func applicable<Interceptor>(
        _ list: [Interceptor],
        to method: MethodDescriptor,
        unwrap: (Interceptor) -> (scope: InterceptorScope, base: Interceptor)?
    ) -> [Interceptor] {
        list.compactMap { interceptor in
            var current = interceptor
            while let (scope, base) = unwrap(current) {
                guard scope.contains(method) else { return nil }
                current = base
            }
            return current
        }
    }

    /// Whether a call to `method` is in the scope.
    public func contains(_ method: MethodDescriptor) -> Bool {
        switch kind {
        case .all: true
        case .services(let names): names.contains(method.service)
        case .methods(let paths): paths.contains(method.path)
        }
    }
}

/// A server interceptor that runs only for calls in its scope; ``RPCServer`` resolves scopes once
/// per method when it starts, so an out-of-scope interceptor costs nothing per call.
public struct ScopedServerInterceptor: ServerInterceptor {
    /// The interceptor that runs for calls in scope.
    public let base: any ServerInterceptor
    /// The calls it runs for.
    public let scope: InterceptorScope

    /// Wraps `base` to run only for calls in `scope`.
    public init(_ base: any ServerInterceptor, scope: InterceptorScope) {
        self.base = base
        self.scope = scope
    }

    /// Runs `base` for a call in scope, and only `next` for any other.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        guard scope.contains(context.descriptor) else { return try await next(request, context) }
        return try await base.intercept(request: request, context: context, next: next)
    }
}

extension ServerInterceptor {
    /// This interceptor, run only for calls in `scope`.
    public func scoped(to scope: InterceptorScope) -> ScopedServerInterceptor {
        ScopedServerInterceptor(self, scope: scope)
    }
}

/// Runs server interceptors around a handler.
@usableFromInline
enum ServerInterceptorChain {
    /// The interceptors that apply to `method`, scopes resolved (nested scopes included).
    static func resolve(
        _ interceptors: [any ServerInterceptor],
        for method: MethodDescriptor
    ) -> [any ServerInterceptor] {
        InterceptorScope.applicable(interceptors, to: method) { interceptor in
            (interceptor as? ScopedServerInterceptor).map { ($0.scope, $0.base) }
        }
    }

    /// Runs `interceptors` (first outermost) around `handle`.
    @usableFromInline
    static func run<Input: Sendable, Output: Sendable>(
        _ interceptors: ArraySlice<any ServerInterceptor>,
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        handle: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        guard let first = interceptors.first else { return try await handle(request, context) }
        return try await first.intercept(request: request, context: context) { request, context throws(RPCError) in
            try await run(interceptors.dropFirst(), request: request, context: context, handle: handle)
        }
    }
}

extension StreamingServerResponse {
    /// The same response with each message passed through `transform` as the handler writes it;
    /// throwing ``RPCError`` from `transform` fails the call with that status.
    public func mapMessages(
        _ transform: @escaping @Sendable (Message) async throws -> Message
    ) -> StreamingServerResponse<Message> {
        var response = self
        let producer = self.producer
        response.producer = { writer in
            try await producer(
                RPCWriter(withOptions: { message, options throws(RPCError) in
                    let transformed: Message
                    do { transformed = try await transform(message) } catch { throw RPCError(converting: error) }
                    try await writer.write(transformed, options: options)
                })
            )
        }
        return response
    }

    /// The same response, calling `body` once its producer has finished: with the trailers it
    /// returned (which `body` may change) or the error it threw (which `body` may replace by
    /// throwing another). Where an interceptor sees the status of a call that got as far as a
    /// response; if the server could not even send the response headers, `body` gets that error.
    public func onFinish(
        _ body: @escaping @Sendable (Result<Metadata, RPCError>) async throws -> Metadata
    ) -> StreamingServerResponse<Message> {
        var response = self
        let producer = self.producer
        response.producer = { writer in
            let outcome: Result<Metadata, RPCError>
            do { outcome = .success(try await producer(writer)) } catch {
                outcome = .failure(RPCError(converting: error))
            }
            return try await body(outcome)
        }
        let abandonInner = self.abandon
        response.abandon = { error in
            await abandonInner?(error)
            _ = try? await body(.failure(error))
        }
        return response
    }
}
