import FerryCodec
import FerrySchema

/// What a field holds, as the compatibility rules classify it.
indirect enum FieldShape: Equatable {
    /// A scalar or enum, by its wire encoding (the interchangeable groups) and its `.proto` spelling.
    case scalar(FieldEncoding, typeName: String)
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
        case .enum: self = .scalar(.varint, typeName: TypeIndex.fullName(field.typeName))
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
        default:
            self = .scalar(FieldEncoding(type), typeName: FieldEncoding.keyword(type))
        }
    }

    private static func inferredType(
        _ field: Google_Protobuf_FieldDescriptorProto,
        types: TypeIndex
    ) -> Google_Protobuf_FieldDescriptorProto.TypeEnum {
        if let name = field.typeName, let entry = types[name], case .enum = entry.definition { return .enum }
        return .message
    }
}
