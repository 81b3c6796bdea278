import FerryCodec
import FerryKafka
import FerryOutbox
import FerryRegistry
import Foundation
import Logging
import PostgresNIO
import ProcessTestSupport
import SQLiteNIO
import Testing

/// The transactional outbox on SQLite: events committed with the state change are published by the
/// relay; a rolled-back transaction publishes nothing; a broker that does not acknowledge leaves
/// the records in the table.
@Suite("Transactional outbox")
struct OutboxTests {
    typealias Order = Ferry_Examples_V1_OrderPlaced

    static func order(_ id: String) -> Order {
        var order = Order()
        order.orderId = id
        return order
    }

    @Test(
        """
        SQLite: committed events are published in order and removed; a \
        rolled-back one never is; headers survive the table
        """
    )
    func sqliteOutbox() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("orders", partitions: 3)
        let registry = SchemaRegistry(store: InMemorySchemaStore())
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let orders = try EventProducer<Order>(producer: producer, topic: "orders", registry: registry)
        let directory = try TestPaths.temporaryDirectory("ferry-outbox")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("shop.sqlite").path

        let database = try await SQLiteConnection.open(storage: .file(path: path))
        _ = try await database.query("PRAGMA journal_mode=WAL", [])
        _ = try await database.query("CREATE TABLE orders (id TEXT PRIMARY KEY)", [])
        try await SQLiteOutbox.createTable(on: database)
        let headers = [
            KafkaHeader(name: "trace", text: "t-1"), KafkaHeader(name: "empty", value: nil),
            KafkaHeader(name: "trace", text: "t-2"),
        ]
        for index in 1...22 {
            let id = "o-\(index)"
            _ = try await database.query("BEGIN IMMEDIATE", [])
            _ = try await database.query("INSERT INTO orders (id) VALUES (?)", [.text(id)])
            try await SQLiteOutbox.insert(
                try await orders.record(Self.order(id), key: "customer-\(index % 4)", headers: headers),
                on: database
            )
            // The second order's transaction fails after writing its event: neither may survive.
            _ = try await database.query(index == 2 ? "ROLLBACK" : "COMMIT", [])
        }

        let outbox = try await SQLiteOutbox(path: path)
        #expect(try await outbox.count() == 21)
        let relay = OutboxRelay(storage: outbox, producer: producer, batchSize: 5)
        var rounds: [Int] = []
        for _ in 0..<10 {
            let published = try await relay.publishOldest()
            if published == 0 { break }
            rounds.append(published)
        }
        #expect(rounds == [5, 5, 5, 5, 1])
        #expect(try await outbox.count() == 0)
        try await outbox.close()
        try await database.close()
        await producer.close()

