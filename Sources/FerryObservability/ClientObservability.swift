// Public imports: MetricsFactory, ClientInterceptor, Logger and Tracer appear in this file's public API.
public import CoreMetrics
public import FerryRPC
public import Logging
public import Tracing

/// Logs, measures and traces every call a client makes: add it to ``RPCClient``'s interceptors in
/// one line.
///
/// ```swift
/// let client = RPCClient(transport: transport, interceptors: [ClientObservability(logger: logger)])
/// ```
///
/// - **swift-log**: one line per call when it ends (`RPC made`, at ``logLevel``) with `rpc.method`,
///   `grpc.status`, `rpc.duration_ms` and, on failure, `grpc.message`.
/// - **swift-metrics**: the same instruments as ``ServerObservability`` named `grpc_client_…`.
/// - **swift-distributed-tracing**: a client span per call, child of the caller's task-local
///   `InstrumentationContext` (in a handler, the server span), injected into the request metadata
///   (with an OpenTelemetry tracer, as W3C `traceparent`) so the server's span joins the same trace.
///
/// A call ends when its response stream ended, failed, or the caller stopped reading it
/// (reported as CANCELLED). Each part is off when its argument is nil.
public struct ClientObservability: ClientInterceptor {
    /// Where call lines go; nil logs nothing.
    public let logger: Logger?
    /// The level of the line logged per call.
    public let logLevel: Logger.Level
    /// The tracer that starts the client spans; nil traces nothing.
    public let tracer: (any Tracer)?
    private let instruments: RPCInstruments?

    /// Creates the interceptor.
    ///
    /// - Parameters:
    ///   - logger: where one line per call goes; nil for none.
    ///   - logLevel: the level of that line (default `info`).
    ///   - metrics: the factory for the call metrics (default the bootstrapped `MetricsSystem`); nil for none.
    ///   - tracer: the tracer for client spans (default the bootstrapped `InstrumentationSystem`'s); nil for none.
    public init(
        logger: Logger? = Logger(label: "ferry.rpc.client"),
        logLevel: Logger.Level = .info,
        metrics: (any MetricsFactory)? = MetricsSystem.factory,
        tracer: (any Tracer)? = InstrumentationSystem.tracer
    ) {
        self.logger = logger
        self.logLevel = logLevel
        self.tracer = tracer
        self.instruments = metrics.map { RPCInstruments(side: "client", factory: $0) }
    }

    /// Observes one call: starts its span (injected into the request metadata) and counters, and records its end.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        let descriptor = context.descriptor
        let instruments = self.instruments?.method(descriptor)
        var request = request
        var span: (any Span)?
        if let tracer {
            let started = tracer.startSpan(
                CallObservation.spanName(descriptor), context: InstrumentationContext.current ?? .topLevel, ofKind: .client
            )
            CallObservation.describe(started, descriptor, peer: nil)
            tracer.inject(started.context, into: &request.metadata, using: MetadataInjector())
            span = started
        }
        let observation = CallObservation(
            side: .client, descriptor: descriptor, peer: nil, start: .now,
            instruments: instruments, span: span, logger: logger, logLevel: logLevel
        )
        if let instruments {
            instruments.started.increment()
            instruments.inFlight.increment()
            request = request.mapMessages { message in
                instruments.sent.increment()
                return message
            }
        }
        do {
            var response = try await next(request, context)
            if let instruments {
                response.messages = response.messages.map { message in
                    instruments.received.increment()
                    return message
                }
            }
            return response.onFinish { outcome in
                switch outcome {
                case .success: observation.finish(.ok, error: nil)
                case .failure(let error): observation.finish(error.code, error: error)
                }
            }
        } catch {
            let rpcError = RPCError(converting: error)
            observation.finish(rpcError.code, error: rpcError)
            throw rpcError
        }
    }
}
