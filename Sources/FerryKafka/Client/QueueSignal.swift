internal import CRDKafka
import Synchronization

/// Wakes tasks waiting for a librdkafka queue to receive something, without a thread polling it.
///
/// librdkafka calls ``kafkaQueueSignalCallback`` from its own threads whenever an empty queue gets
/// an element; the callback bumps ``generation`` and resumes the waiters. A waiter reads the
/// generation before it polls the queue and waits only if it has not moved since, so an element
/// that arrives between the poll and the wait is never missed.
final class QueueSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// Counts the times the queue became non-empty.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Whether ``close()`` was called.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// The queue got something (called by librdkafka's thread through the C callback).
    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// No more waiting: every waiter returns now and later ones at once.
    func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the generation is past `seen`, the signal is closed or the task is cancelled.
    func wait(after seen: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waiting = state.withLock { state -> Bool in
                    guard !state.closed, state.generation == seen, !Task.isCancelled else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}

/// The C callback librdkafka calls when a queue with a ``QueueSignal`` becomes non-empty.
let kafkaQueueSignalCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { _, opaque in
    // SAFETY: the opaque is a QueueSignal its owner keeps alive until it has disabled the
    // callback (rd_kafka_queue_cb_event_enable with NULL) and released the queue.
    guard let opaque else { return }
    Unmanaged<QueueSignal>.fromOpaque(opaque).takeUnretainedValue().fire()
}
