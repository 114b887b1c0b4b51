"""The catalog store: records in SQLite (WAL, FTS5) and in the project CSV, with all-or-nothing imports.

Every import runs in one transaction and returns an `ImportReport`; a failure leaves the store as it was.
The store also keeps catalog-side data that is not about patients: import and refresh reports, and
correction requests filed against a listing. The import path lives in `directory.catalog_import` and the
FTS5 text index in `directory.catalog_text`; the names others import from here are re-exported.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np

from directory import catalog_import, catalog_text
from directory.catalog_import import (  # noqa: F401 (re-exported: the import path moved to catalog_import)
    VERSION_KEY,
    ImportReport,
    checked_import,
    stored_values,
)
from directory.catalog_import import now_text as _now
from directory.importers import project_csv
from directory.schema import FIELD_NAMES, FLOAT_FIELDS, Problem, Resource, resource_from_row

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_CSV = DATA_DIR / "catalog.csv"
DEFAULT_DB = DATA_DIR / "catalog.db"
SCHEMA_VERSION = 1

_COLUMNS = ", ".join(
    f'"{n}" REAL'
    if n in FLOAT_FIELDS
    else '"id" TEXT PRIMARY KEY'
    if n == "id"
    else f"\"{n}\" TEXT NOT NULL DEFAULT ''"
    for n in FIELD_NAMES
)
_DDL = f"""
CREATE TABLE IF NOT EXISTS resources ({_COLUMNS});
CREATE INDEX IF NOT EXISTS resources_source ON resources(source);
CREATE INDEX IF NOT EXISTS resources_category ON resources(category);
{catalog_text.DDL.strip()}
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, source TEXT NOT NULL,
    created_at TEXT NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS correction_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT, resource_id TEXT NOT NULL, created_at TEXT NOT NULL,
    problem TEXT NOT NULL, contact TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'open',
    resolved_at TEXT NOT NULL DEFAULT '');
