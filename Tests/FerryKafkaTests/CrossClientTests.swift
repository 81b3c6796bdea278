import FerryCodec
import FerryKafka
import FerryRegistry
import Foundation
import ProcessTestSupport
import Testing

/// Ferry's events against independent clients: kafka-python (pure Python, no librdkafka) with
/// confluent-kafka's Protobuf deserializer reads what Ferry published, and confluent-kafka's
/// producer and Protobuf serializer publish what Ferry reads; the brokers are the mock cluster
/// and the registry a `ferry-registry` process, both on 127.0.0.1.
@Suite("Kafka events across clients: kafka-python and confluent-kafka")
struct CrossClientTests {
    typealias Order = Ferry_Examples_V1_OrderPlaced

    @Test(
        "Records published by Ferry are read by kafka-python + confluent-kafka, and confluent-kafka's are read by Ferry"
    )
    func bothWays() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("from-ferry", partitions: 3)
        try cluster.createTopic("from-python", partitions: 3)
        let directory = try TestPaths.temporaryDirectory("ferry-kafka-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await RegistryServerProcess(arguments: [
            "--sqlite", directory.appendingPathComponent("registry.sqlite").path,
        ])
        defer { Task { await server.stop() } }
        let registry = HTTPRegistryClient(baseURL: server.baseURL)

        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let orders = try EventProducer<Order>(producer: producer, topic: "from-ferry", registry: registry)
        for index in 0..<5 {
            var order = Order()
            order.orderId = "ferry-\(index)"
            order.customerId = "ada"
            var total = Ferry_Examples_V1_Money()
            total.currency = "EUR"
            total.minorUnits = Int64(1_000 + index)
            order.total = total
            try await orders.send(order, key: order.orderId, headers: [KafkaHeader(name: "origin", text: "ferry")])
        }
        await producer.close()

        // The Python side builds its message class from protoc's descriptors of the same file.
        let descriptorSet = directory.appendingPathComponent("checkout.pb").path
        try await Program.check(
            TestPaths.protoc,
            [
                "-I", TestPaths.repositoryRoot.appendingPathComponent("Schemas").path, "-I", "/usr/include",
                "--include_imports", "--descriptor_set_out=\(descriptorSet)", "ferry/examples/v1/checkout.proto",
            ]
        )
        let script = TestPaths.repositoryRoot.appendingPathComponent("scripts/interop/kafka_events.py").path
        let output = try await Program.check(
            TestPaths.python,
            [
                script, cluster.bootstrapServers.joined(separator: ","), server.baseURL, descriptorSet, "from-ferry",
                "5", "from-python",
            ],
            timeout: .seconds(180)
        )
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any],
            "\(String(decoding: output, as: UTF8.self))"
        )
        let received = try #require(result["received"] as? [[String: Any]])
        #expect(Set(received.compactMap { $0["order_id"] as? String }) == Set((0..<5).map { "ferry-\($0)" }))
        #expect(received.allSatisfy { ($0["key"] as? String) == ($0["order_id"] as? String) })
        #expect(received.allSatisfy { ($0["headers"] as? [String: String])?["origin"] == "ferry" })
        #expect(Set(received.compactMap { $0["total_minor_units"] as? Int }) == Set(1_000..<1_005))
        let ferryID = try await registry.version(subject: "from-ferry-value", .latest).schema.id
        #expect(received.allSatisfy { $0["schema_id"] as? Int == ferryID })
        #expect(result["unflushed"] as? Int == 0)

        let consumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: cluster.bootstrapServers,
                groupID: "ferry",
                sessionTimeout: .seconds(6)
            ),
            topics: ["from-python"]
        )
        var fromPython: [ConsumedEvent<Order>] = []
        let watchdog = Task {
            try await Task.sleep(for: .seconds(120))
            await consumer.close()
        }
        for try await event in consumer.messages(Order.self, registry: registry) {
            fromPython.append(event)
            if fromPython.count == 5 { break }
        }
        watchdog.cancel()
        await consumer.close()
        #expect(Set(fromPython.map(\.message.orderId)) == Set((0..<5).map { "py-\($0)" }))
        #expect(
            fromPython.allSatisfy {
                $0.record.keyText == $0.message.orderId && $0.record.header("origin")?.text == "python"
            }
        )
        #expect(Set(fromPython.compactMap(\.message.total?.minorUnits)) == Set(100..<105))
        #expect(fromPython.allSatisfy { $0.message.customerId == "grace" })
    }
}
