import FerryCodec

/// What a field holds, as the compatibility rules classify it.
indirect enum FieldShape: Equatable {
    /// The interchangeable groups of scalar types (enums count as general numbers).
    enum ScalarGroup: String {
        case generalNumber = "int32/int64/uint32/uint64/bool/enum"
        case signedNumber = "sint32/sint64"
        case stringOrBytes = "string/bytes"
        case fixed32 = "fixed32/sfixed32"
        case fixed64 = "fixed64/sfixed64"
        case float
        case double
    }

    case scalar(ScalarGroup, typeName: String)
    case message(fullName: String)
    case map(key: FieldShape, value: FieldShape)

    enum Kind: String { case scalar, message, map }

    var kind: Kind {
        switch self {
        case .scalar: .scalar
        case .message: .message
        case .map: .map
        }
    }

    /// How the field is spelled in `.proto` text: `int32`, `acme.Order`, `map<string, int64>`.
    var spelling: String {
        switch self {
        case .scalar(_, let name): name
        case .message(let name): name
        case .map(let key, let value): "map<\(key.spelling), \(value.spelling)>"
        }
    }

    /// Classifies a field, resolving message and enum names through `types`.
    init(_ field: Google_Protobuf_FieldDescriptorProto, types: TypeIndex) {
        let type = field.type ?? Self.inferredType(field, types: types)
        switch type {
        case .int32, .int64, .uint32, .uint64, .bool:
            self = .scalar(.generalNumber, typeName: Self.scalarName(type))
        case .sint32, .sint64: self = .scalar(.signedNumber, typeName: Self.scalarName(type))
        case .string, .bytes: self = .scalar(.stringOrBytes, typeName: Self.scalarName(type))
        case .fixed32, .sfixed32: self = .scalar(.fixed32, typeName: Self.scalarName(type))
        case .fixed64, .sfixed64: self = .scalar(.fixed64, typeName: Self.scalarName(type))
        case .float: self = .scalar(.float, typeName: "float")
        case .double: self = .scalar(.double, typeName: "double")
        case .enum: self = .scalar(.generalNumber, typeName: TypeIndex.fullName(field.typeName))
        case .message, .group:
            let name = TypeIndex.fullName(field.typeName)
            if let entry = types[name], case .message(let entryMessage) = entry.definition,
                entryMessage.options?.mapEntry == true,
                let key = entryMessage.field.first(where: { $0.number == 1 }),
                let value = entryMessage.field.first(where: { $0.number == 2 })
            {
                self = .map(key: FieldShape(key, types: types), value: FieldShape(value, types: types))
            } else {
                self = .message(fullName: name)
            }
        }
    }

    private static func inferredType(
        _ field: Google_Protobuf_FieldDescriptorProto, types: TypeIndex
    ) -> Google_Protobuf_FieldDescriptorProto.TypeEnum {
        if let name = field.typeName, let entry = types[name], case .enum = entry.definition { return .enum }
        return .message
    }

    /// The `.proto` keyword of a scalar type.
    static func scalarName(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) -> String {
        switch type {
        case .double: "double"
        case .float: "float"
        case .int64: "int64"
        case .uint64: "uint64"
        case .int32: "int32"
        case .fixed64: "fixed64"
        case .fixed32: "fixed32"
        case .bool: "bool"
        case .string: "string"
        case .group: "group"
        case .message: "message"
        case .bytes: "bytes"
        case .uint32: "uint32"
        case .enum: "enum"
        case .sfixed32: "sfixed32"
        case .sfixed64: "sfixed64"
        case .sint32: "sint32"
        case .sint64: "sint64"
        }
    }
}
