/// A value of the syntax tree together with the source span it was read from.
public struct Spanned<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value.
    public var value: Value
    /// Where it was written.
    public var span: SourceSpan

    /// Creates a spanned value.
    public init(_ value: Value, span: SourceSpan) {
        self.value = value
        self.span = span
    }
}

/// The comments protoc attaches to a declaration: the comment block right before it, the
/// comment right after it (on the same or the next line), and blocks separated from it by blank
/// lines.
public struct Comments: Sendable, Hashable {
    /// The comment immediately before the declaration; `nil` when there is none.
    public var leading: String?
    /// The comment after the declaration's opening `{` or closing `;`.
    public var trailing: String?
    /// Comment blocks before the declaration separated from it by blank lines.
    public var detached: [String]

    /// Creates a set of comments.
    public init(leading: String? = nil, trailing: String? = nil, detached: [String] = []) {
        self.leading = leading
        self.trailing = trailing
        self.detached = detached
    }
}
