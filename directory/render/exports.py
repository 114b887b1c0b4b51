"""Referral-list exports: one entry point, `export_referral_list`, for CSV, Excel, PDF, print HTML and iCalendar.

The formats themselves live beside this module (spreadsheet.py, pdf.py, print_html.py; schedules in
directory.schedule); this one puts a referral list into each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from directory import schedule
from directory.render import legend as meeting_legend
from directory.render.facts import (
    CALL_AHEAD,
    UID_DOMAIN,
    ItemFacts,
    long_date,
    meeting_description,
    meeting_location,
    meeting_url,
    resource_facts,
)
from directory.render.pdf import FontMissing, PrintDocument
from directory.render.print_html import bdi, esc, html_document, legend_section, resource_article
from directory.render.spreadsheet import csv_bytes, neutralise, spreadsheet_rows, xlsx_bytes
from directory.schema import Resource

# FontMissing and neutralise are part of this module's interface (the command line and tests use them).
__all__ = ["EXPORT_FORMATS", "FontMissing", "export_referral_list", "neutralise"]

EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", "referral-list.csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "referral-list.xlsx"),
    "pdf": ("application/pdf", "referral-list.pdf"),
    "html": ("text/html", "referral-list.html"),
    "ics": ("text/calendar", "referral-list.ics"),
}


def export_referral_list(
    resources: Iterable[Resource],
    fmt: str,
    *,
    notes: Mapping[str, str] | None = None,
    distances: Mapping[str, float | str | None] | None = None,
    origin_label: str = "",
    generated: datetime | date | None = None,
) -> bytes:
    """The referral list as a file in `fmt` (a key of EXPORT_FORMATS), resources in the order given.

    `notes` and `distances` are keyed by resource id; a distance is miles or a label such as "online".
    `generated` stamps the file (default: now in America/Chicago), which makes output reproducible in tests.
    Raises ValueError for an unknown format and FontMissing when a PDF cannot be made.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"'{fmt}' is not an export format; use one of: {', '.join(EXPORT_FORMATS)}")
    resources = list(resources)
    notes, distances = dict(notes or {}), dict(distances or {})
    stamp = _stamp(generated)
    if fmt in ("csv", "xlsx"):
        rows = spreadsheet_rows(resources, notes, distances, origin_label)
        return csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows, stamp)
    if fmt == "ics":
        return _ics(resources, stamp)
    facts = [
        resource_facts(r, distance=distances.get(r.id), note=notes.get(r.id, ""), origin_label=origin_label)
        for r in resources
    ]
    count = "1 resource" if len(resources) == 1 else f"{len(resources)} resources"
    summary = f"{count}, made {long_date(stamp)}."
    legend = meeting_legend.legend(resources)
    if fmt == "pdf":
        return _pdf(facts, legend, summary, origin_label, stamp)
    return _html(facts, legend, summary, origin_label)


def _stamp(generated: datetime | date | None) -> datetime:
    if generated is None:
        return datetime.now(schedule.TZ)
    if not isinstance(generated, datetime):
        return datetime.combine(generated, datetime.min.time(), tzinfo=schedule.TZ)
    return generated if generated.tzinfo else generated.replace(tzinfo=schedule.TZ)


def _pdf(
    facts: Sequence[ItemFacts], legend: Sequence[tuple[str, str]], summary: str, origin: str, stamp: datetime
) -> bytes:
    doc = PrintDocument("Referral list", footer=f"made {long_date(stamp)}. {CALL_AHEAD}")
    origin_text = f" Distances from {origin}." if origin else ""
    doc.title_block("Referral list", f"{summary}{origin_text} {CALL_AHEAD}")
    for number, item in enumerate(facts, start=1):
        doc.resource_block(item, number=number)
    doc.legend_block(legend)
    return bytes(doc.output())


def _html(facts: Sequence[ItemFacts], legend: Sequence[tuple[str, str]], summary: str, origin: str) -> bytes:
    blocks = "\n".join(resource_article(item, number=n) for n, item in enumerate(facts, start=1))
    origin_text = f" Distances from {bdi(origin)}." if origin else ""
    body = (
        f'<h1>Referral list</h1><p class="meta">{esc(summary)}{origin_text} {esc(CALL_AHEAD)}</p>\n'
        f"{blocks}\n{legend_section(legend)}"
    )
    return html_document("Referral list", body).encode("utf-8")


def _day_index(resource: Resource, slot) -> int:
    return sorted(s for s in resource.schedule if s.weekday == slot.weekday).index(slot) + 1


def _ics(resources: Sequence[Resource], stamp: datetime) -> bytes:
    """Every weekly slot of every meeting as a recurring event in America/Chicago, from the stamp's date.

    A slot's UID is the resource, the weekday and the slot's place among that day's slots (not its time),
    and SEQUENCE grows with every export: a calendar app that imported an earlier file updates the event,
    a moved time included, instead of adding a second one.
    """
    events = [
        schedule.weekly_event(
            f"{resource.id}-{slot.weekday}-{_day_index(resource, slot)}@{UID_DOMAIN}",
            resource.name.strip() or "Meeting",
            slot,
            first_date=stamp.date(),
            location=meeting_location(resource),
            url=meeting_url(resource),
            description=meeting_description(resource),
            stamp=stamp,
        )
        for resource in resources
        for slot in resource.schedule
    ]
    return schedule.calendar(events, "Referral list meetings")
