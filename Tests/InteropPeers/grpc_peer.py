#!/usr/bin/env python3
"""A grpcio peer for Ferry's interop tests, speaking raw bytes (no generated stubs needed).

server --port 0            serves ferry.interop.RawService on 127.0.0.1, prints "PORT <n>", runs until
                           stdin closes (at most --max-seconds).
client --port N --case C   calls a Ferry server implementing the same service; exit 0 when case C passes.
alpn --port N --alpn P     opens a TLS connection offering only ALPN protocol P (or none when P is "-"),
                           prints "NEGOTIATED <p>" and then "CLOSED" once the server closes it, or
                           "OPEN" if it is still open after 3 s.

TLS (optional): the server takes --tls-cert and --tls-key (PEM files); the client and alpn modes take
--tls-ca (the PEM file of the CA to trust) and --tls-hostname (the name to check, default the address).

Service methods (request and response bytes are UTF-8 text unless noted):
  Echo      unary: returns the request; echoes request metadata keys starting with "x-" as initial
            metadata; trailers x-trailer: t and x-trailer-bin: 00 01 ff.
  Fail      unary: request "CODE|message" -> fails with that status, trailers x-why: asked and
            grpc-status-details-bin: google.rpc.Status{code, message}.
  EchoGzip  unary: returns the request compressed with gzip, and the request's size, "<n>", in the
            trailer x-received (grpcio has decompressed it by then, whatever its encoding).
  Expand    server streaming: one response per space-separated word.
  Collect   client streaming: the requests joined by spaces.
  Upper     bidi: each request upper-cased, answered as it arrives.
  Sleep     unary: request "<name>"; waits until cancelled or its deadline passes (300 s at most).
  Started   unary: request "<name>" -> "yes" once a Sleep of that name runs, else "no", so a client
            cancels one that runs.
  Stats     unary: request "<name>" -> "cancelled" once a Sleep of that name saw its cancellation,
            else "not cancelled".
  Remaining unary: the seconds left before the call's deadline, or "none".
  Describe  unary: a serialized google.protobuf.FileDescriptorProto; returns it with name upper-cased.
"""
import argparse
import sys
import threading
import time
from concurrent import futures

import grpc

SERVICE = "ferry.interop.RawService"
cancelled_sleeps = set()
started_sleeps = set()
lock = threading.Lock()


def echo(request, context):
    echoed = [(k, v) for k, v in context.invocation_metadata() if k.startswith("x-")]
    context.send_initial_metadata(tuple(echoed))
    context.set_trailing_metadata((("x-trailer", "t"), ("x-trailer-bin", b"\x00\x01\xff")))
    return request


def echo_gzip(request, context):
    context.set_compression(grpc.Compression.Gzip)
    context.set_trailing_metadata((("x-received", str(len(request))),))
    return request


def status_details(code, message):
    """A serialized google.rpc.Status{code, message}, encoded by hand (field 1 varint, field 2 string)."""
    text = message.encode()
    out = bytearray([0x08])
    value = code
    while True:
        out.append((value & 0x7F) | (0x80 if value > 0x7F else 0))
        value >>= 7
        if value == 0:
            break
    out.append(0x12)
    length = len(text)
    while True:
        out.append((length & 0x7F) | (0x80 if length > 0x7F else 0))
        length >>= 7
        if length == 0:
            break
    return bytes(out + text)


def fail(request, context):
    code_text, _, message = request.decode().partition("|")
    code = next(c for c in grpc.StatusCode if c.value[0] == int(code_text))
    context.set_trailing_metadata((("x-why", "asked"), ("grpc-status-details-bin", status_details(code.value[0], message))))
    context.abort(code, message)


def expand(request, context):
    for word in request.decode().split():
        yield word.encode()


def collect(request_iterator, context):
    return b" ".join(request_iterator)


def upper(request_iterator, context):
    for request in request_iterator:
        yield request.upper()


def sleep(request, context):
    with lock:
        started_sleeps.add(request)
    start = time.monotonic()
    while context.is_active() and time.monotonic() - start < 300:
        time.sleep(0.01)
    if not context.is_active():
        with lock:
            cancelled_sleeps.add(request)
    return b"woke"


