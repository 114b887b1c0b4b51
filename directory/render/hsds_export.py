"""The catalog as an Open Referral HSDS 3 CSV data package (datapackage.json plus one CSV per table).

Each record becomes a service at a location of its organization; fields HSDS has no column for travel
as attributes of our own taxonomy, so `directory.importers.hsds` reads the package back into the same
records. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from directory.importers.hsds import (
    ID_SCHEME,
    TAXONOMY_NAME,
    TERM_FIELDS,
    VALUE_FIELDS,
    WEEKDAY_CODES,
    hsds_id,
    package_descriptor,
)
from directory.schema import LIST_FIELDS, Resource, format_float, label

# Columns in HSDS 3.0 order (from the standard's example CSV package).
COLUMNS: dict[str, list[str]] = {
    "organizations": [
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",
        "logo",
        "uri",
        "parent_organization_id",
    ],
    "services": [
        "id",
        "organization_id",
        "program_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "fees",
        "accreditations",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "assurer_email",
        "licenses",
        "alert",
        "last_modified",
    ],
    "locations": [
        "id",
        "location_type",
        "url",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ],
    "service_at_location": ["id", "service_id", "location_id", "description"],
    "addresses": [
        "id",
        "location_id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "phones": [
        "id",
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
        "number",
        "extension",
        "type",
        "description",
    ],
    "schedules": [
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "valid_from",
        "valid_to",
        "dtstart",
        "timezone",
        "until",
        "count",
        "wkst",
        "freq",
        "interval",
        "byday",
        "byweekno",
        "bymonthday",
        "byyearday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ],
    "languages": ["id", "service_id", "location_id", "phone_id", "name", "code", "note"],
    "accessibility": ["id", "location_id", "description", "details", "url"],
    "taxonomies": ["id", "name", "description", "uri", "version"],
    "taxonomy_terms": [
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "language",
        "taxonomy_id",
        "term_uri",
    ],
    "attributes": ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
}
STATUS = {"active": "active", "temporarily_closed": "temporarily closed", "inactive": "inactive"}
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "pl": "Polish",
    "ko": "Korean",
    "zh": "Chinese",
    "ar": "Arabic",
    "ru": "Russian",
    "fr": "French",
    "de": "German",
    "it": "Italian",
}
ACCESSIBILITY_TEXT = {"wheelchair": "Wheelchair accessible", "asl": "American Sign Language"}
_FORMULA = re.compile(r"^[=@\t\r]|^[+\-](?![\d\s(])")


def _safe(value: object) -> str:
    """Text for a CSV cell; a leading formula character gets an apostrophe so spreadsheets show it as text."""
    text = "" if value is None else str(value)
    return "'" + text if _FORMULA.match(text) else text


def hsds_tables(records: list[Resource]) -> dict[str, list[dict[str, str]]]:
    """The records as HSDS tables: table name → rows (dicts of strings)."""
    tables: dict[str, dict[str, dict[str, str]]] = {name: {} for name in COLUMNS}

    def put(table: str, row: dict[str, object]) -> None:
        tables[table].setdefault(str(row["id"]), {c: _safe(row.get(c, "")) for c in COLUMNS[table]})

    taxonomy_id = hsds_id("taxonomy", TAXONOMY_NAME)
    put(
        "taxonomies",
        {
            "id": taxonomy_id,
            "name": TAXONOMY_NAME,
            "description": "Fields of the Illinois Aftercare Directory that HSDS has no column for",
            "version": "1",
        },
    )

    def attribute(service_id: str, field_name: str, value: str, free_value: str = "") -> None:
        code = field_name if free_value else f"{field_name}:{value}"
        term_id = hsds_id("term", code)
        name = label(field_name, value) if not free_value else field_name.replace("_", " ")
        put(
            "taxonomy_terms",
            {
                "id": term_id,
                "code": code,
                "name": name,
                "taxonomy": TAXONOMY_NAME,
                "taxonomy_id": taxonomy_id,
                "language": "en",
            },
        )
        put(
            "attributes",
            {
                "id": hsds_id("attribute", f"{service_id}:{code}"),
                "link_id": service_id,
                "taxonomy_term_id": term_id,
                "link_type": "service",
                "link_entity": "service",
                "value": free_value,
            },
        )

    for r in sorted(records, key=lambda x: x.id):
        org_name = r.organization or r.name
        org_id = hsds_id("organization", org_name)
        put("organizations", {"id": org_id, "name": org_name})
        service_id = hsds_id("service", r.id)
        location_id = hsds_id("location", r.id)
        sal_id = hsds_id("service_at_location", r.id)
        put(
            "services",
            {
                "id": service_id,
                "organization_id": org_id,
                "name": r.name,
                "description": r.description,
                "url": r.website,
                "email": r.email,
                "status": STATUS.get(r.status, "active"),
                "fees_description": r.cost,
                "assured_date": r.as_of,
                "licenses": r.license,
            },
        )
        virtual = r.format == "online" or not (r.address or r.city or r.zip or r.has_location)
        put(
            "locations",
            {
                "id": location_id,
                "location_type": "virtual" if virtual else "physical",
                "url": r.conference_url if virtual else "",
                "organization_id": org_id,
                "name": r.address2 or r.name,
                "latitude": format_float(r.latitude),
                "longitude": format_float(r.longitude),
                "external_identifier": r.id,
                "external_identifier_type": ID_SCHEME,
            },
        )
        put("service_at_location", {"id": sal_id, "service_id": service_id, "location_id": location_id})
        if r.address or r.address2 or r.city or r.zip or r.state or r.county:
            put(
                "addresses",
                {
                    "id": hsds_id("address", r.id),
                    "location_id": location_id,
                    "address_1": r.address,
                    "address_2": r.address2,
                    "city": r.city,
                    "region": r.county,
                    "state_province": r.state,
                    "postal_code": r.zip,
                    "country": "US",
                    "address_type": "physical",
                },
            )
        for n, number in enumerate(r.phones):
            put(
                "phones",
                {
                    "id": hsds_id("phone", f"{r.id}:{n}"),
                    "service_id": service_id,
                    "number": number,
                    "type": "voice",
                },
            )
        for slot in r.schedule:
            put(
                "schedules",
                {
                    "id": hsds_id("schedule", f"{r.id}:{slot}"),
                    "service_id": service_id,
                    "service_at_location_id": sal_id,
                    "freq": "WEEKLY",
                    "interval": "1",
                    "byday": WEEKDAY_CODES[slot.weekday],
                    "opens_at": slot.start,
                    "closes_at": slot.end,
                    "attending_type": label("format", r.format) if r.format else "",
                },
            )
        for code in r.languages:
            put(
                "languages",
                {
                    "id": hsds_id("language", f"{r.id}:{code}"),
                    "service_id": service_id,
                    "name": LANGUAGE_NAMES.get(code, code),
                    "code": code,
                },
            )
        for value in r.accessibility:
            put(
                "accessibility",
                {
                    "id": hsds_id("accessibility", f"{r.id}:{value}"),
                    "location_id": location_id,
                    "description": ACCESSIBILITY_TEXT.get(value, value),
                    "details": value,
                },
            )
        for field_name in TERM_FIELDS:
            value = getattr(r, field_name)
            for item in value if field_name in LIST_FIELDS else ([value] if value else []):
                attribute(service_id, field_name, item)
        for field_name in VALUE_FIELDS:
            value = getattr(r, field_name)
            if value:
                attribute(service_id, field_name, "", value)
    return {name: list(rows.values()) for name, rows in tables.items()}


def _csv_text(table: str, rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[table], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def export_hsds(records: list[Resource], folder: str | Path | None = None) -> dict[str, bytes]:
    """The package as file name → bytes (UTF-8); written into `folder` when given."""
    tables = hsds_tables(records)
    files = {f"{name}.csv": _csv_text(name, rows).encode("utf-8") for name, rows in tables.items()}
    files["datapackage.json"] = package_descriptor(COLUMNS).encode("utf-8")
    if folder is not None:
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
    return files


def export_hsds_zip(records: list[Resource]) -> bytes:
    """The package as one .zip file (what the app offers for download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(export_hsds(records).items()):
            info = zipfile.ZipInfo(
                name, date_time=(2020, 1, 1, 0, 0, 0)
            )  # fixed stamp: same records, same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
