/// Public: `ProducerRecord` (FerryKafka) is in this file's API.
public import FerryKafka
import Logging
import NIOCore
/// Public: `PostgresClient` and `PostgresConnection` (PostgresNIO) are in this file's API.
public import PostgresNIO

/// A transactional outbox in PostgreSQL: the application inserts records with ``insert(_:on:logger:)`` on
/// the connection of its own transaction, and an ``OutboxRelay`` over this storage publishes them.
///
/// ```swift
/// try await client.withTransaction(logger: logger) { connection in
///     try await connection.query("UPDATE orders SET state = 'placed' WHERE id = \(id)", logger: logger)
///     try await PostgresOutbox.insert(try await orders.record(event, key: id), on: connection)
/// }
/// ```
///
/// Several instances may run a relay on the same database: each round takes a transaction-scoped
/// advisory lock, so one publishes at a time and another takes over when it stops. Records are
/// published in id order; two transactions that commit in the other order than they inserted
/// (possible only when they do not touch the same rows) may see their records published in id order.
public struct PostgresOutbox: OutboxStorage {
    /// The outbox table's name.
    public static let table = "ferry_outbox"
    /// The advisory lock key relays take (`pg_try_advisory_xact_lock`); 0x6665727279 is "ferry".
    public static let lockKey: Int64 = 0x6665_7272_79
    private let client: PostgresClient
    private let logger: Logger

    /// A storage that reads and deletes through `client` (which must be running).
    public init(client: PostgresClient, logger: Logger = Logger(label: "ferry.outbox")) {
        self.client = client
        self.logger = logger
    }

    /// Creates the outbox table through `connection` if it is missing.
    public static func createTable(
        on connection: PostgresConnection,
        logger: Logger = Logger(label: "ferry.outbox")
    ) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS ferry_outbox (
                id BIGSERIAL PRIMARY KEY,
                topic TEXT NOT NULL,
                partition INTEGER,
                record_key BYTEA,
                value BYTEA NOT NULL,
                headers BYTEA NOT NULL
            )
            """,
            logger: logger
        )
    }

    /// Stores `record` through `connection`, inside whatever transaction the caller has open there.
    public static func insert(
        _ record: ProducerRecord,
        on connection: PostgresConnection,
        logger: Logger = Logger(label: "ferry.outbox")
    ) async throws {
        let key = record.key.map { ByteBuffer(bytes: $0) }
        let value = ByteBuffer(bytes: record.value)
        let headers = ByteBuffer(bytes: OutboxHeaders.encode(record.headers))
        try await connection.query(
            """
            INSERT INTO ferry_outbox (topic, partition, record_key, value, headers) VALUES \
            (\(record.topic), \(record.partition), \(key), \(value), \(headers))
            """,
            logger: logger
        )
    }

    /// Records waiting to be published.
    public func count() async throws -> Int {
        try await client.withConnection { connection in
            let rows = try await connection.query("SELECT COUNT(*) FROM ferry_outbox", logger: logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// See ``OutboxStorage/withOldest(limit:_:)``.
    public func withOldest(limit: Int, _ publish: ([StoredOutboxRecord]) async throws -> Int64?) async throws -> Int {
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection in
            // One relay at a time; the lock ends with the transaction.
            var locked = false
            for try await granted in try await connection.query(
                "SELECT pg_try_advisory_xact_lock(\(Self.lockKey))",
                logger: logger
            ).decode(Bool.self) {
                locked = granted
            }
            guard locked else { return 0 }
            let rows = try await connection.query(
                "SELECT id, topic, partition, record_key, value, headers FROM ferry_outbox ORDER BY id LIMIT \(limit)",
                logger: logger
            )
            var batch: [StoredOutboxRecord] = []
            for try await (id, topic, partition, key, value, headerBytes) in rows.decode(
                (Int64, String, Int32?, ByteBuffer?, ByteBuffer, ByteBuffer).self
            ) {
                guard let headers = OutboxHeaders.decode(Array(headerBytes.readableBytesView)) else {
                    throw OutboxError(message: "outbox row \(id) is damaged")
                }
                let record = ProducerRecord(
                    topic: topic,
                    key: key.map { Array($0.readableBytesView) },
                    value: Array(value.readableBytesView),
                    headers: headers,
                    partition: partition
                )
                batch.append(StoredOutboxRecord(id: id, record: record))
            }
            guard !batch.isEmpty, let last = try await publish(batch) else { return 0 }
            let published = batch.prefix { $0.id <= last }.map(\.id)
            try await connection.query("DELETE FROM ferry_outbox WHERE id = ANY(\(published))", logger: logger)
            return published.count
        }
    }
}
