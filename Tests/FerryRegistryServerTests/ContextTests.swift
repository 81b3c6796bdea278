import FerryRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RegistryTestSupport
import Testing

@testable import FerryRegistryServer

/// Confluent's schema contexts (`:.context:subject`): separate spaces of subjects and ids in one
/// registry, on every storage backend and through the REST API.
@Suite("Schema contexts", .serialized)
struct ContextTests {
    static let holder = """
        syntax = "proto3";
        package acme;
        import "order.proto";
        message Holder { acme.Order order = 1; }
        """

    @Test(
        "each context has its own ids; the same id in two contexts is two schemas; references and settings stay in their context",
        arguments: Backend.allCases
    )
    func separateIDSpaces(_ backend: Backend) async throws {
        try await Self.withRegistry(backend) { registry in try await Self.separateIDSpaces(registry) }
    }

    /// Runs `body` on a registry over a fresh store of `backend`, and closes the store however it ends.
    static func withRegistry(_ backend: Backend, _ body: (SchemaRegistry) async throws -> Void) async throws {
        let store = try await backend.makeStore()
        do {
            try await body(SchemaRegistry(store: store))
        } catch {
            if let store = store as? SQLSchemaStore { await store.close() }
            throw error
        }
        if let store = store as? SQLSchemaStore { await store.close() }
    }

