"""Where a listing serves, what it is for, and the meetings a patient can still act on: regional areas,
the care-for choice and the extra meeting blocks, on generated records and on the shipped catalog."""

from datetime import datetime
from pathlib import Path

import pytest

from directory import schedule
from directory.catalog import Catalog
from directory.geo import lookup_place
from directory.nearby import picks_for_section
from directory.query import Query
from directory.schema import Resource, Slot
from directory.search import SearchIndex, search

ROOT = Path(__file__).resolve().parent.parent
TUESDAY_5PM = datetime(2026, 12, 1, 17, 0, tzinfo=schedule.TZ)


def make(rid: str, **extra) -> Resource:
    values = dict(
        id=rid,
        name=f"Generated test {rid}",
        category="support_group",
        source="generated-test",
        source_url="https://example.invalid/generated-test",
        as_of="2026-10-01",
    )
    values.update(extra)
    return Resource(**values)


CHICAGO = dict(latitude=41.8781, longitude=-87.6298, geocode_precision="city", city="Chicago", county="Cook")
REGIONAL = [
    make("chicago-office", coverage="regional", service_area=("city:Chicago",), format="hybrid", **CHICAGO),
    make("cook-line", coverage="regional", service_area=("county:Cook",), format="phone"),
    make("st-clair", coverage="regional", service_area=("county:St. Clair",), format="phone"),
    make(
        "radius",
        coverage="regional",
        service_area=("radius:30",),
        latitude=37.0,
        longitude=-89.2,
        geocode_precision="city",
    ),
    make("statewide", coverage="statewide", format="phone"),
]


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("60614", {"chicago-office", "cook-line", "statewide"}),  # Chicago, Cook County
        ("60302", {"cook-line", "statewide"}),  # Oak Park: Cook County, not the city of Chicago
        ("62220", {"st-clair", "statewide"}),  # Belleville, St. Clair County
        ("62914", {"radius", "statewide"}),  # Cairo: within 30 miles of the radius record's point
    ],
)
def test_regional_records_match_only_inside_their_area(place, expected):
    """A regional record matches where its county, city or radius holds the place, whatever its format."""
    found = search(SearchIndex.from_records(REGIONAL), Query(place=place, radius=5), now=TUESDAY_5PM)
    assert {r.resource.id for r in found.results} == expected
    assert all(
        r.distance_label == "serves this area" for r in found.results if r.resource.coverage == "regional"
    )


TREATMENT = [
    make("su", category="treatment", services=("substance_use",), **CHICAGO),
    make("mh", category="treatment", services=("mental_health",), **CHICAGO),
    make("both", category="treatment", services=("substance_use", "mental_health"), **CHICAGO),
    make("untagged", category="treatment", **CHICAGO),
]


@pytest.mark.parametrize(
    ("care_for", "expected"),
    [
        ("substance_use", {"su", "both", "untagged"}),
        ("mental_health", {"mh", "both"}),
        ("both", {"su", "mh", "both", "untagged"}),
    ],
)
def test_care_for(care_for, expected):
    """Substance use (the default) leaves mental-health-only clinics out; mental health asks for them."""
    query = Query(place="60614", categories=("treatment",), care_for=care_for)
    found = search(SearchIndex.from_records(TREATMENT), query, now=TUESDAY_5PM)
    assert {r.resource.id for r in found.results} == expected
    assert found.facets["care_for"] == {"substance_use": 3, "mental_health": 2, "both": 4}


def test_care_for_round_trips_through_the_url():
    """care=mental_health in a link asks for mental-health care; the default is left out of the link."""
    query, notes = Query.from_params({"care": "mental_health", "cat": "treatment"})
    assert query.care_for == "mental_health" and not notes
    assert Query.from_params(query.to_params())[0] == query
    assert "care" not in Query().to_params()
    assert Query.from_params({"care": "anything"})[1]


# --- the shipped catalog ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    with Catalog(ROOT / "data" / "catalog.db", readonly=True) as catalog:
        yield SearchIndex.from_catalog(catalog)


def test_cairo_support_groups_have_no_chicago_offices(shipped):
    """A support-group search in Cairo no longer returns CASO, CMA Chicago or Recovery Dharma Chicago."""
    found = search(shipped, Query(place="62914", radius=25, categories=("support_group",)), now=TUESDAY_5PM)
    ids = {r.resource.id for r in found.results}
    assert found.total > 0
    for chicago_only in ("il-statewide-sw-001", "il-statewide-sw-016", "il-statewide-sw-020"):
        assert chicago_only not in ids
    assert not [r for r in found.results if "Chicago" in r.resource.name]


@pytest.mark.parametrize(
    ("rid", "area"),
    [
        ("il-statewide-sw-001", ("city:Chicago", "county:Cook")),  # CASO
        ("il-statewide-sw-029", ("city:Chicago", "county:Cook")),  # 211 Metro Chicago
        ("il-statewide-sw-028", ("county:Cook",)),  # Cook County naloxone
        ("il-statewide-sw-005", ("city:Springfield", "county:Sangamon")),  # Springfield AA line
        ("il-statewide-sw-040", ("county:Cook",)),  # Hines VA
    ],
)
def test_regional_areas_in_the_catalog(rid, area):
    """Regional services carry their real area and coverage "regional"."""
    with Catalog(ROOT / "data" / "catalog.db", readonly=True) as catalog:
        record = catalog.get(rid)
    assert (record.coverage, record.service_area) == ("regional", area)


