"""What connect_peer.py and connect_server.py share: connectrpc's proto and json codecs over bytes
the scripts encode by hand (so no generated code is needed), and grpc.testing.TestService's methods."""
from connectrpc.method import IdempotencyLevel, MethodInfo


class RawProto:
    """The proto codec over bytes the caller encodes itself."""

    def name(self):
        return "proto"

    def encode(self, message):
        return bytes(message)

    def decode(self, data, message_class):
        return bytes(data)


class RawJSON(RawProto):
    """The json codec over JSON text the caller writes itself."""

    def name(self):
        return "json"


def method(name, stream_type):
    """The MethodInfo of a grpc.testing.TestService method over bytes."""
    return MethodInfo(name=name, service_name="grpc.testing.TestService", input=bytes, output=bytes,
                      idempotency_level=IdempotencyLevel.UNKNOWN, stream_type=stream_type)
