#!/usr/bin/env python3
"""Runs a protobuf conformance testee (such as ferry-conformance) through binary and JSON cases.

    conformance_driver.py TESTEE [--known-failures FILE] [--filter TEXT] [--verbose] [--protoc PATH] [--protos DIR]

It speaks protobuf's conformance protocol to TESTEE over its stdin and stdout (a 4-byte
little-endian length, then a serialized conformance.ConformanceRequest; the answer framed the same
way) and judges every answer with python protobuf as the oracle. The python modules for
conformance.proto and the test messages are generated at run time with `protoc --python_out` from
the same .proto files the testee is built from (Sources/ferry-conformance/Protos by default).

protobuf's own conformance_test_runner is not packaged for this machine; this driver sends cases in
its spirit (see conformance_cases.py for the binary cases and conformance_json.py for the JSON ones,
with what each must give). As with the official
runner's failure lists, cases named in --known-failures (one per line, `#` starts a comment) are
expected to fail; one that passes is reported as UNEXPECTED PASS and counts as a failure, so the
list shrinks as bugs are fixed. The last line printed is "N passed, N failed"; the exit status is 1
when any case failed.
"""
import argparse
import importlib.util
import os
import select
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from google.protobuf import text_format  # noqa: E402
from google.protobuf.message import DecodeError  # noqa: E402

import conformance_cases  # noqa: E402
import conformance_json  # noqa: E402
import conformance_text  # noqa: E402
import conformance_wire  # noqa: E402

RESPONSE_TIMEOUT = 30.0
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def generate_python(protoc, protos, out):
    """protoc --python_out for the envelope and both test-message files, loaded by path.

    The generated test-message modules live under google/protobuf/, where python's own `google`
    package would shadow them, so they are loaded from their files instead of imported.
    """
    files = ["conformance.proto", "google/protobuf/test_messages_proto3.proto", "google/protobuf/test_messages_proto2.proto"]
    subprocess.run([protoc, f"-I{protos}", f"--python_out={out}"] + files, check=True)
    conformance = load_module("conformance_pb2", os.path.join(out, "conformance_pb2.py"))
    proto3 = load_module("test_messages_proto3_pb2", os.path.join(out, "google/protobuf/test_messages_proto3_pb2.py"))
    proto2 = load_module("test_messages_proto2_pb2", os.path.join(out, "google/protobuf/test_messages_proto2_pb2.py"))
    return conformance, {proto3.TestAllTypesProto3.DESCRIPTOR.full_name: proto3.TestAllTypesProto3,
                         proto2.TestAllTypesProto2.DESCRIPTOR.full_name: proto2.TestAllTypesProto2}


class TesteeDied(Exception):
    pass


