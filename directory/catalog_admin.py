"""What the Catalog page shows and does, without Streamlit: saved import and refresh reports in plain
shape, the feeds a curator may refresh, and refreshes and file imports that are checked before they apply.

A check never writes: it fetches (or reads) and runs a dry run. Applying reuses what the check fetched, so
the store gets exactly what the curator saw, in one transaction.
"""

from __future__ import annotations

import hashlib
import inspect
import pickle
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import pandas as pd

from directory import feeds
from directory.catalog import Catalog, CatalogError, ImportReport
from directory.importers import importer
from directory.progress import Progress, silent
from directory.refresh import (
    Fetched,
    FetchOptions,
    RefreshReport,
    Source,
    apply_fetched,
    fetch_source,
    validators,
)
from directory.schedule import TZ
from directory.schema import ImportResult, Resource
from directory.words import md, t, vocab

STATUSES = ("applied", "refused", "dry_run", "not_modified", "failed")
COUNT_NAMES = ("added", "changed", "inactive", "unchanged", "rejected")
MAX_ROWS = 1000  # detail rows shown per report table; a saved report keeps at most 500 ids per list anyway
# The app waits for a feed while a person watches: shorter than the command line's 20 s and 3 retries,
# one request within 30 s whatever the server does, and one feed (pages and retries) within 60 s.
APP_FETCH = FetchOptions(timeout=15.0, retries=2, backoff=1.0, request_deadline=30.0, deadline=60.0)
# Formats whose importer reads an uploaded file's bytes; the others read folders at build time. SAMHSA and
# CMS OTP read bytes too, but one of their files alone is not what the build merges (SAMHSA's files with
# each other and with CMS's phones): an upload would undo the merge, so they are not offered here.
UPLOAD_FORMATS = ("csv", "meeting-guide", "bmlt", "findtreatment", "hsds", "compiled", "crisis")


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class ReportView:
    """One import or refresh report in the shape the page shows: when, what, outcome, counts and details."""

    kind: str  # import | refresh
    source: str
    when: str  # local (Chicago) time in words, e.g. "Jan 5, 2026, 8:03 AM"
    status: str  # one of STATUSES
    counts: dict[str, int]  # COUNT_NAMES -> number
    message: str = ""
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, field, before, after
    disappeared: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    @property
    def has_details(self) -> bool:
        return bool(self.changes or self.disappeared or self.rejected)


