"""Open Referral HSDS 3: the CSV data package (a folder, its datapackage.json, or a .zip) and the JSON forms.

JSON forms (a full service, service_at_location or organization, a paged list of them, or the
tabular form) are first flattened into the same tables as the CSV package, so one mapping serves
both. One record is made per service at a location (per service when it has no location). Fields
HSDS has no column for travel as attributes of our own taxonomy, which our exporter writes.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from directory import feeds, guard
from directory.importers import feed_rows
from directory.render.spreadsheet import restore
from directory.schema import (
    LIST_FIELDS,
    ImportResult,
    Problem,
    Resource,
    Slot,
    clean_text,
    make_id,
)

FORMAT = "hsds"
SOURCE = "hsds"
# Our own id travels in location.external_identifier with this type, so a round trip keeps ids.
ID_SCHEME = "illinois-aftercare-directory-id"
TAXONOMY_NAME = "illinois-aftercare-directory"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/illinois-aftercare-directory/hsds")
# Fields carried as attributes: "field:value" term codes for vocabularies and lists, "field" + value otherwise.
TERM_FIELDS = (
    "category",
    "format",
    "coverage",
    "geocode_precision",
    "mat_friendly",
    "verification",
    "services",
    "populations",
    "payment",
    "moud_services",
    "meeting_types",
    "service_area",
    "aliases",
    "date_basis",
)
VALUE_FIELDS = (
    "source",
    "source_url",
    "subcategory",
    "fellowship",
    "conference_url",
    "conference_phone",
    "hours",
    "notes",
)
# Address parts that travel as attributes when HSDS's required address fields cannot all be filled.
ADDRESS_FIELDS = ("address", "address2", "city", "state", "zip", "county")
# A phone that is not a dialable number travels as an attribute "position:text".
PHONE_TEXT = "phone_text"
TABLES = (
    "organizations",
    "services",
    "locations",
    "service_at_location",
    "addresses",
    "phones",
    "schedules",
    "languages",
    "accessibility",
    "attributes",
    "taxonomy_terms",
    "taxonomies",
)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LANGUAGE_CODES_3 = {
    "eng": "en",
    "spa": "es",
    "pol": "pl",
    "fre": "fr",
    "fra": "fr",
    "ger": "de",
    "deu": "de",
    "ara": "ar",
    "kor": "ko",
    "chi": "zh",
    "zho": "zh",
    "rus": "ru",
    "urd": "ur",
    "hin": "hi",
}
_POSTAL_RE = re.compile(r"\d{5}(-\d{4})?")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
# Words in an accessibility description → our accessibility value.
_ACCESS_WORDS = tuple(
    (re.compile(rf"\b{needle}\b"), value)
    for needle, value in (("wheelchair", "wheelchair"), ("sign language", "asl"), ("asl", "asl"))
)


def hsds_id(kind: str, key: str) -> str:
    """A stable UUID for one of our entities, as HSDS 3 asks for UUID ids."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


@guard.entry
def parse(
    source: str | Path | bytes | Any,
    *,
    as_of: str | None = None,
    source_key: str = SOURCE,
    source_url: str = "",
    category: str = "treatment",
    file: str = "",
    region: bool = True,
) -> ImportResult:
    """Read an HSDS 3 CSV package or JSON document into records and problems.

    `category` is used for services that do not say which of our categories they are in;
    `as_of` for services without `assured_date` or `last_modified` (default: today).
    """
    try:
        tables, file = read_tables(source, file)
    except (OSError, ValueError, zipfile.BadZipFile, feeds.FeedError) as exc:
        message = exc.message if isinstance(exc, (feeds.FeedError, guard.Breach)) else str(exc)
        return ImportResult(errors=[Problem(None, "", message, feeds.source_label(source, file))])
    if not tables.get("services"):
        return ImportResult(
            errors=[Problem(None, "services", "no services found: this is not HSDS data", file)]
        )
    stamp = as_of or date.today().isoformat()
    found = records_from_tables(
        tables, as_of=stamp, source_key=source_key, source_url=source_url, category=category, file=file
    )
    return feed_rows.collect(found, file, region=region)


# Reading the tables
def read_tables(source: str | Path | bytes | Any, file: str = "") -> tuple[dict[str, list[dict]], str]:
    """Tables (name without .csv → rows) from a package folder, datapackage.json, .zip, CSV bytes or JSON.

    Only a `Path` or a path string given by the caller is read from disk; decoded JSON is data, never
    a path (see `tables_from_data`).
    """
    if guard.is_path(source):
        path = Path(source)
        if path.is_dir():
            return _tables_from_folder(path), file or path.name
        if path.suffix.lower() == ".zip":
            label = file or path.name
            return _tables_from_zip(guard.read_file(path, label), label), label
        if path.name == "datapackage.json":
            return _tables_from_folder(path.parent), file or path.parent.name
        data, label = feeds.load_json(path, file)
        return tables_from_data(data, label), label
    if isinstance(source, (bytes, bytearray)) and bytes(source[:2]) == b"PK":
        label = file or "the HSDS package"
        return _tables_from_zip(bytes(source), label), label
    if isinstance(source, (str, bytes, bytearray)):
        data, label = feeds.load_json(source, file)
    else:
        data, label = source, file or "the feed"
    return tables_from_data(data, label), label


