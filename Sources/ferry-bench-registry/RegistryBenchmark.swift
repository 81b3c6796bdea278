import FerryRegistry
import FerryRegistryServer
import Foundation

// Registry throughput over HTTP on loopback: schema look-ups by id (uncached and cached client) and
// registrations per second on each backend. Bounded: a fixed number of requests per measurement.
//
//   swift run -c release ferry-bench-registry [--postgres URL]

struct Measurement: Sendable {
    var name: String
    var operations: Int
    var seconds: Double
    var perSecond: Double { Double(operations) / seconds }
}

func measure(_ name: String, operations: Int, _ body: @Sendable () async throws -> Void) async rethrows -> Measurement {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Measurement(name: name, operations: operations, seconds: seconds)
}

/// Runs a registry server in this process for the duration of `body`.
func withServer<T: Sendable>(_ storage: RegistryServerConfiguration.Storage, _ body: @Sendable (String) async throws -> T) async throws -> T {
    let store = try await RegistryServer.makeStore(storage)
    let result = try await RegistryServer.serving(SchemaRegistry(store: store), body)
    if let sql = store as? SQLSchemaStore { await sql.close() }
    return result
}

func schema(_ index: Int) -> String {
    "syntax = \"proto3\";\npackage bench;\nmessage Event\(index) { int64 id = 1; string name = 2; repeated double values = 3; }\n"
}

@main
enum RegistryBenchmark {
    static func main() async throws {
        var postgresURL: String?
        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            if argument == "--postgres" { postgresURL = arguments.popFirst() }
        }

        var results: [Measurement] = []
        let sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-bench-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: sqlitePath) }

        results += try await withServer(.sqlite(path: sqlitePath)) { url -> [Measurement] in
            var results: [Measurement] = []
            let admin = HTTPRegistryClient(baseURL: url, caching: false)
            try await admin.setCompatibility(.none, subject: nil)
            var registered: [Int] = []
            for index in 0..<20 { registered.append(try await admin.registerSchema(subject: "bench-\(index)", SchemaInput(schema: schema(index)))) }
            let ids = registered

            let uncached = HTTPRegistryClient(baseURL: url, caching: false)
            let lookups = 2_000
            results.append(try await measure("look-up by id, uncached client, 1 connection at a time", operations: lookups) {
                for index in 0..<lookups { _ = try await uncached.schema(id: ids[index % ids.count]) }
            })
            results.append(try await measure("look-up by id, uncached client, 8 concurrent", operations: lookups) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<8 {
                        group.addTask {
                            for index in stride(from: worker, to: lookups, by: 8) { _ = try await uncached.schema(id: ids[index % ids.count]) }
                        }
                    }
                    try await group.waitForAll()
                }
            })
            let cached = HTTPRegistryClient(baseURL: url)
            let cachedLookups = 1_000_000
            results.append(try await measure("look-up by id, caching client", operations: cachedLookups) {
                for index in 0..<cachedLookups { _ = try await cached.schema(id: ids[index % ids.count]) }
            })
            return results
        }

        @Sendable func registrations(_ label: String, _ storage: RegistryServerConfiguration.Storage) async throws -> Measurement {
            try await withServer(storage) { url in
                let client = HTTPRegistryClient(baseURL: url, caching: false)
                try await client.setCompatibility(.none, subject: nil)
                let count = 300
                return try await measure("registrations (new schema, new version), \(label)", operations: count) {
                    for index in 0..<count { _ = try await client.registerSchema(subject: "events-value", SchemaInput(schema: schema(1000 + index))) }
                }
            }
        }

        let registrationPath = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-bench-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: registrationPath) }
        results.append(try await registrations("memory", .memory))
        results.append(try await registrations("SQLite", .sqlite(path: registrationPath)))
        if let postgresURL { results.append(try await registrations("PostgreSQL", .postgres(url: postgresURL))) }

        print("| measurement | operations | seconds | per second |")
        print("| --- | ---: | ---: | ---: |")
        for result in results {
            print("| \(result.name) | \(result.operations) | \(String(format: "%.3f", result.seconds)) | \(String(format: "%.0f", result.perSecond)) |")
        }

    }
}
