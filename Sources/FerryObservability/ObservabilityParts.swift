import CoreMetrics
import FerryRPC
import Logging
import Tracing

/// What ``ClientObservability`` and ``ServerObservability`` share: the parts they were configured
/// with, and the start of one call's observation. Only the span's parent (the caller's context, or
/// the one the client propagated) and which stream counts as sent or received differ by side.
struct ObservabilityParts: Sendable {
    let side: CallObservation.Side
    let logger: Logger?
    let logLevel: Logger.Level
    let tracer: (any Tracer)?
    let instruments: RPCInstruments?

    init(
        side: CallObservation.Side,
        logger: Logger?,
        logLevel: Logger.Level,
        metrics: (any MetricsFactory)?,
        tracer: (any Tracer)?
    ) {
        self.side = side
        self.logger = logger
        self.logLevel = logLevel
        self.tracer = tracer
        self.instruments = metrics.map { RPCInstruments(side: side == .client ? "client" : "server", factory: $0) }
    }

    /// Starts observing a call: its span (under `parent`, asked for only when tracing, described
    /// with the method and peer), its started and in-flight counts, and the observation that
    /// records its end.
    func begin(
        _ descriptor: MethodDescriptor,
        peer: String?,
        parent: () -> InstrumentationContext
    )
        -> (observation: CallObservation, span: (any Span)?, instruments: RPCInstruments.Method?)
    {
        let instruments = self.instruments?.method(descriptor)
        var span: (any Span)?
        if let tracer {
            let started = tracer.startSpan(
                CallObservation.spanName(descriptor),
                context: parent(),
                ofKind: side == .client ? .client : .server
            )
            CallObservation.describe(started, descriptor, peer: peer)
            span = started
        }
        instruments?.started.increment()
        instruments?.inFlight.increment()
        let observation = CallObservation(
            side: side,
            descriptor: descriptor,
            peer: peer,
            start: .now,
            instruments: instruments,
            span: span,
            logger: logger,
            logLevel: logLevel
        )
        return (observation, span, instruments)
    }
}
