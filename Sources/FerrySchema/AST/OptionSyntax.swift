/// An option name such as `java_package` or `(foo.bar).baz`.
public struct OptionName: Sendable, Hashable {
    /// One dot-separated component.
    public struct Part: Sendable, Hashable {
        /// The name; for extensions, the dotted name inside the parentheses (leading dot kept).
        public var name: String
        /// Whether the part was written in parentheses (an extension).
        public var isExtension: Bool
        /// The part, including parentheses.
        public var span: SourceSpan
    }

    /// The components in order.
    public var parts: [Part]
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan

    /// The name as written, e.g. `(foo.bar).baz`.
    public var text: String {
        parts.map { $0.isExtension ? "(\($0.name))" : $0.name }.joined(separator: ".")
    }

    /// Whether this is the plain (non-extension) single-part name `name`.
    public func isSimple(_ name: String) -> Bool {
        parts.count == 1 && !parts[0].isExtension && parts[0].name == name
    }
}

/// The value on the right of `=` in an option.
public struct OptionValue: Sendable, Hashable {
    /// The forms an option value can take.
    public enum Kind: Sendable, Hashable {
        /// An identifier (`true`, `SPEED`, `inf`), possibly preceded by `-`.
        case identifier(String, negative: Bool)
        /// An integer literal: its magnitude (`nil` when it does not fit in 64 bits) and sign.
        case integer(UInt64?, negative: Bool)
        /// A floating-point literal, possibly preceded by `-`.
        case float(Double, negative: Bool)
        /// One or more adjacent string literals, concatenated and decoded.
        case string([UInt8])
        /// A `{ ... }` text-format message: the tokens inside the braces joined by single spaces.
        case aggregate(String)
    }

    /// What form the value takes.
    public var kind: Kind
    /// The text of the literal as written (without the sign), for diagnostics and rendering.
    public var text: String
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
}

/// `option name = value;` as a statement.
public struct OptionDecl: Sendable, Hashable {
    /// The declared name and where it was written.
    public var name: OptionName
    /// The value.
    public var value: OptionValue
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}

/// One `name = value` inside `[...]` after a field, enum value or extension range.
public struct CompactOption: Sendable, Hashable {
    /// The declared name and where it was written.
    public var name: OptionName
    /// The value.
    public var value: OptionValue
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
}

/// The bracketed option list `[a = 1, (b) = 2]`.
public struct CompactOptions: Sendable, Hashable {
    /// The `name = value` pairs in source order.
    public var entries: [CompactOption]
    /// From `[` to `]`.
    public var span: SourceSpan
}
