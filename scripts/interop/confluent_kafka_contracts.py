"""Data contracts through confluent-kafka's own schema-registry client, against a running registry.

Usage: confluent_kafka_contracts.py BASE_URL
Prints one JSON object with what the client saw; InteropTests asserts on it.
"""
import json
import sys

from confluent_kafka.schema_registry import (
    Metadata, MetadataProperties, MetadataTags, Rule, RuleKind, RuleMode, RuleParams, RuleSet, Schema, SchemaRegistryClient,
)
from confluent_kafka.schema_registry.error import SchemaRegistryError

ORDER = 'syntax = "proto3";\npackage acme;\nmessage Order { int64 id = 1; string email = 2; double total = 3; }\n'


def metadata(version):
    return Metadata(MetadataTags({"Order.email": ["PII"]}), MetadataProperties({"owner": "payments", "app.version": version}), ["secret"])


def rules():
    check = Rule("positiveTotal", "totals are positive", RuleKind.CONDITION, RuleMode.WRITE, "CEL", None, None,
                 "message.total > 0.0", None, "ERROR", None)
    encrypt = Rule("encryptPII", None, RuleKind.TRANSFORM, RuleMode.WRITEREAD, "ENCRYPT", ["PII"],
                   RuleParams({"encrypt.kek.name": "kek1"}), None, None, None, None)
    upgrade = Rule("renameTotal", None, RuleKind.TRANSFORM, RuleMode.UPGRADE, "JSONATA", None, None,
                   "$merge([$sift($, function($v, $k) {$k != 'sum'}), {'total': $.'sum'}])", None, None, None)
    return RuleSet([upgrade], [check, encrypt])


def main():
    client = SchemaRegistryClient({"url": sys.argv[1]})
    subject = "contracts-value"
    out = {}
    first = client.register_schema(subject, Schema(ORDER, "PROTOBUF", [], metadata("1"), rules()))
    out["first_id"] = first
    latest = client.get_latest_version(subject)
    out["latest_version"] = latest.version
    out["latest_properties"] = latest.schema.metadata.properties.properties
    out["latest_tags"] = latest.schema.metadata.tags.tags
    out["latest_sensitive"] = latest.schema.metadata.sensitive
    out["domain_rules"] = [[r.name, r.kind.name, r.mode.name, r.type, r.expr or "", r.on_failure or ""]
                           for r in latest.schema.rule_set.domain_rules]
    out["encrypt_params"] = latest.schema.rule_set.domain_rules[1].params.params
    out["encrypt_tags"] = latest.schema.rule_set.domain_rules[1].tags
    out["migration_rules"] = [r.name for r in latest.schema.rule_set.migration_rules]

    # The same text without a contract keeps the subject's: no new version.
    client.clear_caches() if hasattr(client, "clear_caches") else None
    out["again_id"] = client.register_schema(subject, Schema(ORDER, "PROTOBUF"))
    # Another app.version is another schema.
    out["second_id"] = client.register_schema(subject, Schema(ORDER, "PROTOBUF", [], metadata("2"), rules()))
    out["versions"] = client.get_versions(subject)
    out["with_metadata_v1"] = client.get_latest_with_metadata(subject, {"app.version": "1"}).version
    out["with_metadata_v2"] = client.get_latest_with_metadata(subject, {"app.version": "2", "owner": "payments"}).version
    try:
        client.get_latest_with_metadata(subject, {"app.version": "3"})
        out["with_metadata_missing"] = None
    except SchemaRegistryError as error:
        out["with_metadata_missing"] = error.error_code
    out["lookup_plain"] = client.lookup_schema(subject, Schema(ORDER, "PROTOBUF")).version
    out["lookup_v1"] = client.lookup_schema(subject, Schema(ORDER, "PROTOBUF", [], metadata("1"), rules())).version
    by_id = client.get_schema(first)
    out["by_id_owner"] = by_id.metadata.properties.properties.get("owner")
    out["by_id_rules"] = [r.name for r in by_id.rule_set.domain_rules]
    try:
        bad = RuleSet(None, [Rule("bad", None, RuleKind.CONDITION, RuleMode.UPGRADE, "CEL", None, None, "true", None, None, None)])
        client.register_schema("bad-value", Schema(ORDER, "PROTOBUF", [], None, bad))
        out["bad_rule"] = None
    except SchemaRegistryError as error:
        out["bad_rule"] = [error.http_status_code, error.error_code]
    print(json.dumps(out))


main()
