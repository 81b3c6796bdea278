/// Names one RPC method: the fully qualified service (`package.Service`) and the method name.
///
/// Generated code creates one descriptor per method; transports send ``path`` (`/package.Service/Method`)
/// as HTTP/2's `:path` and servers route on it.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The fully qualified service name, e.g. `grpc.testing.TestService`.
    public var service: String
    /// The method name, e.g. `UnaryCall`.
    public var method: String

    /// Creates a descriptor.
    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    /// Parses a request path of the form `/package.Service/Method`; nil for anything else.
    public init?(path: String) {
        guard path.hasPrefix("/") else { return nil }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(service: String(parts[0]), method: String(parts[1]))
    }

    /// The HTTP/2 `:path`: `/package.Service/Method`.
    public var path: String { "/\(service)/\(method)" }

    /// The ``path``, `/package.Service/Method`.
    public var description: String { path }
}

/// The four shapes an RPC can have.
public enum RPCKind: Sendable, Hashable {
    /// One request, one response.
    case unary
    /// One request, a stream of responses.
    case serverStreaming
    /// A stream of requests, one response.
    case clientStreaming
    /// Streams in both directions.
    case bidirectionalStreaming
}
