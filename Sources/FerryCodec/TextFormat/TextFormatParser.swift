/// Reads protobuf's text format into the binary encoding of a message, through the message's
/// schema; the generated decoder then builds the message from those bytes.
///
/// The grammar is protobuf's text-format specification: `name: value` and `name { ... }` (or
/// `< ... >`), an optional `:` before a message, `[a, b]` lists for repeated fields, `,` or `;`
/// after a field, `#` comments, adjacent string literals joined, C escapes, integers in decimal,
/// hex and octal, `inf` and `nan`, groups by type name, maps as repeated entries, and expanded
/// Any (`[type.googleapis.com/pkg.T] { ... }`). A non-repeated field given twice, or two members
/// of one oneof, is an error.
struct TextFormatParser {
    let input: UnsafeBufferPointer<UInt8>
    var position = 0
    var writer: ForwardWireWriter
    let options: TextFormatDecodingOptions
    private var remainingDepth: Int

    init(_ input: UnsafeBufferPointer<UInt8>, options: TextFormatDecodingOptions) {
        self.input = input
        self.options = options
        self.writer = ForwardWireWriter(capacity: input.count)
        self.remainingDepth = options.recursionLimit
    }

    // MARK: - Errors and tokens

    func failure(_ detail: String) -> TextFormatDecodingError {
        var line = 1
        var column = 1
        for byte in input[..<min(position, input.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return TextFormatDecodingError(line: line, column: column, detail: detail)
    }

    /// Skips whitespace and `#` comments; returns the next byte, or nil at the end.
    mutating func peek() -> UInt8? {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09, 0x0B, 0x0C: position += 1
            case UInt8(ascii: "#"):
                while position < input.count, input[position] != UInt8(ascii: "\n") { position += 1 }
            default: return input[position]
            }
        }
        return nil
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    mutating func expect(_ byte: UInt8) throws(TextFormatDecodingError) {
        guard consume(byte) else { throw failure("expected \"\(Character(Unicode.Scalar(byte)))\"") }
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    /// An identifier, or a number-like token (`-12`, `0x1F`, `1.5e3f`, `-inf`): letters, digits,
    /// `_`, `.`, and `+`/`-` after an exponent.
    mutating func readToken() throws(TextFormatDecodingError) -> String {
        guard peek() != nil else { throw failure("the input ends early") }
        let start = position
        if input[position] == UInt8(ascii: "-") { position += 1 }
        while position < input.count {
            let byte = input[position]
            if Self.isIdentifierByte(byte) || byte == UInt8(ascii: ".") {
                position += 1
            } else if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"), position > start,
                input[position - 1] == UInt8(ascii: "e") || input[position - 1] == UInt8(ascii: "E"),
                input[start] != UInt8(ascii: "0") || position - start < 2
                    || (input[start + 1] != UInt8(ascii: "x") && input[start + 1] != UInt8(ascii: "X"))
            {
                position += 1
            } else {
                break
            }
        }
        guard position > start else { throw failure("expected a value") }
        return String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
    }

    /// One or more adjacent quoted strings, joined, escapes resolved.
    mutating func readStrings() throws(TextFormatDecodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        guard let first = peek(), first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") else {
            throw failure("expected a quoted string")
        }
        while let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            position += 1
            while true {
                guard position < input.count else { throw failure("a string has no closing quote") }
                let byte = input[position]
                position += 1
                if byte == quote { break }
                if byte == UInt8(ascii: "\n") { throw failure("a string runs past the end of its line") }
                if byte == UInt8(ascii: "\\") {
                    try readEscape(into: &bytes)
                } else {
                    bytes.append(byte)
                }
            }
        }
        return bytes
    }

