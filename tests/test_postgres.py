"""PostgreSQL as the shared store: schema versions, db copy, imports seen whole or not at all, the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import psycopg
import pytest

from directory import store as stores
from directory.__main__ import main
from directory.catalog import DEFAULT_CSV, Catalog, csv_to_sqlite, sqlite_to_csv
from directory.importers import project_csv
from tests.app_catalog import markdown_text, new_app
from tests.postgres.fixtures import new_database
from tests.test_catalog import record

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sql(url: str, statement: str, params=None) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else []


def generated(n: int, start: int = 1, word: str = "Generated") -> list:
    return [record(i, name=f"{word} test meeting {i}") for i in range(start, start + n)]


# --- schema versions -------------------------------------------------------------------------------


def test_an_empty_database_is_refused_until_upgraded(pg_server):
    """Without its schema the store is refused with one line naming `db upgrade`; after it, it opens."""
    url = new_database(pg_server, schema=False)
    with pytest.raises(stores.SchemaMismatch) as caught:
        stores.open_store(url)
    message = str(caught.value)
    assert "\n" not in message and "python -m directory db upgrade --db postgresql://" in message
    assert "schema version 0" in message
    assert main(["db", "upgrade", "--db", url]) == 0
    with stores.open_store(url) as store:
        assert store.count() == 0 and store.version() == 0
    assert main(["db", "upgrade", "--db", url]) == 0  # a second upgrade has nothing to do


def test_a_newer_schema_is_refused(pg_url):
    """A database migrated by newer code is refused: this code would not know its tables."""
    sql(pg_url, "INSERT INTO schema_migrations(version, description) VALUES (99, 'from the future')")
    with pytest.raises(stores.SchemaMismatch, match="newer than this app"):
        stores.open_store(pg_url)


def test_a_new_schema_field_becomes_a_column_at_upgrade(pg_url):
    """A field added to schema.py (here: a column dropped to stand in for it) is refused, then added by upgrade."""
    sql(pg_url, "ALTER TABLE resources DROP COLUMN aliases")
    with pytest.raises(stores.SchemaMismatch, match="db upgrade"):
        stores.open_store(pg_url)
    assert stores.upgrade(pg_url) == ["column aliases (new in the schema)"]
    with stores.open_store(pg_url) as store:
        store.import_records([record(1, aliases=("Old name group",))], source="t")
        assert store.text_search("generated") == [] and store.get("test-1").aliases == ("Old name group",)


def test_sqlite_schema_from_the_future_is_refused(tmp_path):
    """The same one-line refusal for a SQLite file written by newer code."""
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.set_meta("schema_version", "7")
    with pytest.raises(stores.SchemaMismatch, match="schema version 7, newer"):
        stores.open_store(tmp_path / "c.db")


def test_the_app_refuses_an_unmigrated_database_with_one_line(pg_server, tmp_path, monkeypatch):
    """The app shows one line naming the command, and no listing, against a database without the schema."""
    url = new_database(pg_server, schema=False)
    at = new_app(tmp_path, monkeypatch, env={"AFTERCARE_DATABASE_URL": url}).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "python -m directory db upgrade" in errors[0]
    assert "Generated test support group 1" not in markdown_text(at)


def test_the_app_lists_the_postgresql_catalog_and_follows_its_version(pg_url, tmp_path, monkeypatch):
    """With AFTERCARE_DATABASE_URL the Find page lists what PostgreSQL holds, and a new import at the next rerun."""
    from tests.app_catalog import test_records

    with stores.open_store(pg_url) as store:
        store.import_records(test_records(), source="generated-test")
    app = new_app(tmp_path, monkeypatch, env={"AFTERCARE_DATABASE_URL": pg_url})
    at = app.run()
    assert not at.exception and not at.error
    assert "Generated test support group 1" in markdown_text(at)
    assert "Generated test newly imported group" not in markdown_text(at)
    with stores.open_store(pg_url) as store:
        store.import_records(
            [test_records()[0].replace(id="test-new", name="Generated test newly imported group")],
            source="generated-test",
        )
    # A visitor arriving after the import (a new session on the same server) gets the new listing.
    at = new_app(tmp_path, monkeypatch, env={"AFTERCARE_DATABASE_URL": pg_url}).run()
    assert not at.exception and "Generated test newly imported group" in markdown_text(at)


# --- moving between stores -------------------------------------------------------------------------


def test_csv_round_trip_through_postgresql_is_byte_identical(pg_server, tmp_path):
    """The shipped catalog CSV → SQLite → PostgreSQL → SQLite → CSV comes back byte for byte."""
    url = new_database(pg_server, schema=False)
    csv_to_sqlite(DEFAULT_CSV, tmp_path / "a.db")
    assert main(["db", "copy", "--from", str(tmp_path / "a.db"), "--to", url]) == 0
    assert main(["db", "copy", "--from", url, "--to", str(tmp_path / "b.db")]) == 0
    assert sqlite_to_csv(tmp_path / "b.db").encode() == DEFAULT_CSV.read_bytes()
    with stores.open_store(url, readonly=True) as store:
        assert project_csv.write(store.records()).encode() == DEFAULT_CSV.read_bytes()


def test_copy_keeps_reports_requests_and_settings_and_refuses_a_full_target(pg_url, tmp_path):
    """Reports, correction requests and meta travel too; the version grows; a non-empty target is refused."""
    with Catalog(tmp_path / "a.db") as catalog:
        catalog.import_records([record(1), record(2)], source="clinic.csv")
        catalog.add_correction("test-1", "Moved to another street")
        catalog.set_meta("feed:x:etag", '"abc"')
    assert main(["db", "copy", "--from", str(tmp_path / "a.db"), "--to", pg_url]) == 0
    with stores.open_store(pg_url) as store:
        assert [r["source"] for r in store.reports()] == ["clinic.csv"]
        assert [c["problem"] for c in store.corrections()] == ["Moved to another street"]
        assert store.meta("feed:x:etag") == '"abc"' and store.version() == 2
        new_id = store.add_correction("test-2", "Closed on Mondays")
        assert new_id == 2  # the id sequence continues after the copied requests
    assert main(["db", "copy", "--from", str(tmp_path / "a.db"), "--to", pg_url]) == 2
    with stores.open_store(pg_url) as store:
        assert store.count() == 2


# --- imports are seen whole or not at all ----------------------------------------------------------


def test_concurrent_searches_during_an_import_see_old_or_new_never_a_mix(pg_url):
    """Readers search while 3,000 listings arrive and 500 are renamed: every answer is the old or the new catalog."""
    from directory.search import SearchIndex

    with stores.open_store(pg_url) as store:
        store.import_records(generated(500, word="Before"), source="t")
    old_ids = {f"test-{i}" for i in range(1, 501)}
    new_ids = {f"test-{i}" for i in range(1, 3501)}
    answers: dict[str, set] = {"meeting": set(), "after": set(), "before": set(), "index": set()}
    errors: list[BaseException] = []
    done = threading.Event()
    rounds = [0] * 4  # the rounds each reader has finished

    def reader(n: int):
        with stores.open_store(pg_url, readonly=True) as store:
            while not done.is_set():
                try:
                    answers["meeting"].add(frozenset(store.text_search("meeting")))
                    answers["after"].add(len(store.text_rowids('"after"*')))
                    answers["before"].add(len(store.text_search("before")))
                    index = SearchIndex.from_catalog(store)
                    answers["index"].add(frozenset(index.ids[i] for i in range(len(index))))
                except BaseException as exc:  # noqa: BLE001 - any failure is what the test looks for
                    errors.append(exc)
                rounds[n] += 1

    def each_reader_finishes_a_round_after(seen: list[int]) -> None:
        """Wait (on a busy machine as long as it takes, up to a minute) until every reader has begun and
        finished a whole round after `seen` was taken: no fixed sleep decides what the readers see."""
        deadline = time.monotonic() + 60
        while any(r < s + 2 for r, s in zip(rounds, seen)) and time.monotonic() < deadline and not errors:
            time.sleep(0.01)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    with stores.open_store(pg_url) as store:
        each_reader_finishes_a_round_after([-1] * 4)  # each has read the old catalog once
        store.import_records(
            generated(500, word="After") + generated(3000, start=501, word="After"), source="t"
        )
        each_reader_finishes_a_round_after(list(rounds))  # and read the new one after the commit
    done.set()
    for thread in threads:
        thread.join()
    assert not errors
    assert answers["meeting"] == {frozenset(old_ids), frozenset(new_ids)}  # both seen, nothing between
    assert answers["index"] == {frozenset(old_ids), frozenset(new_ids)}
    assert answers["after"] == {0, 3500} and answers["before"] == {500, 0}


def test_readers_are_not_blocked_by_an_open_import(pg_url):
    """While an import waits before its commit, readers get the old catalog at once; then the new one."""
    with stores.open_store(pg_url) as store:
        store.import_records(generated(5), source="t")
    blocker = psycopg.connect(pg_url)
    blocker.execute("LOCK TABLE meta IN EXCLUSIVE MODE")  # the import writes its rows, then waits at meta
    importer = threading.Thread(
        target=lambda: stores.open_store(pg_url).import_records(generated(50, start=6), source="t")
    )
    importer.start()
    try:
        _wait_for(lambda: _waiting_on_a_lock(pg_url))
        with stores.open_store(pg_url, readonly=True) as reader:
            assert reader.count() == 5 and reader.version() == 1
            assert len(reader.text_search("generated")) == 5
    finally:
        blocker.rollback()
        blocker.close()
    importer.join()
    with stores.open_store(pg_url, readonly=True) as reader:
        assert reader.count() == 55 and reader.version() == 2


def test_a_killed_import_leaves_the_database_as_it_was(pg_url, tmp_path):
    """`import csv` killed with SIGKILL after writing its rows, before its commit: nothing of it remains."""
    with stores.open_store(pg_url) as store:
        store.import_records(generated(5), source="t")
        before = (store.count(), store.version(), store.reports())
    path = tmp_path / "big.csv"
    path.write_text(project_csv.write(generated(2000, start=6, word="Killed")), encoding="utf-8")
    blocker = psycopg.connect(pg_url)
    blocker.execute("LOCK TABLE meta IN EXCLUSIVE MODE")
    proc = subprocess.Popen(
        [sys.executable, "-m", "directory", "import", "csv", str(path), "--db", pg_url],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _waiting_on_a_lock(pg_url))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        blocker.rollback()
        blocker.close()
    _wait_for(lambda: not _waiting_on_a_lock(pg_url))
    with stores.open_store(pg_url, readonly=True) as store:
        assert (store.count(), store.version(), store.reports()) == before
        assert store.text_search("killed") == []


def _waiting_on_a_lock(url: str) -> bool:
    rows = sql(
        url,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'aftercare' "
        "AND wait_event_type = 'Lock' AND datname = current_database()",
    )
    return rows[0][0] > 0


def _wait_for(condition, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come about")
        time.sleep(0.05)


# --- the command line ------------------------------------------------------------------------------


def test_every_command_takes_a_postgresql_url(pg_url, tmp_path, capsys, monkeypatch):
    """import, stats, search, export and db check work on --db postgresql://… and on AFTERCARE_DATABASE_URL."""
    path = tmp_path / "in.csv"
    path.write_text(
        project_csv.write([record(1, name="Generated Lakeview group"), record(2)]), encoding="utf-8"
    )
    assert main(["import", "csv", str(path), "--db", pg_url]) == 0
    assert "2 added" in capsys.readouterr().out
    assert main(["stats", "--db", pg_url, "--json"]) == 0
    assert '"total": 2' in capsys.readouterr().out
    assert main(["search", "--db", pg_url, "--text", "lakeview", "--json"]) == 0
    assert "Generated Lakeview group" in capsys.readouterr().out
    out = tmp_path / "list.csv"
    assert (
        main(["export", "--db", pg_url, "--ids", "test-2,test-1", "--format", "csv", "--out", str(out)]) == 0
    )
    assert out.read_text(encoding="utf-8").index("test-2") < out.read_text(encoding="utf-8").index("test-1")
    monkeypatch.setenv("AFTERCARE_DATABASE_URL", pg_url)
    assert main(["db", "check", "--json"]) == 0
    state = capsys.readouterr().out
    assert '"listings": 2' in state and '"catalog_version": 1' in state and "@" in state


