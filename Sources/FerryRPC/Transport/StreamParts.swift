/// What a client sends on a stream: first the request metadata (headers), then messages.
public enum RPCRequestPart: Sendable {
    /// The request metadata; always the first part.
    case metadata(Metadata)
    /// One serialized request message.
    case message([UInt8])
}

/// What a server sends on a stream: response metadata (headers), messages, and finally the status
/// with trailing metadata.
///
/// A stream whose first part is `.status` is a Trailers-Only response. A `grpc-encoding` entry in
/// the `.metadata` part asks the transport to compress the response messages with that encoding
/// (``ServerResponse/compression`` puts it there); the transport does so only when it has the
/// encoding enabled and the client accepts it, and never sends the entry as user metadata.
public enum RPCResponsePart: Sendable {
    /// The response metadata (headers).
    case metadata(Metadata)
    /// One serialized response message.
    case message([UInt8])
    /// The call's status and trailing metadata; always the last part.
    case status(Status, Metadata)
}

/// The client's view of one RPC stream, handed out by ``ClientTransport/withStream(descriptor:options:_:)``.
public struct RPCClientStream: Sendable {
    /// Parts arriving from the server.
    public var inbound: RPCAsyncSequence<RPCResponsePart>
    /// Parts to send to the server; finishing it half-closes the stream.
    public var outbound: ClosableRPCWriter<RPCRequestPart>

    /// Creates a stream view.
    public init(inbound: RPCAsyncSequence<RPCResponsePart>, outbound: ClosableRPCWriter<RPCRequestPart>) {
        self.inbound = inbound
        self.outbound = outbound
    }
}

/// The server's view of one RPC stream, handed to the handler passed to ``ServerTransport/listen(_:)``.
public struct RPCServerStream: Sendable {
    /// Parts arriving from the client: the request metadata first, then messages.
    public var inbound: RPCAsyncSequence<RPCRequestPart>
    /// Parts to send to the client; writing `.status` ends the stream.
    public var outbound: ClosableRPCWriter<RPCResponsePart>

    /// Creates a stream view.
    public init(inbound: RPCAsyncSequence<RPCRequestPart>, outbound: ClosableRPCWriter<RPCResponsePart>) {
        self.inbound = inbound
        self.outbound = outbound
    }
}

/// Options a client passes to its transport when opening a stream.
public struct ClientStreamOptions: Sendable, Hashable {
    /// When the call must be over; the transport sends it as `grpc-timeout`.
    public var deadline: ContinuousClock.Instant?
    /// The largest response message to accept; the transport fails the stream with
    /// RESOURCE_EXHAUSTED for larger ones without buffering them.
    public var maxResponseMessageBytes: Int
    /// The encoding of the request messages; nil or identity sends them uncompressed.
    public var compression: CompressionAlgorithm?
    /// Whether opening the stream waits for a ready connection (until the deadline) while the
    /// channel is in TRANSIENT_FAILURE, instead of failing at once with UNAVAILABLE.
    public var waitForReady: Bool
    /// The call's shape, when the client knows it: protocols that carry unary calls differently
    /// from streams (Connect) need it; gRPC does not look at it.
    public var kind: RPCKind?

    /// Creates options.
    public init(
        deadline: ContinuousClock.Instant? = nil,
        maxResponseMessageBytes: Int = CallOptions.defaultMaxMessageBytes,
        compression: CompressionAlgorithm? = nil,
        waitForReady: Bool = false,
        kind: RPCKind? = nil
    ) {
        self.kind = kind
        self.deadline = deadline
        self.maxResponseMessageBytes = maxResponseMessageBytes
        self.compression = compression
        self.waitForReady = waitForReady
    }
}

/// What the server transport knows about an incoming stream besides its parts.
public struct ServerStreamContext: Sendable {
    /// The request's `:path`, e.g. `/package.Service/Method`.
    public var path: String
    /// The deadline the client sent (`grpc-timeout`), as an instant on this machine's clock.
    public var deadline: ContinuousClock.Instant?
    /// A description of the remote peer, e.g. `ipv4:127.0.0.1:50123`.
    public var peer: String
    /// Fired by the transport when the client cancels the stream (RST_STREAM) or the connection dies;
    /// the server then cancels the handler's task.
    public var cancellation: StreamCancellation
    /// The encoding the client compresses its request messages with (`grpc-encoding`); nil when
    /// they are sent uncompressed.
    public var requestCompression: CompressionAlgorithm?
    /// The client's certificate (DER) when it presented one over mutual TLS.
    public var peerCertificate: [UInt8]?
    /// How the call's messages are encoded (the request's content type says).
    public var codec: MessageCodec
    /// The request's HTTP method: `POST`, or `GET` for a Connect unary call with the request in
    /// its query string, which the server serves only for methods without side effects.
    public var httpMethod: String

    /// Creates a context.
    public init(
        path: String,
        deadline: ContinuousClock.Instant?,
        peer: String,
        cancellation: StreamCancellation,
        requestCompression: CompressionAlgorithm? = nil,
        peerCertificate: [UInt8]? = nil,
        codec: MessageCodec = .proto,
        httpMethod: String = "POST"
    ) {
        self.codec = codec
        self.httpMethod = httpMethod
        self.path = path
        self.deadline = deadline
        self.peer = peer
        self.cancellation = cancellation
        self.requestCompression = requestCompression
        self.peerCertificate = peerCertificate
    }
}
