"""Rows compiled by hand from cited public pages: statewide and online resources, recovery homes, meetings.

The columns are an early draft of the project schema. Free text is mapped onto the vocabularies
(payment, populations, languages), schedules like "Mon 19:00-20:00" become weekly slots, and a row
whose notes doubt it is open is imported as unconfirmed, or inactive when the notes say not to refer.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from directory import geo, guard, phones, schedule
from directory.importers.cited_rows import read_rows, source_file
from directory.importers.crisis_lines import phone_lines
from directory.schema import ImportResult, Problem, Resource, clean_text, make_id, split_list, validate

SOURCE_KEYS = {
    "statewide_and_online.csv": "il-statewide",
    "recovery_housing_il.csv": "il-housing",
    "meetings_il.csv": "il-meetings",
}
REQUIRED = {"id", "name", "category", "source_urls", "notes", "city", "state", "zip", "hours"}

_INACTIVE = re.compile(r"do not refer|not yet open|permanently closed|closed permanently", re.I)
_UNCONFIRMED = re.compile(
    r"confirm|verify|status unknown|uncertain|conflict|before referral|planned to open|may have (ended|changed)"
    r"|likely moved",
    re.I,
)
_POPULATIONS = {
    "women": "women",
    "men": "men",
    "lgbtq": "lgbtq",
    "youth": "youth",
    "young adults": "young_adults",
    "seniors": "seniors",
    "veterans": "veterans",
    "families": "families",
    "reentry": "justice_involved",
    "justice involved": "justice_involved",
    "pregnant": "pregnant_postpartum",
    "deaf": "deaf_hoh",
}
_LANGUAGES = {
    "english": "en",
    "spanish": "es",
    "polish": "pl",
    "korean": "ko",
    "chinese": "zh",
    "arabic": "ar",
}


def map_populations(text: str) -> tuple[str, ...]:
    out = []
    for part in split_list(text):
        value = _POPULATIONS.get(part.lower().strip())
        if value and value not in out:
            out.append(value)
    return tuple(out)


def map_languages(text: str) -> tuple[str, ...]:
    out = []
    for part in split_list(text):
        word = part.lower().split("(")[0].strip()
        code = _LANGUAGES.get(word, word if re.fullmatch(r"[a-z]{2}", word) else "")
        if code and code not in out:
            out.append(code)
    return tuple(out)


def map_payment(text: str) -> tuple[tuple[str, ...], str]:
    """Payment words onto the vocabulary, plus the original text as cost when it says more than that."""
    text = clean_text(text)
    low = text.lower()
    found: list[str] = []
    rules = (
        ("free", "free"),
        ("medicaid", "medicaid"),
        ("medicare", "medicare"),
        ("sliding", "sliding_fee"),
        ("insurance", "private_insurance"),
        ("va benefits", "military"),
        ("tricare", "military"),
        ("$", "self_pay"),
        ("rent", "self_pay"),
        ("fee", "self_pay"),
    )
    for needle, value in rules:
        if needle in low and value not in found:
            found.append(value)
    cost = "" if low in ("", "free") else text
    return tuple(found), cost


def status_from_notes(notes: str) -> tuple[str, str]:
    """(status, verification) from the compiler's notes: doubt means unconfirmed, 'do not refer' inactive."""
    if _INACTIVE.search(notes):
        return "inactive", "unconfirmed"
    if _UNCONFIRMED.search(notes):
        return "active", "unconfirmed"
    return "active", "confirmed"


# Where the regional rows of statewide_and_online.csv serve, from what each cited row says (quoted).
# Rows whose text names no bound ("Northern Illinois") stay statewide rather than get an invented area.
REGIONAL_AREAS: dict[str, tuple[str, ...]] = {
    # "Central office for Chicago-area AA … city and suburban meeting directories"
    "SW-001": ("city:Chicago", "county:Cook"),
    # "AA district website for west-central Illinois (Hancock, McDonough, Fulton and Schuyler counties)"
    "SW-004": ("county:Hancock", "county:McDonough", "county:Fulton", "county:Schuyler"),
    # "AA information number listed for the Springfield/central Illinois area"; county Sangamon
    "SW-005": ("city:Springfield", "county:Sangamon"),
    # "Al-Anon information number listed for the Springfield area"; county Sangamon
    "SW-010": ("city:Springfield", "county:Sangamon"),
    # "peer-led addiction recovery meetings in Chicago"
    "SW-016": ("city:Chicago",),
    # "Intergroup supporting nearly two dozen CMA meetings in Chicagoland"
    "SW-020": ("city:Chicago", "county:Cook"),
    # "Suburban Cook County overdose-prevention initiative"
    "SW-028": ("county:Cook",),
    # "connecting Chicago and suburban Cook County residents"
    "SW-029": ("city:Chicago", "county:Cook"),
    # Hines, Cook County: a hospital campus; the row gives no street, so it is found from its town's point
    "SW-040": ("county:Cook",),
    # "Chicago harm-reduction organization providing free naloxone"
    "SW-042": ("city:Chicago",),
}


