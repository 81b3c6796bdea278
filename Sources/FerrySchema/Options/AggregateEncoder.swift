import FerryCodec

/// Encodes an aggregate option value (`{ ... }` text format) as protoc does: parsed into a
/// message of the option's type, then serialized canonically (fields and extensions in number
/// order, packed where the field is packed).
struct AggregateEncoder {
    struct Failure: Error {
        var message: String
    }

    let linker: FileLinker
    let schema: OptionSchema
    let scope: String

    init(linker: FileLinker, schema: OptionSchema, scope: String) {
        self.linker = linker
        self.schema = schema
        self.scope = scope
    }

    mutating func encode(_ text: String, as messageName: String) -> Result<[UInt8], Failure> {
        switch TextFormatReader.read(text) {
        case .failure(let failure):
            return .failure(Failure(message: failure.message))
        case .success(let fields):
            do {
                return .success(try encodeMessage(fields, as: messageName))
            } catch let failure as Failure {
                return .failure(failure)
            } catch {
                return .failure(Failure(message: "\(error)"))
            }
        }
    }

    private typealias FieldProto = Google_Protobuf_FieldDescriptorProto

    private func resolveField(
        _ field: TextFormatReader.Field,
        in messageName: String,
        message: Google_Protobuf_DescriptorProto
    ) throws -> FieldProto {
        if field.isExtension {
            var failure = FileLinker.LookupFailure()
            if let (fullName, symbol) = linker.lookup(field.name, relativeTo: scope, failure: &failure),
                symbol.kind == .field,
                let ext = schema.table.extensions[fullName], ext.extendee == "." + messageName
            {
                return ext
            }
            throw Failure(
                message: "Extension \"\(field.name)\" is not defined or is not an extension of \"\(messageName)\"."
            )
        }
        var found = message.field.first { $0.name == field.name }
        if found == nil {
            let lower = field.name.lowercased()
            found = message.field.first { $0.name == lower && $0.type == .group }
        }
        if let candidate = found, candidate.type == .group,
            (candidate.typeName ?? "").split(separator: ".").last.map(String.init) != field.name
        {
            found = nil
        }
        guard let result = found else {
            throw Failure(message: "Message type \"\(messageName)\" has no field named \"\(field.name)\".")
        }
        return result
    }

    private func encodeMessage(_ fields: [TextFormatReader.Field], as messageName: String) throws -> [UInt8] {
        guard let message = schema.message(messageName) else {
            throw Failure(message: "Message type \"\(messageName)\" is not known.")
        }
        let isProto3 = schema.isProto3(message: messageName)
        var entries: [Int32: (field: FieldProto, values: [TextFormatReader.Value])] = [:]
        if messageName == "google.protobuf.Any", fields.count == 1, let expanded = fields.first, expanded.isExtension,
            let slash = expanded.name.lastIndex(of: "/"), case .message(let nested)? = expanded.values.first
        {
            // Expanded Any: `[type.googleapis.com/pkg.Msg] { ... }`.
            let typeName = String(expanded.name[expanded.name.index(after: slash)...])
            var out = WireBytes()
            out.appendLengthDelimited(1, Array(expanded.name.utf8))
            out.appendLengthDelimited(2, try encodeMessage(nested, as: typeName))
            return out.bytes
        }
        for textField in fields {
            let field = try resolveField(textField, in: messageName, message: message)
            let number = field.number ?? 0
            if field.label != .repeated {
                if entries[number] != nil || textField.values.count != 1 {
                    throw Failure(message: "Non-repeated field \"\(field.name ?? "")\" is specified multiple times.")
                }
            }
            entries[number, default: (field, [])].values += textField.values
        }
        var out = WireBytes()
        for number in entries.keys.sorted() {
            guard let (field, values) = entries[number] else { continue }
            let packed =
                field.label == .repeated && FileLinker.isPackable(field.type)
                && (field.options?.packed ?? (isProto3 && field.extendee == nil))
            if packed {
                var payload = WireBytes()
                for value in values { try encodeScalar(value, field: field, into: &payload, tagged: false) }
                out.appendLengthDelimited(number, payload.bytes)
                continue
            }
            for value in values {
                if field.type == .message || field.type == .group {
                    guard case .message(let nested) = value else {
                        throw Failure(message: "Expected \"{\" for message field \"\(field.name ?? "")\".")
                    }
                    let payload = try encodeMessage(nested, as: String((field.typeName ?? "").dropFirst()))
                    if message.options?.messageSetWireFormat == true && field.extendee != nil {
                        var item = WireBytes()
                        item.appendVarintField(2, UInt64(UInt32(bitPattern: number)))
                        item.appendLengthDelimited(3, payload)
                        out.appendGroup(1, item.bytes)
                    } else if field.type == .group {
                        out.appendGroup(number, payload)
                    } else {
                        out.appendLengthDelimited(number, payload)
                    }
                } else {
                    var scalar = WireBytes()
                    try encodeScalar(value, field: field, into: &scalar, tagged: false)
                    let implicit =
                        isProto3 && field.label != .repeated && field.proto3Optional != true && field.oneofIndex == nil
                        && field.extendee == nil
                    if implicit && scalar.bytes.allSatisfy({ $0 == 0 })
                        && !(field.type == .string || field.type == .bytes)
                    {
                        continue
                    }
                    if implicit && (field.type == .string || field.type == .bytes), case .string(let bytes) = value,
                        bytes.isEmpty
                    {
                        continue
                    }
                    try encodeScalar(value, field: field, into: &out, tagged: true)
                }
            }
        }
        return out.bytes
    }

