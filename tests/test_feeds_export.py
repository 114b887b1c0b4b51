"""Exports other directories can take: an HSDS 3 CSV package and a Meeting Guide feed, read back by our importers."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from directory.importers import findtreatment, hsds, meeting_guide
from directory.render.hsds_export import COLUMNS, export_hsds, export_hsds_zip
from directory.render.meeting_guide_export import export_meeting_guide
from directory.schema import Resource, Slot
from tests.feed_server import generated_bmlt_meetings, generated_findtreatment_pages

TODAY = "2026-01-05"

# Generated test records covering every field HSDS carries, including awkward text.
GENERATED = [
    Resource(
        id="gen-test-meeting-1",
        name="Generated Test Meeting – Año ✓",
        category="support_group",
        subcategory="meeting",
        source="gen-test",
        source_url="https://example.org/generated-test/1",
        as_of="2025-11-30",
        organization="Generated Test Group",
        description='Second floor; "side door" – bring nothing',
        address="101 Test Street",
        address2="Generated Test Hall",
        city="Testville",
        state="IL",
        zip="62701",
        county="Sangamon",
        latitude=39.801234,
        longitude=-89.654321,
        geocode_precision="address",
        format="hybrid",
        conference_url="https://example.org/generated-test-zoom",
        conference_phone="+12175550123,,999#",
        schedule=(Slot(0, "19:00", "20:00"), Slot(3, "19:00", "20:00"), Slot(5, "09:30")),
        fellowship="AA",
        meeting_types=("O", "W", "X", "S"),
        populations=("women",),
        languages=("es", "en"),
        accessibility=("wheelchair",),
        payment=("free",),
        status="temporarily_closed",
        notes="Generated test record.",
    ),
    Resource(
        id="gen-test-facility-1",
        name="=Generated Test Facility",  # a formula-looking name must survive, neutralised in the CSV
        category="treatment",
        subcategory="opioid_treatment_program",
        source="gen-test",
        source_url="https://example.org/generated-test/2",
        as_of="2024-02-29",
        address="202 Example Avenue",
        city="Testville",
        state="IL",
        zip="60601",
        latitude=41.88,
        longitude=-87.62,
        geocode_precision="zip",
        coverage="local",
        phones=("217-555-0100", "+1 217 555 0101"),
        website="https://example.org/generated-test-facility",
        email="generated-test@example.org",
        format="in_person",
        hours="Mon-Fri 8am-4pm",
        services=("substance_use", "outpatient", "opioid_treatment_program"),
        payment=("medicaid", "sliding_fee"),
        cost="-sliding scale, ask",
        moud_services=("methadone", "buprenorphine"),
        mat_friendly="yes",
        license="Generated test licence",
        verification="unconfirmed",
    ),
    Resource(
        id="gen-test-online-1",
        name="Generated Test Online Meeting",
        category="support_group",
        subcategory="meeting",
        source="gen-test-2",
        source_url="https://example.org/generated-test/3",
        as_of="2025-01-01",
        format="online",
        conference_url="https://example.org/generated-test-online",
        schedule=(Slot(6, "20:00", "21:00"),),
        coverage="statewide",
        status="inactive",
    ),
]


def test_hsds_package_round_trip_gives_the_same_records(tmp_path):
    """Exported as an HSDS CSV package and read back by our importer, every record comes back equal."""
    export_hsds(GENERATED, tmp_path / "package")
    result = hsds.parse(tmp_path / "package", source_key="unused", as_of=TODAY)
    assert result.errors == []
    assert sorted(result.records, key=lambda r: r.id) == sorted(GENERATED, key=lambda r: r.id)


def test_hsds_round_trip_of_imported_feeds(shared_data):
    """Records from each feed importer survive the HSDS round trip unchanged."""
    kc = meeting_guide.parse(
        shared_data / "feeds" / "meeting-guide" / "kansas-city-aa.json", source_key="aa-kc", fellowship="AA"
    ).records
    ft = findtreatment.parse(generated_findtreatment_pages(5), source_key="ft-test", as_of=TODAY).records
    from directory.importers import bmlt

    na = bmlt.parse(generated_bmlt_meetings(6), source_key="na-test", as_of=TODAY).records
    records = kc + ft + na
    data = export_hsds_zip(records)
    result = hsds.parse(data, as_of=TODAY)
    assert result.errors == []
    assert sorted(result.records, key=lambda r: r.id) == sorted(records, key=lambda r: r.id)


def test_hsds_package_is_a_valid_tabular_data_package(tmp_path):
    """datapackage.json lists every CSV with its columns; ids are UUIDs; no cell starts a formula."""
    files = export_hsds(GENERATED, tmp_path)
    package = json.loads(files["datapackage.json"])
    assert package["profile"] == "tabular-data-package"
    listed = {r["path"] for r in package["resources"]}
    assert listed == {f"{name}.csv" for name in COLUMNS} and listed <= set(files)
    services = list(csv.DictReader(io.StringIO(files["services.csv"].decode("utf-8"))))
    assert len(services) == 3 and all(len(s["id"]) == 36 and s["id"].count("-") == 4 for s in services)
    for name in listed:
        for row in csv.reader(io.StringIO(files[name].decode("utf-8"))):
            assert not any(cell.startswith(("=", "@")) for cell in row), (name, row)
    assert any(s["name"] == "'=Generated Test Facility" for s in services)
    phones = files["phones.csv"].decode("utf-8")
    # Numbers are E.164 (a plain number, not neutralised); the written form travels in the description.
    assert ",+12175550101,,voice," in phones and ",+12175550100,,voice," in phones
    statuses = {s["name"]: s["status"] for s in services}
    assert statuses["Generated Test Meeting – Año ✓"] == "temporarily closed"


def test_hsds_zip_is_reproducible():
    """The same records give the same zip bytes (fixed timestamps, sorted rows)."""
    assert export_hsds_zip(GENERATED) == export_hsds_zip(list(reversed(GENERATED)))
    with zipfile.ZipFile(io.BytesIO(export_hsds_zip(GENERATED))) as archive:
        assert "datapackage.json" in archive.namelist()


def test_meeting_guide_export_reads_back_with_our_importer():
    """Meetings exported as Meeting Guide JSON come back, one record per weekday, with the same place and types."""
    meeting = GENERATED[0].replace(status="active")
    feed = json.loads(export_meeting_guide([meeting, *GENERATED[1:]]))
    # The facility is not a meeting and the inactive meeting is not listed.
    assert [e["slug"] for e in feed] == [
        "gen-test-meeting-1-mon-1900",
        "gen-test-meeting-1-thu-1900",
        "gen-test-meeting-1-sat-0930",
    ]
    assert [e["day"] for e in feed] == [1, 4, 6]
    assert feed[2]["time"] == "09:30" and "end_time" not in feed[2]
    assert feed[0]["time"] == "19:00" and feed[0]["end_time"] == "20:00"
    result = meeting_guide.parse(feed, source_key="back", fellowship="AA")
    assert result.errors == []
    first = next(r for r in result.records if r.id == "back-gen-test-meeting-1-mon-1900")
    original = meeting
    for name in (
        "name",
        "address",
        "address2",
        "city",
        "state",
        "zip",
        "latitude",
        "longitude",
        "format",
        "conference_url",
        "conference_phone",
        "populations",
        "accessibility",
        "status",
        "as_of",
        "description",
        "organization",
    ):
        assert getattr(first, name) == getattr(original, name), name
    assert set(first.languages) == set(original.languages)
    assert first.schedule == (Slot(0, "19:00", "20:00"),)


def test_meeting_guide_export_marks_a_closed_meeting_closed():
    """A temporarily closed meeting exports with TC and no link, so readers do not list it as online."""
    (entry, *_) = json.loads(export_meeting_guide([GENERATED[0]]))
    assert "TC" in entry["types"] and "ONL" not in entry["types"] and "conference_url" not in entry
    (back, *_) = meeting_guide.parse([entry], source_key="back").records
    assert back.status == "temporarily_closed" and back.format == "in_person"


@pytest.mark.parametrize("records", [[], [GENERATED[1]]])
def test_meeting_guide_export_without_meetings_is_an_empty_list(records):
    """No meetings gives a valid empty feed, not an error."""
    assert json.loads(export_meeting_guide(records)) == []


def test_hsds_export_writes_files_only_where_asked(tmp_path: Path):
    """Without a folder nothing is written; with one, each file lands there."""
    files = export_hsds(GENERATED)
    assert not any(tmp_path.iterdir())
    export_hsds(GENERATED, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files)
