/// Where records a consumer cannot handle go: a topic of their own (`<topic>.dlq` by default), with
/// the original key, value and headers, and headers saying why, so that nothing is lost and the
/// partition they came from keeps moving.
///
/// Headers added (text values):
/// - `ferry.dlq.reason`: the error, as text;
/// - `ferry.dlq.stage`: `deserialize` (the bytes are not a message of the expected type) or
///   `handler` (the handler failed on every attempt, or with a non-retryable error);
/// - `ferry.dlq.attempts`: how many times the handler ran (0 when it never did);
/// - `ferry.dlq.topic`, `ferry.dlq.partition`, `ferry.dlq.offset`: where the record was read.
public struct DeadLetterQueue: Sendable {
    /// Publishes the dead letters.
    public let producer: KafkaProducer
    /// The dead-letter topic for records read from a topic.
    public let topicName: @Sendable (String) -> String
    /// Called after each dead letter was acknowledged: to log, count or alert.
    public let onPublish: (@Sendable (ConsumerRecord, Stage, String) -> Void)?

    /// Creates a dead-letter queue publishing through `producer`.
    ///
    /// - Parameters:
    ///   - producer: publishes the dead letters.
    ///   - topicName: the dead-letter topic for a source topic (`<topic>.dlq` by default).
    ///   - onPublish: called with the record, the stage and the reason once each dead letter is
    ///     acknowledged.
    public init(
        producer: KafkaProducer,
        topicName: @escaping @Sendable (String) -> String = { "\($0).dlq" },
        onPublish: (@Sendable (ConsumerRecord, Stage, String) -> Void)? = nil
    ) {
        self.producer = producer
        self.topicName = topicName
        self.onPublish = onPublish
    }

    /// Why a record became a dead letter.
    public enum Stage: String, Sendable, Hashable {
        /// Its bytes could not be read as the expected message.
        case deserialize
        /// The handler failed.
        case handler
    }

    /// Publishes `record` to its dead-letter topic and returns once the broker has it.
    @discardableResult
    public func publish(
        _ record: ConsumerRecord,
        stage: Stage,
        reason: String,
        attempts: Int
    ) async throws(KafkaError) -> DeliveryReport {
        var headers = record.headers
        headers += [
            KafkaHeader(name: "ferry.dlq.reason", text: reason),
            KafkaHeader(name: "ferry.dlq.stage", text: stage.rawValue),
            KafkaHeader(name: "ferry.dlq.attempts", text: String(attempts)),
            KafkaHeader(name: "ferry.dlq.topic", text: record.topic),
            KafkaHeader(name: "ferry.dlq.partition", text: String(record.partition)),
            KafkaHeader(name: "ferry.dlq.offset", text: String(record.offset)),
        ]
        let report = try await producer.send(
            ProducerRecord(topic: topicName(record.topic), key: record.key, value: record.value, headers: headers)
        )
        onPublish?(record, stage, reason)
        return report
    }
}
