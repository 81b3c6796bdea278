/// Carries RPC streams from a client to a server; FerryHTTP2 implements it over HTTP/2, and
/// ``InProcessTransport`` inside one process for tests.
///
/// Implementations are long-lived: ``connect()`` runs until ``beginGracefulShutdown()`` (or task
/// cancellation) and streams are opened with ``withStream(descriptor:options:_:)`` meanwhile.
public protocol ClientTransport: Sendable {
    /// Runs the transport (connections, event loops) until it is shut down.
    ///
    /// - Throws: ``RPCError`` with ``Status/Code/unavailable`` when the transport cannot run at all.
    func connect() async throws(RPCError)

    /// Stops accepting new streams, lets open ones finish, then makes ``connect()`` return.
    func beginGracefulShutdown()

    /// Opens a stream for one RPC attempt and runs `body` with it.
    ///
    /// When `body` returns or throws before the stream has ended, or the calling task is cancelled,
    /// the transport cancels the stream (RST_STREAM on HTTP/2) and `inbound` throws
    /// ``Status/Code/cancelled``.
    ///
    /// - Throws: what `body` throws, or ``RPCError`` with ``Status/Code/unavailable`` when no stream can
    ///   be opened (transport shut down, connection refused).
    func withStream<Result: Sendable>(
        descriptor: MethodDescriptor,
        options: ClientStreamOptions,
        _ body: @Sendable (RPCClientStream) async throws -> Result
    ) async throws -> Result

    /// The service config's settings for `method` (the channel owns its service config: the one it
    /// was created with, or one its name resolver supplied); nil when no entry matches.
    func config(forMethod method: MethodDescriptor) -> ServiceConfig.MethodConfig?

    /// The channel's retry token bucket, shared by every call on it; nil when its service config
    /// has no `retryThrottling`.
    var retryThrottle: RetryThrottle? { get }
}

extension ClientTransport {
    /// No per-method settings: a transport without a service config.
    public func config(forMethod method: MethodDescriptor) -> ServiceConfig.MethodConfig? { nil }

    /// No throttling: a transport without a service config.
    public var retryThrottle: RetryThrottle? { nil }
}

/// Accepts RPC streams for a server.
///
/// The transport calls the handler given to ``listen(_:)`` once per stream, concurrently, and must
/// fire the stream's ``ServerStreamContext/cancellation`` when the client cancels it.
public protocol ServerTransport: Sendable {
    /// Accepts streams until ``beginGracefulShutdown()`` (after open streams finish) or cancellation.
    ///
    /// - Throws: ``RPCError`` with ``Status/Code/unavailable`` when the transport cannot listen
    ///   (address in use, ...).
    func listen(
        _ handler: @escaping @Sendable (RPCServerStream, ServerStreamContext) async -> Void
    ) async throws(RPCError)

    /// Stops accepting new streams; open streams run to their end.
    func beginGracefulShutdown()

    /// How large a request this transport takes and a response it lets the server send: the one
    /// knob for message sizes on the server side (``RPCServer`` enforces the response limit).
    var messageLimits: ServerMessageLimits { get }
}

/// How large a message a server takes and sends: one configuration for both directions, set on the
/// transport that carries the calls.
///
/// The transport refuses a larger request message before buffering it (a compressed one is held to
/// the limit as received and as it inflates); ``RPCServer`` refuses a larger response message before
/// handing it to the transport. Either ends the call with RESOURCE_EXHAUSTED.
public struct ServerMessageLimits: Sendable, Hashable {
    /// The largest request message, in bytes (default 4 MiB, as gRPC's).
    public var maxRequestBytes: Int
    /// The largest response message, in bytes (default 4 MiB).
    public var maxResponseBytes: Int

    /// Creates limits.
    public init(
        maxRequestBytes: Int = CallOptions.defaultMaxMessageBytes,
        maxResponseBytes: Int = CallOptions.defaultMaxMessageBytes
    ) {
        self.maxRequestBytes = maxRequestBytes
        self.maxResponseBytes = maxResponseBytes
    }
}
