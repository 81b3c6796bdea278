import FerryCodec
import FerryKafka
import FerryRegistry
import Synchronization
import Testing

/// A consumer group on the mock cluster: ten thousand events over six partitions, two members, one
/// of which leaves halfway; and records that cannot be handled, which go to the dead-letter topic.
@Suite("Kafka consumer groups and dead letters on the mock cluster")
struct ConsumerGroupTests {
    typealias Order = Ferry_Examples_V1_OrderPlaced

    /// What the idempotent handler has applied: per key, the last sequence number; plus the
    /// duplicates it ignored and any gap (a sequence number that came before its predecessor).
    final class Ledger: Sendable {
        struct State {
            var last: [String: Int] = [:]
            var applied = 0
            var duplicates = 0
            var gaps: [String] = []
            var byMember: [String: Int] = [:]
        }

        let state = Mutex(State())

        /// Applies event `sequence` of `key` once; a repeat is a duplicate, a skip is a gap.
        func apply(key: String, sequence: Int, member: String) {
            state.withLock { state in
                let last = state.last[key] ?? 0
                if sequence <= last {
                    state.duplicates += 1
                } else if sequence == last + 1 {
                    state.last[key] = sequence
                    state.applied += 1
                    state.byMember[member, default: 0] += 1
                } else {
                    state.gaps.append("\(key): \(sequence) after \(last)")
                }
            }
        }

        var applied: Int { state.withLock { $0.applied } }
    }

    static func order(key: String, sequence: Int) -> Order {
        var order = Order()
        order.orderId = key
        order.customerId = String(sequence)
        return order
    }

    @Test(
        """
        10,000 events over 6 partitions reach a group of two consumers with \
        per-key order, none lost, after one member leaves midway
        """
    )
    func groupKeepsOrderAndLosesNothing() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        try cluster.createTopic("orders", partitions: 6, replicationFactor: 3)
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let orders = try EventProducer<Order>(producer: producer, topic: "orders", registry: registry)
        // 100 keys with 100 events each; one task per key sends its events in order.
        let keys = (0..<100).map { "order-\($0)" }
        let partitions = try await withThrowingTaskGroup(of: Set<Int32>.self) { group in
            for key in keys {
                group.addTask {
                    var used = Set<Int32>()
                    for sequence in 1...100 {
                        used.insert(try await orders.send(Self.order(key: key, sequence: sequence), key: key).partition)
                    }
                    return used
                }
            }
            return try await group.reduce(into: [Set<Int32>]()) { $0.append($1) }
        }
        await producer.close()
        #expect(partitions.allSatisfy { $0.count == 1 }, "a key's events went to more than one partition")
        #expect(Set(partitions.flatMap { $0 }).count == 6, "keys did not spread over the six partitions")

