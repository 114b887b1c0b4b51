"""`python -m directory coverage [--json]`: for each of the 102 counties, the default-visible listings of
each kind within 25 miles of the county seat, and the counties with treatment, MOUD, meetings, housing
and naloxone."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from directory import catalog as catalog_module
from directory.coverage import KINDS, RADIUS_MILES, measure, phones_of
from directory.search import SearchIndex

_HEADS = {
    "treatment": "treat",
    "moud": "moud",
    "moud_with_phone": "moud+ph",
    "support_group": "groups",
    "meeting": "meet",
    "recovery_housing": "house",
    "harm_reduction": "harm",
    "naloxone": "nalox",
    "health_center": "health",
}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "coverage",
        help="listings within 25 miles of each county seat, by kind, and the state totals",
        description=__doc__,
    )
    p.add_argument(
        "--radius", type=float, default=RADIUS_MILES, help="miles from the county seat (default 25)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--db", help="catalog database (default: AFTERCARE_CATALOG or data/catalog.db)")
    p.set_defaults(run=run)


def run(args) -> int:
    path = Path(args.db or os.environ.get("AFTERCARE_CATALOG") or catalog_module.DEFAULT_DB)
    if not path.exists():
        print(
            f"The catalog {path} does not exist; build it with `python -m directory build`.", file=sys.stderr
        )
        return 1
    with catalog_module.open_default(path) as catalog:
        index = SearchIndex.from_catalog(catalog)
        result = measure(index, phones_of(catalog, index), radius=args.radius)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"Default-visible listings within {result.radius_miles:g} miles of each county seat.")
    print(f"{'county':<14} {'seat':<16} " + " ".join(f"{_HEADS[k]:>7}" for k in KINDS))
    for c in result.counties:
        print(f"{c.county:<14} {c.seat:<16} " + " ".join(f"{c.counts[k]:>7}" for k in KINDS))
    print()
    for name, value in result.totals.items():
        print(f"{name.replace('_', ' ')}: {value}")
    print(f"County seats: {result.seats_source}.")
    return 0
