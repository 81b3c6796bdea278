import FerryRPC

/// Ferry's grpc.testing.TestService with the server features of grpc's interop descriptions:
/// EmptyCall, UnaryCall (and CacheableUnaryCall, without caching headers), StreamingInputCall,
/// StreamingOutputCall, FullDuplexCall, HalfDuplexCall, Echo Metadata, Echo Status and
/// ResponseParameters.interval_us. UnimplementedCall answers UNIMPLEMENTED, as the descriptions ask.
struct TestServiceImplementation: Grpc_Testing_TestService.ServiceProtocol {
    func emptyCall(
        _ request: ServerRequest<Grpc_Testing_Empty>,
        context: ServerContext
    ) async throws -> ServerResponse<Grpc_Testing_Empty> {
        let echo = EchoedMetadata(request.metadata)
        return ServerResponse(message: Grpc_Testing_Empty(), metadata: echo.initial, trailingMetadata: echo.trailing)
    }

    func unaryCall(
        _ request: ServerRequest<Grpc_Testing_SimpleRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Grpc_Testing_SimpleResponse> {
        let echo = EchoedMetadata(request.metadata)
        let message = request.message
        try Self.checkCompression(expected: message.expectCompressed, context: context)
        if let status = message.responseStatus, status.code != 0 { throw echo.error(status) }
        try Self.checkSupported(message.responseType)
        var response = Grpc_Testing_SimpleResponse()
        response.payload = try Self.payload(size: message.responseSize)
        // CompressedResponse: compress when asked, in the request's encoding or gzip.
        let compression = message.responseCompressed?.value == true ? (context.requestCompression ?? .gzip) : nil
        return ServerResponse(
            message: response,
            metadata: echo.initial,
            trailingMetadata: echo.trailing,
            compression: compression
        )
    }

    func cacheableUnaryCall(
        _ request: ServerRequest<Grpc_Testing_SimpleRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Grpc_Testing_SimpleResponse> {
        try await unaryCall(request, context: context)
    }

    func streamingOutputCall(
        _ request: ServerRequest<Grpc_Testing_StreamingOutputCallRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Grpc_Testing_StreamingOutputCallResponse> {
        let echo = EchoedMetadata(request.metadata)
        let message = request.message
        try Self.checkSupported(message.responseType)
        return StreamingServerResponse(metadata: echo.initial, compression: .gzip) { writer in
            try await Self.respond(to: message.responseParameters, with: writer)
            if let status = message.responseStatus, status.code != 0 { throw echo.error(status) }
            return echo.trailing
        }
    }

    func streamingInputCall(
        _ request: StreamingServerRequest<Grpc_Testing_StreamingInputCallRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Grpc_Testing_StreamingInputCallResponse> {
        let echo = EchoedMetadata(request.metadata)
        var total = 0
        for try await message in request.messages {
            try Self.checkCompression(expected: message.expectCompressed, context: context)
            total += message.payload?.body.count ?? 0
        }
        var response = Grpc_Testing_StreamingInputCallResponse()
        response.aggregatedPayloadSize = Int32(clamping: total)
        return ServerResponse(message: response, metadata: echo.initial, trailingMetadata: echo.trailing)
    }

    func fullDuplexCall(
        _ request: StreamingServerRequest<Grpc_Testing_StreamingOutputCallRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Grpc_Testing_StreamingOutputCallResponse> {
        let echo = EchoedMetadata(request.metadata)
        return StreamingServerResponse(metadata: echo.initial, compression: .gzip) { writer in
            for try await message in request.messages {
                // Echo Status: the call ends with the status; later requests are not processed.
                if let status = message.responseStatus, status.code != 0 { throw echo.error(status) }
                try Self.checkSupported(message.responseType)
                try await Self.respond(to: message.responseParameters, with: writer)
            }
            return echo.trailing
        }
    }

    func halfDuplexCall(
        _ request: StreamingServerRequest<Grpc_Testing_StreamingOutputCallRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Grpc_Testing_StreamingOutputCallResponse> {
        let echo = EchoedMetadata(request.metadata)
        return StreamingServerResponse(metadata: echo.initial, compression: .gzip) { writer in
            let messages = try await request.messages.collect()
            for message in messages {
                if let status = message.responseStatus, status.code != 0 { throw echo.error(status) }
                try Self.checkSupported(message.responseType)
                try await Self.respond(to: message.responseParameters, with: writer)
            }
            return echo.trailing
        }
    }

    func unimplementedCall(
        _ request: ServerRequest<Grpc_Testing_Empty>,
        context: ServerContext
    ) async throws -> ServerResponse<Grpc_Testing_Empty> {
        throw RPCError(
            code: .unimplemented,
            message: "grpc.testing.TestService/UnimplementedCall is not implemented, on purpose."
        )
    }

    /// Writes one response per parameter set, each after its `interval_us` (which accumulate).
    private static func respond(
        to parameters: [Grpc_Testing_ResponseParameters],
        with writer: RPCWriter<Grpc_Testing_StreamingOutputCallResponse>
    ) async throws {
        for parameter in parameters {
            if parameter.intervalUs > 0 {
                try await Task.sleep(for: .microseconds(Int(parameter.intervalUs)))
            }
            var response = Grpc_Testing_StreamingOutputCallResponse()
            response.payload = try payload(size: parameter.size)
            // CompressedResponse per message: streaming responses declare gzip (when the client
            // accepts it) and compress only the messages that ask for it.
            try await writer.write(response, options: parameter.compressed?.value == true ? .default : .uncompressed)
        }
    }

    /// CompressedRequest: a request that says it expects to arrive compressed must have come in a
    /// compressed call; otherwise INVALID_ARGUMENT, which clients use to probe for the feature.
    private static func checkCompression(expected: Grpc_Testing_BoolValue?, context: ServerContext) throws(RPCError) {
        guard expected?.value == true, context.requestCompression == nil else { return }
        throw RPCError(code: .invalidArgument, message: "The request expected to be compressed arrived uncompressed.")
    }

    private static func payload(size: Int32) throws(RPCError) -> Grpc_Testing_Payload {
        guard size >= 0 else {
            throw RPCError(code: .invalidArgument, message: "A response size must not be negative (got \(size)).")
        }
        return .zeros(Int(size))
    }

    /// Only COMPRESSABLE payloads exist; an unknown payload type is INVALID_ARGUMENT, as UnaryCall's
    /// description asks.
    private static func checkSupported(_ type: Grpc_Testing_PayloadType) throws(RPCError) {
        guard type == .compressable else {
            throw RPCError(code: .invalidArgument, message: "Unsupported response payload type \(type.rawValue).")
        }
    }
}

/// The request metadata the server feature "Echo Metadata" sends back.
struct EchoedMetadata: Sendable {
    /// `x-grpc-test-echo-initial`, for the response headers.
    var initial: Metadata = [:]
    /// `x-grpc-test-echo-trailing-bin`, for the trailers.
    var trailing: Metadata = [:]

    init(_ requestMetadata: Metadata) {
        for element in requestMetadata {
            switch element.key {
            case EchoMetadata.initialKey: initial.add(element.value, forKey: element.key)
            case EchoMetadata.trailingKey: trailing.add(element.value, forKey: element.key)
            default: break
            }
        }
    }

    /// The error for "Echo Status": the requested code and message, with the echoed trailers.
    func error(_ status: Grpc_Testing_EchoStatus) -> RPCError {
        RPCError(code: Status.Code(wireValue: Int(status.code)), message: status.message, metadata: trailing)
    }
}
