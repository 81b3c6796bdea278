#!/usr/bin/env python3
"""The Buf CLI as the oracle for `ferry breaking`'s mutation table.

Each file Tests/FerrySchemaTests/Fixtures/breaking/*.case holds an old
("against") module, a new module and the rule IDs `buf breaking` reports for
them in each category of buf.yaml v2's rule set (FILE, PACKAGE, WIRE_JSON,
WIRE).  The Swift test reads the same files and holds Ferry to them.

    breaking_oracle.py check  [--buf PATH] [CASE...]   compare buf with the table
    breaking_oracle.py update [--buf PATH] [CASE...]   rewrite `=== expect` from buf
    breaking_oracle.py show   [--buf PATH] CASE...     print buf's raw JSON lines
    breaking_oracle.py protoc [CASE...]                compile each side with protoc

CASE is a case name (`field-type-int32-to-string`), a file name or a path; no
CASE means every case.  buf is found as --buf, else $FERRY_BUF, else
<repo>/.venv/bin/buf, else PATH; without one the script prints
'buf not installed' and exits 77.

Case file format:

    # One-line description (shown in test failures).
    # deliberate: why Ferry differs from buf (only with a `=== ferry` section)
    === old/a.proto
    ...file text...
    === new/a.proto
    ...file text...
    === expect
    FILE: RULE RULE
    PACKAGE: RULE
    WIRE_JSON:
    WIRE:
    === ferry
    WIRE:

How buf is run (one call per category, cwd = <tmp>/new):

    buf breaking . --against ../old \
        --config '{"version":"v2","breaking":{"use":["<CATEGORY>"]}}' \
        --against-config '{"version":"v2","breaking":{"use":["<CATEGORY>"]}}' \
        --error-format json

(Inputs must be given relative to the inline config's module path ".", so the
new module is the working directory; a `new` input from the parent directory
is refused as "contained by module at path '.'".)  Exit status 0 means no
violation, 100 means violations or compile errors; anything else is a failure.

buf 1.75's `--error-format json` prints one JSON object per line with keys, in
this order: path, start_line, start_column, end_line, end_column, type,
message.  Positions are 1-based; `path` is relative to the module root and
names a file of the *new* module; a key whose value is empty is left out.
Where the path comes from:
  - FILE_NO_DELETE (file gone) and PACKAGE_NO_DELETE (package gone): no
    `path` key at all, position 1:1-1:1; the message names the old file or
    package ("Previously present file \"a.proto\" was deleted.").
  - The *_NO_DELETE rules point at the parent of what was deleted, in the
    new module:
    FILE's MESSAGE/ENUM/SERVICE/EXTENSION_NO_DELETE compare file by file (by
    path; nested types by their name inside the file): the parent message in
    the new file of the same path, else that file itself at 1:1-1:1.  So a
    message moved to another file is reported, with each of its nested
    messages and enums, at the old path.
    PACKAGE_{MESSAGE,ENUM,SERVICE,EXTENSION}_NO_DELETE compare package by
    package (by full name): a nested element's parent message wherever it
    now is; for a top-level element, the new file having the old file's path
    (1:1-1:1), or no `path` key when no file has that path any more.
    FIELD_NO_DELETE*, ONEOF_NO_DELETE, ENUM_VALUE_NO_DELETE*, RPC_NO_DELETE,
    RESERVED_*_NO_DELETE, EXTENSION_MESSAGE_NO_DELETE: the span of the
    message / enum / service in the new module, wherever it now is.
  - Everything else: the new element (e.g. the field's type for
    FIELD_SAME_TYPE, the option for FILE_SAME_*, the `package` statement for
    FILE_SAME_PACKAGE, the `syntax` statement for FILE_SAME_SYNTAX).
Compile errors come out on the same stream with type "COMPILE" and exit 100.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CATEGORIES = ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES_DIR = os.path.join(REPO, "Tests", "FerrySchemaTests", "Fixtures", "breaking")
BUF_TIMEOUT = 60
WORKERS = 2


class CaseError(Exception):
    pass


class BufError(Exception):
    pass


def category_config(category):
    return json.dumps({"version": "v2", "breaking": {"use": [category]}}, separators=(",", ":"))


# ---------------------------------------------------------------- case files

class Case:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[: -len(".case")]
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.header = []          # lines before the first section
        self.sections = []        # (title, [lines])
        current = None
        for line in self.text.split("\n"):
            if line.startswith("=== "):
                current = (line[4:].strip(), [])
                self.sections.append(current)
            elif current is None:
                self.header.append(line)
            else:
                current[1].append(line)
        self.old = {}
        self.new = {}
        self.expect = None
        self.ferry = {}
        for title, lines in self.sections:
            if title.startswith("old/") or title.startswith("new/"):
                side, rel = title.split("/", 1)
                if not rel or rel.startswith("/") or ".." in rel.split("/"):
                    raise CaseError(f"{self.name}: bad file path {title!r}")
                files = self.old if side == "old" else self.new
                if rel in files:
                    raise CaseError(f"{self.name}: {title} given twice")
                files[rel] = "\n".join(strip_trailing_blank(lines)) + "\n"
            elif title == "expect":
                self.expect = parse_verdicts(self.name, title, lines, require_all=True)
            elif title == "ferry":
                self.ferry = parse_verdicts(self.name, title, lines, require_all=False)
            else:
                raise CaseError(f"{self.name}: unknown section {title!r}")
        if not self.old or not self.new:
            raise CaseError(f"{self.name}: each side needs at least one file")
        if self.ferry and not any(h.startswith("# deliberate:") for h in self.header):
            raise CaseError(f"{self.name}: a `=== ferry` section needs a `# deliberate:` line")

    def rewrite_expect(self, verdicts):
        out = list(self.header)
        for title, lines in self.sections:
            if title == "expect":
                continue
            if title == "ferry":
                continue
            out.append("=== " + title)
            out.extend(strip_trailing_blank(lines))
        out.append("=== expect")
        out.extend(format_verdicts(verdicts, CATEGORIES))
        if self.ferry:
            out.append("=== ferry")
            out.extend(format_verdicts(self.ferry, [c for c in CATEGORIES if c in self.ferry]))
        text = "\n".join(out) + "\n"
        if text != self.text:
            with open(self.path, "w", encoding="utf-8") as f:
                f.write(text)
            return True
        return False


def strip_trailing_blank(lines):
    lines = list(lines)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def parse_verdicts(name, title, lines, require_all):
    verdicts = {}
    order = []
    for line in strip_trailing_blank(lines):
        m = re.fullmatch(r"([A-Z_]+):((?: [A-Z0-9_]+)*)\s*", line)
        if not m or m.group(1) not in CATEGORIES:
            raise CaseError(f"{name}: bad line in `=== {title}`: {line!r}")
        if m.group(1) in verdicts:
            raise CaseError(f"{name}: {m.group(1)} given twice in `=== {title}`")
        verdicts[m.group(1)] = frozenset(m.group(2).split())
        order.append(m.group(1))
    if require_all and order != CATEGORIES:
        raise CaseError(f"{name}: `=== {title}` must list {', '.join(CATEGORIES)} in that order")
    return verdicts


def format_verdicts(verdicts, categories):
    return [(f"{c}: " + " ".join(sorted(verdicts[c]))).rstrip() for c in categories]


def resolve_cases(names):
    if not names:
        paths = sorted(os.path.join(CASES_DIR, n) for n in os.listdir(CASES_DIR) if n.endswith(".case"))
    else:
        paths = []
        for n in names:
            candidates = [n, n + ".case", os.path.join(CASES_DIR, n), os.path.join(CASES_DIR, n + ".case")]
            found = next((c for c in candidates if os.path.isfile(c) and c.endswith(".case")), None)
            if found is None:
                raise CaseError(f"no such case: {n}")
            paths.append(found)
    return [Case(p) for p in paths]


def write_side(root, files):
    for rel, text in files.items():
        target = os.path.join(root, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)


# ----------------------------------------------------------------------- buf

def find_buf(explicit):
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    env = os.environ.get("FERRY_BUF")
    if env:
        return env if os.access(env, os.X_OK) else None
    venv = os.path.join(REPO, ".venv", "bin", "buf")
    if os.access(venv, os.X_OK):
        return venv
    return shutil.which("buf")


def run_buf(buf, tmp, category):
    """Returns buf's violations for one category as a list of dicts."""
    cfg = category_config(category)
    cmd = [buf, "breaking", ".", "--against", "../old", "--config", cfg,
           "--against-config", cfg, "--error-format", "json"]
    env = dict(os.environ, BUF_LOG_FORMAT="text", NO_COLOR="1")
    try:
        proc = subprocess.run(cmd, cwd=os.path.join(tmp, "new"), capture_output=True,
                              text=True, timeout=BUF_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise BufError(f"buf timed out after {BUF_TIMEOUT}s ({category})")
    if proc.returncode not in (0, 100):
        raise BufError(f"buf exited {proc.returncode} ({category}):\n{proc.stderr}{proc.stdout}")
    violations = []
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        try:
            v = json.loads(line)
        except json.JSONDecodeError:
            raise BufError(f"buf printed a non-JSON line ({category}): {line!r}\n{proc.stderr}")
        if v.get("type") == "COMPILE":
            raise BufError(f"buf could not compile the case ({category}):\n{proc.stdout}{proc.stderr}")
        violations.append(v)
    if proc.returncode == 100 and not violations:
        raise BufError(f"buf exited 100 without violations ({category}):\n{proc.stderr}")
    return violations


def buf_verdicts(buf, case):
    """{category: [violation dicts]} for one case."""
    tmp = tempfile.mkdtemp(prefix="ferry-breaking-")
    try:
        write_side(os.path.join(tmp, "old"), case.old)
        write_side(os.path.join(tmp, "new"), case.new)
        return {c: run_buf(buf, tmp, c) for c in CATEGORIES}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def rule_sets(raw):
    return {c: frozenset(v["type"] for v in raw[c]) for c in CATEGORIES}


def for_each_case(cases, fn):
    """Runs fn(case) on a small pool; yields (case, result or exception) in case order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(fn, c) for c in cases]
        for case, fut in zip(cases, futures):
            try:
                yield case, fut.result()
            except BufError as e:
                yield case, e


def need_buf(args):
    buf = find_buf(args.buf)
    if buf is None:
        print("buf not installed")
        sys.exit(77)
    return buf


# ------------------------------------------------------------------ commands

def cmd_check(args):
    buf = need_buf(args)
    cases = resolve_cases(args.cases)
    agree = differ = 0
    failed = False
    for case, result in for_each_case(cases, lambda c: buf_verdicts(buf, c)):
        if isinstance(result, BufError):
            print(f"{case.name}: {result}")
            failed = True
            differ += 1
            continue
        if case.expect is None:
            print(f"{case.name}: no `=== expect` section (run `breaking_oracle.py update {case.name}`)")
            differ += 1
            continue
        got = rule_sets(result)
        bad = False
        for c in CATEGORIES:
            if got[c] != case.expect[c]:
                bad = True
                print(f"{case.name}: {c}: table says [{' '.join(sorted(case.expect[c]))}], "
                      f"buf says [{' '.join(sorted(got[c]))}]")
        if bad:
            differ += 1
        else:
            agree += 1
    print(f"breaking oracle: {agree} cases agree, {differ} differ")
    return 1 if (differ or failed) else 0


def cmd_update(args):
    buf = need_buf(args)
    cases = resolve_cases(args.cases)
    status = 0
    changed = 0
    for case, result in for_each_case(cases, lambda c: buf_verdicts(buf, c)):
        if isinstance(result, BufError):
            print(f"{case.name}: {result}")
            status = 1
            continue
        if case.rewrite_expect(rule_sets(result)):
            changed += 1
            print(f"updated {case.name}")
    print(f"breaking oracle: {len(cases)} cases, {changed} updated")
    return status


def cmd_show(args):
    buf = need_buf(args)
    cases = resolve_cases(args.cases)
    status = 0
    for case, result in for_each_case(cases, lambda c: buf_verdicts(buf, c)):
        print(f"== {case.name}")
        if isinstance(result, BufError):
            print(result)
            status = 1
            continue
        for c in CATEGORIES:
            for v in result[c]:
                print(f"{c}\t{json.dumps(v)}")
    return status


def cmd_protoc(args):
    protoc = args.protoc or shutil.which("protoc")
    if protoc is None:
        print("protoc not installed")
        return 77
    cases = resolve_cases(args.cases)
    status = 0
    for case in cases:
        tmp = tempfile.mkdtemp(prefix="ferry-breaking-protoc-")
        try:
            for side, files in (("old", case.old), ("new", case.new)):
                root = os.path.join(tmp, side)
                write_side(root, files)
                proc = subprocess.run([protoc, "-I", root, "--descriptor_set_out=" + os.devnull]
                                      + sorted(files), cwd=root, capture_output=True, text=True)
                if proc.returncode != 0:
                    print(f"{case.name}: protoc rejects {side}/:\n{proc.stderr}")
                    status = 1
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"protoc: {len(cases)} cases checked")
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("check", "update", "show"):
        p = sub.add_parser(name)
        p.add_argument("--buf", help="path to the buf binary")
        p.add_argument("cases", nargs="*", metavar="CASE")
    p = sub.add_parser("protoc")
    p.add_argument("--protoc", help="path to protoc")
    p.add_argument("cases", nargs="*", metavar="CASE")
    args = parser.parse_args()
    try:
        return {"check": cmd_check, "update": cmd_update, "show": cmd_show,
                "protoc": cmd_protoc}[args.command](args)
    except CaseError as e:
        print(f"breaking oracle: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
