import FerryCodec
import Foundation
import RegistryTestSupport
import Synchronization
import Testing

@testable import FerryRegistry
@testable import FerryRegistryClient

@Suite("Confluent wire format, subject names, serializer and deserializer")
struct PayloadTests {
    @Test("headers encode as Confluent writes them: [0] is a single 0, other paths a zigzag count and indexes")
    func headerBytes() throws {
        let single = ConfluentWireFormat.encode(.init(schemaID: 1, messageIndexes: [0]), payload: [0x08, 0x01])
        #expect(single == [0, 0, 0, 0, 1, 0, 0x08, 0x01])
        let nested = ConfluentWireFormat.encode(.init(schemaID: 0x0102_0304, messageIndexes: [1, 0]), payload: [])
        #expect(nested == [0, 1, 2, 3, 4, 4, 2, 0])
        let deep = ConfluentWireFormat.encode(.init(schemaID: 7, messageIndexes: [70]), payload: [9])
        #expect(deep == [0, 0, 0, 0, 7, 2, 0x8C, 0x01, 9])
        for (bytes, header) in [(single, [0]), (nested, [1, 0]), (deep, [70])] {
            let decoded = try ConfluentWireFormat.decode(bytes)
            #expect(decoded.header.messageIndexes == header)
        }
        #expect(Array(try ConfluentWireFormat.decode(deep).payload) == [9])
        #expect(try ConfluentWireFormat.decode(nested).header.schemaID == 0x0102_0304)
    }

    @Test(
        "malformed frames are refused with the right code",
        arguments: [
            ([UInt8](), PayloadError.Code.truncated),
            ([1, 0, 0, 0, 1, 0], .wrongMagicByte),
            ([0x7B, 0x22], .wrongMagicByte),
            ([0, 0, 0], .truncated),
            ([0, 0, 0, 0, 1], .truncated),
            ([0, 0, 0, 0, 1, 4, 2], .truncated),
            ([0, 0, 0, 0, 1, 0x80], .truncated),
            ([0, 0, 0, 0, 1, 2, 1], .truncated),
        ]
    )
    func malformed(_ bytes: [UInt8], _ code: PayloadError.Code) {
        let error = #expect(throws: PayloadError.self) { try ConfluentWireFormat.decode(bytes) }
        #expect(error?.code == code)
    }

