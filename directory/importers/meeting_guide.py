"""Meeting Guide JSON (Code for Recovery): the meeting feed of AA, Al-Anon and other intergroup websites.

Reads both flavours: the plain feed (slug, day, time, address parts) and the richer export of the
12 Step Meeting List plugin (formatted_address, attendance_option, group, regions, ...). Type codes
are kept in `meeting_types` and mapped onto populations, languages and accessibility.
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

FORMAT = "meeting-guide"
SOURCE = "meeting-guide"

# Meeting type codes we map, with their English meaning. Source: Code for Recovery, Meeting Guide
# spec, types.json (MIT licence, (c) Code for Recovery); copied from ../shared/data/specs/meeting-guide/.
# "ONL" (online) is not in types.json but the 12 Step Meeting List plugin writes it.
TYPES: dict[str, tuple[str, str, str]] = {
    "W": ("Women", "populations", "women"),
    "M": ("Men", "populations", "men"),
    "LGBTQ": ("LGBTQ", "populations", "lgbtq"),
    "G": ("Gay", "populations", "lgbtq"),
    "L": ("Lesbian", "populations", "lgbtq"),
    "BI": ("Bisexual", "populations", "lgbtq"),
    "T": ("Transgender", "populations", "lgbtq"),
    "NB": ("Non-Binary", "populations", "lgbtq"),
    "Y": ("Young People", "populations", "young_adults"),
    "SEN": ("Seniors", "populations", "seniors"),
    "ASL": ("American Sign Language", "accessibility", "asl"),
    "X": ("Wheelchair Access", "accessibility", "wheelchair"),
    "AF": ("Afrikaans", "languages", "af"),
    "AM": ("Amharic", "languages", "am"),
    "AR": ("Arabic", "languages", "ar"),
    "BG": ("Bulgarian", "languages", "bg"),
    "DA": ("Danish", "languages", "da"),
    "DE": ("German", "languages", "de"),
    "EL": ("Greek", "languages", "el"),
    "EN": ("English", "languages", "en"),
    "FA": ("Persian", "languages", "fa"),
    "FI": ("Finnish", "languages", "fi"),
    "FR": ("French", "languages", "fr"),
    "HE": ("Hebrew", "languages", "he"),
    "HI": ("Hindi", "languages", "hi"),
    "HR": ("Croatian", "languages", "hr"),
    "HU": ("Hungarian", "languages", "hu"),
    "IS": ("Icelandic", "languages", "is"),
    "ITA": ("Italian", "languages", "it"),
    "JA": ("Japanese", "languages", "ja"),
    "KA": ("Georgian", "languages", "ka"),
    "KOR": ("Korean", "languages", "ko"),
    "LT": ("Lithuanian", "languages", "lt"),
    "ML": ("Malayalam", "languages", "ml"),
    "MT": ("Maltese", "languages", "mt"),
    "NE": ("Nepali", "languages", "ne"),
    "NL": ("Dutch", "languages", "nl"),
    "NO": ("Norwegian", "languages", "no"),
    "POL": ("Polish", "languages", "pl"),
    "POR": ("Portuguese", "languages", "pt"),
    "PUN": ("Punjabi", "languages", "pa"),
    "RUS": ("Russian", "languages", "ru"),
    "S": ("Spanish", "languages", "es"),
    "SK": ("Slovak", "languages", "sk"),
    "SL": ("Slovenian", "languages", "sl"),
    "SV": ("Swedish", "languages", "sv"),
    "TH": ("Thai", "languages", "th"),
    "TL": ("Tagalog", "languages", "tl"),
    "TUR": ("Turkish", "languages", "tr"),
    "UK": ("Ukrainian", "languages", "uk"),
}
TEMPORARILY_CLOSED = "TC"  # "Location Temporarily Closed"
ONLINE = "ONL"
# Spec codes whose case differs from the upper-cased form, so "12x12" stays "12x12".
_CANONICAL = {"12X12": "12x12"}
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
_CODE_SEPARATOR_RE = re.compile(r"[,\s]+")
_STATE_ZIP_RE = re.compile(r"^([A-Z]{2})(?:\s+(\d{5})(?:-\d{4})?)?$")
# Fellowships for the people close to someone who drinks or uses, not for the person themselves.
FAMILY_FELLOWSHIPS = {"al-anon": ("families",), "alateen": ("families", "youth"), "nar-anon": ("families",)}


@guard.entry
def parse(
    source: str | Path | bytes | Any,
    *,
    as_of: str | None = None,
    source_key: str = SOURCE,
    source_url: str = "",
    fellowship: str = "",
    file: str = "",
    region: bool = True,
) -> ImportResult:
    """Read a Meeting Guide feed (path, bytes or decoded JSON) into meetings and row problems.

    `as_of` is used for meetings without an `updated` date (default: today). `region=False` skips the
    Illinois-and-neighbours coordinate check, for reading out-of-state samples.
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


