"""Feed importers: Meeting Guide (both flavours), BMLT, FindTreatment and HSDS map onto our records."""

from __future__ import annotations

import gc
import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory import feeds
from directory.catalog import Catalog
from directory.importers import bmlt, findtreatment, hsds, importer, meeting_guide
from directory.schema import (
    FIELD_NAMES,
    FLOAT_FIELDS,
    Resource,
    Slot,
    clean_text,
    is_validated,
    resource_to_row,
    validate,
)
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
    assert record.languages == ("ur",) and record.phones == (
        "+44 1234 234567 ext. 100",
    )  # the extension is kept
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


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_bigint": ""}, "id_bigint"),
        ({"meeting_name": ""}, "meeting_name"),
        ({"weekday_tinyint": "8"}, "weekday_tinyint"),
        ({"start_time": "half past seven"}, "start_time"),
    ],
)
def test_bmlt_row_errors_name_the_field(change, field):
    """A BMLT meeting that cannot be mapped is one row error naming its field; its neighbour still imports."""
    meetings = generated_bmlt_meetings(2)["meetings"]
    meetings[1].update(change)
    result = bmlt.parse(meetings, source_key="na-test", as_of=TODAY)
    assert [(p.row, p.field) for p in result.errors] == [(2, field)]
    assert [r.id for r in result.records] == ["na-test-1001"]
    assert "|" not in result.errors[0].message  # the field is not smuggled inside the message


@pytest.mark.parametrize(
    ("change", "field"),
    [({"name1": ""}, "name1"), ({"street1": "", "city": ""}, "street1")],
)
def test_findtreatment_row_errors_name_the_field(change, field):
    """A locator row without a name or any address is one row error naming its field, and no record."""
    page = generated_findtreatment_pages(2, per_page=2)[0]
    page["rows"][0].update(change)
    result = findtreatment.parse(page, source_key="ft-test", as_of=TODAY)
    assert [(p.row, p.field) for p in result.errors] == [(1, field)]
    assert len(result.records) == 1


@pytest.mark.parametrize(
    ("module", "noun"),
    [(meeting_guide, "meeting"), (bmlt, "meeting"), (findtreatment, "facility")],
)
def test_an_entry_that_is_not_an_object_is_a_row_error(module, noun):
    """A bare number among the feed's entries is reported by row with the importer's noun, not a traceback."""
    result = module.parse([7], source_key="test", source_url=TEST_URL, as_of=TODAY)
    assert result.records == [] and result.rows_read == 1
    assert [(p.row, p.message) for p in result.errors] == [
        (1, f"the entry is not a {noun} object; it was left out")
    ]


