#!/usr/bin/env python3
"""grpcio side of gRPC's standard interop test (grpc.testing.TestService), for Ferry's InteropTests.

server [--port N]                        serves TestService on 127.0.0.1 (port 0 = any free port),
                                         prints "PORT <n>", runs until stdin closes (at most
                                         --max_seconds).
client --server_host H --server_port P --test_case NAME
                                         runs one case of grpc's doc/interop-test-descriptions.md
                                         against a server; prints what it checked; exit 0 on pass.

The message classes are built at run time: protoc (/usr/bin/protoc, or --protoc) compiles
Schemas/grpc/testing/test.proto into a descriptor set that google.protobuf.message_factory turns
into Python classes, so no generated code is needed. Flags use grpc's own spellings (--use_tls is
accepted and must be false; other unknown flags are ignored).
"""
import argparse
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from concurrent import futures

import grpc
from google.protobuf import descriptor_pb2, message_factory

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Schemas")
SERVICE = "grpc.testing.TestService"
ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
CASES = [
    "empty_unary", "large_unary", "client_compressed_unary", "server_compressed_unary", "client_streaming",
    "client_compressed_streaming", "server_streaming", "server_compressed_streaming", "ping_pong", "empty_stream",
    "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server", "custom_metadata",
    "status_code_and_message", "special_status_message", "unimplemented_method", "unimplemented_service",
]


class Messages:
    """The grpc.testing message classes, compiled from the .proto files by protoc."""

    def __init__(self, schemas, protoc):
        with tempfile.TemporaryDirectory() as directory:
            out = os.path.join(directory, "test.pb")
            subprocess.run(
                [protoc, "-I", schemas, "--include_imports", f"--descriptor_set_out={out}", "grpc/testing/test.proto"],
                check=True,
            )
            files = descriptor_pb2.FileDescriptorSet()
            with open(out, "rb") as handle:
                files.ParseFromString(handle.read())
        classes = message_factory.GetMessages(list(files.file))
        for name in ("Empty", "Payload", "EchoStatus", "SimpleRequest", "SimpleResponse", "StreamingInputCallRequest",
                     "StreamingInputCallResponse", "ResponseParameters", "StreamingOutputCallRequest",
                     "StreamingOutputCallResponse"):
            setattr(self, name, classes[f"grpc.testing.{name}"])


# ---------------------------------------------------------------------------------------------- server

def status_code(number):
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN


class TestService:
    """The server features of the interop descriptions: EmptyCall, UnaryCall, the streaming calls,
    Echo Metadata, Echo Status, ResponseParameters.interval_us and CompressedResponse.

    CompressedRequest (expect_compressed) cannot be checked here: grpcio's Python server API shows a
    handler neither the request's grpc-encoding nor its messages' compressed flags."""

    def __init__(self, messages):
        self.m = messages
        self.log_calls = False

    def echo_metadata(self, context):
        received = context.invocation_metadata()
        initial = [(k, v) for k, v in received if k == ECHO_INITIAL]
        if initial:
            context.send_initial_metadata(initial)
        trailing = [(k, v) for k, v in received if k == ECHO_TRAILING]
        if trailing:
            context.set_trailing_metadata(trailing)

    def payload(self, size):
        return self.m.Payload(body=bytes(size))

    def empty_call(self, request, context):
        if self.log_calls:
            print("CALL EmptyCall", flush=True)
        self.echo_metadata(context)
        return self.m.Empty()

    def unary_call(self, request, context):
        self.echo_metadata(context)
        if request.response_compressed.value:
            context.set_compression(grpc.Compression.Gzip)
        if request.response_status.code != 0:
            context.abort(status_code(request.response_status.code), request.response_status.message)
        return self.m.SimpleResponse(payload=self.payload(request.response_size))

    def streaming_output_call(self, request, context):
        self.echo_metadata(context)
        if any(parameters.compressed.value for parameters in request.response_parameters):
            context.set_compression(grpc.Compression.Gzip)
        for parameters in request.response_parameters:
            if parameters.interval_us > 0:
                time.sleep(parameters.interval_us / 1e6)
            if not parameters.compressed.value:
                context.disable_next_message_compression()
            yield self.m.StreamingOutputCallResponse(payload=self.payload(parameters.size))
        if request.response_status.code != 0:
            context.abort(status_code(request.response_status.code), request.response_status.message)

    def streaming_input_call(self, request_iterator, context):
        self.echo_metadata(context)
        total = sum(len(request.payload.body) for request in request_iterator)
        return self.m.StreamingInputCallResponse(aggregated_payload_size=total)

    def full_duplex_call(self, request_iterator, context):
        self.echo_metadata(context)
        for request in request_iterator:
            if request.response_status.code != 0:
                context.abort(status_code(request.response_status.code), request.response_status.message)
            for parameters in request.response_parameters:
                if parameters.interval_us > 0:
                    time.sleep(parameters.interval_us / 1e6)
                yield self.m.StreamingOutputCallResponse(payload=self.payload(parameters.size))

    def half_duplex_call(self, request_iterator, context):
        requests = list(request_iterator)
        for response in self.full_duplex_call(iter(requests), context):
            yield response


