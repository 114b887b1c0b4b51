"""Tests of the Query's round trip through URL parameters: every field survives, garbage never raises."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.query import DAY_KEYS, PARAM_KEYS, SORTS, TIMES_OF_DAY, Query
from directory.schema import Category, Format, MoudService, Payment, Population


def _clean(text: str) -> bool:
    """Text as from_params keeps it: trimmed, single spaces, no control characters."""
    return text == " ".join(text.split()) and text.isprintable()


def _unique(values):
    return st.lists(values, unique=True, max_size=4).map(tuple)


_words = st.text(min_size=1, max_size=30).filter(_clean)
queries = st.builds(
    Query,
    place=st.one_of(st.just(""), _words),
    latitude=st.one_of(st.none(), st.floats(-90, 90)),
    longitude=st.floats(-180, 180),
    radius=st.floats(1, 100),
    categories=_unique(st.sampled_from(Category.values())),
    subcategories=_unique(st.from_regex(r"[a-z0-9_]{1,20}", fullmatch=True)),
    fellowships=_unique(_words),
    formats=_unique(st.sampled_from(Format.values())),
    weekdays=_unique(st.integers(0, 6)),
    times_of_day=_unique(st.sampled_from(TIMES_OF_DAY)),
    in_progress=st.booleans(),
    starting_within=st.one_of(st.none(), st.floats(0, 168, exclude_min=True)),
    populations=_unique(st.sampled_from(Population.values())),
    languages=_unique(st.from_regex(r"[a-z]{2}", fullmatch=True)),
    payment=_unique(st.sampled_from(Payment.values())),
    moud_services=_unique(st.sampled_from(MoudService.values())),
    mat_friendly=st.booleans(),
    wheelchair=st.booleans(),
    verified_within_months=st.one_of(st.none(), st.integers(1, 240)),
    include_unconfirmed=st.booleans(),
    include_inactive=st.booleans(),
    text=st.one_of(st.just(""), _words),
    sort=st.sampled_from(SORTS),
).map(lambda q: q if q.latitude is not None else Query(**{**q.__dict__, "longitude": None}))


@settings(max_examples=300)
@given(queries)
def test_round_trip_of_random_queries(query):
    """from_params(to_params()) gives the same query back, with no notes, through a real URL too."""
    params = query.to_params()
    again, notes = Query.from_params(params)
    assert again == query
    assert notes == []
    through_url = {k: v[0] for k, v in parse_qs(urlencode(params), keep_blank_values=True).items()}
    assert Query.from_params(through_url)[0] == query


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("place", "60614", "near"),
        ("latitude", 41.9229, "lat"),
        ("radius", 25.5, "r"),
        ("categories", ("support_group", "treatment"), "cat"),
        ("subcategories", ("sober_living",), "sub"),
        ("fellowships", ("AA", "Families, Friends, 100%"), "fel"),
        ("formats", ("online", "phone"), "fmt"),
        ("weekdays", (1, 3), "day"),
        ("times_of_day", ("evening", "night"), "tod"),
        ("in_progress", True, "now"),
        ("starting_within", 2.5, "soon"),
        ("populations", ("women", "lgbtq"), "pop"),
        ("languages", ("es", "pl"), "speaks"),
        ("payment", ("medicaid",), "pay"),
        ("moud_services", ("buprenorphine",), "moud"),
        ("mat_friendly", True, "matf"),
        ("wheelchair", True, "wc"),
        ("verified_within_months", 6, "ver"),
        ("include_unconfirmed", True, "unc"),
        ("include_inactive", True, "inact"),
        ("text", "café recovery", "q"),
        ("sort", "next", "sort"),
    ],
)
def test_every_field_round_trips(field, value, key):
    """Each field has its own short key and comes back unchanged; other fields stay at their defaults."""
    changes = {field: value}
    if field == "latitude":
        changes["longitude"] = -87.6483
    query = Query(**changes)
    params = query.to_params()
    assert key in params
    assert Query.from_params(params) == (query, [])
    assert Query.from_params({})[0] != query


def test_defaults_give_no_parameters():
    """The default query is the empty link."""
    assert Query().to_params() == {}


def test_readable_values():
    """Days are names and lists are comma-joined, so links stay readable."""
    params = Query(weekdays=(1, 3), categories=("support_group", "treatment"), radius=10.0).to_params()
    assert params == {"day": "tue,thu", "cat": "support_group,treatment"}


@pytest.mark.parametrize(
    ("params", "expected", "note"),
    [
        ({"zzz": "1"}, Query(), "unknown setting 'zzz'"),
        ({"r": "abc"}, Query(), "radius"),
        ({"r": "500"}, Query(radius=100), "changed to 100"),
        ({"r": "nan"}, Query(), "radius"),
        ({"lat": "41.9"}, Query(), "both a latitude and a longitude"),
        ({"lat": "91", "lon": "-87"}, Query(), "latitude between"),
        ({"cat": "support_group,spaceships"}, Query(categories=("support_group",)), "'spaceships' in cat"),
        ({"day": "tue,funday"}, Query(weekdays=(1,)), "'funday' in day"),
        ({"speaks": "klingon"}, Query(), "'klingon' in speaks"),
        ({"now": "maybe"}, Query(), "now='maybe'"),
        ({"soon": "-3"}, Query(), "soon="),
        ({"ver": "1.5"}, Query(), "ver="),
        ({"sort": "random"}, Query(), "sort='random'"),
    ],
)
def test_malformed_parameters_are_ignored_with_a_note(params, expected, note):
    """A bad parameter is dropped (or clamped) and a note says so; the rest of the query stands."""
    query, notes = Query.from_params(params)
    assert query == expected
    assert any(note in n for n in notes), notes


def test_repeated_parameters_and_spelling_variants():
    """Repeated keys (lists) join, day numbers and upper case are accepted, duplicates drop."""
    query, notes = Query.from_params({"day": ["TUE", "3", "tue"], "cat": "Support_Group", "unc": "true"})
    assert query == Query(weekdays=(1, 3), categories=("support_group",), include_unconfirmed=True)
    assert notes == []


def test_control_characters_are_removed_from_text():
    """Control characters in the free text or place become spaces, never reach the query as such."""
    query, _ = Query.from_params({"q": "a\x00b\n c", "near": "\x1b60614"})
    assert query.text == "a b c"
    assert query.place == "60614"


_garbage_values = st.one_of(
    st.text(max_size=60),
    st.lists(st.text(max_size=20), max_size=4),
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
)


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.one_of(st.sampled_from(PARAM_KEYS), st.text(max_size=10)),
        _garbage_values,
        max_size=8,
    )
)
def test_garbage_parameters_never_raise(params):
    """Any dictionary of junk gives a valid query and notes, never an exception."""
    query, notes = Query.from_params(params)
    assert isinstance(query, Query)
    assert all(isinstance(n, str) for n in notes)
    assert 1 <= query.radius <= 100
    assert all(0 <= d <= 6 for d in query.weekdays)
    assert set(query.times_of_day) <= set(TIMES_OF_DAY)
    assert Query.from_params(query.to_params()) == (query, [])


def test_day_keys_are_monday_first():
    """Weekday 0 is Monday, as in schema.WEEKDAYS."""
    assert DAY_KEYS[0] == "mon" and DAY_KEYS[6] == "sun"


def test_a_county_typed_in_another_case_comes_back_as_the_county_list_spells_it():
    """county=cook,lake (in) holds Cook and Lake (IN), and the link written back says so."""
    query, notes = Query.from_params({"county": "cook,lake (in),saint clair"})
    assert (query.county, notes) == (("Cook", "Lake (IN)", "St. Clair"), [])
    assert query.to_params() == {"county": "Cook,Lake (IN),St. Clair"}
    assert "cook" not in query.to_params()["county"]
