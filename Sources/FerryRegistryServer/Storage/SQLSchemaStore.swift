public import FerryRegistry
import Foundation

/// A ``SchemaStore`` on SQL: the tables and queries shared by the SQLite and PostgreSQL backends.
///
/// Every write is one transaction of the backend, which excludes every other registry write on the
/// same database, so ids and versions are allocated without races even when several registry
/// processes share a PostgreSQL database: an id is `max + 1` over all schemas, a version `max + 1`
/// over the subject's versions. Reads are single statements that see committed data.
public final class SQLSchemaStore: SchemaStore {
    /// Internal for tests, which reach the database directly.
    let backend: any SQLBackend

    init(backend: any SQLBackend) async throws(RegistryError) {
        self.backend = backend
        do {
            _ = try await run { executor in
                try await SQLMigrations.migrate(executor, integerType: backend.integerType)
            }
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

    private func run<T: Sendable>(_ body: (any SQLExecutor) async throws -> T) async throws(RegistryError) -> T {
        do {
            return try await backend.transaction(body)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError(.storeError, "Error in the backend data store: \(String(reflecting: error))")
        }
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

    private static let versionColumns = """
        SELECT v.subject, v.version, v.deleted, s.id, s.body, s.refs, s.schema_type
        FROM ferry_versions v JOIN ferry_schemas s ON s.id = v.schema_id
        """

    private static func subjectVersion(_ row: [SQLValue]) -> SubjectVersion {
        let schema = StoredSchema(
            id: row[3].int ?? 0, text: row[4].text ?? "", references: references(row[5].text),
            schemaType: SchemaType(rawValue: row[6].text ?? "") ?? .protobuf)
        return SubjectVersion(subject: row[0].text ?? "", version: row[1].int ?? 0, schema: schema, isDeleted: (row[2].int ?? 0) != 0)
    }

    // MARK: SchemaStore

    /// The schema with this global id, if any.
    public func schema(id: Int) async throws(RegistryError) -> StoredSchema? {
        let rows = try await read("SELECT id, body, refs, schema_type FROM ferry_schemas WHERE id = ?", [.int(id)])
        return rows.first.map { row in
            StoredSchema(
                id: row[0].int ?? id, text: row[1].text ?? "", references: Self.references(row[2].text),
                schemaType: SchemaType(rawValue: row[3].text ?? "") ?? .protobuf)
        }
    }

    /// Every subject with at least one version (with soft-deleted ones when `includeDeleted`), sorted.
    public func subjects(includeDeleted: Bool) async throws(RegistryError) -> [String] {
        let sql = includeDeleted
            ? "SELECT DISTINCT subject FROM ferry_versions ORDER BY subject"
            : "SELECT DISTINCT subject FROM ferry_versions WHERE deleted = 0 ORDER BY subject"
        return try await read(sql, []).compactMap { $0[0].text }
    }

    /// A subject's versions in ascending order.
    public func versions(of subject: String, includeDeleted: Bool) async throws(RegistryError) -> [SubjectVersion] {
        let filter = includeDeleted ? "" : " AND v.deleted = 0"
        return try await read(Self.versionColumns + " WHERE v.subject = ?\(filter) ORDER BY v.version", [.text(subject)])
            .map(Self.subjectVersion)
    }

    /// The subject versions that hold the schema with this id.
    public func subjectVersions(schemaID: Int, includeDeleted: Bool) async throws(RegistryError) -> [SubjectVersion] {
        let filter = includeDeleted ? "" : " AND v.deleted = 0"
        return try await read(Self.versionColumns + " WHERE v.schema_id = ?\(filter) ORDER BY v.subject, v.version", [.int(schemaID)])
            .map(Self.subjectVersion)
    }

    /// The ids of schemas in live versions that reference `subject` at `version`.
    public func referrers(subject: String, version: Int) async throws(RegistryError) -> [Int] {
        try await read(
            """
            SELECT DISTINCT r.schema_id FROM ferry_references r
            WHERE r.subject = ? AND r.version = ?
            AND EXISTS (SELECT 1 FROM ferry_versions v WHERE v.schema_id = r.schema_id AND v.deleted = 0)
            ORDER BY r.schema_id
            """, [.text(subject), .int(version)]
        ).compactMap { $0[0].int }
    }

    /// Writes a new version unless the subject already holds the schema or changed meanwhile.
    public func register(_ registration: SchemaRegistration) async throws(RegistryError) -> RegistrationOutcome {
        let referencesJSON = Self.referencesJSON(registration.references)
        let fingerprint = Self.fingerprint(registration.schemaType, referencesJSON, registration.text)
        return try await run { executor in
            let live = try await executor.query(
                Self.versionColumns + " WHERE v.subject = ? AND v.deleted = 0 ORDER BY v.version", [.text(registration.subject)]
            ).map(Self.subjectVersion)
            if let same = live.first(where: { $0.schema.text == registration.text && $0.schema.references == registration.references }),
                registration.id == nil || registration.id == same.schema.id
            {
                return .alreadyRegistered(same)
            }
            guard live.map(\.version) == registration.expectedLiveVersions else { return .conflict }

            let id: Int
            let existing = try await executor.query(
                "SELECT id, body, refs, schema_type FROM ferry_schemas WHERE fingerprint = ? ORDER BY id", [.text(fingerprint)]
            ).first { $0[1].text == registration.text && $0[2].text == referencesJSON && $0[3].text == registration.schemaType.rawValue }
            if let requested = registration.id {
                // IMPORT: an id already taken by another schema would alias or overwrite it.
                if let held = try await executor.query("SELECT body, refs, schema_type FROM ferry_schemas WHERE id = ?", [.int(requested)]).first,
                    held[0].text != registration.text || held[1].text != referencesJSON || held[2].text != registration.schemaType.rawValue
                {
                    throw RegistryError.schemaIDInUse(requested)
                }
                id = requested
            } else if let known = existing?[0].int {
                id = known
            } else {
                id = (try await executor.query("SELECT COALESCE(MAX(id), 0) + 1 FROM ferry_schemas", []).first?[0].int) ?? 1
            }
            if try await executor.query("SELECT id FROM ferry_schemas WHERE id = ?", [.int(id)]).isEmpty {
                _ = try await executor.query(
                    "INSERT INTO ferry_schemas (id, schema_type, body, refs, fingerprint) VALUES (?, ?, ?, ?, ?)",
                    [.int(id), .text(registration.schemaType.rawValue), .text(registration.text), .text(referencesJSON), .text(fingerprint)])
                for reference in registration.references {
                    _ = try await executor.query(
                        "INSERT INTO ferry_references (schema_id, name, subject, version) VALUES (?, ?, ?, ?)",
                        [.int(id), .text(reference.name), .text(reference.subject), .int(reference.version)])
                }
            }
            let version: Int
            if let requested = registration.version {
                version = requested
            } else {
                version = (try await executor.query(
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM ferry_versions WHERE subject = ?", [.text(registration.subject)]
                ).first?[0].int) ?? 1
            }
            _ = try await executor.query(
                "INSERT INTO ferry_versions (subject, version, schema_id, deleted) VALUES (?, ?, ?, 0)",
                [.text(registration.subject), .int(version), .int(id)])
            let schema = StoredSchema(id: id, text: registration.text, references: registration.references, schemaType: registration.schemaType)
            return .registered(SubjectVersion(subject: registration.subject, version: version, schema: schema))
        }
    }

    /// Marks versions soft-deleted (all live ones when `version` is nil) and returns their numbers.
    public func softDelete(subject: String, version: Int?) async throws(RegistryError) -> [Int] {
        try await run { executor in
            let filter = version == nil ? "" : " AND version = ?"
            let binds: [SQLValue] = [.text(subject)] + (version.map { [.int($0)] } ?? [])
            let affected = try await executor.query(
                "SELECT version FROM ferry_versions WHERE subject = ? AND deleted = 0\(filter) ORDER BY version", binds
            ).compactMap { $0[0].int }
            _ = try await executor.query("UPDATE ferry_versions SET deleted = 1 WHERE subject = ? AND deleted = 0\(filter)", binds)
            return affected
        }
    }

    /// Removes soft-deleted versions for good (all of the subject's when `version` is nil) and returns their numbers.
    public func permanentlyDelete(subject: String, version: Int?) async throws(RegistryError) -> [Int] {
        try await run { executor in
            let filter = version == nil ? "" : " AND version = ?"
            let binds: [SQLValue] = [.text(subject)] + (version.map { [.int($0)] } ?? [])
            let affected = try await executor.query(
                "SELECT version FROM ferry_versions WHERE subject = ? AND deleted = 1\(filter) ORDER BY version", binds
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
        try await run { executor in
            let bound: SQLValue = value.map { .text($0) } ?? .null
            _ = try await executor.query(
                "INSERT INTO ferry_config (subject, \(column)) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET \(column) = excluded.\(column)",
                [Self.configKey(subject), bound])
        }
    }
}
