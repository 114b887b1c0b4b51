"""Refreshing the catalog from its live feeds: fetch, read, compare with the store, report, apply.

A refresh applies in one transaction; a record that leaves its feed becomes inactive with the date,
never deleted; a feed that loses more than half of its active records is refused unless forced, so a
broken feed cannot wipe a region. Every run (except a dry run, or one that found no network) leaves a
report in the catalog that the Catalog page shows.
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from directory import feeds
from directory.catalog import DATA_DIR, Catalog, stored_values
from directory.importers import bmlt, findtreatment, hsds, meeting_guide
from directory.progress import Progress, silent
from directory.schema import FIELD_NAMES, Problem, Resource, format_float

DEFAULT_SOURCES = DATA_DIR / "sources.toml"
SOURCES_ENV = "AFTERCARE_SOURCES"  # another registry, e.g. a test's feeds on 127.0.0.1
FORMATS = ("meeting-guide", "bmlt", "findtreatment", "hsds")
MAX_PAGES = 200  # FindTreatment: Illinois needs a few pages; a runaway totalPages must not fetch forever
REPORT_LIST_LIMIT = 500  # ids and changes kept per list in a saved report


class SourcesError(ValueError):
    """sources.toml cannot be used; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Source:
    """One feed from sources.toml."""

    name: str
    format: str
    url: str
    query: dict[str, str] = field(default_factory=dict)
    source_url: str = ""
    fellowship: str = ""
    terms: str = ""
    enabled: bool = True
    refresh_days: int = 7
    note: str = ""
    redirect_hosts: tuple[str, ...] = ()  # other hosts a redirect may lead to (same host always may)

    @property
    def paged(self) -> bool:
        return self.format == "findtreatment"


def sources_path(environ: Mapping[str, str] | None = None) -> Path:
    """The sources registry the app reads: $AFTERCARE_SOURCES when set, else data/sources.toml."""
    env = os.environ if environ is None else environ
    value = env.get(SOURCES_ENV, "").strip()
    return Path(value) if value else DEFAULT_SOURCES


