"""confluent-kafka's schema-registry client against a Ferry registry over HTTPS with basic auth.

Usage:
  confluent_kafka_secure.py session URL CA_PEM    register and read as each user; print one JSON object
  confluent_kafka_secure.py probe URL CA_PEM USER:PASSWORD [CERT KEY]
      print the HTTP status of GET /subjects (with a client certificate when given), or
      'refused: ...' when the TLS handshake fails

The users are those of Tests/FerryRegistryServerTests/SecurityTests.swift: alice (admin),
wendy (write), bob (read).
"""
import json
import sys
import urllib.error
import urllib.request

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

V1 = 'syntax = "proto3";\npackage acme;\nmessage Order { int64 id = 1; }\n'


def client(url, ca, user_info=None, certificate=None, key=None):
    conf = {"url": url, "ssl.ca.location": ca, "max.retries": 0}
    if user_info:
        conf["basic.auth.user.info"] = user_info
    if certificate:
        conf["ssl.certificate.location"] = certificate
        conf["ssl.key.location"] = key
    return SchemaRegistryClient(conf)


def failure(call):
    try:
        call()
    except SchemaRegistryError as error:
        return [error.http_status_code, error.error_code]
    return None


def session(url, ca):
    admin = client(url, ca, "alice:alice-pw")
    reader = client(url, ca, "bob:bob-pw")
    registered = admin.register_schema("secure-value", Schema(V1, "PROTOBUF"))
    plain_refused = False
    try:
        urllib.request.urlopen(url.replace("https://", "http://") + "/subjects", timeout=10)
    except (urllib.error.URLError, ConnectionError, OSError):
        plain_refused = True
    print(json.dumps({
        "registered_id": registered,
        "admin_subjects": admin.get_subjects(),
        "reader_subjects": reader.get_subjects(),
        "reader_register": failure(lambda: reader.register_schema("other-value", Schema(V1, "PROTOBUF"))),
        "anonymous": failure(lambda: client(url, ca).get_subjects()),
        "wrong_password": failure(lambda: client(url, ca, "alice:nope").get_subjects()),
        "plain_http_refused": plain_refused,
    }))


def probe(url, ca, user_info, certificate=None, key=None):
    try:
        result = failure(lambda: client(url, ca, user_info, certificate, key).get_subjects())
    except Exception as error:  # a TLS handshake the server refused: no HTTP answer at all
        print("refused: " + type(error).__name__)
        return
    print(200 if result is None else result[0])


if __name__ == "__main__":
    if sys.argv[1] == "session":
        session(sys.argv[2], sys.argv[3])
    else:
        probe(sys.argv[2], sys.argv[3], sys.argv[4], *sys.argv[5:7])