def serve(args, messages):
    service = TestService(messages)
    service.log_calls = args.log_calls
    m = messages

    def unary(function, request_class, response_class):
        return grpc.unary_unary_rpc_method_handler(
            function, request_deserializer=request_class.FromString, response_serializer=response_class.SerializeToString)

    handlers = {
        "EmptyCall": unary(service.empty_call, m.Empty, m.Empty),
        "UnaryCall": unary(service.unary_call, m.SimpleRequest, m.SimpleResponse),
        "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(
            service.streaming_output_call, request_deserializer=m.StreamingOutputCallRequest.FromString,
            response_serializer=m.StreamingOutputCallResponse.SerializeToString),
        "StreamingInputCall": grpc.stream_unary_rpc_method_handler(
            service.streaming_input_call, request_deserializer=m.StreamingInputCallRequest.FromString,
            response_serializer=m.StreamingInputCallResponse.SerializeToString),
        "FullDuplexCall": grpc.stream_stream_rpc_method_handler(
            service.full_duplex_call, request_deserializer=m.StreamingOutputCallRequest.FromString,
            response_serializer=m.StreamingOutputCallResponse.SerializeToString),
        "HalfDuplexCall": grpc.stream_stream_rpc_method_handler(
            service.half_duplex_call, request_deserializer=m.StreamingOutputCallRequest.FromString,
            response_serializer=m.StreamingOutputCallResponse.SerializeToString),
        # UnimplementedCall is left out on purpose: grpcio answers it with UNIMPLEMENTED.
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    port = server.add_insecure_port(f"127.0.0.1:{args.port}")
    server.start()
    print(f"PORT {port}", flush=True)
    watcher = threading.Thread(target=lambda: sys.stdin.read(), daemon=True)
    watcher.start()
    watcher.join(timeout=args.max_seconds)
    server.stop(grace=1).wait(timeout=5)


# ---------------------------------------------------------------------------------------------- client

class CaseFailure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CaseFailure(what)
    print(f"  ok: {what}", flush=True)


class Pipe:
    """A request iterator the test feeds one message at a time; close() half-closes."""

    def __init__(self):
        self.items = queue.Queue()

    def add(self, item):
        self.items.put(item)

    def close(self):
        self.items.put(None)

    def __iter__(self):
        return self

    def __next__(self):
        item = self.items.get(timeout=120)
        if item is None:
            raise StopIteration
        return item


