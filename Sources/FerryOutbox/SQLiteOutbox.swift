/// Public: `ProducerRecord` (FerryKafka) is in this file's API.
public import FerryKafka
import NIOCore
/// Public: `SQLiteConnection` (SQLiteNIO) is in this file's API.
public import SQLiteNIO

/// A transactional outbox in a SQLite database: the application inserts records with
/// ``insert(_:on:)`` inside its own transaction, and an ``OutboxRelay`` over this storage publishes
/// them.
///
/// ```swift
/// _ = try await db.query("BEGIN IMMEDIATE", [])
/// _ = try await db.query("UPDATE orders SET state = 'placed' WHERE id = ?", [.text(id)])
/// try await SQLiteOutbox.insert(try await orders.record(event, key: id), on: db)
/// _ = try await db.query("COMMIT", [])
/// ```
///
/// The relay reads and deletes through a connection of its own, so it never runs inside (or
/// commits) the application's transaction; SQLite's WAL mode lets both work at once. Run one relay
/// per database file: two would publish the same records twice.
public struct SQLiteOutbox: OutboxStorage {
    /// The outbox table's name.
    public static let table = "ferry_outbox"
    private let connection: SQLiteConnection

    /// Opens the relay's own connection to the database at `path` and creates the outbox table if
    /// it is missing.
    public init(path: String) async throws {
        connection = try await SQLiteConnection.open(storage: .file(path: path))
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=10000"] {
            _ = try await connection.query(pragma, [])
        }
        try await Self.createTable(on: connection)
    }

    /// Creates the outbox table on `connection` if it is missing.
    public static func createTable(on connection: SQLiteConnection) async throws {
        _ = try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS \(table) (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                topic TEXT NOT NULL,
                partition INTEGER,
                record_key BLOB,
                value BLOB NOT NULL,
                headers BLOB NOT NULL
            )
            """,
            []
        )
    }

    /// Stores `record` through `connection`, inside whatever transaction the caller has open there.
    public static func insert(_ record: ProducerRecord, on connection: SQLiteConnection) async throws {
        _ = try await connection.query(
            "INSERT INTO \(table) (topic, partition, record_key, value, headers) VALUES (?, ?, ?, ?, ?)",
            [
                .text(record.topic), record.partition.map { .integer(Int($0)) } ?? .null,
                record.key.map { .blob(ByteBuffer(bytes: $0)) } ?? .null,
                .blob(ByteBuffer(bytes: record.value)), .blob(ByteBuffer(bytes: OutboxHeaders.encode(record.headers))),
            ]
        )
    }

    /// Records waiting to be published.
    public func count() async throws -> Int {
        let rows = try await connection.query("SELECT COUNT(*) FROM \(Self.table)", [])
        return rows.first?.columns.first?.data.integer ?? 0
    }

    /// See ``OutboxStorage/withOldest(limit:_:)``.
    public func withOldest(limit: Int, _ publish: ([StoredOutboxRecord]) async throws -> Int64?) async throws -> Int {
        let rows = try await connection.query(
            "SELECT id, topic, partition, record_key, value, headers FROM \(Self.table) ORDER BY id LIMIT ?",
            [.integer(limit)]
        )
        var batch: [StoredOutboxRecord] = []
        for row in rows {
            let columns = row.columns.map(\.data)
            guard columns.count == 6, let id = columns[0].integer, let topic = columns[1].string,
                let headers = OutboxHeaders.decode(columns[5].bytes ?? [])
            else {
                throw OutboxError(message: "outbox row \(columns.first?.integer ?? -1) is damaged")
            }
            let record = ProducerRecord(
                topic: topic,
                key: columns[3].bytes,
                value: columns[4].bytes ?? [],
                headers: headers,
                partition: columns[2].integer.map { Int32(truncatingIfNeeded: $0) }
            )
            batch.append(StoredOutboxRecord(id: Int64(id), record: record))
        }
        guard !batch.isEmpty, let last = try await publish(batch) else { return 0 }
        let published = batch.prefix { $0.id <= last }.map(\.id)
        let marks = Array(repeating: "?", count: published.count).joined(separator: ", ")
        _ = try await connection.query(
            "DELETE FROM \(Self.table) WHERE id IN (\(marks))",
            published.map { .integer(Int($0)) }
        )
        return published.count
    }

    /// Closes the relay's connection.
    public func close() async throws {
        try await connection.close()
    }
}

/// An outbox table holds something the relay cannot read.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}

extension SQLiteData {
    /// The bytes of a blob (or the UTF-8 of text); nil for NULL and numbers.
    fileprivate var bytes: [UInt8]? {
        switch self {
        case .blob(let buffer): Array(buffer.readableBytesView)
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }
}
