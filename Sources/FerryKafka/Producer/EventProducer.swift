/// Public: the producer sends FerryCodec's `DescribedMessage`s.
public import FerryCodec
/// Public: `RegistryClient` and `RegistrySerializer` (FerryRegistryClient) are in this file's API.
public import FerryRegistryClient

/// Publishes one generated message type to one topic in Confluent's wire format: a magic byte, the
/// schema id the registry gave the type's schema, the message indexes, then the protobuf bytes.
///
/// ```swift
/// let orders = try EventProducer<OrderPlaced>(producer: producer, topic: "orders", registry: registry)
/// try await orders.send(order, key: order.orderID)
/// ```
///
/// The schema comes from the descriptors the generated type embeds (no `.proto` file at run time)
/// and is registered, or looked up, on the first send; later sends ask the registry nothing. A
/// schema the registry refuses (it would break the subject's consumers) fails the send, so a
/// producer cannot publish what its consumers cannot read.
public struct EventProducer<M: DescribedMessage>: Sendable {
    /// The producer records go through (shared with other event producers).
    public let producer: KafkaProducer
    /// The topic this producer publishes to.
    public let topic: String
    private let serializer: RegistrySerializer<M>

    /// Creates an event producer for `topic`.
    ///
    /// - Parameters:
    ///   - producer: the Kafka producer the records go through.
    ///   - topic: the topic every message is published to.
    ///   - registry: the schema registry that gives `M`'s schema its id.
    ///   - serializer: how the schema id is found (auto-register by default, as Confluent's
    ///     serializers do; turn it off where schemas are registered by CI).
    /// - Throws: ``KafkaError/Code/valueSerialization`` when `M`'s embedded descriptors do not form a
    ///   schema.
    public init(
        producer: KafkaProducer,
        topic: String,
        registry: any RegistryClient,
        serializer: RegistrySerializer<M>.Configuration = .init()
    ) throws(KafkaError) {
        self.producer = producer
        self.topic = topic
        do {
            self.serializer = try RegistrySerializer<M>(client: registry, configuration: serializer)
        } catch {
            throw KafkaError(.valueSerialization, error.description, cause: error)
        }
    }

    /// Publishes `message` with `key` (records with one key stay in one partition, in order) and
    /// returns where the broker stored it.
    ///
    /// - Throws: ``KafkaError/Code/valueSerialization`` when the registry refused the schema or
    ///   could not be reached, or a required field is unset; otherwise what
    ///   ``KafkaProducer/send(_:)`` throws.
    @discardableResult
    public func send(_ message: M, key: String, headers: [KafkaHeader] = []) async throws(KafkaError) -> DeliveryReport
    {
        try await producer.send(record(message, key: key, headers: headers))
    }

    /// The record ``send(_:key:headers:)`` would publish, without publishing it: for a
    /// transactional outbox, which stores it with the state change and publishes it later.
    ///
    /// - Throws: ``KafkaError/Code/valueSerialization`` as ``send(_:key:headers:)`` does.
    public func record(
        _ message: M,
        key: String,
        headers: [KafkaHeader] = []
    ) async throws(KafkaError) -> ProducerRecord {
        let value: [UInt8]
        do {
            value = try await serializer.serialize(message, topic: topic)
        } catch {
            throw KafkaError(.valueSerialization, error.description, cause: error)
        }
        return ProducerRecord(topic: topic, key: Array(key.utf8), value: value, headers: headers)
    }
}
