extension ProtoParser {
    /// Parses `option name = value;`.
    mutating func parseOptionStatement() throws(ParseAbort) -> OptionDecl {
        let start = current.start
        try expect("option")
        let name = try parseOptionName()
        try expect("=")
        let value = try parseOptionValue(allowNegativeIdentifier: false)
        let comments = try consumeEndOfDeclaration(";")
        return OptionDecl(name: name, value: value, span: span(from: start), comments: comments)
    }

    /// Parses `[name = value, ...]` if present.
    mutating func parseCompactOptions() throws(ParseAbort) -> CompactOptions? {
        guard lookingAt("[") else { return nil }
        let start = current.start
        advance()
        var entries: [CompactOption] = []
        repeat {
            let entryStart = current.start
            let name = try parseOptionName()
            try expect("=")
            let value = try parseOptionValue(allowNegativeIdentifier: name.isSimple("default"))
            entries.append(CompactOption(name: name, value: value, span: span(from: entryStart)))
        } while tryConsume(",")
        try expect("]", "Expected \",\" or \"]\"")
        return CompactOptions(entries: entries, span: span(from: start))
    }

    mutating func parseOptionName() throws(ParseAbort) -> OptionName {
        let start = current.start
        var parts: [OptionName.Part] = []
        repeat {
            let partStart = current.start
            if tryConsume("(") {
                var name = ""
                if current.kind == .identifier {
                    name = current.text
                    advance()
                }
                while tryConsume(".") {
                    name += "." + (try expectIdentifier("Expected identifier")).value
                }
                if name.isEmpty { throw fail("Expected identifier") }
                try expect(")")
                parts.append(OptionName.Part(name: name, isExtension: true, span: span(from: partStart)))
            } else {
                let name = try expectIdentifier("Expected option name")
                parts.append(OptionName.Part(name: name.value, isExtension: false, span: name.span))
            }
        } while tryConsume(".")
        return OptionName(parts: parts, span: span(from: start))
    }

    /// Parses an option value: an identifier, a number with optional `-`, strings, or an
    /// aggregate `{ ... }` kept as its tokens joined by spaces. `-` before an identifier is only
    /// allowed in a field's `default` (for `-inf` and `-nan`).
    mutating func parseOptionValue(allowNegativeIdentifier: Bool) throws(ParseAbort) -> OptionValue {
        let start = current.start
        let negative = tryConsume("-")
        let token = current
        switch token.kind {
        case .identifier:
            if negative && !allowNegativeIdentifier {
                error("Invalid '-' symbol before identifier \"\(token.text)\".", at: token)
                throw ParseAbort()
            }
            advance()
            return OptionValue(
                kind: .identifier(token.text, negative: negative),
                text: token.text,
                span: span(from: start)
            )
        case .integer:
            advance()
            return OptionValue(
                kind: .integer(Self.integerValue(token.text), negative: negative),
                text: token.text,
                span: span(from: start)
            )
        case .float:
            advance()
            return OptionValue(
                kind: .float(Self.floatValue(token.text), negative: negative),
                text: token.text,
                span: span(from: start)
            )
        case .string:
            if negative {
                error("Invalid '-' symbol before string.", at: token)
                throw ParseAbort()
            }
            let value = try parseStringLiteral("Expected string")
            return OptionValue(kind: .string(value.value), text: token.text, span: value.span)
        case .symbol where token.is("{") && !negative:
            return try parseAggregate()
        case .symbol, .end:
            throw fail("Expected option value")
        }
    }

    private mutating func parseAggregate() throws(ParseAbort) -> OptionValue {
        let start = current.start
        try expect("{")
        var depth = 1
        var parts: [String] = []
        while !atEnd {
            if lookingAt("{") {
                depth += 1
            } else if lookingAt("}") {
                depth -= 1
                if depth == 0 {
                    advance()
                    let text = parts.joined(separator: " ")
                    return OptionValue(kind: .aggregate(text), text: text, span: span(from: start))
                }
            }
            parts.append(current.text)
            advance()
        }
        error("Unexpected end of stream while parsing aggregate value.", at: current)
        throw ParseAbort()
    }

    /// The value of a float literal as protoc reads it.
    static func floatValue(_ text: String) -> Double {
        if let value = Double(text) { return value }
        var trimmed = text
        while let last = trimmed.last, !last.isNumber { trimmed.removeLast() }
        return Double(trimmed) ?? 0
    }
}
