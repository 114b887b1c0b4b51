"""The continuing-care plan as PDF, print HTML and a "first 30 days" calendar, all from one `CarePlan`.

What each section says comes from render/plan_content.py; this module draws those blocks in each format.
Sections print in DESIGN.md's order and only when switched on; the crisis lines always print. A plan naming
a resource the catalog no longer has prints without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from directory import dates, schedule
from directory.plans import CarePlan, parse_when
from directory.render.facts import UID_DOMAIN, meeting_description, meeting_location, meeting_url
from directory.render.pdf import PrintDocument
from directory.render.plan_content import (
    CALENDAR_DAYS,
    Block,
    Bullets,
    Facts,
    Item,
    PlanView,
    ResourceEntries,
    Signatures,
    Text,
    Week,
    appointment_facts,
    calendar_start,
    catalog_crisis_lines,
)
from directory.render.print_html import (
    WRITE_IN,
    bdi,
    bullet_list,
    esc,
    fact_list,
    html_document,
    html_link,
    legend_section,
    resource_article,
)
from directory.schema import Resource
from directory.words import language, t, using

# catalog_crisis_lines is imported from here by the command line and the Care plan page.
__all__ = ["CALENDAR_DAYS", "catalog_crisis_lines", "render_plan_html", "render_plan_ics", "render_plan_pdf"]


# --- PDF --------------------------------------------------------------------------------------------------


def render_plan_pdf(
    plan: CarePlan,
    resources: Sequence[Resource],
    paper: str = "letter",
    *,
    catalog_lines: Iterable[Resource] = (),
    lang: str = "en",
) -> bytes:
    """The plan as a PDF on US Letter or A4 in `lang` ("en" or "es", chosen apart from the screen's;
    catalog text stays as written). Raises FontMissing when DejaVu Sans is not installed."""
    with using(lang):
        view = PlanView(plan, resources, catalog_lines)
        title, who = view.title()
        doc = PrintDocument(title, paper=paper, footer=t("printout.call_ahead"))
        doc.title_block(f"{title} {who}".strip(), t("printout.crisis_banner"))
        for section in view.sections():
            doc.heading(section.title)
            for block in section.blocks:
                _draw(doc, block)
        return bytes(doc.output())


def _draw(doc: PrintDocument, block: Block) -> None:
    if isinstance(block, Facts):
        doc.facts(block.rows, blank_lines=block.blank_lines)
    elif isinstance(block, Bullets):
        for line in block.items:
            doc.bullet(line)
    elif isinstance(block, Text):
        doc.paragraph(block.text, size=9 if block.small else 10)
    elif isinstance(block, Item):
        doc.paragraph(block.title, bold=True)
        doc.facts(block.rows, blank_lines=False)
        doc.ln(1)
    elif isinstance(block, Week):
        current = None
        for row in block.rows:
            if row.weekday != current:
                current = row.weekday
                doc.keep_room(16)
                doc.paragraph(dates.weekday_label(row.weekday, language()), bold=True)
            name = row.meeting.name.strip() or t("printout.meeting")
            doc.bullet(f"{row.time}  {name} — {_place_text(row.meeting)}")
    elif isinstance(block, ResourceEntries):
        doc.ln(1)
        for number, facts in enumerate(block.items, start=1):
            doc.resource_block(facts, number=number, qr_size=20)
        doc.legend_block(block.legend)
    elif isinstance(block, Signatures):
        for who in block.who:
            doc.ln(4)
            doc.paragraph(f"{who}: {'_' * 38}   {block.date_label}: {'_' * 14}")


def _place_text(meeting: Resource) -> str:
    place = meeting_location(meeting)
    if meeting.format == "hybrid" and meeting.conference_url:
        place += " " + t("printout.join_online", url=meeting.conference_url)
    return place


# --- print HTML -------------------------------------------------------------------------------------------


def render_plan_html(
    plan: CarePlan,
    resources: Sequence[Resource],
    *,
    catalog_lines: Iterable[Resource] = (),
    lang: str = "en",
) -> str:
    """The plan as one self-contained HTML page for printing in `lang` (no scripts, no remote files)."""
    with using(lang):
        view = PlanView(plan, resources, catalog_lines)
        title, who = view.title()
        parts = [
            f"<h1>{esc(title)} {bdi(who)}</h1>",
            f'<p class="meta">{esc(t("printout.crisis_banner"))}</p>',
        ]
        for section in view.sections():
            blocks = "".join(_markup(block) for block in section.blocks)
            parts.append(
                f'<section class="section" id="{section.key}"><h2>{esc(section.title)}</h2>{blocks}</section>'
            )
        return html_document(f"{title} {who}".strip(), "\n".join(parts))


def _markup(block: Block) -> str:
    if isinstance(block, Facts):
        return fact_list(block.rows, blank_lines=block.blank_lines)
    if isinstance(block, Bullets):
        return bullet_list(block.items)
    if isinstance(block, Text):
        return f'<p class="small">{esc(block.text)}</p>' if block.small else f"<p>{esc(block.text)}</p>"
    if isinstance(block, Item):
        return f"<h3>{bdi(block.title)}</h3>{fact_list(block.rows, blank_lines=False)}"
    if isinstance(block, Week):
        body = "".join(
            f"<tr><td>{esc(dates.weekday_label(r.weekday, language()))}</td><td>{esc(r.time)}</td>"
            f"<td>{bdi(r.meeting.name.strip() or t('printout.meeting'))}</td>"
            f"<td>{_place_markup(r.meeting)}</td></tr>"
            for r in block.rows
        )
        heads = "".join(
            f"<th>{esc(t(key))}</th>"
            for key in ("printout.day", "printout.time", "printout.meeting", "printout.label_where")
        )
        return (
            '<table><colgroup><col style="width:16%"><col style="width:20%"><col style="width:32%">'
            f'<col style="width:32%"></colgroup><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>'
        )
    if isinstance(block, ResourceEntries):
        entries = "".join(resource_article(facts, number=n) for n, facts in enumerate(block.items, start=1))
        return entries + legend_section(block.legend)
    if isinstance(block, Signatures):
        short = '<span class="write-in short">&nbsp;</span>'
        return "".join(f"<p>{esc(who)}: {WRITE_IN} {esc(block.date_label)}: {short}</p>" for who in block.who)
    raise TypeError(f"no HTML for {type(block).__name__}")


def _place_markup(meeting: Resource) -> str:
    if meeting.format == "online":
        return html_link(meeting.conference_url) or esc(t("printout.online"))
    place = bdi(meeting_location(meeting))
    link = html_link(meeting.conference_url) if meeting.format == "hybrid" else ""
    return f"{place}<br>{link}" if link else place


# --- calendar ---------------------------------------------------------------------------------------------


def render_plan_ics(
    plan: CarePlan,
    resources: Sequence[Resource],
    *,
    stamp: datetime | None = None,
    today: date | None = None,
    lang: str = "en",
) -> bytes:
    """The first 30 days: one event per occurrence of every picked meeting, and the appointments; the
    events' words (summary, description, location) in `lang`."""
    with using(lang):
        return _plan_ics(plan, resources, stamp, today)


