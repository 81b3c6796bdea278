/// Reads protobuf JSON into the binary encoding of a message, through the message's schema; the
/// generated decoder then builds the message from those bytes.
///
/// Keys are matched against both the JSON name and the proto name of each field; `null` leaves a
/// field unset (except for `google.protobuf.Value` and `NullValue`, where it is the value);
/// integers are accepted as numbers or strings, floats also as `"NaN"` and `"Infinity"`, bytes in
/// either base64 alphabet, enums by name or number. A key that appears twice, or two members of
/// one oneof, is an error.
struct JSONParser {
    var scanner: JSONScanner
    var writer: ForwardWireWriter
    let options: JSONDecodingOptions

    init(_ input: UnsafeBufferPointer<UInt8>, options: JSONDecodingOptions) {
        self.scanner = JSONScanner(input, recursionLimit: options.recursionLimit)
        self.writer = ForwardWireWriter(capacity: input.count)
        self.options = options
    }

    /// The field number that stands for "an element of a packed array": written without a tag.
    static let packedElement: Int32 = 0

    /// Writes the tag of field `number`, unless the value is an element of a packed array.
    @inline(__always)
    private mutating func writeTag(_ number: Int32, _ wireType: WireType) {
        if number != Self.packedElement { writer.writeTag(number, wireType) }
    }

    /// Reads the whole input as one message of `schema`.
    mutating func parseTopLevel(_ schema: MessageSchema) throws(JSONDecodingError) {
        try parseMessage(schema)
        scanner.skipWhitespace()
        guard scanner.position == scanner.input.count else {
            throw scanner.failure("characters after the end of the message")
        }
    }

    // MARK: - Messages

    mutating func parseMessage(_ schema: MessageSchema) throws(JSONDecodingError) {
        if let wellKnown = schema.wellKnown {
            try parseWellKnown(wellKnown, schema)
            return
        }
        if try scanner.beginObject() { return }
        try parseMembers(schema, skippingAnyType: false)
    }

    /// Reads members up to and including the closing `}` (the `{` is already consumed).
    mutating func parseMembers(_ schema: MessageSchema, skippingAnyType: Bool) throws(JSONDecodingError) {
        var seen = FieldSet(count: schema.fields.count)
        var seenExtensions: Set<Int32> = []
        var oneofMembers: [Int: String] = [:]
        var hint = 0
        repeat {
            let token = try scanner.readKeyToken()
            let found =
                token.escaped
                ? schema.fieldIndex(name: scanner.text(of: token))
                : schema.fieldIndex(utf8: UnsafeBufferPointer(rebasing: scanner.input[token.range]), hint: hint)
            guard let index = found else {
                let key = scanner.text(of: token)
                if key.hasPrefix("["), key.hasSuffix("]"),
                    let (extendee, field) = SchemaPool.shared.extensionField(named: String(key.dropFirst().dropLast())),
                    extendee == schema.fullName
                {
                    guard seenExtensions.insert(field.number).inserted else {
                        throw scanner.failure(.duplicateField, "extension \(key) appears twice").inside(key)
                    }
                    do throws(JSONDecodingError) {
                        if try scanner.peek() == UInt8(ascii: "n") {
                            try parseNull(field)
                        } else {
                            try parseFieldValue(field)
                        }
                    } catch {
                        throw error.inside(key)
                    }
                    continue
                }
                if (skippingAnyType && key == "@type") || options.ignoreUnknownFields {
                    try scanner.skipValue()
                    continue
                }
                throw scanner.failure(.unknownField, "\(schema.fullName) has no field named \"\(key)\"").inside(key)
            }
            hint = index + 1
            guard seen.insert(index) else {
                let key = scanner.text(of: token)
                throw scanner.failure(.duplicateField, "field \"\(key)\" appears twice").inside(key)
            }
            let field = schema.fields[index]
            do throws(JSONDecodingError) {
                if try scanner.peek() == UInt8(ascii: "n") {
                    try parseNull(field)
                    continue
                }
                if let oneof = field.oneofIndex {
                    let key = scanner.text(of: token)
                    if let other = oneofMembers[oneof] {
                        throw scanner.failure(
                            .duplicateField,
                            "\"\(key)\" and \"\(other)\" are members of the same oneof"
                        )
                    }
                    oneofMembers[oneof] = key
                }
                try parseFieldValue(field)
            } catch {
                throw error.inside(scanner.text(of: token))
            }
        } while try scanner.nextMember()
    }