@pytest.mark.parametrize(
    ("module", "words"),
    [
        (meeting_guide, "not a Meeting Guide feed"),
        (bmlt, "not a BMLT GetSearchResults response"),
        (findtreatment, "not a FindTreatment.gov locator response"),
    ],
)
def test_a_payload_of_the_wrong_kind_is_one_problem(module, words):
    """JSON that is not the importer's kind of feed is one problem saying so, with no row number."""
    result = module.parse(b'"just a string"', as_of=TODAY)
    assert result.records == [] and len(result.errors) == 1
    assert words in result.errors[0].message and result.errors[0].row is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("IL", "IL"),
        (" il ", "IL"),
        ("Illinois", "IL"),
        ("WISCONSIN", "WI"),
        ("Ohio", ""),
        ("I1", ""),
        (None, ""),
    ],
)
def test_state_code(value, expected):
    """State codes and the full names of Illinois and its neighbours become two capital letters."""
    assert feeds.state_code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Cook County", "Cook"), ("DuPage county", "DuPage"), ("Cook", "Cook"), ("County Line", "County Line")],
)
def test_county_name_drops_the_word_county(value, expected):
    """A trailing "County" is dropped, as the store keeps counties; a leading one is part of the name."""
    assert feeds.county_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/generated", "https://example.org/generated"),
        (" http://example.org/x ", "http://example.org/x"),
        ("example.org", ""),
        ("https://example.org/a b", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_http_url_keeps_only_whole_web_addresses(value, expected):
    """A feed's link is kept only when it is one http(s) address; anything else is dropped, not repaired."""
    assert feeds.http_url(value) == expected


def test_the_store_keeps_feed_records_as_they_were(tmp_path, kc):
    """Meetings imported from a feed read back from the store equal to what the importer made."""
    with Catalog(tmp_path / "c.db") as catalog:
        report = catalog.import_records(kc.records, source="aa-kc")
        assert len(report.added) == 206 and report.ok
        assert catalog.records() == sorted(kc.records, key=lambda r: r.id)
        cols = ", ".join(f'"{n}"' for n in FIELD_NAMES)
        stored = catalog.conn.execute(f"SELECT {cols} FROM resources WHERE id = 'aa-kc-284'").fetchone()
    record = next(r for r in kc.records if r.id == "aa-kc-284")
    text = resource_to_row(record)
    # Text columns hold the project CSV text; coordinates are REAL.
    assert dict(zip(FIELD_NAMES, stored)) == {
        n: getattr(record, n) if n in FLOAT_FIELDS else text[n] for n in FIELD_NAMES
    }


def test_the_store_still_rejects_what_an_importer_let_through_unchecked(tmp_path, feeds_dir):
    """Records read with region=False are not vouched for: the store checks them and refuses the far ones."""
    far = meeting_guide.parse(
        feeds_dir / "meeting-guide" / "al-anon.json", source_key="alanon", region=False
    ).records
    assert far and not any(is_validated(r) for r in far if r.has_location)
    with Catalog(tmp_path / "c.db") as catalog:
        report = catalog.import_records(far, source="alanon")
        assert not report.applied and report.rejected
        assert {p.field for p in report.rejected} == {"latitude"}
        assert catalog.count() == 0


def test_only_the_checked_object_itself_counts_as_checked(kc):
    """An importer's checked record is known; an equal copy and a changed one are validated anew."""
    record = kc.records[0]
    assert is_validated(record)
    assert not is_validated(record.replace())  # equal, but not the object that was checked
    assert not is_validated(record.replace(zip="606"))
    assert not is_validated(Resource(**{f: getattr(record, f) for f in FIELD_NAMES}))


def test_a_changed_copy_of_a_checked_record_is_rejected_by_the_store(tmp_path, kc):
    """A record made from a checked one but with a bad field is caught by the store's own validation."""
    bad = kc.records[0].replace(zip="606")
    with Catalog(tmp_path / "c.db") as catalog:
        report = catalog.import_records([kc.records[1], bad], source="aa-kc")
        assert [(p.row, p.field) for p in report.rejected] == [(2, "zip")]
        assert not report.applied and catalog.count() == 0


def test_text_search_finds_a_large_import_and_follows_updates(tmp_path, kc):
    """Imported meetings are in the text index, which stays consistent through updates and deactivation."""
    ward = {r.id for r in kc.records if r.name == "Ward Parkway Group"}
    query = 'name : "Ward Parkway Group"'
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.import_records(kc.records[:100], source="aa-kc")
        catalog.import_records(kc.records[100:], source="aa-kc")
        assert len(ward) > 2 and set(catalog.text_search(query)) == ward  # found in both batches
        renamed = next(r for r in kc.records if r.id == "aa-kc-254").replace(name="Generated Renamed Group")
        rest = [r for r in kc.records if r.id not in ("aa-kc-254", "aa-kc-284")]
        report = catalog.import_records(
            [renamed, *rest], source="aa-kc", deactivate_missing="aa-kc", as_of=TODAY
        )
        assert report.updated == ["aa-kc-254"] and report.deactivated == ["aa-kc-284"]
        assert set(catalog.text_search(query)) == ward - {"aa-kc-254"}
        assert catalog.text_search('"Generated Renamed"') == ["aa-kc-254"]
        # FTS5 raises on an index that no longer matches its table.
        catalog.conn.execute("INSERT INTO resources_fts(resources_fts, rank) VALUES('integrity-check', 1)")
        triggers = {
            r[0] for r in catalog.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert triggers == {"resources_ai", "resources_ad", "resources_au"}


def test_a_dry_run_import_leaves_the_index_and_its_triggers_alone(tmp_path, kc):
    """A dry run rolls back the bulk insert, so nothing is indexed and the insert trigger is still there."""
    with Catalog(tmp_path / "c.db") as catalog:
        report = catalog.import_records(kc.records, source="aa-kc", dry_run=True)
        assert len(report.added) == 206 and not report.applied
        assert catalog.count() == 0 and catalog.text_search('"Ward Parkway"') == []
        trigger = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'resources_ai'"
        assert catalog.conn.execute(trigger).fetchone()[0] == 1
        catalog.import_records(kc.records[:1], source="aa-kc")  # one insert after: indexed as usual
        assert catalog.text_search('"Ward Parkway"') == ["aa-kc-254"]


def test_an_identical_second_import_writes_nothing(tmp_path, kc):
    """Importing the same feed again reports everything unchanged and leaves the database untouched."""
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.import_records(kc.records, source="aa-kc")
        changes = catalog.conn.total_changes
        again = catalog.import_records(list(kc.records), source="aa-kc", save_report=False)
        assert len(again.unchanged) == 206 and again.added == [] and again.updated == []
        assert catalog.conn.total_changes == changes


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.text(alphabet=st.characters(codec="utf-8")),
        st.from_regex(r"[ \t\n\x0b\x0c\x1c-\x1f\x85\xa0\u2000-\u200b\u3000a&;#x0-9]{0,20}"),
    )
)
def test_clean_text_shortcut_agrees_with_the_full_rule(value):
    """clean_text's shortcut for entity-free text gives what decoding and folding give, white space alike."""
    full = "" if value is None else re.sub(r"\s+", " ", html.unescape(str(value))).strip()
    assert clean_text(value) == full


@pytest.mark.parametrize("stop_early", [False, True])
def test_reading_a_feed_leaves_the_cycle_collector_running(stop_early):
    """The collector paused for a walk through a feed runs again after it, also when the caller stops early."""
    meetings = [
        {"slug": f"gen-{n}", "name": f"Generated Test Meeting {n}", "day": n, "time": "19:00"}
        for n in range(3)
    ]
    assert gc.isenabled()
    rows = meeting_guide.rows(meetings, source_key="test", source_url=TEST_URL, as_of=TODAY)
    assert next(rows)[1] is not None and not gc.isenabled()  # paused while the walk is under way
    if stop_early:
        rows.close()
    else:
        assert len(list(rows)) == 2
    assert gc.isenabled()
    assert meeting_guide.parse(b"[{", as_of=TODAY).errors and gc.isenabled()
