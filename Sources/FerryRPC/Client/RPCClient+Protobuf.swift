/// Public: these overloads are generic over FerryCodec's `Message`.
public import FerryCodec

/// The four call kinds for protobuf messages, with ``ProtobufSerializer`` and
/// ``ProtobufDeserializer`` chosen from the message types: what generated clients call.
extension RPCClient {
    /// A unary call with protobuf messages; see ``unary(request:descriptor:serializer:deserializer:options:)``.
    public func unary<Request: FerryCodec.Message, Response: FerryCodec.Message>(
        request: ClientRequest<Request>,
        descriptor: MethodDescriptor,
        options: CallOptions = .defaults
    ) async throws(RPCError) -> ClientResponse<Response> {
        try await unary(
            request: request,
            descriptor: descriptor,
            serializer: ProtobufSerializer<Request>(),
            deserializer: ProtobufDeserializer<Response>(),
            options: options
        )
    }

    /// A client-streaming call with protobuf messages; see
    /// ``clientStreaming(request:descriptor:serializer:deserializer:options:)``.
    public func clientStreaming<Request: FerryCodec.Message, Response: FerryCodec.Message>(
        request: StreamingClientRequest<Request>,
        descriptor: MethodDescriptor,
        options: CallOptions = .defaults
    ) async throws(RPCError) -> ClientResponse<Response> {
        try await clientStreaming(
            request: request,
            descriptor: descriptor,
            serializer: ProtobufSerializer<Request>(),
            deserializer: ProtobufDeserializer<Response>(),
            options: options
        )
    }

    /// A server-streaming call with protobuf messages; see
    /// ``serverStreaming(request:descriptor:serializer:deserializer:options:onResponse:)``.
    public func serverStreaming<Request: FerryCodec.Message, Response: FerryCodec.Message, Result: Sendable>(
        request: ClientRequest<Request>,
        descriptor: MethodDescriptor,
        options: CallOptions = .defaults,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        try await serverStreaming(
            request: request,
            descriptor: descriptor,
            serializer: ProtobufSerializer<Request>(),
            deserializer: ProtobufDeserializer<Response>(),
            options: options,
            onResponse: onResponse
        )
    }

    /// A bidirectional-streaming call with protobuf messages; see
    /// ``bidirectionalStreaming(request:descriptor:serializer:deserializer:options:onResponse:)``.
    public func bidirectionalStreaming<Request: FerryCodec.Message, Response: FerryCodec.Message, Result: Sendable>(
        request: StreamingClientRequest<Request>,
        descriptor: MethodDescriptor,
        options: CallOptions = .defaults,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        try await bidirectionalStreaming(
            request: request,
            descriptor: descriptor,
            serializer: ProtobufSerializer<Request>(),
            deserializer: ProtobufDeserializer<Response>(),
            options: options,
            onResponse: onResponse
        )
    }
}
