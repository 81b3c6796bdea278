import Synchronization

/// Hedging (gRPC A6): parallel attempts, the first to commit wins.
extension CallExecution {
    private enum HedgeEvent: Sendable {
        case produced
        case outcome(AttemptOutcome)
        case failed(any Error, attempt: Int)
        case timer(generation: Int)
        case timerStopped
    }

    /// Hedges the call (A6): a new attempt every `hedgingDelay` (or at once after a non-fatal
    /// status, or after a server's pushback) until one commits by receiving response headers or a
    /// final status; the others are cancelled.
    func runHedged(_ policy: HedgingPolicy, throttle: RetryThrottle?) async throws -> Result {
        let replay = ReplayBuffer(limit: client.retryBufferLimits.perCallBytes, pool: client.retryBufferPool)
        defer { replay.release() }
        let commit = HedgeCommit()
        let clock = client.clock
        return try await withThrowingTaskGroup(of: HedgeEvent.self) { group in
            group.addTask {
                await produce(into: replay)
                return .produced
            }
            var started = 0
            var running = 0
            var generation = 0
            var timerArmed = false
            var stopped = false
            var lastError: RPCError?

            func launch() {
                started += 1
                running += 1
                let number = started
                group.addTask {
                    do {
                        let outcome = try await commit.run(attempt: number) {
                            try await attempt(
                                number: number,
                                source: .replay(replay),
                                retryable: policy.nonFatalStatusCodes,
                                commit: { commit.commit(number) }
                            )
                        }
                        return .outcome(outcome)
                    } catch {
                        return .failed(error, attempt: number)
                    }
                }
            }
            func arm(after delay: Duration) {
                generation += 1
                timerArmed = true
                let current = generation
                group.addTask {
                    do {
                        try await clock.sleep(for: delay)
                        return .timer(generation: current)
                    } catch {
                        return .timerStopped
                    }
                }
            }
            func mayHedge() -> Bool {
                !stopped && started < policy.maxAttempts && !replay.isCommitted && (throttle?.isRetryPermitted ?? true)
            }
            func hedgeNow() {
                generation += 1
                timerArmed = false
                guard mayHedge() else { return }
                launch()
                if started < policy.maxAttempts { arm(after: policy.hedgingDelay) }
            }

            launch()
            if started < policy.maxAttempts { arm(after: policy.hedgingDelay) }
            while let event = try await group.next() {
                switch event {
                case .produced, .timerStopped:
                    continue
                case .timer(let fired):
                    guard fired == generation else { continue }
                    hedgeNow()
                case .outcome(.finished(let result)):
                    throttle?.recordSuccess()
                    group.cancelAll()
                    return result
                case .outcome(.lost):
                    running -= 1
                    continue
                case .outcome(.refused(let error)):
                    running -= 1
                    lastError = error
                    hedgeNow()
                case .outcome(.retry(let error, let pushback)):
                    running -= 1
                    lastError = error
                    throttle?.recordFailure()
                    switch pushback {
                    case .none:
                        hedgeNow()
                    case .delay(let delay):
                        generation += 1
                        timerArmed = false
                        if mayHedge() { arm(after: delay) }
                    case .stop:
                        stopped = true
                    }
                case .failed(let error, let number):
                    running -= 1
                    // A failure before any attempt committed, or of the committed one, ends the call.
                    if commit.commit(number) {
                        group.cancelAll()
                        throw error
                    }
                    continue
                }
                if running == 0, !(timerArmed && mayHedge()) {
                    group.cancelAll()
                    throw lastError
                        ?? RPCError(code: .internalError, message: "Every hedged attempt ended without a status.")
                }
            }
            throw RPCError(code: .cancelled, message: "The RPC was cancelled.")
        }
    }
}

/// Decides which hedged attempt a call commits to, and cancels the others when it does.
///
/// Each attempt runs in a task of its own so that the losers can be cancelled while the winner,
/// a sibling in the same task group, goes on handing its response to the caller.
final class HedgeCommit: Sendable {
    private struct State {
        var winner: Int?
        var cancellers: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    /// Runs `body` as attempt `number`, cancellable by another attempt's commit.
    func run<Outcome: Sendable>(
        attempt number: Int,
        _ body: @escaping @Sendable () async throws -> Outcome
    ) async throws -> Outcome {
        let task = Task { try await body() }
        let lost = state.withLock { state -> Bool in
            state.cancellers[number] = { task.cancel() }
            return state.winner.map { $0 != number } ?? false
        }
        if lost { task.cancel() }
        defer { state.withLock { _ = $0.cancellers.removeValue(forKey: number) } }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Makes attempt `number` the call's attempt; false when another attempt already is. The
    /// others are cancelled.
    func commit(_ number: Int) -> Bool {
        let losers = state.withLock { state -> [@Sendable () -> Void]? in
            if let winner = state.winner { return winner == number ? [] : nil }
            state.winner = number
            return state.cancellers.filter { $0.key != number }.map(\.value)
        }
        guard let losers else { return false }
        for cancel in losers { cancel() }
        return true
    }
}
