"""SAMHSA facility lists for Illinois, as repackaged by the Opioid Environment Policy Scan (OEPS).

Four layouts (substance use facilities, mental-health facilities, opioid treatment programs, MOUD
providers); the same facility often appears in several, so rows are grouped into facilities by the
rule in `directory.duplicates` and each facility becomes one record that keeps every service it
offers. Every group of rows, every pair kept apart and every row left out is reported with its reason.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from directory import duplicates, geo, guard
from directory.duplicates import Listing, normalise_name, normalise_street  # noqa: F401 (re-exported)
from directory.importers.cited_rows import source_file
from directory.importers.project_csv import decode_text
from directory.phones import normalize_phones
from directory.schema import ImportResult, Problem, Resource, clean_text, make_id, validate

SOURCE = "samhsa"
SOURCE_URL = "https://doi.org/10.5281/zenodo.5842465"
# "SAMHSA directory, as of 2021 (2020 for MOUD)" (the provenance notes in ../shared/data/SOURCES.md):
# the year the facts were true, written as its first day; the MOUD list was taken in September 2020.
AS_OF_2021 = "2021-01-01"
AS_OF_MOUD = "2020-09-01"
# File → (layout, as-of date, label for the notes).
LAYOUTS = {
    "il_samhsa_substance_use_treatment_facilities.csv": (
        "sud",
        AS_OF_2021,
        "SAMHSA substance use facilities (as of 2021)",
    ),
    "il_samhsa_mental_health_facilities.csv": (
        "mh",
        AS_OF_2021,
        "SAMHSA mental health facilities (as of 2021)",
    ),
    "il_samhsa_opioid_treatment_programs.csv": (
        "otp",
        AS_OF_2021,
        "SAMHSA opioid treatment program directory (as of 2021)",
    ),
    "il_samhsa_moud_providers_2020.csv": ("moud", AS_OF_MOUD, "SAMHSA MOUD provider list (September 2020)"),
}
_NAMED_ADDRESS = {"name1", "name2", "street1", "city", "state", "zip", "county", "latitude"}
HEADERS = {
    "sud": _NAMED_ADDRESS | {"street2", "longitude"},
    "mh": _NAMED_ADDRESS | {"phone", "intake1", "website"},
    "otp": {"program_name", "address", "city", "state", "zip", "latitude", "longitude"},
    "moud": _NAMED_ADDRESS | {"category", "longitude"},
}

# Programmes that serve only people in custody: not a place a patient can be referred to.
_CUSTODY = re.compile(
    r"\bcermak health\b|\bjail\b|\bcorrectional (center|facility|institution)\b|\bdetention (center|facility)\b"
    r"|department of corrections",
    re.I,
)
_RESIDENCE = re.compile(
    r"recovery home|recovery res\b|recovery residence|halfway house|sober living|recovery house|transitional housing",
    re.I,
)
_DUI = re.compile(r"\bDUI\b", re.I)
# Words that say a DUI-named site also gives some other care.
_OTHER_CARE = re.compile(
    r"tr(ea)?t|behav|mental|addiction|alc\b|alcohol|drug|recovery|c(ou)?ns?e?l|csl|intervention|health", re.I
)
_MID_PHRASE = re.compile(r"(\b(and|of|for|at|on|in|the|to)|[&/,-])\s*$", re.I)

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


def _na(text: str | None) -> str:
    text = clean_text(text)
    return "" if text.upper() in ("NA", "N/A") else text


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


# The record ids of the first catalog were made from these normalisations; they are kept so that ids
# that plans and share links hold stay the same.
_ID_ABBREVIATIONS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr", "boulevard": "blvd",
    "suite": "ste", "north": "n", "south": "s", "east": "e", "west": "w", "lane": "ln", "court": "ct",
    "place": "pl", "parkway": "pkwy", "highway": "hwy", "route": "rt", "rte": "rt", "floor": "fl",
    "saint": "st", "center": "ctr", "centre": "ctr",
}  # fmt: skip
_ID_NOISE = {"inc", "llc", "ltd", "corp", "corporation", "the", "of", "and", "pc", "sc", "nfp"}


def _id_words(text: str) -> list[str]:
    words = re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("&", " and ")).split()
    return [_ID_ABBREVIATIONS.get(w, w) for w in words]


def legacy_key(name: str, street: str, zip5: str) -> str:
    """The merge key of the first catalog: name, street up to any unit, and ZIP."""
    name_part = " ".join(w for w in _id_words(name) if w not in _ID_NOISE)
    words = _id_words(street)
    for stop in ("ste", "unit", "fl", "rm", "room", "bldg", "building"):
        if stop in words:
            words = words[: words.index(stop)]
    return "|".join((name_part, " ".join(w for w in words if not w.startswith("#")), zip5))


@dataclass
class SourceRow:
    """One row of one SAMHSA file, read into common fields."""

    file: str
    line: int
    label: str
    as_of: str
    layout: str
    name1: str
    name2: str
    street: str
    street2: str
    city: str
    state: str
    zip: str
    county: str
    latitude: float | None
    longitude: float | None
    phones: tuple[str, ...] = ()
    website: str = ""
    services: set[str] = field(default_factory=set)
    moud: set[str] = field(default_factory=set)
    order: int = 0  # position in the order the first catalog read the files (for stable ids)

    @property
    def where(self) -> str:
        return f"{self.file} row {self.line}"

    def listing(self) -> Listing:
        # The programme words are read from the whole name: "Behavioral Health Services for Adults" names
        # its programme in name1, "… for" + "Children and Adolescents" in name2.
        return Listing(
            self, self.name1, full_name(self.name1, self.name2), self.street, self.zip, self.latitude,
            self.longitude, self.phones, self.city,
        )  # fmt: skip


class MergeResult(ImportResult):
    """An ImportResult that also says which rows were merged, which pairs were kept apart and why."""

    def __init__(self) -> None:
        super().__init__()
        self.merges: list[dict] = []
        self.near_misses: list[dict] = []
        self.left_out: list[str] = []
        # Ids of the first catalog that are now part of another record: old id → the record's id.
        self.replaced_ids: dict[str, str] = {}


def row_from_csv(
    layout: str, row: dict[str, str], file: str, line: int, label: str, as_of: str
) -> tuple[SourceRow, list[str]]:
    """A file row in common fields, and the phone problems it had (each reported, none guessed)."""
    if layout == "otp":
        name1, name2 = clean_text(row.get("program_name") or row.get("ID")), ""
        street, street2 = clean_text(row.get("address") or row.get("ADDRESS")), ""
        if "," in street:  # "8707 Skokie Blvd., Suite 207"
            street, street2 = (p.strip() for p in street.split(",", 1))
        city = clean_text(row.get("city") or row.get("CITY"))
        state = clean_text(row.get("state") or row.get("STATE"))
        zip5 = _zip5(row.get("zip") or row.get("POSTAL") or "")
        lat = _float(row.get("latitude") or row.get("Latitude"))
        lon = _float(row.get("longitude") or row.get("Longitude"))
    else:
        name1, name2 = _na(row.get("name1")), _na(row.get("name2"))
        street, street2 = _na(row.get("street1")), _na(row.get("street2"))
        city, state, zip5 = (
            clean_text(row.get("city")),
            clean_text(row.get("state")),
            _zip5(row.get("zip", "")),
        )
        lat, lon = _float(row.get("latitude")), _float(row.get("longitude"))
    out = SourceRow(
        file=file, line=line, label=label, as_of=as_of, layout=layout,
        name1=name1, name2=name2, street=street, street2=street2, city=city, state=state or "IL",
        zip=zip5, county=normalise_county(row.get("county", "")), latitude=lat, longitude=lon,
    )  # fmt: skip
    problems: list[str] = []
    if layout == "sud":
        out.services.add("substance_use")
    elif layout == "mh":
        out.services.add("mental_health")
        texts = [_na(row.get(k)) for k in ("phone", "intake1", "intake2")]
        out.phones, problems = normalize_phones(t for t in texts if t)
        website = clean_text(row.get("website"))
        if website and not website.lower().startswith(("http://", "https://")):
            website = "https://" + website
        out.website = website if len(website) > len("https://") + 3 else ""
    elif layout == "otp":
        out.services |= {"substance_use", "opioid_treatment_program"}
        out.moud.add("methadone")
    elif layout == "moud":
        category = clean_text(row.get("category")).lower()
        out.moud |= {d for d in ("methadone", "buprenorphine", "naltrexone") if d in category}
        out.services.add("substance_use")
    return out, problems


def read_rows(
    files: list[Path] | list[tuple[bytes, str]],
    result: MergeResult,
    *,
    layouts=LAYOUTS,
    states: tuple[str, ...] = (),
) -> list[SourceRow]:
    """Every usable row of the given files, or (bytes, name) pairs of uploads (only those of `states` when
    given); rows left out are reported."""
    rows: list[SourceRow] = []
    order = 0
    for file in files:
        data, name = file if isinstance(file, tuple) else source_file(file, file.name)
        layout, as_of, label = layouts.get(name, (None, "", ""))
        text, errors, warnings = decode_text(data, name)
        result.errors.extend(errors)
        result.warnings.extend(warnings)
        if text is None:
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = set(reader.fieldnames or ())
        if layout is None:
            layout = next((k for k, cols in HEADERS.items() if cols <= header), None)
            as_of, label = as_of or AS_OF_2021, name
        wanted = HEADERS.get(layout or "", set())
        if layout == "otp" and {"ID", "ADDRESS", "CITY", "STATE", "POSTAL"} <= header:
            wanted = set()
        if layout is None or not wanted <= header:
            missing = sorted(HEADERS.get(layout or "sud", set()) - header)
            result.errors.append(
                Problem(
                    1,
                    ", ".join(missing),
                    "this is not one of the SAMHSA layouts this importer reads",
                    name,
                )
            )
            continue
        for row in reader:
            line = reader.line_num
            if states and clean_text(row.get("state") or row.get("STATE")) not in states:
                continue
            result.rows_read += 1
            item, phone_problems = row_from_csv(layout, row, name, line, label, as_of)
            for message in phone_problems:
                result.warnings.append(Problem(line, "phone", f"{message}; the number was left off", name))
            if not item.name1:
                result.errors.append(
                    Problem(line, "name1", "the facility has no name; the row was left out", name)
                )
                continue
            if not item.street and not item.city:
                result.errors.append(
                    Problem(line, "street1", "the row has no address; it was left out", name)
                )
                continue
            full = f"{item.name1} {item.name2}"
            if _CUSTODY.search(full):
                result.left_out.append(
                    f"{name} row {line}: '{full.strip()}' serves only people in custody "
                    "(a jail or detention health service); left out of the public catalog"
                )
                continue
            order += 1
            item.order = order
            rows.append(item)
    return rows


def full_name(name1: str, name2: str) -> str:
    """The facility's whole name: a name1 that stops mid-phrase continues in name2."""
    if not name2:
        return name1
    if _MID_PHRASE.search(name1):
        return f"{name1.rstrip()} {name2}"
    if name2.lower().startswith("dba "):
        return f"{name1} (dba {name2[4:].strip()})"
    if normalise_name(name2) and normalise_name(name2) in normalise_name(name1):
        return name1
    return f"{name1} – {name2}"


