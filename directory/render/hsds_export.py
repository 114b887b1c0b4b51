"""The catalog as an Open Referral HSDS 3 CSV data package (datapackage.json plus one CSV per table).

Each record becomes a service at a location of its organization; fields HSDS has no column for travel
as attributes of our own taxonomy, so `directory.importers.hsds` reads the package back into the same
records. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from directory import phones
from directory.importers.hsds import (
    ADDRESS_FIELDS,
    ID_SCHEME,
    TAXONOMY_NAME,
    TERM_FIELDS,
    VALUE_FIELDS,
    WEEKDAY_CODES,
    hsds_id,
)
from directory.render.spreadsheet import neutralise, restore
from directory.schema import LIST_FIELDS, WEEKDAY_NAMES, Resource, format_float, label
from directory.words import t

SCHEMA_DIR = Path(__file__).with_name("hsds_schema")
# Our tables and the HSDS 3 schema file describing one row of each.
TABLE_SCHEMAS = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "service_at_location": "service_at_location",
    "addresses": "address",
    "phones": "phone",
    "schedules": "schedule",
    "languages": "language",
    "accessibility": "accessibility",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "attributes": "attribute",
}
# JSON Schema formats → Frictionless Table Schema string formats.
_FORMATS = {"uuid": "uuid", "uri": "uri", "email": "email"}


@lru_cache(maxsize=1)
def table_schemas() -> dict[str, dict]:
    """Table name → its HSDS 3 JSON Schema (read from the copies in `hsds_schema/`)."""
    return {
        table: json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
        for table, name in TABLE_SCHEMAS.items()
    }


def _scalar(prop: dict) -> bool:
    return prop.get("type") not in ("array", "object") and "$ref" not in prop


def _columns() -> dict[str, list[str]]:
    return {
        table: [name for name, prop in schema["properties"].items() if _scalar(prop)]
        for table, schema in table_schemas().items()
    }


def required_fields(table: str) -> list[str]:
    """The fields a row must fill: the schema's `required` and, for the CSV form, `tabular_required`."""
    schema = table_schemas()[table]
    return [*schema.get("required", []), *schema.get("tabular_required", [])]


def package_descriptor() -> str:
    """datapackage.json generated from the HSDS 3 schemas: field types and formats, required, enums, keys."""
    resources = []
    for table, schema in table_schemas().items():
        required = set(required_fields(table))
        fields = []
        for name, prop in schema["properties"].items():
            if not _scalar(prop):
                continue
            field: dict = {"name": name, "type": prop.get("datapackage_type") or prop.get("type", "string")}
            if prop.get("format") in _FORMATS and field["type"] == "string":
                field["format"] = _FORMATS[prop["format"]]
            if prop.get("title"):
                field["title"] = prop["title"]
            if prop.get("description"):
                field["description"] = prop["description"]
            constraints: dict = {}
            if name in required:
                constraints["required"] = True
            if prop.get("enum"):
                constraints["enum"] = prop["enum"]
            if name == "id":
                constraints["unique"] = True
            if constraints:
                field["constraints"] = constraints
            fields.append(field)
        foreign = [
            {"fields": f"{target}_id", "reference": {"resource": resource, "fields": "id"}}
            for target, resource in (
                ("organization", "organizations"),
                ("service", "services"),
                ("location", "locations"),
                ("service_at_location", "service_at_location"),
                ("taxonomy", "taxonomies"),
                ("taxonomy_term", "taxonomy_terms"),
            )
            if f"{target}_id" in {f["name"] for f in fields} and resource != table
        ]
        table_schema: dict = {"fields": fields, "primaryKey": ["id"]}
        if foreign:
            table_schema["foreignKeys"] = foreign
        resources.append(
            {
                "name": table,
                "path": f"{table}.csv",
                "description": schema.get("description", ""),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema,
            }
        )
    package = {
        "name": TAXONOMY_NAME,
        "title": "Illinois Aftercare Directory (HSDS 3.0 export)",
        "profile": "tabular-data-package",
        "licenses": [{"name": "CC-BY-SA-4.0", "title": "HSDS schemas: Open Referral, CC BY-SA 4.0"}],
        "resources": resources,
    }
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


