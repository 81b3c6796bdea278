import FerryRegistry
import Foundation

/// The registry's tables, as an ordered list of migrations written once for both backends.
///
/// `{int}` stands for the backend's 64-bit integer type (``SQLDialect/integerType``); a statement
/// marked for one dialect runs on that backend only (the migration still counts on the other). The number of
/// migrations a database has had is kept in `ferry_meta` (`schema_version`); opening a store applies
/// the missing ones in its first transaction, so an older database file or PostgreSQL schema is
/// upgraded on start, and a database written by a newer Ferry is refused instead of misread.
/// Migrations are only ever appended; a database made before versioning existed (no `ferry_meta`)
/// is version 0, and migration 1 (all `IF NOT EXISTS`) finds its tables already there.
enum SQLMigrations {
    /// One DDL statement, for both dialects unless ``only`` names one.
    struct Statement: ExpressibleByStringLiteral {
        var sql: String
        var only: SQLDialect?

        init(stringLiteral sql: String) {
            self.sql = sql
        }

        init(_ dialect: SQLDialect, _ sql: String) {
            self.sql = sql
            self.only = dialect
        }
    }

    static let all: [[Statement]] = [
        // 1: subjects, versions, schemas, references, configuration.
        [
            """
            CREATE TABLE IF NOT EXISTS ferry_schemas (
                id {int} PRIMARY KEY, schema_type TEXT NOT NULL, body TEXT NOT NULL, refs TEXT NOT NULL,
                fingerprint TEXT NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS ferry_schemas_fingerprint ON ferry_schemas (fingerprint)",
            """
            CREATE TABLE IF NOT EXISTS ferry_versions (
                subject TEXT NOT NULL, version {int} NOT NULL, schema_id {int} NOT NULL REFERENCES ferry_schemas (id),
                deleted {int} NOT NULL DEFAULT 0, PRIMARY KEY (subject, version))
            """,
            "CREATE INDEX IF NOT EXISTS ferry_versions_schema ON ferry_versions (schema_id)",
            """
            CREATE TABLE IF NOT EXISTS ferry_references (
                schema_id {int} NOT NULL REFERENCES ferry_schemas (id), name TEXT NOT NULL, subject TEXT NOT NULL,
                version {int} NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS ferry_references_target ON ferry_references (subject, version)",
            "CREATE TABLE IF NOT EXISTS ferry_config (subject TEXT PRIMARY KEY, compatibility TEXT, mode TEXT)",
        ],
        // 2: a subject's live versions by number, read on every registration and `latest` look-up.
        ["CREATE INDEX IF NOT EXISTS ferry_versions_live ON ferry_versions (subject, deleted, version)"],
        // 3: PostgreSQL draws new ids from a sequence, so registrations of different subjects need not
        // take turns; it starts after the ids already given. SQLite keeps `MAX + 1` (one writer).
        [
            .init(.postgres, "CREATE SEQUENCE IF NOT EXISTS ferry_schema_ids"),
            .init(
                .postgres,
                "SELECT setval('ferry_schema_ids', COALESCE((SELECT MAX(id) FROM ferry_schemas), 0) + 1, false)"
            ),
            // A new schema's foreign-key check looks for references to its id; without this index it
            // read every reference.
            "CREATE INDEX IF NOT EXISTS ferry_references_schema ON ferry_references (schema_id)",
        ],
        // 4: data contracts: a schema's metadata and rule set, canonical JSON (NULL when it has none).
        ["ALTER TABLE ferry_schemas ADD COLUMN metadata TEXT", "ALTER TABLE ferry_schemas ADD COLUMN rule_set TEXT"],
        // 5: contexts. A schema belongs to one context and has its public id there (`context_id`);
        // `id` becomes the row's key, which versions and references point at (PostgreSQL draws
        // new keys from their own sequence, and `ferry_schema_ids` now counts the default
        // context's ids). The schemas already stored are the default context's, under the ids they had.
        [
            "ALTER TABLE ferry_schemas ADD COLUMN context TEXT NOT NULL DEFAULT '.'",
            "ALTER TABLE ferry_schemas ADD COLUMN context_id {int}",
            "UPDATE ferry_schemas SET context_id = id",
            "CREATE UNIQUE INDEX IF NOT EXISTS ferry_schemas_context_id ON ferry_schemas (context, context_id)",
            .init(.postgres, "CREATE SEQUENCE IF NOT EXISTS ferry_schema_rows"),
            .init(
                .postgres,
                "SELECT setval('ferry_schema_rows', COALESCE((SELECT MAX(id) FROM ferry_schemas), 0) + 1, false)"
            ),
        ],
    ]

    /// The version a database has after every migration.
    static var latest: Int { all.count }

    /// Brings a database to ``latest`` inside the caller's transaction.
    ///
    /// - Returns: the version the database had before.
    /// - Throws: ``RegistryError/Code/storeError`` when the database is newer than this Ferry.
    @discardableResult
    static func migrate(_ executor: any SQLExecutor, dialect: SQLDialect) async throws -> Int {
        _ = try await executor.query(
            "CREATE TABLE IF NOT EXISTS ferry_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            []
        )
        let stored =
            try await executor.query("SELECT value FROM ferry_meta WHERE name = 'schema_version'", []).first?[0].int
            ?? 0
        guard stored <= latest else {
            throw RegistryError(
                .storeError,
                """
                the database's schema is version \(stored), newer than this \
                ferry-registry knows (\(latest)); run a newer ferry-registry
                """
            )
        }
        guard stored < latest else { return stored }
        for migration in all[stored...] {
            for statement in migration where statement.only == nil || statement.only == dialect {
                _ = try await executor.query(
                    statement.sql.replacingOccurrences(of: "{int}", with: dialect.integerType),
                    []
                )
            }
        }
        _ = try await executor.query(
            """
            INSERT INTO ferry_meta (name, value) VALUES ('schema_version', ?) ON \
            CONFLICT (name) DO UPDATE SET value = excluded.value
            """,
            [.text(String(latest))]
        )
        return stored
    }
}