    /// Reads `null` for `field`: the field stays unset, unless null is its value.
    private mutating func parseNull(_ field: FieldSchema) throws(JSONDecodingError) {
        if !field.isRepeated, field.message?.wellKnown == .value {
            // null is a Value: its null_value member, set.
            try scanner.expectLiteral("null")
            writer.writeTag(field.number, .lengthDelimited)
            writer.writeVarint(2)
            writer.writeTag(1, .varint)
            writer.writeVarint(0)
            return
        }
        if !field.isRepeated, field.enumSchema?.isNullValue == true {
            try scanner.expectLiteral("null")
            writer.writeTag(field.number, .varint)
            writer.writeVarint(0)
            return
        }
        try scanner.expectLiteral("null")
    }

    mutating func parseFieldValue(_ field: FieldSchema) throws(JSONDecodingError) {
        if field.isMap {
            try parseMap(field)
        } else if field.isRepeated {
            if try scanner.beginArray() { return }
            // Numbers, bools and enums are written packed: one tag and length for the array.
            let packed = field.isPackable
            var mark = 0
            if packed {
                writer.writeTag(field.number, .lengthDelimited)
                mark = writer.beginLengthDelimited()
            }
            defer { if packed { writer.endLengthDelimited(mark) } }
            var index = 0
            repeat {
                do throws(JSONDecodingError) {
                    if try scanner.peek() == UInt8(ascii: "n"), field.message?.wellKnown != .value,
                        field.enumSchema?.isNullValue != true
                    {
                        throw scanner.failure(.invalidValue, "null is not allowed in a repeated field")
                    }
                    try parseSingle(field, number: packed ? Self.packedElement : field.number)
                } catch {
                    throw error.inside("[\(index)]")
                }
                index += 1
            } while try scanner.nextElement()
        } else {
            try parseSingle(field, number: field.number)
        }
    }

    private mutating func parseMap(_ field: FieldSchema) throws(JSONDecodingError) {
        guard let entry = field.message, entry.fields.count == 2 else {
            throw scanner.failure(.invalidValue, "map entry type of \(field.name) is not key and value")
        }
        if try scanner.beginObject() { return }
        let keyField = entry.fields[0]
        let valueField = entry.fields[1]
        var keys: Set<String> = []
        repeat {
            let key = try scanner.readKey()
            do throws(JSONDecodingError) {
                guard keys.insert(key).inserted else {
                    throw scanner.failure(.duplicateField, "map key \"\(key)\" appears twice")
                }
                let start = writer.count
                writer.writeTag(field.number, .lengthDelimited)
                let mark = writer.beginLengthDelimited()
                try writeMapKey(key, keyField)
                if try scanner.peek() == UInt8(ascii: "n"), valueField.message?.wellKnown != .value,
                    valueField.enumSchema?.isNullValue != true
                {
                    throw scanner.failure(.invalidValue, "null is not allowed as a map value")
                }
                if try parseSingle(valueField, number: 2) {
                    writer.endLengthDelimited(mark)
                } else {
                    writer.truncate(to: start)  // an unknown enum name, ignored
                }
            } catch {
                throw error.inside("[\"\(key)\"]")
            }
        } while try scanner.nextMember()
    }

    private mutating func writeMapKey(_ key: String, _ field: FieldSchema) throws(JSONDecodingError) {
        switch field.type {
        case .string:
            writer.writeTag(1, .lengthDelimited)
            writer.writeString(key)
        case .bool:
            guard key == "true" || key == "false" else {
                throw scanner.failure(.invalidValue, "a bool map key must be \"true\" or \"false\"")
            }
            writer.writeTag(1, .varint)
            writer.writeVarint(key == "true" ? 1 : 0)
        default:
            try writeScalar(.text(key), field, number: 1)
        }
    }

