internal import CRDKafka
import NIOPosix

/// An in-process Kafka cluster for tests and demos: librdkafka's mock brokers, which speak the Kafka
/// protocol on 127.0.0.1 ports (produce, fetch, consumer groups, idempotence), keep everything in
/// memory and live as long as this object.
///
/// Any Kafka client can connect to ``bootstrapServers``, Ferry's or another language's. It is not a
/// broker to run in production: no persistence, no security, no topic administration API (create
/// topics with ``createTopic(_:partitions:replicationFactor:)``).
public final class KafkaMockCluster: Sendable {
    private let client: RDKafkaClient
    /// SAFETY: owned by this object, destroyed in deinit before the client it belongs to.
    private nonisolated(unsafe) let cluster: OpaquePointer
    /// `host:port` of every mock broker, for ``KafkaProducerConfiguration/bootstrapServers``.
    public let bootstrapServers: [String]

    /// Starts `brokers` mock brokers on loopback ports.
    public init(brokers: Int = 3) throws(KafkaError) {
        // The cluster needs a client handle to run on; a producer that never connects anywhere.
        client = try RDKafkaClient(
            kind: RD_KAFKA_PRODUCER,
            properties: [("bootstrap.servers", "")],
            logLabel: "ferry.kafka.mock"
        )
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokers)) else {
            client.destroy()
            throw KafkaError(.invalidArgument, "librdkafka could not start a mock cluster of \(brokers) brokers")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster)).split(separator: ",").map(
            String.init
        )
    }

    /// Creates `topic` with `partitions` partitions.
    public func createTopic(_ topic: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        let error = rd_kafka_mock_topic_create(cluster, topic, Int32(partitions), Int32(replicationFactor))
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(error, context: "cannot create topic \(topic)")
        }
    }

    deinit {
        // Stopping the brokers joins their thread: not on the thread that dropped the cluster.
        let handles = UnsafeTransfer((cluster, client))
        NIOThreadPool.singleton.submit { _ in
            rd_kafka_mock_cluster_destroy(handles.value.0)
            handles.value.1.destroy()
        }
    }
}