def _close_parens(text: str) -> str:
    return text + ")" * max(0, text.count("(") - text.count(")"))


def _longest(values: list[str]) -> str:
    """The longest spelling (a file that cuts names at 30 characters loses to one that does not)."""
    return max(values, key=lambda v: (len(v), v)) if values else ""


def merge_rows(rows: list[SourceRow], result: MergeResult) -> list[list[SourceRow]]:
    """Group rows into facilities; record every merge and near-miss on `result`."""
    clusters, misses = duplicates.cluster([r.listing() for r in rows])
    groups = []
    for c in clusters:
        members = sorted((m.ref for m in c.members), key=lambda r: r.order)
        groups.append(members)
        if len(members) > 1:
            result.merges.append(
                {
                    "rows": [m.where for m in members],
                    "names": sorted({full_name(m.name1, m.name2) for m in members}),
                    "reasons": sorted(set(c.reasons)),
                }
            )
    seen: dict[tuple, dict] = {}
    for miss in misses:
        names = (miss.a.full, miss.b.full)
        key = (tuple(sorted(names)), miss.reason)
        entry = seen.get(key)
        if entry is None:
            entry = seen[key] = {"rows": [], "names": list(key[0]), "reason": miss.reason}
            result.near_misses.append(entry)
        for where in (miss.a.ref.where, miss.b.ref.where):
            if where not in entry["rows"]:
                entry["rows"].append(where)
    return groups


