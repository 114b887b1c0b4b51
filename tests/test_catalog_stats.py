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


def _index_figures(catalog: Catalog, today: date):
    from directory.search import SearchIndex

    index = SearchIndex.from_catalog(catalog, cache=False)
    return catalog_stats.IndexFigures(index, today)


_SHOWN = ("total", "category", "subcategory", "source", "county", "status", "verification", "as_of_age")


def test_figures_from_the_search_index_equal_the_sql_counts(tmp_path):
    """The Catalog page's figures counted from the index equal the store's SQL counts, ages included."""
    records = [_record(i) for i in range(60)]
    records += [
        _record(60, status="inactive", as_of="2026-12-01"),
        _record(61, verification="unconfirmed", subcategory="meeting", county="St. Clair"),
        _record(62, as_of="2025-12-01", category="crisis_line"),  # exactly one year before "today"
    ]
    path = tmp_path / "catalog.db"
    today = date(2026, 12, 1)
    with Catalog(path) as catalog:
        assert catalog.import_records(records, source="test").ok
        sql, kinds = catalog.stats(today), catalog.county_kinds()
        figures = _index_figures(catalog, today)
    found = figures.stats()
    assert {k: found[k] for k in _SHOWN} == {k: sql[k] for k in _SHOWN}
    assert found["with_coordinates"] == sql["with_coordinates"] == 50
    assert found["as_of_age"]["1-2 years"] == sql["as_of_age"]["1-2 years"]  # one year old is not "under 1"
    assert figures.county_kinds() == kinds
    assert kinds[("St. Clair", "treatment")] == 1 and ("", "treatment") in kinds


def test_figures_from_the_index_equal_the_sql_counts_on_the_shipped_catalog(repo_root, tmp_path):
    """On the embedded catalog (copied, so nothing is written beside the original) both ways agree."""
    import shutil

    shipped = repo_root / "data" / "catalog.db"
    copy = tmp_path / "catalog.db"
    shutil.copy(shipped, copy)
    today = date(2026, 12, 1)
    with Catalog(copy, readonly=True) as catalog:
        sql, kinds = catalog.stats(today), catalog.county_kinds()
        figures = _index_figures(catalog, today)
    found = figures.stats()
    assert found["total"] > 1000
    assert {k: found[k] for k in _SHOWN} == {k: sql[k] for k in _SHOWN}
    assert found["with_coordinates"] == sql["with_coordinates"]
    assert figures.county_kinds() == kinds


def test_the_page_counts_from_the_index_only_while_it_is_current(tmp_path):
    """An index read at the catalog's current version counts the page's figures; after an import the
    store counts them (SQL) until the app holds the new version's index, so no stale figure is shown."""
    from directory.search import SearchIndex

    path = tmp_path / "catalog.db"
    with Catalog(path) as catalog:
        assert catalog.import_records([_record(i) for i in range(10)], source="test").ok
        index = SearchIndex.from_catalog(catalog, cache=False)
        assert index.catalog_version == catalog.version()
        assert isinstance(catalog_stats.page_figures(catalog, index), catalog_stats.IndexFigures)
        assert catalog.import_records([_record(i) for i in range(12)], source="test").ok
        figures = catalog_stats.page_figures(catalog, index)
        assert figures is catalog and figures.stats()["total"] == 12
        assert catalog_stats.page_figures(catalog, None) is catalog
        fresh = SearchIndex.from_catalog(catalog)
        assert catalog_stats.page_figures(catalog, fresh).stats()["total"] == 12
        again = SearchIndex.from_catalog(catalog, shared=False)  # read back from the cache file
        assert again.from_cache and again.catalog_version == catalog.version()
