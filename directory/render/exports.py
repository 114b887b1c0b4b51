"""Referral-list exports: one entry point, `export_referral_list`, for CSV, Excel, PDF, print HTML and iCalendar.

The formats themselves live beside this module (spreadsheet.py, pdf.py, print_html.py; schedules in
directory.schedule); this one puts a referral list into each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from directory import schedule
from directory.render.facts import (
    UID_DOMAIN,
    ItemFacts,
    legend_entries,
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
from directory.words import count_words, language, t, using

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
    lang: str = "en",
) -> bytes:
    """The referral list as a file in `fmt` (a key of EXPORT_FORMATS), resources in the order given.

    `notes` and `distances` are keyed by resource id; a distance is miles or a label such as "online".
    `generated` stamps the file (default: now in America/Chicago), which makes output reproducible in tests.
    `lang` is the file's language ("en" or "es"), chosen apart from the screen's: headers, labels,
    vocabulary, dates and times; catalog text (names, notes) stays as written.
    Raises ValueError for an unknown format and FontMissing when a PDF cannot be made.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"'{fmt}' is not an export format; use one of: {', '.join(EXPORT_FORMATS)}")
    with using(lang):
        return _export(
            list(resources), fmt, dict(notes or {}), dict(distances or {}), origin_label, generated
        )


def _export(resources, fmt, notes, distances, origin_label, generated) -> bytes:
    stamp = _stamp(generated)
    if fmt in ("csv", "xlsx"):
        rows = spreadsheet_rows(resources, notes, distances, origin_label, today=stamp.date())
        return csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows, stamp)
    if fmt == "ics":
        return _ics(resources, stamp)
    facts = [
        resource_facts(
            r,
            distance=distances.get(r.id),
            note=notes.get(r.id, ""),
            origin_label=origin_label,
            today=stamp.date(),
        )
        for r in resources
    ]
    count = count_words("printout.resources", len(resources))
    summary = t("printout.summary", count=count, date=long_date(stamp))
    legend = legend_entries(resources)
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
    title, call_ahead = t("list.title"), t("printout.call_ahead")
    doc = PrintDocument(title, footer=f"{t('printout.made', date=long_date(stamp))} {call_ahead}")
    origin_text = f" {t('printout.distances_from', origin=origin)}" if origin else ""
    doc.title_block(title, f"{summary}{origin_text} {call_ahead}")
    for number, item in enumerate(facts, start=1):
        doc.resource_block(item, number=number)
    doc.legend_block(legend)
    return bytes(doc.output())


def _html(facts: Sequence[ItemFacts], legend: Sequence[tuple[str, str]], summary: str, origin: str) -> bytes:
    blocks = "\n".join(resource_article(item, number=n) for n, item in enumerate(facts, start=1))
    title = t("list.title")
    origin_text = (
        " " + esc(t("printout.distances_from", origin="\x00")).replace("\x00", bdi(origin)) if origin else ""
    )
    body = (
        f'<h1>{esc(title)}</h1><p class="meta">{esc(summary)}{origin_text} {esc(t("printout.call_ahead"))}</p>\n'
        f"{blocks}\n{legend_section(legend)}"
    )
    return html_document(title, body).encode("utf-8")


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
            resource.name.strip() or t("printout.meeting"),
            slot,
            first_date=stamp.date(),
            location=meeting_location(resource),
            url=meeting_url(resource),
            description=meeting_description(resource),
            stamp=stamp,
            lang=language(),
        )
        for resource in resources
        for slot in resource.schedule
    ]
    return schedule.calendar(events, t("printout.ics_list"), lang=language())