def local_time(stamp: str) -> str:
    """An ISO timestamp as Illinois wall-clock words; the text itself when it is not a timestamp."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp or "")
    if moment.tzinfo is not None:
        moment = moment.astimezone(TZ)
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day}, {moment.year}, {hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"


def _list(value: Any) -> list:
    return list(value) if isinstance(value, list | tuple) else []


def _change_rows(changes: Any) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    if not isinstance(changes, Mapping):
        return rows
    for rid, fields in changes.items():
        if not isinstance(fields, Mapping):
            continue
        for name, pair in fields.items():
            pair = _list(pair)
            before, after = (pair + ["", ""])[:2]
            rows.append((str(rid), str(name), str(before), str(after)))
            if len(rows) >= MAX_ROWS:
                return rows
    return rows


def _count(value: Any) -> int:
    if isinstance(value, list | tuple | dict):
        return len(value)
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def view_body(kind: str, body: Mapping[str, Any], *, source: str = "", created_at: str = "") -> ReportView:
    """A report body as the catalog keeps it (a refresh's `body()` or an import's `to_dict()`), for showing.

    Saved bodies are read defensively: a missing or odd field shows as empty, never as an error.
    """
    body = body if isinstance(body, Mapping) else {}
    source = str(body.get("source") or source)
    if kind == "refresh":
        counts = body.get("counts") if isinstance(body.get("counts"), Mapping) else {}
        status = str(body.get("status") or "failed")
        view_counts = {
            "added": _count(counts.get("added", body.get("added"))),
            "changed": _count(counts.get("changed", body.get("changed"))),
            "inactive": _count(counts.get("disappeared", body.get("disappeared"))),
            "unchanged": _count(counts.get("unchanged", body.get("unchanged"))),
            "rejected": _count(counts.get("rejected", body.get("rejected"))),
        }
        disappeared = _list(body.get("disappeared"))
        when = created_at or str(body.get("fetched_at") or "")
    else:
        message = str(body.get("message") or "")
        rejected_rows = _list(body.get("rejected"))
        if body.get("applied"):
            status = "applied"
        elif message.startswith("Dry run") and not rejected_rows:
            status = "dry_run"
        else:
            status = "refused"
        view_counts = {
            "added": _count(body.get("added")),
            "changed": _count(body.get("updated")),
            "inactive": _count(body.get("deactivated")),
            "unchanged": _count(body.get("unchanged")),
            "rejected": len(rejected_rows),
        }
        disappeared = _list(body.get("deactivated"))
        when = created_at
    return ReportView(
        kind="refresh" if kind == "refresh" else "import",
        source=source,
        when=local_time(when),
        status=status if status in STATUSES else "failed",
        counts=view_counts,
        message=str(body.get("message") or ""),
        changes=_change_rows(body.get("changed") if kind == "refresh" else body.get("changes")),
        disappeared=[str(x) for x in disappeared[:MAX_ROWS]],
        rejected=[str(x) for x in _list(body.get("rejected"))[:MAX_ROWS]],
    )


def view_saved(saved: Mapping[str, Any]) -> ReportView:
    """One row of `Catalog.reports()`, for showing."""
    return view_body(
        str(saved.get("kind") or ""),
        saved.get("body") or {},
        source=str(saved.get("source") or ""),
        created_at=str(saved.get("created_at") or ""),
    )


def recent_reports(catalog: Catalog, limit: int = 10) -> list[ReportView]:
    """The latest import and refresh reports, newest first."""
    return [view_saved(saved) for saved in catalog.reports(limit=limit)]


def view_refresh(report: RefreshReport) -> ReportView:
    """A refresh report that may not be saved (a dry run), for showing.

    A refusal's message tells command-line users to pass --force; the page offers its own button instead.
    """
    view = view_body("refresh", report.body())
    return replace(view, message="") if report.status == "refused" else view


def counts_text(view: ReportView) -> str:
    """'3 added · 1 changed · …' for a report."""
    return t("catalog.report_counts", **view.counts)


def view_import(report: ImportReport, when: str = "") -> ReportView:
    """An import report (a dry run or an applied import), for showing."""
    return view_body("import", report.to_dict(), created_at=when)


# --------------------------------------------------------------------------- feeds


@dataclass(frozen=True)
class FeedRow:
    """A source of sources.toml as the curator sees it, with its last refresh."""

    name: str
    format: str
    enabled: bool
    unverified: bool
    refresh_days: int
    last_refresh: str
    last_status: str


def catalog_version(catalog: Catalog) -> int:
    """The store's catalog version row: a cache key that changes with every import or refresh, on any server."""
    return catalog.version()


def county_kinds(records: list[Resource] | Catalog) -> pd.DataFrame:
    """Listings per county (rows) and kind (columns, in plain words); a catalog is counted in SQL."""
    if hasattr(records, "county_kinds"):  # a store of either kind: counted in SQL
        counts = records.county_kinds()
        if not counts:
            return pd.DataFrame()
        frame = pd.DataFrame(
            [(county or "—", vocab("category", kind), n) for (county, kind), n in counts.items()],
            columns=["county", "kind", "n"],
        )
        table = frame.pivot_table(index="county", columns="kind", values="n", aggfunc="sum", fill_value=0)
        table.columns.name, table.index.name = "kind", "county"
        return table.astype(int)
    pairs = pd.DataFrame(
        [(r.county or "—", vocab("category", r.category)) for r in records], columns=["county", "kind"]
    )
    return pd.crosstab(pairs["county"], pairs["kind"]) if len(pairs) else pd.DataFrame()


def feed_table(sources: list[Source], catalog: Catalog) -> pd.DataFrame:
    """The feeds as a table with plain column names, for the curator."""
    columns = ("feed", "format", "enabled", "unverified", "every", "last", "outcome")
    return pd.DataFrame(
        [
            (
                r.name,
                r.format,
                r.enabled,
                r.unverified,
                r.refresh_days,
                r.last_refresh,
                status_words(r.last_status),
            )
            for r in feed_rows(sources, catalog)
        ],
        columns=[t(f"catalog.col_{c}") for c in columns],
    )


def status_words(status: str) -> str:
    """'applied' -> 'Applied'; "" stays ""."""
    return t(f"catalog.status_{status}") if status in STATUSES else status


