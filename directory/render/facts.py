"""The facts every printout states about one resource (kind, where, when, source), as plain text.

The text is still untrusted catalog text: each output format escapes or filters it in its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from directory import dates
from directory.freshness import certainty, next_step
from directory.render import legend as meeting_legend
from directory.render import qr
from directory.schema import Resource, Slot
from directory.sources import source_name
from directory.words import ENGLISH, care_text, language, t, vocab

# The English sentence (tests and older callers compare with it); printouts say t("printout.call_ahead").
CALL_AHEAD = ENGLISH["printout.call_ahead"]
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
    has_phone: bool = False  # `phones` holds numbers (not the words saying where to find one)

    def source_words(self) -> str:
        """'SAMHSA, as of 2026-05-01' (es: 'SAMHSA, datos del 1 de mayo de 2026'), in the current language."""
        key = "printout.source_added" if self.undated else "printout.source_as_of"
        return t(key, source=self.source, as_of=as_of_words(self.as_of))

    def keyed_lines(self) -> list[tuple[str, str, str]]:
        """(field, label, value) in print order: the field ("phone", "website", "source"…) tells a format
        how to draw the line, the label is in the current language; empty values stay in."""
        source = self.source_words() + (f" ({self.source_url})" if self.source_url else "")
        fields = (
            ("kind", self.kind),
            ("care", self.care),
            ("where", self.where),
            ("distance", self.distance),
            ("phone", self.phones),
            ("website", self.website),
            ("join", self.join),
            ("schedule", self.schedule),
            ("status", self.status),
            ("note", self.note),
            ("listing", self.certainty),
            ("source", source),
        )
        return [(name, t(f"printout.label_{name}"), value) for name, value in fields]

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) in print order; empty values stay in so each format decides what to skip."""
        return [(label_text, value) for _, label_text, value in self.keyed_lines()]

    @property
    def large_phone(self) -> str:
        """The phone to print in large type when the listing has no QR code (issue 10): its first number."""
        if self.qr_url or not self.has_phone:
            return ""
        return self.phones.split("; ")[0]


def clip(text: object, limit: int = PRINT_LIMIT) -> str:
    """The text cut to `limit` characters with an ellipsis, so one field cannot take over a page."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Dates, times and vocabulary below are said in the current language (`directory.translation.using`):
# every render entry point sets the printout's language for the time it runs.


def long_date(day: date | datetime) -> str:
    """'June 1, 2026' (es: '1 de junio de 2026')."""
    return dates.long_date(day, language())


def as_of_words(text: str) -> str:
    """A source's ISO date as printed: as written in English ('2026-05-01'), in words in another language."""
    if language() == "en":
        return text
    try:
        return dates.long_date(date.fromisoformat(text), language())
    except (TypeError, ValueError):
        return text


def clock(hhmm: str) -> str:
    """'19:30' -> '7:30 PM' (es: '7:30 p. m.'), the way people in Illinois read times."""
    return dates.time_words(hhmm, language())


def time_range(slot: Slot) -> str:
    """'7:00 PM–8:30 PM', or only the start when the slot has no end."""
    return f"{clock(slot.start)}–{clock(slot.end)}" if slot.end else clock(slot.start)


def slot_text(slot: Slot) -> str:
    """'Tuesday 7:00 PM–8:30 PM' (es: 'martes 7:00 p. m.–8:30 p. m.')."""
    return f"{dates.weekday_name(slot.weekday, language())} {time_range(slot)}"


def subcategory_words(value: str) -> str:
    """A kind of place: 'sober living' as the printouts always wrote it; in another language its label."""
    if not value:
        return ""
    return value.replace("_", " ") if language() == "en" else vocab("subcategory", value)


def kind_text(resource: Resource) -> str:
    """'Support group · AA · In person'."""
    parts = [vocab("category", resource.category)]
    if resource.subcategory:
        parts.append(subcategory_words(resource.subcategory))
    if resource.fellowship:
        parts.append(resource.fellowship)
    if resource.format:
        parts.append(vocab("format", resource.format))
    return " · ".join(p for p in parts if p)


