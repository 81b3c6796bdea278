import FerryCodec
import FerryRPC

/// The procedures and assertions of each interop client case, through the generated
/// grpc.testing.TestService client.
struct InteropCaseRunner: Sendable {
    let service: Grpc_Testing_TestService.Client
    let rpcClient: RPCClient
    let checker: InteropChecker
    /// Every call gets a deadline so a broken peer fails the case instead of hanging it.
    let options = CallOptions(timeout: .seconds(60))

    init(client: RPCClient, checker: InteropChecker) {
        self.service = Grpc_Testing_TestService.Client(wrapping: client)
        self.rpcClient = client
        self.checker = checker
    }

    /// The `SimpleRequest` of large_unary and custom_metadata.
    static var largeRequest: Grpc_Testing_SimpleRequest {
        var request = Grpc_Testing_SimpleRequest()
        request.responseSize = 314_159
        request.payload = .zeros(271_828)
        return request
    }

    func emptyUnary() async throws(InteropFailure) {
        let response = try await checker.expectSuccess("EmptyCall") {
            try await service.emptyCall(Grpc_Testing_Empty(), options: options)
        }
        try checker.check(
            response.serializedBytes().isEmpty,
            "EmptyCall succeeds with an Empty that serializes to zero bytes"
        )
    }

    func largeUnary() async throws(InteropFailure) {
        let response = try await checker.expectSuccess("UnaryCall") {
            try await service.unaryCall(Self.largeRequest, options: options)
        }
        try checkPayload(response.payload, size: 314_159, "the UnaryCall response")
    }

    func clientCompressedUnary() async throws(InteropFailure) {
        var request = Self.largeRequest
        request.expectCompressed = Grpc_Testing_BoolValue(true)
        try await checker.expectFailure(
            "UnaryCall with an uncompressed request that expects compression (the feature probe)",
            code: .invalidArgument
        ) {
            try await service.unaryCall(request, options: options)
        }
        var compressed = options
        compressed.compression = .gzip
        let first = try await checker.expectSuccess("UnaryCall with a gzip-compressed request") {
            try await service.unaryCall(request, options: compressed)
        }
        try checkPayload(first.payload, size: 314_159, "the response to the compressed request")
        request.expectCompressed = Grpc_Testing_BoolValue(false)
        let second = try await checker.expectSuccess("UnaryCall with an uncompressed request") {
            try await service.unaryCall(request, options: options)
        }
        try checkPayload(second.payload, size: 314_159, "the response to the uncompressed request")
    }

    /// The response's compressed flag is not visible above the transport, so only success and
    /// sizes are checked here, as grpc's description allows; the transport tests check the flags.
    func serverCompressedUnary() async throws(InteropFailure) {
        for compress in [true, false] {
            var request = Self.largeRequest
            request.responseCompressed = Grpc_Testing_BoolValue(compress)
            let response = try await checker.expectSuccess("UnaryCall with response_compressed \(compress)") {
                try await service.unaryCall(request, options: options)
            }
            try checkPayload(response.payload, size: 314_159, "the response with response_compressed \(compress)")
        }
    }

    func clientCompressedStreaming() async throws(InteropFailure) {
        try await checker.expectFailure(
            "StreamingInputCall with an uncompressed request that expects compression (the feature probe)",
            code: .invalidArgument
        ) {
            try await service.streamingInputCall(options: options) { writer in
                try await writer.write(Self.inputRequest(size: 27_182, expectCompressed: true))
            }
        }
        var compressed = options
        compressed.compression = .gzip
        let response = try await checker.expectSuccess(
            "StreamingInputCall with a compressed and an uncompressed request"
        ) {
            try await service.streamingInputCall(options: compressed) { writer in
                try await writer.write(Self.inputRequest(size: 27_182, expectCompressed: true))
                try await writer.write(Self.inputRequest(size: 45_904, expectCompressed: false), options: .uncompressed)
            }
        }
        try checker.check(
            response.aggregatedPayloadSize == 73_086,
            "StreamingInputCall reports aggregated_payload_size 73086 (got \(response.aggregatedPayloadSize))"
        )
    }

    private static func inputRequest(size: Int, expectCompressed: Bool) -> Grpc_Testing_StreamingInputCallRequest {
        var request = Grpc_Testing_StreamingInputCallRequest()
        request.expectCompressed = Grpc_Testing_BoolValue(expectCompressed)
        request.payload = .zeros(size)
        return request
    }

    /// As in ``serverCompressedUnary()``, the per-message flags are checked by the transport tests.
    func serverCompressedStreaming() async throws(InteropFailure) {
        var request = Grpc_Testing_StreamingOutputCallRequest()
        request.responseParameters = [(true, 31_415), (false, 92_653)].map { compressed, size in
            var parameters = Grpc_Testing_ResponseParameters()
            parameters.compressed = Grpc_Testing_BoolValue(compressed)
            parameters.size = Int32(size)
            return parameters
        }
        let responses = try await checker.expectSuccess(
            "StreamingOutputCall with a compressed and an uncompressed response"
        ) {
            try await service.streamingOutputCall(request, options: options).collect()
        }
        try checker.check(
            responses.count == 2,
            "StreamingOutputCall sends exactly two responses (got \(responses.count))"
        )
        for (index, (response, size)) in zip(responses, [31_415, 92_653]).enumerated() {
            try checkPayload(response.payload, size: size, "response \(index + 1)")
        }
    }