    private func integer(
        _ value: TextFormatReader.Value,
        field: FieldProto
    ) throws -> (negative: Bool, magnitude: UInt64) {
        guard case .scalar(let negative, .number(let text)) = value else {
            throw Failure(message: "Expected integer, got: \(value)")
        }
        var digits = Substring(text)
        var radix = 10
        if digits.count > 1 && digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.count > 1 && digits.hasPrefix("0") {
            radix = 8
            digits = digits.dropFirst()
        }
        guard let magnitude = UInt64(digits, radix: radix) else {
            throw Failure(message: "Expected integer, got: \(text)")
        }
        return (negative, magnitude)
    }

    private func floatingPoint(_ value: TextFormatReader.Value) throws -> Double {
        guard case .scalar(let negative, let token) = value else { throw Failure(message: "Expected double.") }
        var result: Double
        switch token {
        case .number(var text):
            if text.hasSuffix("f") || text.hasSuffix("F") { text.removeLast() }
            if let parsed = Double(text) {
                result = parsed
            } else if text.hasPrefix("0x") || text.hasPrefix("0X"), let parsed = UInt64(text.dropFirst(2), radix: 16) {
                result = Double(parsed)
            } else {
                throw Failure(message: "Expected double, got: \(text)")
            }
        case .identifier(let text):
            switch text.lowercased() {
            case "inf", "infinity": result = .infinity
            case "nan": result = .nan
            default: throw Failure(message: "Expected double, got: \(text)")
            }
        default:
            throw Failure(message: "Expected double.")
        }
        if negative { result = -result }
        return result
    }

    private func encodeScalar(
        _ value: TextFormatReader.Value,
        field: FieldProto,
        into out: inout WireBytes,
        tagged: Bool
    ) throws {
        let number = field.number ?? 0
        let name = field.name ?? ""
        func signed(_ bits: Int) throws -> Int64 {
            let (negative, magnitude) = try integer(value, field: field)
            let limit: UInt64 = bits == 32 ? UInt64(Int32.max) : UInt64(Int64.max)
            guard magnitude <= limit + (negative ? 1 : 0) else {
                throw Failure(message: "Integer out of range (\(magnitude))")
            }
            return negative
                ? (magnitude == limit + 1 ? (bits == 32 ? Int64(Int32.min) : Int64.min) : -Int64(magnitude))
                : Int64(magnitude)
        }
        func unsigned(_ bits: Int) throws -> UInt64 {
            let (negative, magnitude) = try integer(value, field: field)
            guard !negative, bits == 64 || magnitude <= UInt64(UInt32.max) else {
                throw Failure(message: "Integer out of range (\(magnitude))")
            }
            return magnitude
        }
        func varint(_ raw: UInt64) {
            if tagged { out.appendVarintField(number, raw) } else { out.appendVarint(raw) }
        }
        switch field.type {
        case .int32?, .int64?: varint(UInt64(bitPattern: try signed(field.type == .int32 ? 32 : 64)))
        case .sint32?:
            let v = Int32(try signed(32))
            varint(UInt64(UInt32(bitPattern: (v << 1) ^ (v >> 31))))
        case .sint64?: varint(WireBytes.zigZag(try signed(64)))
        case .uint32?, .uint64?: varint(try unsigned(field.type == .uint32 ? 32 : 64))
        case .sfixed32?:
            let v = UInt32(bitPattern: Int32(try signed(32)))
            if tagged { out.appendFixed32Field(number, v) } else { out.appendFixed32(v) }
        case .fixed32?:
            let v = UInt32(try unsigned(32))
            if tagged { out.appendFixed32Field(number, v) } else { out.appendFixed32(v) }
        case .sfixed64?:
            let v = UInt64(bitPattern: try signed(64))
            if tagged { out.appendFixed64Field(number, v) } else { out.appendFixed64(v) }
        case .fixed64?:
            let v = try unsigned(64)
            if tagged { out.appendFixed64Field(number, v) } else { out.appendFixed64(v) }
        case .float?:
            let v = Float(try floatingPoint(value)).bitPattern
            if tagged { out.appendFixed32Field(number, v) } else { out.appendFixed32(v) }
        case .double?:
            let v = try floatingPoint(value).bitPattern
            if tagged { out.appendFixed64Field(number, v) } else { out.appendFixed64(v) }
        case .bool?:
            switch value {
            case .scalar(false, .identifier(let text)) where ["true", "True", "t"].contains(text): varint(1)
            case .scalar(false, .identifier(let text)) where ["false", "False", "f"].contains(text): varint(0)
            case .scalar(false, .number("1")): varint(1)
            case .scalar(false, .number("0")): varint(0)
            default: throw Failure(message: "Invalid value for boolean field \"\(name)\". Value: \"\(value)\".")
            }
        case .enum?:
            let enumName = String((field.typeName ?? "").dropFirst())
            switch value {
            case .scalar(false, .identifier(let text)):
                guard let enumValue = schema.enumType(enumName)?.value.first(where: { $0.name == text }) else {
                    throw Failure(message: "Unknown enumeration value of \"\(text)\" for field \"\(name)\".")
                }
                varint(UInt64(bitPattern: Int64(enumValue.number ?? 0)))
            default:
                varint(UInt64(bitPattern: try signed(32)))
            }
        case .string?, .bytes?:
            guard case .string(let bytes) = value else { throw Failure(message: "Expected string, got: \(value)") }
            if tagged {
                out.appendLengthDelimited(number, bytes)
            } else {
                out.appendVarint(UInt64(bytes.count))
                out.append(bytes)
            }
        default:
            throw Failure(message: "Unsupported field type for \"\(name)\".")
        }
    }
}
