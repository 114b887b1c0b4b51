"""The Meeting Guide feed against the spec's own JSON Schema and the rules readers (TSML UI, Meeting Guide) apply,
and its round trip through our importer into an empty store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from directory.catalog import Catalog
from directory.importers import meeting_guide
from directory.render.meeting_guide_export import (
    NOT_IN_DRAFT_SCHEMA,
    entry_slug,
    export_meeting_guide,
    meeting_entries,
)
from directory.schema import FIELD_NAMES, Resource, Slot, make_id
from tests.feed_conformance import meeting_guide_errors, meeting_guide_validator

ROOT = Path(__file__).resolve().parent.parent
FEED_URL = "https://example.org/generated-test/meetings.json"

# Generated test records (no real meeting): one of each kind a reader treats differently.
GENERATED = [
    Resource(
        id="gen-mg-hybrid",
        name="Generated Hybrid Meeting",
        category="support_group",
        source="gen-test",
        source_url="https://example.org/generated-test/hybrid",
        as_of="2025-10-01",
        organization="Generated Test Group",
        address="100 Test Street",
        address2="Generated Test Hall",
        city="Springfield",
        state="IL",
        zip="62701",
        latitude=39.80123,
        longitude=-89.65432,
        geocode_precision="address",
        format="hybrid",
        conference_url="https://example.org/generated-test/zoom",
        conference_phone="(312) 626-6799,,85012345#",
        schedule=(Slot(0, "19:00", "20:00"), Slot(3, "19:00", "20:00"), Slot(5, "09:30")),
        meeting_types=("O", "D", "ONL"),
        populations=("women",),
        languages=("es",),
        accessibility=("wheelchair",),
    ),
    Resource(
        id="gen-mg-city-centre",
        name="Generated Meeting Placed By ZIP",
        category="support_group",
        source="gen-test",
        source_url="https://example.org/generated-test/zip",
        as_of="2025-10-02",
        address="200 Test Avenue",
        city="Springfield",
        state="IL",
        zip="62701",
        latitude=39.8,
        longitude=-89.64,
        geocode_precision="zip",
        format="in_person",
        schedule=(Slot(1, "12:00", "13:00"),),
        meeting_types=("C", "B"),
    ),
    Resource(
        id="gen-mg-online",
        name="Generated Online Meeting",
        category="support_group",
        source="gen-test",
        source_url="https://example.org/generated-test/online",
        as_of="2025-10-03",
        city="Chicago",
        state="IL",
        format="online",
        conference_url="https://example.org/generated-test/online-zoom",
        schedule=(Slot(6, "08:00", "09:00"),),
        meeting_types=("ONL", "O"),
    ),
    Resource(
        id="gen-mg-closed",
        name="Generated Closed Meeting",
        category="support_group",
        source="gen-test",
        source_url="https://example.org/generated-test/closed",
        as_of="2025-10-04",
        address="300 Test Road",
        city="Springfield",
        state="IL",
        zip="62702",
        format="hybrid",
        conference_url="https://example.org/generated-test/closed-zoom",
        schedule=(Slot(2, "18:30"),),
        status="temporarily_closed",
    ),
]


def _shipped_catalog() -> list[Resource]:
    with Catalog(ROOT / "data" / "catalog.db", readonly=True) as catalog:
        return catalog.records()


def _entries(records):
    return json.loads(export_meeting_guide(records))


def _by_slug(records) -> dict[str, dict]:
    return {e["slug"]: e for e in _entries(records)}


def _one_tap(value: str) -> bool:
    """A dial-in with pauses and a closing '#' (what Zoom prints), which the draft pattern refuses."""
    return ",," in value or value.endswith("#")


def test_generated_meetings_are_valid_against_the_spec_schema(shared_data):
    """Every entry validates against the spec's draft JSON Schema, except one-tap dial-ins its pattern refuses."""
    entries = _entries(GENERATED)
    errors = meeting_guide_errors(entries, shared_data / "specs")
    by_slug = {e["slug"]: e for e in entries}
    assert errors, "the hybrid meeting's one-tap dial-in is refused by the draft pattern"
    for slug, field, _ in errors:
        assert field == "conference_phone" and _one_tap(by_slug[slug][field]), (slug, field)
    plain = [{k: v for k, v in e.items() if k != "conference_phone"} for e in entries]
    assert meeting_guide_errors(plain, shared_data / "specs") == []


