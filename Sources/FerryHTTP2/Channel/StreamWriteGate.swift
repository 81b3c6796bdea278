import FerryRPC
import Synchronization

/// Backpressure for one stream's writer, checked without a hop to the event loop.
///
/// A writer's task reserves the bytes of each message before queueing it; it suspends only while
/// the bytes it queued and the bytes the session still holds for the stream exceed the high
/// watermark. The event loop reports what it handed to the session (``submitted(_:)``) and what
/// the session still holds after each flush (``setQueued(_:)``), and closes the gate when the
/// stream ends, which fails waiting and later writers.
final class StreamWriteGate: Sendable {
    private typealias Waiter = CheckedContinuation<Result<Void, RPCError>, Never>

    private struct State {
        /// Bytes reserved by the writer and not yet handed to the session.
        var unsubmitted = 0
        /// Bytes the session holds for the stream (flow control has not let them out).
        var queued = 0
        var closed: RPCError?
        var waiters: [Int: Waiter] = [:]
        var cancelledWaiters: Set<Int> = []
        var nextWaiterID = 0
    }

    private let state = Mutex(State())
    private let highWatermark: Int

    init(highWatermark: Int) {
        self.highWatermark = highWatermark
    }

    /// Fails with the error the gate was closed with.
    func checkOpen() throws(RPCError) {
        if let error = state.withLock({ $0.closed }) { throw error }
    }

    /// Closes the gate for later writes after this one (the response status was written); fails
    /// when it is already closed.
    func closeAfterStatus() throws(RPCError) {
        let error = state.withLock { state -> RPCError? in
            if let closed = state.closed { return closed }
            state.closed = RPCError(code: .cancelled, message: "The stream is closed.")
            return nil
        }
        if let error { throw error }
    }

    /// Reserves room for `count` bytes, suspending while the stream is above its high watermark.
    ///
    /// - Throws: the error the gate was closed with, or ``Status/Code/cancelled`` when the writing
    ///   task is cancelled while it waits.
    func reserve(_ count: Int) async throws(RPCError) {
        while true {
            let ready: Result<Void, RPCError>? = state.withLock { state in
                if let closed = state.closed { return .failure(closed) }
                guard state.unsubmitted + state.queued <= highWatermark else { return nil }
                state.unsubmitted += count
                return .success(())
            }
            if let ready { return try ready.get() }
            try await waitForRoom()
        }
    }

    private func waitForRoom() async throws(RPCError) {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let result: Result<Void, RPCError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Waiter) in
                let now: Result<Void, RPCError>? = state.withLock { state in
                    if state.cancelledWaiters.remove(id) != nil {
                        return .failure(RPCError(code: .cancelled, message: "The writing task was cancelled."))
                    }
                    if let closed = state.closed { return .failure(closed) }
                    if state.unsubmitted + state.queued <= highWatermark { return .success(()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelledWaiters.insert(id)
                return nil
            }
            waiter?.resume(returning: .failure(RPCError(code: .cancelled, message: "The writing task was cancelled.")))
        }
        state.withLock { _ = $0.cancelledWaiters.remove(id) }
        try result.get()
    }

    /// Event loop: `count` reserved bytes went into the session.
    func submitted(_ count: Int) {
        let waiters = state.withLock { state -> [Waiter] in
            state.unsubmitted -= count
            return takeWaitersIfRoom(&state)
        }
        for waiter in waiters { waiter.resume(returning: .success(())) }
    }

    /// Event loop: the session holds `count` bytes for the stream after a flush.
    func setQueued(_ count: Int) {
        let waiters = state.withLock { state -> [Waiter] in
            state.queued = count
            return takeWaitersIfRoom(&state)
        }
        for waiter in waiters { waiter.resume(returning: .success(())) }
    }

    private func takeWaitersIfRoom(_ state: inout State) -> [Waiter] {
        guard !state.waiters.isEmpty, state.unsubmitted + state.queued <= highWatermark else { return [] }
        defer { state.waiters.removeAll() }
        return Array(state.waiters.values)
    }

    /// The stream ended: waiting and later writers fail with `error`. Later calls have no effect.
    func close(_ error: RPCError) {
        let waiters = state.withLock { state -> [Waiter] in
            if state.closed == nil { state.closed = error }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        let failure = state.withLock { $0.closed } ?? error
        for waiter in waiters { waiter.resume(returning: .failure(failure)) }
    }
}