def _pick_name(group: list[SourceRow]) -> tuple[str, str, list[str]]:
    """(name1, name2, former names): a renamed provider keeps its newer name."""
    brands = {}
    for r in group:
        brands.setdefault(normalise_name(r.name1), []).append(r)
    former: list[str] = []
    keep = list(brands)
    for norm in list(brands):
        renamed = duplicates.renamed_to(brands[norm][0].name1)
        if renamed and any(duplicates.names_match(renamed[0], other) for other in brands if other != norm):
            keep.remove(norm)
            former.append(brands[norm][0].name1)
    # The name of one row, so that name1 and name2 always belong together: the newest list's spelling
    # first (the 2021 substance-use list spells names out; the 2020 MOUD list cuts them at 30 characters).
    chosen = [r for norm in keep for r in brands[norm]] or group
    priority = {"sud": 0, "mh": 1, "otp": 2, "moud": 3}
    best = min(chosen, key=lambda r: (priority.get(r.layout, 4), -len(full_name(r.name1, r.name2))))
    name1, name2 = best.name1, best.name2
    words = set(duplicates.name_words(full_name(name1, name2)))
    aliases = list(former)
    for r in group:
        other = full_name(r.name1, r.name2)
        # Another spelling is kept as an alias only when it adds words search could look for.
        if other not in aliases and other not in former and not set(duplicates.name_words(other)) <= words:
            if not any(set(duplicates.name_words(other)) <= set(duplicates.name_words(a)) for a in aliases):
                aliases.append(other)
    return name1, _close_parens(name2), aliases


