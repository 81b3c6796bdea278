import FerryCodec

/// What a field holds, resolved against the symbol table.
enum ValueKind: Sendable {
    case scalar(ScalarKind)
    case enumeration(TypeSymbol, closed: Bool)
    case message(TypeSymbol)
    case group(TypeSymbol)

    var swiftType: String {
        switch self {
        case .scalar(let s): s.swiftType
        case .enumeration(let t, _), .message(let t), .group(let t): t.swiftName
        }
    }

    /// The `FerryCodec.FieldType` codec for repeated, packed and map use.
    var codec: String {
        switch self {
        case .scalar(let s): "FerryCodec.FieldType.\(s.codecName)"
        case .enumeration(let t, _): "FerryCodec.FieldType.Enum<\(t.swiftName)>"
        case .message(let t), .group(let t): "FerryCodec.FieldType.Message<\(t.swiftName)>"
        }
    }

    /// The `WireType` case a value of this kind is written with, as Swift source (`.varint`).
    var wireType: String {
        switch self {
        case .scalar(let s): s.wireType
        case .enumeration: ".varint"
        case .message: ".lengthDelimited"
        case .group: ".startGroup"
        }
    }

    var messageSymbol: TypeSymbol? {
        switch self {
        case .message(let t), .group(let t): t
        default: nil
        }
    }

    var isPackable: Bool {
        switch self {
        case .scalar(let s): s.isPackable
        case .enumeration: true
        case .message, .group: false
        }
    }
}

/// One field of a message as the translators need it.
struct FieldModel: Sendable {
    enum Cardinality: Sendable {
        /// A singular field; `presence` says whether it is stored as an Optional.
        case singular(presence: Bool)
        case repeated(packed: Bool)
        case map(key: ValueKind, value: ValueKind)
    }

    var proto: Google_Protobuf_FieldDescriptorProto
    var number: Int
    /// The Swift property name, unescaped.
    var name: String
    var value: ValueKind
    var cardinality: Cardinality
    /// Index into the message's `oneof_decl` for members of a real (not synthetic) oneof.
    var oneofIndex: Int?
    /// Stored through `FerryCodec.Box` (or as an `indirect case`) because it closes a cycle.
    var boxed = false
    /// Index of the field in its message's `field` list (for comments and descriptors).
    var index: Int

    /// The name as it must be written in declarations and member accesses.
    var escapedName: String { NameFormatting.escaped(name) }

    /// Whether the field must be set: proto2 `required`, or LEGACY_REQUIRED presence.
    var isRequired: Bool

    var swiftType: String {
        switch cardinality {
        case .singular(let presence): presence ? value.swiftType + "?" : value.swiftType
        case .repeated: "[\(value.swiftType)]"
        case .map(let k, let v): "[\(k.swiftType): \(v.swiftType)]"
        }
    }

    var protoName: String { proto.name ?? "" }
}

extension FieldModel {
    /// Classifies a field. `scope` is the features the field inherits from its message.
    static func make(
        _ field: Google_Protobuf_FieldDescriptorProto,
        index: Int,
        in message: Google_Protobuf_DescriptorProto,
        scope: ResolvedFeatures,
        symbols: SymbolTable,
        context: String
    ) throws(GeneratorError) -> FieldModel {
        let features = scope.merged(field.options?.features)
        let where_ = "\(context).\(field.name ?? "?")"
        guard let number = field.number else { throw GeneratorError("\(where_): field has no number") }
        guard let type = field.type else { throw GeneratorError("\(where_): field has no type") }
        if field.options?.weak == true { throw GeneratorError("\(where_): weak fields are not supported") }
        // A message field set DELIMITED (editions) is written as a group.
        let value = try valueKind(
            features.isDelimited(field) ? .group : type,
            typeName: field.typeName,
            symbols: symbols,
            context: where_
        )
        let label = field.label ?? .optional
        var oneofIndex: Int? = nil
        if let index = field.oneofIndex {
            guard index >= 0, Int(index) < message.oneofDecl.count else {
                throw GeneratorError("\(where_): oneof_index \(index) does not name a oneof of the message")
            }
            if field.proto3Optional != true { oneofIndex = Int(index) }
        }

        let cardinality: Cardinality
        if label == .repeated {
            if case .message(let entry) = value, entry.isMapEntry, let entryMessage = entry.message {
                let fields = entryMessage.field.sorted { ($0.number ?? 0) < ($1.number ?? 0) }
                guard fields.count == 2, let keyType = fields[0].type, let valueType = fields[1].type else {
                    throw GeneratorError("\(where_): map entry \(entry.fullName) does not have a key and a value field")
                }
                let key = try valueKind(keyType, typeName: fields[0].typeName, symbols: symbols, context: where_)
                let mapValue = try valueKind(valueType, typeName: fields[1].typeName, symbols: symbols, context: where_)
                cardinality = .map(key: key, value: mapValue)
            } else {
                let packed = value.isPackable && features.isPacked(field)
                cardinality = .repeated(packed: packed)
            }
        } else {
            let presence: Bool
            switch value {
            case .message, .group: presence = true
            default: presence = features.hasPresence(field)
            }
            cardinality = .singular(presence: presence)
        }
        return FieldModel(
            proto: field,
            number: Int(number),
            name: NameFormatting.propertyName(field.name ?? ""),
            value: value,
            cardinality: cardinality,
            oneofIndex: oneofIndex,
            index: index,
            isRequired: features.isRequired(field)
        )
    }

    static func valueKind(
        _ type: Google_Protobuf_FieldDescriptorProto.TypeEnum,
        typeName: String?,
        symbols: SymbolTable,
        context: String
    ) throws(GeneratorError) -> ValueKind {
        if let scalar = ScalarKind(type) { return .scalar(scalar) }
        let symbol = try symbols.lookup(typeName, context: context)
        switch (type, symbol.kind) {
        case (.enum, .enumeration): return .enumeration(symbol, closed: symbol.isClosedEnum)
        case (.message, .message): return .message(symbol)
        case (.group, .message): return .group(symbol)
        default: throw GeneratorError("\(context): type '\(typeName ?? "")' is not a \(type)")
        }
    }
}