    /// Reads one value of `field`'s type and writes it as field `number`; returns false when it
    /// was skipped (an unknown enum name with `ignoreUnknownFields`).
    @discardableResult
    private mutating func parseSingle(_ field: FieldSchema, number: Int32) throws(JSONDecodingError) -> Bool {
        switch field.type {
        case .message:
            guard let message = field.message else { return true }
            writeTag(number, .lengthDelimited)
            let mark = writer.beginLengthDelimited()
            try parseMessage(message)
            writer.endLengthDelimited(mark)
        case .group:
            guard let message = field.message else { return true }
            writeTag(number, .startGroup)
            try parseMessage(message)
            writeTag(number, .endGroup)
        case .enum:
            guard let value = try readEnum(field.enumSchema) else { return false }
            writeTag(number, .varint)
            writer.writeVarint(UInt64(bitPattern: Int64(value)))
        case .string:
            let token = try scanner.readStringToken()
            writeTag(number, .lengthDelimited)
            if token.escaped {
                writer.writeLengthDelimited(try scanner.unescape(token.range))
            } else {
                writer.writeLengthDelimited(UnsafeBufferPointer(rebasing: scanner.input[token.range]))
            }
        case .bytes:
            let token = try scanner.readStringToken()
            writeTag(number, .lengthDelimited)
            let valid =
                token.escaped
                ? try scanner.unescape(token.range).withUnsafeBufferPointer { writer.writeBase64Decoded($0) }
                : writer.writeBase64Decoded(UnsafeBufferPointer(rebasing: scanner.input[token.range]))
            guard valid else { throw scanner.failure(.invalidValue, "bytes must be base64") }
        case .bool:
            let value = try scanner.readBool()
            writeTag(number, .varint)
            writer.writeVarint(value ? 1 : 0)
        default:
            try writeScalar(try readNumeric(), field, number: number)
        }
        return true
    }

    private mutating func readEnum(_ schema: EnumSchema?) throws(JSONDecodingError) -> Int32? {
        if try scanner.peek() == UInt8(ascii: "\"") {
            let name = try scanner.readString()
            if let number = schema?.number(of: name) { return number }
            if options.ignoreUnknownFields { return nil }
            throw scanner.failure(.invalidValue, "\(schema?.fullName ?? "the enum") has no value named \"\(name)\"")
        }
        if let schema, schema.isNullValue, try scanner.consumeNull() { return 0 }
        guard case .number(let text) = try readNumeric(),
            let number = JSONNumbers.integer(text, in: Int64(Int32.min)...Int64(Int32.max))
        else {
            throw scanner.failure(.invalidValue, "an enum value must be a name or an int32")
        }
        let value = Int32(number)
        if let schema, schema.isClosed, schema.name(of: value) == nil {
            if options.ignoreUnknownFields { return nil }
            throw scanner.failure(.invalidValue, "\(schema.fullName) is closed and has no value \(value)")
        }
        return value
    }

    /// A number token or a string (integers and floats accept both): the input's bytes, or the
    /// text of a string that held escapes.
    enum Numeric {
        case number(UnsafeBufferPointer<UInt8>)
        case quoted(UnsafeBufferPointer<UInt8>)
        case text(String)
    }

    private mutating func readNumeric() throws(JSONDecodingError) -> Numeric {
        if try scanner.peek() == UInt8(ascii: "\"") {
            let token = try scanner.readStringToken()
            if token.escaped { return .text(scanner.text(of: token)) }
            return .quoted(UnsafeBufferPointer(rebasing: scanner.input[token.range]))
        }
        return .number(UnsafeBufferPointer(rebasing: scanner.input[try scanner.readNumberRange()]))
    }

