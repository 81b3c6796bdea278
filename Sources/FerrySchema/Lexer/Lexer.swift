import FerryCodec

/// Splits `.proto` text into tokens the way protoc's tokenizer does, reporting malformed
/// literals and stray characters as diagnostics and carrying on.
///
/// Comments are not tokens: they are kept as ``Trivia`` so that the parser can attach leading,
/// trailing and detached comments to declarations.
public struct Lexer {
    private let file: SourceFile
    private let bytes: [UInt8]
    private var offset = 0
    private var line = 0
    private var column = 0
    private var tokens: [Token] = []
    private var trivia: [Trivia] = []
    private var triviaStart = 0
    private(set) var diagnostics: [Diagnostic] = []

    private init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
    }

    /// Tokenizes the whole file; the returned diagnostics are lexical errors only.
    public static func tokenize(_ file: SourceFile) -> (stream: TokenStream, diagnostics: [Diagnostic]) {
        var lexer = Lexer(file: file)
        lexer.run()
        return (TokenStream(tokens: lexer.tokens, trivia: lexer.trivia), lexer.diagnostics)
    }

    // MARK: - Scanning

    private var current: UInt8 { offset < bytes.count ? bytes[offset] : 0 }
    private func peek(_ distance: Int) -> UInt8 {
        offset + distance < bytes.count ? bytes[offset + distance] : 0
    }
    private var atEnd: Bool { offset >= bytes.count }
    private var location: SourceLocation { SourceLocation(offset: offset, line: line + 1, column: column + 1) }

    private mutating func advance() {
        guard offset < bytes.count else { return }
        let byte = bytes[offset]
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 0
        } else {
            column = LineIndex.advance(column: column, over: byte)
        }
        offset += 1
    }

    private mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(.error(message, at: SourceSpan(file: file.name, at: location)))
    }

    private mutating func error(_ message: String) { error(message, at: location) }

    private mutating func run() {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
        while true {
            skipTrivia()
            if atEnd { break }
            lexToken()
        }
        let here = location
        tokens.append(Token(kind: .end, text: "", start: here, end: here, triviaRange: triviaStart..<trivia.count))
    }

    private mutating func skipTrivia() {
        while !atEnd {
            let byte = current
            switch byte {
            case UInt8(ascii: "\n"):
                trivia.append(.newline)
                advance()
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                advance()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                advance()
                advance()
                let start = offset
                while !atEnd && current != UInt8(ascii: "\n") { advance() }
                if !atEnd { advance() }
                trivia.append(.lineComment(String(decoding: bytes[start..<offset], as: UTF8.self)))
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                lexBlockComment()
            default:
                return
            }
        }
    }

    private mutating func lexBlockComment() {
        let start = location
        advance()
        advance()
        var content: [UInt8] = []
        var recordFrom = offset
        while true {
            while !atEnd, current != UInt8(ascii: "*"), current != UInt8(ascii: "/"), current != UInt8(ascii: "\n") {
                advance()
            }
            if atEnd {
                error("End-of-file inside block comment.", at: start)
                content += bytes[recordFrom..<offset]
                break
            }
            if current == UInt8(ascii: "\n") {
                advance()
                content += bytes[recordFrom..<offset]
                while current == UInt8(ascii: " ") || current == UInt8(ascii: "\t") || current == UInt8(ascii: "\r")
                    || current == 0x0B || current == 0x0C
                {
                    advance()
                }
                if current == UInt8(ascii: "*") {
                    advance()
                    if current == UInt8(ascii: "/") {
                        advance()
                        recordFrom = offset
                        break
                    }
                }
                recordFrom = offset
            } else if current == UInt8(ascii: "*") {
                advance()
                if current == UInt8(ascii: "/") {
                    content += bytes[recordFrom..<(offset - 1)]
                    advance()
                    break
                }
            } else {
                advance()
                if current == UInt8(ascii: "*") {
                    error("\"/*\" inside block comment.  Block comments cannot be nested.")
                }
            }
        }
        trivia.append(.blockComment(String(decoding: content, as: UTF8.self)))
    }

    // MARK: - Tokens

    private mutating func lexToken() {
        let start = location
        let byte = current
        let kind: TokenKind
        var value: [UInt8] = []
        if Self.isLetter(byte) {
            while Self.isLetter(current) || Self.isDigit(current) { advance() }
            kind = .identifier
        } else if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && Self.isDigit(peek(1))) {
            kind = lexNumber()
        } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            value = lexString(quote: byte)
            kind = .string
        } else if byte >= 0x80 {
            error("Interpreting non ascii codepoint \(byte).")
            advance()
            return
        } else if byte < 0x20 || byte == 0x7F {
            error("Invalid control characters encountered in text.")
            advance()
            return
        } else {
            advance()
            kind = .symbol
        }
        let text = String(decoding: bytes[start.offset..<offset], as: UTF8.self)
        tokens.append(
            Token(
                kind: kind,
                text: text,
                start: start,
                end: location,
                stringValue: value,
                triviaRange: triviaStart..<trivia.count
            )
        )
        triviaStart = trivia.count
    }

    private mutating func lexNumber() -> TokenKind {
        var isFloat = false
        if current == UInt8(ascii: "0") && (peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X")) {
            advance()
            advance()
            if !Self.isHexDigit(current) { error("\"0x\" must be followed by hex digits.") }
            while Self.isHexDigit(current) { advance() }
            if current == UInt8(ascii: ".") { error("Hex and octal numbers must be integers.") }
        } else if current == UInt8(ascii: "0") && Self.isDigit(peek(1)) {
            advance()
            while current >= UInt8(ascii: "0") && current <= UInt8(ascii: "7") { advance() }
            if Self.isDigit(current) {
                error("Numbers starting with leading zero must be in octal.")
                while Self.isDigit(current) { advance() }
            }
            if current == UInt8(ascii: ".") { error("Hex and octal numbers must be integers.") }
        } else {
            if current == UInt8(ascii: ".") {
                isFloat = true
                advance()
            }
            while Self.isDigit(current) { advance() }
            if !isFloat && current == UInt8(ascii: ".") {
                isFloat = true
                advance()
                while Self.isDigit(current) { advance() }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                isFloat = true
                advance()
                if current == UInt8(ascii: "-") || current == UInt8(ascii: "+") { advance() }
                if !Self.isDigit(current) { error("\"e\" must be followed by exponent.") }
                while Self.isDigit(current) { advance() }
            }
            if current == UInt8(ascii: ".") {
                error("Already saw decimal point or exponent; can't have another one.")
            }
        }
        if Self.isLetter(current) {
            error("Need space between number and identifier.")
        }
        return isFloat ? .float : .integer
    }

    /// Scans a string literal and returns its decoded bytes.
    private mutating func lexString(quote: UInt8) -> [UInt8] {
        advance()
        var value: [UInt8] = []
        while true {
            if atEnd {
                error("Unexpected end of string.")
                return value
            }
            let byte = current
            if byte == UInt8(ascii: "\n") {
                error("String literals cannot cross line boundaries.")
                return value
            }
            if byte == quote {
                advance()
                return value
            }
            if byte == UInt8(ascii: "\\") {
                let escapeStart = location
                advance()
                lexEscape(into: &value, at: escapeStart)
            } else {
                value.append(byte)
                advance()
            }
        }
    }

    private mutating func lexEscape(into value: inout [UInt8], at escapeStart: SourceLocation) {
        let byte = current
        switch byte {
        case let letter where ASCII.simpleEscape(letter) != nil: value.append(ASCII.simpleEscape(letter) ?? letter)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var code = 0
            var count = 0
            while count < 3, current >= UInt8(ascii: "0"), current <= UInt8(ascii: "7") {
                code = code * 8 + Int(current - UInt8(ascii: "0"))
                advance()
                count += 1
            }
            value.append(UInt8(truncatingIfNeeded: code))
            return
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            advance()
            guard let first = Self.hexValue(current) else {
                error("Expected hex digits for escape sequence.", at: escapeStart)
                return
            }
            advance()
            var code = first
            if let second = Self.hexValue(current) {
                code = code * 16 + second
                advance()
            }
            value.append(UInt8(truncatingIfNeeded: code))
            return
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = byte == UInt8(ascii: "u") ? 4 : 8
            advance()
            var code: UInt32 = 0
            for _ in 0..<digits {
                guard let digit = Self.hexValue(current) else {
                    error(
                        digits == 4
                            ? "Expected four hex digits for \\u escape sequence."
                            : "Expected eight hex digits up to 10ffff for \\U escape sequence",
                        at: escapeStart
                    )
                    return
                }
                code = code &* 16 &+ UInt32(digit)
                advance()
            }
            if digits == 8 && code > 0x10FFFF {
                error("Expected eight hex digits up to 10ffff for \\U escape sequence", at: escapeStart)
                return
            }
            appendCodePoint(code, into: &value)
            return
        default:
            error("Invalid escape sequence in string literal.", at: escapeStart)
            if atEnd || byte == UInt8(ascii: "\n") { return }
        }
        advance()
    }

    /// Appends `code` as UTF-8, joining a `\uD8xx\uDCxx` surrogate pair that follows.
    private mutating func appendCodePoint(_ code: UInt32, into value: inout [UInt8]) {
        var code = code
        if (0xD800...0xDBFF).contains(code), current == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u"),
            let low = hexNumber(at: offset + 2, digits: 4), (0xDC00...0xDFFF).contains(low)
        {
            for _ in 0..<6 { advance() }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        switch code {
        case 0..<0x80:
            value.append(UInt8(code))
        case 0x80..<0x800:
            value.append(UInt8(0xC0 | (code >> 6)))
            value.append(UInt8(0x80 | (code & 0x3F)))
        case 0x800..<0x10000:
            value.append(UInt8(0xE0 | (code >> 12)))
            value.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
            value.append(UInt8(0x80 | (code & 0x3F)))
        default:
            value.append(UInt8(0xF0 | ((code >> 18) & 0x07)))
            value.append(UInt8(0x80 | ((code >> 12) & 0x3F)))
            value.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
            value.append(UInt8(0x80 | (code & 0x3F)))
        }
    }

    private func hexNumber(at start: Int, digits: Int) -> UInt32? {
        guard start + digits <= bytes.count else { return nil }
        var code: UInt32 = 0
        for index in start..<(start + digits) {
            guard let digit = Self.hexValue(bytes[index]) else { return nil }
            code = code * 16 + UInt32(digit)
        }
        return code
    }

    // MARK: - Character classes

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isHexDigit(_ byte: UInt8) -> Bool { hexValue(byte) != nil }

    static func hexValue(_ byte: UInt8) -> Int? { ASCII.hexValue(byte).map(Int.init) }
}
