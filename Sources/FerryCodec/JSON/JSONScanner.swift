/// Reads the tokens of an RFC 8259 JSON text, strictly: no comments, no trailing commas, no
/// leading zeros or `+` signs, no unescaped control characters, no lone surrogates.
///
/// The scanner works over memory its caller keeps alive and valid UTF-8 (the parser checks
/// input bytes once up front), and reports every failure as a ``JSONDecodingError`` at its
/// byte offset.
struct JSONScanner {
    let input: UnsafeBufferPointer<UInt8>
    var position = 0
    /// How many more objects or arrays may open.
    var remainingDepth: Int

    init(_ input: UnsafeBufferPointer<UInt8>, recursionLimit: Int) {
        self.input = input
        self.remainingDepth = recursionLimit
    }

    // MARK: - Basics

    func failure(_ code: JSONDecodingError.Code, _ detail: String) -> JSONDecodingError {
        JSONDecodingError(code, detail, offset: position)
    }

    /// A syntax error at the current position.
    func failure(_ detail: String) -> JSONDecodingError {
        JSONDecodingError(.malformedJSON, detail, offset: position)
    }

    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, not consumed.
    mutating func peek() throws(JSONDecodingError) -> UInt8 {
        skipWhitespace()
        guard position < input.count else { throw failure("the input ends early") }
        return input[position]
    }

    /// Consumes `byte` if it comes next.
    mutating func consume(_ byte: UInt8) throws(JSONDecodingError) -> Bool {
        guard try peek() == byte else { return false }
        position += 1
        return true
    }

    mutating func expect(_ byte: UInt8) throws(JSONDecodingError) {
        guard try consume(byte) else {
            throw failure("expected \"\(Character(Unicode.Scalar(byte)))\"")
        }
    }

