// TEMPORARY: hand-written stand-in for the service stubs the code generator is about to emit (the
// lead's announced API). Deleted as soon as generated stubs land on main.
import FerryCodec
import FerryRPC

enum Grpc_Testing_TestService {
    enum Method {
        static func named(_ name: String) -> MethodDescriptor {
            MethodDescriptor(service: "grpc.testing.TestService", method: name)
        }
    }

    struct Client: Sendable {
        let client: RPCClient
        init(wrapping rpcClient: RPCClient) { self.client = rpcClient }

        private func unary<Req: FerryCodec.Message, Res: FerryCodec.Message>(
            _ name: String, _ request: ClientRequest<Req>, _ options: CallOptions
        ) async throws(RPCError) -> ClientResponse<Res> {
            try await client.unary(
                request: request, descriptor: Method.named(name), serializer: ProtobufSerializer<Req>(),
                deserializer: ProtobufDeserializer<Res>(), options: options)
        }

        func emptyCall(_ message: Grpc_Testing_Empty, metadata: Metadata = [:], options: CallOptions = .defaults)
            async throws(RPCError) -> Grpc_Testing_Empty
        {
            try await unary("EmptyCall", ClientRequest(message: message, metadata: metadata), options).message
        }

        func unimplementedCall(_ message: Grpc_Testing_Empty, metadata: Metadata = [:], options: CallOptions = .defaults)
            async throws(RPCError) -> Grpc_Testing_Empty
        {
            try await unary("UnimplementedCall", ClientRequest(message: message, metadata: metadata), options).message
        }

        func unaryCall(_ message: Grpc_Testing_SimpleRequest, metadata: Metadata = [:], options: CallOptions = .defaults)
            async throws(RPCError) -> Grpc_Testing_SimpleResponse
        {
            try await unary("UnaryCall", ClientRequest(message: message, metadata: metadata), options).message
        }

        func unaryCall(request: ClientRequest<Grpc_Testing_SimpleRequest>, options: CallOptions = .defaults)
            async throws(RPCError) -> ClientResponse<Grpc_Testing_SimpleResponse>
        {
            try await unary("UnaryCall", request, options)
        }

        func streamingOutputCall<R: Sendable>(
            request: ClientRequest<Grpc_Testing_StreamingOutputCallRequest>, options: CallOptions = .defaults,
            onResponse: @escaping @Sendable (StreamingClientResponse<Grpc_Testing_StreamingOutputCallResponse>) async throws -> R
        ) async throws(RPCError) -> R {
            try await client.serverStreaming(
                request: request, descriptor: Method.named("StreamingOutputCall"),
                serializer: ProtobufSerializer<Grpc_Testing_StreamingOutputCallRequest>(),
                deserializer: ProtobufDeserializer<Grpc_Testing_StreamingOutputCallResponse>(), options: options,
                onResponse: onResponse)
        }

        func streamingInputCall(
            metadata: Metadata = [:], options: CallOptions = .defaults,
            requestProducer: @escaping @Sendable (RPCWriter<Grpc_Testing_StreamingInputCallRequest>) async throws -> Void
        ) async throws(RPCError) -> Grpc_Testing_StreamingInputCallResponse {
            try await client.clientStreaming(
                request: StreamingClientRequest(metadata: metadata, producer: requestProducer),
                descriptor: Method.named("StreamingInputCall"),
                serializer: ProtobufSerializer<Grpc_Testing_StreamingInputCallRequest>(),
                deserializer: ProtobufDeserializer<Grpc_Testing_StreamingInputCallResponse>(), options: options
            ).message
        }

        func fullDuplexCall<R: Sendable>(
            request: StreamingClientRequest<Grpc_Testing_StreamingOutputCallRequest>, options: CallOptions = .defaults,
            onResponse: @escaping @Sendable (StreamingClientResponse<Grpc_Testing_StreamingOutputCallResponse>) async throws -> R
        ) async throws(RPCError) -> R {
            try await client.bidirectionalStreaming(
                request: request, descriptor: Method.named("FullDuplexCall"),
                serializer: ProtobufSerializer<Grpc_Testing_StreamingOutputCallRequest>(),
                deserializer: ProtobufDeserializer<Grpc_Testing_StreamingOutputCallResponse>(), options: options,
                onResponse: onResponse)
        }

        func fullDuplexCall<R: Sendable>(
            metadata: Metadata = [:], options: CallOptions = .defaults,
            body: @escaping @Sendable (
                ClosableRPCWriter<Grpc_Testing_StreamingOutputCallRequest>,
                RPCAsyncSequence<Grpc_Testing_StreamingOutputCallResponse>
            ) async throws -> R
        ) async throws(RPCError) -> R {
            // The body must be able to write before response headers arrive (grpcio sends none until
            // its handler produces a response), so it runs beside the call, not inside onResponse.
            let (requests, requestSink) = AsyncStream<Grpc_Testing_StreamingOutputCallRequest>.makeStream()
            let writer = ClosableRPCWriter<Grpc_Testing_StreamingOutputCallRequest>(
                write: { requestSink.yield($0) }, finish: { requestSink.finish() })
            let (responses, responseSink) = AsyncThrowingStream<Grpc_Testing_StreamingOutputCallResponse, any Error>.makeStream()
            let request = StreamingClientRequest<Grpc_Testing_StreamingOutputCallRequest>(metadata: metadata) { out in
                for await message in requests { try await out.write(message) }
            }
            do {
                return try await withThrowingTaskGroup(of: R?.self) { group in
                    group.addTask {
                        do {
                            try await fullDuplexCall(request: request, options: options) { response in
                                for try await message in response.messages { responseSink.yield(message) }
                                responseSink.finish()
                            }
                        } catch {
                            responseSink.finish(throwing: error)
                            throw error
                        }
                        return nil
                    }
                    group.addTask {
                        defer { requestSink.finish() }
                        return try await body(writer, RPCAsyncSequence(wrapping: responses))
                    }
                    var result: R?
                    for try await value in group where value != nil { result = value }
                    guard let result else { throw RPCError(code: .internalError, message: "no result") }
                    return result
                }
            } catch {
                throw RPCError(converting: error)
            }
        }
    }