    /// Writes a numeric field from a number token or a string.
    private mutating func writeScalar(_ value: Numeric, _ field: FieldSchema, number: Int32) throws(JSONDecodingError) {
        switch field.type {
        case .float, .double:
            let double: Double
            let isNumber: Bool
            switch value {
            case .number(let bytes):
                isNumber = true
                guard let parsed = Double(Substring(decoding: bytes, as: UTF8.self)) else {
                    throw scanner.failure(.invalidValue, "not a number")
                }
                double = parsed
            case .quoted(let bytes):
                isNumber = false
                double = try Self.quotedDouble(String(decoding: bytes, as: UTF8.self), scanner)
            case .text(let text):
                isNumber = false
                double = try Self.quotedDouble(text, scanner)
            }
            if double.isInfinite, isNumber || !Self.namesInfinity(value) {
                throw scanner.failure(
                    .invalidValue,
                    "a number is too large for a \(field.type == .double ? "double" : "float")"
                )
            }
            if field.type == .double {
                writeTag(number, .fixed64)
                writer.writeFixed64(double.bitPattern)
            } else {
                if double.isFinite, double.magnitude > Double(Float.greatestFiniteMagnitude) {
                    throw scanner.failure(.invalidValue, "\(double) is too large for a float")
                }
                writeTag(number, .fixed32)
                writer.writeFixed32(Float(double).bitPattern)
            }
        default:
            switch value {
            case .number(let bytes):
                try writeInteger(bytes, field.type, number: number)
            case .quoted(let bytes):
                guard JSONScanner.numberEnd(bytes, from: 0) == bytes.count else {
                    throw scanner.failure(
                        .invalidValue,
                        "\"\(String(decoding: bytes, as: UTF8.self))\" is not an integer"
                    )
                }
                try writeInteger(bytes, field.type, number: number)
            case .text(let text):
                guard JSONNumbers.isNumber(text) else {
                    throw scanner.failure(.invalidValue, "\"\(text)\" is not an integer")
                }
                try Array(text.utf8).withUnsafeBufferPointerTyped { (bytes) throws(JSONDecodingError) in
                    try writeInteger(bytes, field.type, number: number)
                }
            }
        }
    }

    /// A float written as a string: `"NaN"`, `"Infinity"`, `"-Infinity"` or a JSON number.
    private static func quotedDouble(_ text: String, _ scanner: JSONScanner) throws(JSONDecodingError) -> Double {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard JSONNumbers.isNumber(text), let parsed = Double(text) else {
                throw scanner.failure(.invalidValue, "\"\(text)\" is not a number")
            }
            return parsed
        }
    }

    private static func namesInfinity(_ value: Numeric) -> Bool {
        switch value {
        case .number: false
        case .quoted(let bytes): bytes.elementsEqual("Infinity".utf8) || bytes.elementsEqual("-Infinity".utf8)
        case .text(let text): text == "Infinity" || text == "-Infinity"
        }
    }

    /// Writes an integer field from the bytes of a JSON number (already checked against the grammar).
    private mutating func writeInteger(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ type: Google_Protobuf_FieldDescriptorProto.TypeEnum,
        number: Int32
    ) throws(JSONDecodingError) {
        let scanner = self.scanner
        func signed(_ range: ClosedRange<Int64>) throws(JSONDecodingError) -> Int64 {
            guard let value = JSONNumbers.integer(bytes, in: range) else {
                throw scanner.failure(
                    .invalidValue,
                    """
                    \(String(decoding: bytes, as: UTF8.self)) is not an integer in \
                    \(range.lowerBound)...\(range.upperBound)
                    """
                )
            }
            return value
        }
        func unsigned(_ max: UInt64) throws(JSONDecodingError) -> UInt64 {
            guard let value = JSONNumbers.unsigned(bytes, max: max) else {
                throw scanner.failure(
                    .invalidValue,
                    "\(String(decoding: bytes, as: UTF8.self)) is not an integer in 0...\(max)"
                )
            }
            return value
        }
        let int32Range = Int64(Int32.min)...Int64(Int32.max)
        switch type {
        case .int32:
            writeTag(number, .varint)
            writer.writeVarint(UInt64(bitPattern: try signed(int32Range)))
        case .int64:
            writeTag(number, .varint)
            writer.writeVarint(UInt64(bitPattern: try signed(Int64.min...Int64.max)))
        case .sint32:
            let value = Int32(try signed(int32Range))
            writeTag(number, .varint)
            writer.writeVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
        case .sint64:
            let value = try signed(Int64.min...Int64.max)
            writeTag(number, .varint)
            writer.writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
        case .uint32:
            writeTag(number, .varint)
            writer.writeVarint(try unsigned(UInt64(UInt32.max)))
        case .uint64:
            writeTag(number, .varint)
            writer.writeVarint(try unsigned(UInt64.max))
        case .fixed32:
            writeTag(number, .fixed32)
            writer.writeFixed32(UInt32(try unsigned(UInt64(UInt32.max))))
        case .fixed64:
            writeTag(number, .fixed64)
            writer.writeFixed64(try unsigned(UInt64.max))
        case .sfixed32:
            writeTag(number, .fixed32)
            writer.writeFixed32(UInt32(bitPattern: Int32(try signed(int32Range))))
        case .sfixed64:
            writeTag(number, .fixed64)
            writer.writeFixed64(UInt64(bitPattern: try signed(Int64.min...Int64.max)))
        default:
            throw scanner.failure(.invalidValue, "a number for a field of type \(type)")
        }
    }
}

