/// `enum Name { ... }`.
public struct EnumDecl: Sendable, Hashable {
    public var name: Spanned<String>
    public var body: [EnumElement]
    public var span: SourceSpan
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
    public var name: Spanned<String>
    public var number: Spanned<Int64>
    public var options: CompactOptions?
    public var span: SourceSpan
    public var comments: Comments
}
