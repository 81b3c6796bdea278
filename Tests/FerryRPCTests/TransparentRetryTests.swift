import FerryRPC
import RPCTestSupport
import Synchronization
import Testing

/// A client transport whose first `refusals` streams are refused by the "server" unprocessed.
struct RefusingTransport: ClientTransport {
    let base: InProcessTransport.Client
    let refusals: Int
    let opened = Counter()

    final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int {
            value.withLock {
                $0 += 1
                return $0
            }
        }
    }

    func connect() async throws(RPCError) { try await base.connect() }
    func beginGracefulShutdown() { base.beginGracefulShutdown() }

    func withStream<Result: Sendable>(
        descriptor: MethodDescriptor,
        options: ClientStreamOptions,
        _ body: @Sendable (RPCClientStream) async throws -> Result
    ) async throws -> Result {
        guard opened.next() <= refusals else {
            return try await base.withStream(descriptor: descriptor, options: options, body)
        }
        let refused = RPCError(code: .unavailable, message: "refused", cause: StreamRefusedError())
        let stream = RPCClientStream(
            inbound: RPCAsyncSequence(elements: [], failure: refused),
            outbound: ClosableRPCWriter(write: { _ in }, finish: {})
        )
        return try await body(stream)
    }
}

@Suite("Transparent retries of streams the server refused unprocessed")
struct TransparentRetryTests {
    func withRefusingPair<Result: Sendable>(
        refusals: Int,
        _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        let transport = InProcessTransport()
        let server = RPCServer(transport: transport.server, services: [EchoService(probe: Probe())])
        let client = RPCClient(transport: RefusingTransport(base: transport.client, refusals: refusals))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            return try await body(client)
        }
    }

    @Test("A unary call whose stream is refused twice succeeds without any retry policy")
    func unary() async throws {
        let response = try await withRefusingPair(refusals: 2) { client in
            try await client.unary(
                request: ClientRequest(message: "again"),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
        }
        #expect(response.message == "echo: again")
    }

    @Test("Transparent retries are bounded")
    func bounded() async throws {
        let error = try await withRefusingPair(refusals: 100) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "x"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
        }
        #expect(error?.code == .unavailable)
    }

    @Test("A client stream without a retry policy is not replayed: the refusal is reported")
    func clientStreamNotReplayed() async throws {
        let error = try await withRefusingPair(refusals: 1) { client in
            await #expect(throws: RPCError.self) {
                try await client.clientStreaming(
                    request: StreamingClientRequest(messages: ["a", "b"]),
                    descriptor: Echo.collect,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
        }
        #expect(error?.code == .unavailable)
    }

    @Test("With a retry policy, a refused client stream is replayed from the buffer")
    func clientStreamReplayedWithPolicy() async throws {
        let policy = RetryPolicy(
            maxAttempts: 2,
            initialBackoff: .milliseconds(10),
            maxBackoff: .milliseconds(10),
            backoffMultiplier: 1,
            retryableStatusCodes: [.aborted]
        )
        let response = try await withRefusingPair(refusals: 2) { client in
            try await client.clientStreaming(
                request: StreamingClientRequest(messages: ["a", "b"]),
                descriptor: Echo.collect,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(retryPolicy: policy)
            )
        }
        #expect(response.message == "a b")
    }
}
