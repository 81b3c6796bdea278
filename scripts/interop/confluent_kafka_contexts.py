"""Schema contexts through confluent-kafka's own schema-registry client, against a running registry.

Usage: confluent_kafka_contexts.py BASE_URL
Prints one JSON object with what the client saw; InteropTests asserts on it.
"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

V1 = 'syntax = "proto3";\npackage acme;\nmessage Order { int64 id = 1; }\n'
V2 = 'syntax = "proto3";\npackage acme;\nmessage Order { int64 id = 1; string note = 2; }\n'
BREAKING = 'syntax = "proto3";\npackage acme;\nmessage Order { string id = 1; }\n'
STAGED = ":.staging:orders-value"


def main():
    url = sys.argv[1]
    out = {}
    client = SchemaRegistryClient({"url": url})
    out["staged_id"] = client.register_schema(STAGED, Schema(V1, "PROTOBUF"))
    out["default_id"] = client.register_schema("orders-value", Schema(V2, "PROTOBUF"))
    # Fresh clients, so that no client-side cache answers for the other context.
    staged = SchemaRegistryClient({"url": url}).get_schema(1, subject_name=STAGED)
    plain = SchemaRegistryClient({"url": url}).get_schema(1)
    out["staged_has_note"] = "note" in staged.schema_str
    out["default_has_note"] = "note" in plain.schema_str
    out["contexts"] = client.get_contexts()
    out["subjects"] = client.get_subjects()
    latest = client.get_latest_version(STAGED)
    out["latest"] = [latest.subject, latest.schema_id, latest.version]
    out["lookup_id"] = client.lookup_schema(STAGED, Schema(V1, "PROTOBUF")).schema_id
    client.set_compatibility(":.staging:", "NONE")
    out["staged_accepts_breaking"] = client.test_compatibility(STAGED, Schema(BREAKING, "PROTOBUF"))
    out["default_accepts_breaking"] = client.test_compatibility("orders-value", Schema(BREAKING, "PROTOBUF"))
    # A client whose URL is a base context path works in that context without qualifying anything.
    linked = SchemaRegistryClient({"url": url + "/contexts/.linked"})
    out["linked_id"] = linked.register_schema("orders-value", Schema(V1, "PROTOBUF"))
    out["linked_has_note"] = "note" in linked.get_schema(out["linked_id"]).schema_str
    out["linked_subjects"] = linked.get_subjects()
    try:
        client.register_schema(":staging:orders-value", Schema(V1, "PROTOBUF"))
        out["malformed"] = None
    except SchemaRegistryError as error:
        out["malformed"] = [error.http_status_code, error.error_code]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
