"""`validate FILE`: check a file without importing it; exit status 1 with the row-level report when it is bad."""

from __future__ import annotations

import sys
from pathlib import Path

from directory.importers import importer


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="check a file and list every problem by row and column")
    p.add_argument("file")
    p.add_argument("--format", default="csv", help="file format (default csv: the project CSV)")
    p.set_defaults(run=run)


def run(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    try:
        module = importer(args.format)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = module.parse(path)
    for problem in result.warnings:
        print(f"warning: {problem}")
    for problem in result.errors:
        print(problem)
    print(f"{path.name}: {result.rows_read} rows, {len(result.records)} valid, {len(result.errors)} problems")
    return 1 if result.errors else 0
