import FerryCodec
import FerryRegistry
import FerryRegistryServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Runs HTTPRegistryClient over HummingbirdTesting's client.
struct TestClientTransport: RegistryTransport {
    let client: any TestClientProtocol

    func send(_ request: RegistryHTTPRequest) async throws(RegistryError) -> (status: Int, body: [UInt8]) {
        do {
            let response = try await client.executeRequest(
                uri: request.path,
                method: HTTPRequest.Method(request.method) ?? .get,
                headers: [.contentType: RegistryJSON.contentType],
                body: request.body.map { ByteBuffer(bytes: $0) }
            )
            return (response.status.code, Array(buffer: response.body))
        } catch {
            throw RegistryError(.transportError, "\(error)")
        }
    }
}

@Suite("Confluent REST API")
struct RESTAPITests {
    func withServer(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = RegistryServer.makeApplication(
            registry: SchemaRegistry(store: InMemorySchemaStore()),
            host: "127.0.0.1",
            port: 0
        )
        try await app.test(.router) { client in try await test(client) }
    }

    struct Answer {
        var status: Int
        var json: Any
        var text: String
        var contentType: String?

        var errorCode: Int? { (json as? [String: Any])?["error_code"] as? Int }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    func call(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ uri: String,
        _ body: Any? = nil
    ) async throws -> Answer {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await client.executeRequest(
            uri: uri,
            method: method,
            headers: [.contentType: RegistryJSON.contentType],
            body: data.map { ByteBuffer(bytes: $0) }
        )
        let text = String(buffer: response.body)
        let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
        return Answer(status: response.status.code, json: json, text: text, contentType: response.headers[.contentType])
    }

