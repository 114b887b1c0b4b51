"""The HSDS 3 export against the standard's own JSON Schemas, and its lossless re-import (CSV package and JSON)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from directory.catalog import Catalog
from directory.importers import hsds
from directory.render.hsds_export import (
    COLUMNS,
    REPORT_FILE,
    SCHEMA_DIR,
    TABLE_SCHEMAS,
    export_hsds,
    export_hsds_json,
    export_hsds_zip,
)
from directory.schema import Resource, Slot
from tests.feed_conformance import hsds_errors, hsds_table_schemas

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-01-05"

GENERATED = [
    Resource(
        id="gen-hsds-clinic",
        name="Generated Test Clinic",
        category="treatment",
        source="gen-test",
        source_url="https://example.org/generated-test/clinic",
        as_of="2025-06-30",
        address="10 Test Plaza",
        city="Springfield",
        state="IL",
        zip="62701",
        latitude=39.8,
        longitude=-89.65,
        geocode_precision="address",
        phones=("(217) 555-0100 ext. 12", "988, press 1", "call the front desk"),
        hours="Mon-Fri 9-5",
        payment=("medicaid",),
    ),
    Resource(
        id="gen-hsds-out-of-state",
        name="Generated Out-of-State Office",
        organization="Generated Out-of-State Office",
        category="national_resource",
        source="gen-test",
        source_url="https://example.org/generated-test/office",
        as_of="2025-06-30",
        city="Rockville",
        state="MD",
        zip="20857",
        coverage="national",
        geocode_precision="none",
    ),
    Resource(
        id="gen-hsds-online",
        name="Generated Online Group",
        category="support_group",
        source="gen-test",
        source_url="https://example.org/generated-test/online",
        as_of="2025-06-30",
        format="online",
        conference_url="https://example.org/generated-test/zoom",
        schedule=(Slot(1, "19:00", "20:00"), Slot(4, "07:30")),
    ),
]


def _shipped() -> list[Resource]:
    with Catalog(ROOT / "data" / "catalog.db", readonly=True) as catalog:
        return catalog.records()


def _rows(files: dict[str, bytes], table: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[f"{table}.csv"].decode("utf-8"), newline="")))


def test_the_copied_schemas_are_the_published_ones(shared_data):
    """directory/render/hsds_schema holds unchanged copies of the HSDS 3 schemas in ../shared."""
    for name in TABLE_SCHEMAS.values():
        published = shared_data / "specs" / "hsds" / "schema" / f"{name}.json"
        assert (SCHEMA_DIR / f"{name}.json").read_bytes() == published.read_bytes(), name


def test_datapackage_is_generated_from_the_schemas(shared_data):
    """Field types, formats, required fields and enums in datapackage.json are the schemas' own."""
    package = json.loads(export_hsds(GENERATED)["datapackage.json"])
    schemas = hsds_table_schemas(shared_data / "specs")
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(COLUMNS)
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"]}
    assert fields["locations"]["latitude"]["type"] == "number"
    assert (
        fields["schedules"]["dtstart"]["type"] == "date" and fields["schedules"]["opens_at"]["type"] == "time"
    )
    assert (
        fields["services"]["status"]["constraints"]["enum"]
        == schemas["services"]["properties"]["status"]["enum"]
    )
    assert fields["services"]["id"]["format"] == "uuid"
    for table, schema in schemas.items():
        if table not in fields:
            continue
        for name in [*schema.get("required", []), *schema.get("tabular_required", [])]:
            assert fields[table][name]["constraints"]["required"] is True, (table, name)
    assert not all(f["type"] == "string" for t in fields.values() for f in t.values())


@pytest.mark.parametrize("which", ["generated", "shipped"])
def test_every_row_is_valid_against_the_hsds_schemas(shared_data, which):
    """No cell or row of the package breaks an HSDS 3 rule (required, types, enums, formats, ISO dates)."""
    records = GENERATED if which == "generated" else _shipped()
    assert hsds_errors(export_hsds(records), shared_data / "specs") == []


def test_rows_that_cannot_be_filled_are_left_out_with_a_report_line():
    """An address without a street and a phone that is a sentence are not written, and the report says so."""
    files = export_hsds(GENERATED)
    report = files[REPORT_FILE].decode("utf-8")
    assert "gen-hsds-out-of-state: address row left out" in report
    assert "'call the front desk' left out" in report
    assert "gen-hsds-online: 1 schedule(s) without closes_at" in report
    assert all(row["address_1"] for row in _rows(files, "addresses"))