def _plan_ics(plan: CarePlan, resources: Sequence[Resource], stamp, today) -> bytes:
    view = PlanView(plan, resources)
    lang = language()
    start = calendar_start(plan, today)
    events = []
    if plan.schedule.include:
        for meeting in view.meetings:
            for _slot, begins, ends in schedule.occurrences_between(meeting.schedule, start, CALENDAR_DAYS):
                events.append(
                    schedule.single_event(
                        f"{meeting.id}-{begins:%Y%m%dT%H%M}@{UID_DOMAIN}",
                        meeting.name.strip() or t("printout.meeting"),
                        begins,
                        ends,
                        location=meeting_location(meeting),
                        url=meeting_url(meeting),
                        description=meeting_description(meeting),
                        stamp=stamp,
                        lang=lang,
                    )
                )
    if plan.appointments.include:
        for n, appointment in enumerate(plan.appointments.items, start=1):
            when = parse_when(appointment.when)
            if when is None:
                continue
            details = [f"{name}: {value}" for name, value in appointment_facts(appointment)[1:] if value]
            events.append(
                schedule.single_event(
                    f"appointment-{n}-{when:%Y%m%dT%H%M}@{UID_DOMAIN}",
                    t("printout.ics_appointment", where=appointment.where or t("printout.ics_see_plan")),
                    when,
                    when + timedelta(hours=1),
                    location=appointment.where,
                    description="\n".join(details),
                    stamp=stamp,
                    lang=lang,
                )
            )
    return schedule.calendar(events, t("printout.ics_first_days", days=CALENDAR_DAYS), lang=lang)