def test_cairo_phone_lines_of_chicago_and_springfield_stay_out(shipped):
    """211 Metro Chicago and the Springfield lines do not appear in Cairo, even with every kind asked."""
    found = search(
        shipped, Query(place="62914", radius=25, include_unconfirmed=True), now=TUESDAY_5PM, limit=None
    )
    ids = {r.resource.id for r in found.results}
    assert not ids & {
        "il-statewide-sw-029",
        "il-statewide-sw-005",
        "il-statewide-sw-010",
        "il-statewide-sw-040",
    }


def test_addiction_search_leaves_out_mental_health_only_clinics(shipped):
    """A treatment search near 60614 counts no mental-health-only clinic unless asked."""
    query = Query(place="60614", radius=10, categories=("treatment",))
    found = search(shipped, query, now=TUESDAY_5PM, limit=None)
    services = [set(r.resource.services) for r in found.results]
    assert services and not [s for s in services if "mental_health" in s and "substance_use" not in s]
    wider = search(
        shipped, Query(place="60614", radius=10, categories=("treatment",), care_for="both"), now=TUESDAY_5PM
    )
    assert wider.total > found.total


def test_tuesday_evening_near_60614_shows_something_to_act_on(shipped):
    """Too few confirmed meetings: the unconfirmed ones inline, badged, plus the fellowships' own finders."""
    query = Query(
        place="60614", radius=10, categories=("support_group",), weekdays=(1,), times_of_day=("evening",)
    )
    found = search(shipped, query, now=TUESDAY_5PM)
    assert found.confirmed_meetings < 5
    inline = [r.resource for r in found.unconfirmed_meetings]
    assert inline and all(r.verification == "unconfirmed" for r in inline)
    assert "il-meetings-mt-016" in {r.id for r in inline}  # Rec Room Chicago, Tuesdays 19:00
    assert found.meeting_finders and all(
        f.url.startswith(("https://", "http://")) for f in found.meeting_finders
    )
    with Catalog(ROOT / "data" / "catalog.db", readonly=True) as catalog:
        websites = {r.website for r in catalog.get_many([f.resource_id for f in found.meeting_finders])}
    assert {f.url for f in found.meeting_finders} <= websites  # only URLs the catalog's rows hold


def test_enough_confirmed_meetings_need_no_extra_blocks():
    """With five confirmed meetings matching, the extra blocks stay empty."""
    meetings = [
        make(f"m{i}", schedule=(Slot(1, "19:00"),), format="in_person", **CHICAGO) for i in range(5)
    ] + [make("doubt", verification="unconfirmed", schedule=(Slot(1, "19:00"),), **CHICAGO)]
    query = Query(place="60614", categories=("support_group",), weekdays=(1,))
    found = search(SearchIndex.from_records(meetings), query, now=TUESDAY_5PM)
    assert found.confirmed_meetings == 5 and not found.needs_more_meetings


def test_command_line_shows_unconfirmed_meetings_inline(capsys):
    """The search command prints the unconfirmed meetings and the finders below an empty result."""
    from directory.__main__ import main

    argv = [
        "search",
        "--db",
        str(ROOT / "data" / "catalog.db"),
        "--near",
        "60614",
        "--category",
        "support_group",
        "--day",
        "tue",
        "--evening",
        "--at",
        "2026-12-01T17:00",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "NOT CONFIRMED — CHECK BEFORE GOING" in out and "Rec Room Chicago" in out
    assert "FIND MORE MEETINGS NEAR 60614" in out


def test_care_plan_picks_nearest_naloxone_and_take_back(shipped):
    """The plan's overdose section and safety-plan step 6 get the nearest naloxone and disposal sites."""
    place = lookup_place("60614")
    naloxone = picks_for_section(shipped, place, "overdose_risk")
    disposal = picks_for_section(shipped, place, "safety_plan")
    assert naloxone and all(p.result.resource.category == "harm_reduction" for p in naloxone)
    assert all(p.result.resource.subcategory.startswith("naloxone") for p in naloxone)
    assert disposal and all(p.result.resource.subcategory == "medication_disposal" for p in disposal)
    assert naloxone[0].sentence.startswith("Nearest free naloxone:")
    assert picks_for_section(shipped, None, "overdose_risk") == []


def test_a_point_search_uses_the_nearest_zips_city_and_county():
    """ "Use my location" gives only a point: the city and county of its nearest ZIP decide regional areas."""
    index = SearchIndex.from_records(REGIONAL)
    chicago = search(index, Query(latitude=41.9227, longitude=-87.6533, radius=5), now=TUESDAY_5PM)
    assert {"chicago-office", "cook-line"} <= {r.resource.id for r in chicago.results}
    cairo = search(index, Query(latitude=37.0123, longitude=-89.1811, radius=5), now=TUESDAY_5PM)
    assert not {"chicago-office", "cook-line"} & {r.resource.id for r in cairo.results}


def test_undated_rows_are_not_recently_verified():
    """ "Verified within 6 months" leaves out a row whose as_of is only the day it was added."""
    records = [
        make("dated", as_of="2026-11-01", **CHICAGO),
        make("undated", as_of="2026-11-27", date_basis="added", **CHICAGO),
    ]
    found = search(
        SearchIndex.from_records(records), Query(place="60614", verified_within_months=6), now=TUESDAY_5PM
    )
    assert {r.resource.id for r in found.results} == {"dated"}