"""


BUSY_WAIT = 5.0  # seconds a writer waits for another writer before "busy, try again in a moment"
_log = logging.getLogger("aftercare.catalog")
_FIX = "rebuild it with `python -m directory build`, or point --db / AFTERCARE_CATALOG at the catalog file"


class CatalogError(Exception):
    """A problem with the catalog file itself, worded for the person who runs the command."""


class CatalogBusy(CatalogError):
    """Another writer holds the catalog; the message asks to try again in a moment."""


def _busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _busy_error() -> CatalogBusy:
    from directory.words import t

    return CatalogBusy(t("catalog.busy"))


def _record_from_sql(values: sqlite3.Row | tuple) -> Resource:
    row = {
        n: ("" if v is None else (repr(v) if isinstance(v, float) else v))
        for n, v in zip(FIELD_NAMES, values)
    }
    record, errors = resource_from_row(row)
    if errors:
        raise CatalogError(f"record {row.get('id')!r} in the database is damaged: {errors}")
    return record


class Catalog:
    """An SQLite catalog file. Readers never block: the database runs in WAL mode."""

    def __init__(
        self,
        path: str | Path = DEFAULT_DB,
        *,
        readonly: bool = False,
        shared: bool = False,
        create: bool = True,
    ):
        """Open a catalog file.

        `readonly`: only reads, through a read-only connection. `shared` (the app): reads through a
        read-only connection and writes through a short-lived writer per change, so a reader never
        waits for a writer (WAL) and a busy store says so. `create=False`: a missing file is an
        error instead of a new empty catalog.
        """
        self.path = Path(path)
        self.readonly = readonly
        self.shared = shared and not readonly
        self.damaged: list[str] = []  # ids of rows that could not be read, skipped by records()
        label = str(self.path)
        missing = str(path) != ":memory:" and not self.path.exists()
        if missing and (readonly or not create):
            raise CatalogError(
                f"the catalog {label} does not exist; check the path, or build it with `python -m directory build`"
            )
        if missing:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if not (readonly or self.shared):
            self.conn = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_WAIT
            )
            self._prepare(self.conn)
        else:
            if self.shared:
                writer = self._connect_writer()
                try:
                    self._prepare(writer)
                finally:
                    writer.close()
            uri = f"file:{self.path}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
            self._check_is_catalog(self.conn)
        self.conn.execute("PRAGMA foreign_keys=ON")

    def _connect_writer(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_WAIT)

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL mode and the tables, written only when missing: opening a catalog takes no write lock."""
        try:
            ready = self._has_schema(conn)
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not ready and names and "resources" not in names:
                raise sqlite3.DatabaseError("it holds other tables than a catalog's")
            if not ready:
                conn.executescript(_DDL)
                conn.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
        except sqlite3.OperationalError as exc:
            if (_busy(exc) or "readonly" in str(exc).lower()) and self._has_schema(conn, quiet=True):
                return  # another writer is busy, or the file is read-only: it is still usable for reading
            conn.close()
            raise self._not_a_catalog(exc) from None
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._not_a_catalog(exc) from None

    def _has_schema(self, conn: sqlite3.Connection, quiet: bool = False) -> bool:
        try:
            names = {
                r[0]
                for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            }
        except sqlite3.DatabaseError:
            if quiet:
                return False
            raise
        return {"resources", "resources_fts", "meta", "reports", "correction_requests"} <= names

    def _check_is_catalog(self, conn: sqlite3.Connection) -> None:
        try:
            ok = self._has_schema(conn)
            if ok:
                conn.execute("SELECT * FROM resources LIMIT 0")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._not_a_catalog(exc) from None
        if not ok:
            conn.close()
            raise self._not_a_catalog(None)

    def _not_a_catalog(self, exc: BaseException | None) -> CatalogError:
        if exc is not None and _busy(exc):
            return _busy_error()
        why = f" ({exc})" if exc is not None else " (it has no catalog tables)"
        return CatalogError(f"{self.path} is not a catalog database{why}; {_FIX}")

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """The connection to write through: this catalog's own, or a short-lived writer when shared."""
        if self.readonly:
            raise CatalogError("this catalog is open read-only")
        conn = self._connect_writer() if self.shared else self.conn
        try:
            if self.shared:
                conn.execute("PRAGMA foreign_keys=ON")
            yield conn
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise _busy_error() from None
            raise
        finally:
            if self.shared:
                conn.close()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # reading
    def records(self) -> list[Resource]:
        """Every readable record by id; a damaged row is skipped, logged and listed in `self.damaged`."""
        cols = ", ".join(f'"{n}"' for n in FIELD_NAMES)
        out: list[Resource] = []
        damaged: list[str] = []
        try:
            for row in self.conn.execute(f"SELECT {cols} FROM resources ORDER BY id"):
                try:
                    out.append(_record_from_sql(row))
                except CatalogError as exc:
                    damaged.append(str(row[0]))
                    _log.warning("%s", exc)
        except sqlite3.DatabaseError as exc:
            raise self._not_a_catalog(exc) from None
        self.damaged = damaged
        return out

    def get(self, resource_id: str) -> Resource | None:
        found = self.get_many([resource_id])
        return found[0] if found else None

    def get_many(self, ids: Iterable[str]) -> list[Resource]:
        """Records for the given ids, in the order given; unknown ids are skipped."""
        ids = list(ids)
        if not ids:
            return []
        cols = ", ".join(f'"{n}"' for n in FIELD_NAMES)
        by_id: dict[str, Resource] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT {cols} FROM resources WHERE id IN ({marks})", chunk):
                try:
                    record = _record_from_sql(row)
                except CatalogError as exc:
                    _log.warning("%s", exc)
                    continue
                by_id[record.id] = record
        return [by_id[i] for i in ids if i in by_id]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM resources").fetchone()[0]

    def text_search(self, match: str, limit: int | None = None) -> list[str]:
        """Ids whose name, organization, description or city match an FTS5 expression, best first."""
        return catalog_text.matching_ids(self.conn, match, limit)

    def meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._writing() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # writing
    def import_records(
        self,
        records: Iterable[Resource],
        *,
        source: str,
        rejected: Iterable[Problem] = (),
        warnings: Iterable[Problem] = (),
        allow_rejected: bool = False,
        dry_run: bool = False,
        deactivate_missing: str | None = None,
        as_of: str | None = None,
        save_report: bool = True,
    ) -> ImportReport:
        """Add or update records in one transaction and report what changed.

        With rejected rows and `allow_rejected` false, nothing is written. `deactivate_missing`
        names a `source` whose records not in this import become inactive (never deleted).
        """
        report, records = checked_import(records, source, rejected, warnings, allow_rejected)
        if records is None:
            return report
        with self._writing() as conn:
            catalog_import.write(conn, report, records, deactivate_missing, as_of, dry_run, save_report)
        if report.applied and (report.added or report.updated or report.deactivated):
            from directory.render import feed_file  # issue 11: the published feed follows every change

            feed_file.publish(self)
        return report

    def stored_rows(self, ids: list[str]) -> dict[str, tuple]:
        """Stored rows for these ids as raw tuples in `stored_values` form, to compare without building records."""
        return catalog_import.existing_rows(self.conn, ids)

    def save_report(self, kind: str, source: str, summary: str, body: dict) -> None:
        """Keep a report (an import or a refresh) so the Catalog page can show it later."""
        with self._writing() as conn:
            catalog_import.keep_report(conn, kind, source, summary, body)

    def reports(self, kind: str | None = None, limit: int = 20) -> list[dict]:
        sql = "SELECT id, kind, source, created_at, summary, body FROM reports"
        args: tuple = ()
        if kind:
            sql += " WHERE kind = ?"
            args = (kind,)
        sql += " ORDER BY id DESC LIMIT ?"
        rows = self.conn.execute(sql, (*args, limit)).fetchall()
        keys = ("id", "kind", "source", "created_at", "summary", "body")
        return [dict(zip(keys, r)) | {"body": json.loads(r[5])} for r in rows]

    # correction requests: catalog data about a listing, never about a patient
    def add_correction(self, resource_id: str, problem: str, contact: str = "") -> int:
        problem, contact = problem.strip()[:2000], contact.strip()[:200]
        if not problem:
            raise ValueError("say what is wrong with the listing")
        with self._writing() as conn:
            cur = conn.execute(
                "INSERT INTO correction_requests(resource_id, created_at, problem, contact) VALUES (?, ?, ?, ?)",
                (resource_id, _now(), problem, contact),
            )
            return int(cur.lastrowid)

    def corrections(self, status: str | None = "open") -> list[dict]:
        sql = "SELECT id, resource_id, created_at, problem, contact, status, resolved_at FROM correction_requests"
        args: tuple = ()
        if status:
            sql += " WHERE status = ?"
            args = (status,)
        keys = ("id", "resource_id", "created_at", "problem", "contact", "status", "resolved_at")
        return [dict(zip(keys, r)) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def close_correction(self, request_id: int, status: str) -> None:
        if status not in ("resolved", "dismissed"):
            raise ValueError("status must be resolved or dismissed")
        with self._writing() as conn:
            conn.execute(
                "UPDATE correction_requests SET status = ?, resolved_at = ? WHERE id = ?",
                (status, _now(), request_id),
            )

    # statistics
    def stats(self, today: date | None = None) -> dict:
        """Counts by category, subcategory, source, county, status, verification, precision and age.

        Aggregated in SQL (`catalog_stats`), so 200,000 records are counted without building one.
        """
        from directory import catalog_stats

        try:
            return catalog_stats.counts(self.conn, today or date.today())
        except sqlite3.DatabaseError as exc:
            raise self._not_a_catalog(exc) from None

    def county_kinds(self) -> dict[tuple[str, str], int]:
        """(county or "", category) → number of listings, counted in SQL."""
        rows = self.conn.execute("SELECT county, category, count(*) FROM resources GROUP BY county, category")
        return {(str(county or ""), str(category or "")): n for county, category, n in rows}

    # for the search index and app servers (the PostgreSQL store has the same two)
    def version(self) -> int:
        """The catalog version: a number that grows with every import or refresh that changed a listing."""
        return int(self.meta(VERSION_KEY, "0") or 0)

    def text_rowids(self, expression: str) -> np.ndarray:
        """Rowids of the records matching an FTS5 expression (empty when FTS5 rejects it), as int64."""
        return catalog_text.matching_rowids(self.conn, expression)

    def text_postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """FTS5's own word list (terms, offsets, rowids) for a search index: see `catalog_text.postings`."""
        return catalog_text.postings(self.conn)


def load_csv_into(catalog: Catalog, csv_path: str | Path, **kwargs) -> ImportReport:
    """Import a project CSV file; every row is checked before anything is written."""
    result = project_csv.parse(csv_path)
    return catalog.import_records(
        result.records, source=Path(csv_path).name, rejected=result.errors, warnings=result.warnings, **kwargs
    )


def csv_to_sqlite(csv_path: str | Path, db_path: str | Path) -> ImportReport:
    """Build a fresh SQLite catalog from a project CSV (the file must be valid throughout)."""
    db_path = Path(db_path)
    tmp = db_path.with_suffix(f".tmp{int(time.time() * 1000)}")
    try:
        with Catalog(tmp) as catalog:
            report = load_csv_into(catalog, csv_path, save_report=False)
            if not report.ok:
                raise CatalogError("; ".join(str(p) for p in report.rejected[:20]))
            catalog.set_meta("built_from", Path(csv_path).name)
            catalog.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            catalog.conn.execute("PRAGMA journal_mode=DELETE")
        tmp.replace(db_path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return report


def sqlite_to_csv(db_path: str | Path, csv_path: str | Path | None = None) -> str:
    with Catalog(db_path, readonly=True) as catalog:
        return project_csv.write(catalog.records(), csv_path)


def open_default(path: str | Path | None = None) -> Catalog:
    """The catalog the app and command line use: AFTERCARE_CATALOG, else data/catalog.db."""
    import os

    # A mistyped path must not quietly become a new, empty catalog.
    return Catalog(path or os.environ.get("AFTERCARE_CATALOG") or DEFAULT_DB, create=False)