    @Test("subject name strategies")
    func strategies() {
        #expect(
            SubjectNameStrategy.topicName.subject(topic: "orders", isKey: false, recordName: "acme.A") == "orders-value"
        )
        #expect(
            SubjectNameStrategy.topicName.subject(topic: "orders", isKey: true, recordName: "acme.A") == "orders-key"
        )
        #expect(SubjectNameStrategy.recordName.subject(topic: "orders", isKey: false, recordName: "acme.A") == "acme.A")
        #expect(
            SubjectNameStrategy.topicRecordName.subject(topic: "orders", isKey: true, recordName: "acme.A")
                == "orders-acme.A"
        )
    }

    @Test("a message round-trips through the serializer and deserializer with auto-registration")
    func roundTrip() async throws {
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let schema = try await DemoSchema.schema()
        let serializer = try RegistrySerializer<OrderPlaced>(client: registry, schema: schema)
        let order = OrderPlaced(orderID: 42, customer: "ada", total: 12.5, items: ["tea", "cake"])
        let bytes = try await serializer.serialize(order, topic: "orders")
        #expect(Array(bytes.prefix(6)) == [0, 0, 0, 0, 1, 0])
        #expect(try await registry.versions(of: "orders-value") == [1])
        let decoded = try await RegistryDeserializer<OrderPlaced>(client: registry).deserialize(bytes)
        #expect(decoded == order)

        let detail = try RegistrySerializer<CancellationDetail>(
            client: registry,
            schema: schema,
            configuration: .init(subjectNameStrategy: .recordName)
        )
        let detailBytes = try await detail.serialize(CancellationDetail(note: "late"), topic: "orders")
        #expect(Array(detailBytes.prefix(8)) == [0, 0, 0, 0, 1, 4, 2, 0])
        #expect(try await registry.versions(of: "acme.events.OrderCancelled.Detail") == [1])
        #expect(
            try await RegistryDeserializer<CancellationDetail>(client: registry).deserialize(detailBytes).note == "late"
        )
    }

    @Test("one deserializer reads whichever registered type wrote each payload of a topic")
    func anyType() async throws {
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let strategy = RegistrySerializer<OrderPlaced>.Configuration(subjectNameStrategy: .topicRecordName)
        let order = OrderPlaced(orderID: 7, customer: "grace", total: 2, items: ["pen"])
        let orderBytes = try await RegistrySerializer<OrderPlaced>(client: registry, configuration: strategy).serialize(
            order,
            topic: "orders"
        )
        let detail = CancellationDetail(note: "late")
        let detailBytes = try await RegistrySerializer<CancellationDetail>(
            client: registry,
            configuration: .init(subjectNameStrategy: .topicRecordName)
        ).serialize(detail, topic: "orders")

        let both = AnyRegistryDeserializer(
            client: registry,
            types: MessageTypeRegistry([OrderPlaced.self, CancellationDetail.self])
        )
        #expect(try await both.deserialize(orderBytes) as? OrderPlaced == order)
        #expect(try await both.deserialize(detailBytes) as? CancellationDetail == detail)

        let ordersOnly = AnyRegistryDeserializer(client: registry, types: MessageTypeRegistry([OrderPlaced.self]))
        let unknown = await #expect(throws: PayloadError.self) { try await ordersOnly.deserialize(detailBytes) }
        #expect(unknown?.code == .wrongMessageType)
        #expect(unknown?.message.contains("acme.events.OrderCancelled.Detail") == true)
    }

    @Test("the deserializer names the error: wrong message type, unknown id, bad payload")
    func deserializerErrors() async throws {
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let serializer = try RegistrySerializer<OrderPlaced>(client: registry, schema: try await DemoSchema.schema())
        let bytes = try await serializer.serialize(
            OrderPlaced(orderID: 1, customer: "x", total: 1, items: []),
            topic: "t"
        )
        let wrongType = await #expect(throws: PayloadError.self) {
            try await RegistryDeserializer<CancellationDetail>(client: registry).deserialize(bytes)
        }
        #expect(wrongType?.code == .wrongMessageType)
        #expect(wrongType?.message.contains("acme.events.OrderPlaced") == true)
        var unknownID = bytes
        unknownID[4] = 99
        let unknown = await #expect(throws: PayloadError.self) {
            try await RegistryDeserializer<OrderPlaced>(client: registry).deserialize(unknownID)
        }
        #expect(unknown?.code == .unknownSchemaID)
        let badIndex = ConfluentWireFormat.encode(.init(schemaID: 1, messageIndexes: [5]), payload: [])
        let noMessage = await #expect(throws: PayloadError.self) {
            try await RegistryDeserializer<OrderPlaced>(client: registry).deserialize(badIndex)
        }
        #expect(noMessage?.code == .wrongMessageType)
        let garbage = ConfluentWireFormat.encode(.init(schemaID: 1, messageIndexes: [0]), payload: [0x0A, 0x05, 0x01])
        let invalid = await #expect(throws: PayloadError.self) {
            try await RegistryDeserializer<OrderPlaced>(client: registry).deserialize(garbage)
        }
        #expect(invalid?.code == .invalidMessage)
    }

    @Test("auto-register off looks up only; use-latest takes the subject's latest id")
    func registrationModes() async throws {
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let schema = try await DemoSchema.schema()
        let lookupOnly = try RegistrySerializer<OrderPlaced>(
            client: registry,
            schema: schema,
            configuration: .init(autoRegister: false)
        )
        let refused = await #expect(throws: PayloadError.self) {
            try await lookupOnly.serialize(OrderPlaced(), topic: "orders")
        }
        #expect(refused?.code == .registry)
        #expect((refused?.cause as? RegistryError)?.code == .subjectNotFound)
        _ = try await registry.register(
            subject: "orders-value",
            SchemaInput(schema: "syntax = \"proto3\"; package other; message X {}")
        )
        try await registry.setCompatibility(.none, subject: "orders-value")
        let registered = try await RegistrySerializer<OrderPlaced>(client: registry, schema: schema).serialize(
            OrderPlaced(),
            topic: "orders"
        )
        #expect(registered[4] == 2)
        #expect(try await lookupOnly.serialize(OrderPlaced(), topic: "orders")[4] == 2)
        _ = try await registry.register(
            subject: "orders-value",
            SchemaInput(schema: "syntax = \"proto3\"; package other; message Y {}")
        )
        let latest = try RegistrySerializer<OrderPlaced>(
            client: registry,
            schema: schema,
            configuration: .init(useLatestVersion: true)
        )
        #expect(try await latest.serialize(OrderPlaced(), topic: "orders")[4] == 3)
    }

    @Test("imports are registered first and sent as references")
    func references() async throws {
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let money = "syntax = \"proto3\";\npackage acme.common;\nmessage Money { int64 units = 1; }\n"
        let events = """
            syntax = "proto3";
            package acme.events;
            import "acme/common/money.proto";
            import "google/protobuf/timestamp.proto";
            message OrderPlaced { int64 order_id = 1; acme.common.Money total = 5; google.protobuf.Timestamp at = 6; }
            """
        let schema = try await TestSchemas.parser.parse(
            events,
            fileName: "acme/events/orders.proto",
            dependencies: ["acme/common/money.proto": money]
        )
        let serializer = try RegistrySerializer<OrderPlaced>(client: registry, schema: schema)
        let bytes = try await serializer.serialize(
            OrderPlaced(orderID: 3, customer: "", total: 0, items: []),
            topic: "orders"
        )
        #expect(try await registry.subjects() == ["acme/common/money.proto", "orders-value"])
        let stored = try await registry.version(of: "orders-value", .latest)
        #expect(
            stored.schema.references == [
                SchemaReference(name: "acme/common/money.proto", subject: "acme/common/money.proto", version: 1)
            ]
        )
        #expect(try await RegistryDeserializer<OrderPlaced>(client: registry).deserialize(bytes).orderId == 3)
    }
}

