public import FerryRPC
import Synchronization

/// A clock that moves only when a test advances it, for exact tests of deadlines, backoff,
/// hedging delays and keepalive: a test waits until the code under test sleeps, then moves time to
/// the instant it sleeps until.
///
/// It starts at the real `ContinuousClock.now`, so deadlines computed from either clock compare
/// sensibly.
public final class ManualClock: RPCClock {
    private struct Sleeper {
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: ContinuousClock.Instant
        var sleepers: [Int: Sleeper] = [:]
        var cancelledEarly: Set<Int> = []
        var nextID = 0
        /// Set by a wait that gave up: every sleeper, now and later, throws.
        var stopped = false
    }

    private let state: Mutex<State>

    /// Creates a clock reading the real current instant.
    public init(start: ContinuousClock.Instant = .now) {
        state = Mutex(State(now: start))
    }

    public var now: ContinuousClock.Instant { state.withLock { $0.now } }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest instant a sleeper waits for.
    public var nextWakeUp: ContinuousClock.Instant? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case resume, fail, wait }
                let action = state.withLock { state -> Action in
                    if state.cancelledEarly.remove(id) != nil || state.stopped { return .fail }
                    if deadline <= state.now { return .resume }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .wait
                }
                switch action {
                case .resume: continuation.resume()
                case .fail: continuation.resume(throwing: CancellationError())
                case .wait: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let sleeper = state.sleepers.removeValue(forKey: id) else {
                    state.cancelledEarly.insert(id)
                    return nil
                }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Wakes every sleeper with `CancellationError`, and makes later sleeps throw at once.
    ///
    /// A wait that gave up does this: the test has already failed, and code sleeping on a clock that
    /// no one will advance again would otherwise keep the test, and the whole run, from ending.
    public func stop() {
        let sleepers = state.withLock { state -> [Sleeper] in
            state.stopped = true
            defer { state.sleepers.removeAll() }
            return Array(state.sleepers.values)
        }
        for sleeper in sleepers { sleeper.continuation.resume(throwing: CancellationError()) }
    }

    /// Moves time forward by `duration`, waking every sleeper whose instant has come.
    public func advance(by duration: Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// Moves time to `instant` (never backwards), waking every sleeper whose instant has come.
    public func advance(to instant: ContinuousClock.Instant) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, instant)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Moves time to the earliest sleeper's instant and wakes it; returns that instant, or nil when
    /// nothing sleeps.
    @discardableResult
    public func advanceToNextWakeUp() -> ContinuousClock.Instant? {
        guard let next = nextWakeUp else { return nil }
        advance(to: next)
        return next
    }

    /// Waits until at least `count` tasks sleep on this clock, or `stop` holds, for at most
    /// `timeout` (see ``poll(timeout:until:)`` for how a loaded machine is allowed for).
    ///
    /// - Returns: whether `count` tasks sleep; false when `stop` held or the limit passed first
    ///   (the test then fails on its own assertion instead of hanging). When the limit passed, the
    ///   clock is stopped (``stop()``), so that nothing the test awaits next sleeps on it for ever.
    @discardableResult
    public func waitForSleepers(
        _ count: Int = 1,
        timeout: Duration = .seconds(60),
        unless stop: @Sendable () -> Bool = { false }
    ) async -> Bool {
        await Self.poll(timeout: timeout) { sleeperCount >= count || stop() }
        if sleeperCount < count, !stop() { self.stop() }
        return sleeperCount >= count
    }

    /// Looks at `done` every 2 ms until it holds, giving up after `timeout` worth of looks (and
    /// after ten times `timeout` of real time).
    ///
    /// The bound counts looks, not seconds: when the test process's thread pool is starved (every
    /// suite runs at once on two threads, and a CPU-bound test can hold both for a minute), the
    /// looks stop as well as the task being waited for, so a stall does not use up the wait; the
    /// real-time bound only stops a test that would otherwise never end.
    static func poll(timeout: Duration, until done: () -> Bool) async {
        let looks = max(1, Int(timeout / .milliseconds(2)))
        let limit = ContinuousClock.now.advanced(by: timeout * 10)
        for _ in 0..<looks where !done() && ContinuousClock.now < limit {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
    /// Waits until a task sleeps on this clock until an instant before `instant`, or `stop` holds,
    /// for at most `timeout` (as ``waitForSleepers(_:timeout:unless:)`` counts it): other sleepers (a deadline timer on each end of a call)
    /// do not count.
    ///
    /// - Returns: whether such a sleeper exists.
    @discardableResult
    public func waitForSleeper(
        before instant: ContinuousClock.Instant,
        timeout: Duration = .seconds(60),
        unless stop: @Sendable () -> Bool = { false }
    ) async -> Bool {
        func found() -> Bool { state.withLock { $0.sleepers.values.contains { $0.deadline < instant } } }
        await Self.poll(timeout: timeout) { found() || stop() }
        if !found(), !stop() { self.stop() }
        return found()
    }
}

/// The RPCError a call's task ended with; nil when it succeeded (so `#expect(error?.code == ...)`
/// fails) or ended with another error.
public func failure<Success: Sendable>(of task: Task<Success, any Error>) async -> RPCError? {
    switch await task.result {
    case .success: nil
    case .failure(let error): error as? RPCError
    }
}
