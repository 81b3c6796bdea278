extension ProtoParser {
    mutating func parseFile() -> FileSyntax {
        collectInitialComments()
        let start = current.start
        var syntaxDecl: SyntaxDecl?
        var declarations: [FileElement] = []
        if lookingAt("syntax") || lookingAt("edition") {
            do {
                let decl = try parseSyntax()
                syntaxDecl = decl
                if decl.isEdition {
                    guard Self.supportedEditions.contains(decl.value.value) else {
                        error("Unknown edition \"\(decl.value.value)\".", at: decl.value.span)
                        return FileSyntax(fileName: file.name, syntax: decl, declarations: [], span: span(from: start))
                    }
                    syntax = "editions"
                } else if decl.value.value != "proto2" && decl.value.value != "proto3" {
                    error(
                        "Unrecognized syntax identifier \"\(decl.value.value)\".  This parser only recognizes "
                            + "\"proto2\" and \"proto3\".",
                        at: decl.value.span
                    )
                    return FileSyntax(fileName: file.name, syntax: decl, declarations: [], span: span(from: start))
                }
                if !decl.isEdition { syntax = decl.value.value }
            } catch {
                skipStatement()
            }
        } else {
            reporter.warning(
                "No syntax specified for the proto file: \(file.name). Please use 'syntax = \"proto2\";' or "
                    + "'syntax = \"proto3\";' to specify a syntax version. (Defaulted to proto2 syntax.)",
                at: SourceSpan(file: file.name, at: current.start)
            )
        }
        while !atEnd {
            let before = index
            do {
                if let element = try parseTopLevelStatement() { declarations.append(element) }
            } catch {
                skipStatement()
                if lookingAt("}") {
                    self.error("Unmatched \"}\".", at: current)
                    advanceCollectingComments()
                }
            }
            if index == before { advance() }
        }
        // Like protoc, the file's span ends where the last token ends (at 1:1 when there is none).
        let end = index == 0 ? SourceLocation(offset: 0, line: 1, column: 1) : previous.end
        let fileSpan = SourceSpan(file: file.name, start: start, end: end)
        return FileSyntax(fileName: file.name, syntax: syntaxDecl, declarations: declarations, span: fileSpan)
    }

    /// The editions Ferry compiles: protoc 35's (`edition = "2023"` and `"2024"`).
    static let supportedEditions: Set<String> = ["2023", "2024"]

    private mutating func parseSyntax() throws(ParseAbort) -> SyntaxDecl {
        let start = current.start
        let isEdition = lookingAt("edition")
        advance()
        try expect("=")
        let value = try parseStringLiteral(isEdition ? "Expected edition string" : "Expected syntax identifier")
        let comments = try consumeEndOfDeclaration(";")
        return SyntaxDecl(
            isEdition: isEdition,
            value: Spanned(String(decoding: value.value, as: UTF8.self), span: value.span),
            span: span(from: start),
            comments: comments
        )
    }

    private mutating func parseTopLevelStatement() throws(ParseAbort) -> FileElement? {
        if lookingAt(";") {
            let token = current
            _ = tryConsumeEndOfDeclaration(";", attach: false)
            return .empty(span(of: token))
        }
        guard current.kind == .identifier else { throw fail("Expected top-level statement (e.g. \"message\")") }
        switch current.text {
        case "message": return .message(try parseMessage())
        case "enum": return .enum(try parseEnum())
        case "service": return .service(try parseService())
        case "extend": return .extend(try parseExtend())
        case "import": return .import(try parseImport())
        case "package": return .package(try parsePackage())
        case "option": return .option(try parseOptionStatement())
        case "syntax", "edition":
            error("The \"\(current.text)\" statement must be the first statement in the file.", at: current)
            throw ParseAbort()
        default:
            throw fail("Expected top-level statement (e.g. \"message\")")
        }
    }

    private mutating func parseImport() throws(ParseAbort) -> ImportDecl {
        let start = current.start
        try expect("import")
        var modifier: Spanned<ImportDecl.Modifier>?
        if lookingAt("public") {
            modifier = Spanned(.public, span: span(of: current))
            advance()
        } else if lookingAt("weak") {
            modifier = Spanned(.weak, span: span(of: current))
            advance()
        }
        let path = try parseStringLiteral("Expected a string naming the file to import")
        let comments = try consumeEndOfDeclaration(";")
        return ImportDecl(
            modifier: modifier,
            path: Spanned(String(decoding: path.value, as: UTF8.self), span: path.span),
            span: span(from: start),
            comments: comments
        )
    }

    private mutating func parsePackage() throws(ParseAbort) -> PackageDecl {
        let start = current.start
        try expect("package")
        let nameStart = current.start
        var name = try expectIdentifier("Expected identifier").value
        while tryConsume(".") {
            name += "." + (try expectIdentifier("Expected identifier")).value
        }
        let nameSpan = span(from: nameStart)
        let comments = try consumeEndOfDeclaration(";")
        return PackageDecl(name: Spanned(name, span: nameSpan), span: span(from: start), comments: comments)
    }

    /// Parses one or more adjacent string literals and concatenates their values.
    mutating func parseStringLiteral(_ message: String) throws(ParseAbort) -> Spanned<[UInt8]> {
        guard current.kind == .string else { throw fail(message) }
        let start = current.start
        var value: [UInt8] = []
        while current.kind == .string {
            value += current.stringValue
            advance()
        }
        return Spanned(value, span: span(from: start))
    }

    /// Parses `Name`, `a.b.Name` or `.a.b.Name`.
    mutating func parseTypeName(_ message: String) throws(ParseAbort) -> Spanned<String> {
        let start = current.start
        if current.kind == .identifier, ScalarType(rawValue: current.text) != nil || current.text == "group" {
            // Like protoc: complain, then carry on as if it were a message name.
            error("Expected message type, found \(current.quoted).", at: current)
            let token = current
            advance()
            return Spanned(token.text, span: span(of: token))
        }
        var name = ""
        if tryConsume(".") { name = "." }
        name += try expectIdentifier(message).value
        while lookingAt(".") {
            advance()
            name += "." + (try expectIdentifier("Expected identifier")).value
        }
        return Spanned(name, span: span(from: start))
    }

    /// Parses an integer literal (with an optional `-` when `allowNegative`) that must lie in
    /// `range`.
    mutating func parseInteger(
        _ message: String,
        allowNegative: Bool,
        range: ClosedRange<Int64>
    ) throws(ParseAbort) -> Spanned<Int64> {
        let start = current.start
        let negative = allowNegative && tryConsume("-")
        guard current.kind == .integer else { throw fail(message) }
        let token = current
        advance()
        let numberSpan = span(from: start)
        guard let magnitude = Self.integerValue(token.text) else {
            error("Integer out of range: \(negative ? "-" : "")\(token.text).", at: numberSpan)
            throw ParseAbort()
        }
        let limit = negative ? UInt64(-range.lowerBound) : UInt64(max(0, range.upperBound))
        guard magnitude <= limit else {
            error("Integer out of range: \(negative ? "-" : "")\(token.text).", at: numberSpan)
            throw ParseAbort()
        }
        let value = negative ? -Int64(magnitude) : Int64(magnitude)
        return Spanned(value, span: numberSpan)
    }

    /// The value of a decimal, octal or hexadecimal integer literal; `nil` on overflow.
    static func integerValue(_ text: String) -> UInt64? {
        let bytes = Array(text.utf8)
        var radix: UInt64 = 10
        var digits = bytes[...]
        if bytes.count > 1 && bytes[0] == UInt8(ascii: "0") {
            if bytes[1] == UInt8(ascii: "x") || bytes[1] == UInt8(ascii: "X") {
                radix = 16
                digits = bytes[2...]
            } else {
                radix = 8
                digits = bytes[1...]
            }
        }
        var value: UInt64 = 0
        for byte in digits {
            guard let digit = Lexer.hexValue(byte), UInt64(digit) < radix else { return nil }
            let (product, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = product.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }
}
