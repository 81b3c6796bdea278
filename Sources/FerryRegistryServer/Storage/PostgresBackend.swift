/// Public: `RegistryError` (FerryRegistry) is what opening the store throws.
public import FerryRegistry
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The shared backend: PostgreSQL, for several registry processes on one store.
///
/// A transaction takes one transaction-scoped advisory lock per key it names (a subject, a schema's
/// fingerprint), so registrations of different subjects run at once, from any number of processes,
/// while two writes of one subject, or two registrations of one schema, take turns. New ids come from
/// a sequence. PostgreSQL's default `synchronous_commit` makes a committed registration durable.
final class PostgresBackend: SQLBackend {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger = Logger(label: "ferry.registry.postgres")
    /// How many times a transaction the database aborted for a conflict (a unique key taken by a
    /// concurrent import, a serialization failure, a deadlock) is run again before the error stands.
    static let maxAttempts = 8

    init(configuration: PostgresClient.Configuration) {
        let client = PostgresClient(configuration: configuration)
        self.client = client
        self.runner = Task { await client.run() }
    }

    let dialect = SQLDialect.postgres

    private struct Executor: SQLExecutor {
        let connection: PostgresConnection
        let logger: Logger

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
            var text = ""
            var number = 0
            for character in sql {
                if character == "?" {
                    number += 1
                    text += "$\(number)"
                } else {
                    text.append(character)
                }
            }
            var bindings = PostgresBindings(capacity: binds.count)
            for value in binds {
                switch value {
                case .int(let int): bindings.append(int)
                case .text(let string): bindings.append(string)
                case .null: bindings.appendNull()
                }
            }
            let rows = try await connection.query(PostgresQuery(unsafeSQL: text, binds: bindings), logger: logger)
            var result: [[SQLValue]] = []
            for try await row in rows {
                var values: [SQLValue] = []
                for cell in row {
                    if cell.bytes == nil {
                        values.append(.null)
                    } else {
                        switch cell.dataType {
                        case .int2, .int4, .int8: values.append(.int(try cell.decode(Int.self)))
                        case .bool: values.append(.int(try cell.decode(Bool.self) ? 1 : 0))
                        default: values.append((try? cell.decode(String.self)).map(SQLValue.text) ?? .null)
                        }
                    }
                }
                result.append(values)
            }
            return result
        }
    }

    func transaction<T: Sendable>(locking keys: [String], _ body: (any SQLExecutor) async throws -> T) async throws -> T
    {
        var attempt = 1
        while true {
            do {
                return try await client.withConnection { connection in
                    let executor = Executor(connection: connection, logger: logger)
                    _ = try await executor.query("BEGIN", [])
                    do {
                        if !keys.isEmpty {
                            // One statement for all the locks, taken left to right. hashtextextended maps a
                            // key to the lock's 64-bit number; keys that collide only make unrelated
                            // writes take turns.
                            let locks = keys.map { _ in "pg_advisory_xact_lock(hashtextextended(?, 0))" }.joined(
                                separator: ", "
                            )
                            _ = try await executor.query("SELECT " + locks, keys.map(SQLValue.text))
                        }
                        let result = try await body(executor)
                        _ = try await executor.query("COMMIT", [])
                        return result
                    } catch {
                        _ = try? await executor.query("ROLLBACK", [])
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < Self.maxAttempts && Self.isConflict(error) {
                attempt += 1
                logger.debug(
                    "transaction aborted by a concurrent one; running it again",
                    metadata: ["attempt": "\(attempt)"]
                )
            }
        }
    }

    /// unique_violation (an id an import took meanwhile), serialization_failure, deadlock_detected.
    private static func isConflict(_ error: PSQLError) -> Bool {
        ["23505", "40001", "40P01"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    func read(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
        try await client.withConnection { connection in
            try await Executor(connection: connection, logger: logger).query(sql, binds)
        }
    }

    func close() async {
        runner.cancel()
    }
}

extension SQLSchemaStore {
    /// Connects to a PostgreSQL registry database given as `postgres://user:password@host:port/database`.
    ///
    /// The tables are created if they do not exist. TLS is not used (connect over loopback or a trusted network).
    /// - Throws: `RegistryError.Code.storeError` for a malformed URL or an unreachable server.
    public static func postgres(url: String) async throws(RegistryError) -> SQLSchemaStore {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host
        else {
            throw RegistryError(
                .storeError,
                "not a PostgreSQL URL (postgres://user:password@host:port/database): \(url)"
            )
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let parameters = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let tls = try tls(mode: parameters["sslmode"], rootCertificate: parameters["sslrootcert"])
        let port = components.port ?? 5432
        let username = components.user ?? "postgres"
        let databaseName = database.isEmpty ? nil : database
        // One connection first: the pool retries failed connections until a request times out, so a
        // wrong password, a refused role or a certificate that does not verify would otherwise take a
        // minute to surface; this way the error comes at once, with PostgreSQL's or TLS's reason.
        do {
            let probeTLS: PostgresConnection.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer(let configuration): .prefer(try NIOSSLContext(configuration: configuration))
                case .require(let configuration): .require(try NIOSSLContext(configuration: configuration))
                }
            var probe = PostgresConnection.Configuration(
                host: host,
                port: port,
                username: username,
                password: components.password,
                database: databaseName,
                tls: probeTLS
            )
            probe.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(
                configuration: probe,
                id: 0,
                logger: Logger(label: "ferry.registry.postgres")
            )
            try await connection.close()
        } catch {
            throw RegistryError(
                .storeError,
                "cannot connect to PostgreSQL at \(host):\(port) as \(username): \(String(reflecting: error))"
            )
        }
        let clientTLS: PostgresClient.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer(let configuration): .prefer(configuration)
            case .require(let configuration): .require(configuration)
            }
        let configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: components.password,
            database: databaseName,
            tls: clientTLS
        )
        return try await SQLSchemaStore(backend: PostgresBackend(configuration: configuration))
    }

    /// What `sslmode` asks of a connection.
    enum PostgresTLS {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    /// TLS to PostgreSQL as libpq's `sslmode` says: `disable` (the default here), `prefer` and
    /// `require` (encrypted, not verified), `verify-ca` (the server's certificate chains to
    /// `sslrootcert`, or the system's CAs), `verify-full` (and names the host).
    static func tls(mode: String?, rootCertificate: String?) throws(RegistryError) -> PostgresTLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate { configuration.trustRoots = .file(rootCertificate) }
        switch mode ?? "disable" {
        case "disable":
            return .disable
        case "prefer", "require", "allow":
            configuration.certificateVerification = .none
            return mode == "require" ? .require(configuration) : .prefer(configuration)
        case "verify-ca":
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case "verify-full":
            configuration.certificateVerification = .fullVerification
            return .require(configuration)
        case let other:
            throw RegistryError(
                .storeError,
                "unknown sslmode '\(other)' (disable, prefer, require, verify-ca or verify-full)"
            )
        }
    }
}
