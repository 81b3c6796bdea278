import Synchronization

/// Keeps the serialized request messages of a call with a retry policy, so that each attempt can
/// send them again from the start.
///
/// The producer runs once and appends; each attempt reads from index 0 and waits for more. Once more
/// than `limit` bytes were buffered the call can no longer be retried (``isOverflowed``), as A6's
/// retry buffer limit says, but the current attempt still gets every message.
final class ReplayBuffer: Sendable {
    private struct State {
        var messages: [[UInt8]] = []
        var bytes = 0
        var overflowed = false
        var end: RPCError?? = nil
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var isOverflowed: Bool { state.withLock { $0.overflowed } }

    func append(_ message: [UInt8]) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.messages.append(message)
            state.bytes += message.count
            if state.bytes > limit { state.overflowed = true }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func finish(throwing error: RPCError? = nil) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.end == nil { state.end = .some(error) }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The message at `index`, waiting for the producer; nil when the producer finished before it.
    func message(at index: Int) async throws(RPCError) -> [UInt8]? {
        while true {
            let outcome: Result<[UInt8]?, RPCError>? = state.withLock { state in
                if index < state.messages.count { return .success(state.messages[index]) }
                if let end = state.end { return end.map { .failure($0) } ?? .success(nil) }
                return nil
            }
            if let outcome { return try outcome.get() }
            if Task.isCancelled { throw RPCError(code: .cancelled, message: "The RPC was cancelled.") }
            let id = state.withLock { state in
                state.nextID += 1
                return state.nextID
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        if index < state.messages.count || state.end != nil || Task.isCancelled { return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume()
            }
        }
    }
}
