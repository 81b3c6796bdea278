import FerryHTTP2
import FerryRPC
import NIOPosix
import RPCTestSupport
import Testing

/// `runsHandlersOnEventLoops`: handlers run on their connection's event loop thread, and every
/// call kind, deadline and cancellation behaves as on the global executor.
@Suite("Handlers on the connections' event loops")
struct HandlerExecutionTests {
    /// Answers whether its handler runs on a NIO event loop thread.
    struct WhereService: RPCService {
        static let where_ = MethodDescriptor(service: "ferry.test.Where", method: "Where")

        func registerMethods(with router: inout RPCRouter) {
            router.registerUnary(Self.where_, deserializer: UTF8Coder(), serializer: UTF8Coder()) { _, _ in
                ServerResponse(message: MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "event loop")
            }
        }
    }

    /// Runs a server (handlers on event loops or not) and a client for the duration of `body`.
    static func withServer(
        onEventLoops: Bool,
        probe: Probe = Probe(),
        _ body: @Sendable (RPCClient) async throws -> Void
    ) async throws {
        try await withServerAndClient(
            configuration: .init(host: "127.0.0.1", port: 0, runsHandlersOnEventLoops: onEventLoops),
            services: [WhereService(), EchoService(probe: probe)]
        ) { client, _ in try await body(client) }
    }

    static func whereRuns(_ client: RPCClient) async throws -> String {
        try await client.unary(
            request: ClientRequest(message: ""),
            descriptor: WhereService.where_,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder(),
            options: CallOptions(timeout: .seconds(120))
        ).message
    }

    @Test("off (the default), handlers run on the global executor; on, on the event loop", arguments: [false, true])
    func placement(_ onEventLoops: Bool) async throws {
        try await Self.withServer(onEventLoops: onEventLoops) { client in
            let placed = try await Self.whereRuns(client)
            #expect(placed == (onEventLoops ? "event loop" : "pool"))
        }
    }

    @Test("on the event loop, every call kind, errors, deadlines and cancellation work as before")
    func callKinds() async throws {
        let probe = Probe()
        try await Self.withServer(onEventLoops: true, probe: probe) { client in
            let options = CallOptions(timeout: .seconds(120))
            try await expectEchoCallKinds(client, "handlers on event loops")
            // A handler sleeping on the event loop suspends rather than blocks: the deadline ends
            // the call, and the handler sees its cancellation.
            let late = await #expect(throws: RPCError.self) {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .milliseconds(500))
                ) { try await $0.messages.collect() }
            }
            #expect(late?.code == .deadlineExceeded)
            for _ in 0..<200 where probe.count("sleep-cancelled") == 0 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(probe.count("sleep-cancelled") == 1)
            // 50 concurrent calls on one connection, all handled on its one event loop.
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        try await client.unary(
                            request: ClientRequest(message: String(index)),
                            descriptor: Echo.get,
                            serializer: UTF8Coder(),
                            deserializer: UTF8Coder(),
                            options: options
                        ).message
                    }
                }
                let replies = try await group.reduce(into: Set<String>()) { $0.insert($1) }
                #expect(replies == Set((0..<50).map { "echo: \($0)" }))
            }
        }
    }
}
