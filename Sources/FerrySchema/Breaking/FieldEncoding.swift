package import FerryCodec

/// How a field's values are laid out on the wire as a reader sees them: kinds with the same
/// encoding read each other's bytes as the same values (within range).
///
/// The one place both compatibility rule sets learn what the binary encoding can absorb: the
/// registry's Confluent rules compare these groups as they are, `ferry breaking`'s WIRE rules split
/// string from bytes (string rejects invalid UTF-8) and enums from integers (buf's rule, relaxed by
/// Ferry for int32/uint32/int64/uint64).
package enum FieldEncoding: String, Sendable, Hashable {
    case varint = "int32/int64/uint32/uint64/bool/enum"
    case zigzag = "sint32/sint64"
    case lengthDelimited = "string/bytes"
    case fixed32 = "fixed32/sfixed32"
    case fixed64 = "fixed64/sfixed64"
    case float
    case double
    case message
    case group

    /// The encoding of values of `kind`.
    package init(_ kind: Google_Protobuf_FieldDescriptorProto.TypeEnum) {
        switch kind {
        case .int32, .int64, .uint32, .uint64, .bool, .enum: self = .varint
        case .sint32, .sint64: self = .zigzag
        case .string, .bytes: self = .lengthDelimited
        case .fixed32, .sfixed32: self = .fixed32
        case .fixed64, .sfixed64: self = .fixed64
        case .float: self = .float
        case .double: self = .double
        case .message: self = .message
        case .group: self = .group
        }
    }

    /// The `.proto` keyword of a kind (`int32`, `string`; `enum`, `message` and `group` for named types).
    package static func keyword(_ kind: Google_Protobuf_FieldDescriptorProto.TypeEnum) -> String {
        switch kind {
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