COLUMNS: dict[str, list[str]] = _columns()
REPORT_FILE = "export_report.txt"
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


def _safe(value: object) -> str:
    """Text for a CSV cell, through the project's one formula rule."""
    return neutralise(value)


def _first_date(as_of: str, weekday: int) -> str:
    """The schedule's dtstart: the first listed weekday on or after the record's as-of date (stable)."""
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        day = date(2000, 1, 3)
    return (day + timedelta(days=(weekday - day.weekday()) % 7)).isoformat()


def hsds_package(records: list[Resource]) -> tuple[dict[str, list[dict[str, str]]], list[str]]:
    """The records as HSDS tables (table name → rows of strings) and the export report.

    Every row fills its schema's required fields from the record; a row that cannot (an address with no
    street, a phone that is a sentence) is left out with a line in the report, and what it held travels
    as an attribute of our taxonomy so our importer gives the record back unchanged.
    """
    tables: dict[str, dict[str, dict[str, str]]] = {name: {} for name in COLUMNS}
    report: list[str] = []
    org_services: dict[str, list[str]] = {}

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

    def attribute(service_id: str, field_name: str, value: str, free_value: str = "", n: int = 0) -> None:
        code = field_name if free_value else f"{field_name}:{value}"
        term_id = hsds_id("term", code)
        name = label(field_name, value) if not free_value else field_name.replace("_", " ")
        words = field_name.replace("_", " ")
        put(
            "taxonomy_terms",
            {
                "id": term_id,
                "code": code,
                "name": name,
                "description": t("hsds.term_description", field=words, value=name)
                if not free_value
                else t("hsds.term_description_free", field=words),
                "taxonomy": TAXONOMY_NAME,
                "taxonomy_id": taxonomy_id,
                "language": "en",
            },
        )
        put(
            "attributes",
            {
                "id": hsds_id("attribute", f"{service_id}:{code}" + (f":{n}" if n else "")),
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
        org_services.setdefault(org_id, []).append(r.name)
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
                # A virtual location is reached by its join link, else the service's own page or listing.
                "url": (r.conference_url or r.website or r.source_url) if virtual else "",
                "organization_id": org_id,
                "name": r.address2 or r.name,
                "latitude": format_float(r.latitude),
                "longitude": format_float(r.longitude),
                "external_identifier": r.id,
                "external_identifier_type": ID_SCHEME,
            },
        )
        put("service_at_location", {"id": sal_id, "service_id": service_id, "location_id": location_id})
        address = {
            "address_1": r.address,
            "address_2": r.address2,
            "city": r.city,
            "region": r.county,
            "state_province": r.state,
            "postal_code": r.zip,
            "country": "US",
            "address_type": "physical",
        }
        if any((r.address, r.address2, r.city, r.zip, r.state, r.county)):
            missing = [f for f in required_fields("addresses") if f != "id" and not address.get(f)]
            if missing:
                report.append(t("report.address_left_out", id=r.id, missing=", ".join(missing)))
                for field_name in ADDRESS_FIELDS:
                    if getattr(r, field_name):
                        attribute(service_id, field_name, "", getattr(r, field_name))
            else:
                put("addresses", {"id": hsds_id("address", r.id), "location_id": location_id, **address})
        for n, text in enumerate(r.phones):
            phone = phones.try_parse(text)
            if phone is None:
                report.append(
                    t("report.phone_left_out", id=r.id, phone=text, problem="not a dialable number")
                )
                attribute(service_id, "phone_text", "", f"{n}:{text}", n=n + 1)
                continue
            put(
                "phones",
                {
                    "id": hsds_id("phone", f"{r.id}:{n}"),
                    "service_id": service_id,
                    "number": phone.e164,
                    "extension": phone.extension,
                    "type": "sms" if phone.kind == "sms" else "voice",
                    # The form people read (menu key, text keyword included); our importer reads it back.
                    "description": text,
                },
            )
        no_end = 0
        for slot in r.schedule:
            no_end += not slot.end
            put(
                "schedules",
                {
                    "id": hsds_id("schedule", f"{r.id}:{slot}"),
                    "service_id": service_id,
                    "service_at_location_id": sal_id,
                    "dtstart": _first_date(r.as_of, slot.weekday),
                    "timezone": "-6",
                    "freq": "WEEKLY",
                    "interval": "1",
                    "byday": WEEKDAY_CODES[slot.weekday],
                    "description": t(
                        "hsds.schedule_description", day=WEEKDAY_NAMES[slot.weekday], time=slot.start
                    )
                    + ("" if slot.end else " " + t("hsds.no_end")),
                    "opens_at": f"{slot.start}:00",
                    "closes_at": f"{slot.end}:00" if slot.end else "",
                    "attending_type": label("format", r.format) if r.format else "",
                    "notes": t("hsds.timezone_note"),
                },
            )
        if no_end:
            report.append(t("report.no_end", id=r.id, count=no_end))
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
        if r.organization and r.organization == r.name:
            attribute(service_id, "organization", "", r.organization)  # the tables cannot tell it from none
    for org_id, names in org_services.items():
        shown = "; ".join(sorted(set(names)))
        tables["organizations"][org_id]["description"] = _safe(
            t("hsds.organization_description", services=shown[:1000])
        )
    return {name: list(rows.values()) for name, rows in tables.items()}, report


