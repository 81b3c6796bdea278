import FerryCodec

/// Encodes a scalar or enum option value as protoc's `SetOptionValue` does, with its errors.
enum OptionValueEncoder {
    struct Failure: Error {
        var message: String
    }

    typealias Field = FileLinker.OptionField

    static func encode(
        _ option: Google_Protobuf_UninterpretedOption,
        field: Field,
        schema: OptionSchema
    ) -> Result<[UInt8], Failure> {
        var out = WireBytes()
        let number = field.number
        let name = field.fullName
        func fail(_ message: String) -> Result<[UInt8], Failure> { .failure(Failure(message: message)) }
        switch field.descriptor.type {
        case .int32?, .sint32?, .sfixed32?:
            let value: Int64
            if let positive = option.positiveIntValue {
                guard positive <= UInt64(Int32.max) else {
                    return fail("Value out of range for int32 option \"\(name)\".")
                }
                value = Int64(positive)
            } else if let negative = option.negativeIntValue {
                guard negative >= Int64(Int32.min) else {
                    return fail("Value out of range for int32 option \"\(name)\".")
                }
                value = negative
            } else {
                return fail("Value must be integer for int32 option \"\(name)\".")
            }
            switch field.descriptor.type {
            case .sfixed32?: out.appendFixed32Field(number, UInt32(bitPattern: Int32(value)))
            case .sint32?:
                out.appendVarintField(number, UInt64(UInt32(bitPattern: (Int32(value) << 1) ^ (Int32(value) >> 31))))
            default: out.appendVarintField(number, UInt64(bitPattern: value))
            }
        case .int64?, .sint64?, .sfixed64?:
            let value: Int64
            if let positive = option.positiveIntValue {
                guard positive <= UInt64(Int64.max) else {
                    return fail("Value out of range for int64 option \"\(name)\".")
                }
                value = Int64(positive)
            } else if let negative = option.negativeIntValue {
                value = negative
            } else {
                return fail("Value must be integer for int64 option \"\(name)\".")
            }
            switch field.descriptor.type {
            case .sfixed64?: out.appendFixed64Field(number, UInt64(bitPattern: value))
            case .sint64?: out.appendVarintField(number, WireBytes.zigZag(value))
            default: out.appendVarintField(number, UInt64(bitPattern: value))
            }
        case .uint32?, .fixed32?:
            guard let positive = option.positiveIntValue else {
                return fail("Value must be non-negative integer for uint32 option \"\(name)\".")
            }
            guard positive <= UInt64(UInt32.max) else {
                return fail("Value out of range for uint32 option \"\(name)\".")
            }
            if field.descriptor.type == .fixed32 {
                out.appendFixed32Field(number, UInt32(positive))
            } else {
                out.appendVarintField(number, positive)
            }
        case .uint64?, .fixed64?:
            guard let positive = option.positiveIntValue else {
                return fail("Value must be non-negative integer for uint64 option \"\(name)\".")
            }
            if field.descriptor.type == .fixed64 {
                out.appendFixed64Field(number, positive)
            } else {
                out.appendVarintField(number, positive)
            }
        case .float?, .double?:
            let isFloat = field.descriptor.type == .float
            let value: Double
            if let double = option.doubleValue {
                value = double
            } else if let positive = option.positiveIntValue {
                value = Double(positive)
            } else if let negative = option.negativeIntValue {
                value = Double(negative)
            } else {
                return fail("Value must be number for \(isFloat ? "float" : "double") option \"\(name)\".")
            }
            if isFloat {
                out.appendFixed32Field(number, Float(value).bitPattern)
            } else {
                out.appendFixed64Field(number, value.bitPattern)
            }
        case .bool?:
            guard let identifier = option.identifierValue else {
                return fail("Value must be identifier for boolean option \"\(name)\".")
            }
            switch identifier {
            case "true": out.appendVarintField(number, 1)
            case "false": out.appendVarintField(number, 0)
            default: return fail("Value must be \"true\" or \"false\" for boolean option \"\(name)\".")
            }
        case .enum?:
            guard let identifier = option.identifierValue else {
                return fail("Value must be identifier for enum-valued option \"\(name)\".")
            }
            let enumName = String((field.descriptor.typeName ?? "").dropFirst())
            guard let enumType = schema.enumType(enumName) else {
                return fail("Enum type \"\(enumName)\" is not known.")
            }
            guard let value = enumType.value.first(where: { $0.name == identifier }) else {
                let sibling = (enumName.lastIndex(of: ".").map { String(enumName[...$0]) } ?? "") + identifier
                if schema.table.symbol(named: sibling)?.kind == .enumValue {
                    return fail(
                        """
                        Enum type "\(enumName)" has no value named "\(identifier)" for option "\(name)". This appears \
                        to be a value from a sibling type.
                        """
                    )
                }
                return fail("Enum type \"\(enumName)\" has no value named \"\(identifier)\" for option \"\(name)\".")
            }
            out.appendVarintField(number, UInt64(bitPattern: Int64(value.number ?? 0)))
        case .string?, .bytes?:
            guard let string = option.stringValue else {
                return fail("Value must be quoted string for string option \"\(name)\".")
            }
            out.appendLengthDelimited(number, string)
        default:
            return fail("Option \"\(name)\" has an unsupported type.")
        }
        return .success(out.bytes)
    }
}
