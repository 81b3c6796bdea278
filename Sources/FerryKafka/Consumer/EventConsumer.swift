/// Message (FerryCodec) appears in this file's public API.
public import FerryCodec
/// RegistryClient (FerryRegistry) appears in this file's public API.
public import FerryRegistryClient

/// A record read as a generated message.
public struct ConsumedEvent<M: Message>: Sendable {
    /// The record as it came from the broker (key, headers, partition, offset).
    public let record: ConsumerRecord
    /// Its value, decoded with the schema the registry holds for the record's schema id.
    public let message: M
}

extension KafkaConsumer {
    /// The records of this member's partitions read as `M`, written in Confluent's wire format.
    ///
    /// ```swift
    /// for try await event in consumer.messages(OrderPlaced.self, registry: registry, deadLetters: dlq) {
    ///     try await email(event.message)
    /// }
    /// ```
    ///
    /// A record that is not an `M` (wrong magic byte, unknown schema id, another message type,
    /// bytes that do not decode) goes to `deadLetters` and is skipped, its offset stored once the
    /// dead letter is acknowledged; without a dead-letter queue the iteration throws
    /// ``KafkaError/Code/valueDeserialization`` and the record is delivered again next time.
    public func messages<M: Message>(
        _ type: M.Type,
        registry: any RegistryClient,
        deadLetters: DeadLetterQueue? = nil
    ) -> Messages<M> {
        Messages(records: records(), deserializer: RegistryDeserializer<M>(client: registry), deadLetters: deadLetters)
    }

    /// Typed records; see ``KafkaConsumer/messages(_:registry:deadLetters:)``.
    public struct Messages<M: Message>: AsyncSequence, Sendable {
        /// Each element is a record and its message.
        public typealias Element = ConsumedEvent<M>
        let records: Records
        let deserializer: RegistryDeserializer<M>
        let deadLetters: DeadLetterQueue?

        /// Starts reading.
        public func makeAsyncIterator() -> Iterator {
            Iterator(records: records.makeAsyncIterator(), deserializer: deserializer, deadLetters: deadLetters)
        }

        /// Reads and decodes records one by one.
        public struct Iterator: AsyncIteratorProtocol {
            var records: Records.Iterator
            let deserializer: RegistryDeserializer<M>
            let deadLetters: DeadLetterQueue?

            /// The next record that decodes as `M`; nil once the consumer is closed.
            ///
            /// - Throws: ``KafkaError/Code/valueDeserialization`` for an unreadable record without a
            ///   dead-letter queue; the dead-letter producer's error when it could not take one.
            public mutating func next() async throws(KafkaError) -> ConsumedEvent<M>? {
                while let record = try await records.next() {
                    do {
                        return ConsumedEvent(record: record, message: try await deserializer.deserialize(record.value))
                    } catch {
                        guard let deadLetters else {
                            throw KafkaError(
                                .valueDeserialization,
                                "\(record.topic)[\(record.partition)]@\(record.offset): \(error.description)",
                                cause: error
                            )
                        }
                        // Stored with the next record (the iterator's previous one), once this is safe.
                        try await deadLetters.publish(
                            record,
                            stage: .deserialize,
                            reason: error.description,
                            attempts: 0
                        )
                    }
                }
                return nil
            }
        }
    }

    /// Runs `handler` on every record read as `M` until the consumer is closed or the task
    /// cancelled, so that one bad record never stops the partition:
    ///
    /// - a record that is not an `M` goes to `deadLetters` at once;
    /// - a handler that throws is run again, after `retryDelay`, up to `maxAttempts` times in all;
    ///   an error for which `isRetryable` is false is not retried; a record that still fails goes to
    ///   `deadLetters`;
    /// - a record's offset is stored only after its handler succeeded or its dead letter was
    ///   acknowledged.
    ///
    /// - Throws: when a dead letter cannot be published (the record is then delivered again), or
    ///   the consumer's fatal error.
    public func process<M: Message>(
        _ type: M.Type,
        registry: any RegistryClient,
        deadLetters: DeadLetterQueue,
        maxAttempts: Int = 3,
        retryDelay: Duration = .milliseconds(100),
        isRetryable: @escaping @Sendable (any Error) -> Bool = { _ in true },
        handler: (ConsumedEvent<M>) async throws -> Void
    ) async throws(KafkaError) {
        var events = messages(type, registry: registry, deadLetters: deadLetters).makeAsyncIterator()
        while let event = try await events.next() {
            var attempts = 0
            while true {
                attempts += 1
                do {
                    try await handler(event)
                    break
                } catch {
                    if Task.isCancelled { return }
                    guard attempts < maxAttempts, isRetryable(error) else {
                        try await deadLetters.publish(
                            event.record,
                            stage: .handler,
                            reason: "\(error)",
                            attempts: attempts
                        )
                        break
                    }
                    try? await Task.sleep(for: retryDelay)
                }
            }
        }
    }
}
