import ProcessTestSupport
import Testing

/// `ferry-interop-client`'s channel against three grpcio servers, as an external harness drives it:
/// `--target ipv4:...`, `--service_config_json`, `--num_times`. Each server prints a line per
/// EmptyCall it serves, so the spread is counted where the calls land.
@Suite("Client channel against grpcio servers: round_robin, pick_first, a server killed midway", .serialized)
struct ChannelInteropTests {
    static func served(_ server: PeerProcess) -> Int {
        server.log.split(separator: "\n").filter { $0 == "CALL EmptyCall" }.count
    }

    func withThreeServers(_ body: ([PeerProcess], String) async throws -> Void) async throws {
        var servers: [PeerProcess] = []
        var ports: [Int] = []
        do {
            for _ in 0..<3 {
                let (server, port) = try await PeerProcess.grpcioServer(logCalls: true)
                servers.append(server)
                ports.append(port)
            }
            try await body(servers, "ipv4:" + ports.map { "127.0.0.1:\($0)" }.joined(separator: ","))
        } catch {
            for server in servers { await server.stop() }
            throw error
        }
        for server in servers { await server.stop() }
    }

    @Test("round_robin spreads 30 empty_unary calls over all three servers")
    func roundRobin() async throws {
        try await withThreeServers { servers, target in
            let client = try PeerProcess.ferryChannelClient(
                target: target,
                serviceConfig: #"{"loadBalancingConfig":[{"round_robin":{}}]}"#,
                testCase: "empty_unary",
                times: 30
            )
            let result = await client.waitForExit()
            #expect(result.status == 0, "\(result.output)")
            let counts = servers.map(Self.served)
            #expect(counts.reduce(0, +) == 30)
            #expect(counts.allSatisfy { $0 >= 5 }, "\(counts)")
        }
    }

    @Test("pick_first sends every call to the first server")
    func pickFirst() async throws {
        try await withThreeServers { servers, target in
            let client = try PeerProcess.ferryChannelClient(
                target: target,
                serviceConfig: #"{"loadBalancingConfig":[{"pick_first":{}}]}"#,
                testCase: "empty_unary",
                times: 30
            )
            let result = await client.waitForExit()
            #expect(result.status == 0, "\(result.output)")
            #expect(servers.map(Self.served) == [30, 0, 0])
        }
    }

    @Test(
        """
        With one server killed midway (SIGKILL) no call fails: round_robin moves \
        on, a call caught on the dead connection is retried
        """
    )
    func serverKilledMidway() async throws {
        try await withThreeServers { servers, target in
            // A call in flight on the connection that dies may have reached the server, so gRPC does
            // not resend it on its own; the retry policy (UNAVAILABLE) is what a deployment adds.
            let config = """
                {"loadBalancingConfig":[{"round_robin":{}}],
                 "methodConfig":[{"name":[{"service":"grpc.testing.TestService"}],
                   "retryPolicy":{"maxAttempts":3,"initialBackoff":"0.05s","maxBackoff":"0.2s","backoffMultiplier":2,
                                  "retryableStatusCodes":["UNAVAILABLE"]}}]}
                """
            // Enough calls that the client is still running when the kill comes, even on a loaded machine.
            let calls = 2_000
            let client = try PeerProcess.ferryChannelClient(
                target: target,
                serviceConfig: config,
                testCase: "empty_unary",
                times: calls
            )
            // Kill the second server once it has served some calls (bounded: 60 s).
            for _ in 0..<6000 where Self.served(servers[1]) < 10 && client.isRunning {
                try await Task.sleep(for: .milliseconds(10))
            }
            let servedBeforeKill = Self.served(servers[1])
            #expect(servedBeforeKill >= 10)
            let killedMidway = client.isRunning
            await servers[1].kill()
            let result = await client.waitForExit()
            #expect(result.status == 0, "\(result.output.suffix(3000))")
            #expect(!result.output.contains("FAIL"))
            let counts = servers.map(Self.served)
            #expect(counts[0] + counts[2] + counts[1] >= calls, "\(counts)")
            // After the kill, the two live servers took every call.
            #expect(killedMidway, "the client finished all \(calls) calls before the kill: \(counts)")
            #expect(counts[1] < calls / 3 && counts[0] > counts[1] && counts[2] > counts[1], "\(counts)")
        }
    }
}
