/// A Kafka record header: a name and optional bytes (Kafka allows both repeated names and null
/// values).
public struct KafkaHeader: Sendable, Hashable {
    /// The header's name.
    public var name: String
    /// The header's bytes; nil is Kafka's null value.
    public var value: [UInt8]?

    /// Creates a header with raw bytes.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// Creates a header whose value is UTF-8 text.
    public init(name: String, text: String) {
        self.init(name: name, value: Array(text.utf8))
    }

    /// The value read as UTF-8 text (nil for a null value).
    public var text: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}

/// A record to publish: bytes for a topic, with a key that picks the partition.
public struct ProducerRecord: Sendable, Hashable {
    /// The topic to publish to.
    public var topic: String
    /// The key: records with the same key go to the same partition, in order. Nil spreads records
    /// over partitions.
    public var key: [UInt8]?
    /// The payload.
    public var value: [UInt8]
    /// Headers, in order.
    public var headers: [KafkaHeader]
    /// A partition chosen by the caller instead of by the key.
    public var partition: Int32?

    /// Creates a record.
    public init(
        topic: String,
        key: [UInt8]? = nil,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        partition: Int32? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
    }
}

/// Where the broker stored a published record.
public struct DeliveryReport: Sendable, Hashable {
    /// The record's topic.
    public var topic: String
    /// The partition it went to.
    public var partition: Int32
    /// Its offset in that partition; nil when the broker did not say (librdkafka's idempotent
    /// producer may not know it for a retried batch).
    public var offset: Int64?
}

/// A record read from a topic: its bytes and where it came from.
public struct ConsumerRecord: Sendable, Hashable {
    /// The topic it was read from.
    public var topic: String
    /// The partition it was read from.
    public var partition: Int32
    /// Its offset in the partition.
    public var offset: Int64
    /// Its key, if it has one.
    public var key: [UInt8]?
    /// Its payload (empty for a null value).
    public var value: [UInt8]
    /// Its headers, in order.
    public var headers: [KafkaHeader]
    /// When it was produced (or appended, per the topic's setting), in milliseconds since 1970;
    /// nil when the broker did not say.
    public var timestampMilliseconds: Int64?

    /// Creates a record (the consumer makes them; tests and dead-letter handling may too).
    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader],
        timestampMilliseconds: Int64?
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// The key read as UTF-8 text.
    public var keyText: String? { key.map { String(decoding: $0, as: UTF8.self) } }

    /// The value of the last header named `name`.
    public func header(_ name: String) -> KafkaHeader? { headers.last { $0.name == name } }
}
