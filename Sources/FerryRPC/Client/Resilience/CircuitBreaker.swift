import Synchronization

/// One circuit breaker and bulkhead: admits or rejects calls to what it guards and learns from
/// their outcomes (see ``CircuitBreakerPolicy``). ``CircuitBreakerInterceptor`` keeps one per
/// client, service or method; use it directly to guard anything else that can fail.
public final class CircuitBreaker: Sendable {
    /// What the breaker guards, in its errors and events.
    public let name: String
    /// Its policy.
    public let policy: CircuitBreakerPolicy
    private let clock: any RPCClock
    private let machine: Mutex<CircuitBreakerMachine>
    private let observers = Mutex<[Int: AsyncStream<CircuitBreakerEvent>.Continuation]>([:])
    private let nextObserver = Atomic(0)

    /// How many state changes an observer that falls behind keeps (the newest ones).
    public static let observerBufferSize = 64

    /// A call the breaker admitted; hand it back to ``finish(_:outcome:)`` exactly once.
    public struct Permit: Sendable {
        let probe: Bool
    }

    /// Creates a closed breaker.
    public init(name: String, policy: CircuitBreakerPolicy = CircuitBreakerPolicy(), clock: some RPCClock = .system) {
        self.name = name
        self.policy = policy
        self.clock = clock
        machine = Mutex(CircuitBreakerMachine(name: name, policy: policy, now: clock.now))
    }

    /// The breaker's state now (an open breaker whose time is up reads open until a call arrives).
    public var state: CircuitState { machine.withLock { $0.state } }

    /// Calls admitted and not yet finished.
    public var callsInFlight: Int { machine.withLock { $0.inFlight } }

    /// Admits a call or fails it at once.
    ///
    /// - Throws: UNAVAILABLE while the breaker is open (or half-open with its probes running);
    ///   RESOURCE_EXHAUSTED when ``CircuitBreakerPolicy/maxConcurrentCalls`` calls are running.
    public func admit() throws(RPCError) -> Permit {
        let now = clock.now
        let (admission, event) = machine.withLock { $0.admit(at: now) }
        if let event { publish(event) }
        switch admission {
        case .admitted(let probe): return Permit(probe: probe)
        case .rejected(let error): throw error
        }
    }

    /// Reports how an admitted call ended: a status in ``CircuitBreakerPolicy/failureCodes`` is a
    /// failure, any other a success, CANCELLED (the caller gave up) neither.
    public func finish(_ permit: Permit, outcome: Result<Void, RPCError>) {
        let failed: Bool? =
            switch outcome {
            case .success: false
            case .failure(let error) where error.code == .cancelled: nil
            case .failure(let error): policy.failureCodes.contains(error.code)
            }
        let now = clock.now
        if let event = machine.withLock({ $0.finish(probe: permit.probe, failed: failed, at: now) }) { publish(event) }
    }

    /// Every state change from now on, until the observer stops reading.
    public func stateChanges() -> AsyncStream<CircuitBreakerEvent> {
        let (stream, continuation) = AsyncStream<CircuitBreakerEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.observerBufferSize)
        )
        let id = nextObserver.add(1, ordering: .relaxed).newValue
        observers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.observers.withLock { _ = $0.removeValue(forKey: id) } }
        return stream
    }

    private func publish(_ event: CircuitBreakerEvent) {
        for observer in observers.withLock({ Array($0.values) }) { observer.yield(event) }
    }
}
