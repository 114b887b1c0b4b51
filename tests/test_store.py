"""The store's behaviour, the same on both backends: every test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import pytest

from directory import store as stores
from directory.catalog import CatalogError
from directory.search import SearchIndex, fts_expression
from tests.postgres.fixtures import new_database
from tests.test_catalog import record


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path) -> str:
    """Where a fresh catalog lives: a new SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "catalog.db")
    return new_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def store(target):
    with stores.open_store(target) as opened:
        yield opened


def listings(store) -> list[tuple]:
    """Every listing as its stored row, to compare a store before and after."""
    ids = [r.id for r in store.records()]
    rows = store.stored_rows(ids)
    return [rows[i] for i in ids]


def test_factory_opens_the_right_store(store, target):
    """A path opens the SQLite store, a postgresql:// URL the PostgreSQL one; both follow the interface."""
    assert isinstance(store, stores.Store)
    assert type(store).__name__ == ("PostgresCatalog" if stores.is_database_url(target) else "Catalog")


def test_import_adds_updates_and_reports_unchanged(store):
    """A re-import updates by id instead of duplicating, and reports each record's fate."""
    first = store.import_records([record(1), record(2)], source="t")
    assert (first.added, first.updated, first.applied) == (["test-1", "test-2"], [], True)
    second = store.import_records([record(1), record(2, phones=("312-555-0100",))], source="t")
    assert second.unchanged == ["test-1"] and second.updated == ["test-2"]
    assert second.changes["test-2"]["phones"] == ("", "312-555-0100")
    assert store.count() == 2
    assert store.get("test-2").phones == ("312-555-0100",)
    assert [r.id for r in store.get_many(["test-2", "nope", "test-1"])] == ["test-2", "test-1"]


def test_records_survive_the_store_unchanged(store):
    """What goes in comes out equal, coordinates, lists and schedule included."""
    original = record(1, phones=("a", "b"), notes='He said "hi"', latitude=41.123456789, longitude=-87.5)
    store.import_records([original], source="t")
    assert store.get("test-1") == original
    assert store.records() == [original]


def test_import_with_a_bad_row_changes_nothing(store):
    """One invalid record means the whole import is refused and the store stays as it was."""
    store.import_records([record(1)], source="t")
    before, version = listings(store), store.version()
    report = store.import_records([record(1, name="Changed"), record(3, zip="606")], source="t")
    assert not report.applied and report.rejected
    assert "Nothing was changed" in report.message
    assert listings(store) == before and store.version() == version


def test_skip_invalid_imports_the_rest(store):
    """With allow_rejected the valid records go in and the bad one is reported."""
    report = store.import_records([record(1), record(2, zip="1")], source="t", allow_rejected=True)
    assert report.added == ["test-1"] and len(report.rejected) == 1
    assert store.get("test-2") is None


def test_dry_run_writes_nothing(store):
    """A dry run reports what would change and leaves the store and its version untouched."""
    report = store.import_records([record(1)], source="t", dry_run=True)
    assert report.added == ["test-1"] and not report.applied
    assert store.count() == 0 and store.version() == 0 and store.reports() == []


def test_deactivate_missing_marks_inactive_never_deletes(store):
    """Records gone from their source become inactive with the date."""
    store.import_records([record(1), record(2)], source="t")
    report = store.import_records([record(1)], source="t", deactivate_missing="test", as_of="2026-11-01")
    assert report.deactivated == ["test-2"]
    gone = store.get("test-2")
    assert gone.status == "inactive" and "2026-11-01" in gone.notes
    assert store.get("test-1").status == "active"


def test_version_grows_with_every_import_that_changes_a_listing(store):
    """The catalog version row: 0 when empty, +1 per applied change, still when nothing changed."""
    assert store.version() == 0
    store.import_records([record(1)], source="t")
    assert store.version() == 1
    store.import_records([record(1)], source="t")  # unchanged
    assert store.version() == 1
    store.import_records([record(1, name="Renamed group")], source="t")
    store.import_records([], source="t", deactivate_missing="test")
    assert store.version() == 3


