/// The time source of a client's and a transport's timers: deadlines, retry and hedging delays,
/// connection backoff and keepalive.
///
/// Production code uses ``SystemRPCClock`` (the default everywhere). Tests inject a clock they
/// advance by hand, so that a test of a 10-second deadline or a 2-minute backoff runs in
/// milliseconds and checks exact instants instead of wall-clock slack. Instants are
/// `ContinuousClock` instants so that deadlines in ``CallOptions`` mean the same under any clock.
public protocol RPCClock: Sendable {
    /// The current instant.
    var now: ContinuousClock.Instant { get }

    /// Suspends until `deadline`.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

extension RPCClock {
    /// Suspends for `duration` from ``now``.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.advanced(by: duration))
    }
}

/// The real clock: `ContinuousClock`, which keeps counting while the machine sleeps.
public struct SystemRPCClock: RPCClock {
    /// Creates the clock.
    public init() {}

    /// The current instant of `ContinuousClock`.
    public var now: ContinuousClock.Instant { .now }

    /// Sleeps with `Task.sleep` until `deadline`; throws `CancellationError` if the task is cancelled.
    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}

extension RPCClock where Self == SystemRPCClock {
    /// The real clock (``SystemRPCClock``).
    public static var system: SystemRPCClock { SystemRPCClock() }
}
