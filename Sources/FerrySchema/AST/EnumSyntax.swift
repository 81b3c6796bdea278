/// `enum Name { ... }`.
public struct EnumDecl: Sendable, Hashable {
    /// The declared name and where it was written.
    public var name: Spanned<String>
    /// The statements inside the braces, in source order.
    public var body: [EnumElement]
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// A statement inside an enum body.
public enum EnumElement: Sendable, Hashable {
    case value(EnumValueDecl)
    case option(OptionDecl)
    case reserved(ReservedDecl)
    case empty(SourceSpan)
}

/// `NAME = number [options];`.
public struct EnumValueDecl: Sendable, Hashable {
    /// The declared name and where it was written.
    public var name: Spanned<String>
    /// The field or value number, with `-` included for negative enum values.
    public var number: Spanned<Int64>
    /// The bracketed options after the number, if any.
    public var options: CompactOptions?
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}