def is_unverified(source: Source) -> bool:
    """True when the registry's note marks the feed address as not confirmed yet."""
    return "unverified" in source.note.lower()


def feed_rows(sources: list[Source], catalog: Catalog) -> list[FeedRow]:
    """Every source with its state and the date and outcome of its latest saved refresh."""
    latest: dict[str, dict] = {}
    for saved in catalog.reports(kind="refresh", limit=200):
        latest.setdefault(saved["source"], saved)
    rows = []
    for source in sources:
        last = latest.get(source.name)
        rows.append(
            FeedRow(
                name=source.name,
                format=source.format,
                enabled=source.enabled,
                unverified=is_unverified(source),
                refresh_days=source.refresh_days,
                last_refresh=local_time(last["created_at"]) if last else "",
                last_status=str(last["body"].get("status", "")) if last else "",
            )
        )
    return rows


class StagedProgress:
    """One bar from 0 to 1 over a job's stages, fed by the `(done, total, label)` progress callback.

    Refresh labels start with the stage ("Fetching", "Reading", "Comparing", "Applying") and end with the
    source name; each stage owns a band of the bar. `draw(share, text)` is called only when the shown
    percentage or the stage changes, so a job reporting every 500 records does not flood the browser.
    """

    CHECK = {"Fetching": (0.0, 0.6), "Reading": (0.6, 0.8), "Comparing": (0.8, 1.0)}
    APPLY = {"Reading": (0.0, 0.3), "Comparing": (0.3, 0.6), "Applying": (0.6, 1.0)}

    def __init__(
        self, draw: Callable[[float, str], None], stages: Mapping[str, tuple[float, float]] | None = None
    ):
        self.draw = draw
        self.stages = dict(stages or {})
        self.share = 0.0
        self._shown: tuple[int, str] | None = None

    def __call__(self, done: int, total: int, label: str) -> None:
        stage, _, name = label.partition(" ")
        # A label of no known stage (a file import's) moves the whole bar and is shown as it is.
        low, high = self.stages.get(stage, (0.0, 1.0))
        part = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
        self.share = max(self.share, low + (high - low) * part)  # never moves backwards
        text = t(f"catalog.progress_{stage.lower()}", name=md(name)) if stage in self.stages else label
        shown = (int(self.share * 100), text)
        if shown != self._shown:
            self._shown = shown
            self.draw(self.share, text)


@dataclass
class FeedCheck:
    """A fetched feed and its dry-run report, kept until the curator applies it or checks again."""

    source: Source
    fetched: Fetched  # without its data, which is kept frozen below
    frozen: bytes
    report: RefreshReport

    @property
    def can_apply(self) -> bool:
        return self.report.status == "dry_run" and self.report.has_changes

    @property
    def needs_force(self) -> bool:
        return self.report.status == "refused"

    def notice(self) -> tuple[str, str] | None:
        """("error" | "info" | "caption", sentence) when the check has no report worth a table; else None."""
        report, name = self.report, self.source.name
        if report.status == "failed":
            key = "catalog.no_network" if report.no_network else "catalog.check_failed"
            return "error", t(key, name=md(name), problem=md(sentence(report.message)))
        if report.status == "not_modified":
            return "info", t("catalog.not_modified", name=md(name))
        if report.status == "dry_run" and not report.has_changes:
            return "info", t("catalog.refresh_nothing", name=md(name))
        return None

    def thawed(self) -> Fetched:
        """A fresh copy of the fetched feed: reading a feed consumes its decoded data."""
        data = pickle.loads(self.frozen) if self.frozen else None  # bytes we pickled ourselves, in memory
        return replace(self.fetched, data=data)


def check_feed(
    catalog: Catalog,
    source: Source,
    *,
    options: FetchOptions | None = None,
    progress: Progress | None = None,
    today: str | None = None,
) -> FeedCheck:
    """Fetch a source and compare it with the store without writing anything (a dry run).

    The fetch is conditional (ETag / Last-Modified from the last applied refresh), so an unchanged feed
    answers "not modified". Errors end up in the report's status and one-line message, never raised.
    """
    progress = progress or silent
    etag, modified = validators(catalog, source)
    fetched = fetch_source(
        source, etag=etag, last_modified=modified, options=options or APP_FETCH, progress=progress
    )
    frozen = pickle.dumps(fetched.data, protocol=pickle.HIGHEST_PROTOCOL) if fetched.data is not None else b""
    kept = replace(fetched, data=None)
    try:
        report = apply_fetched(catalog, fetched, dry_run=True, today=today, progress=progress)
    except (CatalogError, sqlite3.Error, OSError) as exc:
        report = _failed(fetched, exc)
    return FeedCheck(source=source, fetched=kept, frozen=frozen, report=report)


