import Testing

@testable import FerrySchema

@Suite struct LexerTests {
    private func lex(_ text: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        let (stream, diagnostics) = Lexer.tokenize(SourceFile(name: "t.proto", text: text))
        return (Array(stream.tokens.dropLast()), diagnostics)
    }

    private func kinds(_ text: String) -> [TokenKind] { lex(text).tokens.map(\.kind) }

    @Test("identifiers, including inf and nan, are identifiers")
    func identifiers() {
        let (tokens, diagnostics) = lex("foo _bar Baz9 inf nan")
        #expect(tokens.map(\.text) == ["foo", "_bar", "Baz9", "inf", "nan"])
        #expect(tokens.allSatisfy { $0.kind == .identifier })
        #expect(diagnostics.isEmpty)
    }

    @Test(
        "integer literals in decimal, octal and hex",
        arguments: [
            ("0", UInt64(0)), ("42", 42), ("017", 15), ("0x1F", 31), ("0XfF", 255), ("18446744073709551615", .max),
        ]
    )
    func integers(text: String, value: UInt64) {
        let (tokens, diagnostics) = lex(text)
        #expect(tokens.map(\.kind) == [.integer])
        #expect(ProtoParser.integerValue(tokens[0].text) == value)
        #expect(diagnostics.isEmpty)
    }

    @Test("integers past 64 bits lex but do not convert")
    func overflow() {
        #expect(ProtoParser.integerValue("18446744073709551616") == nil)
        #expect(ProtoParser.integerValue("0x10000000000000000") == nil)
    }

    @Test("float literals", arguments: ["1.5", ".5", "5.", "1e10", "1E-3", "2.5e+7", "0.0"])
    func floats(text: String) {
        let (tokens, diagnostics) = lex(text)
        #expect(tokens.map(\.kind) == [.float])
        #expect(tokens[0].text == text)
        #expect(diagnostics.isEmpty)
    }

    @Test("float values", arguments: [("1.5", 1.5), (".5", 0.5), ("5.", 5.0), ("1e10", 1e10), ("2.5e+7", 2.5e7)])
    func floatValues(text: String, value: Double) {
        #expect(ProtoParser.floatValue(text) == value)
    }

    @Test(
        "malformed numbers are diagnosed",
        arguments: [
            ("1.5f", "Need space between number and identifier."),
            ("0x", "\"0x\" must be followed by hex digits."),
            ("019", "Numbers starting with leading zero must be in octal."),
            ("1e", "\"e\" must be followed by exponent."),
            ("1.2.3", "Already saw decimal point or exponent; can't have another one."),
            ("0x1.5", "Hex and octal numbers must be integers."),
            ("12abc", "Need space between number and identifier."),
        ]
    )
    func badNumbers(text: String, message: String) {
        #expect(lex(text).diagnostics.map(\.message).contains(message))
    }

    @Test(
        "string escapes decode",
        arguments: [
            (#""a\ab\bf\fn\nr\rt\tv\v""#, Array("a\u{07}b\u{08}f\u{0C}n\nr\rt\tv\u{0B}".utf8)),
            (#"'\\ \' \" \?'"#, Array("\\ ' \" ?".utf8)),
            (#""\101\0\7\777""#, [0x41, 0, 7, 0xFF]),
            (#""\x41\x4a\xf""#, [0x41, 0x4A, 0x0F]),
            (#""\u00e9\u20AC""#, Array("é€".utf8)),
            (#""\U0001F600""#, Array("😀".utf8)),
            (#""\ud83d\ude00""#, Array("😀".utf8)),
            (#"'single "quoted"'"#, Array("single \"quoted\"".utf8)),
            (#""é raw""#, Array("é raw".utf8)),
        ]
    )
    func strings(text: String, value: [UInt8]) {
        let (tokens, diagnostics) = lex(text)
        #expect(tokens.map(\.kind) == [.string])
        #expect(tokens.first?.stringValue == value)
        #expect(diagnostics.isEmpty)
    }

    @Test(
        "malformed strings are diagnosed",
        arguments: [
            (#""abc"#, "Unexpected end of string."),
            ("\"abc\ndef\"", "String literals cannot cross line boundaries."),
            (#""\q""#, "Invalid escape sequence in string literal."),
            (#""\xg""#, "Expected hex digits for escape sequence."),
            (#""\u12""#, "Expected four hex digits for \u{5C}u escape sequence."),
            (#""\U00110000""#, "Expected eight hex digits up to 10ffff for \u{5C}U escape sequence"),
        ]
    )
    func badStrings(text: String, message: String) {
        #expect(lex(text).diagnostics.map(\.message).contains(message))
    }

    @Test("symbols are single characters and '-' is separate from numbers")
    func symbols() {
        let (tokens, _) = lex("{}[]()<>=;,.-5:/")
        #expect(tokens.map(\.text) == ["{", "}", "[", "]", "(", ")", "<", ">", "=", ";", ",", ".", "-", "5", ":", "/"])
        #expect(tokens[13].kind == .integer)
    }

    @Test("comments become trivia with protoc's text")
    func comments() {
        let (stream, diagnostics) = Lexer.tokenize(
            SourceFile(name: "t.proto", text: "a // line\n/* block\n * more */ b /**/c")
        )
        #expect(diagnostics.isEmpty)
        #expect(stream.tokens.map(\.text) == ["a", "b", "c", ""])
        #expect(stream.trivia == [.lineComment(" line\n"), .blockComment(" block\n more "), .blockComment("")])
        #expect(stream.tokens[1].triviaRange == 0..<2)
    }

    @Test("unterminated and nested block comments are diagnosed")
    func badComments() {
        #expect(lex("/* open").diagnostics.map(\.message) == ["End-of-file inside block comment."])
        #expect(lex("/* a /* b */").diagnostics.map(\.message).first?.hasPrefix("\"/*\" inside block comment") == true)
    }

    @Test("stray bytes are reported and skipped")
    func strayBytes() {
        let file = SourceFile(name: "t.proto", bytes: Array("a \u{01} b".utf8) + [0xFF, UInt8(ascii: "c")])
        let (stream, diagnostics) = Lexer.tokenize(file)
        #expect(stream.tokens.map(\.text) == ["a", "b", "c", ""])
        #expect(diagnostics.count == 2)
    }

    @Test("token positions count bytes and expand tabs like protoc")
    func positions() {
        let (tokens, _) = lex("\tab\n  é x")
        #expect(tokens[0].start == SourceLocation(offset: 1, line: 1, column: 9))
        #expect(tokens[1].start.line == 2)
        #expect(tokens[1].start.column == 6)
    }

    @Test("a UTF-8 byte order mark is skipped")
    func byteOrderMark() {
        let (stream, diagnostics) = Lexer.tokenize(
            SourceFile(name: "t.proto", bytes: [0xEF, 0xBB, 0xBF] + Array("x".utf8))
        )
        #expect(diagnostics.isEmpty)
        #expect(stream.tokens.first?.text == "x")
    }
}
