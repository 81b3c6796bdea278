import FerryRPC
import Synchronization

/// Starts one task per accepted stream, straight from the connection's event loop, and keeps
/// ``HTTP2ServerTransport/listen(_:)`` running until it ends and every such task has finished.
///
/// Each task is bound to its stream's ``StreamCancellation``, so a reset, a closed connection or a
/// passed deadline cancels the handler directly: no task waits on the listener's behalf and none
/// watches the stream, which makes a call cost one task.
final class StreamLauncher: Sendable {
    typealias Handler = @Sendable (RPCServerStream, ServerStreamContext) async -> Void

    private struct State {
        var handler: Handler?
        var running = 0
        var ended = false
        var endWaiters: [CheckedContinuation<Void, Never>] = []
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    /// The most handlers running at once (``ServerConnectionLimits/maxConcurrentHandlers``).
    private let maxRunning: Int

    init(maxRunning: Int) {
        self.maxRunning = maxRunning
    }

    /// Takes a slot for a stream about to be accepted; false when ``maxRunning`` handlers already
    /// run or are about to. Every taken slot is given back by ``launch(_:context:)``'s task.
    func reserve() -> Bool {
        state.withLock { state in
            guard state.handler != nil, state.running < maxRunning else { return false }
            state.running += 1
            return true
        }
    }

    /// Sets the handler streams are run with (``HTTP2ServerTransport/listen(_:)`` does, once).
    func start(_ handler: @escaping Handler) {
        state.withLock { $0.handler = handler }
    }

    /// Runs `stream`'s handler, in the slot ``reserve()`` took, in a new task bound to its
    /// cancellation signal, on the executor `placement` picks (its connection's event loop, or
    /// the global concurrent executor).
    func launch(_ stream: RPCServerStream, context: ServerStreamContext, placement: HandlerPlacement) {
        guard let handler = state.withLock({ $0.handler }) else {
            context.cancellation.cancel()
            finished()
            return
        }
        let task = Task(executorPreference: placement.executorForNewHandler()) {
            await handler(stream, context)
            placement.handlerEnded()
            context.cancellation.unbind()
            self.finished()
        }
        context.cancellation.bind(task)
    }

    private func finished() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            defer { state.idleWaiters.removeAll() }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Makes ``waitForEnd()`` return: the listener shuts down or was cancelled.
    func end() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.ended = true
            defer { state.endWaiters.removeAll() }
            return state.endWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until ``end()`` is called.
    func waitForEnd() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.ended { return true }
                state.endWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Suspends until no launched task is running.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.running == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}