def tables_from_data(data: Any, file: str = "the feed") -> dict[str, list[dict]]:
    """Tables from decoded HSDS JSON (an object or a list); Breach for anything else, a string included."""
    if not isinstance(data, (dict, list)):
        raise guard.Breach(
            f"the HSDS data is a JSON {type(data).__name__}, not an object or a list; check the feed address",
            file=file,
        )
    return _tables_from_json(data)


def _tables_from_folder(folder: Path) -> dict[str, list[dict]]:
    paths = sorted(folder.glob("*.csv"))
    if len(paths) > guard.LIMITS.members:
        raise guard.Breach(
            f"the folder holds {len(paths)} CSV files; keep only the HSDS tables", file=folder.name
        )
    return _tables_from_files({p.name: guard.read_file(p, p.name) for p in paths if p.stem in TABLES})


def _tables_from_zip(data: bytes, file: str = "the HSDS package") -> dict[str, list[dict]]:
    return _tables_from_files(guard.zip_members(data, file, suffix=".csv"))


def _tables_from_files(files: dict[str, bytes]) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    for name, data in files.items():
        table = name.removesuffix(".csv")
        if table not in TABLES:
            continue
        text = data.decode("utf-8-sig", errors="replace")
        guard.check_csv_text(text, name)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            tables[table] = [
                {k: restore(v if isinstance(v, str) else "") for k, v in row.items() if k} for row in reader
            ]
        except csv.Error as exc:
            raise guard.Breach(
                f"the table cannot be read as CSV near line {reader.line_num} ({exc})", file=name
            ) from None
    return tables