def rows(
    data: Any,
    *,
    as_of: str | None = None,
    source_key: str = SOURCE,
    source_url: str = "",
    fellowship: str = "",
    file: str = "the feed",
    release: bool = False,
) -> Iterator[feed_rows.Row]:
    """Each meeting as (row number, record or None, mapping problems); records are not yet validated."""
    if isinstance(data, dict) and isinstance(data.get("meetings"), list):
        data = data["meetings"]
    if not isinstance(data, list):
        return feed_rows.not_a_feed("this is not a Meeting Guide feed: expected a list of meetings", file)
    to_record = partial(
        meeting_to_resource,
        as_of=as_of or date.today().isoformat(),
        source_key=source_key,
        source_url=source_url,
        fellowship=fellowship,
    )
    return feed_rows.item_rows(data, to_record, file=file, noun="meeting", release=release)


def _codes(types: Any) -> tuple[str, ...]:
    if isinstance(types, str):
        types = [t for t in _CODE_SEPARATOR_RE.split(types) if t]
    out: list[str] = []
    for code in types if isinstance(types, list) else []:
        text = str(code).strip()
        if not _CODE_RE.match(text):
            continue
        text = _CANONICAL.get(text.upper(), text.upper())
        if text not in out:
            out.append(text)
    return tuple(out)


