/// Public: `MetricsFactory` (CoreMetrics) appears in the initializer.
public import CoreMetrics
/// Public: the type conforms to FerryRPC's `ClientInterceptor`.
public import FerryRPC
/// Public: `Logger` (Logging) appears in this file's public API.
public import Logging
/// Public: `Tracer` (Tracing) appears in this file's public API.
public import Tracing

/// Logs, measures and traces every call a client makes: add it to `RPCClient`'s interceptors in
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
    public var logger: Logger? { parts.logger }
    /// The level of the line logged per call.
    public var logLevel: Logger.Level { parts.logLevel }
    /// The tracer that starts the client spans; nil traces nothing.
    public var tracer: (any Tracer)? { parts.tracer }
    private let parts: ObservabilityParts

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
        self.parts = ObservabilityParts(
            side: .client,
            logger: logger,
            logLevel: logLevel,
            metrics: metrics,
            tracer: tracer
        )
    }

    /// Observes one call: starts its span (injected into the request metadata) and counters, and records its end.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output> {
        let (observation, span, instruments) = parts.begin(context.descriptor, peer: nil) {
            InstrumentationContext.current ?? .topLevel
        }
        var request = request
        if let span, let tracer {
            tracer.inject(span.context, into: &request.metadata, using: MetadataInjector())
        }
        if let instruments {
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
