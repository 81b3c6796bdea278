import FerryCodec

/// A field's default value, explicit or implied, compared the way the FIELD_SAME_DEFAULT rule
/// needs: strings and bytes by their text, numbers by value across kinds (an int32 default equals
/// the same int64 default), float against double at float precision.
enum BreakingDefault: Equatable {
    case text(String)
    case signed(Int64)
    case unsigned(UInt64)
    case float(Float)
    case double(Double)

    /// The default of `field`: its `default_value`, or the zero value of its kind (for an enum,
    /// the number of its first value).
    init(_ field: BreakingField, enumType: Google_Protobuf_EnumDescriptorProto?) {
        let text = field.descriptor.defaultValue
        switch field.kind {
        case .string, .bytes:
            self = .text(text ?? "")
        case .bool:
            self = .signed(text == "true" ? 1 : 0)
        case .enum:
            let values = enumType?.value ?? []
            let number = text.flatMap { name in values.first { $0.name == name }?.number } ?? values.first?.number ?? 0
            self = .signed(Int64(number))
        case .float:
            self = .float(text.flatMap(Float.init) ?? 0)
        case .double:
            self = .double(text.flatMap(Double.init) ?? 0)
        case .uint32, .uint64, .fixed32, .fixed64:
            self = .unsigned(text.flatMap(UInt64.init) ?? 0)
        default:
            self = .signed(text.flatMap(Int64.init) ?? 0)
        }
    }

    /// Whether this is the zero value (negative zero is not).
    var isZero: Bool {
        switch self {
        case .text(let text): text.isEmpty
        case .signed(let value): value == 0
        case .unsigned(let value): value == 0
        case .float(let value): value.bitPattern == 0
        case .double(let value): value.bitPattern == 0
        }
    }

    /// Whether two defaults read as the same value.
    func sameValue(as other: BreakingDefault) -> Bool {
        switch (self, other) {
        case (.text(let a), .text(let b)): return a == b
        case (.text, _), (_, .text): return false
        case (.float(let a), .double(let b)), (.double(let b), .float(let a)):
            return (a.isNaN && b.isNaN) || a == Float(b)
        default:
            break
        }
        if isNaN || other.isNaN { return isNaN && other.isNaN }
        return exactValue == other.exactValue
    }

    private var isNaN: Bool {
        switch self {
        case .float(let value): value.isNaN
        case .double(let value): value.isNaN
        default: false
        }
    }

    /// The value as a sign and magnitude when it is an integer, or as a double otherwise, so that
    /// kinds compare without overflow or rounding of 64-bit integers.
    private var exactValue: ExactValue {
        switch self {
        case .text: .other(0)
        case .signed(let value): .integer(negative: value < 0, magnitude: value.magnitude)
        case .unsigned(let value): .integer(negative: false, magnitude: value)
        case .float(let value): ExactValue(Double(value))
        case .double(let value): ExactValue(value)
        }
    }

    private enum ExactValue: Equatable {
        case integer(negative: Bool, magnitude: UInt64)
        case other(Double)

        init(_ value: Double) {
            if let magnitude = UInt64(exactly: value.magnitude) {
                self = .integer(negative: value < 0 && magnitude != 0, magnitude: magnitude)
            } else {
                self = .other(value)
            }
        }
    }
}
