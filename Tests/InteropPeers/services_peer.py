#!/usr/bin/env python3
"""grpcio's own health and reflection clients against a Ferry server, for Ferry's ServicesTests.

health --port N                     Check and Watch through grpcio-health-checking's stub: the server
                                    ("") and grpc.testing.TestService are SERVING, an unknown
                                    service is NOT_FOUND for Check and SERVICE_UNKNOWN for Watch.
watch --port N --service S          Watches S and prints "STATUS <name>" for each update, until
                                    the stream ends (prints "END <code>") or 60 s pass.
reflection --port N --version V     Discovers grpc.testing.TestService through reflection alone (V is
                                    v1alpha: grpcio-reflection's ProtoReflectionDescriptorDatabase;
                                    or v1: the same messages on v1's method), builds SimpleRequest
                                    from the returned descriptors and calls UnaryCall with it.
reflection-errors --port N          Unknown file, symbol and extension get NOT_FOUND error responses.

Prints what it checked, then PASS (exit 0) or FAIL <why> (exit 1).
"""
import argparse
import sys

import grpc
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor_pb2 import FileDescriptorProto
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

TIMEOUT = 30


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)
    print(f"ok: {what}", flush=True)


def status_name(status):
    return health_pb2.HealthCheckResponse.ServingStatus.Name(status)


def health(channel, args):
    stub = health_pb2_grpc.HealthStub(channel)
    for service in ("", "grpc.testing.TestService"):
        response = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=TIMEOUT)
        check(response.status == health_pb2.HealthCheckResponse.SERVING, f"Check({service!r}) is SERVING (got {status_name(response.status)})")
    try:
        stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=TIMEOUT)
        raise Failure("Check of an unknown service succeeded")
    except grpc.RpcError as error:
        check(error.code() == grpc.StatusCode.NOT_FOUND, f"Check of an unknown service is NOT_FOUND (got {error.code()})")
    for service, expected in (("no.such.Service", "SERVICE_UNKNOWN"), ("grpc.testing.TestService", "SERVING")):
        call = stub.Watch(health_pb2.HealthCheckRequest(service=service), timeout=TIMEOUT)
        first = next(call)
        check(status_name(first.status) == expected, f"Watch({service!r}) starts with {expected} (got {status_name(first.status)})")
        call.cancel()


def watch(channel, args):
    stub = health_pb2_grpc.HealthStub(channel)
    call = stub.Watch(health_pb2.HealthCheckRequest(service=args.service), timeout=60)
    try:
        for response in call:
            print(f"STATUS {status_name(response.status)}", flush=True)
        print("END OK", flush=True)
    except grpc.RpcError as error:
        print(f"END {error.code().name}", flush=True)


class V1Stub:
    """grpc.reflection.v1 has v1alpha's messages field for field: the v1alpha classes on v1's method."""

    def __init__(self, channel):
        self.ServerReflectionInfo = channel.stream_stream(
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
        )


def reflection(channel, args):
    database = ProtoReflectionDescriptorDatabase(channel)
    if args.version == "v1":
        database._stub = V1Stub(channel)  # the database only calls ServerReflectionInfo on it
    services = set(database.get_services())
    for name in ("grpc.testing.TestService", "grpc.health.v1.Health", f"grpc.reflection.{args.version}.ServerReflection"):
        check(name in services, f"list_services names {name} (got {sorted(services)})")
    pool = descriptor_pool.DescriptorPool(database)
    service = pool.FindServiceByName("grpc.testing.TestService")
    methods = [method.name for method in service.methods]
    check("UnaryCall" in methods and "FullDuplexCall" in methods, f"TestService's methods are described ({methods})")
    unary = service.methods_by_name["UnaryCall"]
    request_class = message_factory.GetMessageClass(unary.input_type)
    response_class = message_factory.GetMessageClass(unary.output_type)
    check(unary.input_type.full_name == "grpc.testing.SimpleRequest", f"UnaryCall takes {unary.input_type.full_name}")
    request = request_class(response_size=1234)
    call = channel.unary_unary(
        "/grpc.testing.TestService/UnaryCall",
        request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString,
    )
    response = call(request, timeout=TIMEOUT)
    check(len(response.payload.body) == 1234, f"UnaryCall built from reflected descriptors answers 1234 bytes (got {len(response.payload.body)})")
    extendable = pool.FindMessageTypeByName("grpc.testing.SimpleResponse")
    check(extendable.fields_by_name["payload"].message_type.full_name == "grpc.testing.Payload", "nested types resolve through imports")


def reflection_errors(channel, args):
    stub = V1Stub(channel)
    requests = [
        reflection_pb2.ServerReflectionRequest(file_by_filename="no/such.proto"),
        reflection_pb2.ServerReflectionRequest(file_containing_symbol="no.such.Symbol"),
        reflection_pb2.ServerReflectionRequest(
            file_containing_extension=reflection_pb2.ExtensionRequest(containing_type="grpc.testing.Payload", extension_number=99)),
        reflection_pb2.ServerReflectionRequest(file_by_filename="grpc/testing/test.proto"),
        reflection_pb2.ServerReflectionRequest(file_by_filename="grpc/testing/messages.proto"),
    ]
    responses = list(stub.ServerReflectionInfo(iter(requests), timeout=TIMEOUT))
    check(len(responses) == len(requests), f"one response per request ({len(responses)})")
    for response in responses[:3]:
        check(response.WhichOneof("message_response") == "error_response"
              and response.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0],
              f"{response.original_request.WhichOneof('message_request')} of an unknown name is NOT_FOUND")
    first = [FileDescriptorProto.FromString(b).name for b in responses[3].file_descriptor_response.file_descriptor_proto]
    check(first[0] == "grpc/testing/test.proto" and set(first) == {"grpc/testing/test.proto", "grpc/testing/empty.proto", "grpc/testing/messages.proto"},
          f"a file comes with its imports ({first})")
    again = [FileDescriptorProto.FromString(b).name for b in responses[4].file_descriptor_response.file_descriptor_proto]
    check(again == ["grpc/testing/messages.proto"], f"a file asked for again on the stream is sent alone ({again})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["health", "watch", "reflection", "reflection-errors"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--service", default="")
    parser.add_argument("--version", default="v1", choices=["v1", "v1alpha"])
    args = parser.parse_args()
    channel = grpc.insecure_channel(f"127.0.0.1:{args.port}")
    try:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT)
        {"health": health, "watch": watch, "reflection": reflection, "reflection-errors": reflection_errors}[args.mode](channel, args)
    except Failure as failure:
        print(f"FAIL {failure}", flush=True)
        return 1
    except grpc.RpcError as error:
        print(f"FAIL unexpected {error.code()}: {error.details()!r}", flush=True)
        return 1
    finally:
        channel.close()
    print("PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
