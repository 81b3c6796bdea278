"""confluent-kafka's Python client on the same work as ferry-bench-kafka: N benchpb.OrderPlaced records
(the shared `order` dataset, cycled) published with its Producer and ProtobufSerializer, keyed by
order id, then read back in a new consumer group with its Consumer and ProtobufDeserializer.

Usage: kafka_bench.py BOOTSTRAP REGISTRY_URL TOPIC MESSAGES DESCRIPTOR_SET DATASET_DIR
Prints `RESULT impl=confluent-kafka-python op=produce|consume msgs=N seconds=S rate=R`, timed as
ferry-bench-kafka times them (produce: first queued to last acknowledged; consume: first received
to last).
"""
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def read_dataset(path):
    data = open(path, "rb").read()
    messages, index = [], 0
    while index < len(data):
        length, shift = 0, 0
        while True:
            byte = data[index]
            index += 1
            length |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
        messages.append(data[index:index + length])
        index += length
    return messages


def main():
    bootstrap, url, topic, count, descriptor_set, dataset = sys.argv[1:7]
    count = int(count)
    files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptor_set, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    order_type = message_factory.GetMessageClass(pool.FindMessageTypeByName("benchpb.OrderPlaced"))
    orders = [order_type.FromString(raw) for raw in read_dataset(dataset + "/order.bin")]
    client = SchemaRegistryClient({"url": url})
    serializer = ProtobufSerializer(order_type, client, {"auto.register.schemas": True})
    context = SerializationContext(topic, MessageField.VALUE)

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 5,
                         "queue.buffering.max.messages": 100000, "queue.buffering.max.kbytes": 65536,
                         "partitioner": "murmur2_random"})
    serializer(orders[0], context)  # registers the schema before the clock starts
    failures = []

    def report(error, _message):
        if error is not None:
            failures.append(error)

    started = time.perf_counter()
    for index in range(count):
        order = orders[index % len(orders)]
        value = serializer(order, context)
        while True:
            try:
                producer.produce(topic, key=order.order_id.encode(), value=value, on_delivery=report)
                break
            except BufferError:
                producer.poll(0.01)
        producer.poll(0)
    producer.flush(120)
    produced = time.perf_counter() - started
    if failures:
        raise SystemExit(f"delivery failed: {failures[0]}")
    print(f"RESULT impl=confluent-kafka-python op=produce msgs={count} seconds={produced:.3f} rate={int(count / produced)}", flush=True)

    deserializer = ProtobufDeserializer(order_type, {}, client)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"bench-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "session.timeout.ms": 6000})
    consumer.subscribe([topic])
    received, first = 0, None
    deadline = time.time() + 300
    while received < count and time.time() < deadline:
        message = consumer.poll(1.0)
        if message is None or message.error():
            continue
        if first is None:
            first = time.perf_counter()
        order = deserializer(message.value(), SerializationContext(topic, MessageField.VALUE))
        assert order.order_id
        received += 1
    consumed = time.perf_counter() - (first or time.perf_counter())
    consumer.close()
    print(f"RESULT impl=confluent-kafka-python op=consume msgs={received} seconds={consumed:.3f} rate={int(received / max(consumed, 1e-9))}", flush=True)


if __name__ == "__main__":
    main()
