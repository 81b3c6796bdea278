"""A misbehaving HTTP/1.1 server, for testing how Ferry's HTTP/1.1 client bounds what a server sends.

Usage: http1_hostile_server.py MODE [--max_seconds N]
Listens on 127.0.0.1 (prints "PORT <n>"), reads each request's head and content-length body, and
answers it according to MODE:
  huge-headers   a 200 response whose head carries 256 KiB of headers
  garbage        bytes that are not HTTP at all
  huge-message   a Connect streaming response whose first envelope declares 2 GiB, then 1 MiB
                 chunks of zeros until the client goes away
  close-mid-body a Connect unary response declaring 100 bytes, 10 sent, then the connection closed
  silent-body    a Connect unary response head, then nothing: the body never comes
  gzip-bomb      a Connect unary response of 8 KiB that gzip inflates to 8 MiB
"""
import asyncio
import gzip
import sys

MODE = sys.argv[1]
MAX_SECONDS = float(sys.argv[sys.argv.index("--max_seconds") + 1]) if "--max_seconds" in sys.argv else 300


async def read_request(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)


async def serve(reader, writer):
    try:
        await read_request(reader)
        if MODE == "huge-headers":
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/proto\r\n")
            for index in range(256):
                writer.write(b"x-filler-%d: %s\r\n" % (index, b"a" * 1000))
            writer.write(b"content-length: 0\r\n\r\n")
        elif MODE == "garbage":
            writer.write(b"\x16\x03\x01 this is not HTTP at all\r\n\r\n")
        elif MODE == "huge-message":
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/connect+proto\r\n"
                         b"transfer-encoding: chunked\r\n\r\n")
            envelope = b"\x00\x7f\xff\xff\xff"
            writer.write(b"%x\r\n%s\r\n" % (len(envelope), envelope))
            chunk = bytes(1 << 20)
            for _ in range(4096):
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
        elif MODE == "close-mid-body":
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/proto\r\ncontent-length: 100\r\n\r\n")
            writer.write(bytes(10))
        elif MODE == "gzip-bomb":
            body = gzip.compress(bytes(8 << 20))
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/proto\r\ncontent-encoding: gzip\r\n"
                         b"content-length: %d\r\n\r\n%s" % (len(body), body))
        elif MODE == "silent-body":
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/proto\r\ncontent-length: 100\r\n\r\n")
            await writer.drain()
            await asyncio.sleep(MAX_SECONDS)
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await asyncio.sleep(MAX_SECONDS)


if __name__ == "__main__":
    asyncio.run(main())
