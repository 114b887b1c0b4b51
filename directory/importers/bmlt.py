"""BMLT (Narcotics Anonymous' Basic Meeting List Toolbox) `GetSearchResults` JSON.

Weekdays run 1-7 with Sunday 1, times are "HH:MM:SS" with a duration, `venue_type` is 1 in person,
2 virtual, 3 hybrid; format key strings are kept as meeting types and mapped onto our fields (by the
NAWS world id when the response carries its formats, else by the common key strings).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from directory import feeds, guard
from directory.importers import feed_rows
from directory.importers.feed_rows import RowError
from directory.schema import ImportResult, Resource, Slot, clean_text, make_id

FORMAT = "bmlt"
SOURCE = "bmlt"
# Where a person can look an NA meeting up when the feed's own address is not given.
SOURCE_URL = "https://www.na.org/meetingsearch/"
VENUES = {"1": "in_person", "2": "online", "3": "hybrid"}
# NAWS world ids (the shared format vocabulary BMLT servers attach to their own key strings) → (field,
# value); only the ids that map onto our fields. Written from the NAWS format list as BMLT servers
# publish it; not checked against a live Illinois server here (no network), so unknown ids are kept
# in meeting_types and otherwise ignored.
WORLD_IDS: dict[str, tuple[str, str]] = {
    "W": ("populations", "women"),
    "M": ("populations", "men"),
    "GL": ("populations", "lgbtq"),
    "Y": ("populations", "young_adults"),
    "WCHR": ("accessibility", "wheelchair"),
    "TC": ("status", "temporarily_closed"),
    "VM": ("format", "online"),
    "HYBR": ("format", "hybrid"),
}
# Key strings most servers use for the same formats, for responses that do not carry the format list.
KEYS: dict[str, tuple[str, str]] = {
    "W": ("populations", "women"),
    "M": ("populations", "men"),
    "GL": ("populations", "lgbtq"),
    "LGBTQ": ("populations", "lgbtq"),
    "Y": ("populations", "young_adults"),
    "WC": ("accessibility", "wheelchair"),
    "WCHR": ("accessibility", "wheelchair"),
    "TC": ("status", "temporarily_closed"),
    "VM": ("format", "online"),
    "HY": ("format", "hybrid"),
    "ES": ("languages", "es"),
    "SPAN": ("languages", "es"),
    "ASL": ("accessibility", "asl"),
}
# Format names (from `get_used_formats`) that name a language.
LANGUAGE_NAMES = {
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "polish": "pl",
    "polski": "pl",
    "english": "en",
    "french": "fr",
    "russian": "ru",
    "korean": "ko",
    "arabic": "ar",
}
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
_DURATION_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*$")


@guard.entry
def parse(
    source: str | Path | bytes | Any,
    *,
    as_of: str | None = None,
    source_key: str = SOURCE,
    source_url: str = SOURCE_URL,
    fellowship: str = "NA",
    file: str = "",
    region: bool = True,
) -> ImportResult:
    """Read a GetSearchResults response (a list of meetings, or the `{meetings, formats}` envelope).

    The API gives no update date, so `as_of` (default today, the ingest date) stamps every meeting.
    """
    return feed_rows.read(
        rows,
        source,
        file=file,
        region=region,
        as_of=as_of,
        source_key=source_key,
        source_url=source_url,
        fellowship=fellowship,
    )


def _format_table(formats: Any) -> dict[str, tuple[str, str]]:
    """key_string → (field, value) from the response's own format list."""
    table: dict[str, tuple[str, str]] = {}
    for f in formats if isinstance(formats, list) else []:
        if not isinstance(f, dict):
            continue
        key = str(f.get("key_string") or "").strip()
        world = str(f.get("world_id") or "").strip().upper()
        name = clean_text(f.get("name_string")).lower()
        if not key:
            continue
        if world in WORLD_IDS:
            table[key] = WORLD_IDS[world]
        elif world == "LANG" or name in LANGUAGE_NAMES:
            if name in LANGUAGE_NAMES:
                table[key] = ("languages", LANGUAGE_NAMES[name])
    return table


def rows(
    data: Any,
    *,
    as_of: str | None = None,
    source_key: str = SOURCE,
    source_url: str = "",
    fellowship: str = "NA",
    file: str = "the feed",
    release: bool = False,
) -> Iterator[feed_rows.Row]:
    """Each meeting as (row number, record or None, mapping problems); records are not yet validated."""
    table: dict[str, tuple[str, str]] = {}
    if isinstance(data, dict):
        table = _format_table(data.get("formats"))
        data = data.get("meetings")
    if not isinstance(data, list):
        return feed_rows.not_a_feed(
            "this is not a BMLT GetSearchResults response: expected a list of meetings", file
        )
    to_record = partial(
        meeting_to_resource,
        as_of=as_of or date.today().isoformat(),
        source_key=source_key,
        source_url=source_url,
        fellowship=fellowship,
        table=table,
    )
    return feed_rows.item_rows(data, to_record, file=file, noun="meeting", release=release)


