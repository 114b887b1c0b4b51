"""`duplicates`: the surplus-duplicate figure of a catalog, by the matching rule in `directory.duplicates`."""

from __future__ import annotations

import json
import sys

from directory import duplicates
from directory.catalog import Catalog, CatalogError, open_default


def add_parser(sub) -> None:
    p = sub.add_parser(
        "duplicates",
        help="how many listings are a second listing of one facility (same address, matching names or a shared phone)",
    )
    p.add_argument("--db", help="catalog database (default data/catalog.db or $AFTERCARE_CATALOG)")
    p.add_argument("--category", default="treatment", help="the kind of listing to check (default treatment)")
    p.add_argument("--json", action="store_true", help="print JSON, with every group of duplicates")
    p.set_defaults(run=run)


def measure(records, category: str = "treatment") -> dict:
    """The figure for one kind of listing: listings, facilities, surplus and its percentage, the groups."""
    listings = [duplicates.listing_of(r) for r in records if r.category == category]
    figure = duplicates.surplus(listings)
    figure["category"] = category
    return figure


def run(args) -> int:
    try:
        catalog = Catalog(args.db, readonly=True) if args.db else open_default()
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with catalog:
        figure = measure(catalog.records(), args.category)
    if args.json:
        print(json.dumps(figure, indent=2, ensure_ascii=False))
        return 0
    print(
        f"{figure['category']}: {figure['listings']} listings of {figure['facilities']} facilities; "
        f"{figure['surplus']} surplus duplicates ({figure['percent']}%)"
    )
    for group in figure["groups"]:
        print("  " + " = ".join(f"{i} ({n})" for i, n in zip(group["ids"], group["names"], strict=True)))
    return 0