def test_import_report_is_saved_with_the_import(store):
    """An applied import leaves its report; a report saved by hand is listed too, newest first."""
    store.import_records([record(1)], source="clinic.csv")
    store.save_report("refresh", "feed", "feed: 0 added", {"status": "applied"})
    kinds = [(r["kind"], r["source"]) for r in store.reports()]
    assert kinds == [("refresh", "feed"), ("import", "clinic.csv")]
    assert store.reports(kind="import")[0]["body"]["added"] == ["test-1"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("cafe", ["test-1"]),
        ("Café", ["test-1"]),
        ("caf*", ["test-1"]),
        ("evanston", ["test-2"]),
        ("zzz", []),
        ('"Ward Parkway"', ["test-3"]),
        ('"Ward Park"*', ["test-3"]),
        ("parkway ward", ["test-3"]),
        ('"Parkway Ward"', []),
        ("www", []),
        ('"example"', ["test-4"]),
        ('"o" "brien"', ["test-4"]),
    ],
)
def test_full_text_search_matches_like_fts5(store, query, expected):
    """Accents ignored, `*` for prefixes, phrases in order; the same listings on both stores."""
    store.import_records(
        [
            record(1, name="Café group"),
            record(2, city="Evanston"),
            record(3, name="Ward Parkway group"),
            record(4, description="Ask for O'Brien; see example.org/meetings"),
        ],
        source="t",
    )
    assert store.text_search(query) == expected


@pytest.mark.parametrize(
    "typed", ["recov", "GROUP café", "Test meeting 2", "12 step", "st. mary's", "¿dónde?"]
)
def test_search_index_text_matches_the_same_rows(store, typed):
    """The search index's text filter finds the same records on both stores (the typed words as prefixes)."""
    store.import_records(
        [
            record(1, name="Recovery café group"),
            record(2, name="St. Mary's 12 Step group", city="Joliet"),
            record(3, name="Grupo ¿Dónde estás?", description="Reunión en español"),
        ],
        source="t",
    )
    index = SearchIndex.from_catalog(store)
    mask = index.text_mask(typed)
    found = sorted(index.ids[i] for i in range(len(index)) if mask[i])
    expected = {
        "recov": ["test-1"],
        "GROUP café": ["test-1"],
        "Test meeting 2": [],
        "12 step": ["test-2"],
        "st. mary's": ["test-2"],
        "¿dónde?": ["test-3"],
    }[typed]
    assert found == expected, fts_expression(typed)


def test_full_text_search_follows_updates(store):
    """After an update the old name is no longer found."""
    store.import_records([record(1, name="Lakeview group")], source="t")
    store.import_records([record(1, name="Uptown group")], source="t")
    assert store.text_search("lakeview") == []
    assert store.text_search("uptown") == ["test-1"]


def test_correction_requests_are_length_limited_and_shared(store, target):
    """A request is stored trimmed, seen by a second opening of the store, and can be resolved."""
    rid = store.add_correction("test-1", "Phone is wrong " + "x" * 5000, "me@example.org")
    with stores.open_store(target) as other:
        stored = other.corrections()[0]
        assert stored["id"] == rid and len(stored["problem"]) == 2000
        other.close_correction(rid, "resolved")
    assert store.corrections() == []
    assert [c["status"] for c in store.corrections(status=None)] == ["resolved"]
    with pytest.raises(ValueError):
        store.add_correction("test-1", "   ")


def test_meta_round_trip(store):
    """Settings such as a feed's ETag are kept and replaced."""
    assert store.meta("feed:x:etag", "none") == "none"
    store.set_meta("feed:x:etag", '"abc"')
    store.set_meta("feed:x:etag", '"def"')
    assert store.meta("feed:x:etag") == '"def"'


