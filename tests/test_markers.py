"""Tests of directory.markers: map markers from the index's arrays, remote listings left off, clusters above a cap.

The records are made up for the tests ("Test meeting 1", ids "test-…"); coordinates are arbitrary points
around the 60614 ZIP centre.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from directory import markers as mk
from directory import schedule
from directory.catalog import Catalog
from directory.geo import Place
from directory.schema import Resource
from directory.search import Query, SearchIndex, search

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=schedule.TZ)
CENTRE = {"latitude": 41.9229, "longitude": -87.6483}
PLACE = Place(CENTRE["latitude"], CENTRE["longitude"], "test centre", "address")


def _record(i: int, **extra) -> Resource:
    rng = np.random.default_rng(i)
    at = {}
    if extra.pop("located", True):
        at = dict(
            latitude=CENTRE["latitude"] + float(rng.normal(0, 0.03)),
            longitude=CENTRE["longitude"] + float(rng.normal(0, 0.03)),
            geocode_precision="address",
        )
    return Resource(
        id=f"test-{i}",
        name=extra.pop("name", f"Test meeting {i}"),
        category=extra.pop("category", "support_group" if i % 3 else "treatment"),
        source="test",
        source_url="https://example.org/test",
        as_of="2025-05-01",
        **at,
        **extra,
    )


RECORDS = [_record(i) for i in range(60)] + [
    _record(100, located=False, name="Test online meeting", format="online"),
    _record(
        101, located=False, name="Test line", category="crisis_line", format="phone", coverage="statewide"
    ),
    _record(102, name="Test closed meeting", status="inactive"),
    _record(103, name="Test tagged name"),
]


@pytest.fixture(scope="module", params=["records", "sqlite"])
def index(request, tmp_path_factory):
    if request.param == "records":
        yield SearchIndex.from_records(RECORDS)
        return
    path = tmp_path_factory.mktemp("markers") / "catalog.db"
    with Catalog(path) as catalog:
        assert catalog.import_records(RECORDS, source="test").ok
    with Catalog(path, readonly=True) as catalog:
        yield SearchIndex.from_catalog(catalog)


@pytest.mark.parametrize("query", [Query(), Query(**CENTRE, radius=2), Query(categories=("treatment",))])
def test_markers_are_the_located_results(index, query):
    """The markers are exactly the results with a point, remote listings and hidden ones left off."""
    place = PLACE if query.has_location else None
    found = search(index, query, now=NOW, limit=None)
    expected = {r.resource.id for r in found.results if r.resource.has_location and not r.resource.is_remote}
    drawn = mk.markers(index, query, place=place, now=NOW)
    assert not drawn.clustered and set(drawn.ids) == expected and len(drawn.ids) == len(expected)
    assert "test-100" not in drawn.ids and "test-101" not in drawn.ids and "test-102" not in drawn.ids
    by_id = {r.resource.id: r.resource for r in found.results}
    for rid, lat, lon, kind in zip(drawn.ids, drawn.latitude, drawn.longitude, drawn.kind):
        assert (lat, lon, kind) == (by_id[rid].latitude, by_id[rid].longitude, by_id[rid].category)


def test_bounds_keep_only_the_view(index):
    """Only markers inside (south, west, north, east) are returned and counted."""
    bounds = (CENTRE["latitude"], CENTRE["longitude"], CENTRE["latitude"] + 1, CENTRE["longitude"] + 1)
    drawn = mk.markers(index, Query(), now=NOW, bounds=bounds)
    everything = mk.markers(index, Query(), now=NOW)
    assert 0 < drawn.in_view < everything.in_view
    assert np.all(drawn.latitude >= bounds[0]) and np.all(drawn.longitude >= bounds[1])
    outside = {
        i for i, lat, lon in zip(everything.ids, everything.latitude, everything.longitude) if lat < bounds[0]
    }
    assert outside and not outside & set(drawn.ids)


def test_above_the_cap_clusters_are_counted_on_the_server(index):
    """Over the cap no single marker is sent: clusters whose counts add up to every listing in view, and the note."""
    drawn = mk.markers(index, Query(), now=NOW, cap=10)
    assert (
        drawn.clustered and drawn.ids == [] and drawn.in_view == 61
    )  # 60 located + the tagged one; the closed one is hidden
    assert int(drawn.clusters.count.sum()) == drawn.in_view
    assert len(drawn.clusters.count) > 1
    assert set(drawn.clusters.kind) <= {"support_group", "treatment"}
    assert "Zoom in to see every listing" in mk.zoom_note(drawn) and "61" in mk.zoom_note(drawn)
    assert mk.zoom_note(mk.markers(index, Query(), now=NOW)) == ""


def test_names_come_in_the_order_of_the_rows(index):
    """The popup names are read for the given rows, in their order, as the catalog holds them."""
    drawn = mk.markers(index, Query(text="tagged"), now=NOW)
    assert drawn.ids == ["test-103"]
    assert mk.names(index, drawn.rows) == ["Test tagged name"]
    rows = mk.markers(index, Query(), now=NOW).rows[::-1][:5]
    assert mk.names(index, rows) == [index.resources([r])[0].name for r in rows.tolist()]


def test_popups_give_name_next_meeting_and_age_words_without_full_records(index):
    """popups() reads the few columns a popup shows; its age words are freshness.certainty's."""
    from directory import freshness

    meeting = Resource(id="x", name="x", category="support_group", source="test", source_url="https://e.org",
                       as_of="2025-05-01")  # fmt: skip
    drawn = mk.markers(index, Query(text="tagged"), now=NOW)
    [popup] = mk.popups(index, drawn.rows, NOW)
    assert popup.name == "Test tagged name"
    assert popup.age == freshness.certainty(meeting, NOW).words and "2025" in popup.age
    assert popup.when == ""  # no schedule, no hours
    everything = mk.markers(index, Query(), now=NOW)
    assert [p.name for p in mk.popups(index, everything.rows, NOW)] == mk.names(index, everything.rows)


