import FerryHTTP2
import FerryLifecycle
import FerryRPC
import FerryServices
import Logging
import RPCTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// Counts the handlers that have started, so a test waits for a call to be open instead of guessing.
final class HandlerStarts: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func record() { count.withLock { $0 += 1 } }
}

/// A unary method that answers after `delay`: a call still open when the shutdown begins.
struct SlowService: RPCService {
    static let slow = MethodDescriptor(service: "ferry.test.Slow", method: "Slow")
    let delay: Duration
    var starts = HandlerStarts()

    func registerMethods(with router: inout RPCRouter) {
        let delay = self.delay
        let starts = self.starts
        router.registerUnary(Self.slow, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            starts.record()
            try await Task.sleep(for: delay)
            return ServerResponse(message: "slept: " + request.message)
        }
    }
}

@Suite("RPCServer and RPCClient in a ServiceGroup")
struct ServiceGroupTests {
    @Test("A graceful shutdown of the group turns health NOT_SERVING, lets an open call finish and ends both services")
    func gracefulShutdown() async throws {
        let health = HealthService(statuses: ["ferry.test.Slow": .serving])
        let transport = HTTP2ServerTransport(
            configuration: .init(host: "127.0.0.1", port: 0, gracefulShutdownTimeout: .seconds(10))
        )
        let slow = SlowService(delay: .milliseconds(500))
        let server = RPCServer(transport: transport, services: [slow, health])
        var logger = Logger(label: "ferry.lifecycle.test")
        logger.logLevel = .critical
        let serverGroup = ServiceGroup(services: [server], gracefulShutdownSignals: [], logger: logger)
        let serverRun = Task { try await serverGroup.run() }
        let port = try await transport.listeningPort()
        let client = RPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port))
        let clientGroup = ServiceGroup(services: [client], gracefulShutdownSignals: [], logger: logger)
        let clientRun = Task { try await clientGroup.run() }
        let open = Task {
            try await client.unary(
                request: ClientRequest(message: "in flight"),
                descriptor: SlowService.slow,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(timeout: .seconds(30))
            ).message
        }
        // The call is open once the handler runs (at most 20 s on a starved machine: the connection's
        // handshake comes first); health answers before the shutdown.
        for _ in 0..<2_000 where slow.starts.value == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(slow.starts.value == 1)
        #expect(health.status(ofService: "ferry.test.Slow") == .serving)
        await serverGroup.triggerGracefulShutdown()
        // The group tells the server in the server's task: wait (at most 10 s) for it to act.
        for _ in 0..<1_000 where health.status(ofService: "") != .notServing {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(health.status(ofService: "") == .notServing)
        #expect(health.status(ofService: "ferry.test.Slow") == .notServing)
        #expect(try await open.value == "slept: in flight", "the call open at shutdown finished")
        // The server's run() returns once its calls are done; then nothing takes calls.
        try await serverRun.value
        let refused = await #expect(throws: RPCError.self) {
            try await client.unary(
                request: ClientRequest(message: "late"),
                descriptor: SlowService.slow,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(timeout: .seconds(60))
            )
        }
        #expect(
            refused?.code == .unavailable,
            "a call after the server stopped is refused: \(String(describing: refused))"
        )
        await clientGroup.triggerGracefulShutdown()
        try await clientRun.value
    }
}
