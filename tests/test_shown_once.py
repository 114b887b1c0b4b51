"""Issue 10 item 11: crisis and national entries appear once. On the shipped catalog each crisis line is
one record, and a meeting search never lists a fellowship's directory both as a result card and again as a
"find more meetings" link."""

from __future__ import annotations

from collections import Counter

import pytest

from directory import phones
from directory.catalog import Catalog
from directory.query import Query
from directory.search import SearchIndex, search
from tests.app_catalog import REPO_ROOT
from tests.test_page_find_meetings import RECORDS

SHIPPED = REPO_ROOT / "data" / "catalog.db"
LINE_KINDS = ("crisis_line", "government_program", "national_resource")


@pytest.fixture(scope="module")
def shipped():
    if not SHIPPED.exists():
        pytest.skip("the shipped catalog data/catalog.db is absent")
    with Catalog(SHIPPED, readonly=True) as catalog:
        yield SearchIndex.from_catalog(catalog, cache=False)


def shown_ids(found) -> list[str]:
    return [x.resource.id for x in (*found.results, *found.unconfirmed_meetings, *found.online_meetings)] + [
        f.resource_id for f in found.meeting_finders
    ]


@pytest.mark.parametrize("params", [{"near": "61602"}, {"near": "61602", "cat": "support_group"},
                                    {"near": "62914", "cat": "support_group"}, {"near": "60614", "cat": "crisis_line"}])  # fmt: skip
def test_a_search_near_peoria_shows_each_listing_once(shipped, params):
    """No id twice among results, unconfirmed and online meetings and meeting finders."""
    query, notes = Query.from_params(params)
    found = search(shipped, query)
    found = search(shipped, query, limit=found.total)
    counts = Counter(shown_ids(found))
    assert not notes and [i for i, n in counts.items() if n > 1] == []


def test_each_crisis_line_is_one_record_on_the_shipped_catalog(shipped):
    """988, the Illinois Helpline, SAMHSA's National Helpline and every other line: one listing per number."""
    found = search(shipped, Query(categories=LINE_KINDS), limit=1000)
    numbers = Counter(
        (p.number, p.press, p.kind)
        for x in found.results
        for p in filter(None, map(phones.try_parse, x.resource.phones))
        if p.kind == "voice"
    )
    assert numbers[("988", "", "voice")] == 1
    assert numbers[("+18332346343", "", "voice")] == 1 and numbers[("+18006624357", "", "voice")] == 1
    assert [k for k, n in numbers.items() if n > 1] == []


def test_a_directory_among_the_results_is_not_repeated_as_a_finder():
    """A meeting search without a day lists the AA office as a result (with its website link), so the
    "find more meetings" block does not list it again; a Tuesday search (which the office does not
    match) still offers it as a finder."""
    index = SearchIndex.from_records(RECORDS)
    anyday = search(index, Query(place="60614", categories=("support_group",)))
    assert "office" in {x.resource.id for x in anyday.results}
    assert "office" not in {f.resource_id for f in anyday.meeting_finders}
    tuesday = search(index, Query(place="60614", categories=("support_group",), weekdays=(1,)))
    assert "office" not in {x.resource.id for x in tuesday.results}
    assert [f.resource_id for f in tuesday.meeting_finders] == ["office"]