        let consumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: cluster.bootstrapServers,
                groupID: "email",
                sessionTimeout: .seconds(6)
            ),
            topics: ["orders"]
        )
        var received: [ConsumedEvent<Order>] = []
        let watchdog = Task {
            try await Task.sleep(for: .seconds(120))
            await consumer.close()
        }
        for try await event in consumer.messages(Order.self, registry: registry) {
            received.append(event)
            if received.count == 21 { break }
        }
        watchdog.cancel()
        await consumer.close()
        let ids = received.map(\.message.orderId)
        #expect(Set(ids) == Set((1...22).filter { $0 != 2 }.map { "o-\($0)" }))
        // Per key (customer), the events arrive in the order they were committed.
        for customer in 0..<4 {
            let mine = received.filter { $0.record.keyText == "customer-\(customer)" }.map {
                Int($0.message.orderId.dropFirst(2)) ?? 0
            }
            #expect(mine == mine.sorted(), "customer-\(customer): \(mine)")
        }
        #expect(received.allSatisfy { $0.record.headers == headers })
    }

    @Test("Records the broker does not acknowledge stay in the outbox, and the relay says why")
    func unacknowledgedStay() async throws {
        let directory = try TestPaths.temporaryDirectory("ferry-outbox")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("shop.sqlite").path
        let database = try await SQLiteConnection.open(storage: .file(path: path))
        try await SQLiteOutbox.createTable(on: database)
        for index in 0..<3 {
            try await SQLiteOutbox.insert(
                ProducerRecord(topic: "orders", key: Array("k\(index)".utf8), value: [UInt8(index)]),
                on: database
            )
        }
        try await database.close()
        // No broker listens here: nothing is acknowledged within the delivery timeout.
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: ["127.0.0.1:1"], deliveryTimeout: .seconds(1))
        )
        let outbox = try await SQLiteOutbox(path: path)
        let relay = OutboxRelay(storage: outbox, producer: producer)
        do {
            try await relay.publishOldest()
            Issue.record("published without a broker")
        } catch let error as KafkaError {
            #expect(error.code == .messageTimedOut)
        }
        #expect(try await outbox.count() == 3)
        try await outbox.close()
        await producer.close()
    }

    struct Declined: Error {}

    /// A new database in the test cluster (FERRY_POSTGRES_URL, which scripts/test.sh sets).
    static func freshPostgres() async throws -> PostgresClient.Configuration {
        let base = try #require(
            ProcessInfo.processInfo.environment["FERRY_POSTGRES_URL"],
            "start scripts/postgres-test-cluster.sh"
        )
        var components = try #require(URLComponents(string: base))
        let name = "ferry_outbox_\(UUID().uuidString.prefix(8).lowercased())"
        var admin = components
        admin.path = "/postgres"
        try await Program.check("/usr/bin/psql", [admin.string ?? base, "-q", "-c", "CREATE DATABASE \(name)"])
        components.path = "/" + name
        return PostgresClient.Configuration(
            host: components.host ?? "127.0.0.1",
            port: components.port ?? 5432,
            username: components.user ?? "ferry",
            password: components.password,
            database: name,
            tls: .disable
        )
    }

    @Test(
        """
        PostgreSQL: committed events are published and removed, a rolled-back one \
        never is, and two relays never publish a record twice
        """,
        .enabled(
            if: ProcessInfo.processInfo.environment["FERRY_POSTGRES_URL"] != nil
                || ProcessInfo.processInfo.environment["CI"] != nil
        )
    )
    func postgresOutbox() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("orders", partitions: 3)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let client = PostgresClient(configuration: try await Self.freshPostgres())
        let logger = Logger(label: "test")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.withConnection { connection in
                try await PostgresOutbox.createTable(on: connection)
                try await connection.query("CREATE TABLE orders (id TEXT PRIMARY KEY)", logger: logger)
            }
            for index in 1...40 {
                let record = ProducerRecord(
                    topic: "orders",
                    key: Array("k\(index % 5)".utf8),
                    value: Array("o-\(index)".utf8)
                )
                do {
                    try await client.withTransaction(logger: logger) { connection in
                        try await connection.query("INSERT INTO orders (id) VALUES (\("o-\(index)"))", logger: logger)
                        try await PostgresOutbox.insert(record, on: connection)
                        if index == 7 { throw Declined() }
                    }
                } catch let error as PostgresTransactionError where error.closureError is Declined {}
            }
            let outbox = PostgresOutbox(client: client)
            #expect(try await outbox.count() == 39)
            // Two relays at once: the advisory lock lets one publish a batch at a time.
            let relays = [
                OutboxRelay(storage: outbox, producer: producer, batchSize: 4),
                OutboxRelay(storage: outbox, producer: producer, batchSize: 4),
            ]
            let published = try await withThrowingTaskGroup(of: Int.self) { relayGroup in
                for relay in relays {
                    relayGroup.addTask {
                        var total = 0
                        for _ in 0..<200 where try await outbox.count() > 0 {
                            total += try await relay.publishOldest()
                        }
                        return total
                    }
                }
                return try await relayGroup.reduce(0, +)
            }
            #expect(published == 39)
            #expect(try await outbox.count() == 0)
        }
        await producer.close()

        let consumer = try KafkaConsumer(
            configuration: .init(bootstrapServers: cluster.bootstrapServers, groupID: "g", sessionTimeout: .seconds(6)),
            topics: ["orders"]
        )
        var values: [String] = []
        let watchdog = Task {
            try await Task.sleep(for: .seconds(120))
            await consumer.close()
        }
        for try await record in consumer.records() {
            values.append(String(decoding: record.value, as: UTF8.self))
            if values.count == 39 { break }
        }
        watchdog.cancel()
        await consumer.close()
        #expect(values.count == Set(values).count, "a record was published twice")
        #expect(Set(values) == Set((1...40).filter { $0 != 7 }.map { "o-\($0)" }))
    }
}
