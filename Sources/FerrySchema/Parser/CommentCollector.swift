/// Works out which comments between two tokens belong to the token before, which to the token
/// after, and which to neither, following protoc's rules:
///
/// - a comment on the same line as the previous token (or starting the next line and not
///   followed by a blank line) trails the previous declaration;
/// - the comment block directly before the next token leads it, unless the next token closes a
///   scope (`}`, `]`, `)`) or ends the file;
/// - every other comment block, separated by blank lines, is detached.
struct CommentCollector {
    /// The comments found after one token.
    struct Result {
        var trailing = ""
        var detached: [String] = []
        var leading = ""
    }

    private var buffer = ""
    private var hasComment = false
    private var isLineComment = false
    private var canAttachToPrevious: Bool
    private var result = Result()

    private init(canAttachToPrevious: Bool) {
        self.canAttachToPrevious = canAttachToPrevious
    }

    /// Classifies the trivia in front of `next`.
    ///
    /// - Parameters:
    ///   - trivia: the comments and line breaks between the previous token and `next`.
    ///   - next: the token that follows them.
    ///   - atStart: whether there is no previous token (the start of the file).
    static func collect(_ trivia: ArraySlice<Trivia>, before next: Token, atStart: Bool) -> Result {
        var collector = CommentCollector(canAttachToPrevious: !atStart)
        var items = trivia[...]
        if !atStart {
            switch items.first {
            case .lineComment(let text):
                items.removeFirst()
                collector.appendLine(text)
                collector.flush()
            case .blockComment(let text):
                items.removeFirst()
                collector.appendBlock(text)
                guard items.first == .newline else { return Result() }
                items.removeFirst()
                collector.flush()
            case .newline:
                items.removeFirst()
            case nil:
                return Result()
            }
        }
        while let item = items.popFirst() {
            switch item {
            case .lineComment(let text):
                collector.appendLine(text)
            case .blockComment(let text):
                collector.appendBlock(text)
                if items.first == .newline { items.removeFirst() }
            case .newline:
                collector.flush()
                collector.canAttachToPrevious = false
            }
        }
        if next.kind == .end || next.is("}") || next.is("]") || next.is(")") {
            collector.flush()
        }
        if collector.hasComment { collector.result.leading = collector.buffer }
        return collector.result
    }

    private mutating func appendLine(_ text: String) {
        if hasComment && !isLineComment { flush() }
        hasComment = true
        isLineComment = true
        buffer += text
    }

    private mutating func appendBlock(_ text: String) {
        if hasComment { flush() }
        hasComment = true
        isLineComment = false
        buffer += text
    }

    private mutating func flush() {
        guard hasComment else { return }
        if canAttachToPrevious {
            result.trailing += buffer
            canAttachToPrevious = false
        } else {
            result.detached.append(buffer)
        }
        buffer = ""
        hasComment = false
    }
}