def load_sources(path: str | Path = DEFAULT_SOURCES) -> list[Source]:
    """Read the sources registry; SourcesError naming the entry and field when something is wrong."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: the sources file does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML ({exc})") from None
    sources: list[Source] = []
    names: set[str] = set()
    for n, entry in enumerate(data.get("source") or [], start=1):
        where = f"{path.name}, source {n}"
        if not isinstance(entry, dict):
            raise SourcesError(f"{where}: write each feed as a [[source]] table")
        for key in ("name", "format", "url"):
            if not str(entry.get(key) or "").strip():
                raise SourcesError(f"{where}: '{key}' is missing; every source needs name, format and url")
        if entry["format"] not in FORMATS:
            raise SourcesError(f"{where}, format: '{entry['format']}' is not one of {', '.join(FORMATS)}")
        if entry["name"] in names:
            raise SourcesError(f"{where}, name: '{entry['name']}' is used twice; names must be unique")
        if not str(entry["url"]).startswith(("http://", "https://")):
            raise SourcesError(f"{where}, url: '{entry['url']}' must start with http:// or https://")
        names.add(entry["name"])
        query = entry.get("query") or {}
        if not isinstance(query, dict):
            raise SourcesError(f'{where}, query: write it as a table, e.g. query = {{ action = "meetings" }}')
        redirect_hosts = entry.get("redirect_hosts") or []
        if not isinstance(redirect_hosts, list) or not all(isinstance(h, str) for h in redirect_hosts):
            raise SourcesError(f'{where}, redirect_hosts: write a list of host names, e.g. ["example.org"]')
        try:
            refresh_days = int(entry.get("refresh_days", 7))
        except (TypeError, ValueError):
            raise SourcesError(f"{where}, refresh_days: write a whole number of days") from None
        sources.append(
            Source(
                name=str(entry["name"]),
                format=str(entry["format"]),
                url=str(entry["url"]),
                query={str(k): str(v) for k, v in query.items()},
                source_url=str(entry.get("source_url") or ""),
                fellowship=str(entry.get("fellowship") or ""),
                terms=str(entry.get("terms") or ""),
                enabled=bool(entry.get("enabled", True)),
                refresh_days=refresh_days,
                note=str(entry.get("note") or ""),
                redirect_hosts=tuple(redirect_hosts),
            )
        )
    return sources


@dataclass
class FetchOptions:
    """How patiently to fetch; tests shorten every wait."""

    timeout: float = feeds.DEFAULT_TIMEOUT
    retries: int = feeds.DEFAULT_RETRIES
    backoff: float = feeds.DEFAULT_BACKOFF
    max_bytes: int = feeds.DEFAULT_MAX_BYTES
    sleep: Callable[[float], None] | None = None
    # One request (headers and body) within this many seconds (default: four times `timeout`) ...
    request_deadline: float | None = None
    # ... and a whole source, every page and retry included (default: a request's deadline × tries).
    deadline: float | None = None

    def source_deadline(self) -> float:
        per_request = self.request_deadline if self.request_deadline is not None else 4 * self.timeout
        return self.deadline if self.deadline is not None else per_request * (self.retries + 1)


@dataclass
class Fetched:
    """What fetching one source produced: decoded data, or not-modified, or an error."""

    source: Source
    url: str
    fetched_at: str
    data: Any = None
    response: feeds.Response | None = None
    error: feeds.FeedError | None = None

    @property
    def not_modified(self) -> bool:
        return self.response is not None and self.response.not_modified

    @property
    def no_network(self) -> bool:
        return isinstance(self.error, feeds.NetworkUnavailable)


@dataclass
class RefreshReport:
    """What a refresh found and did; `body()` is what the catalog keeps."""

    source: str
    url: str
    fetched_at: str
    status: str = "failed"  # applied | refused | dry_run | not_modified | failed
    added: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    disappeared: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    unchanged: int = 0
    message: str = ""
    no_network: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.disappeared)

    def summary(self) -> str:
        if self.status in ("failed", "not_modified"):
            return f"{self.source}: {self.status.replace('_', ' ')}. {self.message}".strip()
        counts = (
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.disappeared)} gone from the feed, "
            f"{self.unchanged} unchanged, {len(self.rejected)} problem(s)"
        )
        return f"{self.source}: {self.status.replace('_', ' ')} ({counts}). {self.message}".strip()

    def body(self) -> dict[str, Any]:
        def cut(items: list) -> list:
            return items[:REPORT_LIST_LIMIT]

        changed = dict(list(self.changed.items())[:REPORT_LIST_LIMIT])
        return {
            "source": self.source,
            "fetched_at": self.fetched_at,
            "url": self.url,
            "status": self.status,
            "added": cut(self.added),
            "changed": changed,
            "disappeared": cut(self.disappeared),
            "rejected": cut(self.rejected),
            "counts": {
                "added": len(self.added),
                "changed": len(self.changed),
                "disappeared": len(self.disappeared),
                "unchanged": self.unchanged,
                "rejected": len(self.rejected),
            },
            "message": self.message,
        }


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _meta_keys(source: Source) -> tuple[str, str]:
    return f"feed:{source.name}:etag", f"feed:{source.name}:last_modified"


def _active_ids(catalog: Catalog, source: str) -> list[str]:
    rows = catalog.conn.execute(
        "SELECT id FROM resources WHERE source = ? AND status != 'inactive' ORDER BY id", (source,)
    )
    return [r[0] for r in rows]


def validators(catalog: Catalog | None, source: Source) -> tuple[str, str]:
    """The ETag and Last-Modified kept from the last fetch, or blanks when a full fetch is needed.

    Paged feeds are always fetched whole; a store without active records of the source (a fresh
    catalog) needs the data, not a 304.
    """
    if catalog is None or source.paged or not _active_ids(catalog, source.name):
        return "", ""
    etag_key, modified_key = _meta_keys(source)
    return catalog.meta(etag_key), catalog.meta(modified_key)


def fetch_source(
    source: Source,
    *,
    etag: str = "",
    last_modified: str = "",
    options: FetchOptions | None = None,
    progress: Progress | None = None,
) -> Fetched:
    """Fetch and decode one source (following pages for paged feeds); errors are kept, not raised."""
    options = options or FetchOptions()
    report = progress or silent
    kwargs: dict[str, Any] = dict(
        timeout=options.timeout, retries=options.retries, backoff=options.backoff, max_bytes=options.max_bytes
    )
    if options.sleep is not None:
        kwargs["sleep"] = options.sleep
    kwargs.update(
        total_timeout=options.request_deadline,
        until=time.monotonic() + options.source_deadline(),
        redirect_hosts=source.redirect_hosts,
    )
    url = feeds.build_url(source.url, source.query)
    fetched = Fetched(source=source, url=url, fetched_at=_now())
    label = f"Fetching {source.name}"
    try:
        report(0, 0, label)
        if not source.paged:
            response = feeds.fetch(
                source.url, query=source.query, etag=etag, last_modified=last_modified, **kwargs
            )
            fetched.response = response
            if not response.not_modified:
                fetched.data = feeds.decode_json(response.body, response.url, response.content_type)
            report(1, 1, label)
            return fetched
        pages: list[Any] = []
        page, total = 1, 1
        while page <= total:
            response = feeds.fetch(source.url, query={**source.query, "page": str(page)}, **kwargs)
            data = feeds.decode_json(response.body, response.url, response.content_type)
            if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
                raise feeds.FeedError(response.url, "page has no 'rows'; this is not a locator response")
            pages.append(data)
            try:
                total = min(int(data.get("totalPages") or 1), MAX_PAGES)
            except (TypeError, ValueError):
                total = page
            report(page, total, label)
            fetched.response = response
            page += 1
        fetched.data = pages
    except feeds.FeedError as exc:
        fetched.error = exc
    return fetched


def _rows(source: Source, data: Any, today: str) -> Iterator[tuple[int, Resource | None, list[Problem]]]:
    common = dict(
        as_of=today, source_key=source.name, source_url=source.source_url or source.url, file=source.name
    )
    if source.format == "meeting-guide":
        return meeting_guide.rows(data, fellowship=source.fellowship, release=True, **common)
    if source.format == "bmlt":
        return bmlt.rows(data, fellowship=source.fellowship or "NA", release=True, **common)
    if source.format == "findtreatment":
        return findtreatment.rows(data, release=True, **common)
    # Decoded JSON is data: hsds.tables_from_data never reads a path, whatever string the feed sent.
    tables = hsds.tables_from_data(data, source.name)
    return hsds.records_from_tables(tables, **common)


def _listed_ids(source: Source, data: Any) -> set[str]:
    """The ids of every item the feed lists, readable or not, so that a bad field never makes one 'gone'."""
    if source.format == "meeting-guide":
        items = data.get("meetings") if isinstance(data, dict) else data
        key = meeting_guide.record_id
    elif source.format == "bmlt":
        items = data.get("meetings") if isinstance(data, dict) else data
        key = bmlt.record_id
    elif source.format == "findtreatment":
        items = findtreatment.page_rows(data)
        key = findtreatment.record_id
    else:
        return set()
    listed = {key(item, source.name) for item in items} if isinstance(items, list) else set()
    listed.discard("")
    return listed


def _text(value: Any) -> str:
    if value is None or isinstance(value, float):
        return format_float(value)
    return value


def apply_fetched(
    catalog: Catalog,
    fetched: Fetched,
    *,
    dry_run: bool = False,
    force: bool = False,
    today: str | None = None,
    progress: Progress | None = None,
) -> RefreshReport:
    """Compare a fetched feed with the store and apply it (unless dry run, refused, or nothing changed).

    The catalog may be read-only for a dry run. Reports are saved except for dry runs and no-network.
    The decoded feed in `fetched.data` is consumed (freed as it is read) to keep memory down.
    """
    source = fetched.source
    report_progress = progress or silent
    today = today or date.today().isoformat()
    report = RefreshReport(source=source.name, url=fetched.url, fetched_at=fetched.fetched_at)
    if fetched.error is not None:
        report.status = "failed"
        report.no_network = fetched.no_network
        report.message = str(fetched.error)
        if not fetched.no_network and not dry_run:
            _save(catalog, report)
        return report
    if fetched.not_modified:
        report.status = "not_modified"
        report.message = "The feed has not changed since the last refresh (HTTP 304); nothing was written."
        if not dry_run:
            _save(catalog, report)
        return report

    records: dict[str, Resource] = {}
    invalid_ids: set[str] = set()
    count = 0
    report_progress(0, 0, f"Reading {source.name}")
    try:
        listed = _listed_ids(source, fetched.data)
        for row, record, problems in _rows(source, fetched.data, today):
            count += 1
            if record is not None and not problems:
                problems = feeds.check(record, row, source.name)
                if record.id in records:
                    problems.append(
                        Problem(
                            row,
                            "id",
                            f"'{record.id}' appears twice in the feed; the first was kept",
                            source.name,
                        )
                    )
            if problems:
                report.rejected.extend(str(p) for p in problems)
                if record is not None and record.id not in records:
                    invalid_ids.add(record.id)
                continue
            records[record.id] = record
            if count % 5000 == 0:
                report_progress(count, 0, f"Reading {source.name}")
    except (ValueError, TypeError, feeds.FeedError) as exc:
        report.status = "failed"
        report.message = f"the feed could not be read: {getattr(exc, 'message', exc)}"
        if not dry_run:
            _save(catalog, report)
        return report

    fetched.data = None  # the records are built; let the decoded feed go before the store is read
    active = _active_ids(catalog, source.name)
    # A row the feed still lists but that no longer passes our checks keeps its stored version: a
    # broken row must not make a listing disappear.
    for old in catalog.get_many(sorted((invalid_ids | listed) - set(records))):
        records[old.id] = old
    report_progress(0, len(records), f"Comparing {source.name}")
    ids = list(records)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stored = catalog.stored_rows(chunk)
        for rid in chunk:
            old = stored.get(rid)
            new = tuple(stored_values(records[rid]))
            if old is None:
                report.added.append(rid)
            elif old == new:
                report.unchanged += 1
            else:
                report.changed[rid] = {
                    name: [_text(a), _text(b)]
                    for name, a, b in zip(FIELD_NAMES, old, new)
                    if _text(a) != _text(b)
                }
        report_progress(min(start + 500, len(ids)), len(ids), f"Comparing {source.name}")
    report.disappeared = [rid for rid in active if rid not in records]

    lost_too_many = active and len(report.disappeared) * 2 > len(active)
    if lost_too_many and not force:
        report.status = "refused"
        report.message = (
            f"The feed no longer lists {len(report.disappeared)} of the {len(active)} active records "
            "(more than half): it may be broken, so nothing was applied. If the change is real, run the "
            "refresh again with --force."
        )
        if not dry_run:
            _save(catalog, report)
        return report
    if dry_run:
        report.status = "dry_run"
        report.message = "Dry run: nothing was written."
        return report
    report.status = "applied"
    if not report.has_changes:
        report.message = "No changes: nothing was written."
    else:
        report_progress(0, len(records), f"Applying {source.name}")
        catalog.import_records(
            list(records.values()),
            source=source.name,
            deactivate_missing=source.name,
            as_of=today,
            allow_rejected=True,
            save_report=False,
        )
        report_progress(len(records), len(records), f"Applying {source.name}")
        if lost_too_many:
            report.message = f"Applied with --force although {len(report.disappeared)} of {len(active)} records left the feed."
    _keep_validators(catalog, fetched)
    _save(catalog, report)
    return report


def _keep_validators(catalog: Catalog, fetched: Fetched) -> None:
    """Store the feed's ETag / Last-Modified for the next conditional request (only when they changed)."""
    if fetched.response is None or fetched.source.paged:
        return
    for key, value in zip(
        _meta_keys(fetched.source), (fetched.response.etag, fetched.response.last_modified)
    ):
        if catalog.meta(key) != value:
            catalog.set_meta(key, value)


def _save(catalog: Catalog, report: RefreshReport) -> None:
    catalog.save_report("refresh", report.source, report.summary(), report.body())


def refresh_source(
    catalog: Catalog,
    source: Source,
    *,
    dry_run: bool = False,
    force: bool = False,
    options: FetchOptions | None = None,
    today: str | None = None,
    progress: Progress | None = None,
) -> RefreshReport:
    """Fetch one source and apply it to the catalog; see `apply_fetched` for what is written."""
    etag, last_modified = validators(catalog, source) if not force else ("", "")
    fetched = fetch_source(source, etag=etag, last_modified=last_modified, options=options, progress=progress)
    return apply_fetched(catalog, fetched, dry_run=dry_run, force=force, today=today, progress=progress)
