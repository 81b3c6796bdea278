import FerryRPC
import RPCTestSupport
import Testing

@Suite("The four call kinds, metadata and errors over the in-process transport")
struct CallKindsTests {
    @Test("Unary echoes the message, headers and trailers including -bin values")
    func unary() async throws {
        let response = try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }) { client in
            try await client.unary(
                request: ClientRequest(message: "hi", metadata: ["echo-one": "1", "other": "x"]),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
        }
        #expect(response.message == "echo: hi")
        #expect(response.metadata[stringValues: "echo-one"] == ["1"])
        #expect(response.metadata["other"].isEmpty)
        #expect(response.trailingMetadata[stringValues: "trailer-key"] == ["trailer-value"])
        #expect(response.trailingMetadata[binaryValues: "trailer-bin"] == [[0, 1, 2, 255]])
    }

    @Test("Server streaming yields each response in order")
    func serverStreaming() async throws {
        let words = try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }) { client in
            try await client.serverStreaming(
                request: ClientRequest(message: "a b c d"),
                descriptor: Echo.expand,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { response in try await response.messages.collect() }
        }
        #expect(words == ["a", "b", "c", "d"])
    }

    @Test("Client streaming collects every request")
    func clientStreaming() async throws {
        let response = try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }) { client in
            try await client.clientStreaming(
                request: StreamingClientRequest(messages: (1...100).map(String.init)),
                descriptor: Echo.collect,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
        }
        #expect(response.message == (1...100).map(String.init).joined(separator: " "))
    }

    @Test("Bidirectional streaming answers each request as it arrives (ping-pong)")
    func bidirectional() async throws {
        let (replies, trailers) = try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }) {
            client in
            let (stream, continuation) = AsyncStream.makeStream(of: String.self)
            return try await client.bidirectionalStreaming(
                request: StreamingClientRequest { writer in
                    for try await next in stream { try await writer.write(next) }
                },
                descriptor: Echo.update,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { response in
                var replies: [String] = []
                var iterator = response.messages.makeAsyncIterator()
                for word in ["ping", "pong", "done"] {
                    continuation.yield(word)
                    if let reply = try await iterator.next() { replies.append(reply) }
                }
                continuation.finish()
                #expect(try await iterator.next() == nil)
                return (replies, response.trailingMetadata)
            }
        }
        #expect(replies == ["PING", "PONG", "DONE"])
        #expect(trailers[stringValues: "count"] == ["done"])
    }

    @Test("An unknown method or service is answered with UNIMPLEMENTED")
    func unimplemented() async throws {
        try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }) { client in
            for descriptor in [
                MethodDescriptor(service: Echo.service, method: "Nope"),
                MethodDescriptor(service: "no.Such", method: "Get"),
            ] {
                let error = await #expect(throws: RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: ""),
                        descriptor: descriptor,
                        serializer: UTF8Coder(),
                        deserializer: UTF8Coder()
                    )
                }
                #expect(error?.code == .unimplemented)
                #expect(error?.message.contains(descriptor.path) == true)
            }
        }
    }

    @Test("Every non-OK status code reaches the client with its message and trailers", arguments: 1...16)
    func statusCodes(code: Int) async throws {
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: String(code)),
                    descriptor: Echo.fail,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
        }
        #expect(error?.code.rawValue == code)
        #expect(error?.message == "failed with \(Status.Code(rawValue: code)!) ✓ 100%")
        #expect(error?.metadata[stringValues: "why"] == ["asked"])
    }

    @Test("A handler throwing a non-RPC error gives UNKNOWN")
    func plainError() async throws {
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "plain"),
                    descriptor: Echo.fail,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
        }
        #expect(error?.code == .unknown)
    }

    @Test("Messages over the size limit fail with RESOURCE_EXHAUSTED in either direction")
    func messageLimits() async throws {
        try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }, maxMessageBytes: 64) { client in
            let big = String(repeating: "x", count: 100)
            let sendError = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: big),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(maxRequestMessageBytes: 10)
                )
            }
            #expect(sendError?.code == .resourceExhausted)
            let serverReceiveError = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: big),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            #expect(serverReceiveError?.code == .resourceExhausted)
            let receiveError = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "0123456789"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(maxResponseMessageBytes: 5)
                )
            }
            #expect(receiveError?.code == .resourceExhausted)
        }
    }

    @Test("The server's response limit is the transport's messageLimits: RPCServer refuses a larger response")
    func serverResponseLimit() async throws {
        // The echo answers "echo: " and the request: 6 bytes more than it was sent.
        let limits = ServerMessageLimits(maxRequestBytes: 1_000, maxResponseBytes: 11)
        try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }, messageLimits: limits) { client in
            let small = try await client.unary(
                request: ClientRequest(message: "01234"),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
            #expect(small.message == "echo: 01234")
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "0123456789"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.message == "Response message of 16 bytes exceeds the limit of 11 bytes.")
        }
    }
}
