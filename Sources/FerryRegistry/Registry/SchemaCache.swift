import Synchronization

/// What the registry keeps in memory by schema id (``SchemaCache/Key``): the stored schema and its
/// linked descriptors.
///
/// A schema id never changes meaning in its context (an import cannot overwrite one, and deleting versions keeps the
/// schema), so entries never go stale, across processes too. The cache is bounded: at
/// ``capacity`` entries the oldest one makes way, so a client walking every id cannot grow the
/// registry's memory.
final class SchemaCache<Value: Sendable>: Sendable {
    /// A schema id in its context.
    struct Key: Hashable, Sendable {
        var context: String
        var id: Int
    }

    /// Entries kept before the oldest is dropped.
    let capacity: Int
    private let state: Mutex<State>

    private struct State {
        var values: [Key: Value] = [:]
        /// Ids in insertion order; `head` is the oldest still counted.
        var order: [Key] = []
        var head = 0
    }

    init(capacity: Int) {
        precondition(capacity > 0, "a cache needs room for one entry")
        self.capacity = capacity
        self.state = Mutex(State())
    }

    /// How many entries the cache holds now (at most ``capacity``).
    var count: Int { state.withLock { $0.values.count } }

    subscript(id: Key) -> Value? {
        state.withLock { $0.values[id] }
    }

    func insert(_ value: Value, for id: Key) {
        state.withLock { state in
            if state.values.updateValue(value, forKey: id) != nil { return }
            state.order.append(id)
            if state.values.count > capacity {
                state.values[state.order[state.head]] = nil
                state.head += 1
                // Compact once the dropped prefix is as long as what is kept.
                if state.head >= capacity {
                    state.order.removeFirst(state.head)
                    state.head = 0
                }
            }
        }
    }
}
