"""The catalog's figures, counted in SQL: by kind, source, county, status, certainty, precision and age.

The Catalog page and `stats` show them; at 200,000 records building every record took 15 s and
240 MB, counting in SQL takes under 2 s and a few MB (bench/catalog_page_bench.py).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

GROUPS = ("category", "subcategory", "source", "county", "status", "verification", "geocode_precision")


def counts(conn: sqlite3.Connection, today: date) -> dict:
    """What `Catalog.stats()` returns: totals per group ("(blank)" for empty), ages, located counts."""
    out: dict = {"total": conn.execute("SELECT count(*) FROM resources").fetchone()[0]}
    for name in GROUPS:
        rows = conn.execute(
            f"SELECT CASE WHEN coalesce(\"{name}\", '') = '' THEN '(blank)' ELSE \"{name}\" END, count(*) "
            "FROM resources GROUP BY 1"
        )
        out[name] = dict(sorted((str(k), n) for k, n in rows))
    ages: Counter = Counter()
    for as_of, count in conn.execute("SELECT as_of, count(*) FROM resources GROUP BY as_of"):
        try:
            years = (today - date.fromisoformat(str(as_of))).days / 365.25
        except ValueError:
            ages["unknown"] += count
            continue
        bucket = (
            "under 1 year"
            if years < 1
            else "1-2 years"
            if years < 2
            else "2-5 years"
            if years < 5
            else "5+ years"
        )
        ages[bucket] += count
    out["as_of_age"] = dict(ages)
    located = "latitude IS NOT NULL AND longitude IS NOT NULL"
    out["with_coordinates"] = conn.execute(f"SELECT count(*) FROM resources WHERE {located}").fetchone()[0]
    out["active_without_coordinates"] = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM resources WHERE status = 'active' AND coverage = 'local' "
            f"AND NOT ({located}) AND (address != '' OR zip != '' OR city != '') ORDER BY id"
        )
    ]
    return out
