"""connectrpc (the Connect project's Python runtime) as a Connect server for Ferry's client.

Usage: connect_server.py [--max_seconds N]
Serves two methods of grpc.testing.TestService over HTTP/2 cleartext (hypercorn) with the proto
codec, on messages it reads and writes by hand (no generated code): UnaryCall answers a
SimpleResponse with `response_size` zero bytes and echoes `x-echo` as a header and a trailer, or
fails with NOT_FOUND "nope" when the request carries a response_status; StreamingOutputCall sends
one response per response_parameters entry. Every response carries `x-http-version` (the request's
HTTP version as hypercorn saw it: "2" or "1.1"). Prints "PORT <n>" once it listens on 127.0.0.1.
"""
import asyncio
import socket
import sys

from connectrpc.code import Code
from connectrpc.errors import ConnectError
from connectrpc.method import StreamType
from connectrpc.server import ConnectASGIApplication, Endpoint
from connect_common import RawProto, method
from hypercorn.asyncio import serve
from hypercorn.config import Config


def fields(data):
    """(number, value) of each varint or length-delimited field of a message."""
    index = 0
    while index < len(data):
        def varint():
            nonlocal index
            value, shift = 0, 0
            while True:
                byte = data[index]
                index += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    return value
        tag = varint()
        if tag & 7 == 0:
            yield tag >> 3, varint()
        else:
            length = varint()
            yield tag >> 3, data[index:index + length]
            index += length


def response(size):
    payload = b"\x12" + bytes([size]) + bytes(size)
    return b"\x0a" + bytes([len(payload)]) + payload


class Service:
    async def unary_call(self, request, context):
        values = dict(fields(request))
        if 7 in values:
            raise ConnectError(Code.NOT_FOUND, "nope")
        echo = context.request_headers.get("x-echo")
        if echo is not None:
            context.response_headers["x-echo"] = echo
            context.response_trailers["x-echo-trailer"] = echo
        return response(values.get(2, 0))

    async def streaming_output_call(self, request, context):
        for number, value in fields(request):
            if number == 2:
                yield response(dict(fields(value)).get(1, 0))


class TestServiceApplication(ConnectASGIApplication):
    @property
    def path(self):
        return "/grpc.testing.TestService"

    def __init__(self):
        super().__init__(
            service=Service(),
            endpoints=lambda service: {
                "/grpc.testing.TestService/UnaryCall": Endpoint.unary(
                    method("UnaryCall", StreamType.UNARY), service.unary_call),
                "/grpc.testing.TestService/StreamingOutputCall": Endpoint.server_stream(
                    method("StreamingOutputCall", StreamType.SERVER_STREAM), service.streaming_output_call),
            },
            codecs=[RawProto()],
        )


def with_http_version(app):
    """Adds the request's HTTP version to each response's headers, so a client can tell which it spoke."""
    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        version = scope.get("http_version", "").encode()

        async def tagged(message):
            if message["type"] == "http.response.start":
                message = dict(message, headers=list(message.get("headers", [])) + [(b"x-http-version", version)])
            await send(message)
        return await app(scope, receive, tagged)
    return wrapped


async def main():
    max_seconds = float(sys.argv[sys.argv.index("--max_seconds") + 1]) if "--max_seconds" in sys.argv else 300
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    config = Config()
    config.bind = [f"fd://{listener.fileno()}"]
    config.accesslog = None
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(max_seconds, stop.set)
    await serve(with_http_version(TestServiceApplication()), config, shutdown_trigger=stop.wait)


if __name__ == "__main__":
    asyncio.run(main())
