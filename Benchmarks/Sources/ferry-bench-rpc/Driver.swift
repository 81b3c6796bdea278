/// Runs every scenario for every server and client implementation, `runs` times, and prints one
/// `RESULT` line per measurement and a summary of medians.
struct Driver {
    static let allScenarios = ["unary-1x100", "unary-4x25", "unary-1x1", "stream", "idle"]
    let options: Options

    struct Key: Hashable, Comparable {
        var scenario: String
        var server: Implementation
        var client: Implementation

        static func < (a: Key, b: Key) -> Bool {
            (Driver.allScenarios.firstIndex(of: a.scenario) ?? 0, a.server.rawValue, a.client.rawValue)
                < (Driver.allScenarios.firstIndex(of: b.scenario) ?? 0, b.server.rawValue, b.client.rawValue)
        }
    }

    func run() async throws {
        var results: [Key: [Measurement]] = [:]
        let loadScenarios = options.scenarios.filter { $0 != "idle" }
        for run in 1...max(1, options.runs) {
            // Alternate which server goes first, so neither always meets the machine in the same state.
            let servers = run % 2 == 1 ? options.servers : options.servers.reversed()
            for serverImplementation in servers where !loadScenarios.isEmpty {
                let server = try makeServer(serverImplementation)
                for clientImplementation in options.clients {
                    for scenario in loadScenarios {
                        let measurement = try await measure(scenario, server: server, client: clientImplementation)
                        let key = Key(scenario: scenario, server: serverImplementation, client: clientImplementation)
                        results[key, default: []].append(measurement)
                        print(Report.resultLine(run: run, key: key, measurement))
                    }
                }
                server.stop()
            }
            if options.scenarios.contains("idle") {
                for serverImplementation in servers {
                    let server = try makeServer(serverImplementation)
                    let measurement = try await Scenarios.idleConnections(
                        client: options.idleClient,
                        server: server,
                        count: options.idleConnections
                    )
                    server.stop()
                    let key = Key(scenario: "idle", server: serverImplementation, client: options.idleClient)
                    results[key, default: []].append(measurement)
                    print(Report.resultLine(run: run, key: key, measurement))
                }
            }
        }
        print(Report.summary(results, options: options))
    }

    private func makeServer(_ implementation: Implementation) throws -> ServerProcess {
        if let external = options.external {
            return ServerProcess(implementation, externalPort: external.port, pid: external.pid)
        }
        return try ServerProcess(implementation)
    }

    private func measure(_ scenario: String, server: ServerProcess, client: Implementation) async throws -> Measurement
    {
        switch scenario {
        case "unary-1x100":
            try await Scenarios.unary(
                client: client,
                server: server,
                connections: 1,
                concurrency: 100,
                seconds: options.seconds,
                warmup: options.warmup
            )
        case "unary-4x25":
            try await Scenarios.unary(
                client: client,
                server: server,
                connections: 4,
                concurrency: 100,
                seconds: options.seconds,
                warmup: options.warmup
            )
        case "unary-1x1":
            try await Scenarios.unary(
                client: client,
                server: server,
                connections: 1,
                concurrency: 1,
                seconds: options.seconds,
                warmup: options.warmup
            )
        default:
            try await Scenarios.streaming(
                client: client,
                server: server,
                messagesPerCall: options.streamMessages,
                seconds: options.seconds,
                warmup: options.warmup
            )
        }
    }
}
