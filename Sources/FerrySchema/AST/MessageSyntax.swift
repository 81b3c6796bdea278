/// `message Name { ... }`.
public struct MessageDecl: Sendable, Hashable {
    /// The declared name and where it was written.
    public var name: Spanned<String>
    /// The statements inside the braces, in source order.
    public var body: [MessageElement]
    /// From the `message` keyword to the closing `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// A statement inside a message body.
public enum MessageElement: Sendable, Hashable {
    case field(FieldDecl)
    case group(GroupDecl)
    case oneof(OneofDecl)
    case message(MessageDecl)
    case `enum`(EnumDecl)
    case extend(ExtendDecl)
    case extensions(ExtensionRangeDecl)
    case reserved(ReservedDecl)
    case option(OptionDecl)
    case empty(SourceSpan)
}

/// `optional`, `required` or `repeated`.
public enum FieldLabel: String, Sendable, Hashable {
    case optional
    case required
    case repeated
}

/// The fifteen scalar types of protobuf.
public enum ScalarType: String, Sendable, Hashable, CaseIterable {
    case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, bytes, uint32, sfixed32,
        sfixed64, sint32, sint64
}

/// The type written before a field's name.
public indirect enum TypeSyntax: Sendable, Hashable {
    /// A scalar keyword such as `int32`.
    case scalar(ScalarType, SourceSpan)
    /// A message or enum reference as written: `Foo`, `a.b.Foo` or `.a.b.Foo`.
    case named(String, SourceSpan)
    /// `map<K, V>`.
    case map(key: TypeSyntax, value: TypeSyntax, span: SourceSpan)

    /// Where the type was written.
    public var span: SourceSpan {
        switch self {
        case .scalar(_, let span), .named(_, let span), .map(_, _, let span): span
        }
    }
}

/// A field: `[label] type name = number [options];`.
public struct FieldDecl: Sendable, Hashable {
    /// `optional`, `required` or `repeated`, when written.
    public var label: Spanned<FieldLabel>?
    /// The field type as written.
    public var type: TypeSyntax
    /// The declared name and where it was written.
    public var name: Spanned<String>
    /// The field number; `nil` magnitude when it did not fit in 64 bits.
    public var number: Spanned<Int64>
    /// The bracketed options after the number, if any.
    public var options: CompactOptions?
    /// From the label (or type) to the `;`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// A proto2 group: `[label] group Name = number [options] { ... }`.
public struct GroupDecl: Sendable, Hashable {
    /// `optional`, `required` or `repeated`, when written.
    public var label: Spanned<FieldLabel>?
    /// The `group` keyword.
    public var keywordSpan: SourceSpan
    /// The declared name and where it was written.
    public var name: Spanned<String>
    /// The field or value number, with `-` included for negative enum values.
    public var number: Spanned<Int64>
    /// The bracketed options after the number, if any.
    public var options: CompactOptions?
    /// The statements inside the braces, in source order.
    public var body: [MessageElement]
    /// From the label (or `group`) to the closing `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// `oneof name { ... }`.
public struct OneofDecl: Sendable, Hashable {
    /// The declared name and where it was written.
    public var name: Spanned<String>
    /// Fields, groups, options and empty statements.
    public var body: [MessageElement]
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// A number range in `reserved` or `extensions`: `5`, `1 to 10`, `100 to max`.
public struct RangeSyntax: Sendable, Hashable {
    /// The end of a range.
    public enum End: Sendable, Hashable {
        case number(Spanned<Int64>)
        case max(SourceSpan)
    }

    /// The first number of the range.
    public var start: Spanned<Int64>
    /// `nil` for a single number.
    public var end: End?
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
}

/// `reserved 1, 2 to 5;` or `reserved "foo", "bar";`.
public struct ReservedDecl: Sendable, Hashable {
    /// The number ranges, in source order.
    public var ranges: [RangeSyntax]
    /// The reserved names (string literals), in source order.
    public var names: [Spanned<String>]
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// `extensions 100 to 199 [options];`.
public struct ExtensionRangeDecl: Sendable, Hashable {
    /// The number ranges, in source order.
    public var ranges: [RangeSyntax]
    /// The bracketed options after the number, if any.
    public var options: CompactOptions?
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// `extend Foo { ... }`.
public struct ExtendDecl: Sendable, Hashable {
    /// The extended message's name as written.
    public var extendee: Spanned<String>
    /// Fields, groups and empty statements.
    public var body: [MessageElement]
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}
