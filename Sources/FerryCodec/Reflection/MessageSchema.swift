/// One message type's fields as the JSON and text formats need them, built once from the
/// descriptor its generated file embeds.
///
/// Ferry's generated code owns the binary format; the other formats are views of that binary
/// encoding through this schema (protobuf's C++ JSON transcoder works the same way). So a field's
/// meaning on the wire is decided in one place, the generated `encode`/`decode`, and the schema
/// only says how to name and print it.
///
/// Schemas live for the life of the process in ``SchemaPool``; they are built and linked under
/// the pool's lock before any other thread can see them and never change afterwards, which is
/// why the class is `@unchecked Sendable`.
final class MessageSchema: @unchecked Sendable {
    /// The message's full protobuf name, without a leading dot.
    let fullName: String
    /// Set for the types whose JSON form is not an object of their fields.
    let wellKnown: WellKnownType?
    /// Whether this is the synthesized entry message of a `map` field.
    let isMapEntry: Bool
    /// Whether the message declares extension ranges (so unknown numbers may be extensions).
    let hasExtensions: Bool
    /// The fields, in field-number order.
    var fields: [FieldSchema] = []
    /// The names of the message's real (not synthetic) oneofs, by oneof index.
    var oneofNames: [String] = []
    /// Field number → index into ``fields``.
    private(set) var indexByNumber: [Int32: Int] = [:]
    /// JSON name and proto name → index into ``fields``.
    private(set) var indexByName: [String: Int] = [:]

    init(fullName: String, wellKnown: WellKnownType?, isMapEntry: Bool, hasExtensions: Bool) {
        self.fullName = fullName
        self.wellKnown = wellKnown
        self.isMapEntry = isMapEntry
        self.hasExtensions = hasExtensions
    }

    /// Sorts the fields and fills the lookup tables; called once, while the pool builds.
    func index() {
        fields.sort { $0.number < $1.number }
        for (index, field) in fields.enumerated() {
            indexByNumber[field.number] = index
            indexByName[field.jsonName] = index
            if indexByName[field.name] == nil { indexByName[field.name] = index }
        }
    }

    /// The index of field `number`, or `nil` if the message has no such field.
    @inline(__always)
    func fieldIndex(number: Int32) -> Int? {
        // Most messages number their fields 1...n in order: try the direct position first.
        let guess = Int(number) - 1
        if guess >= 0, guess < fields.count, fields[guess].number == number { return guess }
        return indexByNumber[number]
    }

    /// The index of the field whose JSON name or proto name is `name`.
    func fieldIndex(name: String) -> Int? { indexByName[name] }

    /// The index of the field whose JSON name or proto name is the UTF-8 `name`, trying `hint`
    /// first: JSON objects usually list fields in declaration order, so the field after the last
    /// one found is the likely next, and comparing bytes beats hashing a string.
    @inline(__always)
    func fieldIndex(utf8 name: UnsafeBufferPointer<UInt8>, hint: Int) -> Int? {
        if hint < fields.count, fields[hint].jsonNameUTF8.elementsEqual(name) { return hint }
        return indexByName[String(decoding: name, as: UTF8.self)]
    }
}

/// One field of a ``MessageSchema``: a class, so that looking a field up while printing or
/// parsing costs one reference count, not one per stored name.
final class FieldSchema: @unchecked Sendable {
    let number: Int32
    /// The name in the .proto file; for an extension, its full name in brackets (`[pkg.ext]`),
    /// which is how both JSON and the text format name it.
    let name: String
    /// The JSON name (protoc's `json_name`: lowerCamelCase unless the file set one).
    let jsonName: String
    let type: Google_Protobuf_FieldDescriptorProto.TypeEnum
    let isRepeated: Bool
    /// Whether the field tracks presence (message, oneof member, proto2 or proto3 `optional`).
    /// Fields without presence are not printed at their default value.
    let hasPresence: Bool
    /// Index into the message's ``MessageSchema/oneofNames`` for members of a real oneof.
    let oneofIndex: Int?
    /// The message type of message, group and map fields.
    var message: MessageSchema?
    /// The enum type of enum fields.
    var enumSchema: EnumSchema?
    /// `jsonName` in UTF-8, for matching object keys without building strings.
    let jsonNameUTF8: [UInt8]
    /// `"jsonName":` and `"name":` as the JSON printer writes them.
    let jsonKey: [UInt8]
    let protoKey: [UInt8]

    /// Whether the field is a proto2 `group`, which the text format names by its type; an
    /// edition's DELIMITED message field is a group on the wire only.
    let isGroupSyntax: Bool

