"""The `Resource` record, its vocabularies and row-level validation.

Every importer produces `Resource` objects; every store, search and renderer reads them.
Validation reports every problem of a row at once, each naming the field and the fix.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any


class Vocabulary(str, Enum):  # noqa: UP042 (members carry a label)
    """An enumeration whose members carry a human label."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {m.value: m.label for m in cls}


class Category(Vocabulary):
    SUPPORT_GROUP = ("support_group", "Support group")
    RECOVERY_HOUSING = ("recovery_housing", "Recovery housing")
    TREATMENT = ("treatment", "Treatment")
    HARM_REDUCTION = ("harm_reduction", "Harm reduction (naloxone, medicine disposal)")
    HEALTH_CENTER = ("health_center", "Health center (primary care)")
    CRISIS_LINE = ("crisis_line", "Crisis line")
    GOVERNMENT_PROGRAM = ("government_program", "State or government program")
    NATIONAL_RESOURCE = ("national_resource", "National resource")


class Format(Vocabulary):
    IN_PERSON = ("in_person", "In person")
    ONLINE = ("online", "Online")
    HYBRID = ("hybrid", "In person and online")
    PHONE = ("phone", "By phone")


class Coverage(Vocabulary):
    """Where a resource serves: its own place, all of Illinois, or the whole country."""

    LOCAL = ("local", "Local")
    REGIONAL = ("regional", "Serves a region")  # the places in `service_area`
    STATEWIDE = ("statewide", "Statewide")
    NATIONAL = ("national", "National")


class GeocodePrecision(Vocabulary):
    ADDRESS = ("address", "Street address")
    ZIP = ("zip", "ZIP code center (approximate)")
    CITY = ("city", "City center (approximate)")
    NONE = ("none", "No location")


class Population(Vocabulary):
    WOMEN = ("women", "Women")
    MEN = ("men", "Men")
    LGBTQ = ("lgbtq", "LGBTQ+")
    YOUTH = ("youth", "Youth")
    YOUNG_ADULTS = ("young_adults", "Young adults")
    SENIORS = ("seniors", "Older adults")
    VETERANS = ("veterans", "Veterans")
    FAMILIES = ("families", "Families and friends")
    JUSTICE_INVOLVED = ("justice_involved", "People leaving jail or prison")
    PREGNANT_POSTPARTUM = ("pregnant_postpartum", "Pregnant or postpartum")
    DEAF_HOH = ("deaf_hoh", "Deaf or hard of hearing")


class Payment(Vocabulary):
    MEDICAID = ("medicaid", "Medicaid")
    MEDICARE = ("medicare", "Medicare")
    PRIVATE_INSURANCE = ("private_insurance", "Private insurance")
    SLIDING_FEE = ("sliding_fee", "Sliding fee")
    FREE = ("free", "Free")
    SELF_PAY = ("self_pay", "Self-pay")
    MILITARY = ("military", "Military or VA")


class MoudService(Vocabulary):
    METHADONE = ("methadone", "Methadone")
    BUPRENORPHINE = ("buprenorphine", "Buprenorphine")
    NALTREXONE = ("naltrexone", "Naltrexone")


class Service(Vocabulary):
    """What kind of care a treatment resource gives (SAMHSA 'type of care' and settings)."""

    SUBSTANCE_USE = ("substance_use", "Substance use treatment")
    MENTAL_HEALTH = ("mental_health", "Mental health care")
    OPIOID_TREATMENT_PROGRAM = ("opioid_treatment_program", "Opioid treatment program")
    OUTPATIENT = ("outpatient", "Outpatient")
    INTENSIVE_OUTPATIENT = ("intensive_outpatient", "Intensive outpatient")
    RESIDENTIAL = ("residential", "Residential")
    DETOX = ("detox", "Detox")
    HOSPITAL_INPATIENT = ("hospital_inpatient", "Hospital inpatient")


class Accessibility(Vocabulary):
    WHEELCHAIR = ("wheelchair", "Wheelchair accessible")
    ASL = ("asl", "American Sign Language")


class TriState(Vocabulary):
    YES = ("yes", "Yes")
    NO = ("no", "No")
    UNKNOWN = ("unknown", "Not known")


class Status(Vocabulary):
    ACTIVE = ("active", "Active")
    TEMPORARILY_CLOSED = ("temporarily_closed", "Temporarily closed")
    INACTIVE = ("inactive", "Inactive")


class DateBasis(Vocabulary):
    """What `as_of` means: the date the source says its facts were true, or the day an undated row was added."""

    SOURCE = ("source", "Date the source gives")
    ADDED = ("added", "Undated: the day it was added")


