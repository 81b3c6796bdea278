import CoreMetrics
import FerryRPC
import Logging
import Tracing

/// What the observability interceptors of both sides record when a call ends: one owner for the
/// log line, the metrics and the span's status, so client and server report alike. A class: one
/// allocation per call, which the server keeps as the call's ``ServerCallObservation``.
final class CallObservation: Sendable {
    let side: Side
    let descriptor: MethodDescriptor
    let peer: String?
    let start: ContinuousClock.Instant
    let instruments: RPCInstruments.Method?
    let span: (any Span)?
    let logger: Logger?
    let logLevel: Logger.Level

    init(
        side: Side,
        descriptor: MethodDescriptor,
        peer: String?,
        start: ContinuousClock.Instant,
        instruments: RPCInstruments.Method?,
        span: (any Span)?,
        logger: Logger?,
        logLevel: Logger.Level
    ) {
        self.side = side
        self.descriptor = descriptor
        self.peer = peer
        self.start = start
        self.instruments = instruments
        self.span = span
        self.logger = logger
        self.logLevel = logLevel
    }

    enum Side: Sendable {
        case client, server
    }

    /// Records the call's end with `code` (and the error, when not OK).
    func finish(_ code: Status.Code, error: RPCError?) {
        let duration = start.duration(to: .now)
        let nanoseconds = duration.saturatingNanoseconds
        if let instruments {
            instruments.handled(code).increment()
            instruments.duration.recordNanoseconds(nanoseconds)
            instruments.inFlight.decrement()
        }
        if let span {
            span.attributes["rpc.grpc.status_code"] = code.rawValue
            if let error, Self.isSpanError(code, side: side) {
                span.setStatus(SpanStatus(code: .error, message: error.message))
            }
            span.end()
        }
        if let logger, logger.logLevel <= logLevel {
            // Values by reference where possible: the path and status text exist already, and
            // the duration is formatted only if the handler prints it.
            var metadata = Logger.Metadata(minimumCapacity: 5)
            metadata["rpc.method"] = .string(descriptor.path)
            metadata["grpc.status"] = .string(code.description)
            metadata["rpc.duration_ms"] = .stringConvertible(Milliseconds(nanoseconds: nanoseconds))
            if let peer { metadata["rpc.peer"] = .string(peer) }
            if let error, !error.message.isEmpty { metadata["grpc.message"] = .string(error.message) }
            logger.log(level: logLevel, side == .server ? "RPC served" : "RPC made", metadata: metadata)
        }
    }

    /// A duration printed in milliseconds with microsecond precision (`0.042`), when printed.
    struct Milliseconds: CustomStringConvertible, Sendable {
        let nanoseconds: Int64
        var description: String { "\(Double(nanoseconds / 1_000) / 1_000)" }
    }

    /// OpenTelemetry's RPC conventions: a client span is an error for any non-OK status; a server
    /// span only for the codes that mean the server failed, not that the caller asked wrongly.
    static func isSpanError(_ code: Status.Code, side: Side) -> Bool {
        switch side {
        case .client: code != .ok
        case .server:
            [.unknown, .deadlineExceeded, .unimplemented, .internalError, .unavailable, .dataLoss].contains(code)
        }
    }

    /// The span's name: `package.Service/Method`, as OpenTelemetry names RPC spans.
    static func spanName(_ descriptor: MethodDescriptor) -> String {
        "\(descriptor.service)/\(descriptor.method)"
    }

    /// Sets the attributes OpenTelemetry defines for RPC spans.
    static func describe(_ span: any Span, _ descriptor: MethodDescriptor, peer: String?) {
        span.attributes["rpc.system"] = "grpc"
        span.attributes["rpc.service"] = descriptor.service
        span.attributes["rpc.method"] = descriptor.method
        if let peer { span.attributes["network.peer.address"] = peer }
    }
}
