import FerryObservability
import FerryRPC
import Foundation
import Logging
import Prometheus

#if canImport(Glibc)
import Glibc
#endif

/// The observability a production Ferry service would run with, for `ferry-observed`: one info line
/// per call through swift-log's stream handler and metrics into a Prometheus registry. The process's
/// stderr goes to /dev/null first, so the lines are formatted and written but not shown.
/// Keeps a value alive so that the optimizer cannot drop the work that made it.
@inline(never) func blackHole<T>(_ value: T) { _ = value }

enum Observed {
    static let registry = PrometheusCollectorRegistry()

    static let logger: Logger = {
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, STDERR_FILENO) }
        var logger = Logger(label: "ferry-bench") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        return logger
    }()

    static var server: ServerObservability {
        ServerObservability(logger: logger, metrics: PrometheusMetricsFactory(registry: registry), tracer: nil)
    }

    /// Metrics only: no log line per call (the logger's level filters it out, so it is not formatted).
    static var serverMetricsOnly: ServerObservability {
        var quiet = logger
        quiet.logLevel = .notice
        return ServerObservability(logger: quiet, metrics: PrometheusMetricsFactory(registry: registry), tracer: nil)
    }

    /// The log line only, through a handler that drops it: what Ferry spends building the line,
    /// without swift-log's stream handler formatting and writing it.
    static var serverLogNoOp: ServerObservability {
        ServerObservability(
            logger: Logger(label: "ferry-bench") { _ in DroppingLogHandler() },
            metrics: nil,
            tracer: nil
        )
    }

    /// Runs an interceptor as an ordinary one, hiding that it is a `ServerCallObserver`.
    struct AsInterceptor: ServerInterceptor {
        let base: any ServerInterceptor
        init(_ base: any ServerInterceptor) { self.base = base }

        func intercept<Input: Sendable, Output: Sendable>(
            request: StreamingServerRequest<Input>,
            context: ServerContext,
            next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<
                Output
            >
        ) async throws(RPCError) -> StreamingServerResponse<Output> {
            try await base.intercept(request: request, context: context, next: next)
        }
    }

    /// Takes info lines (so the logger builds them) and drops them.
    struct DroppingLogHandler: LogHandler {
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { blackHole(event) }
    }

    static var client: ClientObservability {
        ClientObservability(logger: logger, metrics: PrometheusMetricsFactory(registry: registry), tracer: nil)
    }
}
