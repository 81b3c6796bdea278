"""Events across Kafka clients: reads the records Ferry published with kafka-python (a pure-Python
Kafka client, no librdkafka) and confluent-kafka's Protobuf deserializer, then publishes records for
Ferry to read with confluent-kafka's producer and Protobuf serializer.

Usage: kafka_events.py BOOTSTRAP REGISTRY_URL DESCRIPTOR_SET READ_TOPIC COUNT WRITE_TOPIC
Prints one JSON object; FerryKafkaTests' CrossClientTests check it.
"""
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from kafka import KafkaConsumer


def main():
    bootstrap, url, descriptor_set, read_topic, count, write_topic = sys.argv[1:7]
    count = int(count)
    client = SchemaRegistryClient({"url": url})
    files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptor_set, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    order_placed = message_factory.GetMessageClass(pool.FindMessageTypeByName("ferry.examples.v1.OrderPlaced"))

    deserializer = ProtobufDeserializer(order_placed, {}, client)
    # The protocol level is named, not probed: librdkafka 2.0's mock brokers (Debian's) answer the
    # newer ListOffsets and Metadata versions kafka-python would pick with errors it cannot use.
    consumer = KafkaConsumer(
        read_topic, bootstrap_servers=bootstrap, group_id="kafka-python", auto_offset_reset="earliest",
        enable_auto_commit=False, consumer_timeout_ms=60000, api_version=(0, 10, 1),
    )
    received = []
    for record in consumer:
        message = deserializer(record.value, SerializationContext(read_topic, MessageField.VALUE))
        received.append({
            "key": record.key.decode(),
            "order_id": message.order_id,
            "customer_id": message.customer_id,
            "total_minor_units": message.total.minor_units,
            "headers": {name: value.decode() for name, value in record.headers},
            "schema_id": int.from_bytes(record.value[1:5], "big"),
        })
        if len(received) == count:
            break
    consumer.close()

    serializer = ProtobufSerializer(order_placed, client, {"auto.register.schemas": True})
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    for index in range(count):
        message = order_placed(order_id=f"py-{index}", customer_id="grace")
        message.total.currency = "EUR"
        message.total.minor_units = 100 + index
        value = serializer(message, SerializationContext(write_topic, MessageField.VALUE))
        producer.produce(write_topic, key=f"py-{index}".encode(), value=value, headers=[("origin", b"python")])
    unflushed = producer.flush(30)
    print(json.dumps({"received": received, "unflushed": unflushed}))


if __name__ == "__main__":
    main()