class Testee:
    """The testee process; restarted after it dies so that one crash fails one case, not the rest."""

    def __init__(self, command):
        self.command = command
        self.stderr = tempfile.TemporaryFile()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr)

    def exchange(self, request_bytes):
        if self.process is None or self.process.poll() is not None:
            self.start()
        try:
            self.process.stdin.write(len(request_bytes).to_bytes(4, "little") + request_bytes)
            self.process.stdin.flush()
            length = int.from_bytes(self._read(4), "little")
            return self._read(length)
        except (BrokenPipeError, TesteeDied) as error:
            self._reap()
            raise TesteeDied(f"{error}; {self._describe_exit()}") from None

    def _read(self, count):
        data = bytearray()
        descriptor = self.process.stdout.fileno()
        while len(data) < count:
            ready, _, _ = select.select([descriptor], [], [], RESPONSE_TIMEOUT)
            if not ready:
                self.process.kill()
                raise TesteeDied(f"no answer within {RESPONSE_TIMEOUT:.0f} s")
            chunk = os.read(descriptor, count - len(data))
            if not chunk:
                raise TesteeDied(f"its output ended after {len(data)} of {count} bytes")
            data += chunk
        return bytes(data)

    def _reap(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.process.wait(timeout=10)

    def _describe_exit(self):
        code = self.process.returncode
        self.stderr.seek(0)
        tail = self.stderr.read().decode("utf-8", "replace")[-400:].strip()
        self.stderr.seek(0)
        self.stderr.truncate()
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return f"testee {how}" + (f", stderr: {tail}" if tail else "")

    def close(self):
        """Closes stdin and returns the exit status: a testee must exit cleanly when its input ends."""
        if self.process is None:
            return 0
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return "did not exit within 30 s of its input closing"


def hexdump(data, limit=96):
    text = data[:limit].hex()
    return text + (f"... ({len(data)} bytes)" if len(data) > limit else "")


def describe(message):
    text = text_format.MessageToString(message, as_one_line=True, print_unknown_fields=True)
    return (text[:300] + " ...") if len(text) > 300 else (text or "<empty>")


def canonical(message):
    return message.SerializeToString(deterministic=True)


class Driver:
    def __init__(self, testee, conformance, classes, verbose, known_failures):
        self.testee = testee
        self.conformance = conformance
        self.classes = classes
        self.verbose = verbose
        self.known_failures = known_failures
        self.passed = 0
        self.failed = []
        self.failed_as_known = []

    def record(self, name, failure):
        known = name in self.known_failures
        if failure is None and not known:
            self.passed += 1
            if self.verbose:
                print(f"PASS {name}")
        elif failure is None:
            self.failed.append(name)
            print(f"UNEXPECTED PASS {name}: remove it from the known failures")
        elif known:
            self.failed_as_known.append(name)
            if self.verbose:
                print(f"KNOWN FAILURE {name}: {failure}")
        else:
            self.failed.append(name)
            print(f"FAIL {name}: {failure}")

    def request(self, **fields):
        request = self.conformance.ConformanceRequest(**fields)
        return self.send(request.SerializeToString())

    def send(self, raw):
        """Sends raw request bytes; returns (ConformanceResponse or None, failure text or None)."""
        try:
            answer = self.testee.exchange(raw)
        except TesteeDied as died:
            return None, f"testee died: {died}"
        response = self.conformance.ConformanceResponse()
        try:
            response.ParseFromString(answer)
        except DecodeError as error:
            return None, f"the answer is not a ConformanceResponse ({error}): {hexdump(answer)}"
        return response, None

    def run_case(self, case):
        self.record(case.name, self.judge(case))

    def judge(self, case):
        cls = self.classes[case.message]
        expected = cls()
        try:
            expected.ParseFromString(case.payload)
            oracle_error = None
        except DecodeError as error:
            oracle_error = str(error) or "DecodeError"
        if case.expect == "valid" and oracle_error:
            return f"driver case is wrong: python rejects it ({oracle_error}); input {hexdump(case.payload)}"
        if case.expect == "error" and not oracle_error:
            return f"driver case is wrong: python accepts it as {describe(expected)}; input {hexdump(case.payload)}"
        response, failure = self.request(protobuf_payload=case.payload, message_type=case.message,
                                         requested_output_format=self.conformance.PROTOBUF,
                                         test_category=self.conformance.BINARY_TEST)
        if failure:
            return f"{failure}; input {hexdump(case.payload)}"
        result = response.WhichOneof("result")
        if case.expect == "either" and result in ("parse_error", "protobuf_payload"):
            if result == "protobuf_payload":
                try:
                    cls.FromString(response.protobuf_payload)
                except DecodeError as error:
                    return f"python cannot parse the testee's output ({error}): {hexdump(response.protobuf_payload)}"
            return None
        if case.expect == "robust":
            return self.judge_robust(case, cls, response, expected, oracle_error)
        must_fail = oracle_error is not None and case.expect != "lenient"
        if must_fail:
            if result == "parse_error":
                return None
            got = describe_response(response, cls)
            return f"expected parse_error (python: {oracle_error}), got {got}; input {hexdump(case.payload)}"
        if result == "parse_error" and case.expect == "lenient":
            return None
        if result != "protobuf_payload":
            return f"expected protobuf_payload equal to {describe(expected)}, got {describe_response(response, cls)}; input {hexdump(case.payload)}"
        actual = cls()
        try:
            actual.ParseFromString(response.protobuf_payload)
        except DecodeError as error:
            return f"python cannot parse the testee's output ({error}): {hexdump(response.protobuf_payload)}; input {hexdump(case.payload)}"
        if canonical(actual) != canonical(expected) and not self.matches_alternative(case, cls, actual):
            return (f"output differs: expected {describe(expected)}, got {describe(actual)}; "
                    f"input {hexdump(case.payload)}; output {hexdump(response.protobuf_payload)}")
        if case.exact and response.protobuf_payload != expected.SerializeToString():
            return (f"output bytes differ from protobuf's form: expected {hexdump(expected.SerializeToString())}, "
                    f"got {hexdump(response.protobuf_payload)}; input {hexdump(case.payload)}")
        return None

    @staticmethod
    def judge_robust(case, cls, response, expected, oracle_error):
        result = response.WhichOneof("result")
        if result == "parse_error":
            return None
        if result != "protobuf_payload":
            return f"expected parse_error or protobuf_payload, got {describe_response(response, cls)}; input {hexdump(case.payload)}"
        actual = cls()
        try:
            actual.ParseFromString(response.protobuf_payload)
        except DecodeError as error:
            return f"python cannot parse the testee's output ({error}): {hexdump(response.protobuf_payload)}; input {hexdump(case.payload)}"
        if oracle_error:
            return f"accepted input that python rejects ({oracle_error}) as {describe(actual)}; input {hexdump(case.payload)}"
        if canonical(actual) != canonical(expected) and not Driver.matches_alternative(case, cls, actual):
            return (f"output differs: expected {describe(expected)}, got {describe(actual)}; "
                    f"input {hexdump(case.payload)}; output {hexdump(response.protobuf_payload)}")
        return None

    @staticmethod
    def matches_alternative(case, cls, actual):
        """Whether `actual` is the input's parse under C++'s map-entry rule (see
        conformance_wire.drop_unknowns_in_map_entries)."""
        try:
            alternative = cls.FromString(conformance_wire.drop_unknowns_in_map_entries(case.payload, cls.DESCRIPTOR))
        except (conformance_wire.Malformed, DecodeError):
            return False
        return canonical(actual) == canonical(alternative)

    def protocol_cases(self):
        """The envelope itself: FailureSet, formats this testee skips, and requests it cannot use."""
        c = self.conformance
        proto3 = "protobuf_test_messages.proto3.TestAllTypesProto3"

        response, failure = self.request(message_type="conformance.FailureSet", protobuf_payload=b"",
                                         requested_output_format=c.PROTOBUF)
        if not failure:
            if response.WhichOneof("result") != "protobuf_payload":
                failure = f"expected an empty FailureSet as protobuf_payload, got {response}"
            else:
                failures = c.FailureSet.FromString(response.protobuf_payload)
                failure = None if not failures.failure else f"expected no listed failures, got {list(failures.failure)}"
        self.record("protocol.failure_set", failure)

        skips = {
            "protocol.jspb_input": dict(jspb_payload="[1]", requested_output_format=c.PROTOBUF),
            "protocol.jspb_output": dict(protobuf_payload=b"\x08\x01", requested_output_format=c.JSPB),
        }
        for name, fields in skips.items():
            response, failure = self.request(message_type=proto3, **fields)
            if not failure and response.WhichOneof("result") != "skipped":
                failure = f"expected skipped, got {response}"
            elif not failure and not response.skipped:
                failure = "skipped without a reason"
            self.record(name, failure)

        errors = {
            "protocol.unknown_message_type": c.ConformanceRequest(
                message_type="no.such.Message", protobuf_payload=b"", requested_output_format=c.PROTOBUF).SerializeToString(),
            "protocol.no_payload": c.ConformanceRequest(message_type=proto3, requested_output_format=c.PROTOBUF).SerializeToString(),
            "protocol.unspecified_output_format": c.ConformanceRequest(message_type=proto3, protobuf_payload=b"").SerializeToString(),
            "protocol.undecodable_request": b"\xff\xff\xff",
            "protocol.empty_request_frame": b"",
        }
        for name, raw in errors.items():
            response, failure = self.send(raw)
            if not failure and response.WhichOneof("result") != "runtime_error":
                failure = f"expected runtime_error, got {response}"
            self.record(name, failure)

    def finish(self):
        status = self.testee.close()
        self.record("protocol.exits_cleanly_when_input_ends", None if status == 0 else f"testee exit status {status}")


def describe_response(response, cls):
    result = response.WhichOneof("result")
    if result == "protobuf_payload":
        message = cls()
        try:
            message.ParseFromString(response.protobuf_payload)
            return f"protobuf_payload {describe(message)}"
        except DecodeError:
            return f"protobuf_payload (unparseable) {hexdump(response.protobuf_payload)}"
    return f"{result}: {getattr(response, result)!r}" if result else "an empty response"


def read_known_failures(path):
    with open(path, encoding="utf-8") as file:
        return {line.split("#", 1)[0].strip() for line in file} - {""}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("testee", help="path of the testee executable")
    parser.add_argument("--filter", action="append", default=[], help="run only cases whose name contains this text")
    parser.add_argument("--verbose", action="store_true", help="print passing cases and known failures too")
    parser.add_argument("--mutations", type=int, default=3000, help="how many damaged inputs to send (default 3000)")
    parser.add_argument("--seed", type=int, default=20261125, help="seed of the mutations (default: a fixed one)")
    parser.add_argument("--binary-only", action="store_true", help="send only the binary-format cases")
    parser.add_argument("--known-failures", help="file naming the cases expected to fail, one per line")
    parser.add_argument("--protoc", default=os.environ.get("PROTOC", "/usr/bin/protoc"))
    parser.add_argument("--protos", default=os.path.join(REPOSITORY, "Sources/ferry-conformance/Protos"))
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ferry-conformance-") as out:
        conformance, classes = generate_python(options.protoc, options.protos, out)
        cases = [case for cls in classes.values() for case in conformance_cases.build(cls.DESCRIPTOR)]
        cases += conformance_cases.mutations(cases, options.mutations, options.seed)
        names = [case.name for case in cases]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            sys.exit(f"duplicate case names: {duplicates}")
        if options.filter:
            cases = [case for case in cases if any(text in case.name for text in options.filter)]
        known = read_known_failures(options.known_failures) if options.known_failures else set()
        driver = Driver(Testee([options.testee]), conformance, classes, options.verbose, known)
        if not options.filter or any("protocol" in text for text in options.filter):
            driver.protocol_cases()
        for case in cases:
            driver.run_case(case)
        if not options.binary_only:
            json_judge = conformance_json.JsonJudge(driver)
            text_judge = conformance_text.TextJudge(driver)
            json_cases = conformance_json.input_cases(classes)
            text_cases = conformance_text.input_cases()
            json_outputs = conformance_json.output_messages(classes)
            text_outputs = conformance_text.output_messages(classes)
            # JSON and text must print whatever binary holds: every valid binary case, asked for both.
            for case in cases:
                if case.expect != "valid" or case.name.startswith("mutation"):
                    continue
                message = classes[case.message]()
                try:
                    message.ParseFromString(case.payload)
                except DecodeError:
                    continue
                alternative = None
                try:
                    alternative = classes[case.message].FromString(conformance_wire.drop_unknowns_in_map_entries(case.payload, message.DESCRIPTOR))
                    alternative.DiscardUnknownFields()
                except Exception:
                    alternative = None
                json_alternative = None
                if alternative is not None:
                    try:
                        json_alternative = type(alternative)()
                        conformance_json.json_format.Parse(conformance_json.json_format.MessageToJson(alternative), json_alternative)
                    except Exception:
                        json_alternative = None
                json_outputs.append((f"json.from_binary.{case.name}", case.message, message, json_alternative))
                text_outputs.append((f"text.from_binary.{case.name}", case.message, message, alternative))
            all_inputs = json_cases + text_cases
            all_outputs = [(json_judge, entry) for entry in json_outputs] + [(text_judge, entry) for entry in text_outputs]
            names += [case.name for case in all_inputs] + [entry[0] for _, entry in all_outputs]
            if options.filter:
                all_inputs = [case for case in all_inputs if any(text in case.name for text in options.filter)]
                all_outputs = [item for item in all_outputs if any(text in item[1][0] for text in options.filter)]
            for case in all_inputs:
                (text_judge if case.name.startswith("text.") else json_judge).run_input(case)
            for judge, (name, full_name, message, *alternative) in all_outputs:
                judge.run_output(name, full_name, message, *alternative)
        driver.finish()
        if not options.filter:
            for name in sorted(known - set(names) - {n for n in known if n.startswith("protocol.")}):
                driver.failed.append(name)
                print(f"FAIL {name}: listed as a known failure, but no case has this name")

    if driver.failed_as_known:
        print(f"{len(driver.failed_as_known)} known failures still fail, as listed in {options.known_failures}")
    print(f"{driver.passed} passed, {len(driver.failed)} failed")
    sys.exit(1 if driver.failed else 0)


if __name__ == "__main__":
    main()
