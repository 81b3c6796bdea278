#!/usr/bin/env python3
"""The HTTP/2 side of the attack suite (h2_attacks.py): frames and HPACK bytes made by hand, a raw
frame-level connection, a well-behaved client on python h2, the canary call, and the watch on the
server's process (pid from the listening port, VmRSS, liveness). Nothing here attacks by itself."""
import collections
import os
import select
import socket
import struct
import threading
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import hpack
HOST = "127.0.0.1"
SERVICE = "/grpc.testing.TestService/"
KiB = 1024
MiB = 1024 * 1024

# Frame types and flags (RFC 9113, section 6).
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM = 0x1
ACK = 0x1
END_HEADERS = 0x4
PADDED = 0x8
PRIORITY_FLAG = 0x20
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
ERROR_NAMES = {
    0x0: "NO_ERROR", 0x1: "PROTOCOL_ERROR", 0x2: "INTERNAL_ERROR", 0x3: "FLOW_CONTROL_ERROR",
    0x4: "SETTINGS_TIMEOUT", 0x5: "STREAM_CLOSED", 0x6: "FRAME_SIZE_ERROR", 0x7: "REFUSED_STREAM",
    0x8: "CANCEL", 0x9: "COMPRESSION_ERROR", 0xA: "CONNECT_ERROR", 0xB: "ENHANCE_YOUR_CALM",
    0xC: "INADEQUATE_SECURITY", 0xD: "HTTP_1_1_REQUIRED",
}
SETTING_MAX_HEADER_LIST_SIZE = 0x6


def ready(sock, timeout, write=False):
    """Waits at most `timeout` seconds until `sock` can be read (or written); True when it can. Uses
    poll, not select: the attacks hold over 1,000 sockets, and select() refuses a descriptor above
    1023 (ValueError), which once killed the canary's thread in a CI run."""
    poller = select.poll()
    poller.register(sock, select.POLLOUT if write else select.POLLIN)
    return bool(poller.poll(max(timeout, 0) * 1000))


def now():
    return time.monotonic()


# ------------------------------------------------------------------------------------------ wire helpers

def frame(kind, flags, stream, payload=b""):
    """One HTTP/2 frame: 24-bit length, type, flags, 31-bit stream id, payload."""
    return struct.pack(">I", len(payload))[1:] + struct.pack(">BBI", kind, flags, stream & 0x7FFFFFFF) + payload


