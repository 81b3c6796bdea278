/// Public: `RegistryError` (FerryRegistry) is what opening the store throws.
public import FerryRegistry
import NIOCore
import SQLiteNIO

/// Serializes async work: one holder at a time, the others wait without blocking a thread.
actor SerialGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

/// The embedded backend: one SQLite file, written in WAL mode with `synchronous=FULL` so that a
/// committed registration survives a crash of the process or the machine.
///
/// sqlite-nio runs every SQLite call on NIO's thread pool, so no event loop or cooperative thread
/// blocks on disk. All statements go through one connection, one transaction at a time.
final class SQLiteBackend: SQLBackend {
    private let connection: SQLiteConnection
    private let gate = SerialGate()

    static func open(path: String) async throws -> SQLiteBackend {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        for pragma in [
            "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON",
        ] {
            _ = try await connection.query(pragma, [])
        }
        return SQLiteBackend(connection: connection)
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    let dialect = SQLDialect.sqlite

    private struct Executor: SQLExecutor {
        let connection: SQLiteConnection

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
            let rows = try await connection.query(
                sql,
                binds.map { value -> SQLiteData in
                    switch value {
                    case .int(let int): .integer(int)
                    case .text(let text): .text(text)
                    case .null: .null
                    }
                }
            )
            return rows.map { row in
                row.columns.map { column -> SQLValue in
                    switch column.data {
                    case .integer(let int): .int(int)
                    case .float(let double): .int(Int(double))
                    case .text(let text): .text(text)
                    case .blob(let buffer): .text(String(buffer: buffer))
                    case .null: .null
                    }
                }
            }
        }
    }

    /// One transaction at a time whatever `keys` it names: SQLite has a single writer anyway.
    func transaction<T: Sendable>(locking keys: [String], _ body: (any SQLExecutor) async throws -> T) async throws -> T
    {
        await gate.acquire()
        do {
            let executor = Executor(connection: connection)
            _ = try await executor.query("BEGIN IMMEDIATE", [])
            let result: T
            do {
                result = try await body(executor)
            } catch {
                _ = try? await executor.query("ROLLBACK", [])
                throw error
            }
            _ = try await executor.query("COMMIT", [])
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    func read(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
        await gate.acquire()
        do {
            let rows = try await Executor(connection: connection).query(sql, binds)
            await gate.release()
            return rows
        } catch {
            await gate.release()
            throw error
        }
    }

    func close() async {
        try? await connection.close()
    }
}

extension SQLSchemaStore {
    /// Opens (creating if needed) a SQLite registry database.
    ///
    /// - Throws: `RegistryError.Code.storeError` when the file cannot be opened.
    public static func sqlite(path: String) async throws(RegistryError) -> SQLSchemaStore {
        let backend: SQLiteBackend
        do {
            backend = try await SQLiteBackend.open(path: path)
        } catch {
            throw RegistryError(.storeError, "cannot open SQLite database \(path): \(String(reflecting: error))")
        }
        return try await SQLSchemaStore(backend: backend)
    }
}
