import Synchronization

/// How many request bytes a client keeps so that calls can be retried (gRPC A6's retry buffer).
///
/// A call with a retry policy keeps its serialized request messages so that each attempt can send
/// them again. When keeping the next message would take the call past ``perCallBytes``, or the
/// client past ``perClientBytes`` across all its calls, the call is committed to its current
/// attempt: it can no longer be retried, the kept messages are released as the attempt sends them,
/// and the request producer waits for the attempt instead of buffering ahead of it.
public struct RetryBufferLimits: Sendable, Hashable {
    /// A6's `perRpcBufferLimit`. Default 256 KiB.
    public var perCallBytes: Int
    /// A6's `retryBufferSize`, shared by all calls of one ``RPCClient``. Default 16 MiB.
    public var perClientBytes: Int

    /// Creates limits; the defaults are A6's suggestions.
    public init(perCallBytes: Int = 256 << 10, perClientBytes: Int = 16 << 20) {
        self.perCallBytes = perCallBytes
        self.perClientBytes = perClientBytes
    }
}

/// The bytes all retryable calls of one client keep (``RetryBufferLimits/perClientBytes``).
final class RetryBufferPool: Sendable {
    let limit: Int
    private let held = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    var heldBytes: Int { held.load(ordering: .relaxed) }

    func reserve(_ count: Int) -> Bool {
        var current = held.load(ordering: .relaxed)
        while current + count <= limit {
            let (exchanged, original) = held.compareExchange(
                expected: current,
                desired: current + count,
                ordering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release(_ count: Int) {
        if count > 0 { held.subtract(count, ordering: .relaxed) }
    }
}

/// Keeps the serialized request messages of a call with a retry policy, so that each attempt can
/// send them again from the start.
///
/// The producer runs once and appends; each attempt reads from index 0 and waits for more. Once the
/// call goes over its limits it is committed (``isCommitted``): only the current attempt reads on,
/// messages it has read are dropped, and ``append(_:)`` waits while more than the per-call limit
/// waits unread.
final class ReplayBuffer: Sendable {
    /// One request message and how it was written.
    struct Entry: Sendable {
        var bytes: [UInt8]
        var options: WriteOptions
    }

    private struct State {
        /// Messages from index `base` on.
        var messages: [Entry] = []
        var base = 0
        /// Bytes of `messages`; while not committed, also what the pool holds for this call.
        var bytes = 0
        var committed = false
        var end: RPCError?? = nil
        var readers: [Int: CheckedContinuation<Void, Never>] = [:]
        var writers: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private let limit: Int
    private let pool: RetryBufferPool

    init(limit: Int, pool: RetryBufferPool) {
        self.limit = limit
        self.pool = pool
    }

    /// Whether the call went over a retry buffer limit and can no longer be retried.
    var isCommitted: Bool { state.withLock { $0.committed } }

    /// Adds the next request message, waiting (once committed) until the attempt has taken enough.
    func append(_ message: [UInt8], options: WriteOptions = .default) async throws(RPCError) {
        let readers = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if !state.committed {
                if state.bytes + message.count > limit || !pool.reserve(message.count) {
                    state.committed = true
                    pool.release(state.bytes)
                }
            }
            state.messages.append(Entry(bytes: message, options: options))
            state.bytes += message.count
            defer { state.readers.removeAll() }
            return Array(state.readers.values)
        }
        for reader in readers { reader.resume() }
        // Committed: hold at most the per-call limit ahead of the attempt.
        while true {
            if Task.isCancelled { throw RPCError(code: .cancelled, message: "The RPC was cancelled.") }
            let id = state.withLock { state in
                state.nextID += 1
                return state.nextID
            }
            let mustWait = state.withLock { $0.committed && $0.bytes > limit && $0.end == nil }
            guard mustWait else { return }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        if state.bytes <= limit || state.end != nil || Task.isCancelled { return true }
                        state.writers[id] = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { $0.writers.removeValue(forKey: id) }
                waiter?.resume()
            }
        }
    }

    /// Ends the request (with an error when the producer failed).
    func finish(throwing error: RPCError? = nil) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.end == nil { state.end = .some(error) }
            defer {
                state.readers.removeAll()
                state.writers.removeAll()
            }
            return Array(state.readers.values) + Array(state.writers.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The call is over: gives back what the pool holds for it.
    func release() {
        let (held, writers) = state.withLock { state -> (Int, [CheckedContinuation<Void, Never>]) in
            let held = state.committed ? 0 : state.bytes
            state.committed = true
            state.messages.removeAll()
            state.bytes = 0
            if state.end == nil { state.end = .some(RPCError(code: .cancelled, message: "The RPC has ended.")) }
            defer { state.writers.removeAll() }
            return (held, Array(state.writers.values))
        }
        pool.release(held)
        for writer in writers { writer.resume() }
    }

    /// The message at `index`, waiting for the producer; nil when the producer finished before it.
    ///
    /// Once the call is committed, asking for `index` drops the messages before it.
    func message(at index: Int) async throws(RPCError) -> Entry? {
        while true {
            let (outcome, writers) = state.withLock {
                state -> (Result<Entry?, RPCError>?, [CheckedContinuation<Void, Never>]) in
                var writers: [CheckedContinuation<Void, Never>] = []
                if state.committed, index > state.base {
                    let drop = min(index - state.base, state.messages.count)
                    state.bytes -= state.messages[..<drop].reduce(0) { $0 + $1.bytes.count }
                    state.messages.removeFirst(drop)
                    state.base += drop
                    if state.bytes <= limit {
                        writers = Array(state.writers.values)
                        state.writers.removeAll()
                    }
                }
                if index >= state.base, index - state.base < state.messages.count {
                    return (.success(state.messages[index - state.base]), writers)
                }
                if index < state.base {
                    return (
                        .failure(RPCError(code: .internalError, message: "A committed call's request was replayed.")),
                        writers
                    )
                }
                if let end = state.end { return (end.map { .failure($0) } ?? .success(nil), writers) }
                return (nil, writers)
            }
            for writer in writers { writer.resume() }
            if let outcome { return try outcome.get() }
            if Task.isCancelled { throw RPCError(code: .cancelled, message: "The RPC was cancelled.") }
            let id = state.withLock { state in
                state.nextID += 1
                return state.nextID
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        if index - state.base < state.messages.count || state.end != nil || Task.isCancelled {
                            return true
                        }
                        state.readers[id] = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { $0.readers.removeValue(forKey: id) }
                waiter?.resume()
            }
        }
    }
}