# The draft schema's address and city patterns allow only letters, digits and single spaces: it refuses
# real Illinois addresses. These are its false rejections; the export never reshapes an address for it.
DRAFT_SCHEMA_FALSE_REJECTIONS = [
    ("address", "11137 W 191st Street"),
    ("address", "11137 W. 191st Street"),
    ("address", "2835 Sheffield Ave #308"),
    ("address", "637 S. Dearborn St."),
    ("address", "1422 Washington Avenue (at Brown Street)"),
    ("address", "Student Services Building, Room 314"),
    ("city", "O'Fallon"),
    ("city", "Winston-Salem"),
    # The schema's own example of a one-tap dial-in, and Zoom's form with two pauses:
    ("conference_phone", "+1234567890,1234#"),
    ("conference_phone", "+13126266799,,85012345#"),
]


@pytest.mark.parametrize(("field", "value"), DRAFT_SCHEMA_FALSE_REJECTIONS)
def test_the_draft_schema_refuses_these_real_address_forms(shared_data, field, value):
    """The draft schema's pattern refuses these (so a validator's complaint about them is the schema's)."""
    validator = meeting_guide_validator(shared_data / "specs")
    errors = list(validator.iter_errors({"name": "x", "slug": "x", field: value}))
    assert [e.validator for e in errors] == ["pattern"]


def test_shipped_catalog_feed_breaks_no_rule_but_the_draft_address_pattern(shared_data):
    """Exporting the shipped catalog gives schema errors only where an address is refused as written."""
    records = _shipped_catalog()
    entries = meeting_entries(records)
    assert entries, "the shipped catalog has meetings"
    errors = meeting_guide_errors(entries, shared_data / "specs")
    by_slug = {e["slug"]: e for e in entries}
    addresses = {r.address for r in records}
    for slug, field, message in errors:
        assert field in ("address", "conference_phone") and "does not match" in message, (
            slug,
            field,
            message,
        )
        if field == "address":
            assert by_slug[slug]["address"] in addresses  # written exactly as the record holds it
        else:
            assert _one_tap(by_slug[slug][field])


def test_every_entry_has_a_timezone_a_single_day_and_no_empty_field():
    """Readers need `timezone`, one weekday number per entry and no "" values."""
    entries = _entries(GENERATED) + meeting_entries(_shipped_catalog())
    for entry in entries:
        assert entry["timezone"] == "America/Chicago"
        assert isinstance(entry["day"], int) and 0 <= entry["day"] <= 6
        assert all(value not in ("", None, []) for value in entry.values()), entry


def test_a_meeting_on_three_days_is_three_entries_with_unique_stable_slugs():
    """Each weekday is its own entry; adding a slot leaves the other slots' slugs as they were."""
    entries = _entries(GENERATED[:1])
    assert [(e["slug"], e["day"], e["time"]) for e in entries] == [
        ("gen-mg-hybrid-mon-1900", 1, "19:00"),
        ("gen-mg-hybrid-thu-1900", 4, "19:00"),
        ("gen-mg-hybrid-sat-0930", 6, "09:30"),
    ]
    more = GENERATED[0].replace(schedule=(*GENERATED[0].schedule, Slot(4, "07:00")))
    assert {e["slug"] for e in entries} < {e["slug"] for e in _entries([more])}
    slugs = [e["slug"] for e in meeting_entries(_shipped_catalog())]
    assert len(slugs) == len(set(slugs)) and all(len(s) <= 64 for s in slugs)


