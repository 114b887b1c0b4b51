"""Tests of directory.index_cache: the search index's columns saved beside the catalog, and never stale.

The records are made up for the tests ("Test meeting A", ids "test-…"); coordinates are arbitrary points
near the 60614 ZIP centre.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import numpy as np
import pytest

from directory import index_cache, schedule
from directory.catalog import Catalog
from directory.schema import Resource, parse_schedule
from directory.search import Query, SearchIndex, search

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=schedule.TZ)
CENTRE = {"latitude": 41.9229, "longitude": -87.6483}


def _record(rid: str, name: str, lat: float, lon: float, **extra) -> Resource:
    return Resource(
        id=rid,
        name=name,
        category=extra.pop("category", "support_group"),
        source="test",
        source_url="https://example.org/test",
        as_of="2025-05-01",
        latitude=lat,
        longitude=lon,
        geocode_precision="address",
        schedule=parse_schedule(extra.pop("when", "Tue 19:00-20:00")),
        **extra,
    )


RECORDS = [
    _record("test-a", "Test meeting A", 41.93, -87.65, fellowship="AA", languages=("es",)),
    _record("test-b", "Test meeting B", 41.95, -87.66, fellowship="NA", when="Sat 10:00"),
    _record("test-c", "Test clinic C", 41.90, -87.63, category="treatment", moud_services=("methadone",)),
    _record("test-d", "Test meeting D", 39.80, -89.65, fellowship="AA"),  # Springfield: far away
]
QUERIES = [
    Query(**CENTRE),
    Query(**CENTRE, fellowships=("AA",)),
    Query(**CENTRE, weekdays=(5,)),
    Query(text="clinic"),
    Query(moud_services=("methadone",)),
    Query(languages=("es",), sort="name"),
]


def _page(index, query):
    found = search(index, query, now=NOW)
    return [(r.resource.id, r.resource.name, r.distance_label) for r in found.results], found.facets


@pytest.fixture
def catalog_path(tmp_path):
    path = tmp_path / "catalog.db"
    with Catalog(path) as catalog:
        assert catalog.import_records(RECORDS, source="test").ok
    return path


def test_second_load_reads_the_cache_and_finds_the_same(catalog_path):
    """It writes the columns beside the catalog once; the next load reads them and answers identically."""
    with Catalog(catalog_path, readonly=True) as catalog:
        fresh = SearchIndex.from_catalog(catalog, shared=False)
        assert not fresh.from_cache
        assert index_cache.cache_path(catalog).exists()
        cached = SearchIndex.from_catalog(catalog, shared=False)
        assert cached.from_cache
        assert cached.ids == fresh.ids
        for name, value in vars(fresh).items():
            if isinstance(value, np.ndarray):
                assert np.array_equal(getattr(cached, name), value, equal_nan=value.dtype.kind == "f"), name
        for query in QUERIES:
            assert _page(cached, query) == _page(fresh, query)


def test_a_changed_record_is_never_served_from_an_old_cache(catalog_path):
    """After one record changes (renamed and moved away), the next index shows the change, not the cache."""
    with Catalog(catalog_path, readonly=True) as catalog:
        SearchIndex.from_catalog(catalog, shared=False)
        assert SearchIndex.from_catalog(catalog, shared=False).from_cache
    moved = dataclasses.replace(RECORDS[0], name="Test meeting A renamed", latitude=39.80, longitude=-89.65)
    with Catalog(catalog_path) as catalog:
        assert catalog.import_records([moved], source="test").ok
    with Catalog(catalog_path, readonly=True) as catalog:
        index = SearchIndex.from_catalog(catalog, shared=False)
        assert not index.from_cache
        near = {r.resource.id for r in search(index, Query(**CENTRE), now=NOW).results}
        assert "test-a" not in near and {"test-b", "test-c"} <= near
        named = search(index, Query(text="renamed"), now=NOW)
        assert [r.resource.id for r in named.results] == ["test-a"]
        assert SearchIndex.from_catalog(
            catalog, shared=False
        ).from_cache  # and the new state is cached in turn


def test_a_damaged_cache_is_rebuilt(catalog_path):
    """A cache file that is not a readable cache is ignored and replaced, with no error."""
    with Catalog(catalog_path, readonly=True) as catalog:
        SearchIndex.from_catalog(catalog, shared=False)
        index_cache.cache_path(catalog).write_bytes(b"not an npz file")
        index = SearchIndex.from_catalog(catalog, shared=False)
        assert not index.from_cache and len(index) == len(RECORDS)
        assert SearchIndex.from_catalog(catalog, shared=False).from_cache


def test_a_cache_of_another_catalog_is_not_used(tmp_path, catalog_path):
    """A cache copied beside a different catalog does not match its key and is not read."""
    other = tmp_path / "other.db"
    with Catalog(other) as catalog:
        assert catalog.import_records(RECORDS[:2], source="test").ok
    with Catalog(catalog_path, readonly=True) as catalog:
        SearchIndex.from_catalog(catalog, shared=False)
        data = index_cache.cache_path(catalog).read_bytes()
    with Catalog(other, readonly=True) as catalog:
        index_cache.cache_path(catalog).write_bytes(data)
        index = SearchIndex.from_catalog(catalog, shared=False)
        assert not index.from_cache and index.ids == ["test-a", "test-b"]


def test_cache_off_writes_nothing(catalog_path):
    """With cache=False the index is read from the rows and no file appears beside the catalog."""
    with Catalog(catalog_path, readonly=True) as catalog:
        index = SearchIndex.from_catalog(catalog, cache=False)
        assert not index.from_cache and not index_cache.cache_path(catalog).exists()


def test_a_server_holds_one_index_per_catalog_version(catalog_path):
    """Asked again for the same catalog state (another store object, as the app's warm-up and its first
    visitor are), the process reuses the columns it holds instead of loading a second copy; after one
    record changes it loads the new state, and never answers from the old one."""
    index_cache.forget()
    with Catalog(catalog_path, readonly=True) as warm, Catalog(catalog_path, readonly=True) as app:
        first = SearchIndex.from_catalog(warm)
        again = SearchIndex.from_catalog(app)
        assert np.shares_memory(again.latitude, first.latitude)
        assert again.ids is first.ids
        assert _page(again, Query(text="clinic")) == _page(first, Query(text="clinic"))
        moved = dataclasses.replace(RECORDS[0], name="Test meeting A renamed")
        with Catalog(catalog_path) as writer:
            assert writer.import_records([moved], source="test").ok
        fresh = SearchIndex.from_catalog(app)
        assert not np.shares_memory(fresh.latitude, first.latitude)
        assert [r.resource.id for r in search(fresh, Query(text="renamed"), now=NOW).results] == ["test-a"]
        assert search(first, Query(text="renamed"), now=NOW).total == 0  # the old index stays the old state
        assert SearchIndex.from_catalog(warm).ids is fresh.ids  # and the new one is the one held now
    index_cache.forget()
