import CoreMetrics
import FerryRPC
import Synchronization

/// The swift-metrics instruments of one side (server or client), created once per method and
/// status code and then reused, so a call costs a dictionary look-up instead of a factory call.
///
/// Names follow the Prometheus conventions of grpc-ecosystem's interceptors (`grpc_server_started_total`,
/// `grpc_server_handled_total`, `grpc_server_msg_received_total`, `grpc_server_msg_sent_total`,
/// `grpc_server_handling_seconds`) plus `grpc_server_in_flight`; dimensions `grpc_service`,
/// `grpc_method` and, on the handled counter, `grpc_code`. The client's start with `grpc_client_`.
/// Every method seen gets its own instruments: on a server only registered methods reach
/// interceptors, so a peer cannot grow this set.
final class RPCInstruments: Sendable {
    final class Method: Sendable {
        let started: Counter
        let received: Counter
        let sent: Counter
        let duration: Timer
        let inFlight: Meter
        private let handled: Mutex<[Status.Code: Counter]>
        private let dimensions: [(String, String)]
        private let handledLabel: String
        private let factory: any MetricsFactory

        init(side: String, method: MethodDescriptor, factory: any MetricsFactory) {
            let dimensions = [("grpc_service", method.service), ("grpc_method", method.method)]
            self.dimensions = dimensions
            self.factory = factory
            self.handledLabel = "grpc_\(side)_handled_total"
            started = Counter(label: "grpc_\(side)_started_total", dimensions: dimensions, factory: factory)
            received = Counter(label: "grpc_\(side)_msg_received_total", dimensions: dimensions, factory: factory)
            sent = Counter(label: "grpc_\(side)_msg_sent_total", dimensions: dimensions, factory: factory)
            duration = Timer(label: "grpc_\(side)_handling_seconds", dimensions: dimensions, factory: factory)
            inFlight = Meter(label: "grpc_\(side)_in_flight", dimensions: dimensions, factory: factory)
            handled = Mutex([:])
        }

        /// The handled counter for `code`.
        func handled(_ code: Status.Code) -> Counter {
            handled.withLock { counters in
                if let counter = counters[code] { return counter }
                let counter = Counter(
                    label: handledLabel,
                    dimensions: dimensions + [("grpc_code", code.description)],
                    factory: factory
                )
                counters[code] = counter
                return counter
            }
        }
    }

    private let side: String
    private let factory: any MetricsFactory
    private let methods = Mutex<[MethodDescriptor: Method]>([:])

    init(side: String, factory: any MetricsFactory) {
        self.side = side
        self.factory = factory
    }

    func method(_ descriptor: MethodDescriptor) -> Method {
        methods.withLock { methods in
            if let method = methods[descriptor] { return method }
            let method = Method(side: side, method: descriptor, factory: factory)
            methods[descriptor] = method
            return method
        }
    }
}
