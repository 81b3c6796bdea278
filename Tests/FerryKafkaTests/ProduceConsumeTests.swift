import FerryCodec
import FerryKafka
import FerryRegistry
import Testing

/// Producers and consumers against librdkafka's mock cluster on 127.0.0.1, with the registry in
/// process: the records on the wire are Confluent-framed protobuf, as any Kafka client reads them.
@Suite("Kafka events on the mock cluster")
struct ProduceConsumeTests {
    static func order(_ id: String, customer: String = "c-1") -> Ferry_Examples_V1_OrderPlaced {
        var order = Ferry_Examples_V1_OrderPlaced()
        order.orderId = id
        order.customerId = customer
        return order
    }

    @Test("A produced event is consumed as the same message, with its key, headers and schema-id framing")
    func roundTrip() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("orders", partitions: 3)
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let orders = try EventProducer<Ferry_Examples_V1_OrderPlaced>(producer: producer, topic: "orders", registry: registry)
        let report = try await orders.send(Self.order("o-1"), key: "o-1", headers: [KafkaHeader(name: "trace", text: "t-1")])
        #expect(report.topic == "orders")
        #expect((0..<3).contains(report.partition))
        #expect(report.offset == 0)
        await producer.close()

        let consumer = try KafkaConsumer(
            configuration: .init(bootstrapServers: cluster.bootstrapServers, groupID: "g"), topics: ["orders"]
        )
        var received: [ConsumedEvent<Ferry_Examples_V1_OrderPlaced>] = []
        for try await event in consumer.messages(Ferry_Examples_V1_OrderPlaced.self, registry: registry) {
            received.append(event)
            break
        }
        await consumer.close()
        let event = try #require(received.first)
        #expect(event.message == Self.order("o-1"))
        #expect(event.record.keyText == "o-1")
        #expect(event.record.header("trace")?.text == "t-1")
        #expect(event.record.partition == report.partition)
        // Confluent framing: magic byte 0, the schema id the registry gave, the message's index path
        // (OrderPlaced is the seventh message of its file), then the protobuf bytes.
        let id = try await registry.version(subject: "orders-value", .latest).schema.id
        let (header, payload) = try ConfluentWireFormat.decode(event.record.value)
        #expect(header == ConfluentWireFormat.Header(schemaID: id, messageIndexes: [6]))
        #expect(Array(payload) == Self.order("o-1").serializedBytes())
    }
}
