/// Copy-on-write indirect storage: for fields that would otherwise make a message contain itself,
/// and for all the fields of a large message.
///
/// Generated code boxes the fields that close a cycle between message types (a `manager` field
/// of type `User` inside `User`), and keeps the fields of a message with many of them in one box
/// (a struct holding one reference copies with one retain, and its value witnesses stay small).
/// Every other field is stored inline.
public struct Box<Value: Sendable & Hashable>: Sendable, Hashable {
    @usableFromInline
    final class Storage: @unchecked Sendable {
        // @unchecked: `value` is only mutated through `Box.value`'s accessors after a
        // uniqueness check, so a Storage shared between boxes is never written. For the same
        // reason no two accesses to it can overlap, and the dynamic exclusivity check is skipped.
        @usableFromInline @exclusivity(unchecked) var value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }

    @usableFromInline var storage: Storage

    /// Boxes `value` in fresh storage of its own.
    @inlinable
    public init(_ value: Value) { storage = Storage(value) }

    /// The boxed value. Reading shares the storage (and borrows the value, so reading one field
    /// of a large value copies only that field); writing first copies it if another box shares
    /// it, so boxes keep value semantics.
    @inlinable
    public var value: Value {
        _read { yield storage.value }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { copyStorage() }
            yield &storage.value
        }
        set {
            if isKnownUniquelyReferenced(&storage) {
                storage.value = newValue
            } else {
                storage = Storage(newValue)
            }
        }
    }

    /// Gives this box a copy of the shared storage. Out of line: every accessor of a large
    /// message inlines the uniqueness check, and the copy (a copy of every field) would otherwise
    /// be inlined into each of them too.
    @inline(never) @usableFromInline
    mutating func copyStorage() {
        storage = Storage(storage.value)
    }

    /// Boxes are equal when their values are; shared storage is a shortcut that skips the comparison.
    @inlinable
    public static func == (lhs: Box, rhs: Box) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.value == rhs.storage.value
    }

    /// Hashes the boxed value only, so equal boxes hash alike whatever their storage.
    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(storage.value) }
}
