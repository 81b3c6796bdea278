import FerryRegistry
import FerryRegistryServer
import Foundation
import ProcessTestSupport
import Synchronization

/// Shared test fixtures: a throwaway PostgreSQL cluster, temporary SQLite files, the server binary.
enum TestEnvironment {
    static let repositoryRoot = TestPaths.repositoryRoot

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A PostgreSQL URL: FERRY_POSTGRES_URL when set (CI starts a cluster), otherwise a cluster this
    /// process starts once with scripts/postgres-test-cluster.sh and stops at exit.
    static func postgresURL() async throws -> String {
        if let url = ProcessInfo.processInfo.environment["FERRY_POSTGRES_URL"], !url.isEmpty { return url }
        return try await PostgresCluster.shared.url()
    }

    /// The certificate the test cluster's TLS presents (and so the CA to trust): FERRY_POSTGRES_CA
    /// with FERRY_POSTGRES_URL, otherwise this process's own cluster's.
    static func postgresCA() async throws -> String {
        if ProcessInfo.processInfo.environment["FERRY_POSTGRES_URL"]?.isEmpty == false {
            guard let ca = ProcessInfo.processInfo.environment["FERRY_POSTGRES_CA"] else {
                throw Failure(
                    description:
                        """
                        FERRY_POSTGRES_URL is set without FERRY_POSTGRES_CA (start the \
                        cluster with scripts/postgres-test-cluster.sh)
                        """
                )
            }
            return ca
        }
        _ = try await PostgresCluster.shared.url()
        return await PostgresCluster.shared.certificate()
    }

    /// A fresh database in the test cluster, so tests do not see each other's subjects.
    static func freshPostgresURL() async throws -> String {
        let base = try await postgresURL()
        guard var components = URLComponents(string: base) else { throw Failure(description: "bad URL \(base)") }
        let name = "ferry_test_\(UUID().uuidString.prefix(8).lowercased())"
        var admin = components
        admin.path = "/postgres"
        try await run("/usr/bin/psql", [admin.string ?? base, "-q", "-c", "CREATE DATABASE \(name)"])
        components.path = "/" + name
        return components.string ?? base
    }

    /// A path for a new SQLite file.
    static func temporarySQLitePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ferry-registry-\(UUID().uuidString).sqlite").path
    }

    /// The `ferry-registry` executable built next to the test bundle.
    static var serverExecutable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "ferry-registry"
        )
    }

    /// Runs a program to completion without holding a thread and returns its standard output;
    /// throws, with its error output, unless it exits 0. Output goes through files, not pipes: a
    /// daemon the program starts (pg_ctl's postgres) may keep inherited descriptors open long after
    /// the program exits.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        String(decoding: try await Program.check(executable, arguments), as: UTF8.self)
    }
}

/// The throwaway PostgreSQL cluster of this test process.
actor PostgresCluster {
    static let shared = PostgresCluster()
    private var started: (url: String, directory: String, certificate: String)?

    func certificate() -> String { started?.certificate ?? "" }

    func url() async throws -> String {
        if let started { return started.url }
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/postgres-test-cluster.sh").path
        // The script stops the cluster itself once this process is gone (atexit does not run on every exit path).
        let output = try await TestEnvironment.run("/bin/bash", [script, "start", "--owner", String(getpid())])
        var url = ""
        var directory = ""
        var certificate = ""
        for line in output.split(separator: "\n") {
            if line.hasPrefix("export FERRY_POSTGRES_URL=") {
                url = String(line.dropFirst("export FERRY_POSTGRES_URL=".count))
            }
            if line.hasPrefix("export FERRY_POSTGRES_DIR=") {
                directory = String(line.dropFirst("export FERRY_POSTGRES_DIR=".count))
            }
            if line.hasPrefix("export FERRY_POSTGRES_CA=") {
                certificate = String(line.dropFirst("export FERRY_POSTGRES_CA=".count))
            }
        }
        guard !url.isEmpty else {
            throw TestEnvironment.Failure(description: "postgres-test-cluster.sh printed no URL: \(output)")
        }
        started = (url, directory, certificate)
        return url
    }
}

/// The registry server process the tests start (shared with FerryKafkaTests).
typealias ServerProcess = RegistryServerProcess
