extension ProtoParser {
    mutating func parseMessage() throws(ParseAbort) -> MessageDecl {
        let start = current.start
        try expect("message")
        let name = try expectIdentifier("Expected message name")
        let (body, comments) = try parseMessageBlock()
        return MessageDecl(name: name, body: body, span: span(from: start), comments: comments)
    }

    /// Parses `{ statements }` of a message or group; returns the statements and the comments of
    /// the declaration the block belongs to.
    mutating func parseMessageBlock() throws(ParseAbort) -> ([MessageElement], Comments) {
        try enterNesting()
        defer { leaveNesting() }
        let comments = try consumeEndOfDeclaration("{")
        var body: [MessageElement] = []
        while tryConsumeEndOfDeclaration("}", attach: false) == nil {
            if atEnd {
                error("Reached end of input in message definition (missing '}').", at: current)
                return (body, comments)
            }
            do {
                if let element = try parseMessageStatement() { body.append(element) }
            } catch {
                skipStatement()
            }
        }
        return (body, comments)
    }

    private mutating func parseMessageStatement() throws(ParseAbort) -> MessageElement? {
        if lookingAt(";") {
            let token = current
            _ = tryConsumeEndOfDeclaration(";", attach: false)
            return .empty(span(of: token))
        }
        if current.kind == .identifier {
            switch current.text {
            case "message": return .message(try parseMessage())
            case "enum": return .enum(try parseEnum())
            case "extensions": return .extensions(try parseExtensions())
            case "reserved": return .reserved(try parseReserved(isEnum: false))
            case "extend": return .extend(try parseExtend())
            case "option": return .option(try parseOptionStatement())
            case "oneof": return .oneof(try parseOneof())
            default: break
            }
        }
        return try parseField(inOneof: false)
    }

    /// Parses a field, map field or group, with or without a label.
    mutating func parseField(inOneof: Bool, inExtend: Bool = false) throws(ParseAbort) -> MessageElement {
        let start = current.start
        var label: Spanned<FieldLabel>?
        if current.kind == .identifier, let parsed = FieldLabel(rawValue: current.text) {
            if inOneof {
                error("Fields in oneofs must not have labels (required / optional / repeated).", at: current)
            } else {
                label = Spanned(parsed, span: span(of: current))
            }
            advance()
        }
        let fieldStart = inOneof ? current.start : start
        if lookingAt("group") {
            return .group(try parseGroup(label: label, start: fieldStart))
        }
        let type = try parseFieldType()
        if case .map = type {
            if inOneof {
                error("Map fields are not allowed in oneofs.", at: type.span)
                throw ParseAbort()
            }
            if let label {
                error("Field labels (required/optional/repeated) are not allowed on map fields.", at: label.span)
                throw ParseAbort()
            }
            if inExtend {
                error("Map fields are not allowed to be extensions.", at: type.span)
                throw ParseAbort()
            }
        }
        let name = try expectIdentifier("Expected field name")
        try expect("=", "Missing field number: expected \"=\"")
        let number = try parseInteger("Expected field number", allowNegative: false, range: 0...Int64(Int32.max))
        let options = try parseCompactOptions()
        let comments = try consumeEndOfDeclaration(";")
        return .field(
            FieldDecl(
                label: label,
                type: type,
                name: name,
                number: number,
                options: options,
                span: span(from: fieldStart),
                comments: comments
            )
        )
    }

    private mutating func parseFieldType() throws(ParseAbort) -> TypeSyntax {
        let start = current.start
        if lookingAt("map"), nextIs("<") {
            advance()
            advance()
            let key = try parseValueType()
            try expect(",")
            let value = try parseValueType()
            try expect(">")
            return .map(key: key, value: value, span: span(from: start))
        }
        return try parseValueType()
    }

    private mutating func parseValueType() throws(ParseAbort) -> TypeSyntax {
        if current.kind == .identifier, let scalar = ScalarType(rawValue: current.text) {
            let token = current
            advance()
            return .scalar(scalar, span(of: token))
        }
        let name = try parseTypeName("Expected type name")
        return .named(name.value, name.span)
    }

