import FerryCodec
import FerryRegistry
import Foundation
import ProcessTestSupport
import RegistryTestSupport
import Testing

/// Python with confluent-kafka: FERRY_PYTHON (default: the repository's .venv), see scripts/requirements.txt.
enum InteropPython {
    static let path = TestPaths.python

    /// Whether the interpreter can import confluent_kafka; CI (CI=true) runs the tests regardless, so a
    /// missing package fails there instead of being skipped.
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["CI"] != nil { return true }
        // Looked up on disk rather than by running python: a trait is evaluated synchronously.
        let lib = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("lib")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        return versions.contains {
            FileManager.default.fileExists(
                atPath: lib.path + "/\($0)/site-packages/confluent_kafka/schema_registry/protobuf.py"
            )
        }
    }()
}

@Suite(
    "Interop with confluent-kafka's schema-registry client and Protobuf serde",
    .enabled(if: InteropPython.available)
)
struct InteropTests {
    @Test("register, look up, check, configure, and exchange payloads both ways")
    func confluentKafka() async throws {
        let server = try await ServerProcess(arguments: ["--sqlite", TestEnvironment.temporarySQLitePath()])
        let client = HTTPRegistryClient(baseURL: server.baseURL)

        let demo = TestEnvironment.repositoryRoot.appendingPathComponent("Schemas/registry-demo")
        let descriptorSet = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-interop-\(UUID().uuidString).pb"
        )
        defer { try? FileManager.default.removeItem(at: descriptorSet) }
        try await TestEnvironment.run(
            "/usr/bin/protoc",
            [
                "-I", demo.path, "--include_imports", "--descriptor_set_out=\(descriptorSet.path)",
                "acme/events/orders.proto",
            ]
        )
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](try Data(contentsOf: descriptorSet)))
        let schema = try ProtobufSchema(descriptorSet: set)

        let order = OrderPlaced(orderID: 42, customer: "ada", total: 12.5, items: ["tea", "cake"])
        // Only the generated type and the registry URL: the schema comes from the descriptors the type embeds.
        let ferryBytes = try await RegistrySerializer<OrderPlaced>(client: client).serialize(
            order,
            topic: "ferry-events"
        )
        _ = schema

        // A second schema that imports another file: references on both sides.
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-interop-tree-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: tree) }
        try FileManager.default.createDirectory(
            at: tree.appendingPathComponent("acme/common"),
            withIntermediateDirectories: true
        )
        try FileManager.default.createDirectory(
            at: tree.appendingPathComponent("acme/shop"),
            withIntermediateDirectories: true
        )
        try Data(
            "syntax = \"proto3\";\npackage acme.common;\nmessage Money { int64 units = 1; string currency = 2; }\n".utf8
        )
        .write(to: tree.appendingPathComponent("acme/common/money.proto"))
        try Data(
            """
            syntax = "proto3";
            package acme.shop;
            import "acme/common/money.proto";
            message Invoice { string number = 1; acme.common.Money total = 2; }

            """.utf8
        ).write(to: tree.appendingPathComponent("acme/shop/invoice.proto"))
        let invoiceSetURL = tree.appendingPathComponent("invoice.pb")
        try await TestEnvironment.run(
            "/usr/bin/protoc",
            [
                "-I", tree.path, "--include_imports", "--descriptor_set_out=\(invoiceSetURL.path)",
                "acme/shop/invoice.proto",
            ]
        )
        let invoiceSchema = try ProtobufSchema(
            descriptorSet: try Google_Protobuf_FileDescriptorSet(
                serializedBytes: [UInt8](try Data(contentsOf: invoiceSetURL))
            )
        )
        var invoice = Invoice()
        invoice.number = "INV-2"
        var money = Money()
        money.units = 99
        money.currency = "USD"
        invoice.total = money
        let ferryInvoice = try await RegistrySerializer<Invoice>(client: client, schema: invoiceSchema).serialize(
            invoice,
            topic: "ferry-invoices"
        )

        let script = TestEnvironment.repositoryRoot.appendingPathComponent(
            "scripts/interop/confluent_kafka_registry.py"
        ).path
        let hex: ([UInt8]) -> String = { $0.map { String(format: "%02x", $0) }.joined() }
        let output = try await TestEnvironment.run(
            InteropPython.path,
            [script, server.baseURL, descriptorSet.path, hex(ferryBytes), invoiceSetURL.path, hex(ferryInvoice)]
        )
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            "\(output)"
        )

        #expect(result["registered_id"] as? Int == 4)
        #expect(result["registered_again_id"] as? Int == 4)
        #expect(result["fetched_type"] as? String == "PROTOBUF")
        #expect(result["fetched_has_order"] as? Bool == true)
        #expect(result["lookup_version"] as? Int == 1)
        #expect(result["lookup_id"] as? Int == 4)
        #expect(result["latest_version"] as? Int == 1)
        #expect(result["versions"] as? [Int] == [1])
        #expect(
            Set(result["subjects"] as? [String] ?? []) == [
                "acme/common/money.proto", "ferry-events-value", "ferry-invoices-value", "py-orders-value",
            ]
        )
        #expect(result["compatible_v2"] as? Bool == true)
        #expect(result["compatible_breaking"] as? Bool == false)
        #expect(result["breaking_error"] as? [Int] == [409, 409])
        #expect(result["global_level"] as? String == "BACKWARD")
        #expect(result["subject_level"] as? String == "FULL")

        let decoded = try #require(result["decoded_from_ferry"] as? [String: Any])
        #expect(decoded["order_id"] as? Int == 42)
        #expect(decoded["customer"] as? String == "ada")
        #expect(decoded["total"] as? Double == 12.5)
        #expect(decoded["items"] as? [String] == ["tea", "cake"])

        let pythonHex = try #require(result["python_payload_hex"] as? String)
        let pythonBytes = stride(from: 0, to: pythonHex.count, by: 2).compactMap { offset -> UInt8? in
            let start = pythonHex.index(pythonHex.startIndex, offsetBy: offset)
            return UInt8(pythonHex[start..<pythonHex.index(start, offsetBy: 2)], radix: 16)
        }
        let header = try ConfluentWireFormat.decode(pythonBytes).header
        #expect(header.messageIndexes == [0])
        let fromPython = try await RegistryDeserializer<OrderPlaced>(client: client).deserialize(pythonBytes)
        #expect(fromPython == OrderPlaced(orderID: 7, customer: "grace", total: 99.5, items: ["book", "pen"]))
        // The schema Python registered from its descriptor is the one Ferry registered from text.
        #expect(header.schemaID == (try ConfluentWireFormat.decode(ferryBytes).header.schemaID))

        #expect(
            result["invoice_references"] as? [[AnyHashable]] == [
                ["acme/common/money.proto", "acme/common/money.proto", 1]
            ]
        )
        #expect(result["invoice_from_ferry"] as? [AnyHashable] == ["INV-2", 99, "USD"])
        let invoiceHex = try #require(result["python_invoice_hex"] as? String)
        let invoiceBytes = stride(from: 0, to: invoiceHex.count, by: 2).compactMap { offset -> UInt8? in
            let start = invoiceHex.index(invoiceHex.startIndex, offsetBy: offset)
            return UInt8(invoiceHex[start..<invoiceHex.index(start, offsetBy: 2)], radix: 16)
        }
        let fromPythonInvoice = try await RegistryDeserializer<Invoice>(client: client).deserialize(invoiceBytes)
        #expect(fromPythonInvoice.number == "INV-1")
        #expect(fromPythonInvoice.total?.units == 1250 && fromPythonInvoice.total?.currency == "EUR")
        #expect(
            try ConfluentWireFormat.decode(invoiceBytes).header.schemaID
                == (try ConfluentWireFormat.decode(ferryInvoice).header.schemaID)
        )
        await server.stop()
    }

    @Test("confluent-kafka's listing calls: subject prefix, deleted, deleted_only, offset and limit; GET /schemas")
    func listing() async throws {
        let server = try await ServerProcess(arguments: ["--sqlite", TestEnvironment.temporarySQLitePath()])
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/interop/confluent_kafka_listing.py")
            .path
        let output = try await TestEnvironment.run(InteropPython.path, [script, server.baseURL])
        await server.stop()
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            "\(output)"
        )
        #expect(result["subjects"] as? [String] == ["a-orders", "b-users"])
        #expect(result["prefix"] as? [String] == ["a-orders"])
        #expect(result["deleted"] as? [String] == ["a-orders", "a-payments", "b-users"])
        #expect(result["deleted_only"] as? [String] == ["a-payments"])
        #expect(result["page"] as? [String] == ["a-payments"])
        #expect(result["versions"] as? [Int] == [2])
        #expect(result["versions_deleted"] as? [Int] == [1, 2])
        #expect(result["versions_deleted_only"] as? [Int] == [1])
        #expect(
            result["schemas"] as? [[AnyHashable]] == [["a-orders", 2, 2, "PROTOBUF"], ["b-users", 1, 3, "PROTOBUF"]]
        )
        #expect(result["schemas_latest_a"] as? [[AnyHashable]] == [["a-orders", 2]])
        #expect(
            result["schemas_deleted"] as? [[AnyHashable]] == [
                ["a-orders", 1], ["a-orders", 2], ["a-payments", 1], ["b-users", 1],
            ]
        )
        #expect(result["schemas_page"] as? [[AnyHashable]] == [["b-users", 1]])
    }

    @Test(
        """
        data contracts through confluent-kafka's client: metadata and rules stored, \
        inherited, part of identity, latest-with-metadata
        """
    )
    func dataContracts() async throws {
        let result = try await Self.runScript("confluent_kafka_contracts.py")
        #expect(result["latest_version"] as? Int == 1)
        #expect(result["latest_properties"] as? [String: String] == ["owner": "payments", "app.version": "1"])
        #expect(result["latest_tags"] as? [String: [String]] == ["Order.email": ["PII"]])
        #expect(result["latest_sensitive"] as? [String] == ["secret"])
        #expect(
            result["domain_rules"] as? [[String]] == [
                ["positiveTotal", "CONDITION", "WRITE", "CEL", "message.total > 0.0", "ERROR"],
                ["encryptPII", "TRANSFORM", "WRITEREAD", "ENCRYPT", "", ""],
            ]
        )
        #expect(result["encrypt_params"] as? [String: String] == ["encrypt.kek.name": "kek1"])
        #expect(result["encrypt_tags"] as? [String] == ["PII"])
        #expect(result["migration_rules"] as? [String] == ["renameTotal"])
        let first = try #require(result["first_id"] as? Int)
        #expect(result["again_id"] as? Int == first)
        #expect(result["second_id"] as? Int != first)
        #expect(result["versions"] as? [Int] == [1, 2])
        #expect(result["with_metadata_v1"] as? Int == 1)
        #expect(result["with_metadata_v2"] as? Int == 2)
        #expect(result["with_metadata_missing"] as? Int == 40403)
        #expect(result["lookup_plain"] as? Int == 2)
        #expect(result["lookup_v1"] as? Int == 1)
        #expect(result["by_id_owner"] as? String == "payments")
        #expect(result["by_id_rules"] as? [String] == ["positiveTotal", "encryptPII"])
        #expect(result["bad_rule"] as? [Int] == [422, 42201])
    }

    @Test(
        "confluent-kafka's client registers into a context, reads an id in its context, lists contexts, sets a context's level, works under a base context path"
    )
    func contexts() async throws {
        let result = try await Self.runScript("confluent_kafka_contexts.py")
        #expect(result["staged_id"] as? Int == 1)
        #expect(result["default_id"] as? Int == 1)
        #expect(result["staged_has_note"] as? Bool == false)
        #expect(result["default_has_note"] as? Bool == true)
        #expect(result["contexts"] as? [String] == [".", ".staging"])
        #expect(result["subjects"] as? [String] == [":.staging:orders-value", "orders-value"])
        #expect(result["latest"] as? [AnyHashable] == [":.staging:orders-value", 1, 1])
        #expect(result["lookup_id"] as? Int == 1)
        #expect(result["staged_accepts_breaking"] as? Bool == true)
        #expect(result["default_accepts_breaking"] as? Bool == false)
        #expect(result["malformed"] as? [Int] == [422, 42208])
        #expect(result["linked_id"] as? Int == 1)
        #expect(result["linked_has_note"] as? Bool == false)
        #expect(result["linked_subjects"] as? [String] == [":.linked:orders-value"])
    }

    /// Runs `scripts/interop/NAME` against a fresh registry on SQLite and returns the JSON object it prints.
    static func runScript(_ name: String) async throws -> [String: Any] {
        let server = try await ServerProcess(arguments: ["--sqlite", TestEnvironment.temporarySQLitePath()])
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/interop/" + name).path
        let output: String
        do {
            output = try await TestEnvironment.run(InteropPython.path, [script, server.baseURL])
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
    }
}
