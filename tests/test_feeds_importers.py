"""Feed importers: Meeting Guide (both flavours), BMLT, FindTreatment and HSDS map onto our records."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from directory.importers import bmlt, findtreatment, hsds, importer, meeting_guide
from directory.schema import Slot, validate
from tests.feed_server import generated_bmlt_meetings, generated_findtreatment_pages

TODAY = "2026-01-05"
TEST_URL = "https://example.org/generated-test-feed"


@pytest.fixture(scope="module")
def feeds_dir(shared_data: Path) -> Path:
    return shared_data / "feeds"


@pytest.fixture(scope="module")
def kc(feeds_dir: Path):
    return meeting_guide.parse(
        feeds_dir / "meeting-guide" / "kansas-city-aa.json", source_key="aa-kc", fellowship="AA"
    )


@pytest.fixture(scope="module")
def alanon(feeds_dir: Path):
    return meeting_guide.parse(
        feeds_dir / "meeting-guide" / "al-anon.json", source_key="alanon", fellowship="Al-Anon", region=False
    )


@pytest.mark.parametrize("name", ["meeting-guide", "bmlt", "findtreatment", "hsds"])
def test_feed_formats_are_registered(name):
    """Each feed format is reachable through the importer registry and has parse()."""
    assert callable(importer(name).parse)


def test_meeting_guide_plain_feed_reads_every_meeting(kc):
    """All 206 Kansas City meetings import (Missouri borders Illinois) with provenance and no errors."""
    assert len(kc.records) == 206 and kc.errors == []
    assert all(validate(r) == [] for r in kc.records)
    first = next(r for r in kc.records if r.id == "aa-kc-254")
    assert first.name == "Ward Parkway Group"
    assert first.as_of == "2021-05-26"  # from `updated`, not the ingest date
    assert first.schedule == (Slot(6, "18:30"),)  # Meeting Guide day 0 = Sunday → our 6
    assert (first.zip, first.state, first.geocode_precision) == ("64113", "MO", "address")
    assert first.source_url == "http://district6.wamo-aa.org/meetinfo2.cfm?id=254"
    assert first.category == "support_group" and first.fellowship == "AA"


def test_meeting_guide_online_and_temporarily_closed(kc):
    """Conference links make meetings hybrid or online; TC without a link is temporarily closed."""
    by_id = {r.id: r for r in kc.records}
    paseo = by_id["aa-kc-284"]  # "C", "onl" with a Zoom link and a street address
    assert paseo.format == "hybrid" and paseo.conference_url.startswith("https://")
    assert paseo.meeting_types == ("C", "ONL")
    closed = [
        r for r in kc.records if "TC" in r.meeting_types and not (r.conference_url or r.conference_phone)
    ]
    assert closed and all(r.status == "temporarily_closed" for r in closed)
    online_tc = [r for r in kc.records if "TC" in r.meeting_types and r.conference_url]
    assert online_tc and all(r.format == "online" and r.status == "active" for r in online_tc)
    assert all(r.latitude is None for r in online_tc)  # an online meeting has no place on the map


def test_meeting_guide_types_map_onto_our_fields(kc):
    """W, LGBTQ and X become populations and accessibility; the codes stay in meeting_types."""
    women = [r for r in kc.records if "W" in r.meeting_types]
    assert women and all("women" in r.populations for r in women)
    wheelchair = [r for r in kc.records if "X" in r.meeting_types]
    assert wheelchair and all("wheelchair" in r.accessibility for r in wheelchair)
    assert all("women" not in r.populations for r in kc.records if "W" not in r.meeting_types)


def test_meeting_guide_tsml_export_flavour(alanon):
    """The 12 Step Meeting List export maps attendance_option, formatted_address and group."""
    assert len(alanon.records) == 360 and alanon.errors == []
    formats = Counter(r.format for r in alanon.records)
    assert formats == Counter({"in_person": 187, "online": 113, "hybrid": 60})
    assert sum(r.status == "temporarily_closed" for r in alanon.records) == 31
    in_person = next(r for r in alanon.records if r.format == "in_person" and r.address)
    assert in_person.state and len(in_person.zip) == 5 and in_person.city
    assert all("families" in r.populations for r in alanon.records)  # Al-Anon serves families and friends


def test_meeting_guide_rejects_out_of_region_coordinates_by_default(feeds_dir):
    """Without region=False, meetings placed far outside Illinois are row errors, not records."""
    result = meeting_guide.parse(feeds_dir / "meeting-guide" / "al-anon.json", source_key="alanon")
    assert result.errors and all(p.field == "latitude" for p in result.errors)
    assert all(r.latitude is None or r.longitude > -96.7 for r in result.records)


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"name": "Generated Test Meeting", "day": 1, "time": "19:00"}, "slug"),
        ({"slug": "t1", "day": 1, "time": "19:00"}, "name"),
        ({"slug": "t1", "name": "Generated Test Meeting", "day": 9, "time": "19:00"}, "day"),
        ({"slug": "t1", "name": "Generated Test Meeting", "day": 1, "time": "7pm"}, "time"),
    ],
)
def test_meeting_guide_row_errors_name_the_field(item, field):
    """A meeting that cannot be mapped becomes one row error naming its field, and no record."""
    result = meeting_guide.parse([item], source_key="test", source_url=TEST_URL, as_of=TODAY, region=False)
    assert result.records == []
    assert [p.field for p in result.errors] == [field] and result.errors[0].row == 1


def test_meeting_guide_day_list_gives_one_slot_per_day():
    """`day` as a list gives a slot on each day; end_time is kept."""
    item = {
        "slug": "t1",
        "name": "Generated Test Meeting",
        "day": [0, 3],
        "time": "7:00",
        "end_time": "08:00",
    }
    (record,) = meeting_guide.parse([item], source_key="test", source_url=TEST_URL, as_of=TODAY).records
    assert record.schedule == (Slot(2, "07:00", "08:00"), Slot(6, "07:00", "08:00"))
    assert record.as_of == TODAY


def test_meeting_guide_reports_broken_json_as_one_error(tmp_path):
    """A damaged feed file is one clear problem, not a traceback."""
    path = tmp_path / "feed.json"
    path.write_text('[{"slug": "a", "name": "Gen', encoding="utf-8")
    result = meeting_guide.parse(path)
    assert result.records == [] and len(result.errors) == 1
    assert "stops part-way" in result.errors[0].message and result.errors[0].file == "feed.json"


def test_bmlt_generated_fixture_maps_weekday_times_and_venues():
    """BMLT weekday 1 = Sunday, start + duration = end, venue 1/2/3 = in person/online/hybrid."""
    data = generated_bmlt_meetings(6)
    result = bmlt.parse(data, source_key="na-test", as_of=TODAY)
    assert result.errors == [] and len(result.records) == 6
    by_id = {r.id: r for r in result.records}
    m1 = by_id["na-test-1001"]  # weekday_tinyint 2 = Monday, venue 1
    assert m1.schedule == (Slot(0, "19:30", "21:00"),)
    assert m1.format == "in_person" and m1.as_of == TODAY and m1.fellowship == "NA"
    assert "women" in m1.populations and "wheelchair" in m1.accessibility
    assert m1.geocode_precision == "address" and m1.address2 == "Generated Test Hall 1"
    m2 = by_id["na-test-1002"]  # venue 3
    assert m2.format == "hybrid" and m2.conference_url
    assert m2.languages == ("es",) and "women" not in m2.populations
    m3 = by_id["na-test-1003"]
    assert m3.format == "online" and m3.latitude is None and m3.address == ""
    m6 = by_id["na-test-1006"]  # weekday_tinyint 7 = Saturday
    assert m6.schedule[0].weekday == 5


def test_bmlt_reads_a_bare_list_and_maps_temporarily_closed():
    """Without the formats envelope the common key strings still map; TC closes an in-person meeting."""
    meetings = generated_bmlt_meetings(1)["meetings"]
    meetings[0].update(venue_type="1", formats="O,TC,WC", virtual_meeting_link="")
    (record,) = bmlt.parse(json.dumps(meetings).encode(), source_key="na-test", as_of=TODAY).records
    assert record.status == "temporarily_closed" and record.accessibility == ("wheelchair",)


def test_bmlt_bad_weekday_is_a_row_error():
    """A weekday outside 1-7 is reported with its field, not guessed."""
    meetings = generated_bmlt_meetings(2)["meetings"]
    meetings[1]["weekday_tinyint"] = "0"
    result = bmlt.parse(meetings, source_key="na-test", as_of=TODAY)
    assert len(result.records) == 1 and [p.field for p in result.errors] == ["weekday_tinyint"]


def test_findtreatment_real_sample_maps_service_groups(feeds_dir):
    """The Virginia locator sample maps type of care, MOUD, payment, populations and languages."""
    result = findtreatment.parse(
        feeds_dir / "findtreatment" / "locator_sample_virginia.json", as_of=TODAY, region=False
    )
    assert len(result.records) == 30 and result.errors == []
    first = result.records[0]
    assert first.name == "Region Ten Community Services Board" and first.organization == "Mohr Center"
    assert first.as_of == TODAY and first.category == "treatment"
    assert set(first.services) == {"substance_use", "residential"}
    assert set(first.payment) == {"medicaid", "private_insurance", "self_pay", "sliding_fee"}
    assert first.phones == ("434-979-8871", "434-972-1800")
    assert first.mat_friendly == "yes"  # "Accepts clients on opioid medication"
    moud = Counter(m for r in result.records for m in r.moud_services)
    assert moud == Counter({"buprenorphine": 4, "methadone": 2, "naltrexone": 2})
    assert sum(r.subcategory == "opioid_treatment_program" for r in result.records) == 2
    assert sum("es" in r.languages for r in result.records) == 8
    # "for pain management or emergency dosing" alone must not count as MOUD
    assert all(r.moud_services for r in result.records if r.subcategory == "opioid_treatment_program")


def test_findtreatment_reads_several_pages():
    """A list of locator pages is read as one list of facilities."""
    pages = generated_findtreatment_pages(6, per_page=4)
    result = findtreatment.parse(pages, source_key="ft-test", as_of=TODAY)
    assert len(pages) == 2 and len(result.records) == 6 and result.errors == []
    assert result.records[0].moud_services == ("buprenorphine",)
    assert result.records[0].services == ("substance_use", "outpatient", "intensive_outpatient")


def test_hsds_example_csv_package_imports(shared_data):
    """The HSDS example CSV package gives one service at a location with its phone, schedule and language."""
    folder = shared_data / "specs" / "hsds" / "examples" / "csv"
    result = hsds.parse(folder, source_key="hsds-example", as_of=TODAY, region=False)
    assert result.errors == [] and len(result.records) == 1
    (record,) = result.records
    assert record.name == "Community Counselling" and record.organization == "Example Organization Inc."
    assert record.as_of == "2005-01-01"  # assured_date
    assert record.schedule == (Slot(3, "10:00", "18:00"), Slot(4, "10:00", "18:00"))
    assert record.languages == ("ur",) and record.phones == ("+44 1234 234567",)
    assert record.latitude is None  # the example's 100, 101 is not a place on Earth


@pytest.mark.parametrize(
    "name",
    [
        "service_full.json",
        "service_list.json",
        "service_at_location_full.json",
        "organization_full.json",
        "tabular.json",
    ],
)
def test_hsds_json_forms_import(shared_data, name):
    """Every HSDS JSON form (full, list, service at location, organization, tabular) gives records."""
    result = hsds.parse(
        shared_data / "specs" / "hsds" / "examples" / name,
        source_key="hsds-example",
        as_of=TODAY,
        region=False,
    )
    assert result.records, result.errors
    assert all(r.name for r in result.records)
    assert not any("Traceback" in str(p) for p in result.errors)


def test_hsds_rejects_what_is_not_hsds(tmp_path):
    """A JSON file without services is one clear error, not zero silent records."""
    path = tmp_path / "x.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    result = hsds.parse(path)
    assert result.records == [] and "no services" in result.errors[0].message
