"""The facts every printout states about one resource (kind, where, when, source), as plain text.

The text is still untrusted catalog text: each output format escapes or filters it in its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from directory.freshness import certainty, next_step
from directory.render import legend as meeting_legend
from directory.render import qr
from directory.schema import WEEKDAY_NAMES, Resource, Slot, label
from directory.sources import source_name
from directory.words import care_text

CALL_AHEAD = "Call ahead to confirm: times, addresses and phone numbers change."
UID_DOMAIN = "illinois-aftercare-directory"
# Longest text a printout shows from one catalog field; beyond this a hostile value would only push layout.
PRINT_LIMIT = 600


@dataclass(frozen=True)
class ItemFacts:
    """What a printout says about one resource, as plain (still untrusted) text."""

    name: str
    kind: str
    where: str
    phones: str
    website: str
    join: str
    schedule: str
    distance: str
    note: str
    status: str
    source: str
    source_url: str
    as_of: str
    qr_url: str
    care: str = ""  # the kind of care and the medications offered
    certainty: str = ""  # how sure and how old the listing is, in words
    undated: bool = False  # as_of is the day the listing was added, not a date its source gives

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) in print order; empty values stay in so each format decides what to skip."""
        dated = (
            f"{self.source}, as of {self.as_of}" if not self.undated else f"{self.source}, added {self.as_of}"
        )
        source = dated + (f" ({self.source_url})" if self.source_url else "")
        return [
            ("Kind", self.kind),
            ("Care", self.care),
            ("Where", self.where),
            ("Distance", self.distance),
            ("Phone", self.phones),
            ("Website", self.website),
            ("Join", self.join),
            ("Schedule", self.schedule),
            ("Status", self.status),
            ("Note", self.note),
            ("Listing", self.certainty),
            ("Source", source),
        ]


def clip(text: object, limit: int = PRINT_LIMIT) -> str:
    """The text cut to `limit` characters with an ellipsis, so one field cannot take over a page."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def long_date(day: date | datetime) -> str:
    """'June 1, 2026'."""
    return f"{day:%B} {day.day}, {day.year}"


def clock(hhmm: str) -> str:
    """'19:30' -> '7:30 PM', the way people in Illinois read times."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    return f"{(hour % 12) or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def time_range(slot: Slot) -> str:
    """'7:00 PM–8:30 PM', or only the start when the slot has no end."""
    return f"{clock(slot.start)}–{clock(slot.end)}" if slot.end else clock(slot.start)


def slot_text(slot: Slot) -> str:
    """'Tuesday 7:00 PM–8:30 PM'."""
    return f"{WEEKDAY_NAMES[slot.weekday]} {time_range(slot)}"


def kind_text(resource: Resource) -> str:
    """'Support group · AA · In person'."""
    parts = [label("category", resource.category)]
    if resource.subcategory:
        parts.append(resource.subcategory.replace("_", " "))
    if resource.fellowship:
        parts.append(resource.fellowship)
    if resource.format:
        parts.append(label("format", resource.format))
    return " · ".join(p for p in parts if p)


def where_text(resource: Resource) -> str:
    """The street address, or 'Online' / 'By phone' / 'Statewide' when the resource has no place to go."""
    street = ", ".join(p for p in (resource.address, resource.address2, resource.city) if p)
    region = " ".join(p for p in (resource.state, resource.zip) if p)
    address = ", ".join(p for p in (street, region) if p)
    if resource.format == "online":
        return "Online"
    if resource.format == "phone":
        return "By phone"
    if resource.format == "hybrid":
        return f"{address} · also online" if address else "Online"
    if address:
        return address
    return label("coverage", resource.coverage) if resource.coverage != "local" else ""


def distance_text(value: float | str | None, origin_label: str = "") -> str:
    """'2.3 mi from 60614' for miles, a label such as 'online' as given, '' for no distance."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)):
        text = f"{value:.1f} mi"
        return f"{text} from {origin_label}" if origin_label else text
    return str(value)


def resource_facts(
    resource: Resource,
    *,
    distance: float | str | None = None,
    note: str = "",
    origin_label: str = "",
    today: date | None = None,
) -> ItemFacts:
    """The facts of one resource, with only http(s) links kept; its age is stated as of `today` (default now)."""
    status = label("status", resource.status) if resource.status != "active" else ""
    if resource.verification == "unconfirmed":
        status = "; ".join(p for p in (status, label("verification", resource.verification)) if p)
    join = qr.safe_url(resource.conference_url)
    if resource.conference_phone:
        join = "; ".join(p for p in (join, f"by phone {resource.conference_phone}") if p)
    return ItemFacts(
        name=resource.name.strip() or "(no name given)",
        kind=kind_text(resource),
        where=where_text(resource),
        phones="; ".join(resource.phones) or _next_step_text(resource),
        website=qr.safe_url(resource.website),
        join=join,
        schedule="; ".join(slot_text(s) for s in resource.schedule) or resource.hours,
        distance=distance_text(distance, origin_label),
        note=note,
        status=status,
        source=source_name(resource.source),
        source_url=qr.safe_url(resource.source_url),
        as_of=resource.as_of,
        qr_url=qr.resource_url(resource),
        care=care_text(resource, labelled=False),
        certainty=certainty(resource, today).words,
        undated=resource.date_basis == "added",
    )


def _next_step_text(resource: Resource) -> str:
    """A listing without a phone says so and where to look, never a blank line."""
    step = next_step(resource)
    return f"{step.words}: {qr.safe_url(step.url)}" if step and qr.safe_url(step.url) else ""


def meeting_description(resource: Resource) -> str:
    """The text of a calendar event: kind, how to join, source and as-of date, and a reminder to call ahead."""
    lines = [kind_text(resource)]
    if resource.format in ("online", "hybrid") and qr.safe_url(resource.conference_url):
        lines.append(f"Join: {resource.conference_url}")
    if resource.conference_phone:
        lines.append(f"Join by phone: {resource.conference_phone}")
    if resource.phones:
        lines.append(f"Phone: {'; '.join(resource.phones)}")
    if resource.meeting_types:
        codes = ", ".join(
            c if meeting_legend.meaning(c) == c else f"{c} = {meeting_legend.meaning(c)}"
            for c in resource.meeting_types
        )
        lines.append(f"Codes: {codes}")
    when = "added" if resource.date_basis == "added" else "as of"
    lines.append(f"Source: {resource.source} ({resource.source_url}), {when} {resource.as_of}.")
    lines.append(CALL_AHEAD)
    return "\n".join(lines)


def meeting_location(resource: Resource) -> str:
    """Where a calendar event happens: the join link of an online meeting, else the address."""
    if resource.format == "online":
        return qr.safe_url(resource.conference_url) or "Online"
    return where_text(resource)


def meeting_url(resource: Resource) -> str:
    """The link a calendar event carries: the join link, else the website (http(s) only)."""
    return qr.safe_url(resource.conference_url) or qr.safe_url(resource.website)
