/// Thrown inside the parser to abandon the current statement after its error was reported.
struct ParseAbort: Error {}

/// A permissive recursive-descent parser for `.proto` files (proto2 and proto3).
///
/// The parser builds a ``FileSyntax`` for anything protobuf-shaped and reports what it cannot
/// make sense of as diagnostics; after an error it skips to the end of the statement and carries
/// on, so one run lists several errors. It never traps: nesting is bounded by
/// ``maximumNestingDepth`` and every loop consumes a token. Comments are attached to
/// declarations by protoc's rules (see ``Comments``).
public struct ProtoParser {
    /// The deepest nesting of messages, enums, groups and oneofs the parser accepts.
    public static let maximumNestingDepth = 64

    let file: SourceFile
    let stream: TokenStream
    var index = 0
    var reporter = DiagnosticReporter()
    var depth = 0
    var syntax = "proto2"
    /// The leading comment collected for the declaration being parsed.
    var upcomingDocComment = ""
    /// Detached comments collected for the declaration being parsed.
    var upcomingDetachedComments: [String] = []

    private init(file: SourceFile) {
        self.file = file
        let (stream, diagnostics) = Lexer.tokenize(file)
        self.stream = stream
        reporter.report(contentsOf: diagnostics)
    }

    /// Parses one file into a syntax tree and the diagnostics found on the way.
    ///
    /// The tree is returned even when there are errors; it then holds every declaration that
    /// could be read.
    public static func parse(_ file: SourceFile) -> (ast: FileSyntax, diagnostics: [Diagnostic]) {
        var parser = ProtoParser(file: file)
        let ast = parser.parseFile()
        let diagnostics = parser.reporter.diagnostics.sorted { lhs, rhs in
            (lhs.span?.start.offset ?? -1) < (rhs.span?.start.offset ?? -1)
        }
        return (ast, diagnostics)
    }

    // MARK: - Tokens

    var current: Token { stream.tokens[index] }
    var previous: Token { stream.tokens[max(0, index - 1)] }
    var atEnd: Bool { current.kind == .end }

    mutating func advance() {
        if index < stream.tokens.count - 1 { index += 1 }
    }

    func lookingAt(_ text: String) -> Bool { current.is(text) }

    /// Whether the token after the current one is `text`.
    func nextIs(_ text: String) -> Bool {
        stream.tokens[min(index + 1, stream.tokens.count - 1)].is(text)
    }

    mutating func tryConsume(_ text: String) -> Bool {
        guard lookingAt(text) else { return false }
        advance()
        return true
    }

    /// Consumes `text` or reports `Expected "text", found ...` and abandons the statement.
    @discardableResult
    mutating func expect(_ text: String, _ message: String? = nil) throws(ParseAbort) -> Token {
        guard lookingAt(text) else {
            throw fail(message ?? "Expected \"\(text)\"")
        }
        let token = current
        advance()
        return token
    }

    mutating func expectIdentifier(_ message: String) throws(ParseAbort) -> Spanned<String> {
        guard current.kind == .identifier else { throw fail(message) }
        let token = current
        advance()
        return Spanned(token.text, span: span(of: token))
    }

    /// Reports `message, found <token>.` at the current token and returns the error to throw.
    mutating func fail(_ message: String) -> ParseAbort {
        error("\(message), found \(current.quoted).", at: current)
        return ParseAbort()
    }

    mutating func error(_ message: String, at token: Token) {
        reporter.error(message, at: span(of: token))
    }

    mutating func error(_ message: String, at span: SourceSpan) {
        reporter.error(message, at: span)
    }

    // MARK: - Spans

    func span(of token: Token) -> SourceSpan {
        SourceSpan(file: file.name, start: token.start, end: token.end)
    }

    /// The span from `start` to the end of the last consumed token.
    func span(from start: SourceLocation) -> SourceSpan {
        SourceSpan(file: file.name, start: start, end: max(start, previous.end))
    }

    // MARK: - Statement ends and comments

    /// Consumes `text` ending a declaration, collecting the comments after it as protoc does.
    ///
    /// Returns the comments of the declaration that ends here when `attach` is true.
    mutating func tryConsumeEndOfDeclaration(_ text: String, attach: Bool) -> Comments? {
        guard lookingAt(text) else { return nil }
        let next = stream.tokens[min(index + 1, stream.tokens.count - 1)]
        let collected = CommentCollector.collect(
            stream.trivia[next.triviaRange],
            before: next,
            atStart: false
        )
        advance()
        let leading = upcomingDocComment
        upcomingDocComment = collected.leading
        if attach {
            let detached = upcomingDetachedComments
            upcomingDetachedComments = collected.detached
            return Comments(
                leading: leading.isEmpty ? nil : leading,
                trailing: collected.trailing.isEmpty ? nil : collected.trailing,
                detached: detached
            )
        }
        if text == "}" {
            upcomingDetachedComments = collected.detached
        } else {
            upcomingDetachedComments += collected.detached
        }
        return Comments()
    }

    mutating func consumeEndOfDeclaration(_ text: String) throws(ParseAbort) -> Comments {
        guard let comments = tryConsumeEndOfDeclaration(text, attach: true) else {
            throw fail("Expected \"\(text)\"")
        }
        return comments
    }

    /// Consumes the current token, keeping the comments after it for the next declaration.
    mutating func advanceCollectingComments() {
        let next = stream.tokens[min(index + 1, stream.tokens.count - 1)]
        let collected = CommentCollector.collect(stream.trivia[next.triviaRange], before: next, atStart: false)
        advance()
        upcomingDocComment = collected.leading
        upcomingDetachedComments = collected.detached
    }

    /// Collects the comments before the first token of the file.
    mutating func collectInitialComments() {
        let first = stream.tokens[0]
        let collected = CommentCollector.collect(stream.trivia[first.triviaRange], before: first, atStart: true)
        upcomingDocComment = collected.leading
        upcomingDetachedComments = collected.detached
    }

    // MARK: - Recovery

    /// Skips to just past the end of the current statement: a `;`, or a `{ ... }` block. Stops
    /// before a `}` that closes the enclosing block.
    mutating func skipStatement() {
        while !atEnd {
            if current.kind == .symbol {
                if tryConsumeEndOfDeclaration(";", attach: false) != nil { return }
                if tryConsume("{") {
                    skipRestOfBlock()
                    return
                }
                if lookingAt("}") { return }
            }
            advance()
        }
    }

    /// Skips to just past the `}` that closes the current block.
    mutating func skipRestOfBlock() {
        var depth = 1
        while !atEnd {
            if current.kind == .symbol {
                if lookingAt("{") {
                    depth += 1
                } else if lookingAt("}") {
                    depth -= 1
                    if depth == 0 {
                        _ = tryConsumeEndOfDeclaration("}", attach: false)
                        return
                    }
                }
            }
            advance()
        }
    }

    /// Enters a nested block, failing when nesting is too deep.
    mutating func enterNesting() throws(ParseAbort) {
        if depth >= Self.maximumNestingDepth {
            error("Declarations are nested too deeply (more than \(Self.maximumNestingDepth) levels).", at: current)
            throw ParseAbort()
        }
        depth += 1
    }

    mutating func leaveNesting() { depth -= 1 }
}