class Verification(Vocabulary):
    CONFIRMED = ("confirmed", "Confirmed by the source")
    UNCONFIRMED = ("unconfirmed", "Unconfirmed: call ahead")


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIMEZONE = "America/Chicago"


@dataclass(frozen=True, order=True)
class Slot:
    """One weekly occurrence: weekday 0 = Monday … 6 = Sunday, times "HH:MM" in America/Chicago."""

    weekday: int
    start: str
    end: str = ""

    def __str__(self) -> str:
        text = f"{WEEKDAYS[self.weekday]} {self.start}"
        return f"{text}-{self.end}" if self.end else text


_SLOT_RE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01]\d|2[0-3]):([0-5]\d)(?:-([01]\d|2[0-3]):([0-5]\d))?$"
)


def parse_slot(text: str) -> Slot:
    """Parse one canonical slot such as "Tue 19:00-20:30"; raise ValueError otherwise."""
    m = _SLOT_RE.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a weekly time like 'Tue 19:00-20:30'")
    day, h1, m1, h2, m2 = m.groups()
    end = f"{h2}:{m2}" if h2 else ""
    return Slot(WEEKDAYS.index(day), f"{h1}:{m1}", end)


def format_schedule(slots: tuple[Slot, ...]) -> str:
    return "; ".join(str(s) for s in slots)


def parse_schedule(text: str) -> tuple[Slot, ...]:
    return tuple(sorted(parse_slot(p) for p in split_list(text)))


# Fields, in CSV column order. Lists are tuples; in CSV they are "; "-joined.
@dataclass(frozen=True)
class Resource:
    """One directory entry: a meeting, a home, a facility, a line or a program, with its provenance."""

    id: str
    name: str
    category: str
    source: str
    source_url: str
    as_of: str  # ISO date the source says the facts were true, or the ingest date
    subcategory: str = ""
    organization: str = ""
    description: str = ""
    address: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    county: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geocode_precision: str = "none"
    coverage: str = "local"
    phones: tuple[str, ...] = ()
    website: str = ""
    email: str = ""
    format: str = ""
    conference_url: str = ""
    conference_phone: str = ""
    schedule: tuple[Slot, ...] = ()
    hours: str = ""
    fellowship: str = ""
    meeting_types: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()
    payment: tuple[str, ...] = ()
    cost: str = ""
    moud_services: tuple[str, ...] = ()
    mat_friendly: str = "unknown"
    license: str = ""
    status: str = "active"
    verification: str = "confirmed"
    notes: str = ""
    aliases: tuple[str, ...] = ()  # former or other names that search still finds
    # Where a regional resource serves: "county:Cook", "city:Chicago", "radius:25" (miles from its point).
    service_area: tuple[str, ...] = ()
    date_basis: str = "source"

    def replace(self, **changes: Any) -> Resource:
        return dataclasses.replace(self, **changes)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_remote(self) -> bool:
        """Online and phone resources, and statewide or national ones, serve wherever the person is."""
        return self.format in ("online", "phone") or self.coverage in ("statewide", "national")

    def content_key(self) -> tuple:
        """Everything but the id: two records with equal keys say the same thing."""
        return tuple(getattr(self, f) for f in FIELD_NAMES if f != "id")


FIELDS = dataclasses.fields(Resource)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
LIST_FIELDS = frozenset(f.name for f in FIELDS if f.name != "schedule" and str(f.type).startswith("tuple"))
FLOAT_FIELDS = frozenset({"latitude", "longitude"})
REQUIRED_FIELDS = ("id", "name", "category", "source", "source_url", "as_of")

VOCABULARY_FIELDS: dict[str, type[Vocabulary]] = {
    "category": Category,
    "format": Format,
    "coverage": Coverage,
    "geocode_precision": GeocodePrecision,
    "populations": Population,
    "payment": Payment,
    "moud_services": MoudService,
    "services": Service,
    "accessibility": Accessibility,
    "mat_friendly": TriState,
    "status": Status,
    "verification": Verification,
    "date_basis": DateBasis,
}

# Validation runs once per imported row, so the allowed values and limits are prepared once.
_ALLOWED = {name: frozenset(vocab.values()) for name, vocab in VOCABULARY_FIELDS.items()}

# Illinois and its neighbours (IA, WI, IN, KY, MO), generously boxed: coordinates outside are an error.
REGION_BOUNDS = {"lat": (35.9, 47.2), "lon": (-96.7, -84.7)}
MAX_TEXT = {"name": 300, "description": 4000, "notes": 4000}
DEFAULT_MAX_TEXT = 1000


