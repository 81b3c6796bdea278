import FerryCodec
import FerryHTTP2
import FerryInteropTesting
import FerryRPC
import FerryServices
import ProcessTestSupport
import Testing

/// Runs `body` with a Ferry server on 127.0.0.1 serving the interop TestService, `health` and
/// reflection, and a Ferry client connected to it.
func withServicesServer<Result: Sendable>(
    health: HealthService = HealthService(statuses: ["grpc.testing.TestService": .serving]),
    reflection: ReflectionService = ReflectionService(),
    _ body: @Sendable (RPCServer, RPCClient, Int) async throws -> Result
) async throws -> Result {
    let transport = HTTP2ServerTransport(
        configuration: .init(host: "127.0.0.1", port: 0, gracefulShutdownTimeout: .seconds(2))
    )
    let server = RPCServer(transport: transport, services: [InteropTestService(), health, reflection])
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        defer { server.beginGracefulShutdown() }
        let port = try await transport.listeningPort()
        return try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) { client in
            try await body(server, client, port)
        }
    }
}

/// Runs Tests/InteropPeers/services_peer.py with `arguments` to its end.
func servicesPeer(_ arguments: [String]) async throws -> (status: Int32, output: String) {
    await
        (try PeerProcess(
            python: "services_peer.py",
            name: "services_peer.py \(arguments.first ?? "")",
            arguments: arguments
        )).waitForExit()
}

@Suite("Health service (grpc.health.v1)")
struct HealthServiceTests {
    @Test("grpcio's health client: Check SERVING and NOT_FOUND, Watch starting with SERVING and SERVICE_UNKNOWN")
    func grpcioClient() async throws {
        try await withServicesServer { _, _, port in
            let (status, output) = try await servicesPeer(["health", "--port", String(port)])
            #expect(status == 0, "\(output)")
            #expect(output.hasSuffix("PASS\n"), "\(output)")
        }
    }

    @Test(
        "A grpcio watcher sees every change, SERVICE_UNKNOWN when removed, and NOT_SERVING when the server shuts down"
    )
    func watchUpdates() async throws {
        let health = HealthService(statuses: ["acme.Payments": .serving])
        try await withServicesServer(health: health) { server, _, port in
            let watcher = try PeerProcess(
                python: "services_peer.py",
                name: "watch",
                arguments: ["watch", "--port", String(port), "--service", "acme.Payments"]
            )
            try await watcher.stopAfter {
                func seen(_ count: Int) async throws {
                    for _ in 0..<600
                    where watcher.log.split(separator: "\n").filter({ $0.hasPrefix("STATUS ") }).count < count {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                try await seen(1)
                health.setStatus(.notServing, forService: "acme.Payments")
                try await seen(2)
                health.removeService("acme.Payments")
                try await seen(3)
                health.setStatus(.serving, forService: "acme.Payments")
                try await seen(4)
                server.beginGracefulShutdown()
                try await seen(5)
                health.setStatus(.serving, forService: "acme.Payments")  // ignored once shutting down
                #expect(health.status(ofService: "acme.Payments") == .notServing)
                #expect(health.status(ofService: "") == .notServing)
            }
            let statuses = watcher.log.split(separator: "\n").filter { $0.hasPrefix("STATUS ") }.map { $0.dropFirst(7) }
            #expect(
                statuses.prefix(5) == ["SERVING", "NOT_SERVING", "SERVICE_UNKNOWN", "SERVING", "NOT_SERVING"],
                "\(watcher.log)"
            )
        }
    }

    @Test("A Ferry client: Check, List and Watch through the generated client")
    func ferryClient() async throws {
        let health = HealthService(statuses: ["grpc.testing.TestService": .serving])
        try await withServicesServer(health: health) { _, client, _ in
            let stub = Grpc_Health_V1_Health.Client(wrapping: client)
            var request = Grpc_Health_V1_HealthCheckRequest()
            #expect(try await stub.check(request).status == .serving)
            request.service = "grpc.testing.TestService"
            #expect(try await stub.check(request).status == .serving)
            request.service = "missing"
            let error = await #expect(throws: RPCError.self) { try await stub.check(request) }
            #expect(error?.code == .notFound)
            let list = try await stub.list(Grpc_Health_V1_HealthListRequest())
            #expect(list.statuses.mapValues(\.status) == ["": .serving, "grpc.testing.TestService": .serving])
            var first: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
            for try await response in stub.watch(request) {
                first.append(response.status)
                if first.count == 1 { health.setStatus(.serving, forService: "missing") }
                if first.count == 2 { break }
            }
            #expect(first == [.serviceUnknown, .serving])
        }
    }

    @Test("Setting a status a service already has sends nothing")
    func unchangedStatus() async throws {
        let health = HealthService(statuses: ["s": .serving])
        try await withServicesServer(health: health) { _, client, _ in
            let stub = Grpc_Health_V1_Health.Client(wrapping: client)
            var request = Grpc_Health_V1_HealthCheckRequest()
            request.service = "s"
            var seen: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
            for try await response in stub.watch(request) {
                seen.append(response.status)
                if seen.count == 1 {
                    health.setStatus(.serving, forService: "s")
                    health.setStatus(.notServing, forService: "s")
                }
                if seen.count == 2 { break }
            }
            #expect(seen == [.serving, .notServing])
        }
    }
}