def apply_check(
    catalog: Catalog,
    check: FeedCheck,
    *,
    force: bool = False,
    progress: Progress | None = None,
    today: str | None = None,
) -> RefreshReport:
    """Apply what a check fetched, in one transaction; `force` also applies a feed that lost over half.

    The report is saved in the catalog (the Catalog page lists it). A store error leaves the store as it
    was and comes back as a failed report.
    """
    try:
        return apply_fetched(catalog, check.thawed(), force=force, today=today, progress=progress)
    except (CatalogError, sqlite3.Error, OSError) as exc:
        return _failed(check.fetched, exc)


def outcome(source: Source, report: RefreshReport) -> tuple[str, str]:
    """("success" | "error", sentence) saying what applying a check did."""
    if report.status == "failed":
        return "error", t("catalog.check_failed", name=md(source.name), problem=md(sentence(report.message)))
    return "success", t(
        "catalog.refresh_done", summary=f"{md(source.name)}: {counts_text(view_refresh(report))}"
    )


def sentence(text: str) -> str:
    """One line ending in a full stop, for a message placed before another sentence."""
    text = (text.strip().splitlines() or [""])[0] or t("catalog.status_failed")
    return text if text.endswith((".", "!", "?")) else text + "."


def _failed(fetched: Fetched, exc: Exception) -> RefreshReport:
    message = (str(exc).splitlines() or [type(exc).__name__])[0][:300]
    return RefreshReport(
        source=fetched.source.name, url=fetched.url, fetched_at=fetched.fetched_at, message=message
    )


# --------------------------------------------------------------------------- file imports


@dataclass
class FileCheck:
    """An uploaded file read by its importer and compared with the store (a dry run), waiting for Apply."""

    name: str
    fmt: str
    digest: str
    result: ImportResult
    report: ImportReport

    @property
    def can_apply(self) -> bool:
        report = self.report
        return report.ok and bool(report.added or report.updated or report.deactivated)

    def matches(self, data: bytes) -> bool:
        """True when `data` is the file that was checked (the upload was not swapped in between)."""
        return hashlib.sha256(data).hexdigest() == self.digest


class ImportFileError(ValueError):
    """An uploaded file that its importer cannot read at all; the message is one line for the curator."""


def check_file(
    catalog: Catalog, data: bytes, name: str, fmt: str, *, progress: Progress | None = None
) -> FileCheck:
    """Read a file with the importer of `fmt` and report what importing it would change; nothing is written."""
    progress = progress or silent
    progress(0, 2, t("catalog.progress_file_reading", name=md(name)))
    try:
        parse = importer(fmt).parse
        # Importers that name the file in their row problems get the upload's name.
        result = parse(data, file=name) if "file" in inspect.signature(parse).parameters else parse(data)
    except Exception as exc:  # noqa: BLE001 - an uploaded file is untrusted: any failure becomes a message
        raise ImportFileError(_one_line(exc)) from None
    progress(1, 2, t("catalog.progress_file_comparing", name=md(name), count=len(result.records)))
    report = catalog.import_records(
        result.records, source=name, rejected=result.errors, warnings=result.warnings, dry_run=True
    )
    progress(2, 2, t("catalog.progress_done"))
    return FileCheck(name, fmt, hashlib.sha256(data).hexdigest(), result, report)


def apply_file(catalog: Catalog, check: FileCheck, *, progress: Progress | None = None) -> ImportReport:
    """Import a checked file in one transaction (all rows or none) and save its report."""
    progress = progress or silent
    progress(1, 2, t("catalog.progress_file_applying", name=md(check.name), count=len(check.result.records)))
    result = check.result
    report = catalog.import_records(
        result.records, source=check.name, rejected=result.errors, warnings=result.warnings
    )
    progress(2, 2, t("catalog.progress_done"))
    return report


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, feeds.FeedError):
        return str(exc)[:300]
    text = (str(exc).strip().splitlines() or [""])[0]
    return (text or type(exc).__name__)[:300]