class _Flattener:
    """Nested HSDS JSON objects → rows of the tabular form, each child row pointing at its parent."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict]] = defaultdict(dict)

    def add(self, table: str, obj: dict, **links: Any) -> str:
        row = {k: v for k, v in obj.items() if not isinstance(v, (dict, list))}
        row.update({k: v for k, v in links.items() if v})
        key = str(row.get("id") or f"{table}-{len(self.tables[table])}")
        row["id"] = key
        existing = self.tables[table].get(key)
        if existing is None:
            self.tables[table][key] = row
        else:
            existing.update({k: v for k, v in row.items() if v not in (None, "")})
        return key

    def children(self, obj: dict, name: str, table: str, **links: Any) -> None:
        for child in guard.items(obj.get(name)):
            if isinstance(child, dict):
                if table == "attributes" and isinstance(child.get("taxonomy_term"), dict):
                    term_id = self.add("taxonomy_terms", child["taxonomy_term"])
                    links = {**links, "taxonomy_term_id": child.get("taxonomy_term_id") or term_id}
                child_id = self.add(table, child, **links)
                if table == "phones":
                    self.children(child, "languages", "languages", phone_id=child_id)

    def organization(self, org: dict) -> str:
        org_id = self.add("organizations", org)
        for service in guard.items(org.get("services")):
            if isinstance(service, dict):
                self.service(service, org_id)
        for location in guard.items(org.get("locations")):
            if isinstance(location, dict):
                self.location(location, org_id)
        self.children(org, "phones", "phones", organization_id=org_id)
        return org_id

    def service(self, service: dict, org_id: str = "") -> str:
        org = service.get("organization")
        if isinstance(org, dict):
            org_id = self.add("organizations", org)
        service_id = self.add("services", service, organization_id=org_id)
        for name, table in (("phones", "phones"), ("schedules", "schedules"), ("languages", "languages")):
            self.children(service, name, table, service_id=service_id)
        self.children(service, "attributes", "attributes", link_id=service_id)
        for sal in guard.items(service.get("service_at_locations")):
            if isinstance(sal, dict):
                self.service_at_location(sal, service_id)
        return service_id

    def location(self, location: dict, org_id: str = "") -> str:
        location_id = self.add("locations", location, organization_id=org_id)
        for name in ("addresses", "accessibility", "phones", "languages", "schedules"):
            self.children(location, name, name, location_id=location_id)
        return location_id

    def service_at_location(self, sal: dict, service_id: str = "") -> str:
        if isinstance(sal.get("service"), dict):
            service_id = self.service(sal["service"])
        location_id = self.location(sal["location"]) if isinstance(sal.get("location"), dict) else ""
        sal_id = self.add("service_at_location", sal, service_id=service_id, location_id=location_id)
        for name in ("phones", "schedules"):
            self.children(sal, name, name, service_at_location_id=sal_id)
        return sal_id


def _flat_row(row: dict) -> dict:
    """A tabular-form row with only plain values (a nested object in a cell is not HSDS)."""
    return {k: v for k, v in row.items() if not isinstance(v, (dict, list))}


def _tables_from_json(data: Any) -> dict[str, list[dict]]:
    if isinstance(data, dict) and any(str(k).endswith(".csv") for k in data):
        return {
            k.removesuffix(".csv"): [_flat_row(r) for r in guard.items(v) if isinstance(r, dict)]
            for k, v in data.items()
        }
    items = (
        data.get("contents") if isinstance(data, dict) and isinstance(data.get("contents"), list) else data
    )
    items = items if isinstance(items, list) else [items]
    flat = _Flattener()
    for item in items:
        if not isinstance(item, dict):
            continue
        if "service" in item and "location" in item:
            flat.service_at_location(item)
        elif "services" in item or "locations" in item or "legal_status" in item or "tax_status" in item:
            flat.organization(item)
        elif item.get("name") or item.get("id"):
            flat.service(item)
    return {name: list(rows.values()) for name, rows in flat.tables.items()}


# Mapping the tables onto records
def _text(row: dict | None, key: str) -> str:
    return clean_text(row.get(key)) if row else ""


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        value = str(row.get(key) or "")
        if value:
            index[value].append(row)
    return index


def _slots(rows: list[dict]) -> tuple[tuple[Slot, ...], list[str]]:
    slots: list[Slot] = []
    texts: list[str] = []
    for row in rows:
        days = [d.strip().upper()[-2:] for d in str(row.get("byday") or "").split(",") if d.strip()]
        if str(row.get("freq") or "").upper() == "WEEKLY" and days and row.get("opens_at"):
            try:
                start = feeds.clock(row.get("opens_at"))
                end = feeds.clock(row.get("closes_at")) if row.get("closes_at") else ""
            except ValueError:
                texts.append(_text(row, "description"))
                continue
            slots.extend(Slot(WEEKDAY_CODES.index(d), start, end) for d in days if d in WEEKDAY_CODES)
        elif _text(row, "description"):
            texts.append(_text(row, "description"))
    return tuple(sorted(set(slots))), [t for t in texts if t]


def _language(row: dict) -> str:
    code = _text(row, "code").lower()
    if _LANGUAGE_RE.fullmatch(code):
        return code
    return LANGUAGE_CODES_3.get(code, "")


def records_from_tables(
    tables: dict[str, list[dict]],
    *,
    as_of: str,
    source_key: str = SOURCE,
    source_url: str = "",
    category: str = "treatment",
    file: str = "",
):
    """Each service at a location as (row number, record or None, problems); records are not yet validated."""

    def get(name: str) -> list[dict]:
        return tables.get(name) or []

    organizations = {str(r.get("id")): r for r in get("organizations")}
    locations = {str(r.get("id")): r for r in get("locations")}
    terms = {str(r.get("id")): r for r in get("taxonomy_terms")}
    addresses = _by(get("addresses"), "location_id")
    phones_by = {k: _by(get("phones"), k) for k in ("service_id", "service_at_location_id", "location_id")}
    schedules_by = {k: _by(get("schedules"), k) for k in ("service_id", "service_at_location_id")}
    languages_by = {k: _by(get("languages"), k) for k in ("service_id", "location_id")}
    accessibility = _by(get("accessibility"), "location_id")
    attributes = _by(get("attributes"), "link_id")
    sals = _by(get("service_at_location"), "service_id")
    row_number = 0
    for service in get("services"):
        service_id = str(service.get("id") or "")
        pairs = [(sal, locations.get(str(sal.get("location_id") or ""))) for sal in sals.get(service_id, [])]
        for sal, location in pairs or [(None, None)]:
            row_number += 1
            name = _text(service, "name")
            if not name:
                yield (
                    row_number,
                    None,
                    [Problem(row_number, "name", "the service has no name; it was left out", file)],
                )
                continue
            org = organizations.get(str(service.get("organization_id") or ""))
            sal_id = str(sal.get("id")) if sal else ""
            location_id = str(location.get("id")) if location else ""
            ours = bool(location) and _text(location, "external_identifier_type") == ID_SCHEME
            if ours:
                record_id = _text(location, "external_identifier")
            else:
                record_id = make_id(source_key, sal_id or service_id)
            address = next(
                iter(
                    sorted(
                        addresses.get(location_id, []), key=lambda a: _text(a, "address_type") != "physical"
                    )
                ),
                None,
            )
            state = feeds.state_code(_text(address, "state_province"))
            postal = _text(address, "postal_code")
            lat, lon = (
                feeds.point(location.get("latitude"), location.get("longitude")) if location else (None, None)
            )
            phones: list[str] = []
            for key, value in (
                ("service_id", service_id),
                ("service_at_location_id", sal_id),
                ("location_id", location_id),
            ):
                for p in phones_by[key].get(value, []) if value else []:
                    number = _text(p, "number").strip('"')
                    if ours and _text(p, "description"):
                        number = _text(p, "description")  # the form our exporter read it from
                    elif number and _text(p, "extension"):
                        number = f"{number} ext. {_text(p, 'extension')}"
                    if number and number not in phones:
                        phones.append(number)
            slots, hours = _slots(
                schedules_by["service_id"].get(service_id, [])
                + (schedules_by["service_at_location_id"].get(sal_id, []) if sal_id else [])
            )
            languages: list[str] = []
            for row in languages_by["service_id"].get(service_id, []) + languages_by["location_id"].get(
                location_id, []
            ):
                code = _language(row)
                if code and code not in languages:
                    languages.append(code)
            access: list[str] = []
            for row in accessibility.get(location_id, []):
                text = f"{_text(row, 'description')} {_text(row, 'details')}".lower()
                for needle, value in _ACCESS_WORDS:
                    if needle.search(text) and value not in access:
                        access.append(value)
            status = _text(service, "status").lower()
            virtual = location is not None and _text(location, "location_type").lower() == "virtual"
            values: dict[str, Any] = dict(
                id=record_id,
                name=name[:300],
                category=category,
                source=source_key,
                source_url=source_url or _text(service, "url"),
                as_of=feeds.iso_date(service.get("assured_date"))
                or feeds.iso_date(service.get("last_modified"))
                or as_of,
                organization=_text(org, "name") if org and _text(org, "name") != name else "",
                description=_text(service, "description")[:4000],
                address=_text(address, "address_1"),
                address2=_text(address, "address_2"),
                city=_text(address, "city"),
                state=state,
                zip=feeds.zip5(postal) if _POSTAL_RE.fullmatch(postal) else "",
                county=feeds.county_name(_text(address, "region")),
                latitude=lat,
                longitude=lon,
                geocode_precision="address" if lat is not None else "none",
                phones=tuple(phones),
                website=feeds.web_address(service.get("url")),
                email=_text(service, "email"),
                format="online" if virtual else "in_person",
                schedule=slots,
                hours="; ".join(hours)[:1000],
                languages=tuple(languages),
                accessibility=tuple(access),
                cost=_text(service, "fees_description")[:1000],
                license=_text(service, "licenses")[:1000],
                status={
                    "temporarily closed": "temporarily_closed",
                    "inactive": "inactive",
                    "defunct": "inactive",
                }.get(status, "active"),
            )
            if ours:
                values["format"] = ""  # our package states the format as an attribute when there is one
            placed = _apply_attributes(values, attributes.get(service_id, []), terms)
            record = Resource(**values)
            # A record from our own package keeps the place it was exported with, even with no coordinates.
            if not record.has_location and record.format != "online" and not (ours and placed):
                record = feeds.place(record)
            yield row_number, record, []


def _apply_attributes(values: dict[str, Any], rows: list[dict], terms: dict[str, dict]) -> bool:
    """Our taxonomy's attributes override the defaults; other taxonomies' attributes are ignored.

    True when they gave the geocode precision (the record's place is as exported, not to be looked up).
    """
    lists: dict[str, list[str]] = defaultdict(list)
    phone_texts: list[tuple[int, str]] = []
    placed = False
    for attribute in rows:
        term = terms.get(str(attribute.get("taxonomy_term_id") or ""))
        if not term or _text(term, "taxonomy") not in ("", TAXONOMY_NAME):
            continue
        field_name, _, value = str(term.get("code") or "").partition(":")
        if field_name in TERM_FIELDS and value:
            placed = placed or field_name == "geocode_precision"
            if field_name in LIST_FIELDS:
                lists[field_name].append(value)
            else:
                values[field_name] = value
        elif field_name in (*VALUE_FIELDS, *ADDRESS_FIELDS, "organization") and not value:
            values[field_name] = str(attribute.get("value") or "")
        elif field_name == PHONE_TEXT and not value:
            position, _, text = str(attribute.get("value") or "").partition(":")
            if position.isdigit() and text:
                phone_texts.append((int(position), text))
    for field_name, items in lists.items():
        values[field_name] = tuple(dict.fromkeys(items))
    if phone_texts:
        found = list(values.get("phones", ()))
        for position, text in sorted(phone_texts):
            found.insert(position, text)
        values["phones"] = tuple(found)
    return placed
