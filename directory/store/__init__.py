"""The catalog store: one interface, two backends (SQLite for one machine, PostgreSQL for many servers).

`open_store(target)` opens the right one from a file path or a `postgresql://` URL; pages, importers
and renderers get their store from here and never learn which kind it is.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

from directory import catalog as sqlite_store
from directory.catalog import Catalog, CatalogError, ImportReport
from directory.schema import Problem, Resource
from directory.words import t

URL_SCHEMES = ("postgresql://", "postgres://")
UPGRADE_COMMAND = "python -m directory db upgrade"
DB_HELP = "catalog file or postgresql:// URL (default: $AFTERCARE_DATABASE_URL, $AFTERCARE_CATALOG, data/catalog.db)"


@runtime_checkable
class Store(Protocol):
    """What every catalog store offers; `directory.catalog.Catalog` is the SQLite one."""

    path: object
    readonly: bool

    def close(self) -> None: ...
    def records(self) -> list[Resource]: ...
    def get(self, resource_id: str) -> Resource | None: ...
    def get_many(self, ids: Iterable[str]) -> list[Resource]: ...
    def count(self) -> int: ...
    def text_search(self, match: str, limit: int | None = None) -> list[str]: ...
    def text_rowids(self, expression: str) -> list[int]: ...
    def version(self) -> int: ...
    def meta(self, key: str, default: str = "") -> str: ...
    def set_meta(self, key: str, value: str) -> None: ...
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
    ) -> ImportReport: ...
    def stored_rows(self, ids: list[str]) -> dict[str, tuple]: ...
    def save_report(self, kind: str, source: str, summary: str, body: dict) -> None: ...
    def reports(self, kind: str | None = None, limit: int = 20) -> list[dict]: ...
    def add_correction(self, resource_id: str, problem: str, contact: str = "") -> int: ...
    def corrections(self, status: str | None = "open") -> list[dict]: ...
    def close_correction(self, request_id: int, status: str) -> None: ...
    def stats(self, today=None) -> dict: ...


class SchemaMismatch(CatalogError):
    """The database's schema is older or newer than this code: `db upgrade` (or newer code) is needed."""


def is_database_url(target: object) -> bool:
    """True for a PostgreSQL URL, False for a file path."""
    return str(target).startswith(URL_SCHEMES)


def default_target() -> str:
    """Where the catalog is: AFTERCARE_DATABASE_URL, else AFTERCARE_CATALOG, else data/catalog.db."""
    return (
        os.environ.get("AFTERCARE_DATABASE_URL")
        or os.environ.get("AFTERCARE_CATALOG")
        or str(sqlite_store.DEFAULT_DB)
    )


def identity(target: object) -> str:
    """What tells one catalog at `target` from a replacement: a SQLite file's device and inode.

    Unlike modification times this does not move when the file is opened or written (WAL), only when
    a rebuilt catalog is renamed over it. A database URL names one database: "".
    """
    if is_database_url(target):
        return ""
    try:
        info = Path(str(target)).stat()
    except OSError:
        return ""
    return f"{info.st_dev}:{info.st_ino}"


def display_target(target: object) -> str:
    """The target as it may be shown or logged: a URL loses its password."""
    text = str(target)
    if not is_database_url(text):
        return text
    parts = urlsplit(text)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def open_store(
    target: str | Path | None = None,
    *,
    readonly: bool = False,
    check_schema: bool = True,
    pool_size: int = 4,
    shared: bool = False,
    create: bool = True,
) -> Store:
    """The store for a path or URL (default: `default_target()`), its schema checked against this code.

    A read-only SQLite store needs an existing file; a writable one is created when missing. A
    PostgreSQL database gets its schema only from `db upgrade` (or `db copy`), never implicitly.
    `shared` (the app): SQLite reads through a read-only connection and writes through a short-lived
    writer, so a reader never waits; `create=False`: a missing SQLite file is an error, not a new catalog.
    """
    target = str(target) if target else default_target()
    if is_database_url(target):
        from directory.store.postgres import PostgresCatalog

        store: Store = PostgresCatalog(target, readonly=readonly, pool_size=pool_size)
    else:
        store = Catalog(
            target, readonly=readonly, shared=shared and not readonly, create=create and not readonly
        )
    if check_schema:
        try:
            check(store)
        except SchemaMismatch:
            store.close()
            raise
    return store


def schema_versions(store: Store) -> tuple[int, int]:
    """(the schema version the database has, the version this code needs)."""
    if is_database_url(store.path):
        from directory.store import migrations

        return migrations.current_version(store), migrations.LATEST
    return int(store.meta("schema_version", "0") or 0), sqlite_store.SCHEMA_VERSION


def check(store: Store) -> None:
    """Raise SchemaMismatch, with a one-line message naming the command to run, unless the schema fits."""
    have, need = schema_versions(store)
    missing: list[str] = []
    if have == need and is_database_url(store.path):
        from directory.store import migrations

        missing = migrations.missing_columns(store)
    if have == need and not missing:
        return
    where = display_target(store.path)
    if have > need:
        raise SchemaMismatch(t("store.schema_newer", where=where, have=have, need=need))
    command = f"{UPGRADE_COMMAND} --db {where}" if is_database_url(where) else UPGRADE_COMMAND
    raise SchemaMismatch(t("store.schema_older", where=where, have=have, need=need, command=command))


def upgrade(target: str | Path) -> list[str]:
    """Apply the migrations this database lacks; the steps applied, in order ([] when up to date)."""
    target = str(target)
    if is_database_url(target):
        from directory.store import migrations
        from directory.store.postgres import PostgresCatalog

        with PostgresCatalog(target, pool_size=1) as store:
            return migrations.upgrade(store)
    # SQLite has one schema version so far, and opening a file for writing creates whatever it lacks
    # (its schema_version row too); a file from newer code is refused as the app would refuse it.
    with Catalog(target) as store:
        have, need = schema_versions(store)
        if have == 0:  # a file from before schema versions: its tables are current, only the row is missing
            store.set_meta("schema_version", str(need))
        check(store)
    return []


__all__: Sequence[str] = (
    "DB_HELP",
    "Store",
    "SchemaMismatch",
    "open_store",
    "default_target",
    "display_target",
    "identity",
    "is_database_url",
    "check",
    "upgrade",
    "CatalogError",
)