def test_readonly_store_refuses_writes(store, target):
    """A read-only store reads and never writes."""
    store.import_records([record(1)], source="t")
    with stores.open_store(target, readonly=True) as reader:
        assert reader.count() == 1
        with pytest.raises(CatalogError, match="read-only"):
            reader.import_records([record(2)], source="t")
    assert store.count() == 1


def test_stats_are_the_same_on_both_stores(store):
    """Counts come from the records, so both stores agree."""
    store.import_records([record(1), record(2, city="Evanston", county="Cook")], source="t")
    stats = store.stats()
    assert stats["total"] == 2 and stats["county"] == {"(blank)": 1, "Cook": 1}


def _app(target, tmp_path, monkeypatch):
    from tests.app_catalog import new_app

    name = "AFTERCARE_DATABASE_URL" if stores.is_database_url(target) else "AFTERCARE_CATALOG"
    app = new_app(tmp_path / "unused", monkeypatch, env={name: target})
    if name == "AFTERCARE_CATALOG":
        monkeypatch.delenv("AFTERCARE_DATABASE_URL", raising=False)
    return app.run()


def test_app_keeps_one_index_per_catalog_version(store, target, tmp_path, monkeypatch):
    """Visitors share the index until an import changes the version; the next visitor gets the new listing."""
    from tests.app_catalog import markdown_text
    from tests.app_catalog import test_records as generated_records

    (tmp_path / "unused").mkdir()
    store.import_records(generated_records(), source="generated-test")
    first = _app(target, tmp_path, monkeypatch)
    second = _app(target, tmp_path, monkeypatch)
    assert not first.exception and not first.error
    assert first.session_state["search_index"] is second.session_state["search_index"]  # built once
    new = generated_records()[0].replace(id="test-new", name="Generated test newly imported group")
    store.import_records([new], source="generated-test")
    third = _app(target, tmp_path, monkeypatch)
    assert third.session_state["search_index"] is not first.session_state["search_index"]
    assert "Generated test newly imported group" in markdown_text(third)
    assert "Generated test newly imported group" not in markdown_text(first)


def test_app_opens_a_rebuilt_sqlite_file_renamed_over_the_old(tmp_path, monkeypatch):
    """`make build-catalog` renames a new file over the old: the running server opens the new one."""
    from directory.catalog import Catalog
    from tests.app_catalog import markdown_text
    from tests.app_catalog import test_records as generated_records

    (tmp_path / "unused").mkdir()
    target = tmp_path / "catalog.db"
    with Catalog(target) as catalog:
        catalog.import_records(generated_records(), source="generated-test")
    before = _app(str(target), tmp_path, monkeypatch)
    assert "Generated test support group 1" in markdown_text(before)
    with Catalog(tmp_path / "rebuilt.db") as catalog:  # the same version number, other listings
        catalog.import_records(
            [generated_records()[0].replace(id="test-rebuilt", name="Generated test rebuilt group")],
            source="generated-test",
        )
    (tmp_path / "rebuilt.db").replace(target)
    after = _app(str(target), tmp_path, monkeypatch)
    assert "Generated test rebuilt group" in markdown_text(after)
    assert "Generated test support group 1" not in markdown_text(after)


def test_db_upgrade_of_a_sqlite_file(tmp_path, capsys):
    """`db upgrade` on a SQLite file: a file without its version row gets it; one from newer code is refused."""
    from directory.__main__ import main
    from directory.catalog import Catalog

    with Catalog(tmp_path / "c.db") as catalog:
        catalog.conn.execute("DELETE FROM meta WHERE key = 'schema_version'")
    assert main(["db", "upgrade", "--db", str(tmp_path / "c.db")]) == 0
    assert "schema already current" in capsys.readouterr().out
    with stores.open_store(tmp_path / "c.db", readonly=True) as store:
        assert stores.schema_versions(store) == (1, 1)
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.set_meta("schema_version", "9")
    assert main(["db", "upgrade", "--db", str(tmp_path / "c.db")]) == 2
    assert "newer than this app" in capsys.readouterr().err
