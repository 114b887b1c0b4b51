"""The county filter (issue 10 item 7): the Query field and its URL parameter, which listings it keeps, its
facet counts, the command line, and an empty result that says what clearing it would find."""

from __future__ import annotations

import dataclasses
import json

import pytest

from directory import filters
from directory.__main__ import main
from directory.facets import county_column, county_value
from directory.query import Query
from directory.search import SearchIndex, search
from tests.app_catalog import build_test_catalog
from tests.app_catalog import test_records as generated_records


def records():
    """The generated catalog plus a statewide line, a Cook-only regional line, and a Lake County, IN site."""
    base = generated_records()
    five = next(r for r in base if r.id == "test-5")
    return base + [
        dataclasses.replace(
            five, id="test-81", name="Generated test statewide line 81", category="crisis_line", format="phone",
            coverage="statewide", county="", zip="", city="", latitude=None, longitude=None,
            geocode_precision="none", services=(), moud_services=(), payment=(),
        ),
        dataclasses.replace(
            five, id="test-82", name="Generated test Cook regional line 82", category="crisis_line",
            format="phone", coverage="regional", service_area=("county:Cook",), county="", services=(),
            moud_services=(), payment=(),
        ),
        dataclasses.replace(
            five, id="test-83", name="Generated test Indiana treatment 83", state="IN", county="Lake",
            city="Hammond", zip="46320", latitude=41.62, longitude=-87.52,
        ),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def index():
    return SearchIndex.from_records(records())


def ids(found) -> set[str]:
    return {x.resource.id for x in found.results}


@pytest.mark.parametrize(
    ("county", "params"),
    [(("Peoria",), {"county": "Peoria"}), (("Cook", "Lake (IN)"), {"county": "Cook,Lake (IN)"})],
)
def test_the_county_round_trips_through_the_url(county, params):
    """county= holds several counties; a border county keeps its state in brackets."""
    assert Query(county=county).to_params() == params
    assert Query.from_params(params) == (Query(county=county), [])


@pytest.mark.parametrize("bad", ["<script>", "Cook; DROP", "1234"])
def test_a_value_that_is_no_county_name_is_ignored_with_a_note(bad):
    query, notes = Query.from_params({"county": bad})
    assert query.county == () and notes and "county" in notes[0]


def test_a_county_keeps_its_listings_and_those_serving_everywhere(index):
    """Sangamon: the Springfield meetings and the statewide line; never Chicago's listings or Cook's line."""
    found = search(index, Query(county=("Sangamon",)))
    assert ids(found) == {"test-6", "test-8", "test-81"}


def test_a_regional_listing_is_kept_where_its_area_names_the_county(index):
    found = search(index, Query(county=("cook",)))  # typed in lower case: still Cook
    assert {"test-1", "test-5", "test-82", "test-81"} <= ids(found)
    assert "test-83" not in ids(found) and "test-6" not in ids(found)


def test_a_border_county_is_its_own_value_and_illinois_statewide_lines_do_not_serve_it(index):
    """Lake (IN) finds the Hammond site only: not Illinois's Lake County, not an Illinois statewide line."""
    assert ids(search(index, Query(county=("Lake (IN)",)))) == {"test-83"}
    assert county_value("Lake", "IN") == "Lake (IN)" and county_value("Lake", "IL") == "Lake"
    assert county_value("", "IL") == ""


def test_the_options_list_illinois_counties_first_then_border_counties_by_state(index):
    assert county_column(index).values == ["Champaign", "Cook", "Sangamon", "Lake (IN)"]
    assert [filters.value_label("county", v) for v in ("Cook", "Lake (IN)")] == [
        "Cook County",
        "Lake County, IN",
    ]


def test_county_facets_count_with_the_other_filters_applied(index):
    """With treatment chosen, each county counts its treatment listings; the county filter itself does not
    narrow its own counts."""
    found = search(index, Query(categories=("treatment",), county=("Cook",)))
    assert found.facets["county"] == {"Champaign": 1, "Cook": 1, "Sangamon": 0, "Lake (IN)": 1}
    assert ids(found) == {"test-5"}


def test_the_county_filter_is_a_multiselect_in_the_where_tab():
    item = next(f for f in filters.FILTERS if f.name == "county")
    assert (item.group, item.widget, item.choices) == ("where", "multiselect", ())
    assert item.group in filters.GROUPS


def test_an_empty_result_says_what_clearing_the_county_would_find(index):
    """Near 60614 but in Sangamon County: nothing, and the sentence says how many clearing it would give."""
    found = search(index, Query(place="60614", county=("Sangamon",), categories=("support_group",)))
    assert found.total == 0
    assert found.relaxed["county"] == 3  # the three Chicago meetings
    lines = filters.relaxed_lines(found.relaxed)
    assert "Without the “County” filter: 3 results." in lines
    assert search(index, Query(place="60614")).relaxed == {}  # results: nothing to relax


def test_the_command_line_takes_county(tmp_path, capsys):
    """search --county filters the same way, and its empty answer names the filter to clear."""
    db = build_test_catalog(tmp_path / "catalog.db", records())
    assert main(["search", "--db", str(db), "--county", "Sangamon", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in out["results"]} == {"test-6", "test-8", "test-81"}
    assert main(["search", "--db", str(db), "--near", "60614", "--county", "Sangamon", "--category",
                 "support_group"]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert (
        main(
            [
                "search",
                "--db",
                str(db),
                "--near",
                "60614",
                "--county",
                "Sangamon",
                "--category",
                "support_group",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["relaxed"]["county"] > 0
    assert "in Sangamon County" in text and "Without the “County” filter: 3 results." in text


def test_county_labels_in_spanish_and_for_a_county_level_city():
    from directory.translation import using

    assert filters.county_label("Saint Louis City (MO)") == "Saint Louis City, MO"
    with using("es"):
        assert filters.county_label("Peoria") == "Condado de Peoria"
        assert filters.county_label("Lake (IN)") == "Condado de Lake, IN"


def test_health_centres_get_their_citys_county_only_when_it_is_one(shared_data):
    """The HRSA file names no county: a site takes its city's county when every ZIP of the city lies in
    it (Peoria → Peoria), and none for a city in several counties (Aurora), so the county filter finds it."""
    from directory import geo
    from directory.importers import hrsa_health_centers

    assert geo.city_county("Peoria") == "Peoria" and geo.city_county("Aurora") == ""
    records = hrsa_health_centers.parse(shared_data / "health_centers").records
    by_city = {(r.city, r.county) for r in records}
    assert ("Peoria", "Peoria") in by_city and ("Quincy", "Adams") in by_city
    assert all(county == "" for city, county in by_city if city == "Aurora")
    assert sum(1 for r in records if r.county) >= 400
    found = search(SearchIndex.from_records(records), Query(county=("Peoria",)))
    assert found.total and {x.resource.county for x in found.results} == {"Peoria"}