    /// Consumes `null` if it comes next.
    mutating func consumeNull() throws(JSONDecodingError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONDecodingError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= input.count else { throw failure("expected \(literal)") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { input[position + $0] == expected[$0] }
        }
        guard matches else { throw failure("expected \(literal)") }
        position += count
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws(JSONDecodingError) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return false
        default: throw failure(.invalidValue, "expected true or false")
        }
    }

    // MARK: - Objects and arrays

    /// Consumes `{` and enters one level of nesting; returns whether the object is empty (and
    /// then also consumes `}`).
    mutating func beginObject() throws(JSONDecodingError) -> Bool {
        guard try peek() == UInt8(ascii: "{") else { throw failure(.invalidValue, "expected an object") }
        try enter()
        position += 1
        if try consume(UInt8(ascii: "}")) {
            remainingDepth += 1
            return true
        }
        return false
    }

    /// After a member: consumes `,` (returns true) or `}` (returns false and leaves the level).
    mutating func nextMember() throws(JSONDecodingError) -> Bool {
        if try consume(UInt8(ascii: ",")) { return true }
        guard try consume(UInt8(ascii: "}")) else { throw failure("expected \",\" or \"}\" after an object member") }
        remainingDepth += 1
        return false
    }

    /// Reads a member's key and the colon after it.
    mutating func readKey() throws(JSONDecodingError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw failure("expected an object key") }
        let key = try readString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Reads a member's key and the colon after it, as ``readStringToken()`` does.
    mutating func readKeyToken() throws(JSONDecodingError) -> (range: Range<Int>, escaped: Bool) {
        guard try peek() == UInt8(ascii: "\"") else { throw failure("expected an object key") }
        let key = try readStringToken()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// The text of a string token read by ``readStringToken()``.
    func text(of token: (range: Range<Int>, escaped: Bool)) -> String {
        if token.escaped, let bytes = try? unescape(token.range) { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: input[token.range]), as: UTF8.self)
    }

    mutating func beginArray() throws(JSONDecodingError) -> Bool {
        guard try peek() == UInt8(ascii: "[") else { throw failure(.invalidValue, "expected an array") }
        try enter()
        position += 1
        if try consume(UInt8(ascii: "]")) {
            remainingDepth += 1
            return true
        }
        return false
    }

    mutating func nextElement() throws(JSONDecodingError) -> Bool {
        if try consume(UInt8(ascii: ",")) { return true }
        guard try consume(UInt8(ascii: "]")) else { throw failure("expected \",\" or \"]\" after an array element") }
        remainingDepth += 1
        return false
    }

    private mutating func enter() throws(JSONDecodingError) {
        guard remainingDepth > 0 else { throw failure(.recursionLimitExceeded, "objects and arrays nest too deeply") }
        remainingDepth -= 1
    }

    /// Moves past one value of any type, checking that it is well-formed.
    mutating func skipValue() throws(JSONDecodingError) {
        switch try peek() {
        case UInt8(ascii: "{"):
            if try beginObject() { return }
            repeat {
                _ = try readKey()
                try skipValue()
            } while try nextMember()
        case UInt8(ascii: "["):
            if try beginArray() { return }
            repeat { try skipValue() } while try nextElement()
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: _ = try readNumberToken()
        }
    }

    // MARK: - Strings

    /// Reads a string token, resolving escapes.
    mutating func readString() throws(JSONDecodingError) -> String {
        let token = try readStringToken()
        if !token.escaped {
            return String(decoding: UnsafeBufferPointer(rebasing: input[token.range]), as: UTF8.self)
        }
        return String(decoding: try unescape(token.range), as: UTF8.self)
    }

    /// Moves past a string token and returns where its content lies (without the quotes), and
    /// whether it holds escapes; without escapes the content is the input's own bytes, which
    /// callers copy without building a `String`.
    mutating func readStringToken() throws(JSONDecodingError) -> (range: Range<Int>, escaped: Bool) {
        guard try peek() == UInt8(ascii: "\"") else { throw failure(.invalidValue, "expected a string") }
        position += 1
        let start = position
        var escaped = false
        skipPlainStringBytes()
        while position < input.count {
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                let range = start..<position
                position += 1
                // Check the escapes now, so that a token read is a valid token.
                if escaped { _ = try unescape(range) }
                return (range, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 2
                continue
            }
            guard byte >= 0x20 else { throw failure("a control character must be escaped in a string") }
            position += 1
        }
        throw failure("a string has no closing quote")
    }

    /// Moves past string content that needs no attention, eight bytes at a time: it stops at the
    /// first word holding a quote, a backslash or a control character (or a byte that only looks
    /// like one: the test may flag a byte after a real match, never miss one).
    private mutating func skipPlainStringBytes() {
        guard let base = input.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= input.count {
            // Safe: the eight bytes at `position` are inside `input`, checked just above.
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let control = (word &- ones &* 0x20) & ~word
            let zeroQuote = (quote &- ones) & ~quote
            let zeroBackslash = (backslash &- ones) & ~backslash
            if (control | zeroQuote | zeroBackslash) & highs != 0 { return }
            position += 8
        }
    }

    /// The bytes of the string content at `range`, escapes resolved.
    func unescape(_ range: Range<Int>) throws(JSONDecodingError) -> [UInt8] {
        var reader = self
        reader.position = range.lowerBound
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        while reader.position < range.upperBound {
            let byte = reader.input[reader.position]
            reader.position += 1
            if byte == UInt8(ascii: "\\") {
                try reader.readEscape(into: &bytes)
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    }

    private mutating func readEscape(into bytes: inout [UInt8]) throws(JSONDecodingError) {
        guard position < input.count else { throw failure("the input ends inside an escape") }
        let byte = input[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(byte)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard position + 1 < input.count, input[position] == UInt8(ascii: "\\"),
                    input[position + 1] == UInt8(ascii: "u")
                else {
                    throw failure("a high surrogate is not followed by a low surrogate")
                }
                position += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw failure("a high surrogate is not followed by a low surrogate")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("a low surrogate without a high one")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("an escape names no character") }
            bytes.append(contentsOf: String(Character(unicode)).utf8)
        default:
            position -= 1
            throw failure("unknown escape \"\\\(Character(Unicode.Scalar(byte)))\"")
        }
    }

    private mutating func readHex4() throws(JSONDecodingError) -> UInt32 {
        guard position + 4 <= input.count else { throw failure("the input ends inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = ASCII.hexValue(input[position]) else {
                throw failure("a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    // MARK: - Numbers

    /// Reads a number token, checking RFC 8259's grammar, and returns its text.
    mutating func readNumberToken() throws(JSONDecodingError) -> Substring {
        Substring(decoding: UnsafeBufferPointer(rebasing: input[try readNumberRange()]), as: UTF8.self)
    }

    /// Reads a number token, checking RFC 8259's grammar, and returns where it lies.
    mutating func readNumberRange() throws(JSONDecodingError) -> Range<Int> {
        skipWhitespace()
        let start = position
        guard let end = Self.numberEnd(input, from: position) else {
            throw failure(.invalidValue, "expected a number")
        }
        position = end
        return start..<end
    }

    /// Where a JSON number starting at `start` ends, or `nil` if none starts there.
    static func numberEnd(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        func isDigit(_ i: Int) -> Bool {
            i < text.count && text[i] >= UInt8(ascii: "0") && text[i] <= UInt8(ascii: "9")
        }
        if index < text.count, text[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return nil }
        if text[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { return nil }  // leading zero
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        if index < text.count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        return index
    }
}
