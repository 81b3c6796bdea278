/// `service Name { ... }`.
public struct ServiceDecl: Sendable, Hashable {
    public var name: Spanned<String>
    public var body: [ServiceElement]
    public var span: SourceSpan
    public var comments: Comments
}

/// A statement inside a service body.
public enum ServiceElement: Sendable, Hashable {
    case method(MethodDecl)
    case option(OptionDecl)
    case empty(SourceSpan)
}

/// `rpc Name (stream Req) returns (stream Resp) { options }` or ending in `;`.
public struct MethodDecl: Sendable, Hashable {
    /// One side of a method signature.
    public struct Signature: Sendable, Hashable {
        /// The `stream` keyword, when present.
        public var stream: SourceSpan?
        /// The message type as written.
        public var type: Spanned<String>
    }

    public var name: Spanned<String>
    public var input: Signature
    public var output: Signature
    /// Option statements (and empty statements) in the method's braces; `nil` when the method
    /// ended with `;`.
    public var body: [ServiceElement]?
    public var span: SourceSpan
    public var comments: Comments
}
