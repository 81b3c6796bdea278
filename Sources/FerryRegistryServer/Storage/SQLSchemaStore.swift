/// Public: the store conforms to FerryRegistry's `SchemaStore`.
public import FerryRegistry
import Foundation
import Synchronization

/// A `SchemaStore` on SQL: the tables and queries shared by the SQLite and PostgreSQL backends.
///
/// Every write is one transaction of the backend that locks what it allocates in: the subject (a
/// version is `max + 1` over the subject's versions) and, for a registration, the schema's
/// fingerprint (the same schema registered under two subjects at once gets one id). Ids come from the
/// dialect (`SQLDialect.newDefaultContextID`, `newContextID`), each context counting its own. So several registry processes can share a PostgreSQL
/// database and register into different subjects at the same time. A registration reads only the
/// subject's newest version and the versions holding the same schema, through indexes, so its cost
/// does not grow with the subject's history. Reads are single statements that see committed data.
public final class SQLSchemaStore: SchemaStore {
    /// Internal for tests, which reach the database directly.
    let backend: any SQLBackend
    /// Registrations written by this store since it last refreshed the planner's statistics.
    private let writesSinceStatistics = Atomic<Int>(0)
    /// How many registrations this store writes between two refreshes of the planner's statistics
    /// (``SQLDialect/refreshStatistics``): a fast-growing database keeps indexed plans although
    /// autovacuum has not looked at it yet.
    static let statisticsInterval = 256

    init(backend: any SQLBackend) async throws(RegistryError) {
        self.backend = backend
        do {
            _ = try await run(locking: [SQLLockKey.migrations]) { executor in
                try await SQLMigrations.migrate(executor, dialect: backend.dialect)
            }
            await refreshStatistics()
        } catch {
            // A store that cannot open must not leave its connections open (nor rely on deinit).
            await backend.close()
            throw error
        }
    }

    /// Closes the database connections.
    public func close() async {
        await backend.close()
    }

    private func run<T: Sendable>(
        locking keys: [String],
        _ body: (any SQLExecutor) async throws -> T
    ) async throws(RegistryError) -> T {
        do {
            return try await backend.transaction(locking: keys, body)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError(.storeError, "Error in the backend data store: \(String(reflecting: error))")
        }
    }

    /// Refreshes the planner's statistics where the dialect has any; a failure only costs speed.
    private func refreshStatistics() async {
        guard let statement = backend.dialect.refreshStatistics else { return }
        _ = try? await backend.transaction(locking: []) { executor in try await executor.query(statement, []) }
    }

    private func read(_ sql: String, _ binds: [SQLValue]) async throws(RegistryError) -> [[SQLValue]] {
        do {
            return try await backend.read(sql, binds)
        } catch {
            throw RegistryError(.storeError, "Error in the backend data store: \(String(reflecting: error))")
        }
    }

    // MARK: Encoding

