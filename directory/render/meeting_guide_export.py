"""Meetings as a Meeting Guide JSON feed (Code for Recovery's format), in the form meeting finders show.

What the readers need, and what we write for it:

- one entry per weekday and time (`day` a single number): the TSML UI loader and the Meeting Guide app
  read `day` as one number. A meeting with one slot keeps its id as slug; one with several gets
  `<id>-<mon|tue|...>-<HHMM>`, so a slot keeps its slug when another slot is added or dropped;
- `timezone` on every entry (our times are America/Chicago wall-clock times);
- `approximate: "yes"` only when the entry has no street address (an online meeting placed by its
  city); coordinates are written only when they are the address's own, so a reader never puts a pin
  on a city centre and calls it the meeting;
- type codes only from the spec's list (types.json and the draft schema's enum): "ONL" is not one;
  readers take a meeting as online from its `conference_url` / `conference_phone`, and those are
  written only when the record has them (never for a temporarily closed meeting, which gets TC);
- fields without a value are left out, never written as "".

Inactive meetings are left out. Addresses are written exactly as the record holds them.
"""

from __future__ import annotations

import hashlib
import json

from directory import phones
from directory.importers.meeting_guide import TYPES
from directory.schema import TIMEZONE, Resource, Slot

DAY_SLUGS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLUG_LIMIT = 64  # the spec's maxLength for slug
# Codes in the spec's types.json that its draft JSON Schema (schema-branch-meeting-type.schema.json) does
# not list yet; readers validating against the schema would refuse them, so we do not write them.
NOT_IN_DRAFT_SCHEMA = frozenset({"AF", "AR", "BG", "FI", "IS", "KA", "MT", "NE", "NL", "SL"})
# Our field values back to a type code, so readers see languages and access we know from elsewhere.
CODES: dict[tuple[str, str], str] = {}
for _code, (_meaning, _field, _value) in TYPES.items():
    if _code not in NOT_IN_DRAFT_SCHEMA:
        CODES.setdefault((_field, _value), _code)
# Codes we never write: ONL is no spec code (readers use the conference fields instead).
NOT_WRITTEN = frozenset({"ONL"}) | NOT_IN_DRAFT_SCHEMA


def entry_slug(record_id: str, slot: Slot, several: bool) -> str:
    """The entry's slug: the record id, with weekday and start time when the meeting has several slots."""
    suffix = f"-{DAY_SLUGS[slot.weekday]}-{slot.start.replace(':', '')}" if several else ""
    base = record_id
    if len(base) + len(suffix) > SLUG_LIMIT:
        digest = hashlib.sha1(record_id.encode()).hexdigest()[:8]
        base = f"{record_id[: SLUG_LIMIT - len(suffix) - 9].rstrip('-')}-{digest}"
    return base + suffix


def conference_phone(text: str) -> str:
    """The dial-in number in the digits-only form the spec asks for (`+13125550100,,123#`); "" if none.

    Only the number is rewritten (to E.164); the one-tap part after it is kept as the record has it.
    """
    text = (text or "").strip()
    cut = min((i for i in (text.find(c) for c in ",*#") if i >= 0), default=len(text))
    number = phones.e164(text[:cut])
    return number + text[cut:].replace(" ", "") if number else ""


def _types(r: Resource, closed: bool) -> list[str]:
    types = [code for code in r.meeting_types if code not in NOT_WRITTEN and code != "TC"]
    if closed:
        types.append("TC")
    for field_name in ("populations", "languages", "accessibility"):
        for value in getattr(r, field_name):
            code = CODES.get((field_name, value))
            if code and code not in types:
                types.append(code)
    return types


def meeting_entries(records: list[Resource]) -> list[dict]:
    """Feed entries for the records that are meetings with a weekly schedule (others are skipped)."""
    entries: list[dict] = []
    for r in sorted(records, key=lambda x: x.id):
        if r.category != "support_group" or not r.schedule or r.status == "inactive":
            continue
        closed = r.status == "temporarily_closed"
        common: dict = {"name": r.name, "timezone": TIMEZONE}
        types = _types(r, closed)
        if types:
            common["types"] = types
        if r.format != "online" and r.address:
            place = {"location": r.address2, "address": r.address}
        else:
            place = {}
        place.update(city=r.city, state=r.state, postal_code=r.zip)
        if place.get("address") or place["city"] or place["postal_code"]:
            place["country"] = "US"
            if not place.get("address"):
                place["approximate"] = "yes"
        if r.has_location and r.geocode_precision == "address" and place.get("address"):
            place.update(latitude=r.latitude, longitude=r.longitude)
        common.update({k: v for k, v in place.items() if v not in ("", None)})
        if not closed:
            if r.conference_url:
                common["conference_url"] = r.conference_url
            dial_in = conference_phone(r.conference_phone)
            if dial_in:
                common["conference_phone"] = dial_in
        if r.description:
            common["notes"] = r.description
        if r.organization:
            common["group"] = r.organization
        if r.website or r.source_url:
            common["url"] = r.website or r.source_url
        common["updated"] = f"{r.as_of} 00:00:00"
        slots = sorted(set(r.schedule))
        for slot in slots:
            entry = {**common, "slug": entry_slug(r.id, slot, len(slots) > 1)}
            entry["day"] = (slot.weekday + 1) % 7  # Monday 0 → Meeting Guide's Monday 1 (Sunday 0)
            entry["time"] = slot.start
            if slot.end:
                entry["end_time"] = slot.end
            entries.append(entry)
    return entries


def export_meeting_guide(records: list[Resource]) -> bytes:
    """The meetings as Meeting Guide JSON bytes (UTF-8, one entry per line for readable diffs)."""
    entries = meeting_entries(records)
    body = ",\n".join(json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries)
    return f"[\n{body}\n]\n".encode() if entries else b"[]\n"
