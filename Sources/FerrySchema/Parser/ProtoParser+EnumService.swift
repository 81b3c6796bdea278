extension ProtoParser {
    mutating func parseEnum() throws(ParseAbort) -> EnumDecl {
        let start = current.start
        try expect("enum")
        let name = try expectIdentifier("Expected enum name")
        try enterNesting()
        defer { leaveNesting() }
        let comments = try consumeEndOfDeclaration("{")
        var body: [EnumElement] = []
        while tryConsumeEndOfDeclaration("}", attach: false) == nil {
            if atEnd {
                error("Reached end of input in enum definition (missing '}').", at: current)
                break
            }
            do {
                if lookingAt(";") {
                    let token = current
                    _ = tryConsumeEndOfDeclaration(";", attach: false)
                    body.append(.empty(span(of: token)))
                } else if lookingAt("option") {
                    body.append(.option(try parseOptionStatement()))
                } else if lookingAt("reserved") {
                    body.append(.reserved(try parseReserved(isEnum: true)))
                } else {
                    body.append(.value(try parseEnumValue()))
                }
            } catch {
                skipStatement()
            }
        }
        return EnumDecl(name: name, body: body, span: span(from: start), comments: comments)
    }

    private mutating func parseEnumValue() throws(ParseAbort) -> EnumValueDecl {
        let start = current.start
        let name = try expectIdentifier("Expected enum constant name")
        try expect("=", "Missing numeric value for enum constant: expected \"=\"")
        let number = try parseInteger(
            "Expected integer",
            allowNegative: true,
            range: Int64(Int32.min)...Int64(Int32.max)
        )
        let options = try parseCompactOptions()
        let comments = try consumeEndOfDeclaration(";")
        return EnumValueDecl(
            name: name,
            number: number,
            options: options,
            span: span(from: start),
            comments: comments
        )
    }

    mutating func parseService() throws(ParseAbort) -> ServiceDecl {
        let start = current.start
        try expect("service")
        let name = try expectIdentifier("Expected service name")
        let comments = try consumeEndOfDeclaration("{")
        var body: [ServiceElement] = []
        while tryConsumeEndOfDeclaration("}", attach: false) == nil {
            if atEnd {
                error("Reached end of input in service definition (missing '}').", at: current)
                break
            }
            do {
                if lookingAt(";") {
                    let token = current
                    _ = tryConsumeEndOfDeclaration(";", attach: false)
                    body.append(.empty(span(of: token)))
                } else if lookingAt("option") {
                    body.append(.option(try parseOptionStatement()))
                } else {
                    body.append(.method(try parseMethod()))
                }
            } catch {
                skipStatement()
            }
        }
        return ServiceDecl(name: name, body: body, span: span(from: start), comments: comments)
    }

    private mutating func parseMethod() throws(ParseAbort) -> MethodDecl {
        let start = current.start
        try expect("rpc", "Expected \"rpc\", \"option\" or \"}\" in service")
        let name = try expectIdentifier("Expected method name")
        try expect("(")
        let input = try parseSignature()
        try expect(")")
        try expect("returns")
        try expect("(")
        let output = try parseSignature()
        try expect(")")
        var body: [ServiceElement]?
        let comments: Comments
        if lookingAt("{") {
            comments = try consumeEndOfDeclaration("{")
            var elements: [ServiceElement] = []
            while tryConsumeEndOfDeclaration("}", attach: false) == nil {
                if atEnd {
                    error("Reached end of input in method options (missing '}').", at: current)
                    break
                }
                if lookingAt(";") {
                    let token = current
                    _ = tryConsumeEndOfDeclaration(";", attach: false)
                    elements.append(.empty(span(of: token)))
                    continue
                }
                do {
                    elements.append(.option(try parseOptionStatement()))
                } catch {
                    skipStatement()
                }
            }
            body = elements
        } else {
            comments = try consumeEndOfDeclaration(";")
        }
        return MethodDecl(
            name: name,
            input: input,
            output: output,
            body: body,
            span: span(from: start),
            comments: comments
        )
    }

    private mutating func parseSignature() throws(ParseAbort) -> MethodDecl.Signature {
        var streamKeyword: SourceSpan?
        if lookingAt("stream"), !nextIs(")") {
            streamKeyword = span(of: current)
            advance()
        }
        let type = try parseTypeName("Expected message type")
        return MethodDecl.Signature(stream: streamKeyword, type: type)
    }
}
