"""What the JSON and text-format cases of the conformance driver share: sending an input case in
both output formats, sending a binary message for output, and judging the answers with python."""

from conformance_wire import canonical_nans, describe_message as describe


class FormatJudge:
    """Judges one text format (JSON or protobuf's text format) against python.

    Subclasses say how python reads and prints the format (`oracle_parse`, `parse_output`,
    `expected_output`), which request field carries it (`payload`), which output format asks for it
    (`output_format`) and which test category a case belongs to (`category`)."""

    payload = None
    label = None

    def __init__(self, driver):
        self.driver = driver
        self.c = driver.conformance

    def output_format(self):
        raise NotImplementedError

    def category(self, case):
        raise NotImplementedError

    def oracle_parse(self, case, message):
        raise NotImplementedError

    def parse_output(self, text, message):
        raise NotImplementedError

    def expected_output(self, message):
        """(what python reads back from a correct output of `message`, whether python can print it)."""
        raise NotImplementedError

    def run_input(self, case):
        expected = self.driver.classes[case.message]()
        try:
            self.oracle_parse(case, expected)
            oracle_error = None
        except Exception as error:  # python's parsers raise ParseError, and ValueError/TypeError on odd input
            oracle_error = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        problems = []
        for output in (self.c.PROTOBUF, self.output_format()):
            response, failure = self.driver.request(message_type=case.message, requested_output_format=output,
                                                    test_category=self.category(case), **{self.payload: case.text})
            problems.append(failure or self.judge(case, expected, oracle_error, response))
        problems = [p for p in problems if p]
        self.driver.record(case.name, "; ".join(problems) if problems else None)

    def judge(self, case, expected, oracle_error, response):
        result = response.WhichOneof("result")
        shown = repr(case.text if len(case.text) < 200 else case.text[:200] + "...")
        if result == "parse_error":
            if oracle_error is None and case.expect != "either":
                return f"parse_error ({response.parse_error}) but python reads {shown} fine"
            return None
        if result not in ("protobuf_payload", self.payload):
            return f"expected a payload or parse_error, got {result}: {getattr(response, result, '')!r} for {shown}"
        if oracle_error is not None:
            return None if case.expect == "either" else f"accepted {shown}, which python rejects ({oracle_error})"
        actual, failure = self.read_output(case.message, response)
        if failure:
            return f"{failure}; input {shown}"
        if not same(actual, expected):
            return f"differs for {shown}: expected {describe(expected)}, got {describe(actual)}"
        return None

    def read_output(self, full_name, response):
        message = self.driver.classes[full_name]()
        result = response.WhichOneof("result")
        try:
            if result == "protobuf_payload":
                message.ParseFromString(response.protobuf_payload)
            else:
                self.parse_output(getattr(response, result), message)
        except Exception as error:
            return None, f"python cannot read the testee's {result} ({error}): {getattr(response, result)!r:.300}"
        return message, None

    def run_output(self, name, full_name, message, alternative=None):
        """Binary in, this format out: python must read the output back as `expected_output` says.
        `alternative` is a second acceptable message (C++'s map-entry rule)."""
        expected, printable = self.expected_output(message)
        response, failure = self.driver.request(protobuf_payload=message.SerializeToString(), message_type=full_name,
                                                requested_output_format=self.output_format(),
                                                test_category=self.category(None))
        if failure:
            self.driver.record(name, failure)
            return
        result = response.WhichOneof("result")
        if not printable:
            ok = result == "serialize_error"
            self.driver.record(name, None if ok else f"python cannot print {describe(expected)} as {self.label}; expected serialize_error, got {result}: {getattr(response, result, '')!r:.200}")
            return
        if result != self.payload:
            self.driver.record(name, f"expected {self.payload} for {describe(expected)}, got {result}: {getattr(response, result, '')!r:.300}")
            return
        actual, failure = self.read_output(full_name, response)
        if failure is None and not same(actual, expected) and not (alternative is not None and same(actual, alternative)):
            failure = f"{self.label} {getattr(response, self.payload)[:300]!r} reads back as {describe(actual)}, expected {describe(expected)}"
        self.driver.record(name, failure)


def same(a, b):
    """Equal messages; NaNs are equal whatever their payload bits (JSON and text have one NaN)."""
    if a.SerializeToString(deterministic=True) == b.SerializeToString(deterministic=True):
        return True
    a, b = canonical_nans(a), canonical_nans(b)
    return a.SerializeToString(deterministic=True) == b.SerializeToString(deterministic=True)
