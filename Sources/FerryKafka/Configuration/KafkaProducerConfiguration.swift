/// How a ``KafkaProducer`` connects, batches and bounds what it holds.
///
/// The defaults favour "never lost, never reordered": an idempotent producer (acks from all in-sync
/// replicas, retries without duplicates or reordering within a partition). Every queue is bounded:
/// past ``maxQueuedMessages`` or ``maxQueuedBytes`` waiting for the broker, ``KafkaProducer/send(_:)``
/// waits up to ``maxBlock`` for room, then fails with ``KafkaError/Code/queueFull``.
public struct KafkaProducerConfiguration: Sendable, Hashable {
    /// `host:port` of one or more brokers to bootstrap from.
    public var bootstrapServers: [String]
    /// The client id brokers log and quota by. Default `ferry`.
    public var clientID: String
    /// Exactly-once per partition: the broker drops retried duplicates and keeps order (Kafka's
    /// `enable.idempotence`, which also means `acks=all`). Default true.
    public var idempotent: Bool
    /// How long a message may wait to be batched with others before it is sent (`linger.ms`).
    /// Default 5 ms.
    public var linger: Duration
    /// How long the producer tries to deliver a message, retries included, before its
    /// ``KafkaProducer/send(_:)`` fails with ``KafkaError/Code/messageTimedOut``
    /// (`message.timeout.ms`). Default 2 minutes.
    public var deliveryTimeout: Duration
    /// Messages waiting to be acknowledged, at most (`queue.buffering.max.messages`). Default 100,000.
    public var maxQueuedMessages: Int
    /// Bytes of messages waiting to be acknowledged, at most (`queue.buffering.max.kbytes`).
    /// Default 64 MiB (librdkafka's own default is 1 GiB).
    public var maxQueuedBytes: Int
    /// How long ``KafkaProducer/send(_:)`` waits for room in a full queue (Kafka's `max.block.ms`).
    /// Default 60 seconds.
    public var maxBlock: Duration
    /// The largest message the producer sends (`message.max.bytes`); larger ones fail with
    /// ``KafkaError/Code/messageTooLarge`` before they are queued. Default 1,000,000 bytes (Kafka's).
    public var maxMessageBytes: Int
    /// Batch compression (`compression.codec`): `none`, `gzip`, `snappy`, `lz4` or `zstd`. Default none.
    public var compression: String
    /// librdkafka properties set after the ones above, for what this type does not name
    /// (`security.protocol`, `sasl.*`, `ssl.*`); a key named here overrides the typed value.
    public var properties: [String: String]

    /// Creates a configuration; every parameter defaults to the value documented on its property.
    public init(
        bootstrapServers: [String],
        clientID: String = "ferry",
        idempotent: Bool = true,
        linger: Duration = .milliseconds(5),
        deliveryTimeout: Duration = .seconds(120),
        maxQueuedMessages: Int = 100_000,
        maxQueuedBytes: Int = 64 << 20,
        maxBlock: Duration = .seconds(60),
        maxMessageBytes: Int = 1_000_000,
        compression: String = "none",
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.idempotent = idempotent
        self.linger = linger
        self.deliveryTimeout = deliveryTimeout
        self.maxQueuedMessages = maxQueuedMessages
        self.maxQueuedBytes = maxQueuedBytes
        self.maxBlock = maxBlock
        self.maxMessageBytes = maxMessageBytes
        self.compression = compression
        self.properties = properties
    }

    /// The librdkafka properties, in the order they are set.
    var librdkafkaProperties: [(String, String)] {
        var list: [(String, String)] = [
            ("bootstrap.servers", bootstrapServers.joined(separator: ",")),
            ("client.id", clientID),
            ("enable.idempotence", idempotent ? "true" : "false"),
            ("linger.ms", String(linger.milliseconds)),
            ("message.timeout.ms", String(deliveryTimeout.milliseconds)),
            ("queue.buffering.max.messages", String(maxQueuedMessages)),
            ("queue.buffering.max.kbytes", String(max(1, maxQueuedBytes / 1024))),
            ("message.max.bytes", String(maxMessageBytes)),
            ("compression.codec", compression),
            // Partition by the key's murmur2 hash, as Java clients do, so that producers in any
            // language put one key's records in the same partition.
            ("partitioner", "murmur2_random"),
        ]
        list += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return list
    }
}

extension Duration {
    /// Whole milliseconds, saturating at `Int.max`, never negative.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return Int.max }
        return Int(clamping: millis + attoseconds / 1_000_000_000_000_000)
    }
}