    func clientStreaming() async throws(InteropFailure) {
        let sizes = [27_182, 8, 1_828, 45_904]
        let response = try await checker.expectSuccess("StreamingInputCall") {
            try await service.streamingInputCall(options: options) { writer in
                for size in sizes {
                    var request = Grpc_Testing_StreamingInputCallRequest()
                    request.payload = .zeros(size)
                    try await writer.write(request)
                }
            }
        }
        try checker.check(
            response.aggregatedPayloadSize == 74_922,
            """
            StreamingInputCall of 4 requests reports aggregated_payload_size \
            74922 (got \(response.aggregatedPayloadSize))
            """
        )
    }

    func serverStreaming() async throws(InteropFailure) {
        let sizes = [31_415, 9, 2_653, 58_979]
        // The short form: the responses are an AsyncSequence and the call starts when it is iterated.
        let responses = try await checker.expectSuccess("StreamingOutputCall") {
            try await service.streamingOutputCall(.asking(for: sizes), options: options).collect()
        }
        try checker.check(
            responses.count == 4,
            "StreamingOutputCall sends exactly four responses (got \(responses.count))"
        )
        for (index, (response, size)) in zip(responses, sizes).enumerated() {
            try checkPayload(response.payload, size: size, "response \(index + 1)")
        }
    }

    func pingPong() async throws(InteropFailure) {
        let exchanges: [(response: Int, body: Int)] = [(31_415, 27_182), (9, 8), (2_653, 1_828), (58_979, 45_904)]
        try await checker.expectSuccess("FullDuplexCall") {
            try await service.fullDuplexCall(options: options) { writer, responses in
                var iterator = responses.makeAsyncIterator()
                for (index, exchange) in exchanges.enumerated() {
                    try await writer.write(.asking(for: [exchange.response], bodySize: exchange.body))
                    guard let response = try await iterator.next() else {
                        throw InteropFailure(
                            "FullDuplexCall ended after \(index) responses; expected a reply to request \(index + 1)"
                        )
                    }
                    try checkPayload(response.payload, size: exchange.response, "reply \(index + 1)")
                }
                await writer.finish()
                let extra = try await iterator.next()
                try checker.check(extra == nil, "after the half-close the call ends OK with exactly four responses")
            }
        }
    }

    func emptyStream() async throws(InteropFailure) {
        let responses = try await checker.expectSuccess("FullDuplexCall") {
            try await service.fullDuplexCall(options: options) { writer, responses in
                await writer.finish()
                return try await responses.collect()
            }
        }
        try checker.check(
            responses.isEmpty,
            "FullDuplexCall with no requests ends OK with zero responses (got \(responses.count))"
        )
    }

    func cancelAfterBegin() async throws(InteropFailure) {
        let (began, signal) = AsyncStream<Void>.makeStream()
        let call = Task {
            // Ends the wait below also when the call fails before it began (no server, say).
            defer { signal.finish() }
            return try await service.streamingInputCall(options: options) { _ in
                signal.yield()
                try await Task.sleep(for: .seconds(60))
            }
        }
        // The request producer runs once the stream is open: the call has begun, no message is sent.
        for await _ in began { break }
        call.cancel()
        try await expectCancelled(call.result, "StreamingInputCall cancelled after it began")
    }

    func cancelAfterFirstResponse() async throws(InteropFailure) {
        let (firstResponse, signal) = AsyncStream<Void>.makeStream()
        let checker = checker
        let call = Task {
            defer { signal.finish() }
            return try await service.fullDuplexCall(options: options) { writer, responses in
                try await writer.write(.asking(for: [31_415], bodySize: 27_182))
                var iterator = responses.makeAsyncIterator()
                let first = try await iterator.next()
                try checker.check(
                    first?.payload?.isZeros(31_415) == true,
                    "the first FullDuplexCall response has 31415 zero bytes"
                )
                signal.yield()
                _ = try await iterator.next()
                try Task.checkCancellation()
                throw InteropFailure("FullDuplexCall went on after it was cancelled")
            }
        }
        for await _ in firstResponse { break }
        call.cancel()
        try await expectCancelled(call.result, "FullDuplexCall cancelled after its first response")
    }

    func timeoutOnSleepingServer() async throws(InteropFailure) {
        try await checker.expectFailure("FullDuplexCall with a 1 ms timeout", code: .deadlineExceeded) {
            try await service.fullDuplexCall(options: CallOptions(timeout: .milliseconds(1))) { writer, responses in
                try await writer.write(.asking(for: [], bodySize: 27_182))
                return try await responses.collect()
            }
        }
    }

