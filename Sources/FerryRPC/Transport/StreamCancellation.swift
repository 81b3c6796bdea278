import Synchronization

/// A one-shot signal a transport fires when a stream is cancelled by the peer, its deadline passes
/// or its connection dies, so that the task serving the stream is cancelled.
///
/// A transport runs each stream's handler in a task of its own and ``bind(_:)``s that task: firing
/// the signal then cancels it directly.
public final class StreamCancellation: Sendable {
    private struct State {
        var cancelled = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
        var task: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates an unfired signal.
    public init() {}

    /// Fires the signal; later calls have no effect.
    public func cancel() {
        let (waiters, task) = state.withLock { state -> ([CheckedContinuation<Void, Never>], Task<Void, Never>?) in
            guard !state.cancelled else { return ([], nil) }
            state.cancelled = true
            defer {
                state.waiters.removeAll()
                state.task = nil
            }
            return (Array(state.waiters.values), state.task)
        }
        task?.cancel()
        for waiter in waiters { waiter.resume() }
    }

    /// Makes the signal cancel `task` (at once if it has already fired).
    public func bind(_ task: Task<Void, Never>) {
        let fired = state.withLock { state -> Bool in
            if state.cancelled { return true }
            state.task = task
            return false
        }
        if fired { task.cancel() }
    }

    /// Forgets the bound task once it has finished, so the signal no longer keeps it alive.
    public func unbind() {
        state.withLock { $0.task = nil }
    }

    /// Whether the signal has fired.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Suspends until the signal fires or the waiting task is cancelled.
    public func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.cancelled || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