def hsds_tables(records: list[Resource]) -> dict[str, list[dict[str, str]]]:
    """The records as HSDS tables: table name → rows (dicts of strings)."""
    return hsds_package(records)[0]


def _csv_text(table: str, rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[table], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def export_hsds(records: list[Resource], folder: str | Path | None = None) -> dict[str, bytes]:
    """The package as file name → bytes (UTF-8); written into `folder` when given."""
    tables, report = hsds_package(records)
    files = {f"{name}.csv": _csv_text(name, rows).encode("utf-8") for name, rows in tables.items()}
    files["datapackage.json"] = package_descriptor().encode("utf-8")
    # What was left out and why: one line per row (not an HSDS table, so readers of the package skip it).
    files[REPORT_FILE] = "".join(f"{line}\n" for line in report).encode("utf-8")
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


def _json_row(table: str, row: dict[str, str]) -> dict:
    """A CSV row as HSDS JSON: the text as written (no formula apostrophe), numbers as numbers, no empties."""
    props = table_schemas()[table]["properties"]
    out: dict = {}
    for name, cell in row.items():
        text = restore(cell)
        if text == "":
            continue
        if props.get(name, {}).get("type") == "number":
            number = float(text)
            out[name] = int(number) if number.is_integer() else number
        else:
            out[name] = text
    return out


def export_hsds_json(records: list[Resource]) -> bytes:
    """The records as an HSDS 3 JSON paged list of full services (one page), as the API's /services returns."""
    tables, _ = hsds_package(records)
    by = {name: [_json_row(name, row) for row in rows] for name, rows in tables.items()}

    def index(table: str, key: str) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        for row in by[table]:
            found.setdefault(str(row.get(key, "")), []).append(row)
        return found

    organizations = {row["id"]: row for row in by["organizations"]}
    locations = {row["id"]: row for row in by["locations"]}
    terms = {row["id"]: row for row in by["taxonomy_terms"]}
    addresses, access = index("addresses", "location_id"), index("accessibility", "location_id")
    service_phones, schedules = index("phones", "service_id"), index("schedules", "service_id")
    languages, attributes = index("languages", "service_id"), index("attributes", "link_id")
    sals = index("service_at_location", "service_id")
    contents = []
    for service in by["services"]:
        sid = service["id"]
        full = dict(service)
        full["organization"] = organizations.get(service.get("organization_id", ""), {})
        full["phones"] = service_phones.get(sid, [])
        full["schedules"] = schedules.get(sid, [])
        full["languages"] = languages.get(sid, [])
        full["attributes"] = [
            {**a, "taxonomy_term": terms[a["taxonomy_term_id"]]} for a in attributes.get(sid, [])
        ]
        full["service_at_locations"] = [
            {
                **sal,
                "location": {
                    **locations[sal["location_id"]],
                    "addresses": addresses.get(sal["location_id"], []),
                    "accessibility": access.get(sal["location_id"], []),
                },
            }
            for sal in sals.get(sid, [])
        ]
        contents.append(full)
    page = {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
    return (json.dumps(page, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
