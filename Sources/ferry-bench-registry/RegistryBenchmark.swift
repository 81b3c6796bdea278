import FerryRegistry
import FerryRegistryServer
import Foundation

// Registry throughput over HTTP on loopback, server and client in this process: schema look-ups by id
// (uncached and caching client), registrations per second on each backend at the start and at the
// end of a 1,000-version subject, and two registry instances registering concurrently into one
// PostgreSQL database. Bounded: a fixed number of requests per measurement.
//
//   swift run -c release ferry-bench-registry [--postgres URL] [--versions N]
//
// The server's own look-up rate on one core is measured by scripts/registry-bench.sh (h2load
// against a ferry-registry process pinned to one CPU).

/// Tags this run's subjects, so a database kept from an earlier run does not already hold them.
let run = UUID().uuidString.prefix(8).lowercased()

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
func withServer<T: Sendable>(
    _ storage: RegistryServerConfiguration.Storage,
    _ body: @Sendable (String) async throws -> T
) async throws -> T {
    let store = try await RegistryServer.makeStore(storage)
    let result = try await RegistryServer.serving(SchemaRegistry(store: store), body)
    if let sql = store as? SQLSchemaStore { await sql.close() }
    return result
}

/// A schema for look-ups and for the concurrent run: one message per index.
func schema(_ index: Int) -> String {
    """
    syntax = \"proto3\";\npackage bench;\nmessage Event\(index) { int64 id = \
    1; string name = 2; repeated double values = 3; }\n
    """
}

/// Version `index` of one evolving subject: the same size at every version, each backward compatible
/// with the one before (a newly reserved field number), so the registry checks compatibility as it
/// would in production and only the store's cost can grow with the history.
func evolving(_ index: Int, package: String = "bench") -> String {
    """
    syntax = \"proto3\";\npackage \(package);\nmessage Order { int64 id = 1; string name \
    = 2; repeated double values = 3; reserved \(100 + index); }\n
    """
}

@main
enum RegistryBenchmark {
    static func main() async throws {
        var postgresURL: String?
        var versionCount = 1_000
        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            switch argument {
            case "--postgres": postgresURL = arguments.popFirst()
            case "--versions": versionCount = arguments.popFirst().flatMap(Int.init) ?? versionCount
            default: break
            }
        }
        let versions = versionCount
        let band = max(1, versions / 10)