def _kind(name: str, services: set[str], moud: set[str]) -> tuple[str, str, str]:
    """(category, subcategory, description) from what the listing's name and files say."""
    if "opioid_treatment_program" in services:
        return "treatment", "opioid_treatment_program", ""
    if _RESIDENCE.search(name):
        return (
            "recovery_housing",
            "recovery_home",
            "A recovery residence listed by SAMHSA's treatment locator; ask about licensure and openings.",
        )
    if (
        _DUI.search(name)
        and not _OTHER_CARE.search(_DUI.sub("", name))
        and "mental_health" not in services
        and not moud
    ):
        return (
            "treatment",
            "dui_evaluation",
            "DUI evaluation and risk education (the listing names DUI services only): "
            "call to ask whether it also offers ongoing treatment.",
        )
    if services == {"substance_use"} and moud:
        return "treatment", "moud_provider", ""
    if "substance_use" in services:
        return "treatment", "substance_use_treatment", ""
    return "treatment", "mental_health", ""


def _care_kinds(name: str) -> set[str]:
    kinds = set()
    for word, kind in (
        ("residential", "residential"),
        ("detox", "detox"),
        ("intensive outpatient", "intensive_outpatient"),
        (" iop", "intensive_outpatient"),
        ("outpatient", "outpatient"),
        ("inpatient", "hospital_inpatient"),
    ):
        if word in f" {name.lower()}":
            kinds.add(kind)
    if (
        "intensive_outpatient" in kinds
        and "outpatient" in kinds
        and "outpatient" not in name.lower().replace("intensive outpatient", "")
    ):
        kinds.discard("outpatient")
    return kinds


SERVICE_ORDER = (
    "substance_use", "mental_health", "opioid_treatment_program", "outpatient", "intensive_outpatient",
    "residential", "detox", "hospital_inpatient",
)  # fmt: skip


