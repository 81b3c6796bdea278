import FerryRegistry
import Foundation
import Testing

@testable import FerryRegistryServer

/// The storage backends under test.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    func makeStore() async throws -> any SchemaStore {
        switch self {
        case .memory: InMemorySchemaStore()
        case .sqlite: try await SQLSchemaStore.sqlite(path: TestEnvironment.temporarySQLitePath())
        case .postgres: try await SQLSchemaStore.postgres(url: try await TestEnvironment.freshPostgresURL())
        }
    }
}

let orderV1 = "syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; }\n"
let orderV2 = "syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; string note = 2; }\n"
let orderBreaking = "syntax = \"proto3\";\npackage acme;\nmessage Order { string id = 1; }\n"

@Suite("Every storage backend behaves the same", .serialized)
struct StoreTests {
    @Test("register, deduplicate, version, look up, reference and delete", arguments: Backend.allCases)
    func lifecycle(_ backend: Backend) async throws {
        let registry = SchemaRegistry(store: try await backend.makeStore())
        let first = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV1))
        #expect(first.version == 1 && first.schema.id == 1)
        #expect(try await registry.register(subject: "orders-value", SchemaInput(schema: orderV1)) == first)
        let second = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV2))
        #expect(second.version == 2 && second.schema.id == 2)
        let shared = try await registry.register(subject: "other-value", SchemaInput(schema: orderV1))
        #expect(shared.schema.id == 1 && shared.version == 1)
        let refused = await #expect(throws: RegistryError.self) {
            try await registry.register(subject: "orders-value", SchemaInput(schema: orderBreaking))
        }
        #expect(refused?.code == .incompatibleSchema)
        #expect(try await registry.subjects() == ["orders-value", "other-value"])
        #expect(try await registry.lookup(subject: "orders-value", SchemaInput(schema: orderV2)).version == 2)
        #expect(Set(try await registry.subjectVersions(schemaID: 1).map(\.subject)) == ["orders-value", "other-value"])

        let money = "syntax = \"proto3\";\npackage acme;\nmessage Money { int64 units = 1; }\n"
        _ = try await registry.register(subject: "money", SchemaInput(schema: money))
        let withReference = try await registry.register(
            subject: "invoice",
            SchemaInput(
                schema:
                    """
                    syntax = \"proto3\";\npackage acme;\nimport \
                    \"money.proto\";\nmessage Invoice { Money total = 1; }\n
                    """,
                references: [SchemaReference(name: "money.proto", subject: "money", version: 1)]
            )
        )
        #expect(try await registry.referencedBy(subject: "money", .latest) == [withReference.schema.id])
        #expect(try await registry.schema(id: withReference.schema.id).references.first?.subject == "money")
        let blocked = await #expect(throws: RegistryError.self) {
            try await registry.deleteSubject("money", permanent: false)
        }
        #expect(blocked?.code == .referenceExists)

        #expect(try await registry.deleteVersion("orders-value", .number(2), permanent: false) == 2)
        #expect(try await registry.versions(of: "orders-value") == [1])
        #expect(try await registry.deleteVersion("orders-value", .number(2), permanent: true) == 2)
        #expect(try await registry.versions(of: "orders-value", includeDeleted: true) == [1])
        #expect(try await registry.deleteSubject("other-value", permanent: false) == [1])
        #expect(try await registry.deleteSubject("other-value", permanent: true) == [1])
        #expect(try await registry.subjects(includeDeleted: true) == ["invoice", "money", "orders-value"])

        try await registry.setCompatibility(.full, subject: nil)
        try await registry.setCompatibility(.none, subject: "orders-value")
        #expect(try await registry.compatibility(subject: "orders-value") == .none)
        #expect(try await registry.compatibility(subject: nil) == .full)
        try await registry.setMode(.readOnly, subject: "money")
        #expect(try await registry.mode(subject: "money") == .readOnly)
        #expect(try await registry.deleteMode(subject: "money") == .readOnly)
        #expect(try await registry.mode(subject: "money", defaultToGlobal: true) == .readWrite)
        if let store = registry.store as? SQLSchemaStore { await store.close() }
    }

    @Test("a SQLite file keeps everything across reopening")
    func sqliteReopen() async throws {
        let path = TestEnvironment.temporarySQLitePath()
        let store = try await SQLSchemaStore.sqlite(path: path)
        _ = try await SchemaRegistry(store: store).register(subject: "s", SchemaInput(schema: orderV1))
        try await store.setCompatibility(.forwardTransitive, subject: "s")
        await store.close()
        let reopenedStore = try await SQLSchemaStore.sqlite(path: path)
        let reopened = SchemaRegistry(store: reopenedStore)
        #expect(try await reopened.version(of: "s", .latest).schema.text.contains("message Order"))
        #expect(try await reopened.compatibility(subject: "s") == .forwardTransitive)
        await reopenedStore.close()
    }

    @Test("two registry instances on one PostgreSQL store: unique ids, gap-free versions under concurrency")
    func concurrentInstances() async throws {
        let url = try await TestEnvironment.freshPostgresURL()
        let first = SchemaRegistry(store: try await SQLSchemaStore.postgres(url: url))
        let second = SchemaRegistry(store: try await SQLSchemaStore.postgres(url: url))
        try await first.setCompatibility(.none, subject: nil)
        let count = 24
        let results = try await withThrowingTaskGroup(of: SubjectVersion.self) { group in
            for index in 0..<count {
                let registry = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    let text = "syntax = \"proto3\";\npackage acme;\nmessage Event\(index) { int64 id = 1; }\n"
                    return try await registry.register(subject: "events-value", SchemaInput(schema: text))
                }
                // The same schema from both instances at once must get one id.
                group.addTask {
                    try await registry.register(subject: "shared-\(index % 3)", SchemaInput(schema: orderV1))
                }
            }
            var all: [SubjectVersion] = []
            for try await result in group { all.append(result) }
            return all
        }
        let events = results.filter { $0.subject == "events-value" }
        #expect(events.map(\.version).sorted() == Array(1...count))
        #expect(Set(events.map(\.schema.id)).count == count)
        let sharedIDs = Set(results.filter { $0.subject.hasPrefix("shared-") }.map(\.schema.id))
        #expect(sharedIDs.count == 1)
        #expect(try await second.versions(of: "events-value") == Array(1...count))
        #expect(try await first.versions(of: "shared-0") == [1])
    }
}
