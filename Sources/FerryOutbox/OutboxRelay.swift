/// Public: `ProducerRecord` and `KafkaProducer` (FerryKafka) are in this file's API.
public import FerryKafka
import Logging

/// A record stored in an outbox table, with the id that orders it.
public struct StoredOutboxRecord: Sendable, Hashable {
    /// Increasing in insertion (commit) order.
    public var id: Int64
    /// What to publish.
    public var record: ProducerRecord

    /// Creates a stored record.
    public init(id: Int64, record: ProducerRecord) {
        self.id = id
        self.record = record
    }
}

/// Where an outbox keeps records until they are published: a table in the application's own
/// database, written in the same transaction as the state change the records announce.
public protocol OutboxStorage: Sendable {
    /// Hands the oldest stored records (at most `limit`) to `publish`, which returns the id of the
    /// last one it published in order (nil for none); the records handed over up to that one are
    /// then removed (by id: a record committed meanwhile stays). Returns how many were removed.
    func withOldest(limit: Int, _ publish: ([StoredOutboxRecord]) async throws -> Int64?) async throws -> Int
}

/// Publishes what an outbox holds, oldest first, and removes each record once the broker has
/// acknowledged it: a record committed with the application's transaction reaches Kafka even if
/// the process dies right after the commit (the next relay publishes it), and a transaction that
/// rolled back never publishes anything. Delivery is at least once: a relay that stops between the
/// broker's acknowledgement and the removal publishes those records again, so consumers must be
/// idempotent (as `KafkaConsumer` consumers are anyway).
///
/// Within a batch the records are queued in order and published together; the relay stops at the
/// first one the broker refuses, keeps it and those after it, and tries again next round, so order
/// per key holds.
public struct OutboxRelay: Sendable {
    /// Where the records are.
    public let storage: any OutboxStorage
    /// What publishes them.
    public let producer: KafkaProducer
    /// Records published per round, at most. Default 500.
    public let batchSize: Int
    /// The pause after a round that found nothing (or failed) before ``run()`` looks again. Default 200 ms.
    public let pollInterval: Duration
    private let logger = Logger(label: "ferry.outbox")

    /// Creates a relay.
    public init(
        storage: any OutboxStorage,
        producer: KafkaProducer,
        batchSize: Int = 500,
        pollInterval: Duration = .milliseconds(200)
    ) {
        self.storage = storage
        self.producer = producer
        self.batchSize = max(1, batchSize)
        self.pollInterval = pollInterval
    }

    /// Publishes one batch of the oldest records and returns how many were published.
    ///
    /// - Throws: the broker's error for the first record it refused (the records published before
    ///   it are removed, it and the later ones stay), or the storage's error.
    @discardableResult
    public func publishOldest() async throws -> Int {
        var refusal: KafkaError?
        let published = try await storage.withOldest(limit: batchSize) { batch in
            let results = await producer.sendAll(batch.map(\.record))
            var last: Int64?
            for (stored, result) in zip(batch, results) {
                if case .failure(let error) = result {
                    refusal = error
                    break
                }
                last = stored.id
            }
            return last
        }
        if let refusal { throw refusal }
        return published
    }

    /// Publishes until the task is cancelled: batch after batch while records are waiting, a pause
    /// of ``pollInterval`` when none is (or a round failed; the failure is logged and tried again).
    public func run() async {
        while !Task.isCancelled {
            let published: Int
            do {
                published = try await publishOldest()
            } catch {
                logger.warning("outbox relay round failed, trying again in \(pollInterval): \(error)")
                published = 0
            }
            if published == 0 { try? await Task.sleep(for: pollInterval) }
        }
    }
}
