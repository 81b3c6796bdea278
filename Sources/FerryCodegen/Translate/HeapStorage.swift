import FerryCodec

/// The shape of a message whose fields live in one copy-on-write class instance instead of
/// inline in the struct.
///
/// Why: the compiler emits copy, assign and destroy functions (value witnesses) for every
/// struct, touching each non-trivial field, and inlines them into every struct that holds the
/// message. For messages with many fields that was the largest part of the generated object
/// code. A struct holding one class reference shares the runtime's witnesses for a single
/// reference, and copying it is one retain. Small messages stay inline: for them the witnesses
/// are small, and decoding them allocates nothing extra.
///
/// The class keeps each field as a stored property marked `@exclusivity(unchecked)`: it is only
/// mutated through ``_uniqueStorage()``, which copies it first unless the struct holds the only
/// reference, so no access can overlap another.
struct HeapStorage {
    let access: String

    /// Messages with at least this many stored properties (fields outside oneofs, plus one per
    /// oneof) are class-backed.
    static let minimumStoredProperties = 12

    static func isUsed(for fields: [FieldModel]) -> Bool {
        var oneofs: Set<Int> = []
        var count = 0
        for field in fields {
            if let oneof = field.oneofIndex { if oneofs.insert(oneof).inserted { count += 1 } } else { count += 1 }
        }
        return count >= minimumStoredProperties
    }

    /// One stored property of the storage class: name, Swift type and initial value (if any).
    struct Stored {
        var name: String
        var type: String
        var initial: String?
    }

    /// The struct's computed property forwarding to the storage class.
    func forwardingProperty(_ name: String, type: String) -> SwiftNode {
        .line(
            """
            \(access)var \(name): \(type) { get { _storage.\(name) } set \
            { _uniqueStorage().\(name) = newValue } _modify { yield &_uniqueStorage().\(name) } }
            """
        )
    }

    /// The storage class, the property holding it, copy-on-write access, `==` and `hash(into:)`
    /// (field by field, as for inline messages, so equality never depends on a message's size).
    func members(_ stored: [Stored]) -> [SwiftNode] {
        var properties: [SwiftNode] = []
        var copies: [SwiftNode] = []
        var hashes: [SwiftNode] = []
        for property in stored {
            let initial = property.initial.map { " = \($0)" } ?? ""
            properties.append(.line("@exclusivity(unchecked) var \(property.name): \(property.type)\(initial)"))
            copies.append(.line("self.\(property.name) = other.\(property.name)"))
            hashes.append(.line("hasher.combine(\(property.name))"))
        }
        let comparisons = stored.map { "\($0.name) == other.\($0.name)" }.joined(separator: "\n                && ")
        return [
            .line("fileprivate var _storage = _Storage()"),
            .blank,
            .block(
                "fileprivate final class _Storage: @unchecked Sendable",
                properties + [
                    .blank,
                    .line("init() {}"),
                    .blank,
                    .block("init(copying other: _Storage)", copies),
                    .blank,
                    .block(
                        "func hasEqualFields(to other: _Storage) -> Bool",
                        [
                            .line(comparisons.isEmpty ? "true" : comparisons)
                        ]
                    ),
                    .blank,
                    .block("func hash(into hasher: inout Hasher)", hashes),
                ]
            ),
            .blank,
            .doc(["The storage, copied first unless this value is its only holder."]),
            .block(
                "fileprivate mutating func _uniqueStorage() -> _Storage",
                [
                    .line("if !isKnownUniquelyReferenced(&_storage) { _storage = _Storage(copying: _storage) }"),
                    .line("return _storage"),
                ]
            ),
            .blank,
            .block(
                "\(access)static func == (lhs: Self, rhs: Self) -> Bool",
                [
                    .line("lhs._storage === rhs._storage || lhs._storage.hasEqualFields(to: rhs._storage)")
                ]
            ),
            .blank,
            .block(
                "\(access)func hash(into hasher: inout Hasher)",
                [
                    .line("_storage.hash(into: &hasher)")
                ]
            ),
        ]
    }
}
