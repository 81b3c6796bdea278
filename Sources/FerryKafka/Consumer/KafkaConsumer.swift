internal import CRDKafka
import Logging
import Synchronization

/// A member of a Kafka consumer group: reads the records of its share of the topics' partitions.
///
/// ```swift
/// let consumer = try KafkaConsumer(
///     configuration: .init(bootstrapServers: servers, groupID: "email"),
///     topics: ["orders"]
/// )
/// for try await record in consumer.records() {
///     try await send(record)          // when this returns, the record counts as done
/// }
/// ```
///
/// A record's offset is stored when the loop asks for the next one, that is once the loop body
/// finished with it without throwing; stored offsets are committed as
/// ``KafkaConsumerConfiguration/commitMode`` says. A record whose body threw, or that was being
/// handled when the consumer stopped or lost its partition, is delivered again: at least once,
/// never skipped. Records of one partition arrive in order.
///
/// Nothing polls in the background: librdkafka fetches ahead (at most
/// ``KafkaConsumerConfiguration/maxPrefetchBytes``) and wakes the reading task when records arrive.
/// Read often enough: a member that does not ask for a record within
/// ``KafkaConsumerConfiguration/maxPollInterval`` leaves the group.
public final class KafkaConsumer: Sendable {
    /// The configuration the consumer was created with.
    public let configuration: KafkaConsumerConfiguration
    /// The topics subscribed to.
    public let topics: [String]
    private let client: RDKafkaClient
    /// SAFETY: a reference librdkafka hands out for use from any thread; released once, in close() or deinit.
    private nonisolated(unsafe) let consumerQueue: OpaquePointer
    private let signal = QueueSignal()
    private let closed = Atomic(false)

