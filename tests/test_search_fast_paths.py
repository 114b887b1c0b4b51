"""The search's shortcuts for wide text searches give what plain numpy over the whole arrays gives.

- A place search with text looks only at the records the text keeps (`Selection._near_kept`) when they
  are fewer than the box's latitude band; otherwise it walks the band. Both must find the records a
  plain whole-catalog computation finds, with the same distances.
- The first page listed by name is read off the name order in capped steps; with ties in the names and
  results that only begin far down the order it must be the page a full sort gives.
- Facet counts without a day or time filter read each weekday's and time of day's union bitmap; those
  must be the unions of the (weekday, time of day) bitmaps.

The catalog is generated here ("Generated listing 12", ids "gen-…", no addresses or phones; points are
random spots around Chicago and Springfield; a few regional listings serve Cook County).
"""

from __future__ import annotations

import math
import random
from datetime import datetime

import numpy as np
import pytest

from directory import facet_bitmaps, facets, schedule
from directory.catalog import Catalog
from directory.facets import Selection
from directory.geo import haversine_miles, lookup_place
from directory.schema import Resource, parse_schedule
from directory.search import Query, SearchIndex, search

NOW = datetime(2025, 6, 10, 19, 5, tzinfo=schedule.TZ)  # a Tuesday evening
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STARTS = ("06:30", "12:00", "17:30", "19:00", "22:30")
COUNT = 3000