    func customMetadata() async throws(InteropFailure) {
        var metadata: Metadata = [:]
        metadata.addString("test_initial_metadata_value", forKey: EchoMetadata.initialKey)
        metadata.addBinary([0xAB, 0xAB, 0xAB], forKey: EchoMetadata.trailingKey)

        let unary = try await checker.expectSuccess("UnaryCall with metadata") {
            try await service.unaryCall(
                request: ClientRequest(message: Self.largeRequest, metadata: metadata),
                options: options
            )
        }
        try checkPayload(unary.message.payload, size: 314_159, "the UnaryCall response")
        try checkEcho(initial: unary.metadata, trailing: unary.trailingMetadata, "UnaryCall")

        let request = StreamingClientRequest(
            messages: [Grpc_Testing_StreamingOutputCallRequest.asking(for: [314_159], bodySize: 271_828)],
            metadata: metadata
        )
        let duplex = try await checker.expectSuccess("FullDuplexCall with metadata") {
            try await service.fullDuplexCall(request: request, options: options) { response in
                let messages = try await response.messages.collect()
                return (initial: response.metadata, messages: messages, trailing: response.trailingMetadata)
            }
        }
        try checker.check(
            duplex.messages.count == 1,
            "FullDuplexCall sends one response (got \(duplex.messages.count))"
        )
        try checkPayload(duplex.messages.first?.payload, size: 314_159, "the FullDuplexCall response")
        try checkEcho(initial: duplex.initial, trailing: duplex.trailing, "FullDuplexCall")
    }

    func statusCodeAndMessage() async throws(InteropFailure) {
        let status = Grpc_Testing_EchoStatus(code: 2, message: "test status message")
        var unary = Grpc_Testing_SimpleRequest()
        unary.responseStatus = status
        try await checker.expectFailure("UnaryCall asking for status 2", code: .unknown, message: status.message) {
            try await service.unaryCall(unary, options: options)
        }
        var duplex = Grpc_Testing_StreamingOutputCallRequest()
        duplex.responseStatus = status
        let request = StreamingClientRequest(messages: [duplex])
        try await checker.expectFailure("FullDuplexCall asking for status 2", code: .unknown, message: status.message) {
            try await service.fullDuplexCall(request: request, options: options) { try await $0.messages.collect() }
        }
    }

    func specialStatusMessage() async throws(InteropFailure) {
        var request = Grpc_Testing_SimpleRequest()
        request.responseStatus = Grpc_Testing_EchoStatus(
            code: 2,
            message: "\t\ntest with whitespace\r\nand Unicode BMP \u{263A} and non-BMP \u{1F608}\t\n"
        )
        try await checker.expectFailure(
            "UnaryCall asking for a status message of whitespace and Unicode",
            code: .unknown,
            message: request.responseStatus?.message
        ) {
            try await service.unaryCall(request, options: options)
        }
    }

    func unimplementedMethod() async throws(InteropFailure) {
        try await checker.expectFailure("grpc.testing.TestService/UnimplementedCall", code: .unimplemented) {
            try await service.unimplementedCall(Grpc_Testing_Empty(), options: options)
        }
    }

    func unimplementedService() async throws(InteropFailure) {
        let unimplemented = Grpc_Testing_UnimplementedService.Client(wrapping: rpcClient)
        try await checker.expectFailure("grpc.testing.UnimplementedService/UnimplementedCall", code: .unimplemented) {
            try await unimplemented.unimplementedCall(Grpc_Testing_Empty(), options: options)
        }
    }

    private func checkPayload(_ payload: Grpc_Testing_Payload?, size: Int, _ what: String) throws(InteropFailure) {
        let count = payload?.body.count ?? 0
        try checker.check(
            payload?.isZeros(size) == true,
            "\(what) has a payload of \(size) zero bytes (got \(count) bytes)"
        )
    }

    private func checkEcho(initial: Metadata, trailing: Metadata, _ call: String) throws(InteropFailure) {
        let echoedInitial = initial[stringValues: EchoMetadata.initialKey]
        try checker.check(
            echoedInitial == ["test_initial_metadata_value"],
            "\(call) echoes \(EchoMetadata.initialKey) in its initial metadata (got \(echoedInitial))"
        )
        let echoedTrailing = trailing[binaryValues: EchoMetadata.trailingKey]
        try checker.check(
            echoedTrailing == [[0xAB, 0xAB, 0xAB]],
            "\(call) echoes \(EchoMetadata.trailingKey) 0xababab in its trailing metadata (got \(echoedTrailing))"
        )
    }

    /// Checks that a cancelled call's task ended with CANCELLED.
    private func expectCancelled(_ result: Result<some Sendable, any Error>, _ what: String) throws(InteropFailure) {
        switch result {
        case .success:
            throw InteropFailure("\(what) succeeded; expected CANCELLED")
        case .failure(let failure as InteropFailure):
            throw failure
        case .failure(let error):
            let error = RPCError(converting: error)
            if let failure = error.cause as? InteropFailure { throw failure }
            try checker.check(
                error.code == .cancelled,
                "\(what) ends with CANCELLED (got \(error.code): \(error.message))"
            )
        }
    }
}
