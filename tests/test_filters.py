"""The Find form model: widget state round trips, clearing, choices with counts, and card text."""

from datetime import datetime

import pytest

from directory import filters
from directory.query import Query
from directory.schedule import TZ
from directory.schema import Resource
from directory.search import Result


@pytest.mark.parametrize(
    "query",
    [
        Query(),
        Query(place="60614", radius=25, categories=("treatment",), weekdays=(1, 3), starting_within=2.0),
        Query(latitude=41.9, longitude=-87.6, fellowships=("AA",), include_unconfirmed=True, sort="name"),
    ],
)
def test_widget_state_round_trips(query):
    """A query shown in the widgets reads back as the same query."""
    assert filters.query_from_state(filters.widget_state(query)) == query


def test_clear_keeps_place_distance_and_sort():
    """Clearing resets every filter but leaves the place, radius and sort alone."""
    query = Query(place="62701", radius=50, sort="name", payment=("medicaid",), wheelchair=True)
    state = filters.widget_state(query) | filters.cleared(query)
    after = filters.query_from_state(state)
    assert (after.place, after.radius, after.sort) == ("62701", 50, "name")
    assert after.payment == () and after.wheelchair is False


def test_choices_come_from_facets_and_keep_the_chosen_value():
    """Open-ended filters list the catalog's values, plus a chosen value the catalog no longer holds."""
    item = next(f for f in filters.FILTERS if f.name == "fellowships")
    assert filters.choices(item, {"fellowships": {"AA": 3, "NA": 0}}, ["CMA"]) == ["AA", "NA", "CMA"]
    assert filters.label_func("fellowships")("AA") == "AA"
    assert filters.label_func("weekdays")(1) == "Tue"


@pytest.mark.parametrize(
    ("as_map", "page", "extra"), [(False, 1, {}), (False, 3, {"page": "3"}), (True, 3, {"view": "map"})]
)
def test_page_params_add_view_and_page(as_map, page, extra):
    """The URL carries view=map or the page number only when they differ from the default."""
    query = Query(place="60614")
    assert filters.page_params(query, as_map=as_map, page=page) == {"near": "60614"} | extra


def test_card_text_escapes_and_badges_unconfirmed():
    """The card escapes the name, links the phone and marks an unconfirmed listing."""
    resource = Resource(
        id="test-1",
        name="Generated [x](https://evil.invalid)",
        category="recovery_housing",
        source="generated-test",
        source_url="https://example.invalid",
        as_of="2026-01-01",
        phones=("312-555-0101",),
        verification="unconfirmed",
    )
    text = filters.card_text(Result(resource, 1.5, "1.5 mi", None), datetime(2026, 3, 3, 12, tzinfo=TZ))
    assert "](https://evil.invalid)" not in text.head
    assert "(tel:+13125550101)" in text.body
    assert text.badges == (("Not confirmed — check before going", "orange"),)
    assert "generated\\-test" in text.caption


@pytest.mark.parametrize(
    ("key", "words"), [("moud_provider", "MOUD provider"), ("sober_living", "Sober living"), ("otp", "OTP")]
)
def test_kinds_of_place_reach_the_screen_in_words(key, words):
    """A subcategory key is never shown raw ("moud provider"): acronyms in capitals, a capital first."""
    item = next(f for f in filters.FILTERS if f.name == "subcategories")
    assert filters.label_func(item.name)(key) == words


def test_a_card_says_how_a_remote_listing_reaches_in_the_screen_language():
    """A national line's card says "national" on an English screen and "nacional" on a Spanish one, never
    the search's English word on a Spanish screen; a distance in miles reads the same in both."""
    from directory import translation
    from directory.search import Result

    line = Resource(id="n1", name="A national line", category="crisis_line", source="s", source_url="https://s.invalid",
                    as_of="2026-01-01", coverage="national", phones=("800-555-0100",))  # fmt: skip
    now = datetime(2026, 3, 3, 12, tzinfo=TZ)
    assert filters.card_parts(Result(line, None, "national", None), now).distance == "national"
    with translation.using("es"):
        assert filters.card_parts(Result(line, None, "national", None), now).distance == "nacional"
        assert filters.card_parts(Result(line, 0.5, "0.5 mi", None), now).distance == "0.5 mi"