def _generated(count: int, seed: int = 17) -> list[Resource]:
    rng = random.Random(seed)
    records = []
    for i in range(count):
        kind = rng.random()
        extra: dict = {}
        coverage = "local"
        if kind < 0.04:
            coverage = rng.choice(("statewide", "national"))
        elif kind < 0.08:
            coverage, extra["service_area"] = "regional", (rng.choice(("county:Cook", "county:Sangamon")),)
        if coverage in ("local", "regional") and rng.random() < 0.95:
            lat, lon = rng.choice(((41.92, -87.65), (39.80, -89.65)))
            extra.update(
                latitude=lat + rng.gauss(0, 0.12),
                longitude=lon + rng.gauss(0, 0.12),
                geocode_precision="address",
            )
        meeting = rng.random() < 0.6
        words = ["common"]
        if rng.random() < 0.03:
            words.append("rareword")
        if rng.random() < 0.5:
            words.append("halfword")
        # Names with many ties, and "zz" names sort after every other: a word only they hold makes the
        # first page begin far down the name order.
        late = rng.random() < 0.05
        if late:
            words.append("lateword")
        records.append(
            Resource(
                id=f"gen-{i}",
                name=f"{'Zz generated' if late else 'Generated'} listing {i % 40}",
                category="support_group" if meeting else "treatment",
                source="test",
                source_url="https://example.org/test",
                as_of="2025-05-01",
                coverage=coverage,
                format="in_person",
                status=rng.choice(("active",) * 9 + ("inactive",)),
                verification=rng.choice(("confirmed",) * 5 + ("unconfirmed",)),
                schedule=parse_schedule(f"{rng.choice(DAYS)} {rng.choice(STARTS)}-23:00") if meeting else (),
                description=" ".join(words),
                **extra,
            )
        )
    return records


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The generated records in a real SQLite catalog, and its index (with the catalog's word list)."""
    records = _generated(COUNT)
    path = tmp_path_factory.mktemp("fast") / "catalog.db"
    with Catalog(path) as catalog:
        catalog.import_records(records, source="test", save_report=False)
    catalog = Catalog(path, readonly=True)
    index = SearchIndex.from_catalog(catalog, shared=False)
    assert index.text_terms is not None  # free text is matched from the word list, in numpy
    yield index
    catalog.close()


def _plain_near(index: SearchIndex, place, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Whole-catalog numpy: the records within the circle (with their miles, NaN elsewhere), remote ones
    and regional ones serving Cook County (where 60614 is), written the obvious way."""
    miles = haversine_miles(place.latitude, place.longitude, index.latitude, index.longitude)
    dlat = radius / 68.7 * 1.02
    dlon = radius / (69.17 * max(math.cos(math.radians(place.latitude)), 0.01)) * 1.02
    boxed = (
        (index.latitude >= place.latitude - dlat)
        & (index.latitude <= place.latitude + dlat)
        & (index.longitude >= place.longitude - dlon)
        & (index.longitude <= place.longitude + dlon)
    )
    circle = index.boxable & boxed & (miles <= radius)
    cook = np.array([("county:Cook",) == areas for areas in index.area_uniques], dtype=bool)[index.area_codes]
    near = circle | index.remote | (index.regional & cook)
    return near, np.where(circle, miles, np.nan)


def _plain_text(index: SearchIndex, word: str) -> np.ndarray:
    records = index._catalog.get_many(index.ids)
    assert [r.id for r in records] == index.ids
    return np.array([word in r.description.split() for r in records], dtype=bool)


@pytest.mark.parametrize("word", ["rareword", "lateword", "halfword", "common"])
@pytest.mark.parametrize("radius", [2, 10, 50])
def test_a_place_search_with_text_finds_what_whole_arrays_find(generated, word, radius):
    """Either way of finding the candidates (the text's records alone, or the latitude band), the
    results and their distances are those of a plain whole-catalog computation."""
    index = generated
    place = lookup_place("60614")
    query = Query(text=word, place="60614", radius=radius)
    selection = Selection(index, query, place, NOW)
    near, miles = _plain_near(index, place, radius)
    shown = index.is_any("status", ("active",)) & index.is_any("verification", ("confirmed",))
    expected = near & shown & _plain_text(index, word)
    assert expected.any()
    assert np.array_equal(selection.final, expected)
    rows = selection.final_rows
    assert np.array_equal(selection.distance_at(rows), miles[rows], equal_nan=True)
    assert not np.isnan(selection.distance_at(rows)[~index.remote[rows] & ~index.regional[rows]]).any()
    # The page and the counts are those of the same query with the text applied after the place.
    wide = Selection(index, Query(place="60614", radius=radius), place, NOW)
    assert np.array_equal(wide.final & _plain_text(index, word), selection.final)
    found = search(index, query, now=NOW, limit=20)
    assert [r.resource.id for r in found.results] == [index.ids[i] for i in selection.order(rows, 20)]
    assert found.total == int(expected.sum())
    assert found.facets == selection.facets(dense=False)


def test_both_ways_of_finding_candidates_are_exercised(generated):
    """The words above make the text keep fewer records than the band holds, and more."""
    index = generated
    place = lookup_place("60614")
    dlat = 10 / 68.7 * 1.02
    low, high = np.searchsorted(index.lat_sorted, [place.latitude - dlat, place.latitude + dlat])
    band = int(high - low)
    shown = index.shown(False, False)
    kept = {w: int((_plain_text(index, w) & shown).sum()) for w in ("rareword", "common")}
    assert kept["rareword"] < band < kept["common"]


def test_lat_rank_is_each_rows_place_in_the_latitude_order(generated):
    index = generated
    assert np.array_equal(index.lat_order[index.lat_rank], np.arange(len(index)))


@pytest.mark.parametrize("step", [1, 1 << 16])
@pytest.mark.parametrize("word", ["lateword", "halfword", "common", "rareword"])
def test_the_first_page_by_name_is_the_full_sort_with_ties_and_late_results(
    generated, monkeypatch, word, step
):
    """Results that begin far down the name order, names that tie: the page read off the name order in
    capped steps is the page a full sort of every result gives, for every page size."""
    index = generated
    monkeypatch.setattr(facets, "_NAME_STEP", step)
    selection = Selection(index, Query(text=word, sort="name"), None, NOW)
    rows = selection.final_rows
    assert len(rows) == int((_plain_text(index, word) & index.shown(False, False)).sum())
    # The reference: a plain stable sort of the results by folded name, then row (ties by row).
    key = index.name_rank[rows]
    reference = rows[np.argsort(key, kind="stable")]
    for limit in (0, 1, 7, 20, 100, len(rows) + 5):
        assert selection.first(limit).tolist() == reference[:limit].tolist(), (word, limit)
    if word == "lateword":  # the late names lie after every other name
        assert index.name_rank[reference[0]] > len(index) // 2


def test_weekday_and_time_unions_are_the_unions_of_their_pairs(generated):
    index = generated
    bitmaps = index.facet_bitmaps()
    start = bitmaps.groups[facet_bitmaps.DAY_TOD][0]
    words = bitmaps.words
    for d in range(7):
        union = np.bitwise_or.reduce(words[[start + d * 4 + t for t in range(4)]], axis=0)
        assert np.array_equal(words[bitmaps.groups[facet_bitmaps.ANY_TIME][0] + d], union)
    for t in range(4):
        union = np.bitwise_or.reduce(words[[start + d * 4 + t for d in range(7)]], axis=0)
        assert np.array_equal(words[bitmaps.groups[facet_bitmaps.ANY_DAY][0] + t], union)
    # And the counts from them are the plain counts of records with a slot that day / at that time.
    selection = Selection(index, Query(text="halfword"), None, NOW)
    by_bits = selection.facets(dense=True)
    rows = selection.final_rows
    weekday = index.slot_weekday
    for d in range(7):
        has = np.zeros(len(index), dtype=bool)
        has[index.slot_record[weekday == d]] = True
        assert by_bits["weekdays"][str(d)] == int(has[rows].sum()) > 0
    assert by_bits == selection.facets(dense=False)
