import Synchronization

/// A cap on received bytes held in memory: partial messages being reassembled and whole messages
/// waiting for their reader. One budget per connection, chained to one per server
/// (``ServerConnectionLimits/maxBufferedBytesPerConnection`` and
/// ``ServerConnectionLimits/maxBufferedBytes``); the connection's event loop reserves, any thread
/// releases.
final class ReceiveBudget: Sendable {
    let limit: Int
    private let parent: ReceiveBudget?
    private let held = Atomic<Int>(0)

    init(limit: Int, parent: ReceiveBudget? = nil) {
        self.limit = limit
        self.parent = parent
    }

    /// Bytes currently held.
    var heldBytes: Int { held.load(ordering: .sequentiallyConsistent) }

    /// Takes `count` bytes from this budget and its parent; false (taking nothing) when either
    /// would go over its limit.
    func reserve(_ count: Int) -> Bool {
        guard count > 0 else { return true }
        var current = held.load(ordering: .sequentiallyConsistent)
        while true {
            guard current + count <= limit else { return false }
            let (exchanged, original) = held.compareExchange(
                expected: current,
                desired: current + count,
                ordering: .sequentiallyConsistent
            )
            if exchanged { break }
            current = original
        }
        if let parent, !parent.reserve(count) {
            held.subtract(count, ordering: .sequentiallyConsistent)
            return false
        }
        return true
    }

    /// Gives back bytes taken with ``reserve(_:)``.
    func release(_ count: Int) {
        guard count > 0 else { return }
        held.subtract(count, ordering: .sequentiallyConsistent)
        parent?.release(count)
    }
}

/// One stream's received bytes on their way to its reader: how many wait unread, whether stream
/// credit is withheld until the reader catches up, and the budget they are held against.
///
/// The event loop adds the bytes of each message it hands to the reader (``delivered(_:)``); the
/// reader's thread subtracts what it takes (``taken(_:)``) and releases it from the budget;
/// ``close()`` releases whatever is left when the stream ends, after which late ``taken(_:)`` calls
/// release nothing, so no byte is released twice.
final class InboundAccount: Sendable {
    /// Bytes of messages delivered and not yet taken; ``closed`` once the stream ended.
    private let unread = Atomic<Int>(0)
    /// Set on the event loop when stream credit is withheld; whoever clears it hands the credit out.
    let waitingForReader = Atomic<Bool>(false)
    let budget: ReceiveBudget?

    private static let closed = Int.min

    init(budget: ReceiveBudget?) {
        self.budget = budget
    }

    /// Bytes delivered and not yet taken (0 once closed).
    var unreadBytes: Int { max(0, unread.load(ordering: .sequentiallyConsistent)) }

    /// The event loop handed the reader messages of `count` bytes (already reserved).
    func delivered(_ count: Int) {
        var current = unread.load(ordering: .sequentiallyConsistent)
        while current != Self.closed {
            let (exchanged, original) = unread.compareExchange(
                expected: current,
                desired: current + count,
                ordering: .sequentiallyConsistent
            )
            if exchanged { return }
            current = original
        }
        budget?.release(count)
    }

    /// The reader took a message of `count` bytes; returns the bytes still unread, or nil when the
    /// stream has ended.
    func taken(_ count: Int) -> Int? {
        var current = unread.load(ordering: .sequentiallyConsistent)
        while current != Self.closed {
            let remaining = max(0, current - count)
            let (exchanged, original) = unread.compareExchange(
                expected: current,
                desired: remaining,
                ordering: .sequentiallyConsistent
            )
            if exchanged {
                budget?.release(current - remaining)
                return remaining
            }
            current = original
        }
        return nil
    }

    /// The stream ended: releases the bytes still unread. Later calls do nothing.
    func close() {
        let remaining = unread.exchange(Self.closed, ordering: .sequentiallyConsistent)
        if remaining != Self.closed { budget?.release(remaining) }
    }
}
