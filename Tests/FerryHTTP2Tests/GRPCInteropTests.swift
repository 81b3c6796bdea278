import FerryCodec
import FerryHTTP2
import FerryRPC
import ProcessTestSupport
import RPCTestSupport
import Testing

/// Ferry against python grpcio (a real gRPC implementation) in both directions, on 127.0.0.1.
@Suite("Interop with grpcio", .serialized)
struct GRPCInteropTests {
    /// Runs `body` with a Ferry client connected to a fresh grpcio server.
    func withGRPCIOServer(_ body: @Sendable (RPCClient) async throws -> Void) async throws {
        let (peer, port) = try await PythonPeer.startServer()
        try await peer.stopAfter {
            try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) { client in
                try await body(client)
            }
        }
    }

    @Test("Ferry client → grpcio server: unary with metadata both ways, including -bin")
    func unary() async throws {
        try await withGRPCIOServer { client in
            var metadata: Metadata = ["x-one": "1", "other": "no"]
            metadata.addBinary([0, 0xFE], forKey: "x-data-bin")
            let response = try await client.unary(
                request: ClientRequest(message: Array("hello".utf8), metadata: metadata),
                descriptor: Raw.method("Echo"),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer(),
                options: CallOptions(timeout: .seconds(120))
            )
            #expect(response.message == Array("hello".utf8))
            #expect(response.metadata[stringValues: "x-one"] == ["1"])
            #expect(response.metadata[binaryValues: "x-data-bin"] == [[0, 0xFE]])
            #expect(response.metadata["other"].isEmpty)
            #expect(response.trailingMetadata[stringValues: "x-trailer"] == ["t"])
            #expect(response.trailingMetadata[binaryValues: "x-trailer-bin"] == [[0, 1, 0xFF]])
        }
    }

    @Test("Ferry client → grpcio server: server streaming, client streaming and bidirectional")
    func streaming() async throws {
        try await withGRPCIOServer { client in
            let words = try await client.serverStreaming(
                request: ClientRequest(message: Array("one two three".utf8)),
                descriptor: Raw.method("Expand"),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer()
            ) { try await $0.messages.collect() }
            #expect(words == ["one", "two", "three"].map { Array($0.utf8) })
            let collected = try await client.clientStreaming(
                request: StreamingClientRequest(messages: ["a", "b", "c"].map { Array($0.utf8) }),
                descriptor: Raw.method("Collect"),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer()
            )
            #expect(collected.message == Array("a b c".utf8))
            let upper = try await client.bidirectionalStreaming(
                request: StreamingClientRequest { writer in
                    for word in ["ping", "pong"] { try await writer.write(Array(word.utf8)) }
                },
                descriptor: Raw.method("Upper"),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer()
            ) { try await $0.messages.collect() }
            #expect(upper == ["PING", "PONG"].map { Array($0.utf8) })
            let empty = try await client.bidirectionalStreaming(
                request: StreamingClientRequest<[UInt8]>(messages: []),
                descriptor: Raw.method("Upper"),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer()
            ) { try await $0.messages.collect() }
            #expect(empty.isEmpty)
        }
    }

    @Test("Ferry client → grpcio server: cancel a bidirectional call after its first response")
    func cancelAfterFirstResponse() async throws {
        try await withGRPCIOServer { client in
            let call = Task {
                try await client.bidirectionalStreaming(
                    request: StreamingClientRequest { writer in
                        try await writer.write(Array("first".utf8))
                        try await Task.sleep(for: .seconds(30))
                    },
                    descriptor: Raw.method("Upper"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer()
                ) { response in
                    var iterator = response.messages.makeAsyncIterator()
                    let first = try await iterator.next()
                    #expect(first == Array("FIRST".utf8))
                    withUnsafeCurrentTask { $0?.cancel() }
                    return try await iterator.next()
                }
            }
            if case .failure(let error as RPCError) = await call.result {
                #expect(error.code == .cancelled)
            } else {
                Issue.record("the cancelled call did not fail with CANCELLED")
            }
            // The connection is still good for new calls.
            let response = try await client.unary(
                request: ClientRequest(message: Array("ok".utf8)),
                descriptor: Raw.method("Echo"),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer()
            )
            #expect(response.message == Array("ok".utf8))
        }
    }

    /// google.rpc.Status{code, message} as the grpcio peer encodes it (both fields below 128 bytes).
    static func statusDetails(code: Int, message: String) -> [UInt8] {
        [0x08, UInt8(code), 0x12, UInt8(message.utf8.count)] + Array(message.utf8)
    }

    @Test(
        "Ferry client → grpcio server: every status code with a percent-encoded message, trailers and status details"
    )
    func statuses() async throws {
        try await withGRPCIOServer { client in
            for code in Status.Code.allCases where code != .ok {
                let message = "failed \(code) ✓ 100%\n"
                let error = await #expect(throws: RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: Array("\(code.rawValue)|\(message)".utf8)),
                        descriptor: Raw.method("Fail"),
                        serializer: RawBytesSerializer(),
                        deserializer: RawBytesSerializer()
                    )
                }
                #expect(error?.code == code)
                #expect(error?.message == message)
                #expect(error?.metadata[stringValues: "x-why"] == ["asked"])
                #expect(error?.statusDetails == Self.statusDetails(code: code.rawValue, message: message))
            }
        }
    }

    @Test(
        "Ferry client → grpcio server: deadline exceeded, grpc-timeout seen by the server, cancellation reaches it",
        .timeLimit(.minutes(3))
    )
    func deadlinesAndCancellation() async throws {
        try await withGRPCIOServer { client in
            // Sleep answers OK after 300 s unless its call is cancelled: the error proves the deadline
            // ended it. (How promptly Ferry's client enforces a deadline on its own is tested on an
            // injected clock in DeadlineRetryTests.)
            let deadline = ContinuousClock.now.advanced(by: .milliseconds(300))
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: Array("by-deadline".utf8)),
                    descriptor: Raw.method("Sleep"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    options: CallOptions(deadline: deadline)
                )
            }
            #expect(error?.code == .deadlineExceeded)
            // On a loaded machine the deadline can pass before grpcio dispatches the call, and then
            // its handler never runs; if it ran, the deadline must have reached it.
            if try await Self.poll(client, "Started", "by-deadline", until: "yes", attempts: 1) == "yes" {
                #expect(try await Self.poll(client, "Stats", "by-deadline", until: "cancelled") == "cancelled")
            }
            let remaining = try await client.unary(
                request: ClientRequest(message: []),
                descriptor: Raw.method("Remaining"),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer(),
                options: CallOptions(timeout: .seconds(60))
            )
            let seconds = Double(String(decoding: remaining.message, as: UTF8.self)) ?? -1
            #expect(seconds > 0 && seconds <= 60)

            // A second Sleep, cancelled by its task once it runs on the server.
            let call = Task {
                try await client.unary(
                    request: ClientRequest(message: Array("by-task".utf8)),
                    descriptor: Raw.method("Sleep"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    // Far beyond the poll below (~50 s at most), so that only the cancellation ends it.
                    options: CallOptions(timeout: .seconds(280))
                )
            }
            #expect(try await Self.poll(client, "Started", "by-task", until: "yes") == "yes")
            call.cancel()
            if case .failure(let error as RPCError) = await call.result {
                #expect(error.code == .cancelled)
            } else {
                Issue.record("cancelled call did not fail with CANCELLED")
            }
            #expect(try await Self.poll(client, "Stats", "by-task", until: "cancelled") == "cancelled")
        }
    }

    /// Calls the peer's unary `method` with `request` every 20 ms until it answers `expected` (at
    /// most `attempts` times; the default, 2,500, is ~50 s on a loaded machine); returns the last
    /// answer.
    static func poll(
        _ client: RPCClient,
        _ method: String,
        _ request: String,
        until expected: String,
        attempts: Int = 2500
    ) async throws -> String {
        var answer = ""
        for attempt in 0..<attempts {
            if attempt > 0 { try await Task.sleep(for: .milliseconds(20)) }
            let response = try await client.unary(
                request: ClientRequest(message: Array(request.utf8)),
                descriptor: Raw.method(method),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer()
            )
            answer = String(decoding: response.message, as: UTF8.self)
            if answer == expected { break }
        }
        return answer
    }

    @Test("Ferry client → grpcio server: unknown methods and services are UNIMPLEMENTED")
    func unimplemented() async throws {
        try await withGRPCIOServer { client in
            for descriptor in [Raw.method("NoSuchMethod"), MethodDescriptor(service: "no.such.Service", method: "M")] {
                let error = await #expect(throws: RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: []),
                        descriptor: descriptor,
                        serializer: RawBytesSerializer(),
                        deserializer: RawBytesSerializer()
                    )
                }
                #expect(error?.code == .unimplemented)
            }
        }
    }

    @Test("Ferry client → grpcio server: a FerryCodec message is decoded by python protobuf and comes back changed")
    func protobufPayload() async throws {
        try await withGRPCIOServer { client in
            var file = Google_Protobuf_FileDescriptorProto()
            file.name = "ferry/interop.proto"
            file.package = "ferry.interop"
            file.dependency = ["google/protobuf/empty.proto"]
            let response = try await client.unary(
                request: ClientRequest(message: file),
                descriptor: Raw.method("Describe"),
                serializer: ProtobufSerializer<Google_Protobuf_FileDescriptorProto>(),
                deserializer: ProtobufDeserializer<Google_Protobuf_FileDescriptorProto>()
            )
            #expect(response.message.name == "FERRY/INTEROP.PROTO")
            #expect(response.message.package == "ferry.interop")
            #expect(response.message.dependency == ["google/protobuf/empty.proto"])
        }
    }

    @Test("Ferry client → grpcio server: a 3 MiB message and a message over the 4 MiB limit")
    func messageSizes() async throws {
        try await withGRPCIOServer { client in
            let payload = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0) }
            let response = try await client.unary(
                request: ClientRequest(message: payload),
                descriptor: Raw.method("Echo"),
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer()
            )
            #expect(response.message == payload)
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: [UInt8](repeating: 1, count: (4 << 20) + 1)),
                    descriptor: Raw.method("Echo"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer()
                )
            }
            #expect(error?.code == .resourceExhausted)
        }
    }

    @Test(
        "grpcio client → Ferry server",
        arguments: [
            "unary", "server_streaming", "client_streaming", "bidi", "empty_stream", "cancel_after_first_response",
            "status", "deadline", "cancel", "unimplemented", "large",
        ]
    )
    func grpcioClient(testCase: String) async throws {
        let transport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
        let server = RPCServer(transport: transport, services: [RawInteropService()])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let port = try await transport.listeningPort()
            let (status, output) = try await PythonPeer.runClient(port: port, testCase: testCase)
            #expect(status == 0, "grpcio client case \(testCase) failed:\n\(output)")
        }
    }
}
