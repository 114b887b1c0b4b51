"""`import FORMAT FILE`: add or update records in one transaction; nothing changes when a row is bad.

Feed formats (meeting-guide, bmlt, findtreatment, hsds) take what a file cannot say from the command
line, as `refresh` takes it from the feed registry: `--source NAME` (ids become `NAME-<slug>`, so two
feeds with the same slugs stay two sets of records), `--source-url URL` (every record's source_url when
its own entry has none) and `--fellowship AA`.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import replace
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
    p.add_argument(
        "--source", help="feed formats: the source name; ids become NAME-<slug> (default: the format)"
    )
    p.add_argument(
        "--source-url", help="feed formats: the feed's URL, used when an entry has no URL of its own"
    )
    p.add_argument(
        "--fellowship", help="meeting-guide and bmlt: the fellowship of every meeting (AA, NA, Al-Anon, ...)"
    )
    p.set_defaults(run=run)


# Which option supplies a required field a feed entry may lack.
_OPTION_FOR = {"source_url": "--source-url URL", "source": "--source NAME", "fellowship": "--fellowship NAME"}


def _options(module, args) -> tuple[dict, list[str]]:
    """Keyword arguments of the importer's parse() from the options; names of options it cannot take."""
    accepted = inspect.signature(module.parse).parameters
    wanted = {"source_key": args.source, "source_url": args.source_url, "fellowship": args.fellowship}
    flags = {"source_key": "--source", "source_url": "--source-url", "fellowship": "--fellowship"}
    given = {k: v for k, v in wanted.items() if v}
    refused = [flags[k] for k in given if k not in accepted]
    return {k: v for k, v in given.items() if k in accepted}, refused


def run(args) -> int:
    path = Path(args.file)
    if not path.exists():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    module = importer(args.format)
    options, refused = _options(module, args)
    if refused:
        print(f"error: the {args.format} format takes no {', '.join(refused)}", file=sys.stderr)
        return 2
    result = module.parse(path, **options)
    result.errors = [
        replace(p, message=f"{p.message}; give it with {_OPTION_FOR[p.field]}")
        if p.field in _OPTION_FOR and not options.get("source_key" if p.field == "source" else p.field)
        else p
        for p in result.errors
    ]
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