    init(
        number: Int32,
        name: String,
        jsonName: String,
        type: Google_Protobuf_FieldDescriptorProto.TypeEnum,
        isRepeated: Bool,
        hasPresence: Bool,
        oneofIndex: Int?,
        isGroupSyntax: Bool = false
    ) {
        self.isGroupSyntax = isGroupSyntax
        self.number = number
        self.name = name
        self.jsonName = jsonName
        self.type = type
        self.isRepeated = isRepeated
        self.hasPresence = hasPresence
        self.oneofIndex = oneofIndex
        self.jsonNameUTF8 = Array(jsonName.utf8)
        func key(_ text: String) -> [UInt8] {
            var writer = JSONWriter(capacity: text.utf8.count + 3)
            writer.appendString(text)
            writer.append(UInt8(ascii: ":"))
            return writer.bytes
        }
        self.jsonKey = key(jsonName)
        self.protoKey = key(name)
    }

    /// Whether the field is a `map` (a repeated field of a map-entry message).
    var isMap: Bool { isRepeated && (message?.isMapEntry ?? false) }

    /// Whether a value arriving with `wireType` is one the field's generated decoder stores; the
    /// others are unknown fields to it, so the other formats leave them out too.
    func accepts(_ wireType: WireType) -> Bool {
        switch type {
        case .int32, .int64, .uint32, .uint64, .sint32, .sint64, .bool, .enum:
            wireType == .varint || (wireType == .lengthDelimited && isRepeated)
        case .fixed32, .sfixed32, .float:
            wireType == .fixed32 || (wireType == .lengthDelimited && isRepeated)
        case .fixed64, .sfixed64, .double:
            wireType == .fixed64 || (wireType == .lengthDelimited && isRepeated)
        case .string, .bytes, .message: wireType == .lengthDelimited
        case .group: wireType == .startGroup
        }
    }

    /// Whether values of this type can be packed on the wire.
    var isPackable: Bool {
        switch type {
        case .string, .bytes, .message, .group: false
        default: true
        }
    }
}

/// One enum type: its values by number and by name.
final class EnumSchema: @unchecked Sendable {
    let fullName: String
    /// Whether numbers without a declared value are kept as unknown fields (proto2) rather than
    /// stored in the field (proto3).
    let isClosed: Bool
    /// The first declared value's name: an enum field's default.
    let defaultName: String
    let defaultNumber: Int32
    private let namesByNumber: [Int32: String]
    private let numbersByName: [String: Int32]

    init(_ descriptor: Google_Protobuf_EnumDescriptorProto, fullName: String, isClosed: Bool) {
        self.fullName = fullName
        self.isClosed = isClosed
        var names: [Int32: String] = [:]
        var numbers: [String: Int32] = [:]
        for value in descriptor.value {
            let number = value.number ?? 0
            let name = value.name ?? ""
            // With allow_alias, the first name of a number is the one printed.
            if names[number] == nil { names[number] = name }
            numbers[name] = number
        }
        namesByNumber = names
        numbersByName = numbers
        defaultName = descriptor.value.first?.name ?? ""
        defaultNumber = descriptor.value.first?.number ?? 0
    }

    /// Whether this is `google.protobuf.NullValue`, whose JSON form is `null`.
    var isNullValue: Bool { fullName == "google.protobuf.NullValue" }

    func name(of number: Int32) -> String? { namesByNumber[number] }
    func number(of name: String) -> Int32? { numbersByName[name] }
}

/// The well-known types whose JSON form is special (protobuf's JSON mapping table).
enum WellKnownType: Sendable {
    case any, timestamp, duration, fieldMask, `struct`, value, listValue
    /// One of the wrapper messages: its JSON form is its `value` field's.
    case wrapper

    init?(fullName: String) {
        switch fullName {
        case "google.protobuf.Any": self = .any
        case "google.protobuf.Timestamp": self = .timestamp
        case "google.protobuf.Duration": self = .duration
        case "google.protobuf.FieldMask": self = .fieldMask
        case "google.protobuf.Struct": self = .struct
        case "google.protobuf.Value": self = .value
        case "google.protobuf.ListValue": self = .listValue
        case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
            "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
            "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue":
            self = .wrapper
        default: return nil
        }
    }
}

/// The extensions a printer has met, so that a value of one can be noted like a declared field:
/// index `schema.fields.count + k` stands for extension `k`.
struct ExtensionFields {
    private var fields: [FieldSchema] = []

    /// Field `index` of `schema`, or the extension it stands for past the declared fields.
    @inline(__always)
    func field(_ schema: MessageSchema, _ index: Int) -> FieldSchema {
        index < schema.fields.count ? schema.fields[index] : fields[index - schema.fields.count]
    }

    /// The index standing for extension `number` of `schema`, if a registered file declares it.
    mutating func index(_ schema: MessageSchema, number: Int) -> Int? {
        guard schema.hasExtensions,
            let field = SchemaPool.shared.extensionField(of: schema.fullName, number: Int32(truncatingIfNeeded: number))
        else { return nil }
        if let known = fields.firstIndex(where: { $0 === field }) { return schema.fields.count + known }
        fields.append(field)
        return schema.fields.count + fields.count - 1
    }
}
