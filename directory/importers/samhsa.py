"""SAMHSA facility lists for Illinois, as repackaged by the Opioid Environment Policy Scan (OEPS).

Four layouts (substance use facilities, mental-health facilities, opioid treatment programs, MOUD
providers); the same facility often appears in several, so rows are merged by normalised name and
address into one record that keeps every service it offers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from directory import geo, guard
from directory.importers.project_csv import decode_text
from directory.schema import ImportResult, Problem, Resource, clean_text, make_id, validate

SOURCE = "samhsa"
SOURCE_URL = "https://doi.org/10.5281/zenodo.5842465"
# File → (layout, as-of date the provenance notes give, label for the notes).
LAYOUTS = {
    "il_samhsa_substance_use_treatment_facilities.csv": (
        "sud",
        "2021-07-23",
        "SAMHSA substance use facilities (2021)",
    ),
    "il_samhsa_mental_health_facilities.csv": ("mh", "2021-01-09", "SAMHSA mental health facilities (2021)"),
    "il_samhsa_opioid_treatment_programs.csv": (
        "otp",
        "2022-04-25",
        "SAMHSA opioid treatment program directory (2021-22)",
    ),
    "il_samhsa_moud_providers_2020.csv": ("moud", "2020-09-01", "SAMHSA MOUD provider list (Sept 2020)"),
}
_NAMED_ADDRESS = {"name1", "name2", "street1", "city", "state", "zip", "county", "latitude"}
HEADERS = {
    "sud": _NAMED_ADDRESS | {"street2", "longitude"},
    "mh": _NAMED_ADDRESS | {"phone", "intake1", "website"},
    "otp": {"program_name", "address", "city", "state", "zip", "latitude", "longitude"},
    "moud": _NAMED_ADDRESS | {"category", "longitude"},
}

_ABBREVIATIONS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "suite": "ste",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "route": "rt",
    "rte": "rt",
    "floor": "fl",
    "saint": "st",
    "center": "ctr",
    "centre": "ctr",
}
_NAME_NOISE = {"inc", "llc", "ltd", "corp", "corporation", "the", "of", "and", "pc", "sc", "nfp"}


def _norm_words(text: str) -> list[str]:
    words = re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("&", " and ")).split()
    return [_ABBREVIATIONS.get(w, w) for w in words]


def normalise_name(text: str) -> str:
    return " ".join(w for w in _norm_words(text) if w not in _NAME_NOISE)


def normalise_street(text: str) -> str:
    """The street line up to any suite or unit, so '123 Main St, Suite 4' matches '123 Main Street'."""
    words = _norm_words(text)
    for stop in ("ste", "unit", "fl", "rm", "room", "bldg", "building"):
        if stop in words:
            words = words[: words.index(stop)]
    return " ".join(w for w in words if not w.startswith("#"))


# Spelling variants in the SAMHSA files → the county's official name.
_COUNTY_NAMES = {
    "du page": "DuPage",
    "la salle": "LaSalle",
    "saint clair": "St. Clair",
    "st clair": "St. Clair",
    "de kalb": "DeKalb",
    "de witt": "DeWitt",
    "mc henry": "McHenry",
    "mc lean": "McLean",
}


def normalise_county(text: str) -> str:
    text = clean_text(text).removesuffix(" County").strip()
    return _COUNTY_NAMES.get(text.lower().replace(".", ""), text)


def _phone(text: str) -> str:
    text = clean_text(text)
    return "" if text.upper() in ("", "NA", "N/A") else text


def _zip5(text: str) -> str:
    digits = re.sub(r"\D", "", text or "")
    if len(digits) in (3, 4):  # spreadsheets drop leading zeros; Illinois ZIPs start with 6, so pad
        digits = digits.zfill(5)
    return digits[:5]


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


@dataclass
class _Facility:
    """One merged facility while the files are read."""

    name: str
    name2: str
    street: str
    street2: str
    city: str
    zip: str
    county: str
    latitude: float | None
    longitude: float | None
    phones: list[str] = field(default_factory=list)
    website: str = ""
    services: set[str] = field(default_factory=set)
    moud: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    as_of: str = ""

    def merge(self, other: _Facility) -> None:
        for attr in ("name2", "street2", "county", "website"):
            if not getattr(self, attr) and getattr(other, attr):
                setattr(self, attr, getattr(other, attr))
        if self.latitude is None and other.latitude is not None:
            self.latitude, self.longitude = other.latitude, other.longitude
        for p in other.phones:
            if p not in self.phones:
                self.phones.append(p)
        self.services |= other.services
        self.moud |= other.moud
        for f in other.files:
            if f not in self.files:
                self.files.append(f)
        self.as_of = max(self.as_of, other.as_of)


def _read_rows(path: Path, result: ImportResult) -> list[tuple[int, dict[str, str]]]:
    text, errors, warnings = decode_text(path.read_bytes(), path.name)
    result.errors.extend(errors)
    result.warnings.extend(warnings)
    if text is None:
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [(reader.line_num, row) for row in reader]


def _facility_from_row(layout: str, row: dict[str, str]) -> _Facility:
    if layout == "otp":
        name, name2 = clean_text(row.get("program_name")), ""
        street, street2 = clean_text(row.get("address")), ""
        if "," in street:  # "8707 Skokie Blvd., Suite 207"
            street, street2 = (p.strip() for p in street.split(",", 1))
    else:
        name, name2 = clean_text(row.get("name1")), clean_text(row.get("name2"))
        street, street2 = clean_text(row.get("street1")), clean_text(row.get("street2"))
    facility = _Facility(
        name=name,
        name2=name2 if name2.upper() != "NA" else "",
        street=street,
        street2=street2 if street2.upper() != "NA" else "",
        city=clean_text(row.get("city")),
        zip=_zip5(row.get("zip", "")),
        county=normalise_county(row.get("county", "")),
        latitude=_float(row.get("latitude", "")),
        longitude=_float(row.get("longitude", "")),
    )
    if layout == "sud":
        facility.services.add("substance_use")
    elif layout == "mh":
        facility.services.add("mental_health")
        facility.phones = [p for p in (_phone(row.get("phone", "")), _phone(row.get("intake1", ""))) if p]
        website = clean_text(row.get("website"))
        if website and not website.lower().startswith(("http://", "https://")):
            website = "https://" + website
        facility.website = website if len(website) > len("https://") + 3 else ""
    elif layout == "otp":
        facility.services |= {"substance_use", "opioid_treatment_program"}
        facility.moud.add("methadone")
    elif layout == "moud":
        category = clean_text(row.get("category")).lower()
        for drug in ("methadone", "buprenorphine", "naltrexone"):
            if drug in category:
                facility.moud.add(drug)
        facility.services.add("substance_use")
    return facility


@guard.entry
def parse(source: str | Path) -> ImportResult:
    """Read every known SAMHSA file in a folder (or one file) and merge the facilities they list."""
    path = Path(source)
    files = [path] if path.is_file() else sorted(p for p in path.glob("*.csv") if p.name in LAYOUTS)
    result = ImportResult()
    merged: dict[tuple[str, str, str], _Facility] = {}
    origins: dict[tuple[str, str, str], tuple[str, int]] = {}
    for file in files:
        layout, as_of, label = LAYOUTS.get(file.name, (None, "", ""))
        rows = _read_rows(file, result)
        if not rows:
            continue
        header = set(rows[0][1].keys())
        if layout is None:
            layout = next((k for k, cols in HEADERS.items() if cols <= header), None)
            as_of, label = "", file.name
        if layout is None or not HEADERS[layout] <= header:
            missing = sorted(HEADERS.get(layout or "sud", set()) - header)
            result.errors.append(
                Problem(
                    1,
                    ", ".join(missing),
                    "this is not one of the SAMHSA layouts this importer reads",
                    file.name,
                )
            )
            continue
        for line, row in rows:
            result.rows_read += 1
            facility = _facility_from_row(layout, row)
            facility.files = [label]
            facility.as_of = as_of
            if not facility.name:
                result.errors.append(
                    Problem(line, "name1", "the facility has no name; the row was left out", file.name)
                )
                continue
            if not facility.street and not facility.city:
                result.errors.append(
                    Problem(line, "street1", "the row has no address; it was left out", file.name)
                )
                continue
            key = (normalise_name(facility.name), normalise_street(facility.street), facility.zip)
            if key in merged:
                merged[key].merge(facility)
            else:
                merged[key] = facility
                origins[key] = (file.name, line)
    for key, facility in merged.items():
        record = _to_resource(key, facility)
        file, line = origins[key]
        problems = validate(record, line, file)
        if problems:
            result.errors.extend(problems)
        else:
            result.records.append(record)
    return result


def _subcategory(services: set[str], moud: set[str]) -> str:
    if "opioid_treatment_program" in services:
        return "opioid_treatment_program"
    if "substance_use" in services and moud and services == {"substance_use"}:
        return "moud_provider"
    if "substance_use" in services:
        return "substance_use_treatment"
    return "mental_health"


def _to_resource(key: tuple[str, str, str], f: _Facility) -> Resource:
    services = tuple(
        s for s in ("substance_use", "mental_health", "opioid_treatment_program") if s in f.services
    )
    moud = tuple(m for m in ("methadone", "buprenorphine", "naltrexone") if m in f.moud)
    has_point = f.latitude is not None and f.longitude is not None
    return Resource(
        id=make_id(SOURCE, "|".join(key)),
        name=f.name,
        organization=f.name2,
        category="treatment",
        subcategory=_subcategory(f.services, f.moud),
        address=f.street,
        address2=f.street2,
        city=f.city,
        state="IL",
        zip=f.zip,
        county=f.county or normalise_county(geo.county_for_zip(f.zip)),
        latitude=round(f.latitude, 6) if has_point else None,
        longitude=round(f.longitude, 6) if has_point else None,
        geocode_precision="address" if has_point else "none",
        phones=tuple(f.phones),
        website=f.website,
        format="in_person",
        services=services,
        moud_services=moud,
        source=SOURCE,
        source_url=SOURCE_URL,
        as_of=f.as_of,
        notes="Listed in: " + "; ".join(f.files) + ". Call ahead to confirm services and hours.",
    )
