#!/usr/bin/env python3
"""Prints, per module under Sources/, how many public declarations carry a `///` doc comment.

    scripts/doc-coverage.py [--min PERCENT] [--list MODULE]

A public declaration is a line declaring a `public` or `open` func, init, subscript, var, let,
struct, class, actor, enum, protocol, typealias or case-bearing enum member; it counts as documented
when the nearest line above it that is neither blank nor an attribute is a `///` comment. Generated
files (`*.pb.swift`) are left out. `--list MODULE` prints the undocumented ones of a module;
`--min` exits 1 when a module is below PERCENT.
"""
import argparse
import os
import re
import sys

DECLARATION = re.compile(
    r"^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:public|open)\s+"
    r"(?:(?:static|class|final|override|nonisolated|mutating|nonmutating|convenience|required|indirect|lazy)\s+)*"
    r"(?:func|init|subscript|var|let|struct|class|actor|enum|protocol|typealias)\b"
)
ATTRIBUTE = re.compile(r"^\s*@[\w.]+(\(.*\))?\s*$")


def scan(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = []
    for index, line in enumerate(lines):
        if not DECLARATION.match(line) or "public extension" in line:
            continue
        above = index - 1
        while above >= 0 and (not lines[above].strip() or ATTRIBUTE.match(lines[above])):
            above -= 1
        documented = above >= 0 and (lines[above].strip().startswith("///") or lines[above].strip().endswith("*/"))
        found.append((index + 1, line.strip(), documented))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--min", type=float, default=None)
    parser.add_argument("--list", default=None)
    arguments = parser.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources")
    below = []
    total_public = total_documented = 0
    for module in sorted(os.listdir(root)):
        directory = os.path.join(root, module)
        if not os.path.isdir(directory):
            continue
        public = documented = 0
        missing = []
        for folder, _, files in os.walk(directory):
            for name in sorted(files):
                if not name.endswith(".swift") or name.endswith(".pb.swift"):
                    continue
                path = os.path.join(folder, name)
                for line, text, has_doc in scan(path):
                    public += 1
                    documented += has_doc
                    if not has_doc:
                        missing.append(f"{os.path.relpath(path, root)}:{line}: {text}")
        if public == 0:
            continue
        total_public += public
        total_documented += documented
        percent = 100.0 * documented / public
        print(f"{module:28} {documented:5} / {public:5}  {percent:5.1f} %")
        if arguments.min is not None and percent < arguments.min:
            below.append(module)
        if arguments.list == module:
            for entry in missing:
                print("    " + entry)
    print(f"{'all':28} {total_documented:5} / {total_public:5}  {100.0 * total_documented / max(total_public, 1):5.1f} %")
    if below:
        print(f"below {arguments.min} %: {', '.join(below)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
