"""One HTTP/2 request with prior knowledge, as the Connect and gRPC-Web tests send them by hand.

Reads a JSON object on standard input: {"port": n, "method": "POST", "path": "/pkg.Svc/Method",
"headers": [[name, value], ...], "body_hex": "...", "gzip": false} (gzip compresses the body whole,
as Connect's unary `content-encoding` does) and prints {"status": n, "headers": [[...]],
"body_hex": "...", "trailers": [[...]]}, plus "inflated_hex" for a gzip body. The socket has a 30 s timeout, so a server that never
answers fails the test instead of hanging it.
"""
import gzip
import json
import socket
import sys

import h2.config
import h2.connection
import h2.events


def main():
    request = json.load(sys.stdin)
    sock = socket.create_connection(("127.0.0.1", request["port"]), timeout=30)
    connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    connection.initiate_connection()
    stream = connection.get_next_available_stream_id()
    body = bytes.fromhex(request.get("body_hex", ""))
    if request.get("gzip"):
        body = gzip.compress(body)
    headers = [(":method", request.get("method", "POST")), (":scheme", "http"), (":authority", "127.0.0.1"),
               (":path", request["path"])] + [tuple(pair) for pair in request.get("headers", [])]
    connection.send_headers(stream, headers, end_stream=not body)
    sent = 0
    answer = {"status": None, "headers": [], "body_hex": "", "trailers": []}
    received = bytearray()
    done = False
    while not done:
        # Send what the flow-control window allows, then read.
        while sent < len(body) and connection.local_flow_control_window(stream) > 0:
            size = min(connection.local_flow_control_window(stream), connection.max_outbound_frame_size, len(body) - sent)
            connection.send_data(stream, body[sent:sent + size], end_stream=sent + size == len(body))
            sent += size
        sock.sendall(connection.data_to_send())
        data = sock.recv(65536)
        if not data:
            break
        for event in connection.receive_data(data):
            if isinstance(event, h2.events.ResponseReceived):
                for name, value in event.headers:
                    if name == ":status":
                        answer["status"] = int(value)
                    else:
                        answer["headers"].append([name, value])
            elif isinstance(event, h2.events.TrailersReceived):
                answer["trailers"] = [[name, value] for name, value in event.headers]
            elif isinstance(event, h2.events.DataReceived):
                received += event.data
                connection.acknowledge_received_data(event.flow_controlled_length, stream)
            elif isinstance(event, (h2.events.StreamEnded, h2.events.StreamReset)):
                done = True
        sock.sendall(connection.data_to_send())
    sock.close()
    answer["body_hex"] = received.hex()
    if ["content-encoding", "gzip"] in answer["headers"]:
        answer["inflated_hex"] = gzip.decompress(bytes(received)).hex()
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
