"""The catalog store: records in SQLite (WAL, FTS5) and in the project CSV, with all-or-nothing imports.

Every import runs in one transaction and returns an `ImportReport`; a failure leaves the store as it was.
The store also keeps catalog-side data that is not about patients: import and refresh reports, and
correction requests filed against a listing.
"""

from __future__ import annotations

import json
import logging
import operator
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from directory.importers import project_csv
from directory.schema import (
    FIELD_NAMES,
    FLOAT_FIELDS,
    LIST_FIELDS,
    Problem,
    Resource,
    format_float,
    format_schedule,
    is_validated,
    join_list,
    resource_from_row,
    validate,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_CSV = DATA_DIR / "catalog.csv"
DEFAULT_DB = DATA_DIR / "catalog.db"
SCHEMA_VERSION = 1
# The `meta` row every import and refresh that changes a listing bumps: app servers compare it to
# know when to rebuild their search index (file times change on mere opening in WAL mode).
VERSION_KEY = "catalog_version"

_COLUMNS = ", ".join(
    f'"{n}" REAL'
    if n in FLOAT_FIELDS
    else '"id" TEXT PRIMARY KEY'
    if n == "id"
    else f"\"{n}\" TEXT NOT NULL DEFAULT ''"
    for n in FIELD_NAMES
)
_FTS_FIELDS = ("name", "organization", "description", "city")
_DDL = f"""
CREATE TABLE IF NOT EXISTS resources ({_COLUMNS});
CREATE INDEX IF NOT EXISTS resources_source ON resources(source);
CREATE INDEX IF NOT EXISTS resources_category ON resources(category);
CREATE VIRTUAL TABLE IF NOT EXISTS resources_fts USING fts5(
    {", ".join(_FTS_FIELDS)}, content='resources', content_rowid='rowid',
    tokenize="unicode61 remove_diacritics 2");
CREATE TRIGGER IF NOT EXISTS resources_ai AFTER INSERT ON resources BEGIN
  INSERT INTO resources_fts(rowid, {", ".join(_FTS_FIELDS)})
  VALUES (new.rowid, {", ".join("new." + f for f in _FTS_FIELDS)});
END;
CREATE TRIGGER IF NOT EXISTS resources_ad AFTER DELETE ON resources BEGIN
  INSERT INTO resources_fts(resources_fts, rowid, {", ".join(_FTS_FIELDS)})
  VALUES ('delete', old.rowid, {", ".join("old." + f for f in _FTS_FIELDS)});
END;
CREATE TRIGGER IF NOT EXISTS resources_au AFTER UPDATE ON resources BEGIN
  INSERT INTO resources_fts(resources_fts, rowid, {", ".join(_FTS_FIELDS)})
  VALUES ('delete', old.rowid, {", ".join("old." + f for f in _FTS_FIELDS)});
  INSERT INTO resources_fts(rowid, {", ".join(_FTS_FIELDS)})
  VALUES (new.rowid, {", ".join("new." + f for f in _FTS_FIELDS)});
END;
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


@dataclass
class ImportReport:
    """What an import did, or would do: ids added, updated, unchanged, and the rows it rejected."""

    source: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    changes: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    applied: bool = False
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.deactivated:
            parts.append(f"{len(self.deactivated)} marked inactive")
        parts.append(f"{len(self.rejected)} rejected")
        state = "applied" if self.applied else "not applied"
        text = f"{self.source}: {', '.join(parts)} ({state})"
        return f"{text}. {self.message}" if self.message else text

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rejected"] = [str(p) for p in self.rejected]
        data["warnings"] = [str(p) for p in self.warnings]
        return data


_SQL_COLUMNS = ", ".join(f'"{n}"' for n in FIELD_NAMES)
_FIELD_VALUES = operator.attrgetter(*FIELD_NAMES)
_LIST_AT = tuple(i for i, n in enumerate(FIELD_NAMES) if n in LIST_FIELDS)
_TEXT_AT = tuple(
    i for i, n in enumerate(FIELD_NAMES) if n not in LIST_FIELDS and n not in FLOAT_FIELDS and n != "schedule"
)
_SCHEDULE_AT = FIELD_NAMES.index("schedule")


def stored_values(record: Resource) -> list:
    """The record as the store keeps it: `resource_to_row` text, but REAL coordinates.

    Written out field by field rather than through `resource_to_row` because an import of a large
    feed builds one per record; `tests/test_feeds_importers.py` holds the two to the same output.
    """
    values = list(_FIELD_VALUES(record))
    for i in _LIST_AT:
        values[i] = join_list(values[i])
    for i in _TEXT_AT:
        values[i] = values[i] or ""
    values[_SCHEDULE_AT] = format_schedule(values[_SCHEDULE_AT])
    return values


def _record_from_sql(values: sqlite3.Row | tuple) -> Resource:
    row = {
        n: ("" if v is None else (repr(v) if isinstance(v, float) else v))
        for n, v in zip(FIELD_NAMES, values)
    }
    record, errors = resource_from_row(row)
    if errors:
        raise CatalogError(f"record {row.get('id')!r} in the database is damaged: {errors}")
    return record


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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
        sql = (
            "SELECT r.id FROM resources_fts f JOIN resources r ON r.rowid = f.rowid "
            "WHERE resources_fts MATCH ? ORDER BY bm25(resources_fts)"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        try:
            return [r[0] for r in self.conn.execute(sql, (match,))]
        except sqlite3.OperationalError:
            return []

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
            return self._write_import(conn, report, records, deactivate_missing, as_of, dry_run, save_report)

    def _write_import(
        self,
        conn: sqlite3.Connection,
        report: ImportReport,
        records: list[Resource],
        deactivate_missing: str | None,
        as_of: str | None,
        dry_run: bool,
        save_report: bool,
    ) -> ImportReport:
        try:
            conn.execute("BEGIN IMMEDIATE")
            existing = self._existing(conn, [r.id for r in records])
            added: list[Resource] = []
            updated: list[list] = []
            for record in records:
                old = existing.get(record.id)
                if old is None:
                    report.added.append(record.id)
                    added.append(record)
                    continue
                values = stored_values(record)
                if old == tuple(values):
                    report.unchanged.append(record.id)
                else:
                    report.updated.append(record.id)
                    report.changes[record.id] = _diff(old, values)
                    updated.append(values)
            self._insert(conn, added)
            if updated:
                # An UPDATE keeps the rowid and fires the update trigger, so the text index follows.
                sets = ", ".join(f'"{n}" = ?' for n in FIELD_NAMES[1:])
                conn.executemany(
                    f"UPDATE resources SET {sets} WHERE id = ?", [v[1:] + v[:1] for v in updated]
                )
            if deactivate_missing is not None:
                stamp = as_of or date.today().isoformat()
                present = {r.id for r in records}
                for (rid,) in conn.execute(
                    "SELECT id FROM resources WHERE source = ? AND status != 'inactive'",
                    (deactivate_missing,),
                ).fetchall():
                    if rid not in present:
                        report.deactivated.append(rid)
                conn.executemany(
                    "UPDATE resources SET status = 'inactive', notes = trim(notes || ' ' || ?) WHERE id = ?",
                    [(f"Gone from the source feed on {stamp}.", rid) for rid in report.deactivated],
                )
            if dry_run:
                conn.execute("ROLLBACK")
                report.message = "Dry run: nothing was changed."
                return report
            report.applied = True
            if report.added or report.updated or report.deactivated:
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                    (VERSION_KEY,),
                )
            if save_report and (report.added or report.updated or report.deactivated or report.rejected):
                self._save_report(conn, "import", report)
            conn.execute("COMMIT")
        except BaseException:
            report.applied = False
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if report.added or report.updated or report.deactivated:
            from directory.render import feed_file  # issue 11: the published feed follows every change

            feed_file.publish(self)
        return report

    def stored_rows(self, ids: list[str]) -> dict[str, tuple]:
        """Stored rows for these ids as raw tuples in `stored_values` form, to compare without building records."""
        return self._existing(self.conn, ids)

    @staticmethod
    def _existing(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple]:
        """Stored rows for these ids as raw tuples (id first); comparing these is cheaper than records."""
        found: dict[str, tuple] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            sql = f"SELECT {_SQL_COLUMNS} FROM resources WHERE id IN ({','.join('?' * len(chunk))})"
            for row in conn.execute(sql, chunk):
                found[row[0]] = tuple(row)
        return found

    @staticmethod
    def _insert(conn: sqlite3.Connection, records: list[Resource]) -> None:
        """Insert new records and index their text in one pass, inside the caller's transaction.

        Indexing the new rows with one INSERT ... SELECT takes less than half the time of the insert
        trigger firing row by row, so the trigger is dropped for the insert and put back as it was;
        both are part of the transaction, so a rollback restores it too. Rowids are given explicitly,
        so "the new rows" is exactly the rowids above the old largest. Rows are made one at a time as
        SQLite takes them, so a large import does not hold them all at once.
        """
        if not records:
            return
        trigger = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'resources_ai'"
        ).fetchone()
        last = conn.execute("SELECT coalesce(max(rowid), 0) FROM resources").fetchone()[0]
        if trigger:
            conn.execute("DROP TRIGGER resources_ai")
        marks = ", ".join("?" * (len(FIELD_NAMES) + 1))
        conn.executemany(
            f"INSERT INTO resources (rowid, {_SQL_COLUMNS}) VALUES ({marks})",
            ([last + n, *stored_values(record)] for n, record in enumerate(records, start=1)),
        )
        if trigger:
            fields = ", ".join(_FTS_FIELDS)
            conn.execute(
                f"INSERT INTO resources_fts(rowid, {fields}) "
                f"SELECT rowid, {fields} FROM resources WHERE rowid > ?",
                (last,),
            )
            conn.execute(trigger[0])

    def _save_report(self, conn: sqlite3.Connection, kind: str, report: ImportReport) -> None:
        conn.execute(
            "INSERT INTO reports(kind, source, created_at, summary, body) VALUES (?, ?, ?, ?, ?)",
            (kind, report.source, _now(), report.summary(), json.dumps(report.to_dict())),
        )

    def save_report(self, kind: str, source: str, summary: str, body: dict) -> None:
        """Keep a report (an import or a refresh) so the Catalog page can show it later."""
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO reports(kind, source, created_at, summary, body) VALUES (?, ?, ?, ?, ?)",
                (kind, source, _now(), summary, json.dumps(body)),
            )

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
        """Rowids of the records matching an FTS5 expression (empty when FTS5 rejects it), as int64.

        SQLite joins them into one string that numpy parses: no Python object per match.
        """
        try:
            sql = "SELECT group_concat(rowid, ',') FROM resources_fts WHERE resources_fts MATCH ?"
            (joined,) = self.conn.execute(sql, (expression,)).fetchone()
        except sqlite3.Error:
            return np.empty(0, dtype=np.int64)
        return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.empty(0, dtype=np.int64)

    def text_postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """FTS5's own word list, for a search index that matches words without asking SQLite again.

        Every term the FTS5 index holds (as its tokenizer made it: lower case, accents removed), in
        its byte order as a numpy bytes array, the offsets of each term's rows, and the rowids holding
        each term (ascending, each once). Read from `fts5vocab`, so the words are exactly the ones a
        MATCH would compare. None when the FTS5 index cannot be read that way.
        """
        try:
            self.conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.resources_vocab_rows "
                "USING fts5vocab(main, resources_fts, 'row')"
            )
            self.conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.resources_vocab_instances "
                "USING fts5vocab(main, resources_fts, 'instance')"
            )
            # Every column comes from one ordered scan: no Python object per term or per row.
            terms, counts = self.conn.execute(
                "SELECT group_concat(term, char(10)), group_concat(cnt) "
                "FROM (SELECT term, cnt FROM temp.resources_vocab_rows ORDER BY term)"
            ).fetchone()
            (docs,) = self.conn.execute(
                "SELECT group_concat(doc) FROM temp.resources_vocab_instances"
            ).fetchone()
        except sqlite3.Error:
            return None
        if not terms:
            return np.zeros(0, dtype="S1"), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        words = np.array(terms.encode().split(b"\n"))
        per_term = np.fromstring(counts, dtype=np.int64, sep=",")
        rowids = np.fromstring(docs, dtype=np.int64, sep=",") if docs else np.zeros(0, dtype=np.int64)
        if len(words) != len(per_term) or int(per_term.sum()) != len(rowids):
            return None  # the two scans disagree (a write between them): no word list this time
        term = np.repeat(np.arange(len(words), dtype=np.int64), per_term)
        if not np.all((term[1:] != term[:-1]) | (rowids[1:] >= rowids[:-1])):
            order = np.lexsort((rowids, term))  # instances come by term and rowid; this makes sure
            term, rowids = term[order], rowids[order]
        first = np.ones(len(rowids), dtype=bool)  # a row holding a word twice counts once
        first[1:] = (term[1:] != term[:-1]) | (rowids[1:] != rowids[:-1])
        term, rowids = term[first], rowids[first]
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term, minlength=len(words)), out=offsets[1:])
        return words, offsets, rowids


def checked_import(
    records: Iterable[Resource],
    source: str,
    rejected: Iterable[Problem],
    warnings: Iterable[Problem],
    allow_rejected: bool,
) -> tuple[ImportReport, list[Resource] | None]:
    """Every store's first step of an import: each record validated (once) and ids unique.

    Returns the report and the records to write, or None for them when nothing may be written.
    """
    report = ImportReport(source=source, rejected=list(rejected), warnings=list(warnings))
    records = list(records)
    seen: set[str] = set()
    invalid: set[int] = set()
    for index, record in enumerate(records):
        # A record an importer has just checked in full is not validated twice; any other is.
        problems = [] if is_validated(record) else validate(record, index + 1, source)
        if record.id in seen:
            problems.append(Problem(index + 1, "id", f"'{record.id}' appears twice in this import", source))
        seen.add(record.id)
        if problems:
            invalid.add(index)
            report.rejected.extend(problems)
    if report.rejected and not allow_rejected:
        report.message = "Nothing was changed: fix the rows listed and import again."
        return report, None
    if invalid:
        records = [r for i, r in enumerate(records) if i not in invalid]
    return report, records


def _diff(old: tuple | list, new: tuple | list) -> dict[str, tuple[str, str]]:
    """Field → (old text, new text) for the columns that differ between two stored rows."""
    return {name: (_cell_text(a), _cell_text(b)) for name, a, b in zip(FIELD_NAMES, old, new) if a != b}


def _cell_text(value: object) -> str:
    return format_float(value) if value is None or isinstance(value, float) else str(value)


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
