"""The catalog's figures: by kind, source, county, status, certainty, precision and age.

`stats` counts them in SQL (at 200,000 records building every record took 15 s and 240 MB, counting in
SQL under 2 s and a few MB). The Catalog page counts the ones it shows from the search index the server
already holds (`IndexFigures`: milliseconds at 100,000 records where SQL took about 1.5 s;
bench/catalog_page_bench.py); both give the same numbers.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

import numpy as np

GROUPS = ("category", "subcategory", "source", "county", "status", "verification", "geocode_precision")
AGES = ("under 1 year", "1-2 years", "2-5 years", "5+ years")  # then "unknown": no readable date
_AGE_LIMITS = np.array([1.0, 2.0, 5.0])  # years: an age below 1 is "under 1 year", …, from 5 on "5+ years"


def _one_scan(conn: sqlite3.Connection) -> tuple[int, dict, Counter, int]:
    """SQLite: the same totals from one pass over the table. SQLite groups an unindexed column by
    sorting it, so eight GROUP BY queries read and sort the table eight times; here it is read once and
    the few distinct combinations are counted in Python (at 100,000 records on a loaded machine: 0.8–1.1 s
    against 1.4–1.6 s)."""
    columns = ", ".join(f'"{name}"' for name in GROUPS)
    cursor = conn.execute(
        f"SELECT {columns}, as_of, latitude IS NOT NULL AND longitude IS NOT NULL FROM resources"
    )
    combos: Counter = Counter()
    while chunk := cursor.fetchmany(20_000):
        combos.update(chunk)
    groups: dict[str, Counter] = {name: Counter() for name in GROUPS}
    ages: Counter = Counter()
    total = located = 0
    for row, count in combos.items():
        total += count
        for name, value in zip(GROUPS, row):
            groups[name]["(blank)" if value is None or value == "" else str(value)] += count
        ages[row[len(GROUPS)]] += count
        located += count if row[-1] else 0
    return total, {name: dict(sorted(c.items())) for name, c in groups.items()}, ages, located


def counts(conn: sqlite3.Connection, today: date) -> dict:
    """What `Catalog.stats()` returns: totals per group ("(blank)" for empty), ages, located counts."""
    located = "latitude IS NOT NULL AND longitude IS NOT NULL"
    if isinstance(conn, sqlite3.Connection):
        total, groups, by_date, with_coordinates = _one_scan(conn)
        out: dict = {"total": total, **groups}
        dated = by_date.items()
    else:  # PostgreSQL aggregates by hashing: a query per group is cheaper than sending every row
        out = {"total": conn.execute("SELECT count(*) FROM resources").fetchone()[0]}
        for name in GROUPS:
            rows = conn.execute(
                f"SELECT CASE WHEN coalesce(\"{name}\", '') = '' THEN '(blank)' ELSE \"{name}\" END, "
                "count(*) FROM resources GROUP BY 1"
            )
            out[name] = dict(sorted((str(k), n) for k, n in rows))
        dated = conn.execute("SELECT as_of, count(*) FROM resources GROUP BY as_of")
        with_coordinates = conn.execute(f"SELECT count(*) FROM resources WHERE {located}").fetchone()[0]
    ages: Counter = Counter()
    for as_of, count in dated:
        try:
            years = (today - date.fromisoformat(str(as_of))).days / 365.25
        except ValueError:
            ages["unknown"] += count
            continue
        ages[AGES[int(np.searchsorted(_AGE_LIMITS, years, side="right"))]] += count
    out["as_of_age"] = dict(ages)
    out["with_coordinates"] = with_coordinates
    out["active_without_coordinates"] = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM resources WHERE status = 'active' AND coverage = 'local' "
            f"AND NOT ({located}) AND (address != '' OR zip != '' OR city != '') ORDER BY id"
        )
    ]
    return out


class IndexFigures:
    """The Catalog page's figures counted from a `directory.search.SearchIndex` (its codes, `np.bincount`):
    `stats()` with the totals by kind, subcategory, source, county, status and certainty, the ages and
    the located count as `counts` gives them, and `county_kinds()` as the store gives it. The index
    must be the one made from the catalog as it is now (the app holds it per catalog version)."""

    SINGLE = ("category", "subcategory", "source", "county", "status", "verification")

    def __init__(self, index, today: date | None = None) -> None:
        self.index, self.today = index, today or date.today()

    def _counts(self, column: str) -> tuple[np.ndarray, list[str]]:
        codes, uniques, _ = self.index.single_columns[column]
        return np.bincount(codes, minlength=len(uniques)), uniques

    def stats(self) -> dict:
        index = self.index
        out: dict = {"total": len(index)}
        for column in self.SINGLE:
            counts, uniques = self._counts(column)
            found: Counter = Counter()
            for value, count in zip(uniques, counts.tolist()):
                if count:
                    found[value or "(blank)"] += count
            out[column] = dict(sorted(found.items()))
        days = index.as_of_written_days
        known = days >= 1  # a day number; an unreadable date has the index's "no date" number
        years = (self.today.toordinal() - days[known]) / 365.25
        buckets = np.bincount(np.searchsorted(_AGE_LIMITS, years, side="right"), minlength=len(AGES))
        ages = {name: int(n) for name, n in zip(AGES, buckets) if n}
        if unknown := int(len(days) - np.count_nonzero(known)):
            ages["unknown"] = unknown
        out["as_of_age"] = ages
        out["with_coordinates"] = int(np.count_nonzero(index.has_coordinates))
        return out

    def county_kinds(self) -> dict[tuple[str, str], int]:
        """(county or "", category) → number of listings, as `Catalog.county_kinds()` gives it."""
        c_codes, c_uniques, _ = self.index.single_columns["county"]
        k_codes, k_uniques, _ = self.index.single_columns["category"]
        width = max(len(k_uniques), 1)
        pairs = np.bincount(c_codes.astype(np.int64) * width + k_codes, minlength=len(c_uniques) * width)
        out: dict[tuple[str, str], int] = {}
        for pair in np.flatnonzero(pairs).tolist():
            key = (c_uniques[pair // width], k_uniques[pair % width])
            out[key] = out.get(key, 0) + int(pairs[pair])
        return out


def page_figures(catalog, index):
    """What counts the Catalog page's figures: the search index when it was read at the catalog's current
    version (`IndexFigures`), else the store itself (SQL). Both have `stats()` and `county_kinds()`."""
    current = index is not None and getattr(index, "catalog_version", None) == catalog.version()
    return IndexFigures(index) if current else catalog
