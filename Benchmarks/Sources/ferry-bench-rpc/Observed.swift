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

    static var client: ClientObservability {
        ClientObservability(logger: logger, metrics: PrometheusMetricsFactory(registry: registry), tracer: nil)
    }
}
