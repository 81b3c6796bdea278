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

/// Where the two SQL dialects the registry speaks differ: everything else is written once.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// The 64-bit integer column type, for ``SQLMigrations``.
    var integerType: String {
        switch self {
        case .sqlite: "INTEGER"
        case .postgres: "BIGINT"
        }
    }

    /// The SQL expression for a new schema row's key (what versions and references point at).
    /// SQLite has one writer at a time, so `MAX + 1` is safe there; PostgreSQL registrations of
    /// different subjects run concurrently and draw keys from a sequence (migration 5).
    var newSchemaRowKey: String {
        switch self {
        case .sqlite: "(SELECT COALESCE(MAX(id), 0) + 1 FROM ferry_schemas)"
        case .postgres: "nextval('ferry_schema_rows')"
        }
    }

    /// The SQL expression for the id a new schema gets in the default context: PostgreSQL draws it
    /// from a sequence (migration 3), so that registrations of different subjects need not take turns.
    var newDefaultContextID: String {
        switch self {
        case .sqlite: "(SELECT COALESCE(MAX(context_id), 0) + 1 FROM ferry_schemas WHERE context = '.')"
        case .postgres: "nextval('ferry_schema_ids')"
        }
    }

    /// The SQL expression for the id a new schema gets in another context (bind: the context):
    /// `MAX + 1` on both backends. Two PostgreSQL registrations that pick the same id meet at the
    /// unique index on `(context, context_id)`, and the loser's transaction runs again.
    static let newContextID = "(SELECT COALESCE(MAX(context_id), 0) + 1 FROM ferry_schemas WHERE context = ?)"

    /// A statement that refreshes the planner's statistics of the registry's tables, or nil when the
    /// planner needs none (SQLite's picks the indexes without them; its plans are tested). Without
    /// statistics PostgreSQL guesses that a subject has one version and walks all of them on every
    /// registration, until autovacuum's next ANALYZE, which can be a minute away.
    var refreshStatistics: String? {
        switch self {
        case .sqlite: nil
        case .postgres: "ANALYZE ferry_schemas, ferry_versions, ferry_references"
        }
    }

    /// A statement that moves the default context's id allocation past an id given by an import
    /// (bind: the id), or nil when allocation needs no help (SQLite's `MAX + 1` sees it).
    var afterImportedID: String? {
        switch self {
        case .sqlite: nil
        case .postgres: "SELECT setval('ferry_schema_ids', GREATEST(last_value, ?)) FROM ferry_schema_ids"
        }
    }
}

/// What ``SQLSchemaStore`` needs from a database: transactions that exclude each other by key, and
/// the dialect.
///
/// Two transactions that name a common key never overlap, across processes (PostgreSQL: one
/// transaction-scoped advisory lock per key, taken in the order given; SQLite: `BEGIN IMMEDIATE` on
/// one connection excludes every other transaction whatever its keys). A transaction is durable once
/// it returns.
protocol SQLBackend: Sendable {
    /// The backend's SQL dialect.
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction that excludes every other transaction naming one of `keys`,
    /// committing when it returns and rolling back when it throws. A backend may run `body` again
    /// (a bounded number of times) when the database aborts it for a conflict with a concurrent
    /// transaction, so `body` must do nothing but SQL.
    func transaction<T: Sendable>(locking keys: [String], _ body: (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs one read-only statement outside any transaction (it sees committed data only).
    func read(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]]
    /// Releases connections.
    func close() async
}

extension SQLBackend {
    /// Runs `body` in a transaction that excludes other schema migrations (two instances starting at once).
    func transaction<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws -> T {
        try await transaction(locking: [SQLLockKey.migrations], body)
    }
}

/// The keys registry transactions lock.
enum SQLLockKey {
    /// Serializes schema migrations.
    static let migrations = "ferry:migrations"
    /// Serializes the writes of one subject: versions are allocated `MAX + 1` within it.
    static func subject(_ name: String) -> String { "subject:" + name }
    /// Serializes registrations of one schema (by fingerprint), so the same schema registered under two
    /// subjects at once gets one id.
    static func schema(fingerprint: String) -> String { "schema:" + fingerprint }
}