    @Test("register, read back, look up and list, with Confluent's shapes and content type")
    func basics() async throws {
        try await withServer { client in
            let registered = try await call(
                client,
                .post,
                "/subjects/orders-value/versions",
                ["schema": orderV1, "schemaType": "PROTOBUF"]
            )
            #expect(registered.status == 200)
            #expect(registered.object["id"] as? Int == 1)
            #expect(registered.contentType == RegistryJSON.contentType)
            let latest = try await call(client, .get, "/subjects/orders-value/versions/latest")
            #expect(latest.object["schemaType"] as? String == "PROTOBUF")
            #expect(latest.object["version"] as? Int == 1)
            #expect(latest.object["subject"] as? String == "orders-value")
            #expect((latest.object["schema"] as? String)?.contains("message Order") == true)
            let raw = try await call(client, .get, "/subjects/orders-value/versions/1/schema")
            #expect(raw.text.hasPrefix("syntax = \"proto3\";"))
            #expect(try await call(client, .get, "/subjects").json as? [String] == ["orders-value"])
            #expect(try await call(client, .get, "/subjects/orders-value/versions").json as? [Int] == [1])
            let found = try await call(
                client,
                .post,
                "/subjects/orders-value",
                ["schema": orderV1, "schemaType": "PROTOBUF"]
            )
            #expect(found.object["id"] as? Int == 1)
            let byID = try await call(client, .get, "/schemas/ids/1")
            #expect(byID.object["schemaType"] as? String == "PROTOBUF")
            let pairs = try #require(try await call(client, .get, "/schemas/ids/1/versions").json as? [[String: Any]])
            #expect(pairs.count == 1)
            #expect(pairs.first?["subject"] as? String == "orders-value")
            #expect(pairs.first?["version"] as? Int == 1)
            #expect(try await call(client, .get, "/schemas/ids/1/subjects").json as? [String] == ["orders-value"])
            #expect(try await call(client, .get, "/schemas/types").json as? [String] == ["PROTOBUF"])
            let serialized = try await call(client, .get, "/schemas/ids/1?format=serialized")
            let base64 = try #require(serialized.object["schema"] as? String)
            let file = try Google_Protobuf_FileDescriptorProto(
                serializedBytes: [UInt8](try #require(Data(base64Encoded: base64)))
            )
            #expect(file.messageType.first?.name == "Order")
        }
    }

    @Test(
        "every documented error code",
        arguments: [
            ("GET", "/subjects/nope/versions", nil, 404, 40401),
            ("GET", "/subjects/orders-value/versions/9", nil, 404, 40402),
            ("GET", "/schemas/ids/99", nil, 404, 40403),
            ("POST", "/subjects/orders-value", ["schema": orderV2, "schemaType": "PROTOBUF"], 404, 40403),
            ("POST", "/subjects/orders-value/versions", ["schema": orderBreaking, "schemaType": "PROTOBUF"], 409, 409),
            ("POST", "/subjects/orders-value/versions", ["schema": "message {", "schemaType": "PROTOBUF"], 422, 42201),
            ("GET", "/subjects/orders-value/versions/abc", nil, 422, 42202),
            ("PUT", "/config", ["compatibility": "SIDEWAYS"], 422, 42203),
            ("PUT", "/mode", ["mode": "WRITEONLY"], 422, 42204),
            ("DELETE", "/subjects/orders-value?permanent=true", nil, 404, 40405),
            ("DELETE", "/subjects/orders-value/versions/1?permanent=True", nil, 404, 40407),
            ("GET", "/config/orders-value", nil, 404, 40408),
            ("GET", "/no/such/endpoint", nil, 404, 404),
        ] as [(String, String, [String: String]?, Int, Int)]
    )
    func errors(_ method: String, _ uri: String, _ body: [String: String]?, _ status: Int, _ code: Int) async throws {
        try await withServer { client in
            _ = try await call(
                client,
                .post,
                "/subjects/orders-value/versions",
                ["schema": orderV1, "schemaType": "PROTOBUF"]
            )
            let answer = try await call(client, HTTPRequest.Method(method) ?? .get, uri, body)
            #expect(answer.status == status, "\(answer.text)")
            #expect(answer.errorCode == code, "\(answer.text)")
            #expect(answer.contentType == RegistryJSON.contentType)
            if code == 409 { #expect(answer.text.contains("FIELD_SCALAR_KIND_CHANGED")) }
            if code == 42201 { #expect(answer.text.contains("Expected")) }
        }
    }

    @Test("READONLY refuses writes with 42205; references block deletion with 42206")
    func modesAndReferences() async throws {
        try await withServer { client in
            _ = try await call(
                client,
                .post,
                "/subjects/money%2Fmoney.proto/versions",
                [
                    "schema": "syntax = \"proto3\"; package acme; message Money { int64 units = 1; }",
                    "schemaType": "PROTOBUF",
                ]
            )
            #expect(try await call(client, .get, "/subjects").json as? [String] == ["money/money.proto"])
            let order = try await call(
                client,
                .post,
                "/subjects/orders-value/versions",
                [
                    "schema":
                        """
                    syntax = \"proto3\"; package acme; import \
                    \"money/money.proto\"; message Order { Money total = 1; }
                    """,
                    "schemaType": "PROTOBUF",
                    "references": [["name": "money/money.proto", "subject": "money/money.proto", "version": 1]],
                ] as [String: Any]
            )
            #expect(order.status == 200, "\(order.text)")
            #expect(
                try await call(client, .get, "/subjects/money%2Fmoney.proto/versions/1/referencedby").json as? [Int]
                    == [2]
            )
            let referenced = try await call(client, .delete, "/subjects/money%2Fmoney.proto")
            #expect(referenced.errorCode == 42206)
            #expect(
                try await call(client, .put, "/mode/orders-value", ["mode": "READONLY"]).object["mode"] as? String
                    == "READONLY"
            )
            let refused = try await call(
                client,
                .post,
                "/subjects/orders-value/versions",
                ["schema": orderV1, "schemaType": "PROTOBUF"]
            )
            #expect(refused.errorCode == 42205)
            #expect(try await call(client, .get, "/mode/orders-value").object["mode"] as? String == "READONLY")
            #expect(try await call(client, .get, "/mode").object["mode"] as? String == "READWRITE")
        }
    }

    @Test("compatibility checks, config and deletion through the HTTP client")
    func throughClient() async throws {
        try await withServer { testClient in
            let client = HTTPRegistryClient(transport: TestClientTransport(client: testClient))
            let id = try await client.registerSchema(subject: "orders-value", SchemaInput(schema: orderV1))
            #expect(id == 1)
            #expect(
                try await client.compatibilityProblems(
                    subject: "orders-value",
                    version: .latest,
                    SchemaInput(schema: orderV2)
                ).isEmpty
            )
            let problems = try await client.compatibilityProblems(
                subject: "orders-value",
                version: nil,
                SchemaInput(schema: orderBreaking)
            )
            #expect(problems.count == 1 && problems[0].contains("#/Order/1"))
            #expect(try await client.compatibility(subject: nil) == .backward)
            try await client.setCompatibility(.fullTransitive, subject: "orders-value")
            #expect(try await client.compatibility(subject: "orders-value") == .fullTransitive)
            #expect(try await client.descriptor(id: 1).messageType.first?.name == "Order")
            #expect(try await client.lookupSchema(subject: "orders-value", SchemaInput(schema: orderV1)).version == 1)
            let soft = try await call(testClient, .delete, "/subjects/orders-value")
            #expect(soft.json as? [Int] == [1])
            #expect(try await call(testClient, .get, "/subjects?deleted=true").json as? [String] == ["orders-value"])
            #expect(try await call(testClient, .delete, "/subjects/orders-value?permanent=true").json as? [Int] == [1])
            #expect(try await call(testClient, .get, "/subjects?deleted=True").json as? [String] == [])
        }
    }

