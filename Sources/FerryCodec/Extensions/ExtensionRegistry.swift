/// Extensions the decoder checks while it reads (``DecodingOptions/extensions``).
///
/// Ferry keeps extension values as bytes among a message's unknown fields and decodes them when
/// they are read, so a value that does not decode as its extension's type is found late, by
/// `message[extension:]` returning `nil`. Registering the extension makes the decode itself fail
/// on such a value, as protobuf's runtimes do when given an extension registry. A value with
/// another wire type than its extension's stays an unknown field, as it would for a declared field.
///
/// ```swift
/// var options = DecodingOptions()
/// options.extensions = ExtensionRegistry([Acme_Audit_ProtoFile.auditTrail])
/// let event = try Acme_Event(serializedBytes: bytes, options: options)
/// ```
public struct ExtensionRegistry: Sendable, Hashable {
    private struct Key: Hashable, Sendable {
        var message: String
        var number: Int
    }

    private var checks: [Key: any ExtensionCheck] = [:]

    /// An empty registry.
    public init() {}

    /// A registry of `fields`.
    public init<Extended, Value>(_ fields: [ExtensionField<Extended, Value>]) {
        for field in fields { add(field) }
    }

    /// Adds a singular extension.
    public mutating func add<Extended, Value>(_ field: ExtensionField<Extended, Value>) {
        // MessageSet items arrive inside field 1's group; they are checked when read.
        guard !field.isMessageSetItem else { return }
        checks[Key(message: Extended.protoMessageName, number: field.number)] = SingularCheck(field: field)
    }

    /// Adds a repeated extension.
    public mutating func add<Extended, Element>(_ field: RepeatedExtensionField<Extended, Element>) {
        checks[Key(message: Extended.protoMessageName, number: field.number)] = RepeatedCheck(field: field)
    }

    /// Whether the registry holds no extensions.
    public var isEmpty: Bool { checks.isEmpty }

    /// Checks the value at `reader` (just after `tag`) if `message` has a registered extension of
    /// that number; the reader is a copy, the caller skips the value itself.
    @usableFromInline
    func check(_ reader: WireReader, _ tag: FieldTag, message: String) throws(DecodingError) {
        guard let check = checks[Key(message: message, number: tag.fieldNumber)] else { return }
        var copy = reader
        do throws(DecodingError) {
            try check.check(&copy, tag)
        } catch  where error.code == .wrongWireType {
            return  // another wire type: an unknown field, as for a declared field
        }
    }

    /// Registries are equal when they check the same extensions (message and number).
    public static func == (lhs: ExtensionRegistry, rhs: ExtensionRegistry) -> Bool {
        Set(lhs.checks.keys) == Set(rhs.checks.keys)
    }

    /// Hashes the set of registered extensions (message and number).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(Set(checks.keys))
    }
}

/// Reads one extension value to see that it decodes (type erasure for ``ExtensionRegistry``).
protocol ExtensionCheck: Sendable {
    func check(_ reader: inout WireReader, _ tag: FieldTag) throws(DecodingError)
}

private struct SingularCheck<Extended: Message, Value: Sendable & Hashable>: ExtensionCheck {
    let field: ExtensionField<Extended, Value>

    func check(_ reader: inout WireReader, _ tag: FieldTag) throws(DecodingError) {
        var value: Value? = nil
        try field.read(&reader, tag, &value)
    }
}

private struct RepeatedCheck<Extended: Message, Element: Sendable & Hashable>: ExtensionCheck {
    let field: RepeatedExtensionField<Extended, Element>

    func check(_ reader: inout WireReader, _ tag: FieldTag) throws(DecodingError) {
        var values: [Element] = []
        try field.read(&reader, tag, &values)
    }
}
