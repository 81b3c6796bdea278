/// The syntax tree of one `.proto` file, before any names are resolved.
public struct FileSyntax: Sendable, Hashable {
    /// The file's name.
    public var fileName: String
    /// The `syntax = "..."` (or `edition = "..."`) statement, if present.
    public var syntax: SyntaxDecl?
    /// The top-level declarations in source order.
    public var declarations: [FileElement]
    /// The whole file.
    public var span: SourceSpan

    /// Creates a file syntax tree.
    public init(fileName: String, syntax: SyntaxDecl?, declarations: [FileElement], span: SourceSpan) {
        self.fileName = fileName
        self.syntax = syntax
        self.declarations = declarations
        self.span = span
    }

    /// The declared syntax, `"proto2"` when the file declares none, `"editions"` for an
    /// `edition = "..."` file (as `FileDescriptorProto.syntax` spells it).
    public var syntaxName: String {
        guard let syntax else { return "proto2" }
        return syntax.isEdition ? "editions" : syntax.value.value
    }
}

/// A top-level declaration.
public enum FileElement: Sendable, Hashable {
    case package(PackageDecl)
    case `import`(ImportDecl)
    case option(OptionDecl)
    case message(MessageDecl)
    case `enum`(EnumDecl)
    case service(ServiceDecl)
    case extend(ExtendDecl)
    /// A lone `;`.
    case empty(SourceSpan)
}

/// `syntax = "proto3";` or `edition = "2023";`.
public struct SyntaxDecl: Sendable, Hashable {
    /// Whether the statement used the `edition` keyword.
    public var isEdition: Bool
    /// The quoted value, decoded.
    public var value: Spanned<String>
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// `package foo.bar;`.
public struct PackageDecl: Sendable, Hashable {
    /// The dotted name as written.
    public var name: Spanned<String>
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// `import "x.proto";`, `import public "x.proto";` or `import weak "x.proto";`.
public struct ImportDecl: Sendable, Hashable {
    /// Kinds of import.
    public enum Modifier: Sendable, Hashable {
        case `public`
        case weak
    }

    /// `public` or `weak`, if given.
    public var modifier: Spanned<Modifier>?
    /// The imported file's path.
    public var path: Spanned<String>
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}