    @Test(
        """
        data contracts through the Swift client: sent, returned, \
        latest-with-metadata; /v1/metadata/id; ?normalize accepted
        """
    )
    func contractsThroughClient() async throws {
        try await withServer { testClient in
            let client = HTTPRegistryClient(transport: TestClientTransport(client: testClient), caching: false)
            let metadata = SchemaMetadata(properties: ["app.version": "7", "owner": "a/b c"])
            let rules = SchemaRuleSet(domainRules: [
                SchemaRule(name: "r", kind: "CONDITION", mode: "WRITE", type: "CEL", expr: "true")
            ])
            let id = try await client.registerSchema(
                subject: "orders-value",
                SchemaInput(schema: orderV1, metadata: metadata, ruleSet: rules)
            )
            let stored = try await client.schema(id: id)
            #expect(stored.metadata == metadata && stored.ruleSet == rules)
            let latest = try await client.latestVersion(
                subject: "orders-value",
                withMetadata: ["owner": "a/b c", "app.version": "7"]
            )
            #expect(latest.version == 1 && latest.schema.ruleSet == rules)
            let missing = await #expect(throws: RegistryError.self) {
                try await client.latestVersion(subject: "orders-value", withMetadata: ["app.version": "8"])
            }
            #expect(missing?.code == .schemaNotFound)
            let cluster = try await call(testClient, .get, "/v1/metadata/id").json as? [String: Any]
            #expect(
                (cluster?["scope"] as? [String: Any])?["clusters"] as? [String: String] == [
                    "schema-registry-cluster": "ferry-registry"
                ]
            )
            // Ferry stores every schema in canonical form, so normalize=true changes nothing.
            let body = try JSONSerialization.data(withJSONObject: ["schema": orderV2, "schemaType": "PROTOBUF"])
            let normalized = try await testClient.executeRequest(
                uri: "/subjects/orders-value/versions?normalize=true",
                method: .post,
                headers: [.contentType: RegistryJSON.contentType],
                body: ByteBuffer(bytes: body)
            )
            #expect(normalized.status.code == 200)
            #expect(
                try await client.version(subject: "orders-value", .latest).schema.metadata == metadata,
                "inherited by version 2"
            )
        }
    }
}