    /// Creates a consumer and subscribes it to `topics`; it joins the group in the background.
    ///
    /// - Throws: ``KafkaError/Code/invalidArgument`` for a property librdkafka refuses or no topics.
    public init(configuration: KafkaConsumerConfiguration, topics: [String]) throws(KafkaError) {
        guard !topics.isEmpty else { throw KafkaError(.invalidArgument, "a consumer needs at least one topic") }
        self.configuration = configuration
        self.topics = topics
        let client = try RDKafkaClient(
            kind: RD_KAFKA_CONSUMER,
            properties: configuration.librdkafkaProperties,
            logLabel: "ferry.kafka.consumer"
        )
        self.client = client
        // Everything (rebalances, errors, records) arrives on the consumer queue.
        rd_kafka_poll_set_consumer(client.handle)
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, cferry_kafka_partition_unassigned()) }
        let error = rd_kafka_subscribe(client.handle, list)
        rd_kafka_topic_partition_list_destroy(list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            client.destroy()
            throw KafkaError(error, context: "cannot subscribe to \(topics.joined(separator: ", "))")
        }
        consumerQueue = rd_kafka_queue_get_consumer(client.handle)
        // SAFETY: the signal outlives the registration: close() and deinit disable the callback
        // before the signal can be released.
        rd_kafka_queue_cb_event_enable(
            consumerQueue,
            kafkaQueueSignalCallback,
            Unmanaged.passUnretained(signal).toOpaque()
        )
    }

    /// The records of this member's partitions, as they arrive; finishes after ``close()``.
    ///
    /// Iterate from one task at a time: each iteration stores the offset of the record before it.
    public func records() -> Records { Records(consumer: self) }

    /// The records of a consumer; see ``KafkaConsumer/records()``.
    public struct Records: AsyncSequence, Sendable {
        /// Each element is one record.
        public typealias Element = ConsumerRecord
        let consumer: KafkaConsumer

        /// Starts reading.
        public func makeAsyncIterator() -> Iterator { Iterator(consumer: consumer) }

        /// Reads records one by one, storing each one's offset when the next is asked for.
        public struct Iterator: AsyncIteratorProtocol {
            let consumer: KafkaConsumer
            var previous: ConsumerRecord?

            /// The next record; nil once the consumer is closed or the task cancelled.
            ///
            /// - Throws: ``KafkaError`` when the consumer hit a fatal error (it must be recreated).
            public mutating func next() async throws(KafkaError) -> ConsumerRecord? {
                if let previous {
                    consumer.storeOffset(of: previous)
                    self.previous = nil
                }
                let record = try await consumer.poll()
                previous = record
                return record
            }
        }
    }

    /// The next record; nil once closed or cancelled.
    func poll() async throws(KafkaError) -> ConsumerRecord? {
        while !closed.load(ordering: .acquiring), !Task.isCancelled {
            let seen = signal.generation
            // Non-blocking: serves rebalances and errors too; returns a record or nothing.
            guard let message = rd_kafka_consumer_poll(client.handle, 0) else {
                await signal.wait(after: seen)
                continue
            }
            defer { rd_kafka_message_destroy(message) }
            let error = message.pointee.err
            if error == RD_KAFKA_RESP_ERR_NO_ERROR { return Self.record(from: message) }
            if error == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
            if error == RD_KAFKA_RESP_ERR__FATAL {
                var text = [CChar](repeating: 0, count: 512)
                let reason = rd_kafka_fatal_error(client.handle, &text, text.count)
                throw KafkaError(
                    .fatal,
                    "the consumer cannot go on: \(KafkaError.Code(reason)): \(RDKafkaClient.text(text))"
                )
            }
            // Other errors (a broker down, a topic missing) are librdkafka's to recover from.
            let text = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
            client.logSinkLogger.warning("consumer error \(KafkaError.Code(error)): \(text)")
        }
        return nil
    }

    /// Copies a librdkafka message into a record.
    private static func record(from message: UnsafeMutablePointer<rd_kafka_message_t>) -> ConsumerRecord {
        let raw = message.pointee
        let topic = raw.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        // SAFETY: payload and key are valid for len / key_len bytes until the message is destroyed,
        // which happens after this copy.
        let value = raw.payload.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? []
        let key = raw.key.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        var headers: [KafkaHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var bytes: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let value = bytes.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: value))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        return ConsumerRecord(
            topic: topic,
            partition: raw.partition,
            offset: raw.offset,
            key: key,
            value: value,
            headers: headers,
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        )
    }

    /// Marks `record` (and every earlier record of its partition) done: its offset + 1 is
    /// committed with the next commit. Iterating ``records()`` does this for each record the
    /// loop body finished; call it yourself for a record you finished out of the loop.
    ///
    /// A partition this member no longer owns is skipped: its new owner reads the record again.
    public func storeOffset(of record: ConsumerRecord) {
        guard !closed.load(ordering: .acquiring) else { return }
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if let entry = rd_kafka_topic_partition_list_add(list, record.topic, record.partition) {
            entry.pointee.offset = record.offset + 1
        }
        _ = rd_kafka_offsets_store(client.handle, list)
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    ///
    /// - Throws: the broker's error; `_NO_OFFSET` is not an error (nothing was stored since).
    public func commit() async throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { throw KafkaError(.closed, "the consumer is closed") }
        let error = await client.blocking { handle in rd_kafka_commit(handle, nil, 0) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(error, context: "cannot commit offsets")
        }
    }

    /// Leaves the group: commits what was stored, gives the partitions back so that the other
    /// members take them over at once (not after the session timeout), ends ``records()`` and
    /// frees the client. Calling it again does nothing.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        signal.close()
        let queue = UnsafeTransfer(consumerQueue)
        let client = client
        let manual = configuration.commitMode == .manual
        await client.blocking { handle in
            if manual { _ = rd_kafka_commit(handle, nil, 0) }
            rd_kafka_queue_cb_event_enable(queue.value, nil, nil)
            // librdkafka requires the consumer queue reference gone before it closes.
            rd_kafka_queue_destroy(queue.value)
            _ = rd_kafka_consumer_close(handle)
            client.destroy()
        }
    }

    deinit {
        guard !closed.load(ordering: .acquiring) else { return }
        signal.close()
        rd_kafka_queue_cb_event_enable(consumerQueue, nil, nil)
        rd_kafka_queue_destroy(consumerQueue)
        // RDKafkaClient's deinit destroys the handle (closing the consumer) off this thread.
    }
}