def test_check_fails_on_an_unreachable_server(capsys):
    """The health check exits non-zero with one line when the database cannot be reached."""
    assert main(["db", "check", "--db", "postgresql://nobody@127.0.0.1:1/none"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "error: cannot connect to the catalog database postgresql://nobody@127.0.0.1:1/none"
    )


def test_no_page_importer_or_renderer_knows_the_store_kind():
    """Only directory/store/ names psycopg or the PostgreSQL store; the rest gets a store from the factory."""
    from pathlib import Path

    root = Path(REPO)
    files = [*root.glob("pages/*.py"), root / "app.py", *root.glob("directory/**/*.py")]
    for path in files:
        if "store" in path.relative_to(root).parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "psycopg" not in text and "PostgresCatalog" not in text, path


def test_one_curation_queue_for_every_server(pg_url, tmp_path, monkeypatch):
    """A request filed through one server is resolved by a curator on another; the Catalog page shows PostgreSQL."""
    from directory.curation import hash_password
    from tests.app_catalog import open_page
    from tests.app_catalog import test_records as generated_records

    password = "generated-test-password"
    with stores.open_store(pg_url) as store:
        store.import_records(generated_records(), source="generated-test")
        request_id = store.add_correction("test-1", "generated test report from another server")
    env = {
        "AFTERCARE_DATABASE_URL": pg_url,
        "AFTERCARE_CURATOR_PASSWORD_HASH": hash_password(password, n=2**10),
    }
    at = open_page(new_app(tmp_path, monkeypatch, env=env), "pages/catalog.py")
    assert not at.exception and not at.error
    assert "8 listings in the directory" in markdown_text(at)
    at.text_input(key="curator_password").input(password).run()
    at.button(key="curator_sign_in").click().run()
    assert any(t.value == "generated test report from another server" for t in at.text)
    at.button(key=f"resolve_{request_id}").click().run()
    with stores.open_store(pg_url, readonly=True) as store:
        assert store.corrections("open") == []
        assert [c["status"] for c in store.corrections(None)] == ["resolved"]


TYPED = [
    "aa",
    "recov",
    "naloxone",
    "Chicago",
    "méxico",
    "clínica",
    "st. mary's",
    "women",
    "12 step",
    "alcoholics anonymous",
    "sober living",
    "spanish",
    "nouveau café",
    "988",
    '"',
    "a OR",
    "NEAR(a b)",
    "col:x",
    ")\"*'",
    "🙂",
    "ü" * 50,
]


@pytest.fixture(scope="module")
def shipped_on_both(pg_server, tmp_path_factory):
    """The shipped catalog in SQLite and in PostgreSQL (copied with `db copy`), with a search index on each."""
    from directory.search import SearchIndex

    db = tmp_path_factory.mktemp("shipped") / "catalog.db"
    csv_to_sqlite(DEFAULT_CSV, db)
    url = new_database(pg_server, schema=False)
    assert main(["db", "copy", "--from", str(db), "--to", url]) == 0
    sqlite_store, pg_store = stores.open_store(db, readonly=True), stores.open_store(url, readonly=True)
    yield SearchIndex.from_catalog(sqlite_store), SearchIndex.from_catalog(pg_store)
    sqlite_store.close()
    pg_store.close()


@pytest.mark.parametrize("typed", TYPED)
def test_text_search_finds_the_same_listings_as_fts5_in_the_shipped_catalog(shipped_on_both, typed):
    """Typed words over the 1,100-odd real listings: PostgreSQL's text search finds exactly what FTS5 finds."""
    sqlite_index, pg_index = shipped_on_both

    def found(index) -> set[str]:
        mask = index.text_mask(typed)
        return set() if mask is None else {index.ids[i] for i in range(len(index)) if mask[i]}

    assert found(pg_index) == found(sqlite_index)


def test_the_shipped_catalog_has_matches_for_the_typed_words(shipped_on_both):
    """The comparison above is not empty-versus-empty: most typed words match real listings."""
    sqlite_index, _ = shipped_on_both
    hits = [t for t in TYPED if (m := sqlite_index.text_mask(t)) is not None and m.any()]
    assert len(hits) >= 8, hits


def test_a_lost_connection_is_a_catalog_error_and_the_pool_recovers(pg_url):
    """When the server drops the store's connections, the next read says so in words; the one after works."""
    with stores.open_store(pg_url, pool_size=1) as store:
        store.import_records([record(1)], source="t")
        sql(
            pg_url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'aftercare' AND datname = current_database() AND pid <> pg_backend_pid()",
        )
        _wait_for(
            lambda: (
                not sql(
                    pg_url,
                    "SELECT 1 FROM pg_stat_activity WHERE application_name = 'aftercare' "
                    "AND datname = current_database()",
                )
            )
        )
        with pytest.raises(stores.CatalogError, match="cannot be reached"):
            store.count()
        assert store.count() == 1