def _minutes(text: Any) -> int:
    m = _DURATION_RE.match(str(text or ""))
    return int(m.group(1)) * 60 + int(m.group(2)) if m else 0


def record_id(item: Any, source_key: str = SOURCE) -> str:
    """The id a BMLT meeting gets (from id_bigint); "" when it has none."""
    key = str(item.get("id_bigint") or "").strip() if isinstance(item, dict) else ""
    if key and item.get("root_server_id"):
        key = f"{item['root_server_id']}-{key}"
    return make_id(source_key, key) if key else ""


def meeting_to_resource(
    item: dict[str, Any],
    *,
    as_of: str,
    source_key: str = SOURCE,
    source_url: str = "",
    fellowship: str = "NA",
    table: dict[str, tuple[str, str]] | None = None,
) -> Resource:
    """One BMLT meeting as a record; raises a row error naming the field when it cannot be mapped.

    Its id is `record_id(item)`, which refresh also uses for rows that cannot be mapped.
    """
    key = str(item.get("id_bigint") or "").strip()
    if not key:
        raise RowError("id_bigint", "the meeting has no id_bigint; it was left out")
    if item.get("root_server_id"):  # aggregator responses mix servers whose ids overlap
        key = f"{item['root_server_id']}-{key}"
    name = clean_text(item.get("meeting_name"))
    if not name:
        raise RowError("meeting_name", "the meeting has no name; it was left out")
    try:
        weekday = int(str(item.get("weekday_tinyint") or "").strip())
    except ValueError:
        weekday = 0
    if not 1 <= weekday <= 7:
        raise RowError(
            "weekday_tinyint", f"'{item.get('weekday_tinyint')}' is not a weekday 1-7 (1 = Sunday)"
        )
    try:
        start = feeds.clock(item.get("start_time"))
    except ValueError as exc:
        raise RowError("start_time", f"{exc}; the meeting was left out") from None
    duration = _minutes(item.get("duration_time"))
    end = feeds.add_minutes(start, duration) if duration else ""

    codes: list[str] = []
    mapped: dict[str, list[str]] = {
        "populations": [],
        "languages": [],
        "accessibility": [],
        "status": [],
        "format": [],
    }
    lookup = table or {}
    for raw in str(item.get("formats") or "").split(","):
        code = raw.strip()
        if not code or not _CODE_RE.match(code):
            continue
        if code not in codes:
            codes.append(code)
        target = lookup.get(code) or KEYS.get(code.upper())
        if target and target[1] not in mapped[target[0]]:
            mapped[target[0]].append(target[1])
    if "asl" in mapped["accessibility"]:
        mapped["populations"].append("deaf_hoh")

    conference_url = feeds.http_url(item.get("virtual_meeting_link"))
    conference_phone = clean_text(item.get("phone_meeting_number"))
    venue = VENUES.get(str(item.get("venue_type") or "").strip())
    if venue is None:
        if "hybrid" in mapped["format"]:
            venue = "hybrid"
        elif "online" in mapped["format"] or (
            (conference_url or conference_phone) and not item.get("location_street")
        ):
            venue = "online"
        else:
            venue = "hybrid" if (conference_url or conference_phone) else "in_person"
    status = "temporarily_closed" if mapped["status"] and venue == "in_person" else "active"

    state = feeds.state_code(item.get("location_province"))
    zip_code = feeds.zip5(item.get("location_postal_code_1"))
    city = clean_text(item.get("location_municipality"))
    lat, lon = feeds.point(item.get("latitude"), item.get("longitude"))
    street = clean_text(item.get("location_street"))
    location = clean_text(item.get("location_text"))
    details = [
        clean_text(item.get(k)) for k in ("location_info", "comments", "virtual_meeting_additional_info")
    ]
    county = feeds.county_name(item.get("location_sub_province"))
    where = feeds.located(
        zip=zip_code,
        city=city,
        state=state,
        county=county,
        latitude=lat,
        longitude=lon,
        online=venue == "online",
    )
    return Resource(
        id=make_id(source_key, key),
        name=name[:300],
        category="support_group",
        subcategory="meeting",
        source=source_key,
        source_url=clean_text(item.get("root_server_uri")) or source_url,
        as_of=as_of,
        description=" ".join(d for d in details if d)[:4000],
        address=street if venue != "online" else "",
        address2=location if venue != "online" and location.lower() != street.lower() else "",
        city=city,
        state=state,
        zip=zip_code,
        **where,
        format=venue,
        conference_url=conference_url,
        conference_phone=conference_phone,
        schedule=(Slot((weekday + 5) % 7, start, end),),  # 1 = Sunday → 6, 2 = Monday → 0
        fellowship=fellowship,
        meeting_types=tuple(codes),
        populations=tuple(mapped["populations"]),
        languages=tuple(mapped["languages"]),
        accessibility=tuple(mapped["accessibility"]),
        payment=("free",),
        status=status,
    )
