"""Unit tests of the schema, the project CSV reader and the SQLite store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from directory.catalog import DEFAULT_CSV, DEFAULT_DB, Catalog, csv_to_sqlite, sqlite_to_csv
from directory.importers import project_csv
from directory.schema import FIELD_NAMES, Resource, Slot, make_id, parse_schedule, resource_to_row, validate

HEADER = ",".join(FIELD_NAMES)


def record(n: int = 1, **changes) -> Resource:
    """A clearly generated test record."""
    base = Resource(
        id=f"test-{n}",
        name=f"Test meeting {n}",
        category="support_group",
        source="test",
        source_url="https://example.org/test",
        as_of="2026-01-15",
        city="Chicago",
        state="IL",
        zip="60614",
        latitude=41.92,
        longitude=-87.65,
        geocode_precision="zip",
        schedule=(Slot(1, "19:00", "20:00"),),
    )
    return base.replace(**changes)


def csv_bytes(*records: Resource) -> bytes:
    return project_csv.write(list(records)).encode()


def snapshot(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM resources ORDER BY id").fetchall()
    finally:
        conn.close()


def test_validation_reports_every_problem_of_a_row():
    """It returns all problems of one record, not the first one only."""
    bad = record(zip="6061", as_of="2021-13-01", latitude=10.0, longitude=5.0, category="bakery")
    fields = {p.field for p in validate(bad, row=3, file="x.csv")}
    assert {"zip", "as_of", "latitude", "category"} <= fields
    assert validate(record()) == []


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"zip": "6061"}, "zip", "5-digit ZIP"),
        ({"latitude": 41.9, "longitude": 87.6}, "latitude", "swapped"),
        ({"name": "<script>alert(1)</script>"}, "name", "HTML"),
        ({"source_url": ""}, "source_url", "source_url is empty"),
        ({"status": "open"}, "status", "active, temporarily_closed, inactive"),
        ({"languages": ("Spanish",)}, "languages", "ISO 639-1"),
        ({"name": "x" * 301}, "name", "shorten"),
        ({"latitude": None}, "latitude", "both latitude and longitude"),
    ],
)
def test_validation_names_field_and_fix(changes, field, words):
    """Each problem names the field and says how to fix it."""
    problems = validate(record(**changes), row=7, file="clinic.csv")
    match = [p for p in problems if p.field == field]
    assert match, problems
    assert words in match[0].message
    assert str(match[0]).startswith("clinic.csv, row 7, column ")


def test_schedule_text_round_trip():
    """Weekly slots read and write as 'Tue 19:00-20:30'."""
    slots = parse_schedule("Tue 19:00-20:30; Mon 07:00")
    assert slots == (Slot(0, "07:00"), Slot(1, "19:00", "20:30"))
    assert resource_to_row(record(schedule=slots))["schedule"] == "Mon 07:00; Tue 19:00-20:30"
    with pytest.raises(ValueError):
        parse_schedule("Tuesday evening")


def test_make_id_is_stable_and_safe():
    """The same source key gives the same id; long keys are hashed, never over 120 characters."""
    assert make_id("samhsa", "A|B|60601") == make_id("samhsa", "A|B|60601")
    assert make_id("samhsa", "A|B|60601") != make_id("samhsa", "A|B|60602")
    long_id = make_id("samhsa", "x" * 500)
    assert len(long_id) < 60 and long_id.startswith("samhsa-")


def test_import_adds_updates_and_reports_unchanged(tmp_path):
    """A re-import updates by id instead of duplicating, and reports each record's fate."""
    with Catalog(tmp_path / "c.db") as catalog:
        first = catalog.import_records([record(1), record(2)], source="t")
        assert (first.added, first.updated, first.applied) == (["test-1", "test-2"], [], True)
        second = catalog.import_records([record(1), record(2, phones=("312-555-0100",))], source="t")
        assert second.unchanged == ["test-1"] and second.updated == ["test-2"]
        assert second.changes["test-2"]["phones"] == ("", "312-555-0100")
        assert catalog.count() == 2


def test_import_with_a_bad_row_changes_nothing(tmp_path):
    """One invalid record means the whole import is refused and the store stays as it was."""
    db = tmp_path / "c.db"
    with Catalog(db) as catalog:
        catalog.import_records([record(1)], source="t")
    before = snapshot(db)
    with Catalog(db) as catalog:
        report = catalog.import_records([record(1, name="Changed"), record(3, zip="606")], source="t")
    assert not report.applied and report.rejected
    assert "Nothing was changed" in report.message
    assert snapshot(db) == before


