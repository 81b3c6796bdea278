import FerryRegistry
import Foundation
import Synchronization
import Testing

@testable import FerryRegistryServer

/// A real backend that records the statements it runs and counts the rows they return: every
/// statement still runs on the real database; the record shows how much of a subject's history a
/// registration reads.
final class RecordingBackend: SQLBackend {
    let inner: any SQLBackend
    let rows = Mutex(0)
    let statements = Mutex<[(sql: String, binds: [SQLValue])]>([])

    init(_ inner: any SQLBackend) {
        self.inner = inner
    }

    var dialect: SQLDialect { inner.dialect }

    private struct Executor: SQLExecutor {
        let inner: any SQLExecutor
        let record: @Sendable (String, [SQLValue], Int) -> Void

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
            let result = try await inner.query(sql, binds)
            record(sql, binds, result.count)
            return result
        }
    }

    func transaction<T: Sendable>(locking keys: [String], _ body: (any SQLExecutor) async throws -> T) async throws -> T
    {
        try await inner.transaction(locking: keys) { executor in
            try await body(Executor(inner: executor) { [self] sql, binds, count in add(sql, binds, count) })
        }
    }

    func read(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
        let result = try await inner.read(sql, binds)
        add(sql, binds, result.count)
        return result
    }

    func close() async {
        await inner.close()
    }

    private func add(_ sql: String, _ binds: [SQLValue], _ count: Int) {
        rows.withLock { $0 += count }
        statements.withLock { $0.append((sql, binds)) }
    }
}

/// Version `index` of one subject: each backward compatible with the one before, all the same size.
private func evolving(_ index: Int) -> String {
    "syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; string note = 2; reserved \(100 + index); }\n"
}

@Suite("A registration's cost does not grow with the subject's history", .serialized)
struct RegistrationCostTests {
    enum SQLKind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }

        func open() async throws -> SQLSchemaStore {
            switch self {
            case .sqlite: try await SQLSchemaStore.sqlite(path: TestEnvironment.temporarySQLitePath())
            case .postgres: try await SQLSchemaStore.postgres(url: try await TestEnvironment.freshPostgresURL())
            }
        }
    }

    @Test("registering version 60 reads as many rows as registering version 10 (BACKWARD)", arguments: SQLKind.allCases)
    func flatReads(_ kind: SQLKind) async throws {
        let opened = try await kind.open()
        let counting = RecordingBackend(opened.backend)
        let store = try await SQLSchemaStore(backend: counting)
        let registry = SchemaRegistry(store: store)
        var rowsRead: [Int: Int] = [:]
        for index in 1...60 {
            let before = counting.rows.withLock { $0 }
            let version = try await registry.register(subject: "orders-value", SchemaInput(schema: evolving(index)))
            #expect(version.version == index)
            rowsRead[index] = counting.rows.withLock { $0 } - before
        }
        // Version 2 is the first checked against an earlier one; from there every registration reads
        // the same rows: the newest version, the (absent) versions holding the new schema, config.
        #expect(
            rowsRead[10] == rowsRead[60],
            "rows read per registration: \(rowsRead.sorted { $0.key < $1.key }.map(\.value))"
        )
        #expect(rowsRead[10] == rowsRead[30])
        // Registering an already registered schema also stays flat: it is found through its fingerprint
        // (the rows: the version holding it, the newest version, the stored schema).
        let before = counting.rows.withLock { $0 }
        #expect(try await registry.register(subject: "orders-value", SchemaInput(schema: evolving(5))).version == 5)
        #expect(counting.rows.withLock { $0 } - before <= 3)
        await store.close()
    }

    @Test("every statement of a registration searches an index; none walks a table (SQLite's query plans)")
    func indexedStatements() async throws {
        let opened = try await SQLKind.sqlite.open()
        let recording = RecordingBackend(opened.backend)
        let store = try await SQLSchemaStore(backend: recording)
        let registry = SchemaRegistry(store: store)
        for index in 1...20 {
            _ = try await registry.register(subject: "orders-value", SchemaInput(schema: evolving(index)))
        }
        recording.statements.withLock { $0.removeAll() }
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: evolving(21)))
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: evolving(3)))
        let statements = recording.statements.withLock { $0 }.filter {
            !["BEGIN", "COMMIT"].contains($0.sql.prefix(6).trimmingCharacters(in: .whitespaces))
        }
        #expect(statements.count >= 6)
        for statement in statements {
            let plan = try await opened.backend.read("EXPLAIN QUERY PLAN " + statement.sql, statement.binds).compactMap
            { $0.last?.text }
            let walks = plan.filter { $0.hasPrefix("SCAN ") && !$0.hasPrefix("SCAN CONSTANT ROW") }
            #expect(walks.isEmpty, "\(statement.sql): \(plan)")
        }
        await store.close()
    }

    @Test("an imported id moves id allocation past it", arguments: Backend.allCases)
    func importAdvancesIDs(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        let registry = SchemaRegistry(store: store)
        #expect(try await registry.register(subject: "a-value", SchemaInput(schema: orderV1)).schema.id == 1)
        try await registry.setMode(.import, subject: "imported-value", force: true)
        let imported = try await registry.register(
            subject: "imported-value",
            SchemaInput(schema: orderV2, id: 500, version: 1)
        )
        #expect(imported.schema.id == 500)
        let next = try await registry.register(subject: "b-value", SchemaInput(schema: orderBreaking))
        #expect(next.schema.id == 501)
        if let sql = store as? SQLSchemaStore { await sql.close() }
    }
}

@Suite("PostgreSQL registration under conflicts", .serialized)
struct PostgresConflictTests {
    @Test(
        """
        an id taken behind the sequence's back (an older instance's MAX + 1) \
        aborts the insert, which runs again with the next id
        """
    )
    func retriesOnUniqueViolation() async throws {
        let store = try await SQLSchemaStore.postgres(url: try await TestEnvironment.freshPostgresURL())
        let registry = SchemaRegistry(store: store)
        try await registry.setCompatibility(.none, subject: nil)
        #expect(try await registry.register(subject: "a-value", SchemaInput(schema: orderV1)).schema.id == 1)
        // What an instance from before migration 3 does: take MAX + 1 without the sequence.
        _ = try await store.backend.transaction { executor in
            try await executor.query(
                """
                INSERT INTO ferry_schemas (id, schema_type, body, refs, \
                fingerprint) VALUES (2, 'PROTOBUF', 'old', '[]', 'x')
                """,
                []
            )
        }
        // nextval gives 2, the insert fails with 23505, the transaction runs again and gets 3.
        let next = try await registry.register(subject: "b-value", SchemaInput(schema: orderV2))
        #expect(next.schema.id == 3)
        #expect(try await registry.schema(id: 3).text == next.schema.text)
        await store.close()
    }
}
