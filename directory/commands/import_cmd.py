"""`import FORMAT FILE`: add or update records in one transaction; nothing changes when a row is bad."""

from __future__ import annotations

import sys
from pathlib import Path

from directory.catalog import CatalogError
from directory.importers import FORMATS, importer
from directory.store import DB_HELP, open_store


def add_parser(sub) -> None:
    p = sub.add_parser("import", help="import a file into the catalog (all or nothing)")
    p.add_argument("format", choices=sorted(FORMATS))
    p.add_argument("file")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    p.add_argument("--skip-invalid", action="store_true", help="import the valid rows and report the others")
    p.set_defaults(run=run)


def run(args) -> int:
    path = Path(args.file)
    if not path.exists():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    result = importer(args.format).parse(path)
    try:
        catalog = open_store(args.db)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with catalog:
        report = catalog.import_records(
            result.records,
            source=path.name,
            rejected=result.errors,
            warnings=result.warnings,
            allow_rejected=args.skip_invalid,
            dry_run=args.dry_run,
        )
    for problem in report.warnings:
        print(f"warning: {problem}")
    for problem in report.rejected:
        print(problem)
    print(report.summary())
    return 0 if report.applied or (args.dry_run and report.ok) else 1
