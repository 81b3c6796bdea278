/// A circuit breaker's state and counts, as a value fed with calls, outcomes and the time, so that
/// tests drive it with any clock; ``CircuitBreaker`` keeps one under a lock.
struct CircuitBreakerMachine {
    /// What ``admit(at:)`` decided.
    enum Admission {
        /// The call may run; `probe` when it probes a half-open breaker.
        case admitted(probe: Bool)
        /// The call fails at once with this error.
        case rejected(RPCError)
    }

    let name: String
    let policy: CircuitBreakerPolicy
    private(set) var state = CircuitState.closed
    private(set) var inFlight = 0
    private var consecutive = 0
    private var openedAt: ContinuousClock.Instant?
    private var openReason = ""
    private var probesRunning = 0
    private var probesSucceeded = 0
    /// The window: ten slices of `policy.window / 10`, each with the slice number it counts.
    private var slices = [Slice](repeating: Slice(), count: Self.sliceCount)
    private let origin: ContinuousClock.Instant

    private struct Slice {
        var number = Int.min
        var calls = 0
        var failures = 0
    }

    static let sliceCount = 10

    init(name: String, policy: CircuitBreakerPolicy, now: ContinuousClock.Instant) {
        self.name = name
        self.policy = policy
        origin = now
    }

    /// Decides whether a call starting `now` may run; an open breaker whose open duration has
    /// passed turns half-open here.
    mutating func admit(at now: ContinuousClock.Instant) -> (Admission, CircuitBreakerEvent?) {
        var event: CircuitBreakerEvent?
        if state == .open, let openedAt, now >= openedAt.advanced(by: policy.openDuration) {
            event = transition(to: .halfOpen, reason: "open for \(policy.openDuration)")
        }
        if let limit = policy.maxConcurrentCalls, inFlight >= limit {
            return (
                .rejected(
                    RPCError(
                        code: .resourceExhausted,
                        message: "\(label) has \(inFlight) calls in flight, its limit (bulkhead)."
                    )
                ), event
            )
        }
        switch state {
        case .closed:
            inFlight += 1
            return (.admitted(probe: false), event)
        case .open:
            let remaining = openedAt.map { $0.advanced(by: policy.openDuration) - now } ?? .zero
            let milliseconds = Int((remaining / .milliseconds(1)).rounded(.up))
            return (
                .rejected(
                    RPCError(
                        code: .unavailable,
                        message: "\(label) is open (\(openReason)); calls fail fast for \(milliseconds) ms more."
                    )
                ), event
            )
        case .halfOpen:
            guard probesRunning + probesSucceeded < policy.halfOpenProbes else {
                return (
                    .rejected(
                        RPCError(
                            code: .unavailable,
                            message: "\(label) is half-open and its probes are running; calls fail fast until they end."
                        )
                    ), event
                )
            }
            probesRunning += 1
            inFlight += 1
            return (.admitted(probe: true), event)
        }
    }

    /// Counts a finished call: `failed` nil when it says nothing of the server (the caller cancelled).
    mutating func finish(probe: Bool, failed: Bool?, at now: ContinuousClock.Instant) -> CircuitBreakerEvent? {
        inFlight -= 1
        if probe {
            probesRunning -= 1
            guard state == .halfOpen, let failed else { return nil }
            if failed { return open(at: now, reason: "a probe failed") }
            probesSucceeded += 1
            return probesSucceeded >= policy.halfOpenProbes
                ? transition(to: .closed, reason: "\(probesSucceeded) probes succeeded") : nil
        }
        // Calls admitted before the breaker opened say nothing about it now.
        guard state == .closed, let failed else { return nil }
        let number = sliceNumber(at: now)
        let index = ((number % Self.sliceCount) + Self.sliceCount) % Self.sliceCount
        if slices[index].number != number { slices[index] = Slice(number: number) }
        slices[index].calls += 1
        consecutive = failed ? consecutive + 1 : 0
        guard failed else { return nil }
        slices[index].failures += 1
        if let limit = policy.consecutiveFailures, consecutive >= limit {
            return open(at: now, reason: "\(consecutive) failures in a row")
        }
        let recent = slices.filter { $0.number > number - Self.sliceCount }
        let calls = recent.reduce(0) { $0 + $1.calls }
        let failures = recent.reduce(0) { $0 + $1.failures }
        if calls >= policy.minimumCalls, Double(failures) >= policy.failureRatio * Double(calls) {
            return open(at: now, reason: "\(failures) of the last \(calls) calls failed")
        }
        return nil
    }

    private var label: String { "The circuit breaker for \(name)" }

    private func sliceNumber(at now: ContinuousClock.Instant) -> Int {
        let width = policy.window / Self.sliceCount
        guard width > .zero else { return 0 }
        return Int((now - origin) / width)
    }

    private mutating func open(at now: ContinuousClock.Instant, reason: String) -> CircuitBreakerEvent {
        openedAt = now
        openReason = reason
        return transition(to: .open, reason: reason)
    }

    private mutating func transition(to next: CircuitState, reason: String) -> CircuitBreakerEvent {
        let event = CircuitBreakerEvent(breaker: name, from: state, to: next, reason: reason)
        state = next
        probesSucceeded = 0
        if next == .closed {
            consecutive = 0
            slices = [Slice](repeating: Slice(), count: Self.sliceCount)
        }
        return event
    }
}
