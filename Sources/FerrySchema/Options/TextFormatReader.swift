import FerryCodec

/// Reads the protobuf text format of aggregate option values (`{ a: 1 b { c: "x" } }`) into
/// a tree of named fields, without a schema.
struct TextFormatReader {
    enum Token: Equatable {
        case identifier(String)
        case number(String)
        case string([UInt8])
        case symbol(UInt8)
    }

    indirect enum Value {
        /// A scalar: an optional minus sign and a number or identifier.
        case scalar(negative: Bool, token: Token)
        /// One or more adjacent string literals, concatenated.
        case string([UInt8])
        case message([Field])
    }

    struct Field {
        var name: String
        var isExtension: Bool
        var values: [Value]
        /// Whether the value was written in list syntax (`[1, 2]`).
        var isList: Bool
    }

    struct Failure: Error {
        var message: String
    }

    private var tokens: [Token] = []
    private var position = 0

    static func read(_ text: String) -> Result<[Field], Failure> {
        var reader = TextFormatReader()
        do {
            reader.tokens = try tokenize(Array(text.utf8))
            let fields = try reader.readFields(until: nil)
            return .success(fields)
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(message: "\(error)"))
        }
    }

    private var current: Token? { position < tokens.count ? tokens[position] : nil }

    private mutating func take(_ symbol: Character) -> Bool {
        if current == .symbol(UInt8(ascii: symbol.unicodeScalars.first ?? " ")) {
            position += 1
            return true
        }
        return false
    }

    private mutating func readFields(until close: Character?) throws -> [Field] {
        var fields: [Field] = []
        while true {
            if let close {
                if take(close) { return fields }
                if current == nil { throw Failure(message: "Expected \"\(close)\".") }
            } else if current == nil {
                return fields
            }
            fields.append(try readField())
            _ = take(";") || take(",")
        }
    }

    private mutating func readField() throws -> Field {
        var name = ""
        var isExtension = false
        if take("[") {
            isExtension = true
            while let token = current, token != .symbol(UInt8(ascii: "]")) {
                switch token {
                case .identifier(let text): name += text
                case .symbol(let byte): name += String(UnicodeScalar(byte))
                default: throw Failure(message: "Expected identifier.")
                }
                position += 1
            }
            guard take("]") else { throw Failure(message: "Expected \"]\".") }
        } else if case .identifier(let text)? = current {
            name = text
            position += 1
        } else {
            throw Failure(message: "Expected identifier, got: \(String(describing: current))")
        }
        let hadColon = take(":")
        if take("[") {
            var values: [Value] = []
            if take("]") { return Field(name: name, isExtension: isExtension, values: values, isList: true) }
            repeat {
                values.append(try readValue(allowScalar: true))
            } while take(",")
            guard take("]") else { throw Failure(message: "Expected \"]\".") }
            return Field(name: name, isExtension: isExtension, values: values, isList: true)
        }
        return Field(
            name: name,
            isExtension: isExtension,
            values: [try readValue(allowScalar: hadColon)],
            isList: false
        )
    }

    private mutating func readValue(allowScalar: Bool) throws -> Value {
        if take("{") { return .message(try readFields(until: "}")) }
        if take("<") { return .message(try readFields(until: ">")) }
        guard allowScalar else { throw Failure(message: "Expected \":\", found \"\(String(describing: current))\".") }
        if case .string? = current {
            var bytes: [UInt8] = []
            while case .string(let part)? = current {
                bytes += part
                position += 1
            }
            return .string(bytes)
        }
        let negative = take("-")
        guard let token = current else { throw Failure(message: "Expected value.") }
        switch token {
        case .identifier, .number:
            position += 1
            return .scalar(negative: negative, token: token)
        default:
            throw Failure(message: "Expected value.")
        }
    }

    // MARK: - Tokens

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 95
    }

    static func tokenize(_ bytes: [UInt8]) throws -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 11 || byte == 12 {
                i += 1
            } else if byte == UInt8(ascii: "#") {
                while i < bytes.count && bytes[i] != 10 { i += 1 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                var value: [UInt8] = []
                i += 1
                while i < bytes.count && bytes[i] != byte {
                    if bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count {
                        i += 1
                        value += unescape(bytes, &i)
                    } else {
                        value.append(bytes[i])
                        i += 1
                    }
                }
                guard i < bytes.count else { throw Failure(message: "Unterminated string literal.") }
                i += 1
                tokens.append(.string(value))
            } else if (byte >= 48 && byte <= 57)
                || (byte == UInt8(ascii: ".") && i + 1 < bytes.count && bytes[i + 1] >= 48 && bytes[i + 1] <= 57)
            {
                let start = i
                while i < bytes.count {
                    let b = bytes[i]
                    if isIdentifierByte(b) || b == UInt8(ascii: ".") {
                        i += 1
                    } else if (b == UInt8(ascii: "-") || b == UInt8(ascii: "+"))
                        && (bytes[i - 1] == UInt8(ascii: "e") || bytes[i - 1] == UInt8(ascii: "E"))
                        && !isHex(bytes[start..<i])
                    {
                        i += 1
                    } else {
                        break
                    }
                }
                tokens.append(.number(String(decoding: bytes[start..<i], as: UTF8.self)))
            } else if isIdentifierByte(byte) {
                let start = i
                while i < bytes.count && isIdentifierByte(bytes[i]) { i += 1 }
                tokens.append(.identifier(String(decoding: bytes[start..<i], as: UTF8.self)))
            } else {
                tokens.append(.symbol(byte))
                i += 1
            }
        }
        return tokens
    }

    private static func isHex(_ text: ArraySlice<UInt8>) -> Bool {
        text.count >= 2 && text[text.startIndex] == UInt8(ascii: "0")
            && (text[text.startIndex + 1] | 0x20) == UInt8(ascii: "x")
    }

    /// Decodes one escape; `i` points just after the backslash and ends after the escape.
    private static func unescape(_ bytes: [UInt8], _ i: inout Int) -> [UInt8] {
        let byte = bytes[i]
        i += 1
        switch byte {
        case UInt8(ascii: "n"): return [10]
        case UInt8(ascii: "t"): return [9]
        case UInt8(ascii: "r"): return [13]
        case UInt8(ascii: "a"): return [7]
        case UInt8(ascii: "b"): return [8]
        case UInt8(ascii: "f"): return [12]
        case UInt8(ascii: "v"): return [11]
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            var value: UInt32 = 0
            var digits = 0
            while digits < 2, i < bytes.count, let digit = hexValue(bytes[i]) {
                value = value * 16 + digit
                i += 1
                digits += 1
            }
            return [UInt8(truncatingIfNeeded: value)]
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value = UInt32(byte - 48)
            var digits = 1
            while digits < 3, i < bytes.count, bytes[i] >= 48, bytes[i] <= 55 {
                value = value * 8 + UInt32(bytes[i] - 48)
                i += 1
                digits += 1
            }
            return [UInt8(truncatingIfNeeded: value)]
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            var digits = 0
            while digits < count, i < bytes.count, let digit = hexValue(bytes[i]) {
                value = value * 16 + digit
                i += 1
                digits += 1
            }
            return Array(String(UnicodeScalar(value).map(Character.init) ?? "\u{FFFD}").utf8)
        default:
            return [byte]
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? { ASCII.hexValue(byte) }
}