        var results: [Measurement] = []
        let sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-bench-\(UUID().uuidString).sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: sqlitePath) }

        results += try await withServer(.sqlite(path: sqlitePath)) { url -> [Measurement] in
            var results: [Measurement] = []
            let admin = HTTPRegistryClient(baseURL: url, caching: false)
            try await admin.setCompatibility(.none, subject: nil)
            var registered: [Int] = []
            for index in 0..<20 {
                registered.append(
                    try await admin.registerSchema(subject: "bench-\(index)", SchemaInput(schema: schema(index)))
                )
            }
            let ids = registered

            let uncached = HTTPRegistryClient(baseURL: url, caching: false)
            let lookups = 2_000
            results.append(
                try await measure("look-up by id, uncached client, 1 connection at a time", operations: lookups) {
                    for index in 0..<lookups { _ = try await uncached.schema(id: ids[index % ids.count]) }
                }
            )
            results.append(
                try await measure("look-up by id, uncached client, 8 concurrent", operations: lookups) {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for worker in 0..<8 {
                            group.addTask {
                                for index in stride(from: worker, to: lookups, by: 8) {
                                    _ = try await uncached.schema(id: ids[index % ids.count])
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
            )
            let cached = HTTPRegistryClient(baseURL: url)
            let cachedLookups = 1_000_000
            results.append(
                try await measure("look-up by id, caching client", operations: cachedLookups) {
                    for index in 0..<cachedLookups { _ = try await cached.schema(id: ids[index % ids.count]) }
                }
            )
            return results
        }

        /// Registers `versions` versions of one subject (BACKWARD, the default level) and times the
        /// first and the last `band` of them.
        @Sendable func registrations(
            _ label: String,
            _ storage: RegistryServerConfiguration.Storage
        ) async throws -> [Measurement] {
            try await withServer(storage) { url in
                let client = HTTPRegistryClient(baseURL: url, caching: false)
                var results: [Measurement] = []
                var next = 1
                for (first, last) in [(1, band), (versions - band + 1, versions)] {
                    while next < first {
                        _ = try await client.registerSchema(
                            subject: "orders-\(run)-value",
                            SchemaInput(schema: evolving(next))
                        )
                        next += 1
                    }
                    let from = next
                    results.append(
                        try await measure(
                            "registrations, versions \(first)–\(last) of one subject, \(label)",
                            operations: last - first + 1
                        ) {
                            for index in from...last {
                                _ = try await client.registerSchema(
                                    subject: "orders-\(run)-value",
                                    SchemaInput(schema: evolving(index))
                                )
                            }
                        }
                    )
                    next = last + 1
                }
                let latest = try await client.version(subject: "orders-\(run)-value", .latest).version
                guard latest == versions else {
                    throw BenchmarkError("expected \(versions) versions, the registry has \(latest)")
                }
                // A fresh subject in the same process and database: tells a cost of the subject's
                // history from one of the process's or the database's age.
                results.append(
                    try await measure(
                        "registrations, versions 1–\(band) of a second subject, \(label)",
                        operations: band
                    ) {
                        for index in 1...band {
                            _ = try await client.registerSchema(
                                subject: "second-\(run)-value",
                                SchemaInput(schema: evolving(index))
                            )
                        }
                    }
                )
                // Many producers deploying at once: eight clients, each evolving its own subject.
                let clients = 8
                results.append(
                    try await measure(
                        "registrations, \(clients) clients at once, one subject each, \(label)",
                        operations: clients * band
                    ) {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for worker in 0..<clients {
                                group.addTask {
                                    let own = HTTPRegistryClient(baseURL: url, caching: false)
                                    for index in 1...band {
                                        _ = try await own.registerSchema(
                                            subject: "team-\(worker)-\(run)-value",
                                            SchemaInput(schema: evolving(index, package: "team\(worker)"))
                                        )
                                    }
                                }
                            }
                            try await group.waitForAll()
                        }
                    }
                )
                return results
            }
        }

        let registrationPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-bench-\(UUID().uuidString).sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: registrationPath) }
        results += try await registrations("memory", .memory)
        results += try await registrations("SQLite", .sqlite(path: registrationPath))
        if let postgresURL {
            results += try await registrations("PostgreSQL", .postgres(url: postgresURL))
            results.append(try await concurrentInstances(postgresURL))
        }

        print("| measurement | operations | seconds | per second |")
        print("| --- | ---: | ---: | ---: |")
        for result in results {
            print(
                """
                | \(result.name) | \(result.operations) | \
                \(String(format: "%.3f", result.seconds)) | \
                \(String(format: "%.0f", result.perSecond)) |
                """
            )
        }
    }

    /// Two registry servers on one PostgreSQL database, eight clients (four on each) registering at
    /// once: each into its own subject, and all of them the same shared schemas. Fails unless every
    /// schema text got exactly one id and no two texts share one.
    static func concurrentInstances(_ url: String) async throws -> Measurement {
        let workers = 8
        let perWorker = 50
        let shared = 10
        return try await withServer(.postgres(url: url)) { first in
            try await withServer(.postgres(url: url)) { second in
                var idsByText: [String: Set<Int>] = [:]
                // Unrelated messages follow each other in a subject here: no compatibility to keep.
                try await HTTPRegistryClient(baseURL: first, caching: false).setCompatibility(.none, subject: nil)
                let measurement = try await measure(
                    "registrations, 2 instances on one PostgreSQL database, \(workers) clients at once",
                    operations: workers * (perWorker + shared)
                ) {
                    let all = try await withThrowingTaskGroup(of: [(String, Int)].self) { group in
                        for worker in 0..<workers {
                            group.addTask {
                                let client = HTTPRegistryClient(
                                    baseURL: worker.isMultiple(of: 2) ? first : second,
                                    caching: false
                                )
                                var seen: [(String, Int)] = []
                                for index in 0..<perWorker {
                                    let text = schema(100_000 + worker * perWorker + index)
                                    seen.append(
                                        (
                                            text,
                                            try await client.registerSchema(
                                                subject: "worker-\(worker)-\(run)-value",
                                                SchemaInput(schema: text)
                                            )
                                        )
                                    )
                                    if index < shared {
                                        let common = schema(900_000 + index)
                                        seen.append(
                                            (
                                                common,
                                                try await client.registerSchema(
                                                    subject: "shared-\(worker)-\(run)-value",
                                                    SchemaInput(schema: common)
                                                )
                                            )
                                        )
                                    }
                                }
                                return seen
                            }
                        }
                        var all: [(String, Int)] = []
                        for try await part in group { all += part }
                        return all
                    }
                    guard all.count == workers * (perWorker + shared) else {
                        throw BenchmarkError("lost registrations")
                    }
                }
                // Read back what each instance reports for every text, through the other instance too.
                let reader = HTTPRegistryClient(baseURL: second, caching: false)
                for worker in 0..<workers {
                    for index in 0..<perWorker {
                        let text = schema(100_000 + worker * perWorker + index)
                        idsByText[text, default: []].insert(
                            try await reader.lookupSchema(
                                subject: "worker-\(worker)-\(run)-value",
                                SchemaInput(schema: text)
                            ).schema.id
                        )
                    }
                    for index in 0..<shared {
                        let text = schema(900_000 + index)
                        idsByText[text, default: []].insert(
                            try await reader.lookupSchema(
                                subject: "shared-\(worker)-\(run)-value",
                                SchemaInput(schema: text)
                            ).schema.id
                        )
                    }
                }
                let split = idsByText.filter { $0.value.count != 1 }
                let allIDs = idsByText.values.flatMap { $0 }
                guard split.isEmpty, Set(allIDs).count == allIDs.count, idsByText.count == workers * perWorker + shared
                else {
                    throw BenchmarkError(
                        """
                        ids are not one per schema: \(split.count) texts with several ids, \
                        \(allIDs.count - Set(allIDs).count) ids shared
                        """
                    )
                }
                var result = measurement
                result.name += " (\(idsByText.count) schemas, no duplicate ids)"
                return result
            }
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
