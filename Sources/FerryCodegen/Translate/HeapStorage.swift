import FerryCodec

/// The shape of a message whose fields live in one copy-on-write box instead of inline in the
/// struct.
///
/// Why: the compiler emits copy, assign and destroy functions (value witnesses) for every
/// struct, touching each non-trivial field, and inlines them into every struct that holds the
/// message. For messages with many fields that was the largest part of the generated object
/// code. A struct holding one reference shares the runtime's witnesses for a single reference,
/// and copying it is one retain. Small messages stay inline: for them the witnesses are small,
/// and decoding them allocates nothing extra.
///
/// The fields are the stored properties of a private struct, `_Fields`, held in a
/// `FerryCodec.Box`: the struct's synthesized `==` and `hash(into:)` compare field by field
/// (as for inline messages, so equality never depends on a message's size), and its
/// `encodeFields(to:)` and `decode(from:)` are the same code an inline message has.
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

    /// One stored property of `_Fields`: name, Swift type and initial value (if any).
    struct Stored {
        var name: String
        var type: String
        var initial: String?
    }

    /// The struct's computed property forwarding to the box.
    func forwardingProperty(_ name: String, type: String) -> SwiftNode {
        .line(
            """
            \(access)var \(name): \(type) { get { _storage.value.\(name) } set { _storage.value.\(name) = newValue } \
            _modify { yield &_storage.value.\(name) } }
            """
        )
    }

    /// The message's wire members, each forwarding to the fields in the box.
    func forwardingCodec(checksInitialization: Bool) -> [SwiftNode] {
        var members: [SwiftNode] = [
            .line(
                """
                \(access)func encodeFields(to writer: inout FerryCodec.WireWriter) \
                { _storage.value.encodeFields(to: &writer) }
                """
            ),
            .line(
                """
                \(access)mutating func decode(from reader: inout FerryCodec.WireReader) \
                throws(FerryCodec.DecodingError) { try _storage.value.decode(from: &reader) }
                """
            ),
        ]
        if checksInitialization {
            members.append(.line("\(access)var isInitialized: Bool { _storage.value.isInitialized }"))
        }
        members.append(.line("fileprivate var _storage = FerryCodec.Box(_Fields())"))
        return members
    }

    /// `_Fields`: the stored properties, then the codec members that read and write them.
    func fieldsStruct(_ stored: [Stored], codec: [SwiftNode]) -> SwiftNode {
        var body: [SwiftNode] = stored.map { property in
            .line("var \(property.name): \(property.type)\(property.initial.map { " = \($0)" } ?? "")")
        }
        body.append(.blank)
        body.append(contentsOf: codec)
        return .block("fileprivate struct _Fields: FerryCodec.WireFields", body)
    }
}
