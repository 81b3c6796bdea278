import Synchronization

/// Holds trailing metadata that arrives after a response object was handed out.
package final class TrailersBox: Sendable {
    private let storage = Mutex(Metadata())

    package init() {}

    package var value: Metadata {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
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
