/// A value passed to or read from SQL: the registry's tables hold integers and text only.
enum SQLValue: Sendable, Hashable {
    case int(Int)
    case text(String)
    case null

    var int: Int? {
        switch self {
        case .int(let value): value
        case .text(let text): Int(text)
        case .null: nil
        }
    }

    var text: String? {
        switch self {
        case .text(let value): value
        case .int(let value): String(value)
        case .null: nil
        }
    }
}

/// Runs SQL on one connection that is inside a transaction.
protocol SQLExecutor {
    /// Runs one statement; `?` marks each bind in order. Returns the rows' columns in select order.
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]]
}

/// What ``SQLSchemaStore`` needs from a database: serializable transactions and the dialect's DDL.
///
/// A transaction must exclude every other registry transaction on the same store, across processes
/// (SQLite: `BEGIN IMMEDIATE` on one connection; PostgreSQL: a transaction-scoped advisory lock), and
/// must be durable once it returns.
protocol SQLBackend: Sendable {
    /// The dialect's 64-bit integer column type, for ``SQLMigrations``.
    var integerType: String { get }
    /// Runs `body` in one exclusive transaction, committing when it returns and rolling back when it throws.
    func transaction<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs one read-only statement outside any transaction (it sees committed data only).
    func read(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]]
    /// Releases connections.
    func close() async
}
