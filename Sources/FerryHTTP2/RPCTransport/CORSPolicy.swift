/// Which web pages may call the server from a browser (CORS), for Connect and gRPC-Web clients.
///
/// With a policy, the server answers a preflight (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`) from an allowed origin with 204 and the methods, headers and
/// cache time it allows, and marks every response to such an origin readable by it, exposing the
/// headers the protocols carry their status in. A preflight from another origin gets 403; a call
/// from one is served without CORS headers, so the browser keeps its answer from the page.
public struct CORSPolicy: Sendable, Hashable {
    /// The origins allowed, exactly as browsers send them (`https://shop.example.com`); `*` allows
    /// any origin.
    public var allowedOrigins: Set<String>
    /// Response headers, besides the protocols' own, that pages may read (application metadata).
    public var exposedHeaders: [String]
    /// How long a browser may cache a preflight's answer (default 2 hours).
    public var maxAge: Duration

    /// The headers the protocols carry their status and encodings in, always exposed.
    static let protocolHeaders = [
        "grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding", "grpc-accept-encoding",
        "connect-content-encoding", "connect-accept-encoding", "content-encoding",
    ]

    /// The request headers a preflight is allowed when it names none.
    static let requestHeaders = [
        "content-type", "connect-protocol-version", "connect-timeout-ms", "connect-content-encoding",
        "connect-accept-encoding", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "x-grpc-web",
        "x-user-agent",
    ]

    /// Creates a policy.
    public init(allowedOrigins: Set<String>, exposedHeaders: [String] = [], maxAge: Duration = .seconds(7200)) {
        self.allowedOrigins = allowedOrigins
        self.exposedHeaders = exposedHeaders
        self.maxAge = maxAge
    }

    /// Whether a page from `origin` may call.
    func allows(_ origin: String) -> Bool {
        allowedOrigins.contains("*") || allowedOrigins.contains(origin)
    }

    /// The headers that make a response readable by a page from `origin`.
    func responseHeaders(origin: String) -> [HeaderField] {
        [
            HeaderField("access-control-allow-origin", origin),
            HeaderField("vary", "Origin"),
            HeaderField(
                "access-control-expose-headers",
                (Self.protocolHeaders + exposedHeaders.map { $0.lowercased() }).joined(separator: ", ")
            ),
        ]
    }

    /// The answer to a preflight from an allowed origin: what it may send, and for how long the
    /// browser may remember it. The request headers it asked for are allowed (metadata is the
    /// application's), or the protocols' when it asked for none.
    func preflightHeaders(origin: String, requestedHeaders: String?) -> [HeaderField] {
        let headers = requestedHeaders.map { $0.lowercased() } ?? Self.requestHeaders.joined(separator: ", ")
        return [
            HeaderField(":status", "204"),
            HeaderField("access-control-allow-origin", origin),
            HeaderField("vary", "Origin"),
            HeaderField("access-control-allow-methods", "POST"),
            HeaderField("access-control-allow-headers", headers),
            HeaderField("access-control-max-age", String(maxAge.components.seconds)),
        ]
    }
}
