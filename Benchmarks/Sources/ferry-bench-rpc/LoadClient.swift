import FerryHTTP2

/// What the load generator needs from a client implementation: one connection's worth of calls.
///
/// Every implementation sends the same `benchpb.RpcRequest` message to the echo service and checks
/// the reply, so both sides do the same message work with their own protobuf codec.
protocol LoadClient: Sendable {
    /// One unary call; the server echoes the request.
    func unary(requestID: UInt64) async throws

    /// One server-streaming call of `count` responses; returns how many arrived.
    func stream(count: Int) async throws -> Int

    /// Closes the connection.
    func close() async
}

/// The implementations under test, on both sides of the wire.
enum Implementation: String, CaseIterable, Sendable {
    case ferry
    case grpcswift
    /// Ferry with `FerryObservability` on: a swift-log line per call (formatted by swift-log's
    /// stream handler, written to /dev/null) and swift-metrics into swift-prometheus; tracing off.
    /// Not in the default set: name it with `--server`/`--client`.
    case ferryObserved = "ferry-observed"
    /// Ferry's server with handlers on the connections' event loops
    /// (`handlerExecution: .eventLoop`); as a client, the same as `ferry`.
    case ferryEventLoop = "ferry-el"
    /// Ferry's server with `handlerExecution: .eventLoopWhenIdle`; as a client, the same as `ferry`.
    case ferryEventLoopWhenIdle = "ferry-elidle"
    /// `ferry-observed` with metrics only (the per-call line filtered out by the logger's level).
    case ferryMetrics = "ferry-metrics"
    /// `ferry-observed` with the per-call line only, handed to a handler that drops it.
    case ferryLogNoOp = "ferry-log-noop"
    /// `ferry-metrics` run as an ordinary interceptor (the path before `ServerCallObserver`, and
    /// the one an observer behind another interceptor takes).
    case ferryMetricsWrapped = "ferry-metrics-wrapped"

    /// The implementations a run measures when none is named.
    static var defaults: [Implementation] { [.ferry, .grpcswift] }

    func makeClient(port: Int) async throws -> any LoadClient {
        switch self {
        case .ferry: try await FerryLoadClient.connect(port: port)
        case .grpcswift: try await GRPCSwiftLoadClient.connect(port: port)
        case .ferryObserved: try await FerryLoadClient.connect(port: port, interceptors: [Observed.client])
        case .ferryEventLoop, .ferryEventLoopWhenIdle, .ferryMetrics, .ferryLogNoOp, .ferryMetricsWrapped:
            try await FerryLoadClient.connect(port: port)
        }
    }

    func serve(port: Int) async throws {
        switch self {
        case .ferry: try await FerryBenchServer.run(port: port)
        case .grpcswift: try await GRPCSwiftBenchServer.run(port: port)
        case .ferryObserved: try await FerryBenchServer.run(port: port, interceptors: [Observed.server])
        case .ferryEventLoop: try await FerryBenchServer.run(port: port, handlerExecution: .eventLoop)
        case .ferryEventLoopWhenIdle: try await FerryBenchServer.run(port: port, handlerExecution: .eventLoopWhenIdle)
        case .ferryMetrics: try await FerryBenchServer.run(port: port, interceptors: [Observed.serverMetricsOnly])
        case .ferryLogNoOp: try await FerryBenchServer.run(port: port, interceptors: [Observed.serverLogNoOp])
        case .ferryMetricsWrapped:
            try await FerryBenchServer.run(
                port: port,
                interceptors: [Observed.AsInterceptor(Observed.serverMetricsOnly)]
            )
        }
    }
}

/// The service both servers implement.
enum EchoService {
    static let service = "benchpb.Echo"
    static let unaryMethod = "Unary"
    static let streamMethod = "Stream"
    /// The key every request carries, so the message has a string field to encode and decode.
    static let key = "order-7f3a9c21"

    struct MismatchError: Error, CustomStringConvertible {
        var description: String
    }
}
