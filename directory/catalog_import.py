"""An import into the catalog: the checks every store makes first, the row form a store keeps a record in,
the SQLite write in one transaction, and the `ImportReport` that says what changed.

`directory.catalog.Catalog.import_records` and the PostgreSQL store (`directory.store.postgres`) both start
with `checked_import`; the SQLite one then calls `write` inside its writer connection. A failure anywhere
rolls the whole import back.
"""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

from directory import catalog_text
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
    validate,
)

# The `meta` row every import and refresh that changes a listing bumps: app servers compare it to
# know when to rebuild their search index (file times change on mere opening in WAL mode).
VERSION_KEY = "catalog_version"


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


SQL_COLUMNS = ", ".join(f'"{n}"' for n in FIELD_NAMES)
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


def now_text() -> str:
    """The present moment as reports and correction requests stamp it (UTC, whole seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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


def changed_fields(old: tuple | list, new: tuple | list) -> dict[str, tuple[str, str]]:
    """Field → (old text, new text) for the columns that differ between two stored rows."""
    return {name: (_cell_text(a), _cell_text(b)) for name, a, b in zip(FIELD_NAMES, old, new) if a != b}


def _cell_text(value: object) -> str:
    return format_float(value) if value is None or isinstance(value, float) else str(value)


def sort_changes(
    records: list[Resource], existing: dict[str, tuple], report: ImportReport
) -> tuple[list[Resource], list[list]]:
    """Each record as added, unchanged or updated against the stored rows `existing` (by id), noted in
    `report` with the fields that changed; returns the added records and the updated records' stored
    values. Both stores (SQLite and PostgreSQL) write what this returns."""
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
            report.changes[record.id] = changed_fields(old, values)
            updated.append(values)
    return added, updated


def write(
    conn: sqlite3.Connection,
    report: ImportReport,
    records: list[Resource],
    deactivate_missing: str | None,
    as_of: str | None,
    dry_run: bool,
    save_report: bool,
) -> ImportReport:
    """Write checked records to a SQLite catalog in one transaction (BEGIN IMMEDIATE ... COMMIT), filling
    in the report; a dry run rolls back. `deactivate_missing` names a `source` whose records not in this
    import become inactive (never deleted)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        added, updated = sort_changes(records, existing_rows(conn, [r.id for r in records]), report)
        insert(conn, added)
        if updated:
            # An UPDATE keeps the rowid and fires the update trigger, so the text index follows.
            sets = ", ".join(f'"{n}" = ?' for n in FIELD_NAMES[1:])
            conn.executemany(f"UPDATE resources SET {sets} WHERE id = ?", [v[1:] + v[:1] for v in updated])
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
            keep_report(conn, "import", report.source, report.summary(), report.to_dict())
        conn.execute("COMMIT")
    except BaseException:
        report.applied = False
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return report


def existing_rows(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple]:
    """Stored rows for these ids as raw tuples (id first); comparing these is cheaper than records."""
    found: dict[str, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sql = f"SELECT {SQL_COLUMNS} FROM resources WHERE id IN ({','.join('?' * len(chunk))})"
        for row in conn.execute(sql, chunk):
            found[row[0]] = tuple(row)
    return found


def insert(conn: sqlite3.Connection, records: list[Resource]) -> None:
    """Insert new records and index their text in one pass, inside the caller's transaction.

    Rowids are given explicitly, so "the new rows" the text index takes in one pass
    (`catalog_text.indexed_in_one_pass`) are exactly the rowids above the old largest. Rows are made one
    at a time as SQLite takes them, so a large import does not hold them all at once.
    """
    if not records:
        return
    marks = ", ".join("?" * (len(FIELD_NAMES) + 1))
    with catalog_text.indexed_in_one_pass(conn) as last:
        conn.executemany(
            f"INSERT INTO resources (rowid, {SQL_COLUMNS}) VALUES ({marks})",
            ([last + n, *stored_values(record)] for n, record in enumerate(records, start=1)),
        )


def keep_report(conn: sqlite3.Connection, kind: str, source: str, summary: str, body: dict) -> None:
    """Keep a report (an import or a refresh) in the catalog's `reports` table, for the Catalog page."""
    conn.execute(
        "INSERT INTO reports(kind, source, created_at, summary, body) VALUES (?, ?, ?, ?, ?)",
        (kind, source, now_text(), summary, json.dumps(body)),
    )