def normalise_date(text: str, fallback: str) -> str:
    """'2020-06' → '2020-06-01', '2019' → '2019-01-01'; no date → `fallback`."""
    text = clean_text(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return text + "-01"
    if re.fullmatch(r"\d{4}", text):
        return text + "-01-01"
    return fallback


@guard.entry
def parse(source: str | Path | bytes, *, ingested: str | None = None, file: str = "") -> ImportResult:
    """Read the compiled CSVs in a folder (or one of them, or an uploaded file's bytes named `file`)."""
    if isinstance(source, bytes):
        inputs = [source_file(source, "compiled.csv", file)]
    else:
        path = Path(source)
        files = [path] if path.is_file() else sorted(p for p in path.glob("*.csv") if p.name in SOURCE_KEYS)
        inputs = [source_file(f, f.name) for f in files]
    ingested = ingested or date.today().isoformat()
    result = ImportResult()
    for data, name in inputs:
        source_key = SOURCE_KEYS.get(name, "compiled-" + Path(name).stem.replace("_", "-"))
        for line, row in read_rows(data, name, REQUIRED, "compiled-resources", result):
            record, problems = _to_resource(row, source_key, ingested, name, line, result.warnings)
            if record is None or problems:
                result.errors.extend(problems)
            else:
                result.records.append(record)
    return result


_ASIDE = re.compile(r"\s*\(([^()]*)\)\s*$")
# A number spelt with letters, one word: "888-4AL-ANON", "1-833-2FINDHELP", "1-800-662-HELP".
_VANITY = re.compile(r"[+\d\s().-]*[0-9A-Za-z-]*[A-Za-z][0-9A-Za-z-]*")


def row_phones(text: str) -> tuple[tuple[str, ...], list[str], list[str]]:
    """(display forms, sentences for the description, problems) of a compiled row's phone cell.

    "888-425-2666 (888-4AL-ANON)" becomes "(888) 425-2666" and the sentence "(888) 425-2666 is also
    written 888-4AL-ANON."; a label in brackets ("(LifeRing Service Center)", "(Zoom dial-in)") becomes
    "(800) 811-4142: LifeRing Service Center."; TTY lines and menu steps are said in words, as the
    crisis-lines importer says them. A number that does not parse is left off with its problem.
    """
    texts, said = phone_lines(text, "")
    kept: list[str] = []
    problems: list[str] = []
    for part in texts:
        aside = _ASIDE.search(part)
        main, note = (part[: aside.start()].strip(), aside.group(1).strip()) if aside else (part, "")
        try:
            phone = phones.parse_phone(main)
        except phones.PhoneError as exc:
            problems.append(str(exc))
            continue
        form = phone.display()
        if form not in kept:
            kept.append(form)
        # A spelling in letters of the same number (either side of the bracket) is kept as written.
        spelt = next((x for x in (main, note) if _VANITY.fullmatch(x) and re.search(r"\d", x)), "")
        same = phones.try_parse(spelt) if spelt and phone.kind == "voice" else None
        if same is not None and same.number == phone.number:
            said.append(f"{form} is also written {spelt}.")
        elif note and not re.fullmatch(r"[\d\s().-]+", note):
            said.append(f"{form}: {note}.")
    return tuple(kept), said, problems


def _to_resource(
    row: dict[str, str], source_key: str, ingested: str, file: str, line: int, warnings: list[Problem]
) -> tuple[Resource | None, list[Problem]]:
    get = lambda name: clean_text(row.get(name))  # noqa: E731
    urls = [u.strip() for u in re.split(r"\s*;\s*", get("source_urls")) if u.strip().startswith("http")]
    if not urls:
        return None, [
            Problem(
                line, "source_urls", "no source web address; a record without provenance is left out", file
            )
        ]
    notes = get("notes")
    status, verification = status_from_notes(notes)
    category = get("category")
    state = get("state")
    address = get("address")
    slots: tuple = ()
    hours = get("hours")
    if category == "support_group" and hours:
        slots, leftover = schedule.parse_hours_text(hours)
        if not leftover:
            hours = ""
    payment, cost = map_payment(get("payment"))
    service_area: tuple[str, ...] = ()
    if source_key == "il-statewide" and get("id") in REGIONAL_AREAS and not address:
        coverage, service_area = "regional", REGIONAL_AREAS[get("id")]
    elif source_key == "il-statewide":
        coverage = (
            "national"
            if state not in ("IL", "")
            else "local"
            if address
            else "statewide"
            if state
            else "national"
        )
    else:
        coverage = "local"
    lat = lon = None
    precision = "none"
    if state in ("IL", "") and (get("zip") or get("city")):
        place = geo.locate_offline(zip=get("zip"), city=get("city"), state="IL")
        if place is not None:
            lat, lon, precision = round(place.latitude, 6), round(place.longitude, 6), place.precision
    mat = get("mat_friendly").lower()
    extra_sources = urls[1:]
    if extra_sources:
        notes = (notes + " " if notes else "") + "Other sources: " + " ; ".join(extra_sources)
    as_of = normalise_date(get("source_seen_date"), "")
    dated = bool(as_of)
    as_of = as_of or ingested  # the day the undated row was added, marked as such by date_basis
    phone_forms, said, phone_problems = row_phones(get("phone"))
    for message in phone_problems:
        warnings.append(
            Problem(line, "phone", f"{message}; the number was left off and nothing was guessed", file)
        )
    record = Resource(
        id=make_id(source_key, get("id")),
        name=get("name"),
        category=category,
        subcategory=get("subcategory"),
        organization=get("organization"),
        description=" ".join(x for x in (get("description"), *said) if x),
        address=address,
        city=get("city"),
        state=state,
        zip=get("zip"),
        county=get("county"),
        latitude=lat,
        longitude=lon,
        geocode_precision=precision,
        coverage=coverage,
        phones=phone_forms,
        website=get("website"),
        email=get("email"),
        format=get("format"),
        schedule=slots,
        hours=hours,
        fellowship=get("fellowship"),
        populations=map_populations(get("populations")),
        languages=map_languages(get("languages")),
        payment=payment,
        cost=cost,
        mat_friendly=mat if mat in ("yes", "no") else "unknown",
        source=source_key,
        source_url=urls[0],
        as_of=as_of,
        date_basis="source" if dated else "added",
        service_area=service_area,
        status=status,
        verification=verification,
        notes=notes,
    )
    return record, validate(record, line, file)
