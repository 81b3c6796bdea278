import CoreMetrics
import FerryHTTP2
import FerryObservability
import FerryRPC
import InMemoryTracing
import Logging
import MetricsTestKit
import RPCTestSupport
import Synchronization
import Testing
import Tracing

/// A swift-log handler that keeps every entry: what an operator's log pipeline would receive.
struct RecordingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    final class Store: Sendable {
        let entries = Mutex<[Entry]>([])
        var all: [Entry] { entries.withLock { $0 } }
    }

    let store: Store
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var flat: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { flat[key] = "\(value)" }
        store.entries.withLock { $0.append(Entry(level: event.level, message: "\(event.message)", metadata: flat)) }
    }
}

/// A server interceptor that only calls the next one.
struct PassThroughInterceptor: ServerInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        try await next(request, context)
    }
}

/// A Ferry server on 127.0.0.1 and a client to it, both with observability interceptors.
struct ObservedPair {
    let client: RPCClient
    let port: Int

    static func run<Result: Sendable>(
        server serverInterceptors: [any ServerInterceptor],
        client clientInterceptors: [any ClientInterceptor],
        relayTo relayPort: Int? = nil,
        relayInterceptors: [any ClientInterceptor] = [],
        _ body: @Sendable (ObservedPair) async throws -> Result
    ) async throws -> Result {
        let relayClient = relayPort.map {
            RPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: $0), interceptors: relayInterceptors)
        }
        let transport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
        let server = RPCServer(
            transport: transport,
            services: [EchoService(probe: Probe(), relayClient: relayClient)],
            interceptors: serverInterceptors
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            if let relayClient { group.addTask { try await relayClient.runConnections() } }
            let port = try await transport.listeningPort()
            let client = RPCClient(
                transport: HTTP2ClientTransport(host: "127.0.0.1", port: port),
                interceptors: clientInterceptors
            )
            group.addTask { try await client.runConnections() }
            defer {
                client.beginGracefulShutdown()
                relayClient?.beginGracefulShutdown()
                server.beginGracefulShutdown()
            }
            return try await body(ObservedPair(client: client, port: port))
        }
    }

    func get(_ text: String) async throws -> String {
        try await client.unary(
            request: ClientRequest(message: text),
            descriptor: Echo.get,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder()
        ).message
    }

    func fail(_ code: Status.Code) async throws {
        _ = try await client.unary(
            request: ClientRequest(message: String(code.rawValue)),
            descriptor: Echo.fail,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder()
        )
    }

    func expand(_ text: String) async throws -> [String] {
        try await client.serverStreaming(
            request: ClientRequest(message: text),
            descriptor: Echo.expand,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder()
        ) { try await $0.messages.collect() }
    }
}

@Suite("Logs, metrics and traces from the observability interceptors")
struct ObservabilityTests {
    @Test("One structured line per call on each side: method, peer, status, duration, and the message of a failure")
    func logging() async throws {
        let serverLog = RecordingLogHandler.Store()
        let clientLog = RecordingLogHandler.Store()
        try await ObservedPair.run(
            server: [
                ServerObservability(
                    logger: Logger(label: "s") { _ in RecordingLogHandler(store: serverLog) },
                    metrics: nil,
                    tracer: nil
                )
            ],
            client: [
                ClientObservability(
                    logger: Logger(label: "c") { _ in RecordingLogHandler(store: clientLog) },
                    metrics: nil,
                    tracer: nil
                )
            ]
        ) { pair in
            let answer = try await pair.get("hi")
            #expect(answer == "echo: hi")
            await #expect(throws: RPCError.self) { try await pair.fail(.notFound) }
        }
        let server = serverLog.all
        #expect(server.count == 2)
        #expect(server.map(\.message) == ["RPC served", "RPC served"])
        #expect(server.map(\.level) == [.info, .info])
        #expect(server[0].metadata["rpc.method"] == "/ferry.test.Echo/Get")
        #expect(server[0].metadata["grpc.status"] == "OK")
        #expect(server[0].metadata["rpc.peer"]?.hasPrefix("ipv4:127.0.0.1:") == true)
        #expect(Double(server[0].metadata["rpc.duration_ms"] ?? "") != nil)
        #expect(server[0].metadata["grpc.message"] == nil)
        #expect(server[1].metadata["rpc.method"] == "/ferry.test.Echo/Fail")
        #expect(server[1].metadata["grpc.status"] == "NOT_FOUND")
        #expect(server[1].metadata["grpc.message"] == "failed with NOT_FOUND ✓ 100%")

        let client = clientLog.all
        #expect(client.map(\.message) == ["RPC made", "RPC made"])
        #expect(client.map { $0.metadata["grpc.status"] } == ["OK", "NOT_FOUND"])
        #expect(client.allSatisfy { Double($0.metadata["rpc.duration_ms"] ?? "") != nil })
    }

