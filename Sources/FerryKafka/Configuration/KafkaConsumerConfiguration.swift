/// How a ``KafkaConsumer`` joins its group, where it starts and when it commits.
///
/// Offsets are committed only for records the application has finished with: a record's offset is
/// stored when the loop asks for the next record (or when ``KafkaConsumer/storeOffset(of:)`` names it),
/// and stored offsets are committed every ``CommitMode/automatic(interval:)`` interval, when
/// partitions are taken away in a rebalance, and on ``KafkaConsumer/close()``. A record being
/// handled when the consumer stops is therefore delivered again (at least once), never skipped.
public struct KafkaConsumerConfiguration: Sendable, Hashable {
    /// Where a partition with no committed offset starts.
    public enum StartOffset: String, Sendable, Hashable {
        /// The oldest record the broker still has.
        case earliest
        /// Only records produced from now on.
        case latest
    }

    /// When stored offsets reach the broker.
    public enum CommitMode: Sendable, Hashable {
        /// librdkafka commits what was stored at this interval, on rebalance and on close.
        case automatic(interval: Duration)
        /// Only ``KafkaConsumer/commit()`` commits (and close, for what was stored).
        case manual
    }

    /// `host:port` of one or more brokers to bootstrap from.
    public var bootstrapServers: [String]
    /// The consumer group: its members share the topics' partitions.
    public var groupID: String
    /// The client id brokers log and quota by. Default `ferry`.
    public var clientID: String
    /// Where to start without a committed offset (`auto.offset.reset`). Default earliest.
    public var startOffset: StartOffset
    /// When offsets are committed. Default automatic every 5 seconds.
    public var commitMode: CommitMode
    /// How long the group waits for a silent member before giving its partitions to others
    /// (`session.timeout.ms`). Default 45 seconds (Kafka's).
    public var sessionTimeout: Duration
    /// The longest the application may take between two reads before it is considered stuck and
    /// leaves the group (`max.poll.interval.ms`). Default 5 minutes (Kafka's).
    public var maxPollInterval: Duration
    /// Bytes librdkafka fetches ahead of the application, per partition queue in all
    /// (`queued.max.messages.kbytes`). Default 16 MiB (librdkafka's own default is 64 MiB).
    public var maxPrefetchBytes: Int
    /// The largest record batch a fetch returns per partition (`max.partition.fetch.bytes`). Default 1 MiB.
    public var maxPartitionFetchBytes: Int
    /// librdkafka properties set after the ones above; a key named here overrides the typed value.
    public var properties: [String: String]

    /// Creates a configuration; every parameter but the first two defaults to the value documented
    /// on its property.
    public init(
        bootstrapServers: [String],
        groupID: String,
        clientID: String = "ferry",
        startOffset: StartOffset = .earliest,
        commitMode: CommitMode = .automatic(interval: .seconds(5)),
        sessionTimeout: Duration = .seconds(45),
        maxPollInterval: Duration = .seconds(300),
        maxPrefetchBytes: Int = 16 << 20,
        maxPartitionFetchBytes: Int = 1 << 20,
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.clientID = clientID
        self.startOffset = startOffset
        self.commitMode = commitMode
        self.sessionTimeout = sessionTimeout
        self.maxPollInterval = maxPollInterval
        self.maxPrefetchBytes = maxPrefetchBytes
        self.maxPartitionFetchBytes = maxPartitionFetchBytes
        self.properties = properties
    }

    /// The librdkafka properties, in the order they are set.
    var librdkafkaProperties: [(String, String)] {
        var list: [(String, String)] = [
            ("bootstrap.servers", bootstrapServers.joined(separator: ",")),
            ("group.id", groupID),
            ("client.id", clientID),
            ("auto.offset.reset", startOffset.rawValue),
            // Offsets are stored by Ferry once the application is done with a record.
            ("enable.auto.offset.store", "false"),
            ("session.timeout.ms", String(sessionTimeout.milliseconds)),
            ("max.poll.interval.ms", String(maxPollInterval.milliseconds)),
            ("queued.max.messages.kbytes", String(max(1, maxPrefetchBytes / 1024))),
            ("max.partition.fetch.bytes", String(maxPartitionFetchBytes)),
        ]
        switch commitMode {
        case .automatic(let interval):
            list += [
                ("enable.auto.commit", "true"), ("auto.commit.interval.ms", String(max(1, interval.milliseconds))),
            ]
        case .manual:
            list += [("enable.auto.commit", "false")]
        }
        list += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return list
    }
}