def test_a_long_id_gives_a_slug_within_the_spec_limit():
    """The spec allows 64 characters; a longer id is cut and given a digest so slugs stay unique."""
    one = entry_slug("x" * 80, Slot(0, "19:00"), True)
    two = entry_slug("x" * 79 + "y", Slot(0, "19:00"), True)
    assert len(one) <= 64 and len(two) <= 64 and one != two and one.endswith("-mon-1900")


def test_approximate_only_without_a_street_address():
    """A street address is never "approximate"; coordinates are written only when they are the address's."""
    found = _by_slug(GENERATED)
    hybrid, zip_placed = found["gen-mg-hybrid-mon-1900"], found["gen-mg-city-centre"]
    online, closed = found["gen-mg-online"], found["gen-mg-closed"]
    assert "approximate" not in hybrid and hybrid["latitude"] == 39.80123
    assert "approximate" not in zip_placed and "latitude" not in zip_placed  # a ZIP centre is no pin
    assert online["approximate"] == "yes" and "address" not in online
    assert "approximate" not in closed


def test_online_codes_only_with_a_join_link_or_phone():
    """No ONL code (not in the spec); a closed meeting has TC and no link; the dial-in is digits only."""
    found = _by_slug(GENERATED)
    hybrid, online, closed = found["gen-mg-hybrid-mon-1900"], found["gen-mg-online"], found["gen-mg-closed"]
    for entry in (hybrid, online, closed):
        assert "ONL" not in entry.get("types", [])
    assert hybrid["conference_url"] and hybrid["conference_phone"] == "+13126266799,,85012345#"
    assert online["conference_url"]
    assert "TC" in closed["types"] and "conference_url" not in closed and "conference_phone" not in closed


def test_type_codes_both_ways_including_open_closed_discussion():
    """O/C/D and our fields' codes are written; the importer reads every one back onto the same fields."""
    found = _by_slug(GENERATED)
    hybrid, zip_placed = found["gen-mg-hybrid-mon-1900"], found["gen-mg-city-centre"]
    assert {"O", "D", "W", "S", "X"} <= set(hybrid["types"]) and {"C", "B"} <= set(zip_placed["types"])
    back = {r.id: r for r in meeting_guide.parse([hybrid, zip_placed], source_key="rt").records}
    first = back[make_id("rt", hybrid["slug"])]
    assert {"O", "D"} <= set(first.meeting_types)
    assert first.populations == ("women",) and first.languages == ("es",)
    assert first.accessibility == ("wheelchair",)
    assert {"C", "B"} <= set(back[make_id("rt", zip_placed["slug"])].meeting_types)


def test_no_code_outside_the_draft_schema_enum(shared_data):
    """NOT_IN_DRAFT_SCHEMA is exactly types.json minus the draft schema's enum (kept in step with the spec)."""
    folder = shared_data / "specs" / "meeting-guide"
    codes = set(json.loads((folder / "types.json").read_text(encoding="utf-8")))
    schema = json.loads((folder / "schema-branch-meeting-type.schema.json").read_text(encoding="utf-8"))
    enum = {code for part in schema["items"]["anyOf"] for code in part["enum"]}
    assert codes - enum == NOT_IN_DRAFT_SCHEMA


# --- round trip ----------------------------------------------------------------------------------------

# Fields the Meeting Guide format has no place for; an importer can only fill them from its options
# (fellowship, source) or leave them at their defaults.
NOT_CARRIED = {
    "id": "the slug carries it; the importer prefixes the source name",
    "source": "set by the import (--source)",
    "source_url": "the entry's url, else the feed URL (--source-url)",
    "subcategory": "no field; meetings come back as 'meeting'",
    "county": "no field; the importer looks it up from the ZIP",
    "coverage": "no field",
    "phones": "no field for a group's own phone",
    "email": "no field",
    "hours": "no field (the schedule is day/time)",
    "fellowship": "one per feed: --fellowship on import",
    "services": "no field",
    "payment": "no field; meetings come back as free",
    "cost": "no field",
    "moud_services": "no field",
    "mat_friendly": "no field",
    "license": "no field",
    "verification": "no field; an import is a fresh confirmation by its source",
    "notes": "our curator notes are not published (the description goes into `notes`)",
    "aliases": "no field",
    "service_area": "no field",
    "date_basis": "no field; `updated` is read as the source's date",
}
PLACE_FIELDS = ("address", "address2", "zip", "latitude", "longitude", "geocode_precision")