def stats(request, context):
    with lock:
        return b"cancelled" if request in cancelled_sleeps else b"not cancelled"


def started(request, context):
    with lock:
        return b"yes" if request in started_sleeps else b"no"


def remaining(request, context):
    left = context.time_remaining()
    return b"none" if left is None else f"{left:.3f}".encode()


def describe(request, context):
    from google.protobuf import descriptor_pb2

    proto = descriptor_pb2.FileDescriptorProto()
    proto.ParseFromString(request)
    proto.name = proto.name.upper()
    return proto.SerializeToString()


def serve(args):
    handlers = {
        "Echo": grpc.unary_unary_rpc_method_handler(echo),
        "EchoGzip": grpc.unary_unary_rpc_method_handler(echo_gzip),
        "Fail": grpc.unary_unary_rpc_method_handler(fail),
        "Expand": grpc.unary_stream_rpc_method_handler(expand),
        "Collect": grpc.stream_unary_rpc_method_handler(collect),
        "Upper": grpc.stream_stream_rpc_method_handler(upper),
        "Sleep": grpc.unary_unary_rpc_method_handler(sleep),
        "Stats": grpc.unary_unary_rpc_method_handler(stats),
        "Started": grpc.unary_unary_rpc_method_handler(started),
        "Remaining": grpc.unary_unary_rpc_method_handler(remaining),
        "Describe": grpc.unary_unary_rpc_method_handler(describe),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    if args.tls_cert:
        with open(args.tls_cert, "rb") as cert, open(args.tls_key, "rb") as key:
            credentials = grpc.ssl_server_credentials(((key.read(), cert.read()),))
        port = server.add_secure_port(f"127.0.0.1:{args.port}", credentials)
    else:
        port = server.add_insecure_port(f"127.0.0.1:{args.port}")
    server.start()
    print(f"PORT {port}", flush=True)
    # Run until the test closes our stdin (or the time limit passes).
    watcher = threading.Thread(target=lambda: sys.stdin.read(), daemon=True)
    watcher.start()
    watcher.join(timeout=args.max_seconds)
    server.stop(grace=1).wait(timeout=5)


def check(condition, what):
    if not condition:
        print(f"FAIL: {what}", flush=True)
        sys.exit(1)


def run_client(args):
    if args.tls_ca:
        with open(args.tls_ca, "rb") as ca:
            credentials = grpc.ssl_channel_credentials(root_certificates=ca.read())
        options = [("grpc.ssl_target_name_override", args.tls_hostname)] if args.tls_hostname else []
        channel = grpc.secure_channel(f"127.0.0.1:{args.port}", credentials, options=options)
    else:
        channel = grpc.insecure_channel(f"127.0.0.1:{args.port}")
    grpc.channel_ready_future(channel).result(timeout=60)

    def method(name, kind="unary_unary"):
        return getattr(channel, kind)(f"/{SERVICE}/{name}")

    case = args.case
    if case == "unary":
        response, call = method("Echo").with_call(
            b"hello", metadata=(("x-one", "1"), ("x-data-bin", b"\x00\xfe"), ("other", "no")), timeout=60
        )
        check(response == b"hello", f"echo response {response!r}")
        initial = dict(call.initial_metadata())
        check(initial.get("x-one") == "1", f"initial metadata {initial}")
        check(initial.get("x-data-bin") == b"\x00\xfe", f"binary initial metadata {initial}")
        check("other" not in initial, "non x- key echoed")
        trailing = dict(call.trailing_metadata())
        check(trailing.get("x-trailer") == "t", f"trailers {trailing}")
        check(trailing.get("x-trailer-bin") == b"\x00\x01\xff", f"binary trailers {trailing}")
    elif case == "server_streaming":
        words = list(method("Expand", "unary_stream")(b"one two three", timeout=60))
        check(words == [b"one", b"two", b"three"], f"words {words}")
    elif case == "client_streaming":
        response = method("Collect", "stream_unary")(iter([b"a", b"b", b"c"]), timeout=60)
        check(response == b"a b c", f"collected {response!r}")
    elif case == "bidi":
        requests = [b"ping", b"pong"]
        responses = list(method("Upper", "stream_stream")(iter(requests), timeout=60))
        check(responses == [b"PING", b"PONG"], f"bidi {responses}")
    elif case == "empty_stream":
        responses = list(method("Upper", "stream_stream")(iter([]), timeout=60))
        check(responses == [], f"empty stream gave {responses}")
    elif case == "cancel_after_first_response":
        import queue

        requests = queue.Queue()
        requests.put(b"first")

        def request_iterator():
            while True:
                item = requests.get(timeout=60)
                if item is None:
                    return
                yield item

        call = method("Upper", "stream_stream")(request_iterator(), timeout=60)
        check(next(call) == b"FIRST", "first response")
        call.cancel()
        requests.put(None)
        try:
            next(call)
            check(False, "call continued after cancel")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.CANCELLED, f"code {error.code()}")
    elif case == "status":
        for code in grpc.StatusCode:
            if code == grpc.StatusCode.OK:
                continue
            message = f"failed {code.name} \u2713 100%\n"
            try:
                method("Fail")(f"{code.value[0]}|{message}".encode(), timeout=60)
                check(False, f"{code} did not fail")
            except grpc.RpcError as error:
                check(error.code() == code, f"code {error.code()} != {code}")
                check(error.details() == message, f"details {error.details()!r} != {message!r}")
                trailing = dict(error.trailing_metadata())
                check(trailing.get("x-why") == "asked", f"trailers {trailing}")
    elif case == "deadline":
        start = time.monotonic()
        try:
            method("Sleep")(b"", timeout=0.3)
            check(False, "sleep returned")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, f"code {error.code()}")
        check(time.monotonic() - start < 10, "deadline took too long")
        left = float(method("Remaining")(b"", timeout=60).decode())
        check(0 < left <= 60.1, f"remaining {left}")
    elif case == "cancel":
        future = method("Sleep").future(b"", timeout=20)
        time.sleep(0.3)
        future.cancel()
        for _ in range(2500):  # the Ferry server may share a loaded machine; give it up to ~50 s
            if method("Stats")(b"", timeout=60) != b"cancelled=0":
                break
            time.sleep(0.02)
        stats_text = method("Stats")(b"", timeout=60).decode()
        check(stats_text == "cancelled=1", f"server saw {stats_text}")
    elif case == "unimplemented":
        for path in (f"/{SERVICE}/NoSuchMethod", "/no.such.Service/Method"):
            try:
                channel.unary_unary(path)(b"", timeout=60)
                check(False, f"{path} succeeded")
            except grpc.RpcError as error:
                check(error.code() == grpc.StatusCode.UNIMPLEMENTED, f"{path}: {error.code()}")
    elif case == "large":
        payload = bytes(range(256)) * (3 * 1024 * 1024 // 256)
        response = method("Echo")(payload, timeout=60)
        check(response == payload, "large echo mismatch")
    else:
        check(False, f"unknown case {case}")
    print("PASS", flush=True)


def probe_alpn(args):
    import socket
    import ssl

    context = ssl.create_default_context(cafile=args.tls_ca)
    if args.alpn != "-":
        context.set_alpn_protocols([args.alpn])
    with socket.create_connection(("127.0.0.1", args.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=args.tls_hostname or "127.0.0.1") as tls:
            print(f"NEGOTIATED {tls.selected_alpn_protocol()}", flush=True)
            tls.settimeout(3)
            try:
                # A server that accepted the protocol sends its HTTP/2 SETTINGS and waits; one that
                # rejected it closes the connection.
                while tls.recv(4096):
                    pass
                print("CLOSED", flush=True)
            except (ConnectionError, ssl.SSLError):
                print("CLOSED", flush=True)
            except socket.timeout:
                print("OPEN", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["server", "client", "alpn"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--case", default="")
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--tls-cert", default="")
    parser.add_argument("--tls-key", default="")
    parser.add_argument("--tls-ca", default="")
    parser.add_argument("--tls-hostname", default="")
    parser.add_argument("--alpn", default="h2")
    args = parser.parse_args()
    if args.mode == "server":
        serve(args)
    elif args.mode == "alpn":
        probe_alpn(args)
    else:
        run_client(args)


if __name__ == "__main__":
    main()