def test_a_meeting_popup_says_when_it_meets_next(tmp_path):
    """A weekly meeting's popup line is the card's: the next meeting from the stored schedule."""
    from directory.schema import parse_schedule
    from directory.words import next_words

    weekly = _record(7, name="Test weekly meeting", schedule=parse_schedule("Wed 19:00-20:00"))
    path = tmp_path / "catalog.db"
    with Catalog(path) as catalog:
        assert catalog.import_records([weekly], source="test").ok
    with Catalog(path, readonly=True) as catalog:
        index = SearchIndex.from_catalog(catalog)
        [popup] = mk.popups(index, mk.markers(index, Query(), now=NOW).rows, NOW)
    assert popup.when == "Next: " + next_words(datetime(2025, 6, 11, 19, 0, tzinfo=schedule.TZ), NOW)


def test_zoomed_clusters_count_every_listing_in_view_once(index):
    """With the map's zoom the groups lie on a grid fixed to the ground; their counts add up to the view."""
    rows = mk.query_rows(index, Query(), now=NOW)
    for zoom in (6, 9, 12, 15):
        drawn = mk.markers(index, Query(), now=NOW, cap=5, rows=rows, zoom=zoom)
        assert drawn.clustered and int(drawn.clusters.count.sum()) == drawn.in_view == len(rows)
    coarse = mk.markers(index, Query(), now=NOW, cap=5, rows=rows, zoom=6).clusters
    fine = mk.markers(index, Query(), now=NOW, cap=5, rows=rows, zoom=15).clusters
    assert len(coarse.count) < len(fine.count)
    assert mk.cell_degrees(7) == pytest.approx(mk.cell_degrees(6) / 2)


def test_selected_listings_come_with_distance_and_next_meeting(index):
    """The cards under the map: full records only for the chosen rows, with the distance from the place."""
    drawn = mk.markers(index, Query(**CENTRE, radius=2), place=PLACE, now=NOW)
    [chosen] = mk.selected(index, drawn.rows[:1], place=PLACE, now=NOW)
    assert chosen.resource.id == drawn.ids[0]
    assert chosen.distance_miles is not None and chosen.distance_miles <= 2.0
    assert chosen.distance_label.endswith(" mi")
