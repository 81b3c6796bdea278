import FerryCodec
import Foundation
import Testing

@testable import FerryRegistry
@testable import FerryRegistryClient

@Suite("SchemaRegistry over the in-memory store")
struct SchemaRegistryTests {
    let registry = SchemaRegistry(store: InMemorySchemaStore())
    let v1 = "syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; string note = 2; }\n"
    let v2 = "syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; string note = 2; double total = 3; }\n"
    let breaking = "syntax = \"proto3\";\npackage acme;\nmessage Order { string id = 1; }\n"

    @Test("registering assigns id and version 1, and the same schema again returns them without a new version")
    func idempotent() async throws {
        let first = try await registry.register(subject: "orders-value", SchemaInput(schema: v1))
        #expect(first.version == 1)
        #expect(first.schema.id == 1)
        let reformatted = v1.replacingOccurrences(of: "; ", with: ";\n  ") + "// a comment\n"
        let again = try await registry.register(subject: "orders-value", SchemaInput(schema: reformatted))
        #expect(again == first)
        #expect(try await registry.versions(of: "orders-value") == [1])
    }

    @Test("a schema sent as a base64 descriptor gets the id of the same schema sent as text")
    func descriptorInput() async throws {
        let first = try await registry.register(subject: "orders-value", SchemaInput(schema: v1))
        let set = try await TestSchemas.descriptorSet(v1, fileName: "acme/order.proto")
        let base64 = Data(try #require(set.file.last).serializedBytes()).base64EncodedString()
        let again = try await registry.register(subject: "orders-value", SchemaInput(schema: base64))
        #expect(again.schema.id == first.schema.id)
        let other = try await registry.register(subject: "other-value", SchemaInput(schema: base64))
        #expect(other.schema.id == first.schema.id)
        #expect(other.version == 1)
    }

    @Test("a compatible change gets version 2 and a new id; a breaking one is refused with reasons")
    func compatibility() async throws {
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: v1))
        let second = try await registry.register(subject: "orders-value", SchemaInput(schema: v2))
        #expect(second.version == 2)
        #expect(second.schema.id == 2)
        let error = await #expect(throws: RegistryError.self) {
            try await registry.register(subject: "orders-value", SchemaInput(schema: breaking))
        }
        #expect(error?.code == .incompatibleSchema)
        #expect(
            error?.details.contains { $0.contains("FIELD_SCALAR_KIND_CHANGED") && $0.contains("#/Order/1") } == true
        )
        #expect(
            try await registry.compatibilityProblems(
                subject: "orders-value",
                version: .latest,
                SchemaInput(schema: breaking)
            ).count >= 1
        )
        #expect(
            try await registry.compatibilityProblems(subject: "orders-value", version: nil, SchemaInput(schema: v2))
                .isEmpty
        )
        try await registry.setCompatibility(.none, subject: "orders-value")
        let forced = try await registry.register(subject: "orders-value", SchemaInput(schema: breaking))
        #expect(forced.version == 3)
    }

    @Test("look-up finds the version holding a schema, and says which error when it cannot")
    func lookup() async throws {
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: v1))
        let found = try await registry.lookup(subject: "orders-value", SchemaInput(schema: v1))
        #expect(found.version == 1)
        await #expect(throws: RegistryError(.schemaNotFound, "Schema not found")) {
            try await registry.lookup(subject: "orders-value", SchemaInput(schema: v2))
        }
        let missing = await #expect(throws: RegistryError.self) {
            try await registry.lookup(subject: "nope", SchemaInput(schema: v1))
        }
        #expect(missing?.code == .subjectNotFound)
        let invalid = await #expect(throws: RegistryError.self) {
            try await registry.register(subject: "x", SchemaInput(schema: "message {"))
        }
        #expect(invalid?.code == .invalidSchema)
        let avro = await #expect(throws: RegistryError.self) {
            try await registry.register(subject: "x", SchemaInput(schema: "{\"type\":\"string\"}", schemaType: nil))
        }
        #expect(avro?.code == .invalidSchema)
    }

    @Test("references are stored, resolved, reported by referencedBy and block deletion")
    func references() async throws {
        let money = "syntax = \"proto3\";\npackage acme;\nmessage Money { int64 units = 1; string currency = 2; }\n"
        let moneyVersion = try await registry.register(subject: "acme/money.proto", SchemaInput(schema: money))
        let order = """
            syntax = "proto3";
            package acme;
            import "acme/money.proto";
            message Order { Money total = 1; }
            """
        let reference = SchemaReference(name: "acme/money.proto", subject: "acme/money.proto", version: 1)
        let orderVersion = try await registry.register(
            subject: "orders-value",
            SchemaInput(schema: order, references: [reference])
        )
        #expect(orderVersion.schema.references == [reference])
        #expect(try await registry.referencedBy(subject: "acme/money.proto", .number(1)) == [orderVersion.schema.id])
        let resolved = try await registry.resolve(orderVersion.schema)
        #expect(resolved.dependencies.contains { $0.name == "acme/money.proto" })
        let blocked = await #expect(throws: RegistryError.self) {
            try await registry.deleteSubject("acme/money.proto", permanent: false)
        }
        #expect(blocked?.code == .referenceExists)
        #expect(moneyVersion.schema.id != orderVersion.schema.id)
        let dangling = await #expect(throws: RegistryError.self) {
            try await registry.register(
                subject: "y",
                SchemaInput(
                    schema: order,
                    references: [SchemaReference(name: "acme/money.proto", subject: "nope", version: 1)]
                )
            )
        }
        #expect(dangling?.code == .invalidSchema)
    }

    @Test("deletion is soft first, then permanent, with Confluent's error codes")
    func deletion() async throws {
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: v1))
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: v2))
        let notSoft = await #expect(throws: RegistryError.self) {
            try await registry.deleteVersion("orders-value", .number(2), permanent: true)
        }
        #expect(notSoft?.code == .schemaVersionNotSoftDeleted)
        #expect(try await registry.deleteVersion("orders-value", .number(2), permanent: false) == 2)
        let twice = await #expect(throws: RegistryError.self) {
            try await registry.deleteVersion("orders-value", .number(2), permanent: false)
        }
        #expect(twice?.code == .schemaVersionSoftDeleted)
        #expect(try await registry.versions(of: "orders-value") == [1])
        #expect(try await registry.versions(of: "orders-value", includeDeleted: true) == [1, 2])
        let subjectNotSoft = await #expect(throws: RegistryError.self) {
            try await registry.deleteSubject("orders-value", permanent: true)
        }
        #expect(subjectNotSoft?.code == .subjectNotSoftDeleted)
        #expect(try await registry.deleteSubject("orders-value", permanent: false) == [1])
        #expect(try await registry.subjects() == [])
        #expect(try await registry.subjects(includeDeleted: true) == ["orders-value"])
        #expect(Set(try await registry.deleteSubject("orders-value", permanent: true)) == [1, 2])
        let gone = await #expect(throws: RegistryError.self) {
            try await registry.versions(of: "orders-value", includeDeleted: true)
        }
        #expect(gone?.code == .subjectNotFound)
        // The schema stays reachable by id after its subject is gone.
        #expect(try await registry.schema(id: 1).id == 1)
        let unknown = await #expect(throws: RegistryError.self) { try await registry.schema(id: 99) }
        #expect(unknown?.code == .schemaNotFound)
    }

    @Test("a soft-deleted latest version does not block registering a new one, and versions continue without reuse")
    func versionsAfterSoftDelete() async throws {
        _ = try await registry.register(subject: "s", SchemaInput(schema: v1))
        _ = try await registry.register(subject: "s", SchemaInput(schema: v2))
        _ = try await registry.deleteVersion("s", .number(2), permanent: false)
        let again = try await registry.register(subject: "s", SchemaInput(schema: v2))
        #expect(again.version == 3)
        #expect(again.schema.id == 2)
    }

    @Test("configuration and modes: per subject, global, defaults and READONLY refusals")
    func configuration() async throws {
        #expect(try await registry.compatibility(subject: nil) == .backward)
        let unset = await #expect(throws: RegistryError.self) { try await registry.compatibility(subject: "s") }
        #expect(unset?.code == .subjectLevelCompatibilityNotConfigured)
        #expect(try await registry.compatibility(subject: "s", defaultToGlobal: true) == .backward)
        try await registry.setCompatibility(.fullTransitive, subject: nil)
        try await registry.setCompatibility(.forward, subject: "s")
        #expect(try await registry.compatibility(subject: "s") == .forward)
        #expect(try await registry.effectiveCompatibility(subject: "t") == .fullTransitive)
        #expect(try await registry.mode(subject: nil) == .readWrite)
        try await registry.setMode(.readOnly, subject: "s")
        let refused = await #expect(throws: RegistryError.self) {
            try await registry.register(subject: "s", SchemaInput(schema: v1))
        }
        #expect(refused?.code == .operationNotPermitted)
        #expect(try await registry.deleteMode(subject: "s") == .readOnly)
        _ = try await registry.register(subject: "s", SchemaInput(schema: v1))
        let importRefused = await #expect(throws: RegistryError.self) {
            try await registry.setMode(.import, subject: nil)
        }
        #expect(importRefused?.code == .invalidMode)
    }

    @Test("IMPORT mode registers with the given id and version, without compatibility checks")
    func importMode() async throws {
        try await registry.setMode(.import, subject: nil)
        let imported = try await registry.register(subject: "s", SchemaInput(schema: v1, id: 42, version: 7))
        #expect(imported.schema.id == 42)
        #expect(imported.version == 7)
        let second = try await registry.register(subject: "s", SchemaInput(schema: breaking, id: 43, version: 8))
        #expect(second.version == 8)
        try await registry.setMode(.readWrite, subject: nil)
        let next = try await registry.register(subject: "t", SchemaInput(schema: v2))
        #expect(next.schema.id == 44)
    }

    @Test("versions parse as numbers or latest, anything else is 42202")
    func versionSelector() throws {
        #expect(try VersionSelector(parsing: "latest") == .latest)
        #expect(try VersionSelector(parsing: "-1") == .latest)
        #expect(try VersionSelector(parsing: "3") == .number(3))
        #expect(throws: RegistryError.self) { try VersionSelector(parsing: "0") }
        #expect(throws: RegistryError.self) { try VersionSelector(parsing: "abc") }
    }
}

@Suite("The registry's in-memory caches are bounded")
struct SchemaCacheTests {
    @Test(
        "at capacity the oldest entry makes way; memory holds at most `capacity` entries however many ids are asked for"
    )
    func evictsOldest() {
        let cache = SchemaCache<Int>(capacity: 3)
        func key(_ id: Int, _ context: String = ".") -> SchemaCache<Int>.Key { .init(context: context, id: id) }
        for id in 1...1_000 { cache.insert(id * 10, for: key(id)) }
        #expect(cache.count == 3)
        #expect(cache[key(998)] == 9_980 && cache[key(999)] == 9_990 && cache[key(1_000)] == 10_000)
        #expect(cache[key(997)] == nil && cache[key(1)] == nil)
        cache.insert(5, for: key(999))  // replacing keeps the count
        #expect(cache.count == 3 && cache[key(999)] == 5)
        // The same id in another context is another entry.
        #expect(cache[key(999, ".staging")] == nil)
    }
}
