"""Drives confluent-kafka's schema-registry client and Protobuf serde against a Ferry registry.

Usage: confluent_kafka_registry.py URL DESCRIPTOR_SET FERRY_PAYLOAD_HEX [INVOICE_DESCRIPTOR_SET FERRY_INVOICE_HEX]
Prints one JSON object with what the client saw; Ferry's RegistryInteropTests check it.
"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

ORDER_V1 = 'syntax = "proto3";\npackage py;\nmessage Order { int64 id = 1; string note = 2; }\n'
ORDER_V2 = 'syntax = "proto3";\npackage py;\nmessage Order { int64 id = 1; string note = 2; double total = 3; }\n'
ORDER_BREAKING = 'syntax = "proto3";\npackage py;\nmessage Order { string id = 1; }\n'


def main():
    url, descriptor_set, ferry_payload_hex = sys.argv[1], sys.argv[2], sys.argv[3]
    client = SchemaRegistryClient({"url": url})
    result = {}

    schema_id = client.register_schema("py-orders-value", Schema(ORDER_V1, "PROTOBUF"))
    result["registered_id"] = schema_id
    result["registered_again_id"] = client.register_schema("py-orders-value", Schema(ORDER_V1, "PROTOBUF"))
    fetched = client.get_schema(schema_id)
    result["fetched_type"] = fetched.schema_type
    result["fetched_has_order"] = "message Order" in fetched.schema_str
    looked_up = client.lookup_schema("py-orders-value", Schema(ORDER_V1, "PROTOBUF"))
    result["lookup_version"] = looked_up.version
    result["lookup_id"] = looked_up.schema_id
    result["latest_version"] = client.get_latest_version("py-orders-value").version
    result["subjects"] = client.get_subjects()
    result["versions"] = client.get_versions("py-orders-value")
    result["compatible_v2"] = client.test_compatibility("py-orders-value", Schema(ORDER_V2, "PROTOBUF"))
    result["compatible_breaking"] = client.test_compatibility("py-orders-value", Schema(ORDER_BREAKING, "PROTOBUF"))
    try:
        client.register_schema("py-orders-value", Schema(ORDER_BREAKING, "PROTOBUF"))
        result["breaking_error"] = None
    except Exception as error:  # SchemaRegistryError
        result["breaking_error"] = [getattr(error, "http_status_code", None), getattr(error, "error_code", None)]
    result["global_level"] = client.get_compatibility()
    client.set_compatibility("py-orders-value", "FULL")
    result["subject_level"] = client.get_compatibility("py-orders-value")

    files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptor_set, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    order_placed = message_factory.GetMessageClass(pool.FindMessageTypeByName("acme.events.OrderPlaced"))

    serializer = ProtobufSerializer(order_placed, client, {"auto.register.schemas": True})
    message = order_placed(order_id=7, customer="grace", total=99.5, items=["book", "pen"])
    payload = serializer(message, SerializationContext("py-events", MessageField.VALUE))
    result["python_payload_hex"] = payload.hex()

    deserializer = ProtobufDeserializer(order_placed, {}, client)
    decoded = deserializer(bytes.fromhex(ferry_payload_hex), SerializationContext("ferry-events", MessageField.VALUE))
    result["decoded_from_ferry"] = {
        "order_id": decoded.order_id, "customer": decoded.customer, "total": decoded.total, "items": list(decoded.items),
    }
    if len(sys.argv) > 5:
        # A schema with an import: the serializer registers the imported file first, as a reference.
        invoice_files = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[4], "rb").read())
        invoice_pool = descriptor_pool.DescriptorPool()
        for file in invoice_files.file:
            invoice_pool.Add(file)
        invoice_class = message_factory.GetMessageClass(invoice_pool.FindMessageTypeByName("acme.shop.Invoice"))
        invoice_serializer = ProtobufSerializer(invoice_class, client, {"auto.register.schemas": True})
        invoice = invoice_class(number="INV-1")
        invoice.total.units = 1250
        invoice.total.currency = "EUR"
        result["python_invoice_hex"] = invoice_serializer(invoice, SerializationContext("py-invoices", MessageField.VALUE)).hex()
        result["invoice_references"] = [
            [ref.name, ref.subject, ref.version] for ref in client.get_latest_version("py-invoices-value").schema.references
        ]
        invoice_deserializer = ProtobufDeserializer(invoice_class, {}, client)
        from_ferry = invoice_deserializer(bytes.fromhex(sys.argv[5]), SerializationContext("ferry-invoices", MessageField.VALUE))
        result["invoice_from_ferry"] = [from_ferry.number, from_ferry.total.units, from_ferry.total.currency]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
