import FerryRegistry
import Foundation
import Testing

@testable import FerryRegistryServer

/// Data contracts (metadata and rule sets) on every backend: stored, returned, inherited, part of a
/// schema's identity.
@Suite("Data contracts on every storage backend", .serialized)
struct DataContractTests {
    static let owner = SchemaMetadata(
        tags: ["Order.id": ["PII", "PII", "KEY"]],
        properties: ["owner": "payments", "app.version": "1"],
        sensitive: ["secret"]
    )
    static let rules = SchemaRuleSet(domainRules: [
        SchemaRule(
            name: "positiveId",
            kind: "CONDITION",
            mode: "WRITE",
            type: "CEL",
            expr: "message.id > 0",
            onFailure: "ERROR"
        ),
        SchemaRule(
            name: "encryptPII",
            kind: "TRANSFORM",
            mode: "WRITEREAD",
            type: "ENCRYPT",
            tags: ["PII"],
            params: ["encrypt.kek.name": "k"]
        ),
    ])

    @Test(
        "stored and returned; a registration without one inherits the latest; another contract is another schema",
        arguments: Backend.allCases
    )
    func lifecycle(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        let registry = SchemaRegistry(store: store)
        let first = try await registry.register(
            subject: "orders-value",
            SchemaInput(schema: orderV1, metadata: Self.owner, ruleSet: Self.rules)
        )
        let read = try await registry.version(of: "orders-value", .latest)
        #expect(read.schema.metadata == Self.owner.canonical)
        #expect(read.schema.metadata?.tags?["Order.id"] == ["KEY", "PII"])
        #expect(read.schema.ruleSet == Self.rules.canonical)
        #expect(
            try await registry.schema(id: first.schema.id).ruleSet?.domainRules?.map(\.name) == [
                "positiveId", "encryptPII",
            ]
        )

        // No contract in the request: the latest's applies, so it is the same schema.
        let again = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV1))
        #expect(again.version == 1 && again.schema.id == first.schema.id)

        // Another app.version: another schema, another version, the same text.
        var second = Self.owner
        second.properties?["app.version"] = "2"
        let two = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV1, metadata: second))
        #expect(two.version == 2)
        #expect(two.schema.id != first.schema.id)
        #expect(two.schema.ruleSet == Self.rules.canonical, "the rules were not in the request: inherited")

        // The first contract under another subject is the first schema: one id.
        let elsewhere = try await registry.register(
            subject: "copy-value",
            SchemaInput(schema: orderV1, metadata: Self.owner, ruleSet: Self.rules)
        )
        #expect(elsewhere.schema.id == first.schema.id)

        // Look-ups: without a contract, the newest version with the text; with one, exactly it.
        #expect(try await registry.lookup(subject: "orders-value", SchemaInput(schema: orderV1)).version == 2)
        #expect(
            try await registry.lookup(
                subject: "orders-value",
                SchemaInput(schema: orderV1, metadata: Self.owner, ruleSet: Self.rules)
            ).version == 1
        )
        await #expect(throws: RegistryError.self) {
            try await registry.lookup(
                subject: "orders-value",
                SchemaInput(schema: orderV1, metadata: SchemaMetadata(properties: ["owner": "x"]))
            )
        }

        // Latest with metadata.
        #expect(try await registry.latestVersion(of: "orders-value", withMetadata: ["app.version": "1"]).version == 1)
        #expect(try await registry.latestVersion(of: "orders-value", withMetadata: ["owner": "payments"]).version == 2)
        let missing = await #expect(throws: RegistryError.self) {
            try await registry.latestVersion(of: "orders-value", withMetadata: ["app.version": "9"])
        }
        #expect(missing?.code == .schemaNotFound)

        // IMPORT takes what it is given, without inheriting.
        try await registry.setMode(.import, subject: "imported-value", force: true)
        let imported = try await registry.register(
            subject: "imported-value",
            SchemaInput(schema: orderV2, id: 900, version: 1)
        )
        #expect(imported.schema.metadata == nil)
        if let sql = store as? SQLSchemaStore { await sql.close() }
    }

    @Test("a SQLite file keeps contracts across reopening")
    func durable() async throws {
        let path = TestEnvironment.temporarySQLitePath()
        let store = try await SQLSchemaStore.sqlite(path: path)
        _ = try await SchemaRegistry(store: store).register(
            subject: "s",
            SchemaInput(schema: orderV1, metadata: Self.owner, ruleSet: Self.rules)
        )
        await store.close()
        let reopened = try await SQLSchemaStore.sqlite(path: path)
        let version = try await SchemaRegistry(store: reopened).version(of: "s", .latest)
        #expect(version.schema.metadata == Self.owner.canonical)
        #expect(version.schema.ruleSet == Self.rules.canonical)
        await reopened.close()
    }

    @Test("an invalid rule set is refused with 42201 naming the rule")
    func invalidRules() async throws {
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let wrongMode = SchemaRuleSet(migrationRules: [
            SchemaRule(name: "up", kind: "TRANSFORM", mode: "WRITE", type: "JSONATA")
        ])
        let error = await #expect(throws: RegistryError.self) {
            try await registry.register(subject: "s", SchemaInput(schema: orderV1, ruleSet: wrongMode))
        }
        #expect(error?.code == .invalidSchema)
        #expect(error?.message.contains("'up'") == true)
        #expect(try await registry.subjects().isEmpty)
    }
}