def expected_back(record: Resource, entry: dict) -> dict:
    """What the format can carry of one record for one entry, after the documented rules."""
    slot = next(
        s for s in record.schedule if (s.weekday + 1) % 7 == entry["day"] and s.start == entry["time"]
    )
    want = {f: getattr(record, f) for f in FIELD_NAMES if f not in NOT_CARRIED}
    want["schedule"] = (slot,)
    # The one `url` is the listing: the website when there is one, else where we found the meeting.
    want["website"] = record.website or record.source_url
    # Codes we add for populations, languages and access (and TC for a closed meeting) come back as codes
    # too; ONL is never written.
    want["meeting_types"] = tuple(entry.get("types", []))
    codes = set(want["meeting_types"])
    want["populations"] = tuple(
        p
        for p in record.populations
        if p in {v for k, (_, f, v) in meeting_guide.TYPES.items() if k in codes}
    )
    if "asl" in record.accessibility and "deaf_hoh" in record.populations:
        want["populations"] += ("deaf_hoh",) if "deaf_hoh" not in want["populations"] else ()
    want["category"] = "support_group"
    if record.format in ("online", "hybrid") and not (
        entry.get("conference_url") or entry.get("conference_phone")
    ):
        # Readers call a meeting online only through its link or dial-in; without one it is in person.
        want["format"] = "in_person"
    if record.status == "temporarily_closed":
        want["conference_url"] = want["conference_phone"] = ""  # a closed meeting is published without links
    if want["conference_phone"]:
        want["conference_phone"] = entry["conference_phone"]  # the dial-in in the spec's digits-only form
    if want["format"] == "online":
        want["address"] = want["address2"] = ""
    if record.geocode_precision != "address" or not entry.get("address"):
        for f in ("latitude", "longitude", "geocode_precision"):
            want.pop(f)  # placed again from ZIP or city, offline, by the importer
    return want


def round_trip(records: list[Resource], tmp_path: Path) -> list[tuple[str, str, object, object]]:
    """Export, import into an empty store, and list (slug, field, expected, got) for every difference."""
    path = tmp_path / "feed.json"
    path.write_bytes(export_meeting_guide(records))
    result = meeting_guide.parse(path, source_key="rt", source_url=FEED_URL)
    assert result.errors == []
    with Catalog(tmp_path / "empty.db") as store:
        store.import_records(result.records, source="feed.json")
        back = {r.id: r for r in store.records()}
    by_id = {r.id: r for r in records}
    differences = []
    for entry in json.loads(path.read_bytes()):
        record = next(by_id[i] for i in (entry["slug"], entry["slug"].rsplit("-", 2)[0]) if i in by_id)
        got = back[make_id("rt", entry["slug"])]
        for field, value in expected_back(record, entry).items():
            if field in ("languages", "accessibility"):
                value, other = set(value), set(getattr(got, field))
            else:
                other = getattr(got, field)
            if value != other:
                differences.append((entry["slug"], field, value, other))
        assert got.source_url == (record.website or record.source_url)
    return differences


def test_round_trip_of_generated_meetings_changes_nothing_the_format_carries(tmp_path):
    """Generated meetings of every kind come back with every carried field unchanged."""
    assert round_trip(GENERATED, tmp_path) == []


def test_round_trip_of_the_shipped_catalog_changes_nothing_the_format_carries(tmp_path):
    """The shipped catalog's meetings come back with zero unexplained changes."""
    meetings = [r for r in _shipped_catalog() if r.category == "support_group"]
    assert round_trip(meetings, tmp_path) == []