    @Test("Below the logger's level nothing is logged")
    func loggingLevel() async throws {
        let serverLog = RecordingLogHandler.Store()
        var logger = Logger(label: "s") { _ in RecordingLogHandler(store: serverLog) }
        logger.logLevel = .warning
        try await ObservedPair.run(server: [ServerObservability(logger: logger, metrics: nil, tracer: nil)], client: [])
        { pair in
            _ = try await pair.get("quiet")
        }
        #expect(serverLog.all.isEmpty)
    }

    /// Where `ServerObservability` sits: first, where the server calls its hooks without wrapping
    /// the call, or behind another interceptor, where it runs as an interceptor itself.
    enum Placement: CaseIterable, Sendable {
        case first, behindAnotherInterceptor

        func interceptors(_ observability: ServerObservability) -> [any ServerInterceptor] {
            switch self {
            case .first: [observability]
            case .behindAnotherInterceptor: [PassThroughInterceptor(), observability]
            }
        }
    }

    @Test(
        "Counters by method and code, messages both ways, a duration per call, in-flight back to zero",
        arguments: Placement.allCases
    )
    func metrics(placement: Placement) async throws {
        let metrics = TestMetrics()
        try await ObservedPair.run(
            server: placement.interceptors(ServerObservability(logger: nil, metrics: metrics, tracer: nil)),
            client: [ClientObservability(logger: nil, metrics: metrics, tracer: nil)]
        ) { pair in
            for index in 0..<3 { _ = try await pair.get("\(index)") }
            await #expect(throws: RPCError.self) { try await pair.fail(.unavailable) }
            let words = try await pair.expand("a b c")
            #expect(words == ["a", "b", "c"])
        }
        for side in ["server", "client"] {
            let get = [("grpc_service", "ferry.test.Echo"), ("grpc_method", "Get")]
            let fail = [("grpc_service", "ferry.test.Echo"), ("grpc_method", "Fail")]
            let expand = [("grpc_service", "ferry.test.Echo"), ("grpc_method", "Expand")]
            #expect(try metrics.expectCounter("grpc_\(side)_started_total", get).totalValue == 3, "\(side)")
            #expect(
                try metrics.expectCounter("grpc_\(side)_handled_total", get + [("grpc_code", "OK")]).totalValue == 3,
                "\(side)"
            )
            #expect(
                try metrics.expectCounter("grpc_\(side)_handled_total", fail + [("grpc_code", "UNAVAILABLE")])
                    .totalValue == 1,
                "\(side)"
            )
            #expect(
                metrics.counters(label: "grpc_\(side)_handled_total", dimensions: fail + [("grpc_code", "OK")]).isEmpty
            )
            #expect(try metrics.expectTimer("grpc_\(side)_handling_seconds", get).values.count == 3, "\(side)")
            #expect(
                try metrics.expectTimer("grpc_\(side)_handling_seconds", get).values.allSatisfy { $0 > 0 },
                "\(side)"
            )
            #expect(try metrics.expectMeter("grpc_\(side)_in_flight", get).lastValue == 0, "\(side)")
            #expect(try metrics.expectMeter("grpc_\(side)_in_flight", expand).lastValue == 0, "\(side)")
        }
        let expand = [("grpc_service", "ferry.test.Echo"), ("grpc_method", "Expand")]
        #expect(try metrics.expectCounter("grpc_server_msg_received_total", expand).totalValue == 1)
        #expect(try metrics.expectCounter("grpc_server_msg_sent_total", expand).totalValue == 3)
        #expect(try metrics.expectCounter("grpc_client_msg_sent_total", expand).totalValue == 1)
        #expect(try metrics.expectCounter("grpc_client_msg_received_total", expand).totalValue == 3)
    }

    @Test(
        "A Ferry client → Ferry server → Ferry server chain is one trace: each span the child of the one before",
        arguments: Placement.allCases
    )
    func tracing(placement: Placement) async throws {
        let tracer = InMemoryTracer()
        try await ObservedPair.run(
            server: placement.interceptors(ServerObservability(logger: nil, metrics: nil, tracer: tracer)),
            client: []
        ) { downstream in
            try await ObservedPair.run(
                server: placement.interceptors(ServerObservability(logger: nil, metrics: nil, tracer: tracer)),
                client: [ClientObservability(logger: nil, metrics: nil, tracer: tracer)],
                relayTo: downstream.port,
                relayInterceptors: [ClientObservability(logger: nil, metrics: nil, tracer: tracer)]
            ) { pair in
                let answer = try await pair.client.unary(
                    request: ClientRequest(message: "hop"),
                    descriptor: Echo.relay,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
                #expect(answer.message == "no deadline")
            }
        }
        let spans = tracer.finishedSpans
        #expect(spans.count == 4)
        let clientRelay = try #require(
            spans.first { $0.kind == .client && $0.operationName == "ferry.test.Echo/Relay" }
        )
        let serverRelay = try #require(
            spans.first { $0.kind == .server && $0.operationName == "ferry.test.Echo/Relay" }
        )
        let clientInner = try #require(
            spans.first { $0.kind == .client && $0.operationName == "ferry.test.Echo/HasDeadline" }
        )
        let serverInner = try #require(
            spans.first { $0.kind == .server && $0.operationName == "ferry.test.Echo/HasDeadline" }
        )
        #expect(Set(spans.map(\.traceID)).count == 1, "one trace")
        #expect(clientRelay.parentSpanID == nil)
        #expect(serverRelay.parentSpanID == clientRelay.spanID)
        #expect(clientInner.parentSpanID == serverRelay.spanID, "the handler's call continues the server span")
        #expect(serverInner.parentSpanID == clientInner.spanID)
        #expect(serverRelay.attributes["rpc.system"]?.toSpanAttribute() == "grpc")
        #expect(serverRelay.attributes["rpc.method"]?.toSpanAttribute() == "Relay")
        #expect(serverRelay.attributes["rpc.grpc.status_code"]?.toSpanAttribute() == 0)
        #expect(serverRelay.status == nil)
        // The propagation went through request metadata on the wire, extracted by each server.
        #expect(tracer.performedContextInjections.count == 2)
        #expect(tracer.performedContextExtractions.count == 2)
    }

    @Test("Span status follows OpenTelemetry: a client span errs on any failure, a server span only on server faults")
    func tracingStatus() async throws {
        let tracer = InMemoryTracer()
        try await ObservedPair.run(
            server: [ServerObservability(logger: nil, metrics: nil, tracer: tracer)],
            client: [ClientObservability(logger: nil, metrics: nil, tracer: tracer)]
        ) { pair in
            await #expect(throws: RPCError.self) { try await pair.fail(.notFound) }
            await #expect(throws: RPCError.self) { try await pair.fail(.internalError) }
        }
        let spans = tracer.finishedSpans
        #expect(spans.count == 4)
        let server = spans.filter { $0.kind == .server }
        let client = spans.filter { $0.kind == .client }
        #expect(client.allSatisfy { $0.status?.code == .error })
        #expect(server.map { $0.attributes["rpc.grpc.status_code"]?.toSpanAttribute() } == [5, 13])
        #expect(server.map { $0.status?.code } == [nil, .error])
    }
}