def to_resource(group: list[SourceRow], result: MergeResult, used_ids: set[str]) -> Resource | None:
    """One record for one facility; None (with a reported reason) when it cannot be one."""
    first = group[0]
    name1, name2, aliases = _pick_name(group)
    name = full_name(name1, name2)
    services: set[str] = set().union(*(r.services for r in group))
    moud: set[str] = set().union(*(r.moud for r in group))
    files = list(dict.fromkeys(r.label for r in group))
    notes = ["Listed in: " + "; ".join(files) + "."]
    otp = "opioid_treatment_program" in services
    if "methadone" in moud and not otp:
        # Methadone for opioid use disorder is dispensed only by opioid treatment programmes; the 2020
        # MOUD list says methadone here but no OTP list names this address, so the claim is kept with a warning.
        notes.append(
            "The 2020 SAMHSA MOUD list gives methadone here, but no opioid treatment program list names "
            "this address: call to confirm before referring for methadone."
        )
        result.near_misses.append(
            {
                "rows": [r.where for r in group],
                "names": [name],
                "reason": "methadone listed, but not an OTP in any list",
            }
        )
    category, subcategory, description = _kind(name, services, moud)
    services |= _care_kinds(f"{name1} {name2}")
    if category == "recovery_housing":
        services -= {"outpatient", "intensive_outpatient", "detox", "hospital_inpatient"}
    notes.append("Call ahead to confirm services and hours.")
    phones: list[str] = []
    for r in group:
        phones.extend(p for p in r.phones if p not in phones)
    point = next(
        ((r.latitude, r.longitude) for r in group if r.latitude is not None and r.longitude is not None), None
    )
    website = next((r.website for r in group if r.website), "")
    street2 = _longest([r.street2 for r in group if r.street2])
    county = next((r.county for r in group if r.county), "")
    if not county and first.state == "IL":
        county = normalise_county(geo.county_for_zip(first.zip))
    rid = make_id(SOURCE, legacy_key(first.name1, first.street, first.zip))
    if rid in used_ids:
        rid = make_id(SOURCE, legacy_key(f"{first.name1} {first.name2}", first.street, first.zip))
    n = 2
    while rid in used_ids:
        rid = make_id(SOURCE, legacy_key(f"{first.name1} {first.name2} {n}", first.street, first.zip))
        n += 1
    used_ids.add(rid)
    return Resource(
        id=rid,
        name=name,
        category=category,
        subcategory=subcategory,
        description=description,
        address=first.street,
        address2=street2,
        city=first.city,
        state=first.state,
        zip=first.zip,
        county=county,
        latitude=round(point[0], 6) if point else None,
        longitude=round(point[1], 6) if point else None,
        geocode_precision="address" if point else "none",
        phones=tuple(phones),
        website=website,
        format="in_person",
        services=tuple(s for s in SERVICE_ORDER if s in services),
        moud_services=tuple(m for m in ("methadone", "buprenorphine", "naltrexone") if m in moud),
        source=SOURCE,
        source_url=SOURCE_URL,
        as_of=max(r.as_of for r in group),
        notes=" ".join(notes),
        aliases=tuple(aliases),
        date_basis="source",
    )


def build_records(rows: list[SourceRow], result: MergeResult, used_ids: set[str] | None = None) -> None:
    used = used_ids if used_ids is not None else set()
    legacy: dict[str, str] = {}
    for group in merge_rows(rows, result):
        record = to_resource(group, result, used)
        if record is None:
            continue
        problems = validate(record, group[0].line, group[0].file)
        if problems:
            result.errors.extend(problems)
            continue
        result.records.append(record)
        for r in group:
            legacy.setdefault(make_id(SOURCE, legacy_key(r.name1, r.street, r.zip)), record.id)
    current = {r.id for r in result.records}
    result.replaced_ids.update({old: new for old, new in sorted(legacy.items()) if old not in current})


@guard.entry
def parse(source: str | Path | bytes, *, file: str = "") -> MergeResult:
    """Read every known SAMHSA file in a folder (or one file, or an uploaded file's bytes named `file`)
    and merge the facilities they list."""
    if isinstance(source, bytes):
        files: list = [source_file(source, "samhsa.csv", file)]
    else:
        path = Path(source)
        files = [path] if path.is_file() else sorted(p for p in path.glob("*.csv") if p.name in LAYOUTS)
    result = MergeResult()
    rows = read_rows(files, result)
    build_records(rows, result)
    return result