def test_import_rolls_back_on_failure_midway(tmp_path):
    """An error inside the transaction leaves no half-written rows."""
    db = tmp_path / "c.db"
    with Catalog(db) as catalog:
        catalog.import_records([record(1)], source="t")
        before = snapshot(db)

        catalog.conn.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON resources WHEN new.id = 'test-9' "
            "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
        )
        with pytest.raises(sqlite3.DatabaseError):
            catalog.import_records([record(5), record(9)], source="t")
        assert not catalog.conn.in_transaction
    assert snapshot(db) == before


def test_skip_invalid_imports_the_rest(tmp_path):
    """With allow_rejected the valid records go in and the bad one is reported."""
    with Catalog(tmp_path / "c.db") as catalog:
        report = catalog.import_records([record(1), record(2, zip="1")], source="t", allow_rejected=True)
        assert report.added == ["test-1"] and len(report.rejected) == 1
        assert catalog.get("test-2") is None


def test_dry_run_writes_nothing(tmp_path):
    """A dry run reports what would change and leaves the store untouched."""
    with Catalog(tmp_path / "c.db") as catalog:
        report = catalog.import_records([record(1)], source="t", dry_run=True)
        assert report.added == ["test-1"] and not report.applied
        assert catalog.count() == 0


def test_deactivate_missing_marks_inactive_never_deletes(tmp_path):
    """Records gone from their source become inactive with the date."""
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.import_records([record(1), record(2)], source="t")
        report = catalog.import_records(
            [record(1)], source="t", deactivate_missing="test", as_of="2026-11-01"
        )
        assert report.deactivated == ["test-2"]
        gone = catalog.get("test-2")
        assert gone.status == "inactive" and "2026-11-01" in gone.notes
        assert catalog.get("test-1").status == "active"


def test_wal_mode_and_reader_not_blocked_by_writer(tmp_path):
    """The store runs in WAL mode: a reader sees the last commit while a write is open."""
    db = tmp_path / "c.db"
    writer = Catalog(db)
    writer.import_records([record(1)], source="t")
    assert writer.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    writer.conn.execute("BEGIN IMMEDIATE")
    writer.conn.execute("UPDATE resources SET name = 'Pending' WHERE id = 'test-1'")
    reader = Catalog(db, readonly=True)
    assert reader.get("test-1").name == "Test meeting 1"
    writer.conn.execute("ROLLBACK")
    reader.close()
    writer.close()


@pytest.mark.parametrize(
    "query, expected",
    [("cafe", ["test-1"]), ("Café", ["test-1"]), ("caf*", ["test-1"]), ("evanston", ["test-2"]), ("zzz", [])],
)
def test_full_text_search_is_accent_insensitive(tmp_path, query, expected):
    """FTS5 finds names regardless of accents and by prefix."""
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.import_records([record(1, name="Café group"), record(2, city="Evanston")], source="t")
        assert catalog.text_search(query) == expected


def test_full_text_search_follows_updates(tmp_path):
    """After an update the old name is no longer found."""
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.import_records([record(1, name="Lakeview group")], source="t")
        catalog.import_records([record(1, name="Uptown group")], source="t")
        assert catalog.text_search("lakeview") == []
        assert catalog.text_search("uptown") == ["test-1"]


def test_csv_sqlite_csv_round_trip_is_byte_identical(tmp_path):
    """A normalised CSV survives CSV → SQLite → CSV byte for byte."""
    text = project_csv.write([record(2, phones=("a", "b"), notes='He said "hi", then left'), record(1)])
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8", newline="")
    csv_to_sqlite(source, tmp_path / "c.db")
    assert sqlite_to_csv(tmp_path / "c.db").encode() == source.read_bytes()


def test_shipped_catalog_round_trip_is_lossless(tmp_path):
    """The shipped data/catalog.csv and data/catalog.db hold the same records, byte for byte."""
    assert sqlite_to_csv(DEFAULT_DB).encode() == DEFAULT_CSV.read_bytes()
    csv_to_sqlite(DEFAULT_CSV, tmp_path / "c.db")
    assert sqlite_to_csv(tmp_path / "c.db").encode() == DEFAULT_CSV.read_bytes()


def test_correction_requests_are_length_limited(tmp_path):
    """A correction request is stored trimmed and can be resolved; an empty one is refused."""
    with Catalog(tmp_path / "c.db") as catalog:
        rid = catalog.add_correction("test-1", "Phone is wrong " + "x" * 5000, "me@example.org")
        stored = catalog.corrections()[0]
        assert stored["id"] == rid and len(stored["problem"]) == 2000
        catalog.close_correction(rid, "resolved")
        assert catalog.corrections() == []
        with pytest.raises(ValueError):
            catalog.add_correction("test-1", "   ")


def test_readonly_catalog_refuses_a_missing_file(tmp_path):
    """Opening a missing catalog read-only says how to build it."""
    from directory.catalog import CatalogError

    with pytest.raises(CatalogError, match="python -m directory build"):
        Catalog(tmp_path / "none.db", readonly=True)