class Client:
    TIMEOUT = 60

    def __init__(self, channel, messages):
        self.channel = channel
        self.m = messages

    def method(self, name, kind, request_class, response_class, service=SERVICE):
        return getattr(self.channel, kind)(
            f"/{service}/{name}", request_serializer=request_class.SerializeToString,
            response_deserializer=response_class.FromString)

    def empty_call(self):
        return self.method("EmptyCall", "unary_unary", self.m.Empty, self.m.Empty)

    def unary_call(self):
        return self.method("UnaryCall", "unary_unary", self.m.SimpleRequest, self.m.SimpleResponse)

    def streaming_output_call(self):
        return self.method("StreamingOutputCall", "unary_stream", self.m.StreamingOutputCallRequest,
                           self.m.StreamingOutputCallResponse)

    def streaming_input_call(self):
        return self.method("StreamingInputCall", "stream_unary", self.m.StreamingInputCallRequest,
                           self.m.StreamingInputCallResponse)

    def full_duplex_call(self):
        return self.method("FullDuplexCall", "stream_stream", self.m.StreamingOutputCallRequest,
                           self.m.StreamingOutputCallResponse)

    def duplex_request(self, response_size=None, body_size=None, status=None):
        request = self.m.StreamingOutputCallRequest()
        if response_size is not None:
            request.response_parameters.add(size=response_size)
        if body_size is not None:
            request.payload.body = bytes(body_size)
        if status is not None:
            request.response_status.code, request.response_status.message = status
        return request

    def check_payload(self, response, size, what):
        check(len(response.payload.body) == size, f"{what}: payload of {size} bytes (got {len(response.payload.body)})")
        check(response.payload.body == bytes(size), f"{what}: payload is all zeros")

    def empty_unary(self):
        response = self.empty_call()(self.m.Empty(), timeout=self.TIMEOUT)
        check(isinstance(response, self.m.Empty), "EmptyCall returned an Empty")
        check(response.ByteSize() == 0, "the Empty response serializes to zero bytes")

    def large_unary(self):
        request = self.m.SimpleRequest(response_size=314159, payload=self.m.Payload(body=bytes(271828)))
        response = self.unary_call()(request, timeout=self.TIMEOUT)
        self.check_payload(response, 314159, "UnaryCall")

    def expect_invalid_argument(self, function, what):
        try:
            function()
            raise CaseFailure(f"{what} succeeded; the server should refuse it with INVALID_ARGUMENT")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.INVALID_ARGUMENT, f"{what}: status INVALID_ARGUMENT (got {error.code()})")

    def client_compressed_unary(self):
        def request(expect):
            return self.m.SimpleRequest(expect_compressed={"value": expect}, response_size=314159,
                                        payload=self.m.Payload(body=bytes(271828)))
        self.expect_invalid_argument(lambda: self.unary_call()(request(True), timeout=self.TIMEOUT),
                                     "the probe (uncompressed, expect_compressed true)")
        response = self.unary_call()(request(True), timeout=self.TIMEOUT, compression=grpc.Compression.Gzip)
        self.check_payload(response, 314159, "UnaryCall compressed with gzip")
        response = self.unary_call()(request(False), timeout=self.TIMEOUT)
        self.check_payload(response, 314159, "UnaryCall uncompressed")

    def server_compressed_unary(self):
        # grpcio's Python client cannot see a response message's compressed flag: sizes only.
        for compressed in (True, False):
            request = self.m.SimpleRequest(response_compressed={"value": compressed}, response_size=314159,
                                           payload=self.m.Payload(body=bytes(271828)))
            response = self.unary_call()(request, timeout=self.TIMEOUT)
            self.check_payload(response, 314159, f"UnaryCall with response_compressed {compressed}")

    def client_compressed_streaming(self):
        def request(expect, size):
            return self.m.StreamingInputCallRequest(expect_compressed={"value": expect},
                                                    payload=self.m.Payload(body=bytes(size)))
        self.expect_invalid_argument(
            lambda: self.streaming_input_call()(iter([request(True, 27182)]), timeout=self.TIMEOUT),
            "the probe (uncompressed, expect_compressed true)")
        # grpcio's Python client compresses a call's messages all or none, so the second message
        # (expect_compressed false) is compressed too, which the description allows a server to accept.
        response = self.streaming_input_call()(iter([request(True, 27182), request(False, 45904)]),
                                               timeout=self.TIMEOUT, compression=grpc.Compression.Gzip)
        check(response.aggregated_payload_size == 73086,
              f"aggregated_payload_size is 73086 (got {response.aggregated_payload_size})")

    def server_compressed_streaming(self):
        request = self.m.StreamingOutputCallRequest()
        request.response_parameters.add(compressed={"value": True}, size=31415)
        request.response_parameters.add(compressed={"value": False}, size=92653)
        responses = list(self.streaming_output_call()(request, timeout=self.TIMEOUT))
        check(len(responses) == 2, f"exactly two responses (got {len(responses)})")
        for index, (response, size) in enumerate(zip(responses, [31415, 92653])):
            self.check_payload(response, size, f"response {index + 1}")

    def client_streaming(self):
        sizes = [27182, 8, 1828, 45904]
        requests = [self.m.StreamingInputCallRequest(payload=self.m.Payload(body=bytes(n))) for n in sizes]
        response = self.streaming_input_call()(iter(requests), timeout=self.TIMEOUT)
        check(response.aggregated_payload_size == 74922,
              f"aggregated_payload_size is 74922 (got {response.aggregated_payload_size})")

    def server_streaming(self):
        sizes = [31415, 9, 2653, 58979]
        request = self.m.StreamingOutputCallRequest()
        for size in sizes:
            request.response_parameters.add(size=size)
        responses = list(self.streaming_output_call()(request, timeout=self.TIMEOUT))
        check(len(responses) == 4, f"exactly four responses (got {len(responses)})")
        for index, (response, size) in enumerate(zip(responses, sizes)):
            self.check_payload(response, size, f"response {index + 1}")

    def ping_pong(self):
        pairs = [(31415, 27182), (9, 8), (2653, 1828), (58979, 45904)]
        pipe = Pipe()
        call = self.full_duplex_call()(pipe, timeout=self.TIMEOUT)
        for index, (response_size, body_size) in enumerate(pairs):
            pipe.add(self.duplex_request(response_size, body_size))
            response = next(call)
            self.check_payload(response, response_size, f"reply {index + 1}")
        pipe.close()
        check(next(call, None) is None, "the call ends after the half-close, with no fifth response")
        check(call.code() == grpc.StatusCode.OK, f"status OK (got {call.code()})")

    def empty_stream(self):
        call = self.full_duplex_call()(iter([]), timeout=self.TIMEOUT)
        responses = list(call)
        check(responses == [], f"zero responses (got {len(responses)})")
        check(call.code() == grpc.StatusCode.OK, f"status OK (got {call.code()})")

    def cancel_after_begin(self):
        pipe = Pipe()
        future = self.streaming_input_call().future(pipe, timeout=self.TIMEOUT)
        future.cancel()
        check(future.cancelled(), "the call reports itself cancelled")
        check(future.code() == grpc.StatusCode.CANCELLED, f"status CANCELLED (got {future.code()})")
        pipe.close()

    def cancel_after_first_response(self):
        pipe = Pipe()
        call = self.full_duplex_call()(pipe, timeout=self.TIMEOUT)
        pipe.add(self.duplex_request(31415, 27182))
        self.check_payload(next(call), 31415, "first response")
        call.cancel()
        try:
            next(call)
            raise CaseFailure("the call went on after cancel()")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.CANCELLED, f"status CANCELLED (got {error.code()})")
        finally:
            pipe.close()

    def timeout_on_sleeping_server(self):
        pipe = Pipe()
        call = self.full_duplex_call()(pipe, timeout=0.001)
        pipe.add(self.duplex_request(body_size=27182))
        try:
            next(call)
            raise CaseFailure("a response arrived although none was asked for")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, f"status DEADLINE_EXCEEDED (got {error.code()})")
        finally:
            pipe.close()

    def custom_metadata(self):
        metadata = ((ECHO_INITIAL, "test_initial_metadata_value"), (ECHO_TRAILING, b"\xab\xab\xab"))

        def check_echo(call, what):
            initial = dict(call.initial_metadata())
            check(initial.get(ECHO_INITIAL) == "test_initial_metadata_value",
                  f"{what}: initial metadata echoes {ECHO_INITIAL} (got {initial})")
            trailing = dict(call.trailing_metadata())
            check(trailing.get(ECHO_TRAILING) == b"\xab\xab\xab",
                  f"{what}: trailing metadata echoes {ECHO_TRAILING} (got {trailing})")

        request = self.m.SimpleRequest(response_size=314159, payload=self.m.Payload(body=bytes(271828)))
        response, call = self.unary_call().with_call(request, metadata=metadata, timeout=self.TIMEOUT)
        self.check_payload(response, 314159, "UnaryCall")
        check_echo(call, "UnaryCall")
        call = self.full_duplex_call()(iter([self.duplex_request(314159, 271828)]), metadata=metadata,
                                       timeout=self.TIMEOUT)
        responses = list(call)
        check(len(responses) == 1, f"FullDuplexCall: one response (got {len(responses)})")
        self.check_payload(responses[0], 314159, "FullDuplexCall")
        check_echo(call, "FullDuplexCall")

    def expect_status(self, function, code, message, what):
        try:
            function()
            raise CaseFailure(f"{what} succeeded")
        except grpc.RpcError as error:
            check(error.code() == code, f"{what}: status {code.name} (got {error.code()})")
            check(error.details() == message, f"{what}: message {message!r} (got {error.details()!r})")

    def status_code_and_message(self):
        message = "test status message"
        request = self.m.SimpleRequest(response_status=self.m.EchoStatus(code=2, message=message))
        self.expect_status(lambda: self.unary_call()(request, timeout=self.TIMEOUT),
                           grpc.StatusCode.UNKNOWN, message, "UnaryCall")
        duplex = self.duplex_request(status=(2, message))
        self.expect_status(lambda: list(self.full_duplex_call()(iter([duplex]), timeout=self.TIMEOUT)),
                           grpc.StatusCode.UNKNOWN, message, "FullDuplexCall")

    def special_status_message(self):
        message = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"
        request = self.m.SimpleRequest(response_status=self.m.EchoStatus(code=2, message=message))
        self.expect_status(lambda: self.unary_call()(request, timeout=self.TIMEOUT),
                           grpc.StatusCode.UNKNOWN, message, "UnaryCall")

    def expect_unimplemented(self, service, what):
        call = self.method("UnimplementedCall", "unary_unary", self.m.Empty, self.m.Empty, service=service)
        try:
            call(self.m.Empty(), timeout=self.TIMEOUT)
            raise CaseFailure(f"{what} succeeded")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.UNIMPLEMENTED, f"{what}: status UNIMPLEMENTED (got {error.code()})")

    def unimplemented_method(self):
        self.expect_unimplemented(SERVICE, f"{SERVICE}/UnimplementedCall")

    def unimplemented_service(self):
        self.expect_unimplemented("grpc.testing.UnimplementedService", "grpc.testing.UnimplementedService/UnimplementedCall")