    protocol ServiceProtocol: RPCService {
        func emptyCall(_ request: ServerRequest<Grpc_Testing_Empty>, context: ServerContext) async throws -> ServerResponse<Grpc_Testing_Empty>
        func unaryCall(_ request: ServerRequest<Grpc_Testing_SimpleRequest>, context: ServerContext) async throws -> ServerResponse<Grpc_Testing_SimpleResponse>
        func cacheableUnaryCall(_ request: ServerRequest<Grpc_Testing_SimpleRequest>, context: ServerContext) async throws -> ServerResponse<Grpc_Testing_SimpleResponse>
        func streamingOutputCall(_ request: ServerRequest<Grpc_Testing_StreamingOutputCallRequest>, context: ServerContext) async throws -> StreamingServerResponse<Grpc_Testing_StreamingOutputCallResponse>
        func streamingInputCall(_ request: StreamingServerRequest<Grpc_Testing_StreamingInputCallRequest>, context: ServerContext) async throws -> ServerResponse<Grpc_Testing_StreamingInputCallResponse>
        func fullDuplexCall(_ request: StreamingServerRequest<Grpc_Testing_StreamingOutputCallRequest>, context: ServerContext) async throws -> StreamingServerResponse<Grpc_Testing_StreamingOutputCallResponse>
        func halfDuplexCall(_ request: StreamingServerRequest<Grpc_Testing_StreamingOutputCallRequest>, context: ServerContext) async throws -> StreamingServerResponse<Grpc_Testing_StreamingOutputCallResponse>
        func unimplementedCall(_ request: ServerRequest<Grpc_Testing_Empty>, context: ServerContext) async throws -> ServerResponse<Grpc_Testing_Empty>
    }
}

extension Grpc_Testing_TestService.ServiceProtocol {
    func registerMethods(with router: inout RPCRouter) {
        typealias M = Grpc_Testing_TestService.Method
        router.registerUnary(M.named("EmptyCall"), deserializer: ProtobufDeserializer<Grpc_Testing_Empty>(), serializer: ProtobufSerializer<Grpc_Testing_Empty>()) { try await self.emptyCall($0, context: $1) }
        router.registerUnary(M.named("UnaryCall"), deserializer: ProtobufDeserializer<Grpc_Testing_SimpleRequest>(), serializer: ProtobufSerializer<Grpc_Testing_SimpleResponse>()) { try await self.unaryCall($0, context: $1) }
        router.registerUnary(M.named("CacheableUnaryCall"), deserializer: ProtobufDeserializer<Grpc_Testing_SimpleRequest>(), serializer: ProtobufSerializer<Grpc_Testing_SimpleResponse>()) { try await self.cacheableUnaryCall($0, context: $1) }
        router.registerServerStreaming(M.named("StreamingOutputCall"), deserializer: ProtobufDeserializer<Grpc_Testing_StreamingOutputCallRequest>(), serializer: ProtobufSerializer<Grpc_Testing_StreamingOutputCallResponse>()) { try await self.streamingOutputCall($0, context: $1) }
        router.registerClientStreaming(M.named("StreamingInputCall"), deserializer: ProtobufDeserializer<Grpc_Testing_StreamingInputCallRequest>(), serializer: ProtobufSerializer<Grpc_Testing_StreamingInputCallResponse>()) { try await self.streamingInputCall($0, context: $1) }
        router.registerBidirectionalStreaming(M.named("FullDuplexCall"), deserializer: ProtobufDeserializer<Grpc_Testing_StreamingOutputCallRequest>(), serializer: ProtobufSerializer<Grpc_Testing_StreamingOutputCallResponse>()) { try await self.fullDuplexCall($0, context: $1) }
        router.registerBidirectionalStreaming(M.named("HalfDuplexCall"), deserializer: ProtobufDeserializer<Grpc_Testing_StreamingOutputCallRequest>(), serializer: ProtobufSerializer<Grpc_Testing_StreamingOutputCallResponse>()) { try await self.halfDuplexCall($0, context: $1) }
        router.registerUnary(M.named("UnimplementedCall"), deserializer: ProtobufDeserializer<Grpc_Testing_Empty>(), serializer: ProtobufSerializer<Grpc_Testing_Empty>()) { try await self.unimplementedCall($0, context: $1) }
    }
}

enum Grpc_Testing_UnimplementedService {
    struct Client: Sendable {
        let client: RPCClient
        init(wrapping rpcClient: RPCClient) { self.client = rpcClient }

        func unimplementedCall(_ message: Grpc_Testing_Empty, metadata: Metadata = [:], options: CallOptions = .defaults)
            async throws(RPCError) -> Grpc_Testing_Empty
        {
            try await client.unary(
                request: ClientRequest(message: message, metadata: metadata),
                descriptor: MethodDescriptor(service: "grpc.testing.UnimplementedService", method: "UnimplementedCall"),
                serializer: ProtobufSerializer<Grpc_Testing_Empty>(), deserializer: ProtobufDeserializer<Grpc_Testing_Empty>(),
                options: options
            ).message
        }
    }
}
