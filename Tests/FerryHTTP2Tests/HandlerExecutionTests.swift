import FerryHTTP2
import FerryRPC
import NIOPosix
import RPCTestSupport
import Testing

/// `handlerExecution`: handlers run on their connection's event loop thread (always, or when no
/// other handler of the connection runs), and every call kind, deadline and cancellation behaves
/// as on the global executor.
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

    /// Runs a server whose handlers run as `execution` says, and a client, for the duration of
    /// `body`.
    static func withServer(
        _ execution: HandlerExecution,
        probe: Probe = Probe(),
        hold: HoldService = HoldService(),
        _ body: @Sendable (RPCClient) async throws -> Void
    ) async throws {
        try await withServerAndClient(
            configuration: .init(host: "127.0.0.1", port: 0, handlerExecution: execution),
            services: [WhereService(), EchoService(probe: probe), hold]
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

    @Test(
        "globalExecutor (the default): handlers run on the pool; eventLoop: on the event loop",
        arguments: [HandlerExecution.globalExecutor, .eventLoop]
    )
    func placement(_ execution: HandlerExecution) async throws {
        #expect(HTTP2ServerTransport.Configuration(host: "127.0.0.1", port: 0).handlerExecution == .globalExecutor)
        try await Self.withServer(execution) { client in
            let placed = try await Self.whereRuns(client)
            #expect(placed == (execution == .eventLoop ? "event loop" : "pool"))
        }
    }

    @Test(
        "eventLoopWhenIdle: a call on an idle connection runs on the event loop; one beside a running handler, on the pool"
    )
    func whenIdle() async throws {
        let hold = HoldService()
        try await Self.withServer(.eventLoopWhenIdle, hold: hold) { client in
            // One call at a time: each finds the connection idle. (A handler on the event loop
            // ends before the loop reads the next request, so this does not race.)
            for _ in 0..<3 { #expect(try await Self.whereRuns(client) == "event loop") }
            let held = Task { try await HoldService.call(client, "until-released") }
            try await hold.waitUntilRunning(1)
            #expect(try await Self.whereRuns(client) == "pool", "another handler of the connection runs")
            hold.release()
            _ = try await held.value
            // Idle again, once the pool handler above has recorded its end (it may race the next
            // request by a moment): bounded at 100 calls.
            var placed = ""
            for _ in 0..<100 where placed != "event loop" { placed = try await Self.whereRuns(client) }
            #expect(placed == "event loop")
        }
    }

    @Test(
        "on the event loop, every call kind, errors, deadlines and cancellation work as before",
        arguments: [HandlerExecution.eventLoop, .eventLoopWhenIdle]
    )
    func callKinds(_ execution: HandlerExecution) async throws {
        let probe = Probe()
        try await Self.withServer(execution, probe: probe) { client in
            let options = CallOptions(timeout: .seconds(120))
            try await expectEchoCallKinds(client, "handlers: \(execution)")
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