    private mutating func parseGroup(label: Spanned<FieldLabel>?, start: SourceLocation) throws(ParseAbort) -> GroupDecl
    {
        let keyword = try expect("group")
        let name = try expectIdentifier("Expected group name")
        if let first = name.value.utf8.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) {
            error("Group names must start with a capital letter: \"\(name.value)\".", at: name.span)
        }
        try expect("=", "Missing field number: expected \"=\"")
        let number = try parseInteger("Expected field number", allowNegative: false, range: 0...Int64(Int32.max))
        let options = try parseCompactOptions()
        guard lookingAt("{") else { throw fail("Missing group body: expected \"{\"") }
        let (body, comments) = try parseMessageBlock()
        return GroupDecl(
            label: label,
            keywordSpan: span(of: keyword),
            name: name,
            number: number,
            options: options,
            body: body,
            span: span(from: start),
            comments: comments
        )
    }

    private mutating func parseOneof() throws(ParseAbort) -> OneofDecl {
        let start = current.start
        try expect("oneof")
        let name = try expectIdentifier("Expected oneof name")
        try enterNesting()
        defer { leaveNesting() }
        let comments = try consumeEndOfDeclaration("{")
        var body: [MessageElement] = []
        repeat {
            if atEnd {
                error("Reached end of input in oneof definition (missing '}').", at: current)
                break
            }
            do {
                if lookingAt("option") {
                    body.append(.option(try parseOptionStatement()))
                } else {
                    body.append(try parseField(inOneof: true))
                }
            } catch {
                skipStatement()
            }
        } while tryConsumeEndOfDeclaration("}", attach: false) == nil
        return OneofDecl(name: name, body: body, span: span(from: start), comments: comments)
    }

    /// Parses `5`, `1 to 10` or `1 to max` (the end keyword only when `allowMax`).
    private mutating func parseRange(
        firstMessage: String,
        allowNegative: Bool,
        range: ClosedRange<Int64>
    ) throws(ParseAbort) -> RangeSyntax {
        let start = current.start
        let first = try parseInteger(firstMessage, allowNegative: allowNegative, range: range)
        var end: RangeSyntax.End?
        if tryConsume("to") {
            if lookingAt("max") {
                end = .max(span(of: current))
                advance()
            } else {
                end = .number(try parseInteger("Expected integer", allowNegative: allowNegative, range: range))
            }
        }
        return RangeSyntax(start: first, end: end, span: span(from: start))
    }

    mutating func parseReserved(isEnum: Bool) throws(ParseAbort) -> ReservedDecl {
        let start = current.start
        try expect("reserved")
        var ranges: [RangeSyntax] = []
        var names: [Spanned<String>] = []
        if current.kind == .string {
            repeat {
                let name = try parseStringLiteral(isEnum ? "Expected enum value" : "Expected field name")
                names.append(Spanned(String(decoding: name.value, as: UTF8.self), span: name.span))
            } while tryConsume(",")
        } else if current.kind == .identifier {
            error(
                "Reserved names must be string literals: write \"\(current.text)\" in quotes.",
                at: current
            )
            throw ParseAbort()
        } else {
            let numberRange: ClosedRange<Int64> = isEnum ? Int64(Int32.min)...Int64(Int32.max) : 0...Int64(Int32.max)
            var first = true
            repeat {
                let message =
                    isEnum
                    ? (first ? "Expected enum value or number range" : "Expected enum number range")
                    : (first ? "Expected field name or number range" : "Expected field number range")
                ranges.append(try parseRange(firstMessage: message, allowNegative: isEnum, range: numberRange))
                first = false
            } while tryConsume(",")
        }
        let comments = try consumeEndOfDeclaration(";")
        return ReservedDecl(ranges: ranges, names: names, span: span(from: start), comments: comments)
    }

    private mutating func parseExtensions() throws(ParseAbort) -> ExtensionRangeDecl {
        let start = current.start
        try expect("extensions")
        var ranges: [RangeSyntax] = []
        repeat {
            ranges.append(
                try parseRange(
                    firstMessage: "Expected field number range",
                    allowNegative: false,
                    range: 0...Int64(Int32.max)
                )
            )
        } while tryConsume(",")
        let options = try parseCompactOptions()
        let comments = try consumeEndOfDeclaration(";")
        return ExtensionRangeDecl(ranges: ranges, options: options, span: span(from: start), comments: comments)
    }

    mutating func parseExtend() throws(ParseAbort) -> ExtendDecl {
        let start = current.start
        try expect("extend")
        let extendee = try parseTypeName("Expected type name")
        try enterNesting()
        defer { leaveNesting() }
        let comments = try consumeEndOfDeclaration("{")
        var body: [MessageElement] = []
        repeat {
            if atEnd {
                error("Reached end of input in extend definition (missing '}').", at: current)
                break
            }
            do {
                body.append(try parseField(inOneof: false, inExtend: true))
            } catch {
                skipStatement()
            }
        } while tryConsumeEndOfDeclaration("}", attach: false) == nil
        return ExtendDecl(extendee: extendee, body: body, span: span(from: start), comments: comments)
    }
}
