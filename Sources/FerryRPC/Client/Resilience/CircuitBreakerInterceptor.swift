import Synchronization

/// Guards a client's calls with circuit breakers and bulkheads (no gRPC library ships one): when
/// the server keeps failing, calls fail fast with UNAVAILABLE instead of waiting for their
/// deadlines, and the server gets room to recover; see ``CircuitBreakerPolicy``.
///
/// ```swift
/// let breakers = CircuitBreakerInterceptor(
///     policy: CircuitBreakerPolicy(consecutiveFailures: 5, openDuration: .seconds(10), maxConcurrentCalls: 64),
///     policies: ["acme.payments.v1.Payments/Refund": CircuitBreakerPolicy(maxConcurrentCalls: 4)]
/// )
/// let client = RPCClient(transport: transport, interceptors: [breakers])
/// ```
///
/// One breaker guards all of the client's calls (the client talks to one target); a service or
/// method named in `policies` gets a breaker of its own. The interceptor sees each call once, after
/// its retries and hedges, so a call that succeeded on its second attempt counts as a success.
public struct CircuitBreakerInterceptor: ClientInterceptor {
    private let registry: Registry

    /// Creates the interceptor.
    ///
    /// - Parameters:
    ///   - policy: the breaker for every call not named in `policies`.
    ///   - policies: breakers of their own, keyed by service (`package.Service`) or method
    ///     (`package.Service/Method`); a method's entry wins over its service's.
    ///   - clock: the clock open durations and windows run on.
    public init(
        policy: CircuitBreakerPolicy = CircuitBreakerPolicy(),
        policies: [String: CircuitBreakerPolicy] = [:],
        clock: some RPCClock = .system
    ) {
        registry = Registry(policy: policy, policies: policies, clock: clock)
    }

    /// The breaker that guards calls to `method`.
    public func breaker(for method: MethodDescriptor) -> CircuitBreaker { registry.breaker(for: method) }

    /// Admits the call through its breaker, runs it, and reports how it ended.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output> {
        let breaker = registry.breaker(for: context.descriptor)
        let permit = try breaker.admit()
        let response: StreamingClientResponse<Output>
        do {
            response = try await next(request, context)
        } catch {
            breaker.finish(permit, outcome: .failure(RPCError(converting: error)))
            throw error
        }
        // The call ends when its response does (streams included): then the permit goes back.
        return response.onFinish { result in
            breaker.finish(permit, outcome: result.map { _ in () })
        }
    }

    /// The breakers, made on first use.
    private final class Registry: Sendable {
        let policy: CircuitBreakerPolicy
        let policies: [String: CircuitBreakerPolicy]
        let clock: any RPCClock
        let breakers = Mutex<[String: CircuitBreaker]>([:])

        init(policy: CircuitBreakerPolicy, policies: [String: CircuitBreakerPolicy], clock: any RPCClock) {
            self.policy = policy
            self.policies = policies
            self.clock = clock
        }

        func breaker(for method: MethodDescriptor) -> CircuitBreaker {
            let methodKey = "\(method.service)/\(method.method)"
            let (key, policy) =
                if let own = policies[methodKey] { (methodKey, own) } else if let own = policies[method.service] {
                    (method.service, own)
                } else { ("*", self.policy) }
            return breakers.withLock { breakers in
                if let existing = breakers[key] { return existing }
                let breaker = CircuitBreaker(name: key == "*" ? "all calls" : key, policy: policy, clock: clock)
                breakers[key] = breaker
                return breaker
            }
        }
    }
}
