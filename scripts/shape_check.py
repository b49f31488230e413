#!/usr/bin/env python3
"""The code's shape, held to a ratchet: no source file over 900 lines and no
function over 100 lines in counters/, backends/ and cli/ (tests and fuzz
targets left out), except those listed in scripts/shape_allowed.txt, and
those no longer than listed there. Declarative tables (a function that only
builds a table of fields, options or results) are listed as `table` and may
be any length.

A split that shortens a listed file or function lowers its number (or
removes its line); anything new over a limit, or a listed one that grew,
fails. Functions are found with universal-ctags (scripts/setup.sh installs
it).

Usage: scripts/shape_check.py [--update]   (--update rewrites the list)
"""

import argparse
import os
import shutil
import subprocess
import sys

FILE_LIMIT = 900
FUNCTION_LIMIT = 100
DIRS = ("counters", "backends", "cli")
ALLOWED = os.path.join("scripts", "shape_allowed.txt")


def sources():
    for top in DIRS:
        for root, _, names in os.walk(top):
            for name in sorted(names):
                if name.endswith((".cc", ".h")) and not name.endswith(
                        ("_test.cc", "_fuzz.cc")):
                    yield os.path.join(root, name)


def long_files():
    out = {}
    for path in sources():
        with open(path, encoding="utf-8") as f:
            n = sum(1 for _ in f)
        if n > FILE_LIMIT:
            out[path] = n
    return out


def long_functions():
    try:
        tags = subprocess.run(
            [shutil.which("ctags-universal") or "ctags", "--fields=+ne", "--c++-kinds=f", "--languages=C++",
             "-f", "-"] + list(sources()),
            check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"shape_check: universal-ctags is needed ({e}); "
                 "scripts/setup.sh installs it")
    out = {}
    for line in tags.splitlines():
        parts = line.split("\t")
        fields = dict(p.split(":", 1) for p in parts[3:] if ":" in p)
        if "line" not in fields or "end" not in fields:
            continue
        n = int(fields["end"]) - int(fields["line"]) + 1
        key = (parts[1], parts[0])
        if n > FUNCTION_LIMIT and n > out.get(key, 0):
            out[key] = n
    return out


def read_allowed():
    files, functions, tables = {}, {}, set()
    with open(ALLOWED, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].split()
            if not line:
                continue
            if line[0] == "file":
                files[line[1]] = int(line[2])
            elif line[0] == "function":
                functions[(line[1], line[2])] = int(line[3])
            elif line[0] == "table":
                tables.add((line[1], line[2]))
    return files, functions, tables


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true")
    opts = parser.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    files, functions = long_files(), long_functions()
    allowed_files, allowed_functions, tables = read_allowed()
    if opts.update:
        with open(ALLOWED, "w", encoding="utf-8") as f:
            f.write("# scripts/shape_check.py: what may still be over the "
                    "limits (files 900 lines,\n# functions 100), and at "
                    "most how long. Lower a number when a split\n# shortens "
                    "it; never raise one.\n")
            for (path, name) in sorted(tables):
                f.write(f"table {path} {name}\n")
            for path, n in sorted(files.items()):
                f.write(f"file {path} {n}\n")
            for (path, name), n in sorted(functions.items()):
                if (path, name) not in tables:
                    f.write(f"function {path} {name} {n}\n")
        return 0
    failures = []
    for path, n in sorted(files.items(), key=lambda e: -e[1]):
        limit = allowed_files.get(path)
        if limit is None or n > limit:
            failures.append(f"{path}: {n} lines (limit {limit or FILE_LIMIT})")
    for (path, name), n in sorted(functions.items(), key=lambda e: -e[1]):
        if (path, name) in tables:
            continue
        limit = allowed_functions.get((path, name))
        if limit is None or n > limit:
            failures.append(f"{path}: {name} is {n} lines "
                            f"(limit {limit or FUNCTION_LIMIT})")
    print(f"shape: {len(files)} files over {FILE_LIMIT} lines, "
          f"{sum(1 for k in functions if k not in tables)} functions over "
          f"{FUNCTION_LIMIT} (tables aside), allowed in {ALLOWED}")
    for f in failures:
        print("shape_check: " + f, file=sys.stderr)
    if failures:
        print("shape_check: split it along its jobs (issue 23); the limits "
              "are in " + ALLOWED, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
