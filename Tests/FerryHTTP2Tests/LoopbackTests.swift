import FerryHTTP2
import FerryRPC
import RPCTestSupport
import Testing

@Suite("Ferry client and server over HTTP/2 on 127.0.0.1")
struct LoopbackTests {
    @Test("Unary carries the message, headers and trailers with -bin values")
    func unary() async throws {
        let response = try await withLoopbackPair(services: { _ in [EchoService(probe: Probe())] }) { client, _ in
            var metadata: Metadata = ["echo-one": "1"]
            metadata.addBinary([0, 200, 255], forKey: "echo-data-bin")
            return try await client.unary(
                request: ClientRequest(message: "hi", metadata: metadata),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
        }
        #expect(response.message == "echo: hi")
        #expect(response.metadata[stringValues: "echo-one"] == ["1"])
        #expect(response.metadata[binaryValues: "echo-data-bin"] == [[0, 200, 255]])
        #expect(response.trailingMetadata[stringValues: "trailer-key"] == ["trailer-value"])
        #expect(response.trailingMetadata[binaryValues: "trailer-bin"] == [[0, 1, 2, 255]])
    }

    @Test("Server streaming, client streaming and bidirectional calls work")
    func streaming() async throws {
        try await withLoopbackPair(services: { _ in [EchoService(probe: Probe())] }) { client, _ in
            let words = try await client.serverStreaming(
                request: ClientRequest(message: "a b c"),
                descriptor: Echo.expand,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { try await $0.messages.collect() }
            #expect(words == ["a", "b", "c"])
            let collected = try await client.clientStreaming(
                request: StreamingClientRequest(messages: ["x", "y", "z"]),
                descriptor: Echo.collect,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
            #expect(collected.message == "x y z")
            let upper = try await client.bidirectionalStreaming(
                request: StreamingClientRequest(messages: ["p", "q"]),
                descriptor: Echo.update,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { try await $0.messages.collect() }
            #expect(upper == ["P", "Q"])
        }
    }

    @Test(
        "Status codes, percent-encoded messages and status details reach the client; unknown methods are UNIMPLEMENTED"
    )
    func statuses() async throws {
        try await withLoopbackPair(services: { _ in [EchoService(probe: Probe())] }) { client, _ in
            for code in 1...16 {
                let error = await #expect(throws: RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: String(code)),
                        descriptor: Echo.fail,
                        serializer: UTF8Coder(),
                        deserializer: UTF8Coder()
                    )
                }
                #expect(error?.code.rawValue == code)
                #expect(error?.message == "failed with \(Status.Code(rawValue: code)!) ✓ 100%")
                #expect(error?.metadata[stringValues: "why"] == ["asked"])
                #expect(error?.statusDetails == [0x08, UInt8(code)])
            }
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: ""),
                    descriptor: MethodDescriptor(service: "no.Such", method: "M"),
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            #expect(error?.code == .unimplemented)
        }
    }

    @Test("Message limits are enforced by the HTTP/2 framing on both sides with RESOURCE_EXHAUSTED")
    func messageLimits() async throws {
        try await withLoopbackPair(services: { _ in [BulkService(), EchoService(probe: Probe())] }) { client, _ in
            let tooBigRequest = await #expect(throws: RPCError.self) {
                try await client.clientStreaming(
                    request: StreamingClientRequest(messages: [[UInt8](repeating: 0, count: 5 << 20)]),
                    descriptor: Bulk.upload,
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    options: CallOptions(maxRequestMessageBytes: 8 << 20)
                )
            }
            #expect(tooBigRequest?.code == .resourceExhausted)
            let tooBigResponse = await #expect(throws: RPCError.self) {
                try await client.serverStreaming(
                    request: ClientRequest(message: [1]),
                    descriptor: Bulk.download,
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    options: CallOptions(maxResponseMessageBytes: 1000)
                ) { try await $0.messages.collect() }
            }
            #expect(tooBigResponse?.code == .resourceExhausted)
            let stillWorks = try await client.unary(
                request: ClientRequest(message: "after"),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
            #expect(stillWorks.message == "echo: after")
        }
    }
}
