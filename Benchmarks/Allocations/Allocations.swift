// Allocations per call on Ferry's call path, counted with package-benchmark's malloc interposer:
// deterministic figures on a machine whose timings move ±15 % between rounds (BENCHMARKS.md,
// "Allocations per call"). Run with Benchmarks/scripts/allocations.sh; `thresholds check` there
// fails when a count rises above the stored one (Thresholds/).
//
// Names hold no spaces: package-benchmark writes threshold files with spaces replaced but looks
// them up by the name as it is.
//
// Every call runs client and server in this process, so a count is the whole call: the client's
// request, the transport, the server's handler and response, and back.

import Benchmark
import FerryBench
import FerryCodec
import FerryHTTP2
import FerryObservability
import FerryRPC
import Logging
import Prometheus

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal],
        warmupIterations: 200,
        maxDuration: .seconds(2),
        maxIterations: 20_000,
        // A call's p90 may exceed the stored one by 2: the tasks of a call finish on other threads,
        // and now and then one of them allocates during the next call.
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 2])]
    )

    // The message every benchmark sends: a request id, a method id and a 14-byte string.
    let request: Benchpb_RpcRequest = {
        var request = Benchpb_RpcRequest()
        request.requestId = 7
        request.methodId = 1
        request.key = "order-7f3a9c21"
        return request
    }()
    let encoded = request.serializedBytes()

    Benchmark("codec-encode-small-message") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(request.serializedBytes()) }
    }
    Benchmark("codec-decode-small-message") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try Benchpb_RpcRequest(serializedBytes: encoded)) }
    }

    for variant in CallPath.Variant.allCases {
        Benchmark("in-process-unary-\(variant.rawValue)") { benchmark in
            let client = try CallPath.current().client
            for _ in benchmark.scaledIterations { blackHole(try await CallPath.unary(request, on: client)) }
        } setup: {
            try await CallPath.start(.inProcess, variant)
        } teardown: {
            await CallPath.stop()
        }
    }

    // Over a real socket the count moves more from call to call (p50 177, p90 187 when recorded).
    let http2 = Benchmark.Configuration(thresholds: [.mallocCountTotal: .init(absolute: [.p90: 8])])
    Benchmark("http2-loopback-unary-no-interceptors", configuration: http2) { benchmark in
        let client = try CallPath.current().client
        for _ in benchmark.scaledIterations { blackHole(try await CallPath.unary(request, on: client)) }
    } setup: {
        try await CallPath.start(.http2, .none)
    } teardown: {
        await CallPath.stop()
    }
}

/// A running server and client for the call benchmarks: started by a benchmark's setup, stopped by
/// its teardown. Benchmarks run one at a time, so one at most runs.
final class CallPath: Sendable {
    enum Transport { case inProcess, http2 }

    /// What the call goes through besides the transport.
    enum Variant: String, CaseIterable {
        case none = "no-interceptors"
        case passThrough = "pass-through-interceptors"
        case observability = "observability"
        /// `ServerObservability` on the server only: what the server's observer hooks allocate.
        case serverObservability = "server-observability"
    }

    let client: RPCClient
    private let server: RPCServer
    private let serving: Task<Void, any Error>
    private let connecting: Task<Void, any Error>

    nonisolated(unsafe) private static var running: CallPath?

    private init(client: RPCClient, server: RPCServer, serving: Task<Void, any Error>) {
        self.client = client
        self.server = server
        self.serving = serving
        connecting = Task { try await client.runConnections() }
    }

    static func current() throws -> CallPath {
        guard let running else { throw RPCError(code: .unavailable, message: "no server is running") }
        return running
    }

    static func start(_ transport: Transport, _ variant: Variant) async throws {
        let (serverInterceptors, clientInterceptors): ([any ServerInterceptor], [any ClientInterceptor]) =
            switch variant {
            case .none: ([], [])
            case .passThrough: ([PassThrough()], [PassThrough()])
            case .observability: ([Observed.server], [Observed.client])
            case .serverObservability: ([Observed.server], [])
            }
        let path: CallPath
        switch transport {
        case .inProcess:
            let pair = InProcessTransport()
            let server = RPCServer(transport: pair.server, services: [Echo()], interceptors: serverInterceptors)
            path = CallPath(
                client: RPCClient(transport: pair.client, interceptors: clientInterceptors),
                server: server,
                serving: Task { try await server.serve() }
            )
        case .http2:
            let serverTransport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
            let server = RPCServer(transport: serverTransport, services: [Echo()], interceptors: serverInterceptors)
            let serving = Task { try await server.serve() }
            let port = try await serverTransport.listeningPort()
            path = CallPath(
                client: RPCClient(
                    transport: HTTP2ClientTransport(host: "127.0.0.1", port: port),
                    interceptors: clientInterceptors
                ),
                server: server,
                serving: serving
            )
        }
        running = path
        // The first call opens the connection; it is not counted.
        _ = try await unary(Benchpb_RpcRequest(), on: path.client)
    }

    static func stop() async {
        guard let path = running else { return }
        running = nil
        path.client.beginGracefulShutdown()
        path.server.beginGracefulShutdown()
        _ = await path.connecting.result
        _ = await path.serving.result
    }

    static let method = MethodDescriptor(service: "benchpb.Echo", method: "Unary")

    static func unary(_ message: Benchpb_RpcRequest, on client: RPCClient) async throws -> Benchpb_RpcRequest {
        try await client.unary(
            request: ClientRequest(message: message),
            descriptor: method,
            serializer: ProtobufSerializer<Benchpb_RpcRequest>(),
            deserializer: ProtobufDeserializer<Benchpb_RpcRequest>()
        ).message
    }
}

/// Answers each request with itself.
struct Echo: RPCService {
    func registerMethods(with router: inout RPCRouter) {
        router.registerUnary(
            CallPath.method,
            deserializer: ProtobufDeserializer<Benchpb_RpcRequest>(),
            serializer: ProtobufSerializer<Benchpb_RpcRequest>()
        ) { request, _ in
            ServerResponse(message: request.message)
        }
    }
}

/// An interceptor that only calls the next one: the cost of the interceptor machinery itself.
struct PassThrough: ServerInterceptor, ClientInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        try await next(request, context)
    }

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output> {
        try await next(request, context)
    }
}

/// Production-like observability whose output goes nowhere: one info line per call formatted for a
/// handler that drops it, and metrics into a Prometheus registry.
enum Observed {
    static let registry = PrometheusCollectorRegistry()

    static let logger: Logger = {
        var logger = Logger(label: "ferry-bench") { _ in Discarding() }
        logger.logLevel = .info
        return logger
    }()

    static var server: ServerObservability {
        ServerObservability(logger: logger, metrics: PrometheusMetricsFactory(registry: registry), tracer: nil)
    }

    static var client: ClientObservability {
        ClientObservability(logger: logger, metrics: PrometheusMetricsFactory(registry: registry), tracer: nil)
    }

    /// Accepts every line at `.info` and above and drops it (after swift-log has built it).
    struct Discarding: LogHandler {
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { blackHole(event.message.description) }
    }
}