def split_list(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split(";") if p.strip()]


def join_list(values: tuple[str, ...] | list[str]) -> str:
    return "; ".join(values)


def format_float(value: float | None) -> str:
    """Coordinates with at most six decimals (about 10 cm), without trailing zeros."""
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_id(source: str, key: str) -> str:
    """A stable id from the source's key and its own key, so re-imports update instead of duplicating."""
    s = slug(key)
    if not s or len(s) > 40:
        s = (s[:24].rstrip("-") + "-" if s else "") + hashlib.sha1(key.encode()).hexdigest()[:10]
    return f"{slug(source)}-{s}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input row: where it is and how to fix it."""

    row: int | None
    field: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"column {self.field}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    """What an importer read: valid records, and the problems of the rows it could not take."""

    records: list[Resource] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_read: int = 0


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._:-]{0,119}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_ZIP_RE = re.compile(r"^\d{5}$")
_LANG_RE = re.compile(r"^[a-z]{2}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
_SUBCATEGORY_RE = re.compile(r"^[a-z0-9_]{1,60}$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL_RE = re.compile(r"^(https?://\S+)?$")
_AREA_RE = re.compile(r"^(county|city):[A-Za-z][A-Za-z .'-]{0,59}$|^radius:\d{1,3}$")


def validate(record: Resource, row: int | None = None, file: str = "") -> list[Problem]:
    """Every problem of one record, each as (row, field, message with the fix)."""
    problems: list[Problem] = []

    def bad(field_name: str, message: str) -> None:
        problems.append(Problem(row, field_name, message, file))

    for name in REQUIRED_FIELDS:
        if not str(getattr(record, name) or "").strip():
            bad(name, f"{name} is empty; every record needs a {name}")
    if record.id and not _ID_RE.match(record.id):
        bad("id", f"'{_short(record.id)}' is not a valid id: use lower-case letters, digits and - . _ :")
    if record.as_of:
        if not _DATE_RE.match(record.as_of):
            bad("as_of", f"'{_short(record.as_of)}' is not a date: write it as YYYY-MM-DD")
        else:
            try:
                date.fromisoformat(record.as_of)
            except ValueError:
                bad("as_of", f"'{record.as_of}' is not a real date: check the day and month")
    for name, allowed in _ALLOWED.items():
        value = getattr(record, name)
        values = value if isinstance(value, tuple) else ((value,) if value else ())
        for v in values:
            if v not in allowed:
                choices = ", ".join(VOCABULARY_FIELDS[name].values())
                bad(name, f"'{_short(v)}' is not allowed; use one of: {choices}")
    if record.subcategory and not _SUBCATEGORY_RE.match(record.subcategory):
        bad("subcategory", f"'{_short(record.subcategory)}' must be lower_case_with_underscores")
    if record.zip and not _ZIP_RE.match(record.zip):
        bad("zip", f"'{_short(record.zip)}' is not a 5-digit ZIP code (a leading zero may have been lost)")
    for lang in record.languages:
        if not _LANG_RE.match(lang):
            bad("languages", f"'{_short(lang)}' is not a two-letter ISO 639-1 code such as en or es")
    for code in record.meeting_types:
        if not _CODE_RE.match(code):
            bad("meeting_types", f"'{_short(code)}' is not a meeting type code such as O, C or W")
    lat, lon = record.latitude, record.longitude
    if (lat is None) != (lon is None):
        bad("latitude" if lat is None else "longitude", "give both latitude and longitude, or neither")
    elif lat is not None:
        if not (REGION_BOUNDS["lat"][0] <= lat <= REGION_BOUNDS["lat"][1]) or not (
            REGION_BOUNDS["lon"][0] <= lon <= REGION_BOUNDS["lon"][1]
        ):
            bad(
                "latitude",
                f"{lat}, {lon} is outside Illinois and its neighbouring states; "
                "check that latitude and longitude are not swapped",
            )
        if record.geocode_precision == "none":
            bad(
                "geocode_precision",
                "coordinates are given, so say how precise they are (address, zip or city)",
            )
    elif record.geocode_precision not in ("none", ""):
        bad("geocode_precision", "no coordinates are given, so the precision must be none")
    for slot in record.schedule:
        if (
            not (0 <= slot.weekday <= 6)
            or not _TIME_RE.match(slot.start)
            or (slot.end and not _TIME_RE.match(slot.end))
        ):
            bad("schedule", f"'{slot}' is not a weekly time like 'Tue 19:00-20:30'")
    for name in ("website", "source_url", "conference_url"):
        value = getattr(record, name)
        if value and not _URL_RE.match(value):
            bad(name, f"'{_short(value)}' is not a web address starting with http:// or https://")
    for area in record.service_area:
        if not _AREA_RE.match(area):
            bad(
                "service_area",
                f"'{_short(area)}' is not an area: write county:Cook, city:Chicago or radius:25",
            )
    if record.coverage == "regional" and not record.service_area:
        bad("service_area", "a regional resource needs its area: county:NAME, city:NAME or radius:MILES")
    if record.email and ("@" not in record.email or " " in record.email):
        bad("email", f"'{_short(record.email)}' is not an e-mail address")
    for name, limit in _TEXT_LIMITS:
        value = getattr(record, name)
        for text in value if isinstance(value, tuple) else (value,):
            if not isinstance(text, str):
                continue
            if _CONTROL_RE.search(text):
                bad(name, "contains control characters; the file may be binary or damaged")
                break
            if len(text) > limit:
                bad(name, f"is {len(text)} characters long; shorten it to at most {limit}")
                break
    if re.search(r"<\s*/?\s*[a-zA-Z]", record.name):
        bad("name", "contains HTML tags; write the name as plain text")
    return problems


_TEXT_LIMITS = tuple(
    (f.name, MAX_TEXT.get(f.name, DEFAULT_MAX_TEXT))
    for f in FIELDS
    if f.name not in FLOAT_FIELDS | {"schedule"}
)


class _ValidRef(weakref.ref):
    __slots__ = ("key",)


# id(record) → a weak reference to a record that passed `validate` with no problem. Weak, so the memo
# never keeps a record alive, and compared by identity on lookup, so a reused id is never mistaken.
_VALID: dict[int, _ValidRef] = {}


def _forget(ref: _ValidRef) -> None:
    if _VALID.get(ref.key) is ref:
        del _VALID[ref.key]


def remember_valid(record: Resource) -> None:
    """Note that this very record object passed `validate` in full (an importer has just checked it)."""
    ref = _ValidRef(record, _forget)
    ref.key = id(record)
    _VALID[ref.key] = ref


def is_validated(record: Resource) -> bool:
    """Whether this very record object was noted by `remember_valid`.

    Records are frozen, so one that passed still passes: the store uses this to skip a second
    `validate` of records an importer has just checked. An equal but distinct record is not known.
    """
    ref = _VALID.get(id(record))
    return ref is not None and ref() is record


def _short(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_text(text: Any) -> str:
    """Plain, trimmed text: HTML entities decoded, runs of white space folded.

    Importers call this for every field of every row, so text without an entity takes a shortcut:
    str.split() splits on exactly the characters the white-space pattern matches (those of str.isspace).
    """
    if text is None:
        return ""
    if isinstance(text, str) and "&" not in text:
        return " ".join(text.split())
    text = html.unescape(str(text))
    return re.sub(r"\s+", " ", text).strip()


def resource_from_row(row: dict[str, str]) -> tuple[Resource | None, list[tuple[str, str]]]:
    """Build a record from a row of strings in the project format; return it and field-level parse errors."""
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for f in FIELDS:
        raw = row.get(f.name)
        raw = "" if raw is None else str(raw)
        if f.name in FLOAT_FIELDS:
            text = raw.strip()
            if text:
                try:
                    values[f.name] = float(text)
                except ValueError:
                    errors.append((f.name, f"'{_short(text)}' is not a number"))
            continue
        if f.name == "schedule":
            try:
                values[f.name] = parse_schedule(raw)
            except ValueError as exc:
                errors.append((f.name, str(exc)))
            continue
        if f.name in LIST_FIELDS:
            values[f.name] = tuple(split_list(raw))
            continue
        text = raw.strip()
        if text or f.default is dataclasses.MISSING:
            values[f.name] = text
    for name in REQUIRED_FIELDS:
        values.setdefault(name, "")
    return Resource(**values), errors


def resource_to_row(record: Resource) -> dict[str, str]:
    """The record as strings in the project CSV format."""
    row: dict[str, str] = {}
    for name in FIELD_NAMES:
        value = getattr(record, name)
        if name in FLOAT_FIELDS:
            row[name] = format_float(value)
        elif name == "schedule":
            row[name] = format_schedule(value)
        elif name in LIST_FIELDS:
            row[name] = join_list(value)
        else:
            row[name] = value or ""
    return row


def label(vocabulary_field: str, value: str) -> str:
    """The human label of a vocabulary value, or the value itself when it has none."""
    vocab = VOCABULARY_FIELDS.get(vocabulary_field)
    if vocab is None:
        return value
    return vocab.labels().get(value, value)
