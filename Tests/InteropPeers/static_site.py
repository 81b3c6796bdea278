"""Serves a folder's files over HTTP/1.1 on 127.0.0.1, for pages a test opens in a browser.

Usage: static_site.py DIR
Binds a free port, prints "PORT <n>", and serves DIR until stdin closes or 300 s pass.
"""
import functools
import http.server
import sys
import threading


def main():
    directory = sys.argv[1]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Until the test closes stdin (or at most 300 s, a safety net).
    waiter = threading.Thread(target=sys.stdin.read, daemon=True)
    waiter.start()
    waiter.join(300)
    server.shutdown()


if __name__ == "__main__":
    main()
