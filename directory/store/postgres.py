"""The PostgreSQL store: the same interface and guarantees as the SQLite one, for several app servers.

Connections come from a psycopg_pool pool in autocommit mode, so every read sees the last committed
catalog and never waits for a writer; an import is one transaction (MVCC: readers see the catalog
before it or after it, never half of it). Text search uses PostgreSQL's full-text search with
`unaccent`, matching every word as a prefix like the FTS5 index.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

import numpy as np
import psycopg
from psycopg_pool import ConnectionPool

from directory.catalog import Catalog, CatalogError, _record_from_sql
from directory.catalog_import import (
    VERSION_KEY,
    ImportReport,
    checked_import,
    now_text,
    sort_changes,
    stored_values,
)
from directory.schema import FIELD_NAMES, Problem, Resource
from directory.store.migrations import document

_COLS = ", ".join(f'"{n}"' for n in FIELD_NAMES)
_PHRASE_RE = re.compile(r'"([^"]*)"(\*?)|([^\s"]+)')
_PIECE_RE = re.compile(r"[^\W_]+")
_BUMP_VERSION = (
    "INSERT INTO meta(key, value) VALUES (%s, '1') "
    "ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text"
)


def tsquery(expression: str) -> str:
    """An FTS5 expression ('"café"* "recov"*', 'lakeview', '"Ward Parkway"') as tsquery text.

    Every quoted phrase or bare word is required; its words must follow each other (`<->`); a
    trailing `*` makes the last word a prefix. Only letters and digits pass, so nothing the visitor
    typed can be tsquery syntax. '' when there is no word.
    """
    parts = []
    for phrase, star, bare in _PHRASE_RE.findall(expression or ""):
        text = phrase if phrase or star else bare
        if not phrase and bare.endswith("*"):
            text, star = bare[:-1], "*"
        words = _PIECE_RE.findall(text)
        if not words:
            continue
        if star:
            words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")" if len(words) > 1 else words[0])
    return " & ".join(parts)


@contextmanager
def connection(pool: ConnectionPool, where: str) -> Iterator[psycopg.Connection]:
    """A pooled connection; a database that cannot be reached (or went away) is a CatalogError in words."""
    try:
        with pool.connection(timeout=15) as conn:
            yield conn
    except psycopg.OperationalError as exc:  # PoolTimeout is one too
        # Only a lost or refused connection (SQLSTATE 08…, 57P0…, or none: the client's own) is
        # reworded; any other error is the caller's to see as it is.
        if exc.sqlstate and not exc.sqlstate.startswith(("08", "57P")):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CatalogError(f"the catalog database {where} cannot be reached: {first}") from exc


class _Rows:
    """Rows already fetched, with the cursor methods the SQLite callers use."""

    def __init__(self, rows: list[tuple]):
        self._rows = rows
        self._at = 0

    def fetchone(self):
        row = self._rows[self._at] if self._at < len(self._rows) else None
        self._at += row is not None
        return row

    def fetchmany(self, size: int = 1) -> list[tuple]:
        chunk = self._rows[self._at : self._at + size]
        self._at += len(chunk)
        return chunk

    def fetchall(self) -> list[tuple]:
        rest = self._rows[self._at :]
        self._at = len(self._rows)
        return rest

    def __iter__(self):
        return iter(self.fetchall())


class PortableSQL:
    """`store.conn` for the modules that read the store with plain SQL: `?` marks become `%s`.

    Only SQL both databases understand belongs here (the refresh's active ids, the crisis lines,
    the search index's column read: `rowid` is a real column in this store).
    """

    def __init__(self, pool: ConnectionPool, where: str):
        self._pool = pool
        self._where = where

    def execute(self, sql: str, params: Iterable = ()) -> _Rows:
        params = tuple(params)
        if params:
            sql = sql.replace("%", "%%").replace("?", "%s")
        with connection(self._pool, self._where) as conn:
            cur = conn.execute(sql, params or None)
            return _Rows(cur.fetchall() if cur.description else [])


class PostgresCatalog:
    """A catalog in a PostgreSQL database, shared by every app server and command that opens it."""

    def __init__(self, url: str, *, readonly: bool = False, pool_size: int = 4):
        from directory.store import display_target

        self.url = url
        self.path = display_target(url)  # what pages show and log: the URL without its password
        self.readonly = readonly
        options = "-c default_transaction_read_only=on" if readonly else ""
        kwargs = {"autocommit": True, "application_name": "aftercare", "options": options}
        try:
            psycopg.connect(url, connect_timeout=10, **kwargs).close()
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CatalogError(f"cannot connect to the catalog database {self.path}: {first}") from exc
        self.pool = ConnectionPool(
            url, min_size=1, max_size=max(1, pool_size), kwargs=kwargs, open=True, name="aftercare"
        )
        self.conn = PortableSQL(self.pool, self.path)

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> PostgresCatalog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _all(self, sql: str, params: tuple | None = None) -> list[tuple]:
        with connection(self.pool, self.path) as conn:
            return conn.execute(sql, params).fetchall()

    # reading
    def records(self) -> list[Resource]:
        return [_record_from_sql(r) for r in self._all(f"SELECT {_COLS} FROM resources ORDER BY id")]

    def get(self, resource_id: str) -> Resource | None:
        found = self.get_many([resource_id])
        return found[0] if found else None

    def get_many(self, ids: Iterable[str]) -> list[Resource]:
        """Records for the given ids, in the order given; unknown ids are skipped."""
        ids = list(ids)
        if not ids:
            return []
        rows = self._all(f"SELECT {_COLS} FROM resources WHERE id = ANY(%s)", (ids,))
        by_id = {r.id: r for r in map(_record_from_sql, rows)}
        return [by_id[i] for i in ids if i in by_id]

    def count(self) -> int:
        return self._all("SELECT count(*) FROM resources")[0][0]

    def text_search(self, match: str, limit: int | None = None) -> list[str]:
        """Ids whose name, organization, description or city match an FTS5-style expression, best first.

        Matching is the FTS5 index's (accents ignored, `*` for prefixes); the English and Spanish
        configurations only rank: a listing whose words share the stem of the query comes first.
        """
        query = tsquery(match)
        if not query:
            return []
        stems = f"{document('aftercare_en')} || {document('aftercare_es')}"
        sql = (
            "SELECT id FROM resources, to_tsquery('aftercare_simple', %(q)s) q, "
            "to_tsquery('aftercare_en', %(q)s) en, to_tsquery('aftercare_es', %(q)s) es "
            f"WHERE search @@ q ORDER BY ts_rank(search, q) + ts_rank({stems}, en || es) DESC, id"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self._all(sql, {"q": query})]

    def text_rowids(self, expression: str) -> np.ndarray:
        """Rowids of the records matching an FTS5-style expression (empty when it has no word), as int64."""
        query = tsquery(expression)
        if not query:
            return np.empty(0, dtype=np.int64)
        sql = "SELECT rowid FROM resources WHERE search @@ to_tsquery('aftercare_simple', %s)"
        rows = self._all(sql, (query,))
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def version(self) -> int:
        """The catalog version: a number that grows with every import or refresh that changed a listing."""
        return int(self.meta(VERSION_KEY, "0") or 0)

    def meta(self, key: str, default: str = "") -> str:
        rows = self._all("SELECT value FROM meta WHERE key = %s", (key,))
        return rows[0][0] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        self._write(
            "INSERT INTO meta(key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _write(self, sql: str, params: tuple) -> list[tuple]:
        if self.readonly:
            raise CatalogError("this catalog is open read-only")
        with connection(self.pool, self.path) as conn:
            cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description else []

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
        """Add or update records in one transaction and report what changed (as `Catalog.import_records`)."""
        report, records = checked_import(records, source, rejected, warnings, allow_rejected)
        if records is None:
            return report
        if self.readonly:
            raise CatalogError("this catalog is open read-only")
        try:
            with connection(self.pool, self.path) as conn:
                try:
                    with conn.transaction():
                        self._apply(conn, records, report, deactivate_missing, as_of)
                        if dry_run:
                            raise psycopg.Rollback()
                        report.applied = True
                        if report.added or report.updated or report.deactivated:
                            conn.execute(_BUMP_VERSION, (VERSION_KEY,))
                        if save_report and (
                            report.added or report.updated or report.deactivated or report.rejected
                        ):
                            _insert_report(conn, "import", report.source, report.summary(), report.to_dict())
                finally:
                    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                        conn.rollback()
        except BaseException:
            report.applied = False
            raise
        if dry_run:
            report.message = "Dry run: nothing was changed."
        return report

    def _apply(self, conn, records, report, deactivate_missing, as_of) -> None:
        # One writer at a time (as SQLite's BEGIN IMMEDIATE); readers are never blocked by this lock.
        conn.execute("LOCK TABLE resources IN SHARE ROW EXCLUSIVE MODE")
        new_records, updated = sort_changes(records, _existing(conn, [r.id for r in records]), report)
        added = [stored_values(record) for record in new_records]
        with conn.cursor() as cur:
            if added:
                last = cur.execute("SELECT coalesce(max(rowid), 0) FROM resources").fetchone()[0]
                with cur.copy(f"COPY resources (rowid, {_COLS}) FROM STDIN") as copy:
                    for n, values in enumerate(added, start=1):
                        copy.write_row([last + n, *values])
            if updated:
                # Through a scratch table: one UPDATE ... FROM is far quicker than one per record.
                cur.execute(
                    f"CREATE TEMP TABLE incoming ON COMMIT DROP AS SELECT {_COLS} FROM resources LIMIT 0"
                )
                with cur.copy(f"COPY incoming ({_COLS}) FROM STDIN") as copy:
                    for values in updated:
                        copy.write_row(values)
                sets = ", ".join(f'"{n}" = i."{n}"' for n in FIELD_NAMES[1:])
                cur.execute(f"UPDATE resources r SET {sets} FROM incoming i WHERE r.id = i.id")
                cur.execute("DROP TABLE incoming")
            if deactivate_missing is not None:
                stamp = as_of or date.today().isoformat()
                present = {r.id for r in records}
                rows = cur.execute(
                    "SELECT id FROM resources WHERE source = %s AND status != 'inactive' ORDER BY id",
                    (deactivate_missing,),
                ).fetchall()
                report.deactivated.extend(rid for (rid,) in rows if rid not in present)
                if report.deactivated:
                    cur.execute(
                        "UPDATE resources SET status = 'inactive', notes = trim(notes || ' ' || %s) "
                        "WHERE id = ANY(%s)",
                        (f"Gone from the source feed on {stamp}.", report.deactivated),
                    )

    def stored_rows(self, ids: list[str]) -> dict[str, tuple]:
        """Stored rows for these ids as raw tuples in `stored_values` form, to compare without building records."""
        with connection(self.pool, self.path) as conn:
            return _existing(conn, ids)

    def save_report(self, kind: str, source: str, summary: str, body: dict) -> None:
        """Keep a report (an import or a refresh) so the Catalog page of every server can show it."""
        if self.readonly:
            raise CatalogError("this catalog is open read-only")
        with connection(self.pool, self.path) as conn:
            _insert_report(conn, kind, source, summary, body)

    def reports(self, kind: str | None = None, limit: int = 20) -> list[dict]:
        sql = "SELECT id, kind, source, created_at, summary, body FROM reports"
        args: tuple = ()
        if kind:
            sql += " WHERE kind = %s"
            args = (kind,)
        rows = self._all(sql + " ORDER BY id DESC LIMIT %s", (*args, limit))
        keys = ("id", "kind", "source", "created_at", "summary", "body")
        return [dict(zip(keys, r)) | {"body": json.loads(r[5])} for r in rows]

    # correction requests: one queue for every server
    def add_correction(self, resource_id: str, problem: str, contact: str = "") -> int:
        problem, contact = problem.strip()[:2000], contact.strip()[:200]
        if not problem:
            raise ValueError("say what is wrong with the listing")
        rows = self._write(
            "INSERT INTO correction_requests(resource_id, created_at, problem, contact) "
            "VALUES (%s, %s, %s, %s) RETURNING id",
            (resource_id, now_text(), problem, contact),
        )
        return int(rows[0][0])

    def corrections(self, status: str | None = "open") -> list[dict]:
        sql = "SELECT id, resource_id, created_at, problem, contact, status, resolved_at FROM correction_requests"
        args: tuple = ()
        if status:
            sql += " WHERE status = %s"
            args = (status,)
        keys = ("id", "resource_id", "created_at", "problem", "contact", "status", "resolved_at")
        return [dict(zip(keys, r)) for r in self._all(sql + " ORDER BY id", args)]

    def close_correction(self, request_id: int, status: str) -> None:
        if status not in ("resolved", "dismissed"):
            raise ValueError("status must be resolved or dismissed")
        self._write(
            "UPDATE correction_requests SET status = %s, resolved_at = %s WHERE id = %s",
            (status, now_text(), request_id),
        )

    # statistics: counted in SQL through the portable connection, the same code as the SQLite store's
    stats = Catalog.stats
    county_kinds = Catalog.county_kinds


def _existing(conn, ids: list[str]) -> dict[str, tuple]:
    if not ids:
        return {}
    rows = conn.execute(f"SELECT {_COLS} FROM resources WHERE id = ANY(%s)", (ids,)).fetchall()
    return {row[0]: tuple(row) for row in rows}


def _insert_report(conn, kind: str, source: str, summary: str, body: dict) -> None:
    conn.execute(
        "INSERT INTO reports(kind, source, created_at, summary, body) VALUES (%s, %s, %s, %s, %s)",
        (kind, source, now_text(), summary, json.dumps(body)),
    )
