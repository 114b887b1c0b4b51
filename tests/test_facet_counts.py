"""Facet counts from the index's bitmaps and from the matches' rows give the same numbers as a plain count.

The catalog is generated here ("Generated listing 12", ids "gen-…", no addresses or phones; points are
random spots around Chicago and Springfield). For every query the reference counts the records of each
selection in plain Python, from the records themselves.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

import pytest

from directory import facet_bitmaps, schedule
from directory.catalog import Catalog
from directory.facet_counts import DENSE_SHARE
from directory.facets import Selection, county_value
from directory.geo import lookup_place
from directory.query import TIMES_OF_DAY
from directory.schema import Category, Format, Payment, Population, Resource, parse_schedule, split_list
from directory.search import Query, SearchIndex, search

NOW = datetime(2025, 6, 10, 19, 5, tzinfo=schedule.TZ)  # a Tuesday evening
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STARTS = ("06:30", "12:00", "17:30", "19:00", "22:30")
COUNTIES = (("Cook", "IL"), ("DuPage", "IL"), ("Sangamon", "IL"), ("Lake", "IN"), ("", "IL"), ("", ""))
FELLOWSHIPS = ("AA", "NA", "SMART", "Al-Anon")
LANGUAGES = ("en", "es", "pl")
SERVICES = ("substance_use", "mental_health", "outpatient")


def _generated(count: int, seed: int = 3) -> list[Resource]:
    rng = random.Random(seed)
    records = []
    for i in range(count):
        category = rng.choice(Category.values())
        meeting = category == "support_group"
        county, state = rng.choice(COUNTIES)
        where = rng.choice(((41.92, -87.65), (39.80, -89.65)))
        located = rng.random() < 0.9
        slots = "; ".join(
            f"{rng.choice(DAYS)} {rng.choice(STARTS)}-{rng.randint(7, 23):02d}:00"
            for _ in range(rng.randint(1, 3))
        )
        extra = {}
        if located:
            extra = {
                "latitude": where[0] + rng.uniform(-0.3, 0.3),
                "longitude": where[1] + rng.uniform(-0.3, 0.3),
                "geocode_precision": "address",
            }
        records.append(
            Resource(
                id=f"gen-{i}",
                name=f"Generated listing {i}",
                category=category,
                source="test",
                source_url="https://example.org/test",
                as_of="2025-05-01",
                subcategory=rng.choice(("", "meeting", "outpatient", "sober_living")),
                format=rng.choice(Format.values()),
                coverage="local" if located else rng.choice(("statewide", "national")),
                status=rng.choice(("active",) * 8 + ("inactive",)),
                verification=rng.choice(("confirmed",) * 4 + ("unconfirmed",)),
                fellowship=rng.choice(FELLOWSHIPS) if meeting else "",
                populations=tuple(rng.sample(Population.values(), rng.randint(0, 2))),
                languages=tuple(rng.sample(LANGUAGES, rng.randint(0, 2))),
                payment=tuple(rng.sample(Payment.values(), rng.randint(0, 3))),
                moud_services=tuple(
                    rng.sample(("methadone", "buprenorphine", "naltrexone"), rng.randint(0, 2))
                ),
                services=tuple(rng.sample(SERVICES, rng.randint(0, 2))),
                mat_friendly=rng.choice(("yes", "no", "unknown")),
                accessibility=("wheelchair",) if rng.random() < 0.3 else (),
                county=county,
                state=state,
                schedule=parse_schedule(slots) if meeting else (),
                description=rng.choice(("newcomers welcome", "big book study", "speaker meeting")),
                **extra,
            )
        )
    return records


def _queries(seed: int = 5) -> list[Query]:
    rng = random.Random(seed)
    picks = [
        ("categories", lambda: tuple(rng.sample(Category.values(), rng.randint(1, 2)))),
        ("fellowships", lambda: (rng.choice(FELLOWSHIPS),)),
        ("formats", lambda: (rng.choice(Format.values()),)),
        ("populations", lambda: (rng.choice(Population.values()),)),
        ("languages", lambda: (rng.choice(LANGUAGES),)),
        ("payment", lambda: tuple(rng.sample(Payment.values(), 2))),
        ("county", lambda: (rng.choice(("Cook", "Sangamon", "Lake (IN)")),)),
        ("care_for", lambda: rng.choice(("substance_use", "mental_health", "both"))),
        ("mat_friendly", lambda: True),
        ("wheelchair", lambda: True),
        ("weekdays", lambda: tuple(sorted(rng.sample(range(7), 2)))),
        ("times_of_day", lambda: (rng.choice(TIMES_OF_DAY),)),
        ("in_progress", lambda: True),
        ("text", lambda: rng.choice(("newcomers", "big", "speaker meet"))),
        ("include_unconfirmed", lambda: True),
    ]
    queries = [Query(), Query(include_inactive=True, include_unconfirmed=True)]
    for _ in range(60):
        fields = {}
        if rng.random() < 0.4:
            fields.update(place="60614", radius=rng.choice((5, 25, 100)))
        for name, value in rng.sample(picks, rng.randint(1, 3)):
            fields[name] = value()
        queries.append(Query(**fields))
    return queries


def _reference(selection: Selection, records: list[Resource]) -> dict[str, dict[str, int]]:
    """Each facet counted in plain Python over the records of its selection (base and other groups)."""
    out: dict[str, dict[str, int]] = {}
    single = {"categories": "category", "subcategories": "subcategory", "formats": "format"}
    multi = {
        "fellowships": "fellowship",
        "populations": "populations",
        "languages": "languages",
        "payment": "payment",
        "moud_services": "moud_services",
    }

    def chosen(group: str) -> list[Resource]:
        mask = selection.others(group)
        return [r for r, keep in zip(records, mask) if keep]

    for group, field in single.items():
        out[group] = dict(Counter(getattr(r, field) for r in chosen(group) if getattr(r, field)))
    for group, field in multi.items():
        counts: Counter = Counter()
        for r in chosen(group):
            value = getattr(r, field)
            items = split_list(value) if isinstance(value, str) else value
            counts.update({v.casefold() for v in items})
        out[group] = dict(counts)
    out["county"] = dict(Counter(county_value(r.county, r.state) for r in chosen("county")))
    out["county"].pop("", None)
    care = chosen("care_for")
    treatment = [r for r in care if r.category == "treatment"]
    out["care_for"] = {
        "substance_use": len(care)
        - sum(1 for r in treatment if "mental_health" in r.services and "substance_use" not in r.services),
        "mental_health": len(care)
        - len(treatment)
        + sum(1 for r in treatment if "mental_health" in r.services),
        "both": len(care),
    }
    out["mat_friendly"] = {"yes": sum(1 for r in chosen("mat_friendly") if r.mat_friendly == "yes")}
    out["wheelchair"] = {"yes": sum(1 for r in chosen("wheelchair") if "wheelchair" in r.accessibility)}
    query = selection.query
    if not (query.in_progress or query.starting_within is not None):
        days = set(query.weekdays) or set(range(7))
        tods = set(query.times_of_day) or set(TIMES_OF_DAY)
        timed = chosen("schedule")
        out["weekdays"] = {
            str(d): sum(
                1
                for r in timed
                if any(s.weekday == d and schedule.time_of_day(s.start) in tods for s in r.schedule)
            )
            for d in range(7)
        }
        out["times_of_day"] = {
            t: sum(
                1
                for r in timed
                if any(s.weekday in days and schedule.time_of_day(s.start) == t for s in r.schedule)
            )
            for t in TIMES_OF_DAY
        }
    return out


def _agrees(found: dict[str, dict[str, int]], expected: dict[str, dict[str, int]]) -> None:
    folded = ("fellowships", "populations", "languages", "payment", "moud_services")
    # Every facet the search counts has a plain count here, so a new facet fails until the reference counts
    # it; only the schedule's two are left out, for a "now" or "starting soon" search (_reference says why).
    assert set(found) - set(expected) <= {"weekdays", "times_of_day"}, set(found) - set(expected)
    for group, counts in expected.items():
        got = {k.casefold() if group in folded else k: v for k, v in found[group].items()}
        assert set(counts) <= set(got), group  # every value held by a selected record is listed
        assert got == {k: counts.get(k, 0) for k in got}, group


@pytest.fixture(scope="module")
def generated():
    records = _generated(700)
    return records, SearchIndex.from_records(records)


@pytest.fixture(scope="module")
def generated_catalog(tmp_path_factory):
    """The same records in a real SQLite catalog; the index read back from its cache file."""
    records = _generated(700)
    path = tmp_path_factory.mktemp("facets") / "catalog.db"
    with Catalog(path) as catalog:
        catalog.import_records(records, source="test", save_report=False)
    catalog = Catalog(path, readonly=True)
    SearchIndex.from_catalog(catalog, shared=False)  # builds and writes the cache
    index = SearchIndex.from_catalog(catalog, shared=False)
    assert index.from_cache
    by_id = {r.id: r for r in records}
    yield [by_id[i] for i in index.ids], index
    catalog.close()


@pytest.mark.parametrize("which", ["generated", "generated_catalog"])
def test_bitmaps_and_rows_count_every_facet_as_a_plain_count_does(which, request, monkeypatch):
    """Both ways of counting give the plain count of every facet value, for varied queries."""
    records, index = request.getfixturevalue(which)
    dense_used = sparse_used = 0
    for query in _queries():
        place = lookup_place(query.place) if query.place else None
        selection = Selection(index, query, place, NOW)
        expected = _reference(selection, records)
        by_bits, by_rows = selection.facets(dense=True), selection.facets(dense=False)
        assert by_bits == by_rows, query
        with monkeypatch.context() as patch:  # value by value, as for a large catalog
            patch.setattr(facet_bitmaps, "_BLOCK", 0)
            assert selection.facets(dense=True) == by_bits
        _agrees(by_bits, expected)
        chosen = selection.facets()
        assert chosen == by_bits
        dense_used += len(selection.final_rows) * DENSE_SHARE > len(index)
        sparse_used += len(selection.final_rows) * DENSE_SHARE <= len(index)
    assert dense_used and sparse_used  # the queries exercise both ways by default


def test_search_reports_the_same_facets_and_ids_either_way(generated):
    """search() gives the facets of its selection and the same ids whatever way they are counted."""
    records, index = generated
    query = Query(text="newcomers", weekdays=(1,))
    found = search(index, query, now=NOW, limit=None)
    selection = Selection(index, query, None, NOW)
    assert found.facets == selection.facets(dense=False)
    assert [r.resource.id for r in found.results] == [
        index.ids[i] for i in selection.order(selection.final_rows, None)
    ]
    assert found.total == len(selection.final_rows) > 0


def test_a_selection_of_nothing_counts_zero_everywhere(generated):
    """A query that matches nothing counts no value, in either way; nothing is left out of the lists."""
    _, index = generated
    selection = Selection(index, Query(text="zzzunmatched"), None, NOW)
    for dense in (True, False):
        facets = selection.facets(dense=dense)
        assert all(v == 0 for group in facets.values() for v in group.values())
        assert set(facets["categories"]) >= set(Category.values())


@pytest.mark.parametrize("which", ["generated", "generated_catalog"])
def test_the_first_page_read_from_the_name_order_is_the_sorted_page(which, request):
    """Many results listed by name: the first ones read off the name order are those a full sort gives."""
    _, index = request.getfixturevalue(which)
    for query in (Query(), Query(text="newcomers"), Query(sort="verified"), Query(categories=("treatment",))):
        selection = Selection(index, query, None, NOW)
        assert selection.total * 64 > len(index)  # many: the shortcut applies where the sort allows it
        for limit in (0, 1, 5, 20, 10_000):
            expected = selection.order(selection.final_rows, limit)
            assert selection.first(limit).tolist() == expected.tolist(), (query, limit)
        assert selection.first(None).tolist() == selection.order(selection.final_rows, None).tolist()
