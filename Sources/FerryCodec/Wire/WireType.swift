/// The six wire types of the protobuf binary format (three bits of every tag).
public enum WireType: UInt8, Sendable, Hashable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// A decoded field tag: which field follows, and how its value is laid out.
public struct FieldTag: Sendable, Hashable {
    /// The field number, 1 ... 2^29 - 1.
    public let fieldNumber: Int
    /// How the field's value is laid out: varint, fixed width, length-prefixed or group marker.
    public let wireType: WireType

    /// Creates a tag from its two parts, without checking that the number is in range.
    @inlinable
    public init(fieldNumber: Int, wireType: WireType) {
        self.fieldNumber = fieldNumber
        self.wireType = wireType
    }

    /// The tag as it appears on the wire, before varint encoding.
    @inlinable
    public var rawValue: UInt32 { UInt32(truncatingIfNeeded: fieldNumber) << 3 | UInt32(wireType.rawValue) }
}

/// Bounds of the field number space, shared by the decoder and the schema compiler.
public enum FieldNumbers {
    /// The highest field number a tag can carry: 2^29 - 1, since three of a tag's 32 bits hold the wire type.
    public static let max = (1 << 29) - 1
    /// Numbers reserved for protobuf's own implementation.
    public static let reservedRange = 19000...19999
}
