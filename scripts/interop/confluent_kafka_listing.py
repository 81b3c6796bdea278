"""Lists subjects, versions and schemas of a Ferry registry through confluent-kafka's own client.

Usage: confluent_kafka_listing.py BASE_URL

Registers a few schemas, soft-deletes some, then prints one JSON object with what the client's
listing calls (prefix, deleted, deleted_only, offset, limit) and raw GET /schemas answer.
"""
import json
import sys
import urllib.request

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

V1 = 'syntax = "proto3";\npackage acme;\nmessage Order { int64 id = 1; }\n'
V2 = 'syntax = "proto3";\npackage acme;\nmessage Order { int64 id = 1; string note = 2; }\n'
USER = 'syntax = "proto3";\npackage acme;\nmessage User { string name = 1; }\n'


def main():
    url = sys.argv[1]
    client = SchemaRegistryClient({"url": url})
    client.register_schema("a-orders", Schema(V1, "PROTOBUF"))
    client.register_schema("a-orders", Schema(V2, "PROTOBUF"))
    client.register_schema("a-payments", Schema(V1, "PROTOBUF"))
    client.register_schema("b-users", Schema(USER, "PROTOBUF"))
    client.delete_subject("a-payments")
    client.delete_version("a-orders", 1)

    def raw(path):
        with urllib.request.urlopen(url + path, timeout=30) as response:
            return json.loads(response.read())

    print(json.dumps({
        "subjects": client.get_subjects(),
        "prefix": client.get_subjects(subject_prefix="a-"),
        "deleted": client.get_subjects(deleted=True),
        "deleted_only": client.get_subjects(deleted_only=True),
        "page": client.get_subjects(deleted=True, offset=1, limit=1),
        "versions": client.get_versions("a-orders"),
        "versions_deleted": client.get_versions("a-orders", deleted=True),
        "versions_deleted_only": client.get_versions("a-orders", deleted_only=True),
        "schemas": [[s["subject"], s["version"], s["id"], s["schemaType"]] for s in raw("/schemas")],
        "schemas_latest_a": [[s["subject"], s["version"]] for s in raw("/schemas?subjectPrefix=a-&latestOnly=true")],
        "schemas_deleted": [[s["subject"], s["version"]] for s in raw("/schemas?deleted=true")],
        "schemas_page": [[s["subject"], s["version"]] for s in raw("/schemas?offset=1&limit=1")],
    }))


if __name__ == "__main__":
    main()