def hpack_integer(value, prefix_bits, first_byte):
    """HPACK's prefixed integer (RFC 7541, 5.1)."""
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte | value])
    out = bytearray([first_byte | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def hpack_string(data):
    """An HPACK string literal without Huffman coding."""
    return hpack_integer(len(data), 7, 0x00) + data


def literal(name, value, indexing=False):
    """A literal header field with a new name, with incremental indexing (0x40) or without (0x00)."""
    return bytes([0x40 if indexing else 0x00]) + hpack_string(name) + hpack_string(value)


def request_block(port, method):
    """The header block of a gRPC request, state-free: static :method POST and :scheme http, the rest
    literals without indexing, so the same bytes are valid on any connection at any time."""
    return (b"\x83\x86" + literal(b":path", (SERVICE + method).encode())
            + literal(b":authority", f"{HOST}:{port}".encode())
            + literal(b"content-type", b"application/grpc") + literal(b"te", b"trailers"))


def grpc_message(payload, declared=None):
    """A length-prefixed gRPC message (uncompressed); `declared` overrides the length in the prefix."""
    return b"\x00" + struct.pack(">I", len(payload) if declared is None else declared) + payload


def simple_request():
    """grpc.testing.SimpleRequest{response_size: 16, payload: {body: 16 bytes}}, encoded by hand."""
    body = b"\x12\x10" + b"p" * 16
    return b"\x10\x10" + b"\x1a" + bytes([len(body)]) + body


def goaway_text(goaway):
    return "none" if goaway is None else f"0x{goaway[1]:x}"


def error_name(code):
    return ERROR_NAMES.get(code, f"0x{code:x}")


# ------------------------------------------------------------------------------------------ raw client

class RawConnection:
    """A socket that speaks HTTP/2 frames directly: what it sends is exactly what the caller builds;
    what arrives is parsed into GOAWAY, RST_STREAM, response headers (HPACK-decoded) and counts.
    SETTINGS and PING are acknowledged unless `auto_ack` is off."""

    def __init__(self, port, timeout=5.0):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.inbox = bytearray()
        self.outbox = bytearray()
        self.decoder = hpack.Decoder()
        self.decoder.max_header_list_size = 64 * MiB
        self.auto_ack = True
        self.closed = False
        self.close_reason = ""
        self.goaway = None  # (last stream id, error code, debug data)
        self.resets = {}  # stream -> error code
        self.headers = collections.defaultdict(list)  # stream -> [[(name, value), ...], ...]
        self.ended = set()
        self.settings = {}
        self.settings_seen = False
        self.counts = collections.Counter()
        self.block = None  # (stream, end_stream, bytearray) while a header block continues

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data, timeout=5.0):
        """Queues `data` and sends what it can within `timeout`; True once everything went out."""
        self.outbox += data
        return self.flush(timeout)

    def flush(self, timeout=0.0):
        deadline = now() + timeout
        while self.outbox and not self.closed:
            try:
                sent = self.sock.send(self.outbox)
                del self.outbox[:sent]
                continue
            except BlockingIOError:
                pass
            except OSError as error:
                self.drain()
                self.mark_closed(f"send: {error.strerror or error}")
                break
            remaining = deadline - now()
            if remaining <= 0:
                return False
            ready(self.sock, min(remaining, 0.1), write=True)
        return not self.outbox

    def drain(self):
        """Reads what the server sent before it reset the connection (a GOAWAY, typically): the kernel
        still hands out bytes that arrived before the reset."""
        for _ in range(256):
            try:
                data = self.sock.recv(256 * KiB)
            except OSError:
                break
            if not data:
                break
            self.inbox += data
        self.parse()

    def mark_closed(self, reason):
        self.closed = True
        self.close_reason = self.close_reason or reason
        self.outbox.clear()

    def receive(self, timeout=0.0, limit=64 * MiB):
        """Waits at most `timeout` for bytes, then reads what is there (at most `limit` bytes)."""
        if self.closed:
            return False
        try:
            readable = ready(self.sock, timeout)
        except OSError:
            self.mark_closed("poll failed")
            return False
        return self.read_available(limit) if readable else False

    def read_available(self, limit=64 * MiB):
        got = False
        total = 0
        while not self.closed and total < limit:
            try:
                data = self.sock.recv(256 * KiB)
            except BlockingIOError:
                break
            except OSError as error:
                self.mark_closed(f"recv: {error.strerror or error}")
                break
            if not data:
                self.mark_closed("eof")
                break
            got = True
            total += len(data)
            self.inbox += data
            self.parse()
        if self.outbox:
            self.flush(0)
        return got

    def parse(self):
        offset = 0
        while len(self.inbox) - offset >= 9:
            length = int.from_bytes(self.inbox[offset:offset + 3], "big")
            if len(self.inbox) - offset < 9 + length:
                break
            kind, flags = self.inbox[offset + 3], self.inbox[offset + 4]
            stream = int.from_bytes(self.inbox[offset + 5:offset + 9], "big") & 0x7FFFFFFF
            payload = bytes(self.inbox[offset + 9:offset + 9 + length])
            offset += 9 + length
            self.handle(kind, flags, stream, payload)
        del self.inbox[:offset]

    def handle(self, kind, flags, stream, payload):
        self.counts[kind] += 1
        if kind == SETTINGS and not flags & ACK:
            for index in range(0, len(payload) - 5, 6):
                key, value = struct.unpack(">HI", payload[index:index + 6])
                self.settings[key] = value
            self.settings_seen = True
            if self.auto_ack:
                self.outbox += frame(SETTINGS, ACK, 0)
        elif kind == PING and not flags & ACK:
            if self.auto_ack:
                self.outbox += frame(PING, ACK, 0, payload)
        elif kind == GOAWAY and len(payload) >= 8:
            last, code = struct.unpack(">II", payload[:8])
            self.goaway = (last & 0x7FFFFFFF, code, payload[8:])
        elif kind == RST_STREAM and len(payload) == 4:
            self.resets[stream] = struct.unpack(">I", payload)[0]
        elif kind == HEADERS:
            block = payload
            if flags & PADDED and block:
                block = block[1:len(block) - block[0]]
            if flags & PRIORITY_FLAG:
                block = block[5:]
            self.block = (stream, bool(flags & END_STREAM), bytearray(block))
            if flags & END_HEADERS:
                self.finish_block()
        elif kind == CONTINUATION and self.block is not None:
            self.block[2].extend(payload)
            if flags & END_HEADERS:
                self.finish_block()
        elif kind == DATA:
            self.counts["data_bytes"] += len(payload)
            if flags & END_STREAM:
                self.ended.add(stream)

    def finish_block(self):
        stream, end_stream, block = self.block
        self.block = None
        try:
            self.headers[stream].append([(n.decode("latin-1"), v.decode("latin-1")) for n, v in
                                         self.decoder.decode(bytes(block), raw=True)])
        except Exception as error:  # noqa: BLE001 - a broken block from the server is a finding, not a crash
            self.headers[stream].append([("x-decode-error", str(error))])
        if end_stream:
            self.ended.add(stream)

    def header(self, stream, name):
        """The last value of `name` in the stream's header blocks (trailers win over headers)."""
        found = None
        for block in self.headers.get(stream, []):
            for key, value in block:
                if key == name:
                    found = value
        return found

    def handshake(self, timeout=5.0, settings=b""):
        """Sends the preface and SETTINGS; waits for the server's SETTINGS. True when they came."""
        self.send(PREFACE + frame(SETTINGS, 0, 0, settings), timeout)
        deadline = now() + timeout
        while not self.settings_seen and not self.closed and now() < deadline:
            self.receive(min(0.1, deadline - now()))
        return self.settings_seen

    def wait_closed(self, timeout):
        """Reads until the server closes the connection (at most `timeout`; 1 s more after a GOAWAY)."""
        deadline = now() + timeout
        while not self.closed and now() < deadline:
            if self.goaway is not None:
                deadline = min(deadline, now() + 1.0)
            self.receive(min(0.1, max(deadline - now(), 0)))
        return self.closed


def unary_call_bytes(port, streams, method="UnaryCall"):
    """Everything a client sends for `streams` unary calls on a new connection (streams 1, 3, ...)."""
    block = request_block(port, method)
    message = grpc_message(simple_request() if method == "UnaryCall" else b"")
    out = bytearray(PREFACE + frame(SETTINGS, 0, 0))
    for index in range(streams):
        stream = 1 + 2 * index
        out += frame(HEADERS, END_HEADERS, stream, block) + frame(DATA, END_STREAM, stream, message)
    return bytes(out)


# ------------------------------------------------------------------------------------------- h2 client

class H2Client:
    """A well-behaved client on python h2, for attacks made of legal frames: the library keeps the
    flow-control windows and stream states, so pushing data means pushing what the server allows."""

    def __init__(self, port, timeout=5.0):
        self.port = port
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        config = h2.config.H2Configuration(client_side=True, header_encoding="utf-8",
                                           validate_outbound_headers=False, normalize_outbound_headers=False)
        self.conn = h2.connection.H2Connection(config=config)
        self.conn.initiate_connection()
        self.outbox = bytearray()
        self.closed = False
        self.error = ""
        self.goaway = None
        self.settings_seen = False
        self.streams = {}
        self.sent = 0  # bytes the socket took, frame headers included
        self.flush(timeout)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def state(self, stream):
        return self.streams.setdefault(stream, {"headers": [], "ended": False, "reset": None, "data": 0})

    def open(self, method, extra=(), end_stream=False):
        stream = self.conn.get_next_available_stream_id()
        headers = [(":method", "POST"), (":scheme", "http"), (":path", SERVICE + method),
                   (":authority", f"{HOST}:{self.port}"), ("content-type", "application/grpc"), ("te", "trailers")]
        self.conn.send_headers(stream, headers + list(extra), end_stream=end_stream)
        self.state(stream)
        return stream

    def flush(self, timeout=0.0):
        """Sends what h2 queued, within `timeout`; False when the socket would not take it all."""
        self.outbox += self.conn.data_to_send()
        deadline = now() + timeout
        while self.outbox and not self.closed:
            try:
                sent = self.sock.send(self.outbox)
                del self.outbox[:sent]
                self.sent += sent
                continue
            except BlockingIOError:
                pass
            except OSError as error:
                self.closed, self.error = True, self.error or f"send: {error.strerror or error}"
                break
            remaining = deadline - now()
            if remaining <= 0:
                return False
            ready(self.sock, min(remaining, 0.1), write=True)
        return not self.outbox

    def pump(self, timeout=0.0):
        """Waits at most `timeout` for bytes, feeds everything available to h2, answers what it needs."""
        if self.closed:
            return
        readable = ready(self.sock, timeout)
        for _ in range(256) if readable else ():
            try:
                data = self.sock.recv(256 * KiB)
            except BlockingIOError:
                break
            except OSError as error:
                self.closed, self.error = True, self.error or f"recv: {error.strerror or error}"
                break
            if not data:
                self.closed, self.error = True, self.error or "eof"
                break
            try:
                events = self.conn.receive_data(data)
            except h2.exceptions.ProtocolError as error:
                self.closed, self.error = True, f"h2: {error}"
                break
            for event in events:
                self.on_event(event)
        self.flush(0)

    def on_event(self, event):
        if isinstance(event, h2.events.RemoteSettingsChanged):
            self.settings_seen = True
        elif isinstance(event, (h2.events.ResponseReceived, h2.events.TrailersReceived)):
            self.state(event.stream_id)["headers"].extend(event.headers)
        elif isinstance(event, h2.events.DataReceived):
            self.state(event.stream_id)["data"] += len(event.data)
            if event.flow_controlled_length:
                try:
                    self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                except h2.exceptions.ProtocolError:
                    pass
        elif isinstance(event, h2.events.StreamEnded):
            self.state(event.stream_id)["ended"] = True
        elif isinstance(event, h2.events.StreamReset):
            self.state(event.stream_id)["reset"] = event.error_code
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.goaway = (event.last_stream_id or 0, int(event.error_code), event.additional_data or b"")

    def header(self, stream, name):
        found = None
        for key, value in self.streams.get(stream, {}).get("headers", []):
            if key == name:
                found = value
        return found

    def wait_settings(self, timeout=5.0):
        deadline = now() + timeout
        while not self.settings_seen and not self.closed and now() < deadline:
            self.pump(min(0.1, deadline - now()))
        return self.settings_seen

    def finished(self, stream):
        state = self.streams.get(stream, {})
        return state.get("ended") or state.get("reset") is not None


def canary_call(port, timeout=10.0):
    """One normal EmptyCall on a fresh connection; (True, "ok") when it returns grpc-status 0."""
    deadline = now() + timeout
    try:
        client = H2Client(port, timeout)
    except OSError as error:
        return False, f"connect: {error.strerror or error}"
    try:
        stream = client.open("EmptyCall")
        client.conn.send_data(stream, grpc_message(b""), end_stream=True)
        client.flush(timeout)
        while not client.finished(stream) and not client.closed and now() < deadline:
            client.pump(min(0.1, deadline - now()))
        status = client.header(stream, "grpc-status")
        if status == "0" and client.streams[stream]["data"] >= 5:
            return True, "ok"
        if not client.finished(stream):
            return False, client.error or "no answer in time"
        return False, f"grpc-status={status} reset={client.streams[stream]['reset']}"
    except (OSError, h2.exceptions.ProtocolError) as error:
        return False, f"{type(error).__name__}: {error}"
    finally:
        client.close()


# ------------------------------------------------------------------------------------ server watching

def find_server_pid(port):
    """The pid of the process listening on 127.0.0.1:port (or any address), from /proc/net/tcp*."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                next(handle)
                for line in handle:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(fields[9])
        except OSError:
            continue
    targets = {f"socket:[{inode}]" for inode in inodes}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") in targets:
                    return int(pid)
        except OSError:
            continue
    return None


class Watch:
    """The server under attack: its RSS before, at peak (sampled every 50 ms) and after, whether it is
    still alive, and the canary calls."""

    def __init__(self, port, pid, canary):
        self.port = port
        self.pid = pid
        self.canary = canary
        self.peak = None
        self.sampling = False
        self.sampler = None
        self.during = None
        self.during_result = None

    def rss(self):
        if self.pid is None:
            return None
        try:
            with open(f"/proc/{self.pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def alive(self):
        if self.pid is None:
            return None
        try:
            with open(f"/proc/{self.pid}/stat") as handle:
                return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except OSError:
            return False

    def fd_limit(self):
        try:
            with open(f"/proc/{self.pid}/limits") as handle:
                for line in handle:
                    if line.startswith("Max open files"):
                        return int(line.split()[3])
        except (OSError, ValueError, TypeError):
            return None
        return None

    def settle(self, seconds=3.0, target=None):
        """Polls RSS for at most `seconds` until it stops falling (or reaches `target`); the last sample."""
        deadline = now() + seconds
        last = self.rss()
        while last is not None and now() < deadline:
            if target is not None and last <= target:
                break
            time.sleep(0.25)
            current = self.rss()
            if current is None:
                return last
            if target is None and abs(current - last) < 256:
                return current
            last = current
        return last

    def start_sampling(self):
        self.peak = self.rss()
        self.sampling = True

        def sample():
            deadline = now() + 120
            while self.sampling and now() < deadline:
                value = self.rss()
                if value is not None and (self.peak is None or value > self.peak):
                    self.peak = value
                time.sleep(0.05)

        self.sampler = threading.Thread(target=sample, daemon=True)
        self.sampler.start()

    def stop_sampling(self):
        self.sampling = False
        if self.sampler:
            self.sampler.join(timeout=2)
        value = self.rss()
        if value is not None and (self.peak is None or value > self.peak):
            self.peak = value

    def launch_canary(self, delay=0.0, timeout=15.0):
        """Starts the during-attack canary call on its own thread, `delay` seconds from now; it
        fails after `timeout` seconds."""
        if not self.canary or self.during is not None:
            return

        def run():
            time.sleep(delay)
            try:
                self.during_result = canary_call(self.port, timeout=timeout)
            except Exception as error:  # a fault of this script: say which, not "did not finish"
                self.during_result = (False, f"the canary raised {type(error).__name__}: {error}")

        self.during = threading.Thread(target=run, daemon=True)
        self.during.start()

    def wait_canary(self, timeout=20.0):
        if self.during is not None:
            self.during.join(timeout=timeout)
            if self.during_result is None:
                self.during_result = (False, "canary did not finish")