    static func separateIDSpaces(_ registry: SchemaRegistry) async throws {
        // A context registering first takes nothing from the default context's ids.
        #expect(try await registry.register(subject: ":.early:x-value", SchemaInput(schema: orderV1)).schema.id == 1)
        let first = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV1))
        let second = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV2))
        #expect(first.schema.id == 1 && second.schema.id == 2)

        // A context counts its own ids from 1, whatever the default context holds.
        let staged = try await registry.register(subject: ":.staging:orders-value", SchemaInput(schema: orderV2))
        #expect(staged.subject == ":.staging:orders-value")
        #expect(staged.schema.id == 1 && staged.version == 1 && staged.schema.context == ".staging")
        let other = try await registry.register(subject: ":.staging:other-value", SchemaInput(schema: orderV1))
        #expect(other.schema.id == 2)
        // The same schema under two subjects of a context shares its id there.
        let shared = try await registry.register(subject: ":.staging:copy-value", SchemaInput(schema: orderV2))
        #expect(shared.schema.id == 1)
        // `:.:subject` is the default context's subject.
        #expect(try await registry.register(subject: ":.:orders-value", SchemaInput(schema: orderV1)) == first)

        // Id 1 is orderV1 in the default context and orderV2 in `.staging`.
        #expect(try await registry.schema(id: 1).text == first.schema.text)
        #expect(try await registry.schema(id: 1, context: ".staging").text == second.schema.text)
        let missing = await #expect(throws: RegistryError.self) {
            try await registry.schema(id: 3, context: ".staging")
        }
        #expect(missing?.code == .schemaNotFound)
        #expect(
            try await registry.subjectVersions(schemaID: 1, context: ".staging").map(\.subject) == [
                ":.staging:copy-value", ":.staging:orders-value",
            ]
        )
        #expect(try await registry.subjectVersions(schemaID: 1).map(\.subject) == ["orders-value"])
        #expect(try await registry.contexts() == [".", ".early", ".staging"])
        #expect(
            try await registry.subjects() == [
                ":.early:x-value", ":.staging:copy-value", ":.staging:orders-value", ":.staging:other-value",
                "orders-value",
            ]
        )
        #expect(try await registry.subjects(prefix: ":.staging:o", deleted: .excluded).count == 2)
        #expect(
            try await registry.subjects(prefix: ":*:orders", deleted: .excluded) == [
                ":.staging:orders-value", "orders-value",
            ]
        )

        // A reference without a context names a subject of the referring subject's context.
        let holder = try await registry.register(
            subject: ":.staging:holder-value",
            SchemaInput(
                schema: Self.holder,
                references: [SchemaReference(name: "order.proto", subject: "orders-value", version: 1)]
            )
        )
        #expect(holder.schema.references.map(\.subject) == [":.staging:orders-value"])
        #expect(try await registry.referencedBy(subject: ":.staging:orders-value", .number(1)) == [holder.schema.id])
        #expect(try await registry.referencedBy(subject: "orders-value", .number(1)).isEmpty)

        // A level set on the context applies to its subjects only.
        try await registry.setCompatibility(.none, subject: ":.staging:")
        _ = try await registry.register(subject: ":.staging:orders-value", SchemaInput(schema: orderBreaking))
        let refused = await #expect(throws: RegistryError.self) {
            try await registry.register(subject: "orders-value", SchemaInput(schema: orderBreaking))
        }
        #expect(refused?.code == .incompatibleSchema)

        // IMPORT into a context takes ids the default context already uses for other schemas.
        try await registry.setMode(.import, subject: ":.linked:")
        let imported = try await registry.register(
            subject: ":.linked:orders-value",
            SchemaInput(schema: orderV1, id: 2, version: 1)
        )
        #expect(imported.schema.id == 2 && imported.schema.context == ".linked")
        #expect(try await registry.schema(id: 2).text == second.schema.text)
        let clash = await #expect(throws: RegistryError.self) {
            try await registry.register(
                subject: ":.linked:other-value",
                SchemaInput(schema: orderV2, id: 2, version: 1)
            )
        }
        #expect(clash?.code == .schemaIDInUse)

        for malformed in [":staging:orders-value", ":.staging", ":.staging:"] {
            let invalid = await #expect(throws: RegistryError.self, "\(malformed)") {
                try await registry.register(subject: malformed, SchemaInput(schema: orderV1))
            }
            #expect(invalid?.code == .invalidSubject, "\(malformed)")
        }
    }

    @Test(
        "registrations racing into one new context get distinct ids (the losers of the unique index run again)",
        arguments: [Backend.sqlite, .postgres]
    )
    func concurrentIDs(_ backend: Backend) async throws {
        try await Self.withRegistry(backend) { registry in
            let ids = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let text = "syntax = \"proto3\";\npackage acme;\nmessage M\(index) { int64 id = 1; }\n"
                        return try await registry.register(subject: ":.race:s\(index)", SchemaInput(schema: text))
                            .schema.id
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(ids.sorted() == Array(1...8))
        }
    }

    @Test("the REST API: qualified subjects in paths, ?subject= picks an id's context, GET /contexts, context config")
    func restAPI() async throws {
        let rest = RESTAPITests()
        try await rest.withServer { client in
            @Sendable func call(
                _ method: HTTPRequest.Method,
                _ uri: String,
                _ body: [String: String]? = nil
            ) async throws -> (status: Int, json: Any) {
                let answer = try await rest.call(client, method, uri, body)
                return (answer.status, answer.json)
            }
            let schema = ["schema": orderV1, "schemaType": "PROTOBUF"]
            let schema2 = ["schema": orderV2, "schemaType": "PROTOBUF"]
            #expect(
                (try await call(.post, "/subjects/orders-value/versions", schema2).json as? [String: Any])?["id"]
                    as? Int == 1
            )
            let staged = try await call(.post, "/subjects/:.staging:orders-value/versions", schema)
            #expect((staged.json as? [String: Any])?["id"] as? Int == 1)
            #expect(try await call(.get, "/contexts").json as? [String] == [".", ".staging"])
            #expect(
                try await call(.get, "/subjects").json as? [String] == [":.staging:orders-value", "orders-value"]
            )
            #expect(
                try await call(.get, "/subjects?subjectPrefix=:.staging:").json as? [String] == [
                    ":.staging:orders-value"
                ]
            )
            let latest = try await call(.get, "/subjects/:.staging:orders-value/versions/latest")
            #expect((latest.json as? [String: Any])?["subject"] as? String == ":.staging:orders-value")
            // Id 1 differs by context; the subject parameter names the context.
            let plain = try await call(.get, "/schemas/ids/1")
            let inContext = try await call(.get, "/schemas/ids/1?subject=:.staging:orders-value")
            #expect(((plain.json as? [String: Any])?["schema"] as? String)?.contains("note") == true)
            #expect(((inContext.json as? [String: Any])?["schema"] as? String)?.contains("note") == false)
            #expect(
                try await call(.get, "/schemas/ids/1/subjects?subject=:.staging:").json as? [String] == [
                    ":.staging:orders-value"
                ]
            )
            // Configuration on the context.
            #expect(try await call(.put, "/config/:.staging:", ["compatibility": "NONE"]).status == 200)
            let check = try await call(
                .post,
                "/compatibility/subjects/:.staging:orders-value/versions/latest",
                ["schema": orderBreaking, "schemaType": "PROTOBUF"]
            )
            #expect((check.json as? [String: Any])?["is_compatible"] as? Bool == true)
            let bad = try await call(.post, "/subjects/:staging:orders-value/versions", schema)
            #expect(bad.status == 422)
            #expect((bad.json as? [String: Any])?["error_code"] as? Int == 42208)
        }
    }

    @Test(
        "a base context path is rewritten into qualified subjects, id look-ups and listings of that context",
        arguments: [
            ("/contexts/.staging/subjects/orders/versions", "/subjects/:.staging:orders/versions"),
            ("/contexts/staging/subjects", "/subjects?subjectPrefix=:.staging:"),
            (
                "/contexts/.staging/subjects?subjectPrefix=ord&deleted=true",
                "/subjects?subjectPrefix=:.staging:ord&deleted=true"
            ),
            ("/contexts/.staging/schemas/ids/1", "/schemas/ids/1?subject=:.staging:"),
            (
                "/contexts/.staging/schemas/ids/1/versions?subject=orders",
                "/schemas/ids/1/versions?subject=:.staging:orders"
            ),
            ("/contexts/.staging/schemas?latestOnly=true", "/schemas?latestOnly=true&subjectPrefix=:.staging:"),
            ("/contexts/.staging/config", "/config/:.staging:"),
            ("/contexts/:.staging:/mode/orders", "/mode/:.staging:orders"),
            (
                "/contexts/.staging/compatibility/subjects/o/versions/latest",
                "/compatibility/subjects/:.staging:o/versions/latest"
            ),
            ("/contexts/.staging/subjects/:.other:x/versions", "/subjects/:.other:x/versions"),
            ("/contexts/./subjects/x/versions", "/subjects/x/versions"),
            ("/contexts/./config", "/config"),
        ]
    )
    func baseContextPath(_ target: String, _ rewritten: String) throws {
        #expect(try ContextPath.rewrite(target) == rewritten)
    }

    @Test("only a path under /contexts/{context}/ is rewritten; a context name with a colon inside is refused")
    func baseContextPathEdges() throws {
        for untouched in ["/contexts", "/contexts/.staging", "/subjects/x/versions", "/schemas/ids/1"] {
            #expect(try ContextPath.rewrite(untouched) == nil, "\(untouched)")
        }
        let refused = #expect(throws: RegistryError.self) { try ContextPath.rewrite("/contexts/a:b/subjects") }
        #expect(refused?.code == .invalidSubject)
    }

    @Test(
        "a Swift producer and consumer pointed at /contexts/.staging serialize into that context"
    )
    func clientsOnBaseContextPath() async throws {
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        // Id 1 of the default context is another schema.
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV2))
        try await RegistryServer.serving(registry) { url in
            let client = HTTPRegistryClient(baseURL: url + "/contexts/.staging")
            let order = OrderPlaced(orderID: 7, customer: "ada", total: 3, items: ["tea"])
            let bytes = try await RegistrySerializer<OrderPlaced>(client: client).serialize(order, topic: "orders")
            #expect(try ConfluentWireFormat.decode(bytes).header.schemaID == 1)
            #expect(try await RegistryDeserializer<OrderPlaced>(client: client).deserialize(bytes) == order)
            let stored = try await registry.version(of: ":.staging:orders-value", .latest)
            #expect(stored.schema.id == 1 && stored.schema.text.contains("message OrderPlaced"))
            #expect(try await registry.schema(id: 1).text.contains("note"))
        }
    }
}
