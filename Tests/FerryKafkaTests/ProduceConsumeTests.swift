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
        let orders = try EventProducer<Ferry_Examples_V1_OrderPlaced>(
            producer: producer,
            topic: "orders",
            registry: registry
        )
        let report = try await orders.send(
            Self.order("o-1"),
            key: "o-1",
            headers: [KafkaHeader(name: "trace", text: "t-1")]
        )
        #expect(report.topic == "orders")
        #expect((0..<3).contains(report.partition))
        #expect(report.offset == 0)
        await producer.close()

        let consumer = try KafkaConsumer(
            configuration: .init(bootstrapServers: cluster.bootstrapServers, groupID: "g"),
            topics: ["orders"]
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

/// The producer's and consumer's limits and refusals, without a broker where none is needed.
@Suite("Kafka client limits and errors")
struct KafkaLimitTests {
    @Test("A property librdkafka does not know is refused with INVALID_ARG naming it")
    func invalidProperty() {
        #expect {
            _ = try KafkaProducer(
                configuration: .init(bootstrapServers: ["127.0.0.1:1"], properties: ["no.such.property": "1"])
            )
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .invalidArgument && error.message.contains("no.such.property")
        }
        #expect(throws: KafkaError.self) {
            _ = try KafkaConsumer(configuration: .init(bootstrapServers: ["127.0.0.1:1"], groupID: "g"), topics: [])
        }
    }

    @Test(
        """
        With maxQueuedMessages unacknowledged, a send waits maxBlock for room, \
        then fails with _QUEUE_FULL; the queued ones time out
        """
    )
    func queueFull() async throws {
        // No broker: nothing is acknowledged, so the queue stays full until the delivery timeout.
        let producer = try KafkaProducer(
            configuration: .init(
                bootstrapServers: ["127.0.0.1:1"],
                deliveryTimeout: .seconds(3),
                maxQueuedMessages: 2,
                maxBlock: .milliseconds(300)
            )
        )
        let queued = (0..<2).map { index in
            Task { try await producer.send(ProducerRecord(topic: "t", value: [UInt8(index)])) }
        }
        for _ in 0..<6_000 where producer.pendingCount < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(producer.pendingCount == 2)
        do {
            _ = try await producer.send(ProducerRecord(topic: "t", value: [9]))
            Issue.record("a third record was queued")
        } catch {
            #expect(error.code == .queueFull)
            #expect(error.isRetriable)
        }
        for task in queued {
            do {
                _ = try await task.value
                Issue.record("delivered without a broker")
            } catch let error as KafkaError {
                #expect(error.code == .messageTimedOut)
            }
        }
        #expect(producer.pendingCount == 0)
        await producer.close()
    }

    @Test("A record larger than maxMessageBytes is refused before it is queued")
    func messageTooLarge() async throws {
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: ["127.0.0.1:1"], maxMessageBytes: 1_000)
        )
        do {
            _ = try await producer.send(ProducerRecord(topic: "t", value: [UInt8](repeating: 1, count: 2_000)))
            Issue.record("an oversized record was queued")
        } catch {
            #expect(error.code == .messageTooLarge)
        }
        await producer.close()
    }
}
