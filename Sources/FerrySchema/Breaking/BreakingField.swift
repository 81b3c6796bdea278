import FerryCodec

/// A field or extension as the breaking rules read it: its resolved kind, cardinality and default.
struct BreakingField {
    typealias Kind = Google_Protobuf_FieldDescriptorProto.TypeEnum

    /// How many values a field holds and whether its presence is tracked (the wire and JSON
    /// groups of these decide the `*_CARDINALITY` rules).
    enum Cardinality: String {
        case optionalExplicitPresence = "optional with explicit presence"
        case optionalImplicitPresence = "optional with implicit presence"
        case required
        case repeated
        case map

        /// Cardinalities the binary encoding cannot tell apart share a group.
        var wireGroup: Int {
            switch self {
            case .optionalExplicitPresence, .optionalImplicitPresence: 1
            case .required: 2
            case .repeated, .map: 3
            }
        }

        /// As ``wireGroup``, but maps and repeated fields look different in JSON.
        var wireJSONGroup: Int {
            self == .map ? 4 : wireGroup
        }
    }

    let descriptor: Google_Protobuf_FieldDescriptorProto
    /// The field's name, or an extension's full name.
    let displayName: String
    /// The containing message's name, or an extension's extendee.
    let parentName: String
    let isExtension: Bool
    let isInMapEntry: Bool
    let syntax: BreakingImage.Syntax
    let kind: Kind
    let cardinality: Cardinality
    /// The file of the field, for file-level options such as `java_string_check_utf8`.
    let file: Google_Protobuf_FileDescriptorProto
    let sourcePath: [Int32]

    init(
        _ field: Google_Protobuf_FieldDescriptorProto,
        in image: BreakingImage,
        file: BreakingImage.File,
        parent: BreakingImage.Message?,
        extensionFullName: String?,
        sourcePath: [Int32]
    ) {
        descriptor = field
        isExtension = extensionFullName != nil
        displayName = extensionFullName ?? field.name ?? ""
        parentName = isExtension ? BreakingImage.bare(field.extendee) : (parent?.descriptor.name ?? "")
        isInMapEntry = parent?.descriptor.options?.mapEntry == true
        syntax = file.syntax
        self.file = file.descriptor
        self.sourcePath = sourcePath
        let kind = field.type ?? (image.enumType(named: field.typeName) != nil ? .enum : .message)
        self.kind = kind
        switch field.label ?? .optional {
        case .repeated:
            let entry = kind == .message ? image.message(named: field.typeName) : nil
            cardinality = entry?.descriptor.options?.mapEntry == true ? .map : .repeated
        case .required:
            cardinality = .required
        case .optional:
            let explicit =
                file.syntax != .proto3 || kind == .message || kind == .group || field.oneofIndex != nil
                || extensionFullName != nil
            cardinality = explicit ? .optionalExplicitPresence : .optionalImplicitPresence
        }
    }

    /// `Field "3" with name "total" on message "Order"`, as buf words it.
    var subject: String {
        let number = descriptor.number ?? 0
        return isExtension
            ? "Extension \"\(number)\" with name \"\(displayName)\" on message \"\(parentName)\""
            : "Field \"\(number)\" with name \"\(displayName)\" on message \"\(parentName)\""
    }

    /// The kind as buf's messages spell it (`int32`, `message`, `group`).
    var kindName: String { FieldEncoding.keyword(kind) }

    /// Whether buf's WIRE rule puts both kinds in one group: the same encoding, with string apart
    /// from bytes and enums apart from integers (the rule then lets string → bytes pass, and Ferry
    /// lets an enum and an int32/uint32/int64/uint64 pass).
    func sharesWireGroup(with other: BreakingField) -> Bool {
        FieldEncoding(kind) == FieldEncoding(other.kind)
            && (kind == .string) == (other.kind == .string)
            && (kind == .enum) == (other.kind == .enum)
    }

    /// Kinds both encodings read interchangeably: binary and JSON (where 64-bit integers are strings).
    var wireJSONGroup: Int {
        switch kind {
        case .int32, .uint32: 1
        case .int64, .uint64: 2
        case .fixed32, .sfixed32: 3
        case .fixed64, .sfixed64: 4
        case .bool: 5
        case .sint32: 6
        case .sint64: 7
        case .string: 8
        case .bytes: 9
        case .double: 10
        case .float: 11
        case .group: 12
        case .message: 13
        case .enum: 14
        }
    }

    /// Whether an enum and this integer kind are interchangeable in the binary encoding (protobuf's
    /// language guide: enum is compatible with int32, uint32, int64 and uint64).
    var isEnumCompatibleInteger: Bool {
        switch kind {
        case .int32, .uint32, .int64, .uint64: true
        default: false
        }
    }

    var isString: Bool { kind == .string }
    var isStringOrBytes: Bool { kind == .string || kind == .bytes }

    var is64BitInteger: Bool {
        switch descriptor.type {
        case .int64, .sint64, .uint64, .fixed64, .sfixed64: true
        default: false
        }
    }

    /// Whether the field can carry a default: singular scalars and enums.
    var canHaveDefault: Bool {
        cardinality != .repeated && cardinality != .map && kind != .message && kind != .group
    }

    /// Whether parsers check UTF-8 in this (string) field: proto3 does, proto2 does not.
    var validatesUTF8: Bool { syntax == .proto3 }

    /// Whether Java checks UTF-8: `java_string_check_utf8`, else as ``validatesUTF8``.
    var javaValidatesUTF8: Bool { file.options?.javaStringCheckUtf8 == true || validatesUTF8 }

    /// The C++ string type (`ctype`) and whether it is `STRING_PIECE`, which reads as STRING.
    var cppStringType: (type: Google_Protobuf_FieldOptions.CType, isPiece: Bool) {
        switch descriptor.options?.ctype {
        case .cord: (.cord, false)
        case .stringPiece: (.string, true)
        default: (.string, false)
        }
    }

    /// The oneof the field belongs to, ignoring proto3 `optional`'s synthetic oneof.
    func oneofName(in message: Google_Protobuf_DescriptorProto) -> String? {
        guard !isExtension, let index = descriptor.oneofIndex, descriptor.proto3Optional != true,
            Int(index) < message.oneofDecl.count
        else { return nil }
        return message.oneofDecl[Int(index)].name
    }
}