    private mutating func readEscape(into bytes: inout [UInt8]) throws(TextFormatDecodingError) {
        guard position < input.count else { throw failure("the input ends inside an escape") }
        let byte = input[position]
        position += 1
        func digits(_ count: Int, radix: UInt32, minimum: Int) throws(TextFormatDecodingError) -> UInt32 {
            var value: UInt32 = 0
            var read = 0
            while read < count, position < input.count, let digit = ASCII.hexValue(input[position]), digit < radix {
                value = value * radix + digit
                position += 1
                read += 1
            }
            guard read >= minimum else { throw failure("an escape is missing its digits") }
            return value
        }
        if let simple = ASCII.simpleEscape(byte) {
            bytes.append(simple)
            return
        }
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            position -= 1
            let value = try digits(3, radix: 8, minimum: 1)
            guard value <= 0xFF else { throw failure("an octal escape is above \\377") }
            bytes.append(UInt8(value))
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            bytes.append(UInt8(try digits(2, radix: 16, minimum: 1)))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let value = try digits(
                byte == UInt8(ascii: "u") ? 4 : 8,
                radix: 16,
                minimum: byte == UInt8(ascii: "u") ? 4 : 8
            )
            guard let scalar = Unicode.Scalar(value) else {
                throw failure("\\\(Character(Unicode.Scalar(byte))) names no character (a surrogate or above U+10FFFF)")
            }
            bytes.append(contentsOf: String(Character(scalar)).utf8)
        default:
            throw failure("unknown escape \"\\\(Character(Unicode.Scalar(byte)))\"")
        }
    }

    // MARK: - Messages

    /// Reads fields until `terminator` (consumed), or the end of the input when it is nil.
    mutating func parseMessage(_ schema: MessageSchema, terminator: UInt8?) throws(TextFormatDecodingError) {
        guard remainingDepth > 0 else { throw failure("messages nest deeper than \(options.recursionLimit)") }
        remainingDepth -= 1
        defer { remainingDepth += 1 }
        var seen = FieldSet(count: schema.fields.count)
        var oneofMembers: [Int: String] = [:]
        while true {
            guard let next = peek() else {
                if terminator == nil { return }
                throw failure("the input ends inside a message")
            }
            if let terminator, next == terminator {
                position += 1
                return
            }
            if next == UInt8(ascii: "[") {
                try parseBracketed(schema)
            } else {
                let name = try readToken()
                guard let index = Self.fieldIndex(schema, name) else {
                    throw failure("\(schema.fullName) has no field named \"\(name)\"")
                }
                let field = schema.fields[index]
                if !field.isRepeated {
                    guard seen.insert(index) else { throw failure("field \"\(name)\" is given twice") }
                }
                if let oneof = field.oneofIndex {
                    if let other = oneofMembers[oneof], other != name {
                        throw failure("\"\(name)\" and \"\(other)\" are members of the same oneof")
                    }
                    oneofMembers[oneof] = name
                }
                try parseField(field)
            }
            if !consume(UInt8(ascii: ";")) { _ = consume(UInt8(ascii: ",")) }
        }
    }

    /// A field by its name; a group also by its type name (how protoc prints it).
    private static func fieldIndex(_ schema: MessageSchema, _ name: String) -> Int? {
        if let index = schema.fields.firstIndex(where: { $0.name == name && !$0.isGroupSyntax }) { return index }
        return schema.fields.firstIndex { field in
            field.isGroupSyntax
                && (field.message?.fullName.split(separator: ".").last.map(String.init) == name || field.name == name)
        }
    }

    private mutating func parseField(_ field: FieldSchema) throws(TextFormatDecodingError) {
        if field.message != nil {
            _ = consume(UInt8(ascii: ":"))
            if field.isRepeated, consume(UInt8(ascii: "[")) {
                if consume(UInt8(ascii: "]")) { return }
                repeat { try parseMessageValue(field) } while consume(UInt8(ascii: ","))
                try expect(UInt8(ascii: "]"))
            } else {
                try parseMessageValue(field)
            }
            return
        }
        try expect(UInt8(ascii: ":"))
        if field.isRepeated, consume(UInt8(ascii: "[")) {
            if consume(UInt8(ascii: "]")) { return }
            repeat { try parseScalar(field, number: field.number) } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        } else {
            try parseScalar(field, number: field.number)
        }
    }

    private mutating func parseMessageValue(_ field: FieldSchema) throws(TextFormatDecodingError) {
        guard let message = field.message else { return }
        let terminator: UInt8
        if consume(UInt8(ascii: "{")) {
            terminator = UInt8(ascii: "}")
        } else if consume(UInt8(ascii: "<")) {
            terminator = UInt8(ascii: ">")
        } else {
            throw failure("expected \"{\" or \"<\" to open \(field.name)")
        }
        if field.type == .group {
            writer.writeTag(field.number, .startGroup)
            try parseMessage(message, terminator: terminator)
            writer.writeTag(field.number, .endGroup)
        } else {
            writer.writeTag(field.number, .lengthDelimited)
            let mark = writer.beginLengthDelimited()
            try parseMessage(message, terminator: terminator)
            writer.endLengthDelimited(mark)
        }
    }

    /// `[pkg.ext]: value`, an extension, or `[type.googleapis.com/pkg.T] { ... }` inside an Any.
    private mutating func parseBracketed(_ schema: MessageSchema) throws(TextFormatDecodingError) {
        position += 1
        var name: [UInt8] = []
        while let next = peek(), next != UInt8(ascii: "]") {
            name.append(next)
            position += 1
        }
        try expect(UInt8(ascii: "]"))
        let text = String(decoding: name, as: UTF8.self)
        guard text.contains("/") else {
            guard let (extendee, field) = SchemaPool.shared.extensionField(named: text), extendee == schema.fullName
            else {
                throw failure("[\(text)] is not an extension of \(schema.fullName) that a registered file declares")
            }
            try parseField(field)
            return
        }
        guard schema.wellKnown == .any else {
            throw failure("[\(text)] expands an Any, but \(schema.fullName) is not one")
        }
        guard let content = options.typeRegistry.schema(forTypeURL: text) else {
            throw failure("\"\(text)\" is not in the type registry")
        }
        _ = consume(UInt8(ascii: ":"))
        let terminator: UInt8
        if consume(UInt8(ascii: "{")) {
            terminator = UInt8(ascii: "}")
        } else {
            try expect(UInt8(ascii: "<"))
            terminator = UInt8(ascii: ">")
        }
        writer.writeTag(1, .lengthDelimited)
        writer.writeString(text)
        writer.writeTag(2, .lengthDelimited)
        let mark = writer.beginLengthDelimited()
        try parseMessage(content, terminator: terminator)
        writer.endLengthDelimited(mark)
    }

    // MARK: - Scalars

    private mutating func parseScalar(_ field: FieldSchema, number: Int32) throws(TextFormatDecodingError) {
        switch field.type {
        case .string, .bytes:
            let bytes = try readStrings()
            if field.type == .string, !bytes.withUnsafeBufferPointer({ UTF8Validation.isValid($0) }) {
                throw failure("\(field.name) is a string, and its value is not valid UTF-8")
            }
            writer.writeTag(number, .lengthDelimited)
            writer.writeLengthDelimited(bytes)
        case .bool:
            let token = try readToken()
            let value: Bool
            switch token {
            case "true", "True", "t", "1": value = true
            case "false", "False", "f", "0": value = false
            default: throw failure("\"\(token)\" is not a bool")
            }
            writer.writeTag(number, .varint)
            writer.writeVarint(value ? 1 : 0)
        case .enum:
            let token = try readToken()
            let value: Int32
            if let number = field.enumSchema?.number(of: token) {
                value = number
            } else if let parsed = Self.integer(token), let signed = parsed.signed, let number = Int32(exactly: signed)
            {
                if let schema = field.enumSchema, schema.isClosed, schema.name(of: number) == nil {
                    throw failure("\(schema.fullName) has no value \(number)")
                }
                value = number
            } else {
                throw failure("\(field.enumSchema?.fullName ?? "the enum") has no value named \"\(token)\"")
            }
            writer.writeTag(number, .varint)
            writer.writeVarint(UInt64(bitPattern: Int64(value)))
        case .float, .double:
            let token = try readToken()
            guard let value = Self.floatingPoint(token) else { throw failure("\"\(token)\" is not a number") }
            if field.type == .double {
                writer.writeTag(number, .fixed64)
                writer.writeFixed64(value.bitPattern)
            } else {
                writer.writeTag(number, .fixed32)
                writer.writeFixed32(Float(value).bitPattern)
            }
        default:
            let token = try readToken()
            guard let parsed = Self.integer(token) else { throw failure("\"\(token)\" is not an integer") }
            try writeInteger(parsed, field.type, number: number, token: token)
        }
    }

    private mutating func writeInteger(
        _ parsed: (negative: Bool, magnitude: UInt64, signed: Int64?),
        _ type: Google_Protobuf_FieldDescriptorProto.TypeEnum,
        number: Int32,
        token: String
    ) throws(TextFormatDecodingError) {
        func signed(_ range: ClosedRange<Int64>) throws(TextFormatDecodingError) -> Int64 {
            guard let value = parsed.signed, range.contains(value) else {
                throw failure("\(token) is out of range for \(type)")
            }
            return value
        }
        func unsigned(_ max: UInt64) throws(TextFormatDecodingError) -> UInt64 {
            guard !parsed.negative || parsed.magnitude == 0, parsed.magnitude <= max else {
                throw failure("\(token) is out of range for \(type)")
            }
            return parsed.magnitude
        }
        let int32Range = Int64(Int32.min)...Int64(Int32.max)
        switch type {
        case .int32, .int64:
            writer.writeTag(number, .varint)
            writer.writeVarint(UInt64(bitPattern: try signed(type == .int32 ? int32Range : Int64.min...Int64.max)))
        case .sint32:
            let value = Int32(try signed(int32Range))
            writer.writeTag(number, .varint)
            writer.writeVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
        case .sint64:
            let value = try signed(Int64.min...Int64.max)
            writer.writeTag(number, .varint)
            writer.writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
        case .uint32, .uint64:
            writer.writeTag(number, .varint)
            writer.writeVarint(try unsigned(type == .uint32 ? UInt64(UInt32.max) : UInt64.max))
        case .fixed32:
            writer.writeTag(number, .fixed32)
            writer.writeFixed32(UInt32(try unsigned(UInt64(UInt32.max))))
        case .fixed64:
            writer.writeTag(number, .fixed64)
            writer.writeFixed64(try unsigned(UInt64.max))
        case .sfixed32:
            writer.writeTag(number, .fixed32)
            writer.writeFixed32(UInt32(bitPattern: Int32(try signed(int32Range))))
        case .sfixed64:
            writer.writeTag(number, .fixed64)
            writer.writeFixed64(UInt64(bitPattern: try signed(Int64.min...Int64.max)))
        default:
            throw failure("an integer for a field of type \(type)")
        }
    }

    /// An integer token: decimal, `0x` hex or `0` octal, with an optional `-`.
    static func integer(_ token: String) -> (negative: Bool, magnitude: UInt64, signed: Int64?)? {
        var text = Substring(token)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        let magnitude: UInt64?
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            magnitude = UInt64(text.dropFirst(2), radix: 16)
        } else if text.count > 1, text.hasPrefix("0") {
            magnitude = UInt64(text.dropFirst(), radix: 8)
        } else {
            magnitude = text.allSatisfy({ $0.isASCII && $0.isNumber }) ? UInt64(text) : nil
        }
        guard let magnitude else { return nil }
        let signed: Int64?
        if negative {
            signed =
                magnitude <= UInt64(Int64.max)
                ? -Int64(magnitude) : (magnitude == UInt64(Int64.max) + 1 ? Int64.min : nil)
        } else {
            signed = magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
        }
        return (negative, magnitude, signed)
    }

    /// A float token: a decimal number (optionally with an `f` suffix), an integer, or
    /// `inf`/`infinity`/`nan` in any case, with an optional `-`.
    static func floatingPoint(_ token: String) -> Double? {
        var text = Substring(token)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        let sign: Double = negative ? -1 : 1
        switch text.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        // No hex or octal for floats: "012" is not twelve, nor ten.
        if text.count > 1, text.hasPrefix("0"), let second = text.dropFirst().first, second != ".", second != "e",
            second != "E"
        {
            return nil
        }
        if text.hasSuffix("f") || text.hasSuffix("F") { text = text.dropLast() }
        guard let first = text.first, first.isNumber || first == ".",
            text.allSatisfy({ $0.isASCII && ($0.isNumber || "eE.+-".contains($0)) }),
            let value = Double(text)
        else { return nil }
        return sign * value
    }
}