/// A transport that answers from a closure and counts requests, to test the HTTP client's caching.
final class CountingTransport: RegistryTransport {
    let requests = Mutex<[RegistryHTTPRequest]>([])
    let answer: @Sendable (RegistryHTTPRequest) -> (Int, String)

    init(answer: @escaping @Sendable (RegistryHTTPRequest) -> (Int, String)) {
        self.answer = answer
    }

    func send(_ request: RegistryHTTPRequest) async throws(RegistryError) -> (status: Int, body: [UInt8]) {
        requests.withLock { $0.append(request) }
        let (status, body) = answer(request)
        return (status, Array(body.utf8))
    }
}

@Suite("HTTPRegistryClient")
struct HTTPRegistryClientTests {
    @Test("caches schemas by id and ids by subject and schema; encodes subjects in paths")
    func caching() async throws {
        let transport = CountingTransport { request in
            switch (request.method, request.path) {
            case ("GET", "/schemas/ids/7"): (200, #"{"schema":"syntax = \"proto3\";","schemaType":"PROTOBUF"}"#)
            case ("POST", "/subjects/acme%2Fmoney.proto/versions"): (200, #"{"id":7}"#)
            case ("GET", "/schemas/ids/8"): (404, #"{"error_code":40403,"message":"Schema 8 not found"}"#)
            default: (500, "unexpected \(request.method) \(request.path)")
            }
        }
        let client = HTTPRegistryClient(transport: transport)
        #expect(try await client.schema(id: 7).text == "syntax = \"proto3\";")
        #expect(try await client.schema(id: 7).id == 7)
        #expect(try await client.registerSchema(subject: "acme/money.proto", SchemaInput(schema: "x")) == 7)
        #expect(try await client.registerSchema(subject: "acme/money.proto", SchemaInput(schema: "x")) == 7)
        #expect(transport.requests.withLock { $0.count } == 2)
        let error = await #expect(throws: RegistryError.self) { try await client.schema(id: 8) }
        #expect(error?.code == .schemaNotFound)
        #expect(error?.message == "Schema 8 not found")

        let uncached = HTTPRegistryClient(transport: transport, caching: false)
        _ = try await uncached.schema(id: 7)
        _ = try await uncached.schema(id: 7)
        #expect(transport.requests.withLock { $0.count } == 5)
    }
}
