"""`stats`: what the catalog holds, by kind, source, place, status and age."""

from __future__ import annotations

import json
import sys

from directory.catalog import CatalogError
from directory.store import DB_HELP, open_store


def add_parser(sub) -> None:
    p = sub.add_parser("stats", help="counts by category, source, county, status, verification and age")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        catalog = open_store(args.db, readonly=True)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with catalog:
        stats = catalog.stats()
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    print(f"Total records: {stats['total']}")
    for group in (
        "category",
        "subcategory",
        "source",
        "status",
        "verification",
        "geocode_precision",
        "as_of_age",
    ):
        print(f"\n{group}:")
        for key, count in stats[group].items():
            print(f"  {key:<40} {count:>6}")
    return 0
