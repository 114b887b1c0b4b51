"""Meetings as a Meeting Guide JSON feed (Code for Recovery's format), so meeting apps can take our list.

Slots that share a start and end time go into one entry with `day` as a list; a meeting with slots at
different times becomes one entry per time, with slugs `<id>`, `<id>-2`, ... Inactive meetings are
left out; temporarily closed ones carry the TC type and no conference link.
"""

from __future__ import annotations

import json
from collections import defaultdict

from directory.importers.meeting_guide import TYPES
from directory.schema import Resource

FORMAT_TYPES = {"online": "ONL", "hybrid": "ONL"}
# Our field values back to a type code, so readers see languages and access we know from elsewhere.
CODES: dict[tuple[str, str], str] = {}
for _code, (_meaning, _field, _value) in TYPES.items():
    CODES.setdefault((_field, _value), _code)


def meeting_entries(records: list[Resource]) -> list[dict]:
    """Feed entries for the records that are meetings with a weekly schedule (others are skipped)."""
    entries: list[dict] = []
    for r in sorted(records, key=lambda x: x.id):
        if r.category != "support_group" or not r.schedule or r.status == "inactive":
            continue
        by_time: dict[tuple[str, str], list[int]] = defaultdict(list)
        for slot in r.schedule:
            by_time[(slot.start, slot.end)].append((slot.weekday + 1) % 7)  # Monday 0 → Meeting Guide 1
        closed = r.status == "temporarily_closed"
        types = list(r.meeting_types)
        extra = None if closed else FORMAT_TYPES.get(r.format)
        if extra and extra not in types:
            types.append(extra)
        if closed and "TC" not in types:
            types.append("TC")
        for field_name in ("populations", "languages", "accessibility"):
            for value in getattr(r, field_name):
                code = CODES.get((field_name, value))
                if code and code not in types:
                    types.append(code)
        for n, ((start, end), days) in enumerate(sorted(by_time.items())):
            entry: dict = {
                "name": r.name,
                "slug": r.id if n == 0 else f"{r.id}-{n + 1}",
                "day": sorted(days) if len(days) > 1 else days[0],
                "time": start,
            }
            if end:
                entry["end_time"] = end
            entry["types"] = types
            if r.format != "online":
                entry.update(
                    location=r.address2,
                    address=r.address,
                    city=r.city,
                    state=r.state,
                    postal_code=r.zip,
                    country="US",
                )
                if r.has_location:
                    entry.update(latitude=r.latitude, longitude=r.longitude)
                    if r.geocode_precision != "address":
                        entry["approximate"] = "yes"
            else:
                entry.update(city=r.city, state=r.state)
            # Readers take TC plus a conference link as "meets online only"; a closed meeting has neither.
            if r.conference_url and not closed:
                entry["conference_url"] = r.conference_url
            if r.conference_phone and not closed:
                entry["conference_phone"] = r.conference_phone
            if r.description:
                entry["notes"] = r.description
            if r.organization:
                entry["group"] = r.organization
            entry["url"] = r.website or r.source_url
            entry["updated"] = f"{r.as_of} 00:00:00"
            entries.append(entry)
    return entries


def export_meeting_guide(records: list[Resource]) -> bytes:
    """The meetings as Meeting Guide JSON bytes (UTF-8, one entry per line for readable diffs)."""
    entries = meeting_entries(records)
    body = ",\n".join(json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries)
    return f"[\n{body}\n]\n".encode() if entries else b"[]\n"
