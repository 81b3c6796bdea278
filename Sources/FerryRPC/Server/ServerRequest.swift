/// A request with one message, as a unary or server-streaming handler receives it.
public struct ServerRequest<Message: Sendable>: Sendable {
    /// Request metadata (headers).
    public var metadata: Metadata
    /// The request message.
    public var message: Message

    /// Creates a request.
    public init(message: Message, metadata: Metadata = [:]) {
        self.message = message
        self.metadata = metadata
    }
}

/// A request with a stream of messages, as a client-streaming or bidirectional handler receives it.
public struct StreamingServerRequest<Message: Sendable>: Sendable {
    /// Request metadata (headers).
    public var metadata: Metadata
    /// The request messages; ends when the client half-closes.
    public var messages: RPCAsyncSequence<Message>

    /// Creates a request.
    public init(metadata: Metadata = [:], messages: RPCAsyncSequence<Message>) {
        self.metadata = metadata
        self.messages = messages
    }
}

/// A handler's single response: headers, the message and trailers. Throw ``RPCError`` to fail.
public struct ServerResponse<Message: Sendable>: Sendable {
    /// Response metadata (headers).
    public var metadata: Metadata
    /// The response message.
    public var message: Message
    /// Trailing metadata, sent with the OK status.
    public var trailingMetadata: Metadata
    /// The encoding to compress the response with; the transport uses it only if it has it enabled
    /// and the client accepts it (`grpc-accept-encoding`), and sends the message uncompressed otherwise.
    public var compression: CompressionAlgorithm?

    /// Creates a response.
    public init(
        message: Message,
        metadata: Metadata = [:],
        trailingMetadata: Metadata = [:],
        compression: CompressionAlgorithm? = nil
    ) {
        self.message = message
        self.metadata = metadata
        self.trailingMetadata = trailingMetadata
        self.compression = compression
    }
}

/// A handler's streaming response: headers now, messages from `producer`, whose return value is the
/// trailing metadata sent with the OK status. Throw ``RPCError`` from the producer to fail the call.
public struct StreamingServerResponse<Message: Sendable>: Sendable {
    /// Response metadata (headers).
    public var metadata: Metadata
    /// Writes the response messages and returns trailing metadata.
    public var producer: @Sendable (RPCWriter<Message>) async throws -> Metadata
    /// The encoding to compress the response messages with, as ``ServerResponse/compression``;
    /// single messages can still go out uncompressed with ``WriteOptions/uncompressed``.
    public var compression: CompressionAlgorithm?
    /// Called by the server instead of the producer when the call fails before the producer ran
    /// (the response headers could not be sent): how ``onFinish(_:)`` still sees every call end.
    @usableFromInline package var abandon: (@Sendable (RPCError) async -> Void)?

    /// Creates a response.
    public init(
        metadata: Metadata = [:],
        compression: CompressionAlgorithm? = nil,
        producer: @escaping @Sendable (RPCWriter<Message>) async throws -> Metadata
    ) {
        self.metadata = metadata
        self.compression = compression
        self.producer = producer
    }

    /// A response that sends one message: how single-response handlers are carried.
    public init(single response: ServerResponse<Message>) {
        let message = response.message
        let trailers = response.trailingMetadata
        self.init(metadata: response.metadata, compression: response.compression) { writer in
            try await writer.write(message)
            return trailers
        }
    }
}

/// What a handler knows about the call it serves.
public struct ServerContext: Sendable {
    /// The method being called.
    public var descriptor: MethodDescriptor
    /// When the client's deadline passes; the handler's task is cancelled then.
    public var deadline: ContinuousClock.Instant?
    /// The remote peer, e.g. `ipv4:127.0.0.1:50123`.
    public var peer: String
    /// The encoding the client compressed its request messages with; nil when uncompressed. A
    /// handler can answer in the same encoding (``ServerResponse/compression``).
    public var requestCompression: CompressionAlgorithm?
    /// The client's certificate (DER) when it authenticated with one over mutual TLS: who is
    /// calling, for authorization. The TLS layer has already checked it against the server's
    /// client trust roots.
    public var peerCertificate: [UInt8]?
    /// How the call's messages are encoded: binary protobuf, or its JSON mapping for a Connect or
    /// gRPC-Web client that asked for it. The registered serializers handle both.
    public var codec: MessageCodec

    /// Creates a context.
    public init(
        descriptor: MethodDescriptor,
        deadline: ContinuousClock.Instant? = nil,
        peer: String = "",
        requestCompression: CompressionAlgorithm? = nil,
        peerCertificate: [UInt8]? = nil,
        codec: MessageCodec = .proto
    ) {
        self.codec = codec
        self.descriptor = descriptor
        self.deadline = deadline
        self.peer = peer
        self.requestCompression = requestCompression
        self.peerCertificate = peerCertificate
    }
}