/// Which fields of a message an object has named so far.
struct FieldSet {
    private var small: UInt64 = 0
    private var large: Set<Int> = []
    private let count: Int

    init(count: Int) { self.count = count }

    /// Adds `index`; false if it was already there.
    mutating func insert(_ index: Int) -> Bool {
        if index < 64 {
            let bit: UInt64 = 1 << UInt64(index)
            if small & bit != 0 { return false }
            small |= bit
            return true
        }
        return large.insert(index).inserted
    }
}

/// Number conversions of protobuf JSON: exact for integers written as integers, through a
/// double (which must then be integral and in range) for `1e3` or `5.0`.
enum JSONNumbers {
    /// Whether `text` is exactly one JSON number (for numbers written as strings).
    static func isNumber(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            JSONScanner.numberEnd(buffer, from: 0) == buffer.count
        }
    }

    /// The value of a JSON number (grammar already checked) if it is an integer within `range`.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, in range: ClosedRange<Int64>) -> Int64? {
        if let (negative, magnitude) = plainInteger(bytes) {
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
                let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
                return range.contains(value) ? value : nil
            }
            guard magnitude <= UInt64(Int64.max), range.contains(Int64(magnitude)) else { return nil }
            return Int64(magnitude)
        }
        guard let double = fractional(bytes), let value = Int64(exactly: double) else { return nil }
        return range.contains(value) ? value : nil
    }

    /// The value of a JSON number (grammar already checked) if it is an integer in 0...`max`.
    static func unsigned(_ bytes: UnsafeBufferPointer<UInt8>, max: UInt64) -> UInt64? {
        if let (negative, magnitude) = plainInteger(bytes) {
            if negative { return magnitude == 0 ? 0 : nil }
            return magnitude <= max ? magnitude : nil
        }
        guard let double = fractional(bytes), let value = UInt64(exactly: double) else { return nil }
        return value <= max ? value : nil
    }

    /// `-?digits` read exactly, or nil for other forms (fraction, exponent) and for more than 64 bits.
    /// A number too large for 64 bits is `(false, .max)` plus one: callers see it out of range.
    private static func plainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> (Bool, UInt64)? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            overflow = overflow || o1 || o2
            magnitude = sum
            index += 1
        }
        // Out of range either way; a magnitude past UInt64 cannot pass any check below.
        return overflow ? (true, UInt64.max) : (negative, magnitude)
    }

    /// A number with a fraction or exponent, through a double (which must then be integral).
    private static func fractional(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(Substring(decoding: bytes, as: UTF8.self))
    }
}
