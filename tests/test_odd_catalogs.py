"""Odd catalogs and busy stores (issue 12, items 11 and 13): one-line messages, no waiting readers, no empty files."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest

from directory import catalog as store
from directory.__main__ import main
from directory.catalog import Catalog, CatalogBusy, CatalogError
from tests.app_catalog import build_test_catalog


@pytest.fixture
def good(tmp_path):
    return build_test_catalog(tmp_path / "good.db")


def garbage(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not a database\n" * 500)
    return path


def truncated(tmp_path, good):
    path = tmp_path / "truncated.db"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def damaged_row(tmp_path, good):
    path = tmp_path / "damaged.db"
    shutil.copy(good, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE resources SET latitude = 'not a number' WHERE id = 'test-1'")
    return path


def empty_sqlite(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE unrelated (a)")
    return path


COMMANDS = [
    ["stats"],
    ["stats", "--json"],
    ["search", "--near", "62701"],
    ["export", "--ids", "test-1", "--format", "csv", "--out", "{out}"],
]


@pytest.mark.parametrize("make", [garbage, truncated, empty_sqlite])
@pytest.mark.parametrize("command", COMMANDS)
def test_an_odd_catalog_is_one_line_naming_the_file_and_the_fix(tmp_path, good, capsys, make, command):
    path = make(tmp_path, good) if make is truncated else make(tmp_path)
    argv = [a.replace("{out}", str(tmp_path / "out.csv")) for a in command] + ["--db", str(path)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code in (1, 2)  # search keeps its own exit status for a catalog it cannot use
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert path.name in err and "python -m directory build" in err


def test_a_damaged_row_is_skipped_and_the_rest_still_reads(tmp_path, good, capsys):
    """A text value in a numeric column costs that row, not the catalog (the pages keep working)."""
    path = damaged_row(tmp_path, good)
    with Catalog(path, readonly=True) as catalog:
        records = catalog.records()
        assert "test-1" not in {r.id for r in records} and len(records) > 1
        assert catalog.damaged == ["test-1"]
    assert main(["stats", "--db", str(path)]) == 0


def test_a_mistyped_catalog_path_is_an_error_not_a_new_file(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "typo" / "catlog.db"
    monkeypatch.setenv("AFTERCARE_CATALOG", str(missing))
    assert main(["stats"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists() and not missing.parent.exists()
    with pytest.raises(CatalogError):
        store.open_default()


def test_build_and_import_into_a_new_file_still_work(tmp_path):
    """A new catalog is still made where one is asked for on purpose."""
    new = tmp_path / "new.db"
    with Catalog(new) as catalog:
        assert catalog.count() == 0
    assert new.exists()


def test_a_reader_does_not_wait_for_a_long_write(good, monkeypatch):
    """While another process holds a write transaction, opening and reading the catalog are immediate."""
    writer = sqlite3.connect(good, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE resources SET notes = 'x' WHERE id = 'test-1'")
    monkeypatch.setattr(store, "BUSY_WAIT", 60.0)  # a wait would show as a hung test, not a pass
    done = threading.Event()
    result: dict = {}

    def read() -> None:
        for kwargs in ({}, {"shared": True}, {"readonly": True}):
            with Catalog(good, **kwargs) as catalog:
                result[str(kwargs)] = catalog.count()
        done.set()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    assert done.wait(10), "opening the catalog waited for the writer"
    assert set(result.values()) == {len(result) and next(iter(result.values()))}
    writer.execute("ROLLBACK")
    writer.close()


def test_a_busy_store_says_try_again_in_a_moment(good, monkeypatch):
    """A write while another writer holds the store ends with the 'busy' message, not 'not a catalog'."""
    monkeypatch.setattr(store, "BUSY_WAIT", 0.05)
    with Catalog(good, shared=True) as catalog:
        writer = sqlite3.connect(good, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        with pytest.raises(CatalogBusy, match="try again in a moment"):
            catalog.add_correction("test-1", "generated test report")
        writer.execute("ROLLBACK")
        writer.close()
        assert catalog.add_correction("test-1", "generated test report") >= 1
        assert catalog.corrections("open")[0]["problem"] == "generated test report"


def test_the_shared_catalog_reads_through_a_read_only_connection(good):
    with Catalog(good, shared=True) as catalog:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            catalog.conn.execute("DELETE FROM resources")
