/// Public: `MetricsFactory` (CoreMetrics) appears in the initializer.
public import CoreMetrics
/// Public: the type conforms to FerryRPC's `ServerInterceptor`.
public import FerryRPC
/// Public: `Logger` (Logging) appears in this file's public API.
public import Logging
/// Public: `Tracer` (Tracing) appears in this file's public API.
public import Tracing

/// Logs, measures and traces every call a server handles: add it to `RPCServer`'s interceptors
/// in one line.
///
/// ```swift
/// let server = RPCServer(transport: transport, services: [payments],
///                        interceptors: [ServerObservability(logger: logger)])
/// ```
///
/// - **swift-log**: one line per call when it ends (`RPC served`, at ``logLevel``) with
///   `rpc.method`, `rpc.peer`, `grpc.status`, `rpc.duration_ms` and, on failure, `grpc.message`.
/// - **swift-metrics**: `grpc_server_started_total`, `grpc_server_handled_total` (by `grpc_code`),
///   `grpc_server_msg_received_total`, `grpc_server_msg_sent_total`, the
///   `grpc_server_handling_seconds` timer and the `grpc_server_in_flight` meter, each by
///   `grpc_service` and `grpc_method`.
/// - **swift-distributed-tracing**: a server span per call named `package.Service/Method`, child
///   of the context the client propagated in its metadata (with an OpenTelemetry tracer, the W3C
///   `traceparent` header); the handler runs with the span's context as the task-local
///   `InstrumentationContext`, so calls it makes continue the trace.
///
/// Each part is off when its argument is nil. The defaults read the process-wide systems when the
/// interceptor is created, so bootstrap `LoggingSystem`, `MetricsSystem` and `InstrumentationSystem`
/// first.
///
/// It is a `ServerCallObserver`: first in the interceptor list (before any interceptor that is
/// not an observer), the server calls its hooks directly instead of running it as a wrapper.
public struct ServerObservability: ServerCallObserver {
    /// Where call lines go; nil logs nothing.
    public var logger: Logger? { parts.logger }
    /// The level of the line logged per call.
    public var logLevel: Logger.Level { parts.logLevel }
    /// The tracer that starts the server spans; nil traces nothing.
    public var tracer: (any Tracer)? { parts.tracer }
    private let parts: ObservabilityParts

    /// Creates the interceptor.
    ///
    /// - Parameters:
    ///   - logger: where one line per call goes; nil for none.
    ///   - logLevel: the level of that line (default `info`).
    ///   - metrics: the factory for the call metrics (default the bootstrapped `MetricsSystem`); nil for none.
    ///   - tracer: the tracer for server spans (default the bootstrapped `InstrumentationSystem`'s); nil for none.
    public init(
        logger: Logger? = Logger(label: "ferry.rpc.server"),
        logLevel: Logger.Level = .info,
        metrics: (any MetricsFactory)? = MetricsSystem.factory,
        tracer: (any Tracer)? = InstrumentationSystem.tracer
    ) {
        self.parts = ObservabilityParts(
            side: .server,
            logger: logger,
            logLevel: logLevel,
            metrics: metrics,
            tracer: tracer
        )
    }

    /// Only a tracer binds anything around the handler (the server span's context).
    public var bindsTaskLocals: Bool { tracer != nil }

    /// Starts observing one call the server runs without wrapping: its span and counters; the
    /// returned observation counts its messages and records its end.
    public func callStarted(metadata: Metadata, context: ServerContext) -> any ServerCallObservation {
        parts.begin(context.descriptor, peer: context.peer) {
            var parent = InstrumentationContext.current ?? .topLevel
            tracer?.extract(metadata, into: &parent, using: MetadataExtractor())
            return parent
        }.observation
    }

    /// Observes one call run as an interceptor (when another interceptor comes before it): starts
    /// its span and counters, and records its end.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        let (observation, span, instruments) = parts.begin(context.descriptor, peer: context.peer) {
            // The client's context, propagated in the request metadata, under the current task's.
            var parent = InstrumentationContext.current ?? .topLevel
            tracer?.extract(request.metadata, into: &parent, using: MetadataExtractor())
            return parent
        }
        var request = request
        if let instruments {
            request.messages = request.messages.map { message in
                instruments.received.increment()
                return message
            }
        }
        do {
            var response: StreamingServerResponse<Output>
            if let span {
                response = try await InstrumentationContext.withValue(span.context) { try await next(request, context) }
                let producer = response.producer
                response.producer = { writer in
                    try await InstrumentationContext.withValue(span.context) { try await producer(writer) }
                }
            } else {
                response = try await next(request, context)
            }
            if let instruments {
                response = response.mapMessages { message in
                    instruments.sent.increment()
                    return message
                }
            }
            return response.onFinish { outcome in
                switch outcome {
                case .success(let trailers):
                    observation.finish(.ok, error: nil)
                    return trailers
                case .failure(let error):
                    observation.finish(error.code, error: error)
                    throw error
                }
            }
        } catch {
            let rpcError = RPCError(converting: error)
            observation.finish(rpcError.code, error: rpcError)
            throw rpcError
        }
    }
}

/// A server call as ``ServerObservability`` sees it when the server calls its hooks.
extension CallObservation: ServerCallObservation {
    func messageReceived() { instruments?.received.increment() }

    func messageSent() { instruments?.sent.increment() }

    func callFinished(_ error: RPCError?) { finish(error?.code ?? .ok, error: error) }

    /// Runs the handler and its response producer with the server span as the current context.
    func run<Result>(_ body: () async throws(RPCError) -> Result) async throws(RPCError) -> Result {
        guard let span else { return try await body() }
        // `withValue` rethrows untyped; what it rethrows is `body`'s RPCError.
        do {
            return try await InstrumentationContext.withValue(span.context) { try await body() }
        } catch {
            throw RPCError(converting: error)
        }
    }
}
