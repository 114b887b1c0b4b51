"""Tests of directory.catalog_stats: the one-pass SQLite count equals the per-group SQL count (the way the
PostgreSQL store counts). Records are made up for the tests ("Test …", ids "test-…")."""

from __future__ import annotations

import sqlite3
from datetime import date

from directory import catalog_stats
from directory.catalog import Catalog
from directory.schema import Resource


class _NotSqlite:
    """A connection that is not sqlite3's, so `counts` takes its per-group SQL path (PostgreSQL's)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, *args):
        return self.conn.execute(*args)


def _record(i: int, **extra) -> Resource:
    fields = {
        "id": f"test-{i}",
        "name": f"Test listing {i}",
        "category": ("support_group", "treatment", "recovery_housing")[i % 3],
        "source": ("test-a", "test-b")[i % 2],
        "source_url": "https://example.org/test",
        "as_of": ("2025-05-01", "2023-01-15", "2019-07-04", "2026-11-30")[i % 4],
        "county": ("Cook", "", "Sangamon")[i % 3],
        "city": "Springfield" if i % 4 else "",
    }
    if i % 5:
        fields.update(latitude=39.8 + i / 1000, longitude=-89.6, geocode_precision="zip")
    fields.update(extra)
    return Resource(**fields)


def test_one_pass_counts_equal_the_per_group_counts(tmp_path):
    records = [_record(i) for i in range(60)]
    records += [
        _record(60, status="inactive"),
        _record(61, verification="unconfirmed", subcategory="meeting"),
    ]
    path = tmp_path / "catalog.db"
    with Catalog(path) as catalog:
        assert catalog.import_records(records, source="test").ok
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        today = date(2026, 12, 1)
        fast, plain = catalog_stats.counts(conn, today), catalog_stats.counts(_NotSqlite(conn), today)
    finally:
        conn.close()
    assert fast == plain
    assert fast["total"] == 62 and fast["county"]["(blank)"] == 21 and fast["status"]["inactive"] == 1
    assert sum(fast["as_of_age"].values()) == 62 and fast["with_coordinates"] == 49
