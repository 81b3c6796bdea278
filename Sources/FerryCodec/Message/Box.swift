/// Copy-on-write indirect storage for fields that would otherwise make a message contain itself.
///
/// Generated code boxes only the fields that close a cycle between message types (a `manager`
/// field of type `User` inside `User`); every other field is stored inline.
public struct Box<Value: Sendable & Hashable>: Sendable, Hashable {
    @usableFromInline
    final class Storage: @unchecked Sendable {
        // @unchecked: `value` is only mutated through `Box.value`'s accessors after a
        // uniqueness check, so a Storage shared between boxes is never written.
        @usableFromInline var value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }

    @usableFromInline var storage: Storage

    /// Boxes `value` in fresh storage of its own.
    @inlinable
    public init(_ value: Value) { storage = Storage(value) }

    /// The boxed value. Reading shares the storage; writing first copies it if another box
    /// shares it, so boxes keep value semantics.
    @inlinable
    public var value: Value {
        get { storage.value }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.value) }
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

    /// Boxes are equal when their values are; shared storage is a shortcut that skips the comparison.
    @inlinable
    public static func == (lhs: Box, rhs: Box) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.value == rhs.storage.value
    }

    /// Hashes the boxed value only, so equal boxes hash alike whatever their storage.
    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(storage.value) }
}