def test_phones_are_e164_with_their_extension():
    """Numbers in E.164, the extension in its own column, the written form in the description."""
    phones = {row["description"]: row for row in _rows(export_hsds(GENERATED), "phones")}
    assert phones["(217) 555-0100 ext. 12"]["number"] == "+12175550100"
    assert phones["(217) 555-0100 ext. 12"]["extension"] == "12"
    assert phones["988, press 1"]["number"] == "988"


def test_schedules_carry_freq_byday_dtstart_timezone_and_times():
    """Each weekly slot is an RRULE-style row with a first date, an offset and HH:MM:SS times."""
    rows = sorted(_rows(export_hsds(GENERATED), "schedules"), key=lambda r: r["byday"])
    assert [
        (r["freq"], r["byday"], r["dtstart"], r["timezone"], r["opens_at"], r["closes_at"]) for r in rows
    ] == [
        ("WEEKLY", "FR", "2025-07-04", "-6", "07:30:00", ""),
        ("WEEKLY", "TU", "2025-07-01", "-6", "19:00:00", "20:00:00"),
    ]


def test_virtual_locations_have_a_url():
    """An online or placeless service's virtual location has its join link (or its own page) as url."""
    locations = _rows(export_hsds(GENERATED + _shipped()), "locations")
    virtual = [row for row in locations if row["location_type"] == "virtual"]
    assert virtual and all(row["url"].startswith(("http://", "https://")) for row in virtual)
    online = next(r for r in virtual if r["external_identifier"] == "gen-hsds-online")
    assert online["url"] == "https://example.org/generated-test/zoom"


@pytest.mark.parametrize("form", ["zip", "json"])
def test_generated_records_come_back_unchanged(form):
    """Both forms re-import to the same records, the out-of-state office with the place it was exported with."""
    data = export_hsds_zip(GENERATED) if form == "zip" else export_hsds_json(GENERATED)
    result = hsds.parse(data, as_of=TODAY)
    assert result.errors == []
    assert sorted(result.records, key=lambda r: r.id) == sorted(GENERATED, key=lambda r: r.id)
    office = next(r for r in result.records if r.id == "gen-hsds-out-of-state")
    assert office.latitude is None and office.geocode_precision == "none"


@pytest.mark.parametrize("form", ["zip", "json"])
def test_the_shipped_catalog_comes_back_unchanged(form):
    """Every shipped record survives the export and re-import field for field (all or nothing passes)."""
    records = _shipped()
    data = export_hsds_zip(records) if form == "zip" else export_hsds_json(records)
    result = hsds.parse(data, as_of=TODAY)
    assert result.errors == []
    assert sorted(result.records, key=lambda r: r.id) == sorted(records, key=lambda r: r.id)


def test_json_form_nests_services_as_the_api_does():
    """The JSON form is a paged list of full services with organization, locations, phones and schedules."""
    page = json.loads(export_hsds_json(GENERATED))
    assert page["total_items"] == 3 and page["first_page"] and page["last_page"]
    clinic = next(s for s in page["contents"] if s["name"] == "Generated Test Clinic")
    assert clinic["organization"]["name"] == "Generated Test Clinic" and clinic["organization"]["description"]
    location = clinic["service_at_locations"][0]["location"]
    assert location["latitude"] == 39.8 and location["addresses"][0]["postal_code"] == "62701"
    assert {p["number"] for p in clinic["phones"]} == {"+12175550100", "988"}


@pytest.mark.parametrize("which", ["generated", "shipped"])
def test_every_json_service_is_valid_against_the_compiled_service_schema(shared_data, which):
    """Each full service of the JSON form (organization, locations, phones, schedules nested) validates."""
    import jsonschema

    schema = json.loads(
        (shared_data / "specs" / "hsds" / "schema" / "compiled" / "service_list.json").read_bytes()
    )
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    page = json.loads(export_hsds_json(GENERATED if which == "generated" else _shipped()))
    assert page["contents"]
    errors = [e.message for service in page["contents"] for e in validator.iter_errors(service)]
    assert errors == []
    # The check can fail: a service without its required status is refused.
    assert list(validator.iter_errors({k: v for k, v in page["contents"][0].items() if k != "status"}))
