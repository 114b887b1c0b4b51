"""Moving a whole catalog between stores (`python -m directory db copy`): listings, meta, reports, requests.

The copy is lossless (the project CSV written from the copy is byte-identical to the original's) and
all or nothing: a SQLite copy is built in a scratch file and renamed, a PostgreSQL copy is one
transaction. The target must be empty, so a copy never mixes two catalogs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from directory import catalog_import
from directory.catalog import Catalog, CatalogError
from directory.catalog_import import VERSION_KEY, stored_values
from directory.schema import FIELD_NAMES, Resource

_REPORT_COLS = ("id", "kind", "source", "created_at", "summary", "body")
_REQUEST_COLS = ("id", "resource_id", "created_at", "problem", "contact", "status", "resolved_at")


@dataclass
class Snapshot:
    """Everything a catalog holds, in its stored order."""

    records: list[Resource]
    meta: list[tuple[str, str]]
    reports: list[tuple]
    requests: list[tuple]

    def summary(self) -> str:
        return (
            f"{len(self.records)} listings, {len(self.reports)} reports, "
            f"{len(self.requests)} correction requests, {len(self.meta)} settings"
        )


def read(store) -> Snapshot:
    """The whole catalog of a store, listings in their stored (rowid) order."""
    order = [r[0] for r in store.conn.execute("SELECT id FROM resources ORDER BY rowid")]
    by_id = {r.id: r for r in store.records()}
    cols = ", ".join(_REPORT_COLS)
    reports = [tuple(r) for r in store.conn.execute(f"SELECT {cols} FROM reports ORDER BY id")]
    cols = ", ".join(_REQUEST_COLS)
    requests = [tuple(r) for r in store.conn.execute(f"SELECT {cols} FROM correction_requests ORDER BY id")]
    meta = [
        (k, v)
        for k, v in store.conn.execute("SELECT key, value FROM meta ORDER BY key")
        if k != "schema_version"
    ]
    return Snapshot([by_id[i] for i in order], meta, reports, requests)


def _refuse_unless_empty(store, where: str) -> None:
    held = store.count() + len(store.reports(limit=1)) + len(store.corrections(status=None))
    if held:
        raise CatalogError(
            f"{where} already holds a catalog ({store.count()} listings): copy into an empty database "
            "or a new file, so that two catalogs are never mixed"
        )


def _meta_after(snapshot: Snapshot) -> list[tuple[str, str]]:
    """The source's meta with the catalog version one higher, so servers on the target see a change."""
    meta = dict(snapshot.meta)
    meta[VERSION_KEY] = str(int(meta.get(VERSION_KEY, "0") or 0) + 1)
    return sorted(meta.items())


def write_postgres(url: str, snapshot: Snapshot) -> None:
    """Put the snapshot into an empty PostgreSQL database (its schema is created or upgraded first)."""
    from directory import store as stores
    from directory.store.postgres import PostgresCatalog

    stores.upgrade(url)
    with PostgresCatalog(url, pool_size=1) as target:
        _refuse_unless_empty(target, target.path)
        cols = ", ".join(f'"{n}"' for n in FIELD_NAMES)
        with target.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("LOCK TABLE resources IN SHARE ROW EXCLUSIVE MODE")
            with cur.copy(f"COPY resources (rowid, {cols}) FROM STDIN") as copy:
                for n, record in enumerate(snapshot.records, start=1):
                    copy.write_row([n, *stored_values(record)])
            cur.executemany(
                "INSERT INTO meta(key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                _meta_after(snapshot),
            )
            if snapshot.reports:
                cur.executemany(
                    f"INSERT INTO reports({', '.join(_REPORT_COLS)}) VALUES (%s, %s, %s, %s, %s, %s)",
                    snapshot.reports,
                )
            if snapshot.requests:
                cur.executemany(
                    f"INSERT INTO correction_requests({', '.join(_REQUEST_COLS)}) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    snapshot.requests,
                )
            for table in ("reports", "correction_requests"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )


def write_sqlite(path: str | Path, snapshot: Snapshot) -> None:
    """Write the snapshot as a new SQLite catalog file (refused when the file holds a catalog already)."""
    path = Path(path)
    if path.exists():
        with Catalog(path) as existing:
            _refuse_unless_empty(existing, str(path))
    tmp = path.with_suffix(f".tmp{int(time.time() * 1000)}")
    try:
        with Catalog(tmp) as target:
            conn = target.conn
            conn.execute("BEGIN IMMEDIATE")
            catalog_import.insert(conn, snapshot.records)
            conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", _meta_after(snapshot))
            conn.executemany(
                f"INSERT INTO reports({', '.join(_REPORT_COLS)}) VALUES (?, ?, ?, ?, ?, ?)", snapshot.reports
            )
            conn.executemany(
                f"INSERT INTO correction_requests({', '.join(_REQUEST_COLS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                snapshot.requests,
            )
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        tmp.replace(path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)


def copy(source: str, target: str) -> Snapshot:
    """Copy the catalog at `source` (path or URL) to `target`; what was copied."""
    from directory import store as stores

    if str(source) == str(target):
        raise CatalogError("--from and --to are the same catalog")
    with stores.open_store(source, readonly=True) as origin:
        snapshot = read(origin)
    if stores.is_database_url(target):
        write_postgres(target, snapshot)
    else:
        write_sqlite(target, snapshot)
    return snapshot
