import FerryRegistry
import Foundation
import Testing

@testable import FerryRegistryServer

/// Versioned migrations of the SQL stores.
@Suite("Storage migrations", .serialized)
struct MigrationTests {
    enum SQLKind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    func open(_ kind: SQLKind, _ location: String) async throws -> SQLSchemaStore {
        switch kind {
        case .sqlite: try await SQLSchemaStore.sqlite(path: location)
        case .postgres: try await SQLSchemaStore.postgres(url: location)
        }
    }

    /// Takes a database back to what migration `version` left (from migration 3 on: the sequence,
    /// the references index, the data-contract columns, the context columns).
    static func undoMigrations(after version: Int, _ kind: SQLKind, _ executor: any SQLExecutor) async throws {
        precondition(version == 2 && SQLMigrations.latest == 5, "update undoMigrations for the new migration")
        _ = try await executor.query("DROP INDEX ferry_schemas_context_id", [])
        _ = try await executor.query("ALTER TABLE ferry_schemas DROP COLUMN context_id", [])
        _ = try await executor.query("ALTER TABLE ferry_schemas DROP COLUMN context", [])
        if kind == .postgres { _ = try await executor.query("DROP SEQUENCE ferry_schema_rows", []) }
        _ = try await executor.query("ALTER TABLE ferry_schemas DROP COLUMN metadata", [])
        _ = try await executor.query("ALTER TABLE ferry_schemas DROP COLUMN rule_set", [])
        _ = try await executor.query("DROP INDEX ferry_references_schema", [])
        if kind == .postgres { _ = try await executor.query("DROP SEQUENCE ferry_schema_ids", []) }
    }

    func version(of store: SQLSchemaStore) async throws -> Int? {
        try await store.backend.read("SELECT value FROM ferry_meta WHERE name = 'schema_version'", []).first?[0].int
    }

    @Test(
        "a database from before migrations is upgraded on start and keeps its data; a newer one is refused",
        arguments: SQLKind.allCases
    )
    func upgrade(_ kind: SQLKind) async throws {
        let location =
            kind == .sqlite ? TestEnvironment.temporarySQLitePath() : try await TestEnvironment.freshPostgresURL()
        let store = try await open(kind, location)
        #expect(try await version(of: store) == SQLMigrations.latest)
        let registered = try await SchemaRegistry(store: store).register(
            subject: "orders-value",
            SchemaInput(schema: orderV1)
        )
        // Make it look like a database written before versioning: no ferry_meta, no later index.
        _ = try await store.backend.transaction { executor in
            _ = try await executor.query("DROP TABLE ferry_meta", [])
            _ = try await executor.query("DROP INDEX ferry_versions_live", [])
            try await Self.undoMigrations(after: 2, kind, executor)
            return 0
        }
        await store.close()

        let upgraded = try await open(kind, location)
        #expect(try await version(of: upgraded) == SQLMigrations.latest)
        #expect(
            try await SchemaRegistry(store: upgraded).schema(id: registered.schema.id).text == registered.schema.text
        )
        // The index migration 2 adds is back (creating it again would not be a no-op test otherwise).
        let index =
            kind == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ferry_versions_live'"
            : "SELECT indexname FROM pg_indexes WHERE indexname = 'ferry_versions_live'"
        #expect(try await upgraded.backend.read(index, []).count == 1)
        _ = try await upgraded.backend.transaction { executor in
            try await executor.query("UPDATE ferry_meta SET value = '99' WHERE name = 'schema_version'", [])
        }
        await upgraded.close()

        let refused = await #expect(throws: RegistryError.self) { try await open(kind, location) }
        #expect(refused?.message.contains("version 99, newer than this ferry-registry knows") == true)
    }

    @Test(
        "a database at version 2 gets its id allocation from migration 3 past the ids it already holds",
        arguments: SQLKind.allCases
    )
    func idsContinueAfterUpgrade(_ kind: SQLKind) async throws {
        let location =
            kind == .sqlite ? TestEnvironment.temporarySQLitePath() : try await TestEnvironment.freshPostgresURL()
        let store = try await open(kind, location)
        let registry = SchemaRegistry(store: store)
        try await registry.setCompatibility(.none, subject: nil)
        for index in 1...3 {
            let text = "syntax = \"proto3\";\npackage acme;\nmessage Event\(index) { int64 id = 1; }\n"
            #expect(try await registry.register(subject: "events-value", SchemaInput(schema: text)).schema.id == index)
        }
        // Back to version 2: PostgreSQL had no sequence then.
        _ = try await store.backend.transaction { executor in
            try await Self.undoMigrations(after: 2, kind, executor)
            return try await executor.query("UPDATE ferry_meta SET value = '2' WHERE name = 'schema_version'", [])
        }
        await store.close()

        let upgraded = try await open(kind, location)
        #expect(try await version(of: upgraded) == SQLMigrations.latest)
        let next = try await SchemaRegistry(store: upgraded).register(
            subject: "other-value",
            SchemaInput(schema: orderV1)
        )
        #expect(next.schema.id == 4)
        await upgraded.close()
    }
}
