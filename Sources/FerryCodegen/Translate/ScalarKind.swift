import FerryCodec

/// The fifteen protobuf scalar types and how generated code spells each.
enum ScalarKind: Sendable {
    case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, bytes, uint32, sfixed32, sfixed64, sint32,
        sint64

    init?(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) {
        switch type {
        case .double: self = .double
        case .float: self = .float
        case .int64: self = .int64
        case .uint64: self = .uint64
        case .int32: self = .int32
        case .fixed64: self = .fixed64
        case .fixed32: self = .fixed32
        case .bool: self = .bool
        case .string: self = .string
        case .bytes: self = .bytes
        case .uint32: self = .uint32
        case .sfixed32: self = .sfixed32
        case .sfixed64: self = .sfixed64
        case .sint32: self = .sint32
        case .sint64: self = .sint64
        case .group, .message, .enum: return nil
        }
    }

    /// The Swift value type.
    var swiftType: String {
        switch self {
        case .double: "Double"
        case .float: "Float"
        case .int64, .sfixed64, .sint64: "Int64"
        case .uint64, .fixed64: "UInt64"
        case .int32, .sfixed32, .sint32: "Int32"
        case .uint32, .fixed32: "UInt32"
        case .bool: "Bool"
        case .string: "String"
        case .bytes: "[UInt8]"
        }
    }

    /// The name of the codec in `FerryCodec.FieldType` and of the `WireReader.read…` method.
    var codecName: String {
        switch self {
        case .double: "Double"
        case .float: "Float"
        case .int64: "Int64"
        case .uint64: "UInt64"
        case .int32: "Int32"
        case .fixed64: "Fixed64"
        case .fixed32: "Fixed32"
        case .bool: "Bool"
        case .string: "String"
        case .bytes: "Bytes"
        case .uint32: "UInt32"
        case .sfixed32: "SFixed32"
        case .sfixed64: "SFixed64"
        case .sint32: "SInt32"
        case .sint64: "SInt64"
        }
    }

    /// The `WireType` case this type is written with, as Swift source.
    var wireType: String {
        switch self {
        case .int32, .int64, .uint32, .uint64, .sint32, .sint64, .bool: ".varint"
        case .fixed64, .sfixed64, .double: ".fixed64"
        case .fixed32, .sfixed32, .float: ".fixed32"
        case .string, .bytes: ".lengthDelimited"
        }
    }

    /// The argument label of `WireWriter.write(…:field:)`.
    var writeLabel: String {
        switch self {
        case .double: "double"
        case .float: "float"
        case .int64: "int64"
        case .uint64: "uint64"
        case .int32: "int32"
        case .fixed64: "fixed64"
        case .fixed32: "fixed32"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .uint32: "uint32"
        case .sfixed32: "sfixed32"
        case .sfixed64: "sfixed64"
        case .sint32: "sint32"
        case .sint64: "sint64"
        }
    }

    var isPackable: Bool { self != .string && self != .bytes }

    /// The condition under which a proto3 field without presence is written: any value but the
    /// zero value (for floating point: any bit pattern but +0, so -0.0 is kept, as protobuf does).
    func nonDefaultTest(_ expression: String) -> String {
        switch self {
        case .double, .float: "\(expression).bitPattern != 0"
        case .bool: expression
        case .string, .bytes: "!\(expression).isEmpty"
        default: "\(expression) != 0"
        }
    }

    /// The zero value as a Swift literal.
    var zeroLiteral: String {
        switch self {
        case .bool: "false"
        case .string: "\"\""
        case .bytes: "[]"
        default: "0"
        }
    }
}