def run_client(args, messages):
    if args.test_case not in CASES:
        print(f"FAIL: unknown test case {args.test_case!r}; known: {', '.join(CASES)}", flush=True)
        return 2
    channel = grpc.insecure_channel(f"{args.server_host}:{args.server_port}")
    try:
        grpc.channel_ready_future(channel).result(timeout=60)
        print(f"{args.test_case}:", flush=True)
        getattr(Client(channel, messages), args.test_case)()
    except CaseFailure as failure:
        print(f"FAIL {args.test_case}: {failure}", flush=True)
        return 1
    except grpc.RpcError as error:
        print(f"FAIL {args.test_case}: unexpected {error.code()}: {error.details()!r}", flush=True)
        return 1
    except grpc.FutureTimeoutError:
        print(f"FAIL {args.test_case}: no connection to {args.server_host}:{args.server_port} within 60 s", flush=True)
        return 1
    finally:
        channel.close()
    print(f"PASS {args.test_case}", flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["server", "client"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, default=0)
    parser.add_argument("--test_case", default="")
    parser.add_argument("--use_tls", default="false")
    parser.add_argument("--max_seconds", type=float, default=300)
    parser.add_argument("--log_calls", action="store_true", help="server: print a line for every EmptyCall served")
    parser.add_argument("--schemas", default=SCHEMAS)
    parser.add_argument("--protoc", default="/usr/bin/protoc")
    args, ignored = parser.parse_known_args()
    if ignored:
        print(f"ignoring flags: {' '.join(ignored)}", file=sys.stderr, flush=True)
    if args.use_tls.lower() not in ("false", "0", "no"):
        print("FAIL: --use_tls=true is not supported by this peer", flush=True)
        return 2
    messages = Messages(args.schemas, args.protoc)
    if args.mode == "server":
        serve(args, messages)
        return 0
    return run_client(args, messages)


if __name__ == "__main__":
    sys.exit(main())