    private static func referencesJSON(_ references: [SchemaReference]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(references)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    private static func references(_ json: String?) -> [SchemaReference] {
        guard let json else { return [] }
        return (try? JSONDecoder().decode([SchemaReference].self, from: Data(json.utf8))) ?? []
    }

    /// FNV-1a over the schema's type, references and text: an index key, compared in full afterwards.
    private static func fingerprint(_ type: SchemaType, _ references: String, _ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in type.rawValue.utf8 + [0] + references.utf8 + [0] + text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// A stored schema's columns, in the order ``storedSchema(_:from:)`` reads them; the last is the
    /// row's key (``rowKeyColumn``), which versions and references point at.
    private static let schemaColumns =
        "s.context_id, s.body, s.refs, s.schema_type, s.metadata, s.rule_set, s.context, s.id"
    /// Where the row key is among ``schemaColumns``.
    private static let rowKeyColumn = 7

    private static let versionColumns = """
        SELECT v.subject, v.version, v.deleted, \(schemaColumns)
        FROM ferry_versions v JOIN ferry_schemas s ON s.id = v.schema_id
        """

    /// The stored schema in `row` from column `first` on (``schemaColumns``).
    private static func storedSchema(_ row: [SQLValue], from first: Int) -> StoredSchema {
        StoredSchema(
            id: row[first].int ?? 0,
            text: row[first + 1].text ?? "",
            references: references(row[first + 2].text),
            schemaType: SchemaType(rawValue: row[first + 3].text ?? "") ?? .protobuf,
            metadata: DataContractJSON.decode(SchemaMetadata.self, from: row[first + 4].text),
            ruleSet: DataContractJSON.decode(SchemaRuleSet.self, from: row[first + 5].text),
            context: row[first + 6].text ?? QualifiedSubject.defaultContext
        )
    }

    private static func subjectVersion(_ row: [SQLValue]) -> SubjectVersion {
        SubjectVersion(
            subject: row[0].text ?? "",
            version: row[1].int ?? 0,
            schema: storedSchema(row, from: 3),
            isDeleted: (row[2].int ?? 0) != 0
        )
    }

    // MARK: SchemaStore

    /// The schema with this id in `context`, if any.
    public func schema(id: Int, context: String) async throws(RegistryError) -> StoredSchema? {
        try await read(
            "SELECT \(Self.schemaColumns) FROM ferry_schemas s WHERE s.context = ? AND s.context_id = ?",
            [.text(context), .int(id)]
        ).first.map { Self.storedSchema($0, from: 0) }
    }

    /// The contexts that hold a schema, sorted; the default context is always among them.
    public func contexts() async throws(RegistryError) -> [String] {
        let stored = try await read("SELECT DISTINCT context FROM ferry_schemas", []).compactMap { $0[0].text }
        return Set(stored).union([QualifiedSubject.defaultContext]).sorted()
    }

    /// Every subject with at least one version (with soft-deleted ones when `includeDeleted`), sorted.
    public func subjects(includeDeleted: Bool) async throws(RegistryError) -> [String] {
        let sql =
            includeDeleted
            ? "SELECT DISTINCT subject FROM ferry_versions ORDER BY subject"
            : "SELECT DISTINCT subject FROM ferry_versions WHERE deleted = 0 ORDER BY subject"
        return try await read(sql, []).compactMap { $0[0].text }
    }

    /// A subject's versions in ascending order.
    public func versions(of subject: String, includeDeleted: Bool) async throws(RegistryError) -> [SubjectVersion] {
        let filter = includeDeleted ? "" : " AND v.deleted = 0"
        return try await read(
            Self.versionColumns + " WHERE v.subject = ?\(filter) ORDER BY v.version",
            [.text(subject)]
        )
        .map(Self.subjectVersion)
    }

    /// The subject versions that hold the schema with this id in `context`.
    public func subjectVersions(
        schemaID: Int,
        context: String,
        includeDeleted: Bool
    ) async throws(RegistryError) -> [SubjectVersion] {
        let filter = includeDeleted ? "" : " AND v.deleted = 0"
        return try await read(
            Self.versionColumns
                + " WHERE s.context = ? AND s.context_id = ?\(filter) ORDER BY v.subject, v.version",
            [.text(context), .int(schemaID)]
        )
        .map(Self.subjectVersion)
    }

    /// The subject's newest live version, if any (one index look-up).
    public func latestVersion(of subject: String) async throws(RegistryError) -> SubjectVersion? {
        try await read(Self.latestQuery, [.text(subject)]).first.map(Self.subjectVersion)
    }

    /// The subject's versions that hold this schema text with these references (whatever their data
    /// contract), newest first, found through the schema's fingerprint.
    public func versions(
        of subject: String,
        holding text: String,
        references: [SchemaReference],
        includeDeleted: Bool
    ) async throws(RegistryError)
        -> [SubjectVersion]
    {
        let fingerprint = Self.fingerprint(.protobuf, Self.referencesJSON(references), text)
        return try await read(Self.holdingQuery(includeDeleted: includeDeleted), [.text(subject), .text(fingerprint)])
            .map(Self.subjectVersion).filter { $0.schema.holds(text: text, references: references) }
    }

    private static let latestQuery =
        versionColumns + " WHERE v.subject = ? AND v.deleted = 0 ORDER BY v.version DESC LIMIT 1"

    private static func holdingQuery(includeDeleted: Bool) -> String {
        versionColumns + " WHERE v.subject = ? AND s.fingerprint = ?"
            + (includeDeleted ? "" : " AND v.deleted = 0") + " ORDER BY v.version DESC"
    }

    /// What a registration reads first, in one statement: the subject's live versions whose schema
    /// has the fingerprint, its newest live version, and every stored schema with the fingerprint
    /// (rows whose subject is NULL; schemas differing only in their data contract share one). Three index searches
    /// joined by UNION ALL: one OR across both tables would make the planner walk every version of the subject.
    private static let stateQuery = """
        \(versionColumns) WHERE v.subject = ? AND v.deleted = 0 AND s.fingerprint = ?
        UNION ALL
        \(versionColumns) WHERE v.subject = ? AND v.deleted = 0
        AND v.version = (
            SELECT version FROM ferry_versions WHERE subject = ? AND deleted = 0 ORDER BY version DESC LIMIT 1)
        UNION ALL
        SELECT NULL, NULL, NULL, \(schemaColumns) FROM ferry_schemas s WHERE s.fingerprint = ? AND s.context = ?
        """

    private static func stateBinds(_ subject: String, _ fingerprint: String) -> [SQLValue] {
        [
            .text(subject), .text(fingerprint), .text(subject), .text(subject), .text(fingerprint),
            .text(QualifiedSubject.context(of: subject)),
        ]
    }

    /// The rows of ``stateQuery``: the registration state, and the stored schemas with the fingerprint.
    private static func registrationState(
        _ rows: [[SQLValue]],
        text: String,
        references: [SchemaReference]
    ) -> (state: RegistrationState, stored: [(schema: StoredSchema, rowKey: Int)]) {
        let versions = rows.filter { $0[0] != .null }.map(subjectVersion).sorted { $0.version > $1.version }
        let stored = rows.filter { $0[0] == .null }.map {
            (storedSchema($0, from: 3), $0[3 + rowKeyColumn].int ?? 0)
        }
        let state = RegistrationState(
            latest: versions.first,
            holding: versions.filter { $0.schema.holds(text: text, references: references) }
        )
        return (state, stored)
    }

    /// A subject's newest live version and its live versions holding the schema text, in one read.
    public func registrationState(
        subject: String,
        text: String,
        references: [SchemaReference]
    ) async throws(RegistryError) -> RegistrationState {
        let fingerprint = Self.fingerprint(.protobuf, Self.referencesJSON(references), text)
        return Self.registrationState(
            try await read(Self.stateQuery, Self.stateBinds(subject, fingerprint)),
            text: text,
            references: references
        ).state
    }

    /// The ids (each in its own context) of schemas in live versions that reference `subject` at `version`.
    public func referrers(subject: String, version: Int) async throws(RegistryError) -> [Int] {
        try await read(
            """
            SELECT DISTINCT s.context_id FROM ferry_references r JOIN ferry_schemas s ON s.id = r.schema_id
            WHERE r.subject = ? AND r.version = ?
            AND EXISTS (SELECT 1 FROM ferry_versions v WHERE v.schema_id = r.schema_id AND v.deleted = 0)
            ORDER BY s.context_id
            """,
            [.text(subject), .int(version)]
        ).compactMap { $0[0].int }
    }

    /// Writes a new version unless the subject already holds the schema or changed meanwhile.
    public func register(_ registration: SchemaRegistration) async throws(RegistryError) -> RegistrationOutcome {
        let referencesJSON = Self.referencesJSON(registration.references)
        let fingerprint = Self.fingerprint(registration.schemaType, referencesJSON, registration.text)
        let keys = [SQLLockKey.subject(registration.subject), SQLLockKey.schema(fingerprint: fingerprint)]
        let dialect = backend.dialect
        let outcome = try await run(locking: keys) { executor -> RegistrationOutcome in
            let (state, stored) = Self.registrationState(
                try await executor.query(Self.stateQuery, Self.stateBinds(registration.subject, fingerprint)),
                text: registration.text,
                references: registration.references
            )
            if let same = state.holding.first(where: { registration.isHeld(by: $0.schema) }),
                registration.id == nil || registration.id == same.schema.id
            {
                return .alreadyRegistered(same)
            }
            guard registration.expects(latest: state.latest) else { return .conflict }

            let type = registration.schemaType.rawValue
            let context = registration.context
            let metadata = DataContractJSON.encode(registration.metadata)
            let ruleSet = DataContractJSON.encode(registration.ruleSet)
            let contract: [SQLValue] = [metadata.map(SQLValue.text) ?? .null, ruleSet.map(SQLValue.text) ?? .null]
            let columns: [SQLValue] =
                [.text(type), .text(registration.text), .text(referencesJSON), .text(fingerprint)] + contract
            let existing = stored.first { registration.isHeld(by: $0.schema) }
            // The schema's public id in its context, and the row key its versions and references use.
            let id: Int
            let rowKey: Int
            var isNew = false
            if let requested = registration.id {
                // IMPORT: an id already taken by another schema would alias or overwrite it.
                if let held = try await executor.query(
                    "SELECT \(Self.schemaColumns) FROM ferry_schemas s WHERE s.context = ? AND s.context_id = ?",
                    [.text(context), .int(requested)]
                ).first {
                    guard registration.isHeld(by: Self.storedSchema(held, from: 0)) else {
                        throw RegistryError.schemaIDInUse(requested)
                    }
                    rowKey = held[Self.rowKeyColumn].int ?? 0
                } else {
                    rowKey = try await Self.insertSchema(
                        executor,
                        dialect: dialect,
                        contextID: ("?", [.text(context), .int(requested)]),
                        columns: columns
                    ).rowKey
                    isNew = true
                    if context == QualifiedSubject.defaultContext, let advance = dialect.afterImportedID {
                        _ = try await executor.query(advance, [.int(requested)])
                    }
                }
                id = requested
            } else if let existing {
                (id, rowKey) = (existing.schema.id, existing.rowKey)
            } else {
                let contextID: (String, [SQLValue]) =
                    context == QualifiedSubject.defaultContext
                    ? (dialect.newDefaultContextID, [.text(context)])
                    : (SQLDialect.newContextID, [.text(context), .text(context)])
                (rowKey, id) = try await Self.insertSchema(
                    executor,
                    dialect: dialect,
                    contextID: contextID,
                    columns: columns
                )
                isNew = true
            }
            if isNew {
                for reference in registration.references {
                    _ = try await executor.query(
                        "INSERT INTO ferry_references (schema_id, name, subject, version) VALUES (?, ?, ?, ?)",
                        [.int(rowKey), .text(reference.name), .text(reference.subject), .int(reference.version)]
                    )
                }
            }
            let inserted =
                if let requested = registration.version {
                    try await executor.query(
                        """
                        INSERT INTO ferry_versions (subject, version, schema_id, deleted)
                        VALUES (?, ?, ?, 0) RETURNING version
                        """,
                        [.text(registration.subject), .int(requested), .int(rowKey)]
                    )
                } else {
                    try await executor.query(
                        """
                        INSERT INTO ferry_versions (subject, version, schema_id, deleted)
                        SELECT ?, COALESCE(MAX(version), 0) + 1, ?, 0 FROM ferry_versions WHERE subject = ?
                        RETURNING version
                        """,
                        [.text(registration.subject), .int(rowKey), .text(registration.subject)]
                    )
                }
            guard let version = inserted.first?[0].int else {
                throw RegistryError(.storeError, "the database gave the new version no number")
            }
            let schema = StoredSchema(
                id: id,
                text: registration.text,
                references: registration.references,
                schemaType: registration.schemaType,
                metadata: registration.metadata,
                ruleSet: registration.ruleSet,
                context: context
            )
            return .registered(SubjectVersion(subject: registration.subject, version: version, schema: schema))
        }
        if case .registered = outcome,
            writesSinceStatistics.add(1, ordering: .relaxed).newValue % Self.statisticsInterval == 0
        {
            await refreshStatistics()
        }
        return outcome
    }

    /// Inserts a new schema row with a row key from the dialect and returns the row key and the id in
    /// its context. `contextID` is the SQL of the context id and the binds of the context column and
    /// that expression.
    private static func insertSchema(
        _ executor: any SQLExecutor,
        dialect: SQLDialect,
        contextID: (sql: String, binds: [SQLValue]),
        columns: [SQLValue]
    ) async throws -> (rowKey: Int, id: Int) {
        guard
            let row = try await executor.query(
                """
                INSERT INTO ferry_schemas (id, context, context_id, schema_type, body, refs, fingerprint, \
                metadata, rule_set) VALUES (\(dialect.newSchemaRowKey), ?, \(contextID.sql), ?, ?, ?, ?, ?, ?) \
                RETURNING id, context_id
                """,
                contextID.binds + columns
            ).first, let rowKey = row[0].int, let id = row[1].int
        else { throw RegistryError(.storeError, "the database gave the new schema no id") }
        return (rowKey, id)
    }

    /// Marks versions soft-deleted (all live ones when `version` is nil) and returns their numbers.
    public func softDelete(subject: String, version: Int?) async throws(RegistryError) -> [Int] {
        try await run(locking: [SQLLockKey.subject(subject)]) { executor in
            let filter = version == nil ? "" : " AND version = ?"
            let binds: [SQLValue] = [.text(subject)] + (version.map { [.int($0)] } ?? [])
            let affected = try await executor.query(
                "SELECT version FROM ferry_versions WHERE subject = ? AND deleted = 0\(filter) ORDER BY version",
                binds
            ).compactMap { $0[0].int }
            _ = try await executor.query(
                "UPDATE ferry_versions SET deleted = 1 WHERE subject = ? AND deleted = 0\(filter)",
                binds
            )
            return affected
        }
    }

    /// Removes soft-deleted versions for good (all of the subject's when `version` is nil) and returns their numbers.
    public func permanentlyDelete(subject: String, version: Int?) async throws(RegistryError) -> [Int] {
        try await run(locking: [SQLLockKey.subject(subject)]) { executor in
            let filter = version == nil ? "" : " AND version = ?"
            let binds: [SQLValue] = [.text(subject)] + (version.map { [.int($0)] } ?? [])
            let affected = try await executor.query(
                "SELECT version FROM ferry_versions WHERE subject = ? AND deleted = 1\(filter) ORDER BY version",
                binds
            ).compactMap { $0[0].int }
            _ = try await executor.query("DELETE FROM ferry_versions WHERE subject = ? AND deleted = 1\(filter)", binds)
            if try await executor.query("SELECT 1 FROM ferry_versions WHERE subject = ?", [.text(subject)]).isEmpty {
                // The subject is gone: its own compatibility and mode go with it (by their key, which
                // never equals the global row's).
                _ = try await executor.query("DELETE FROM ferry_config WHERE subject = ?", [Self.configKey(subject)])
            }
            return affected
        }
    }

    private static func configKey(_ subject: String?) -> SQLValue { .text(subject.map { "s:" + $0 } ?? "global") }

    /// A subject's own, its context's and the global compatibility and mode, in one read.
    public func settings(subject: String) async throws(RegistryError) -> RegistrySettings {
        var settings = RegistrySettings()
        let subjectKey = Self.configKey(subject)
        let contextKey = RegistrySettings.contextKey(of: subject).map { Self.configKey($0) }
        for row in try await read(
            "SELECT subject, compatibility, mode FROM ferry_config WHERE subject IN (?, ?, ?)",
            [subjectKey, contextKey ?? subjectKey, Self.configKey(nil)]
        ) {
            let compatibility = row[1].text.flatMap(CompatibilityLevel.init(rawValue:))
            let mode = row[2].text.flatMap(RegistryMode.init(rawValue:))
            switch row[0] {
            case subjectKey:
                settings.subjectCompatibility = compatibility
                settings.subjectMode = mode
            case contextKey:
                settings.contextCompatibility = compatibility
                settings.contextMode = mode
            default:
                settings.globalCompatibility = compatibility
                settings.globalMode = mode
            }
        }
        return settings
    }

    /// The compatibility level of a subject, or the global one when `subject` is nil; nil when unset.
    public func compatibility(subject: String?) async throws(RegistryError) -> CompatibilityLevel? {
        try await read("SELECT compatibility FROM ferry_config WHERE subject = ?", [Self.configKey(subject)])
            .first?[0].text.flatMap(CompatibilityLevel.init(rawValue:))
    }

    /// Sets (or with nil, removes) a subject's or the global compatibility level.
    public func setCompatibility(_ level: CompatibilityLevel?, subject: String?) async throws(RegistryError) {
        try await setConfig(column: "compatibility", value: level?.rawValue, subject: subject)
    }

    /// The mode of a subject, or the global one when `subject` is nil; nil when unset.
    public func mode(subject: String?) async throws(RegistryError) -> RegistryMode? {
        try await read("SELECT mode FROM ferry_config WHERE subject = ?", [Self.configKey(subject)])
            .first?[0].text.flatMap(RegistryMode.init(rawValue:))
    }

    /// Sets (or with nil, removes) a subject's or the global mode.
    public func setMode(_ mode: RegistryMode?, subject: String?) async throws(RegistryError) {
        try await setConfig(column: "mode", value: mode?.rawValue, subject: subject)
    }

    private func setConfig(column: String, value: String?, subject: String?) async throws(RegistryError) {
        // One upsert: atomic without a lock of its own.
        try await run(locking: []) { executor in
            let bound: SQLValue = value.map { .text($0) } ?? .null
            _ = try await executor.query(
                """
                INSERT INTO ferry_config (subject, \(column)) VALUES (?, ?) ON CONFLICT \
                (subject) DO UPDATE SET \(column) = excluded.\(column)
                """,
                [Self.configKey(subject), bound]
            )
        }
    }
}
