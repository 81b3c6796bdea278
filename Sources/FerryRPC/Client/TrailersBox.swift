import Synchronization

/// Holds trailing metadata that arrives after a response object was handed out, and what is to
/// run when the call ends (see ``StreamingClientResponse/onFinish(_:)``).
package final class TrailersBox: Sendable {
    private struct State {
        var trailers = Metadata()
        var endHandlers: [@Sendable () -> Void] = []
        var ended = false
        var handedOver = false
    }

    private let storage = Mutex(State())

    package init() {}

    package var value: Metadata {
        get { storage.withLock { $0.trailers } }
        set { storage.withLock { $0.trailers = newValue } }
    }

    /// Runs `handler` when the call ends (at once if it has ended).
    func onCallEnd(_ handler: @escaping @Sendable () -> Void) {
        let runNow = storage.withLock { state in
            if state.ended { return true }
            state.endHandlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Makes the interceptor executor, not the attempt, end the call: the caller reads the response
    /// outside the attempt's response handler.
    func handOverEnd() {
        storage.withLock { $0.handedOver = true }
    }

    /// Marks the call ended and runs the handlers registered so far; with `unlessHandedOver`, does
    /// nothing if ``handOverEnd()`` was called.
    func endCall(unlessHandedOver: Bool = false) {
        let handlers = storage.withLock { state -> [@Sendable () -> Void] in
            if unlessHandedOver && state.handedOver { return [] }
            state.ended = true
            defer { state.endHandlers = [] }
            return state.endHandlers
        }
        for handler in handlers { handler() }
    }
}

/// Hands an iterator from the task that read the first part to the sequence the user iterates.
///
/// `@unchecked Sendable` is safe because the iterator is used by one task at a time: the executor
/// reads the first response part, then gives up the box to the response's `messages` sequence,
/// which the user iterates once.
package final class IteratorBox<Element: Sendable>: @unchecked Sendable {
    private var iterator: RPCAsyncSequence<Element>.AsyncIterator

    package init(_ iterator: RPCAsyncSequence<Element>.AsyncIterator) {
        self.iterator = iterator
    }

    package func next() async throws(RPCError) -> Element? {
        try await iterator.next()
    }
}
