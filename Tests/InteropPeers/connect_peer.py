"""connectrpc (the Connect project's Python runtime) as a client of a Ferry server.

Usage: connect_peer.py PORT [http1]
Calls grpc.testing.TestService over HTTP/2 (or, with http1, over HTTP/1.1, where gRPC cannot go)
with the Connect, gRPC-Web and gRPC protocols and the proto codec, then with Connect and the json codec (messages written by hand, so no generated code
is needed); prints one JSON object with what it saw. InteropTests/ConnectWebTests asserts on it.
"""
import json
import sys

from connectrpc.client import ConnectClientSync
from connectrpc.errors import ConnectError
from connectrpc.method import StreamType
from connectrpc.protocol import ProtocolType
from connect_common import RawJSON, RawProto, method
from pyqwest import HTTPVersion, SyncClient, SyncHTTPTransport


def main():
    port = int(sys.argv[1])
    http1 = sys.argv[2:] == ["http1"]
    out = {}
    # Prior-knowledge HTTP/2 on cleartext, or HTTP/1.1.
    version = HTTPVersion.HTTP1 if http1 else HTTPVersion.HTTP2
    http = SyncClient(SyncHTTPTransport(http_version=version, timeout=30))
    protocols = (ProtocolType.CONNECT, ProtocolType.GRPC_WEB) + (() if http1 else (ProtocolType.GRPC,))
    for protocol in protocols:
        key = protocol.name.lower()
        client = ConnectClientSync(f"http://127.0.0.1:{port}", codec=RawProto(), protocol=protocol,
                                   http_client=http, send_compression=None)
        # SimpleRequest{response_size: 3, payload: {body: 00 01 02}}
        unary = client.execute_unary(request=bytes.fromhex("10031a051203000102"),
                                     method=method("UnaryCall", StreamType.UNARY))
        out[key + "_unary"] = unary.hex()
        # StreamingOutputCallRequest for two responses of 2 and 1 bytes.
        streamed = client.execute_server_stream(request=bytes.fromhex("1202080212020801"),
                                                method=method("StreamingOutputCall", StreamType.SERVER_STREAM))
        out[key + "_stream"] = [message.hex() for message in streamed]
        try:
            # SimpleRequest{response_status: {code: 5, message: "nope"}}
            client.execute_unary(request=bytes.fromhex("3a08080512046e6f7065"),
                                 method=method("UnaryCall", StreamType.UNARY))
            out[key + "_error"] = None
        except ConnectError as error:
            out[key + "_error"] = [error.code.name, error.message]
    # The json codec, with JSON written by hand.
    client = ConnectClientSync(f"http://127.0.0.1:{port}", codec=RawJSON(), http_client=http, send_compression=None)
    out["json_unary"] = client.execute_unary(request=b'{"responseSize": 3}',
                                             method=method("UnaryCall", StreamType.UNARY)).decode()
    streamed = client.execute_server_stream(request=b'{"responseParameters": [{"size": 1}]}',
                                            method=method("StreamingOutputCall", StreamType.SERVER_STREAM))
    out["json_stream"] = [message.decode() for message in streamed]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