        let ledger = Ledger()
        let configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            groupID: "email",
            commitMode: .automatic(interval: .milliseconds(200)),
            sessionTimeout: .seconds(6)
        )
        let leaving = try KafkaConsumer(configuration: configuration, topics: ["orders"])
        let staying = try KafkaConsumer(configuration: configuration, topics: ["orders"])
        // Nothing may wait for ever: after two minutes both members are closed and the counts fail.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(120))
            await leaving.close()
            await staying.close()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var handled = 0
                for try await event in leaving.messages(Order.self, registry: registry) {
                    ledger.apply(
                        key: event.message.orderId,
                        sequence: Int(event.message.customerId) ?? -1,
                        member: "leaving"
                    )
                    handled += 1
                    // Leaves mid-stream: its partitions move to the other member.
                    if handled == 2_500 { await leaving.close() }
                }
            }
            group.addTask {
                for try await event in staying.messages(Order.self, registry: registry) {
                    ledger.apply(
                        key: event.message.orderId,
                        sequence: Int(event.message.customerId) ?? -1,
                        member: "staying"
                    )
                    if ledger.applied == 10_000 { break }
                }
                await staying.close()
            }
            try await group.waitForAll()
        }
        watchdog.cancel()
        let state = ledger.state.withLock { $0 }
        #expect(state.gaps.isEmpty, "out of order: \(state.gaps.prefix(5))")
        #expect(state.applied == 10_000)
        #expect(state.last.values.allSatisfy { $0 == 100 })
        #expect((state.byMember["leaving"] ?? 0) >= 2_000, "\(state.byMember)")
        #expect((state.byMember["staying"] ?? 0) >= 2_000, "\(state.byMember)")
        print("consumer group: \(state.byMember), duplicates ignored \(state.duplicates)")
    }

    struct HandlerFailure: Error, CustomStringConvertible {
        var description: String { "payment provider rejected the order" }
    }

    @Test(
        """
        A record that does not decode and one whose handler always fails go to \
        orders.dlq with error headers; the group moves on
        """
    )
    func deadLetters() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("orders", partitions: 1)
        try cluster.createTopic("orders.dlq", partitions: 1)
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let orders = try EventProducer<Order>(producer: producer, topic: "orders", registry: registry)
        for id in ["o-1", "o-2"] { try await orders.send(Self.order(key: id, sequence: 1), key: id) }
        // Not Confluent-framed: the consumer cannot read it.
        _ = try await producer.send(
            ProducerRecord(
                topic: "orders",
                key: Array("bad".utf8),
                value: [1, 2, 3],
                headers: [KafkaHeader(name: "origin", text: "legacy")]
            )
        )
        for id in ["o-poison", "o-3"] { try await orders.send(Self.order(key: id, sequence: 1), key: id) }

        let configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            groupID: "email",
            sessionTimeout: .seconds(6)
        )
        let consumer = try KafkaConsumer(configuration: configuration, topics: ["orders"])
        let handled = Mutex<[String]>([])
        let attempts = Mutex(0)
        let processing = Task {
            try await consumer.process(
                Order.self,
                registry: registry,
                deadLetters: DeadLetterQueue(producer: producer),
                retryDelay: .milliseconds(10)
            ) { event in
                if event.message.orderId == "o-poison" {
                    attempts.withLock { $0 += 1 }
                    throw HandlerFailure()
                }
                handled.withLock { $0.append(event.message.orderId) }
            }
        }
        for _ in 0..<12_000 where handled.withLock({ $0.count }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
        // The last record's offset is stored once the loop asks for the next one.
        try await Task.sleep(for: .milliseconds(100))
        await consumer.close()
        try await processing.value
        #expect(handled.withLock { $0 } == ["o-1", "o-2", "o-3"])
        #expect(attempts.withLock { $0 } == 3)

        let dlq = try KafkaConsumer(
            configuration: .init(bootstrapServers: cluster.bootstrapServers, groupID: "dlq-reader"),
            topics: ["orders.dlq"]
        )
        var letters: [ConsumerRecord] = []
        for try await record in dlq.records() {
            letters.append(record)
            if letters.count == 2 { break }
        }
        await dlq.close()
        #expect(letters.map(\.keyText) == ["bad", "o-poison"])
        let unreadable = try #require(letters.first)
        #expect(unreadable.value == [1, 2, 3])
        #expect(unreadable.header("origin")?.text == "legacy")
        #expect(unreadable.header("ferry.dlq.stage")?.text == "deserialize")
        #expect(unreadable.header("ferry.dlq.attempts")?.text == "0")
        #expect(unreadable.header("ferry.dlq.topic")?.text == "orders")
        #expect(unreadable.header("ferry.dlq.offset")?.text == "2")
        #expect(
            unreadable.header("ferry.dlq.reason")?.text?.contains("magic") == true,
            "\(unreadable.header("ferry.dlq.reason")?.text ?? "")"
        )
        let failed = try #require(letters.last)
        #expect(
            try Order(serializedBytes: Array(try ConfluentWireFormat.decode(failed.value).payload)).orderId
                == "o-poison"
        )
        #expect(failed.header("ferry.dlq.stage")?.text == "handler")
        #expect(failed.header("ferry.dlq.attempts")?.text == "3")
        #expect(failed.header("ferry.dlq.reason")?.text == "payment provider rejected the order")

        // The group committed past everything, dead letters included: a new member starts after them.
        try await orders.send(Self.order(key: "o-4", sequence: 1), key: "o-4")
        await producer.close()
        let next = try KafkaConsumer(configuration: configuration, topics: ["orders"])
        var first: Order?
        for try await event in next.messages(Order.self, registry: registry) {
            first = event.message
            break
        }
        await next.close()
        #expect(first?.orderId == "o-4")
    }
}
