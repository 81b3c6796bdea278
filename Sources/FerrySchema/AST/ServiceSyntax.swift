/// `service Name { ... }`.
public struct ServiceDecl: Sendable, Hashable {
    /// The declared name and where it was written.
    public var name: Spanned<String>
    /// The statements inside the braces, in source order.
    public var body: [ServiceElement]
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
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

    /// The declared name and where it was written.
    public var name: Spanned<String>
    /// The request side.
    public var input: Signature
    /// The response side.
    public var output: Signature
    /// Option statements (and empty statements) in the method's braces; `nil` when the method
    /// ended with `;`.
    public var body: [ServiceElement]?
    /// The whole declaration, from its first token to its terminating `;` or `}`.
    public var span: SourceSpan
    /// The comments protoc would attach to this declaration.
    public var comments: Comments
}
