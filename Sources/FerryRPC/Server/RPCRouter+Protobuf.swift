/// Public: these overloads are generic over FerryCodec's `Message`.
public import FerryCodec

/// Registration for protobuf messages, with ``ProtobufDeserializer`` and ``ProtobufSerializer``
/// chosen from the handler's types: what generated services call.
extension RPCRouter {
    /// Registers a unary handler of protobuf messages.
    public mutating func registerUnary<Request: FerryCodec.Message, Response: FerryCodec.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (ServerRequest<Request>, ServerContext) async throws -> ServerResponse<Response>
    ) {
        registerUnary(
            descriptor,
            deserializer: ProtobufDeserializer<Request>(),
            serializer: ProtobufSerializer<Response>(),
            handler: handler
        )
    }

    /// Registers a server-streaming handler of protobuf messages.
    public mutating func registerServerStreaming<Request: FerryCodec.Message, Response: FerryCodec.Message>(
        _ descriptor: MethodDescriptor,
        handler:
            @escaping @Sendable (ServerRequest<Request>, ServerContext) async throws -> StreamingServerResponse<
                Response
            >
    ) {
        registerServerStreaming(
            descriptor,
            deserializer: ProtobufDeserializer<Request>(),
            serializer: ProtobufSerializer<Response>(),
            handler: handler
        )
    }

    /// Registers a client-streaming handler of protobuf messages.
    public mutating func registerClientStreaming<Request: FerryCodec.Message, Response: FerryCodec.Message>(
        _ descriptor: MethodDescriptor,
        handler:
            @escaping @Sendable (StreamingServerRequest<Request>, ServerContext) async throws -> ServerResponse<
                Response
            >
    ) {
        registerClientStreaming(
            descriptor,
            deserializer: ProtobufDeserializer<Request>(),
            serializer: ProtobufSerializer<Response>(),
            handler: handler
        )
    }

    /// Registers a bidirectional-streaming handler of protobuf messages.
    public mutating func registerBidirectionalStreaming<Request: FerryCodec.Message, Response: FerryCodec.Message>(
        _ descriptor: MethodDescriptor,
        handler:
            @escaping @Sendable (StreamingServerRequest<Request>, ServerContext) async throws ->
            StreamingServerResponse<Response>
    ) {
        registerBidirectionalStreaming(
            descriptor,
            deserializer: ProtobufDeserializer<Request>(),
            serializer: ProtobufSerializer<Response>(),
            handler: handler
        )
    }
}