def legend_entries(resources) -> list[tuple[str, str]]:
    """The meeting codes the resources use, each with its meaning in the current language."""
    known = {code.upper() for code in meeting_legend.MEETING_TYPES}
    return [
        (code, vocab("meeting_types", code) if code.upper() in known else t("printout.unknown_code"))
        for code, _ in meeting_legend.legend(resources)
    ]


def where_text(resource: Resource) -> str:
    """The street address, or 'Online' / 'By phone' / 'Statewide' when the resource has no place to go."""
    street = ", ".join(p for p in (resource.address, resource.address2, resource.city) if p)
    region = " ".join(p for p in (resource.state, resource.zip) if p)
    address = ", ".join(p for p in (street, region) if p)
    if resource.format == "online":
        return t("printout.online")
    if resource.format == "phone":
        return t("printout.by_phone")
    if resource.format == "hybrid":
        return t("printout.also_online", address=address) if address else t("printout.online")
    if address:
        return address
    return vocab("coverage", resource.coverage) if resource.coverage != "local" else ""


def distance_text(value: float | str | None, origin_label: str = "") -> str:
    """'2.3 mi from 60614' for miles, a label such as 'online' as given, '' for no distance."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)):
        miles = f"{value:.1f}"
        if origin_label:
            return t("printout.miles_from", miles=miles, origin=origin_label)
        return t("printout.miles", miles=miles)
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
    status = vocab("status", resource.status) if resource.status != "active" else ""
    if resource.verification == "unconfirmed":
        status = "; ".join(p for p in (status, vocab("verification", resource.verification)) if p)
    join = qr.safe_url(resource.conference_url)
    if resource.conference_phone:
        join = "; ".join(p for p in (join, t("printout.join_by_phone", phone=resource.conference_phone)) if p)
    return ItemFacts(
        name=resource.name.strip() or t("printout.no_name"),
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
        has_phone=bool(resource.phones),
    )


def _next_step_text(resource: Resource) -> str:
    """A listing without a phone says so and where to look, never a blank line."""
    step = next_step(resource)
    return f"{step.words}: {qr.safe_url(step.url)}" if step and qr.safe_url(step.url) else ""


def meeting_description(resource: Resource) -> str:
    """The text of a calendar event: kind, how to join, source and as-of date, and a reminder to call ahead."""
    lines = [kind_text(resource)]
    if resource.format in ("online", "hybrid") and qr.safe_url(resource.conference_url):
        lines.append(t("printout.ics_join", url=resource.conference_url))
    if resource.conference_phone:
        lines.append(t("printout.ics_join_phone", phone=resource.conference_phone))
    if resource.phones:
        lines.append(t("printout.ics_phone", phones="; ".join(resource.phones)))
    if resource.meeting_types:
        codes = ", ".join(
            c if meeting_legend.meaning(c) == c else f"{c} = {vocab('meeting_types', c)}"
            for c in resource.meeting_types
        )
        lines.append(t("printout.ics_codes", codes=codes))
    key = "printout.ics_source_added" if resource.date_basis == "added" else "printout.ics_source"
    lines.append(t(key, source=resource.source, url=resource.source_url, as_of=as_of_words(resource.as_of)))
    lines.append(t("printout.call_ahead"))
    return "\n".join(lines)


def meeting_location(resource: Resource) -> str:
    """Where a calendar event happens: the join link of an online meeting, else the address."""
    if resource.format == "online":
        return qr.safe_url(resource.conference_url) or t("printout.online")
    return where_text(resource)


def meeting_url(resource: Resource) -> str:
    """The link a calendar event carries: the join link, else the website (http(s) only)."""
    return qr.safe_url(resource.conference_url) or qr.safe_url(resource.website)