def _days(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    days = []
    for v in values:
        if v is None or v == "":
            continue
        try:
            day = int(v)
        except (TypeError, ValueError):
            raise RowError("day", f"'{str(v)[:20]}' is not a day number 0-6 (0 = Sunday)") from None
        if not 0 <= day <= 6:
            raise RowError("day", f"{day} is not a day number 0-6 (0 = Sunday)")
        days.append((day + 6) % 7)  # Meeting Guide counts from Sunday 0; we count from Monday 0
    return sorted(set(days))


def _split_formatted_address(text: str) -> tuple[str, str, str, str]:
    """ "123 Main St, Springfield, IL 62701, USA" → (street, city, state, zip); parts may be empty."""
    parts = [p.strip() for p in clean_text(text).split(",") if p.strip()]
    if parts and parts[-1].upper() in ("USA", "US", "UNITED STATES"):
        parts = parts[:-1]
    state = zip_code = ""
    if parts:
        m = _STATE_ZIP_RE.match(parts[-1])
        if m:
            state, zip_code = m.group(1), m.group(2) or ""
            parts = parts[:-1]
    city = parts.pop() if parts else ""
    return ", ".join(parts), city, state, zip_code


def record_id(item: Any, source_key: str = SOURCE) -> str:
    """The id a feed meeting gets (from its slug, else its id); "" when it has neither."""
    if not isinstance(item, dict):
        return ""
    key = item.get("slug") if item.get("slug") not in (None, "") else item.get("id")
    return "" if key in (None, "") or isinstance(key, (dict, list)) else make_id(source_key, str(key))


def meeting_to_resource(
    item: dict[str, Any], *, as_of: str, source_key: str = SOURCE, source_url: str = "", fellowship: str = ""
) -> Resource:
    """One feed meeting as a record; raises a row error naming the field when it cannot be mapped."""
    key = item.get("slug") if item.get("slug") not in (None, "") else item.get("id")
    if key in (None, ""):
        raise RowError("slug", "the meeting has no slug (its id in the feed); it was left out")
    name = clean_text(item.get("name"))
    if not name:
        raise RowError("name", "the meeting has no name; it was left out")
    days = _days(item.get("day"))
    start = end = ""
    if days:
        try:
            start = feeds.clock(item.get("time"))
        except ValueError as exc:
            raise RowError("time", f"{exc}; the meeting was left out") from None
        try:
            end = feeds.clock(item.get("end_time")) if item.get("end_time") else ""
        except ValueError:
            end = ""
    types = _codes(item.get("types") or [])
    mapped: dict[str, list[str]] = {"populations": [], "languages": [], "accessibility": []}
    for code in types:
        if code in TYPES:
            _, field_name, value = TYPES[code]
            if value not in mapped[field_name]:
                mapped[field_name].append(value)
    for value in FAMILY_FELLOWSHIPS.get(fellowship.lower(), ()):
        if value not in mapped["populations"]:
            mapped["populations"].append(value)
    if "asl" in mapped["accessibility"] and "deaf_hoh" not in mapped["populations"]:
        mapped["populations"].append("deaf_hoh")

    conference_url = feeds.http_url(item.get("conference_url"))
    conference_phone = clean_text(item.get("conference_phone"))
    street = clean_text(item.get("address"))
    city, state = clean_text(item.get("city")), feeds.state_code(item.get("state"))
    zip_code = feeds.zip5(item.get("postal_code"))
    if item.get("formatted_address") and not (street and city):
        f_street, f_city, f_state, f_zip = _split_formatted_address(str(item["formatted_address"]))
        street, city = street or f_street, city or f_city
        state, zip_code = state or f_state, zip_code or f_zip
    approximate = str(item.get("approximate", "")).lower() == "yes"

    closed = TEMPORARILY_CLOSED in types
    online = bool(conference_url or conference_phone)
    attendance = str(item.get("attendance_option") or "").lower()
    status = "active"
    if attendance in ("in_person", "online", "hybrid"):
        fmt = attendance
    elif attendance == "inactive":
        fmt, status = "in_person", "temporarily_closed"
    elif closed:
        fmt, status = ("online", "active") if online else ("in_person", "temporarily_closed")
    elif online or ONLINE in types:
        fmt = "hybrid" if (street and not approximate) else "online"
    else:
        fmt = "in_person"

    lat, lon = feeds.point(item.get("latitude"), item.get("longitude"))
    where = feeds.located(
        zip=zip_code, city=city, state=state, county="", latitude=lat, longitude=lon, online=fmt == "online"
    )
    if approximate and where["geocode_precision"] == "address":
        where["geocode_precision"] = "city"  # the feed says its point only stands for the area
    location = clean_text(item.get("location"))
    address2 = location if fmt != "online" and location and location.lower() != street.lower() else ""
    notes = [
        clean_text(item.get(k))
        for k in ("notes", "location_notes", "group_notes", "conference_url_notes", "conference_phone_notes")
    ]
    description = " ".join(n for n in notes if n)[:4000]
    listing = feeds.http_url(item.get("url"))
    return Resource(
        id=make_id(source_key, str(key)),
        name=name[:300],
        category="support_group",
        subcategory="meeting",
        source=source_key,
        source_url=listing or source_url,
        as_of=feeds.iso_date(item.get("updated"), as_of),
        organization=clean_text(item.get("group"))[:300],
        description=description,
        address=street if fmt != "online" else "",
        address2=address2,
        city=city,
        state=state,
        zip=zip_code,
        **where,
        website=listing,
        format=fmt,
        conference_url=conference_url,
        conference_phone=conference_phone,
        schedule=tuple(Slot(d, start, end) for d in days),
        fellowship=fellowship,
        meeting_types=types,
        populations=tuple(mapped["populations"]),
        languages=tuple(mapped["languages"]),
        accessibility=tuple(mapped["accessibility"]),
        payment=("free",),
        status=status,
    )
