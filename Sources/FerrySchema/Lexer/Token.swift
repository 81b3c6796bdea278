/// The kinds of token in `.proto` text.
public enum TokenKind: Sendable, Hashable {
    /// A name or keyword: `[A-Za-z_][A-Za-z0-9_]*` (`inf` and `nan` are identifiers too).
    case identifier
    /// A decimal, octal (`017`) or hexadecimal (`0x1F`) integer, without sign.
    case integer
    /// A floating-point number without sign, such as `1.5`, `.5`, `1e10` or `2.`.
    case float
    /// A quoted string literal; ``Token/stringValue`` holds the decoded bytes.
    case string
    /// Any other single printable character: `{`, `=`, `;`, `-`, ...
    case symbol
    /// The end of the input.
    case end
}

/// One token of `.proto` text, with where it is and, for strings, what it means.
public struct Token: Sendable, Hashable {
    /// The token's kind.
    public var kind: TokenKind
    /// The token exactly as written (with quotes for strings; empty at the end of input).
    public var text: String
    /// The position of the token's first byte.
    public var start: SourceLocation
    /// The position just past the token's last byte.
    public var end: SourceLocation
    /// For ``TokenKind/string`` tokens, the value with escapes decoded; otherwise empty.
    public var stringValue: [UInt8]
    /// The indexes in ``TokenStream/trivia`` of the comments and newlines just before this token.
    public var triviaRange: Range<Int>

    /// Creates a token.
    public init(
        kind: TokenKind,
        text: String,
        start: SourceLocation,
        end: SourceLocation,
        stringValue: [UInt8] = [],
        triviaRange: Range<Int> = 0..<0
    ) {
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.stringValue = stringValue
        self.triviaRange = triviaRange
    }

    /// Whether this is the symbol or identifier `text`.
    @inline(__always)
    public func `is`(_ text: String) -> Bool {
        (kind == .symbol || kind == .identifier) && self.text == text
    }

    /// The token as diagnostics quote it: `"foo"`, or `end of input`.
    public var quoted: String {
        kind == .end ? "end of input" : "\"\(text)\""
    }
}

/// A comment or line break between tokens, kept so that comments can be attached to
/// declarations the way protoc attaches them.
public enum Trivia: Sendable, Hashable {
    /// A line break that is not part of a `//` comment.
    case newline
    /// A `//` comment; the text after `//`, including the terminating newline when there is one.
    case lineComment(String)
    /// A `/* */` comment; the text between the delimiters, with each continuation line's leading
    /// whitespace and `*` removed, as protoc records it.
    case blockComment(String)
}

/// The tokens of one file, ending with an ``TokenKind/end`` token, plus the trivia between them.
public struct TokenStream: Sendable {
    /// The tokens; the last one is always of kind ``TokenKind/end``.
    public var tokens: [Token]
    /// Comments and newlines, referenced by ``Token/triviaRange``.
    public var trivia: [Trivia]
}
