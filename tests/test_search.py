"""Tests of directory.search and directory.facets against a small catalog of generated test records.

Every record here is made up for the tests ("Test meeting A", ids "test-…", no addresses or phones);
coordinates are arbitrary points near the 60614 ZIP centre and near Springfield.
Each case runs on an index built from the records in memory and on one read from a real SQLite catalog.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest
from geopy.distance import great_circle

from directory import schedule
from directory.__main__ import main
from directory.catalog import Catalog
from directory.schema import Resource, parse_schedule
from directory.search import Query, SearchIndex, describe, fts_expression, search

CENTRE = {"latitude": 41.9229, "longitude": -87.6483}  # the 60614 ZIP centre in the zipcodes package
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=schedule.TZ)  # a Tuesday, noon in Chicago


def _record(rid: str, name: str, category: str, *, at=None, when="", **extra) -> Resource:
    coordinates = {}
    if at is not None:
        coordinates = {"latitude": at[0], "longitude": at[1], "geocode_precision": "address"}
    return Resource(
        id=rid,
        name=name,
        category=category,
        source="test",
        source_url="https://example.org/test",
        as_of=extra.pop("as_of", "2025-05-01"),
        schedule=parse_schedule(when),
        **coordinates,
        **extra,
    )


NEAR = (41.93, -87.65)  # about half a mile from the centre
RECORDS = [
    _record(
        "test-a",
        "Test meeting A",
        "support_group",
        at=NEAR,
        when="Tue 19:00-20:00",
        fellowship="AA",
        format="in_person",
        languages=("es",),
        populations=("women",),
        accessibility=("wheelchair",),
        mat_friendly="yes",
    ),
    _record(
        "test-b",
        "Test meeting B",
        "support_group",
        at=(41.95, -87.66),
        when="Thu 07:30-08:30; Tue 12:00-13:00",
        fellowship="NA",
        format="in_person",
        languages=("en",),
    ),
    _record(
        "test-c",
        "Test meeting C far away",
        "support_group",
        at=(39.80, -89.65),
        when="Tue 19:00",
        fellowship="AA",
    ),
    _record(
        "test-d",
        "Test meeting D online",
        "support_group",
        when="Tue 18:00-19:00",
        format="online",
        fellowship="SMART",
    ),
    _record(
        "test-e", "Test late meeting E", "support_group", at=NEAR, when="Sat 23:30-00:30", fellowship="AA"
    ),
    _record(
        "test-f",
        "Test recovery home F",
        "recovery_housing",
        at=(41.91, -87.64),
        populations=("men",),
        mat_friendly="yes",
        payment=("self_pay",),
    ),
    _record(
        "test-g",
        "Test clinic G",
        "treatment",
        at=(41.92, -87.70),
        moud_services=("buprenorphine",),
        payment=("medicaid", "sliding_fee"),
        languages=("es",),
        as_of="2025-01-15",
    ),
    _record(
        "test-h",
        "Test clinic H",
        "treatment",
        at=(41.80, -87.60),
        moud_services=("naltrexone",),
        payment=("private_insurance",),
        as_of="2015-01-01",
    ),
    _record("test-i", "Test helpline I", "crisis_line", format="phone", coverage="statewide"),
    _record("test-j", "Test closed clinic J", "treatment", at=NEAR, status="inactive"),
    _record(
        "test-k",
        "Test unconfirmed meeting K",
        "support_group",
        at=NEAR,
        when="Tue 19:00",
        verification="unconfirmed",
    ),
    _record("test-l", "Test home L", "recovery_housing", at=NEAR, status="temporarily_closed"),
    _record(
        "test-m", "Test venue M without coordinates", "support_group", when="Mon 12:00", format="in_person"
    ),
    _record(
        "test-n",
        "Test Café Nouveau group N",
        "support_group",
        at=NEAR,
        when="Wed 12:00",
        description="Test gathering",
    ),
    _record("test-o", "Test meeting O", "support_group", at=NEAR, when="Sun 07:00-08:00"),
    _record("test-p", "Test meeting P", "support_group", at=NEAR, when="Sun 06:00-07:00"),
    _record("test-q", "Test meeting Q", "support_group", at=NEAR, when="Sun 08:00-09:00"),
]


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    """A real SQLite catalog holding the test records."""
    path = tmp_path_factory.mktemp("search") / "catalog.db"
    with Catalog(path) as catalog:
        report = catalog.import_records(RECORDS, source="test")
        assert report.ok, report.rejected
    return path


@pytest.fixture(scope="module", params=["records", "sqlite", "cached"])
def index(request, catalog_path):
    """The same records indexed from memory, from the SQLite catalog, and from the columns cached beside it."""
    if request.param == "records":
        yield SearchIndex.from_records(RECORDS)
        return
    with Catalog(catalog_path, readonly=True) as catalog:
        built = SearchIndex.from_catalog(catalog, cache=request.param == "cached")
        if request.param == "cached":
            built = SearchIndex.from_catalog(catalog, shared=False)  # from the file, not the one held
            assert built.from_cache
        yield built


def _ids(index, query, now=NOW) -> set[str]:
    return {r.resource.id for r in search(index, query, now=now).results}


CASES = [
    # (case, query, expected ids, an id that must be absent)
    ("support groups near", dict(categories=("support_group",), **CENTRE), set("abdenopq"), "test-c"),
    (
        "no place keeps venues without coordinates",
        dict(categories=("support_group",)),
        set("abcdemnopq"),
        "test-k",
    ),
    (
        "place drops local records without coordinates",
        dict(categories=("support_group",), **CENTRE),
        set("abdenopq"),
        "test-m",
    ),
    (
        "OR within categories",
        dict(categories=("recovery_housing", "treatment"), **CENTRE),
        set("fgh"),
        "test-j",
    ),
    (
        "temporarily closed hidden by default",
        dict(categories=("recovery_housing",), **CENTRE),
        set("f"),
        "test-l",
    ),
    (
        "AND across groups",
        dict(categories=("treatment",), moud_services=("buprenorphine",), **CENTRE),
        set("g"),
        "test-h",
    ),
    ("OR within MOUD", dict(moud_services=("buprenorphine", "naltrexone"), **CENTRE), set("gh"), "test-f"),
    ("Tuesday evening", dict(weekdays=(1,), times_of_day=("evening",), **CENTRE), set("ad"), "test-k"),
    ("day and time match the same slot", dict(weekdays=(1,), times_of_day=("morning",)), set(), "test-b"),
    ("Tuesday afternoon", dict(weekdays=(1,), times_of_day=("afternoon",)), set("b"), "test-a"),
    ("OR within weekdays", dict(weekdays=(2, 3)), set("bn"), "test-a"),
    ("Spanish", dict(languages=("es",), **CENTRE), set("ag"), "test-b"),
    ("women", dict(populations=("women",)), set("a"), "test-f"),
    ("MOUD-friendly", dict(mat_friendly=True, **CENTRE), set("af"), "test-b"),
    ("wheelchair", dict(wheelchair=True), set("a"), "test-b"),
    ("OR within payment", dict(payment=("medicaid", "self_pay"), **CENTRE), set("fg"), "test-h"),
    (
        "verified within 24 months",
        dict(categories=("treatment",), verified_within_months=24, **CENTRE),
        set("g"),
        "test-h",
    ),
    (
        "include inactive",
        dict(categories=("treatment",), include_inactive=True, **CENTRE),
        set("ghj"),
        "test-c",
    ),
    (
        "include unconfirmed",
        dict(weekdays=(1,), times_of_day=("evening",), include_unconfirmed=True, **CENTRE),
        set("adk"),
        "test-c",
    ),
    ("online format", dict(formats=("online",)), set("d"), "test-a"),
    (
        "statewide line matches anywhere",
        dict(categories=("crisis_line",), latitude=37.0, longitude=-89.2),
        set("i"),
        "test-a",
    ),
    ("fellowship, any case", dict(fellowships=("aa",), **CENTRE), set("ae"), "test-c"),
    ("radius", dict(categories=("treatment",), radius=5, **CENTRE), set("g"), "test-h"),
    ("free-text prefix", dict(text="nouv"), set("n"), "test-a"),
    ("starting within an hour", dict(starting_within=1.0), set("b"), "test-n"),
]


@pytest.mark.parametrize(("case", "fields", "expected", "absent"), CASES, ids=[c[0] for c in CASES])
def test_query_table(index, case, fields, expected, absent):
    """It returns exactly the expected records and never the excluded one."""
    found = _ids(index, Query(**fields))
    assert found == {f"test-{x}" for x in expected}
    assert absent not in found


@pytest.mark.parametrize(
    ("moment", "in_progress", "not_in_progress"),
    [
        (datetime(2025, 6, 14, 23, 40, tzinfo=schedule.TZ), {"test-e"}, "test-o"),
        (datetime(2025, 6, 15, 0, 5, tzinfo=schedule.TZ), set(), "test-e"),  # running, but joined too late
    ],
)
def test_meeting_past_midnight_in_progress(index, moment, in_progress, not_in_progress):
    """A Saturday 23:30–00:30 meeting is in progress for ten minutes after its start, across midnight too."""
    found = _ids(index, Query(in_progress=True), now=moment)
    assert found == in_progress
    assert not_in_progress not in found


def test_meeting_past_midnight_is_a_saturday_night_meeting(index):
    """The 23:30–00:30 meeting counts on Saturday at night, starts within the hour at 22:45, not on Sunday."""
    saturday = _ids(index, Query(weekdays=(5,), times_of_day=("night",)))
    assert saturday == {"test-e"}
    assert "test-e" not in _ids(index, Query(weekdays=(6,)))
    late = datetime(2025, 6, 14, 22, 45, tzinfo=schedule.TZ)
    assert "test-e" in _ids(index, Query(starting_within=1.0), now=late)
    assert "test-e" not in _ids(index, Query(starting_within=0.5), now=late)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 3, 9, 12, 5, tzinfo=UTC),  # 07:05 CDT, hours after the spring-forward change
        datetime(2025, 11, 2, 13, 5, tzinfo=UTC),  # 07:05 CST, hours after the fall-back change
    ],
)
def test_in_progress_across_daylight_saving_change(index, moment):
    """On both change days the 07:00 Sunday meeting is in progress and the 06:00 and 08:00 ones are not."""
    found = _ids(index, Query(in_progress=True), now=moment)
    assert found == {"test-o"}
    assert "test-p" not in found and "test-q" not in found


def test_next_start_of_a_meeting_in_progress(index):
    """A meeting started five minutes ago shows that start as its next one, not next week's."""
    moment = datetime(2025, 6, 14, 23, 35, tzinfo=schedule.TZ)
    (result,) = search(index, Query(in_progress=True), now=moment).results
    assert result.next_start == datetime(2025, 6, 14, 23, 30, tzinfo=schedule.TZ)
    assert result.next_start.date() != datetime(2025, 6, 21).date()


def test_online_resource_without_coordinates(index):
    """An online meeting without coordinates is found near a place and says "online" instead of miles."""
    results = {
        r.resource.id: r
        for r in search(index, Query(categories=("support_group",), **CENTRE), now=NOW).results
    }
    assert results["test-d"].distance_label == "online"
    assert results["test-d"].distance_miles is None
    expected = great_circle((CENTRE["latitude"], CENTRE["longitude"]), NEAR).miles
    assert results["test-a"].distance_label == f"{expected:.1f} mi"
    assert results["test-a"].distance_miles == pytest.approx(expected, rel=1e-3)
    assert "test-m" not in results


def test_statewide_line_says_statewide_by_phone(index):
    """A statewide phone line carries the "by phone" label and no distance."""
    (result,) = search(index, Query(categories=("crisis_line",), **CENTRE), now=NOW).results
    assert result.distance_label == "by phone"
    assert result.distance_miles is None


def test_unknown_zip_gives_message_not_error(index):
    """An unknown ZIP returns no results and the "We couldn't find" message, without raising."""
    found = search(index, Query(place="00000"), now=NOW)
    assert found.message.startswith("We couldn't find '00000'")
    assert found.results == [] and found.total == 0
    assert found.place is None


def test_zip_place_is_looked_up_offline(index):
    """A ZIP code is placed at its centre, and records within the radius come back nearest first."""
    found = search(index, Query(place="60614", categories=("support_group",)), now=NOW)
    assert found.place is not None and found.place.zip == "60614"
    ids = [r.resource.id for r in found.results]
    assert ids[0] in {"test-a", "test-e", "test-n", "test-o", "test-p", "test-q"}
    assert "test-c" not in ids


def test_remote_results_come_after_local_ones(index):
    """Sorted by distance, local records come nearest first and remote ones after them."""
    labels = [r.distance_label for r in search(index, Query(**CENTRE), now=NOW).results]
    miles = [float(x.split()[0]) for x in labels if x.endswith(" mi")]
    assert miles == sorted(miles)
    first_remote = next(i for i, x in enumerate(labels) if not x.endswith(" mi"))
    assert all(not x.endswith(" mi") for x in labels[first_remote:])


@pytest.mark.parametrize(
    ("sort", "first", "later"),
    [
        ("name", "test-n", "test-a"),  # "test café…" sorts before "test clinic…" and "test meeting…"
        ("next", "test-b", "test-a"),  # Tuesday 12:00 starts now; test-a at 19:00
        ("verified", "test-n", "test-h"),  # listings of 2025-05-01 before the one of 2015
    ],
)
def test_sort_orders(index, sort, first, later):
    """Each sort order puts the expected record first and the other one after it."""
    ids = [r.resource.id for r in search(index, Query(sort=sort), now=NOW).results]
    assert ids[0] == first
    assert ids.index(later) > 0


def test_paging_matches_the_full_order(index):
    """offset/limit pages are slices of the full ordered list, and total counts every match."""
    query = Query(**CENTRE)
    full = [r.resource.id for r in search(index, query, now=NOW).results]
    page = search(index, query, now=NOW, offset=2, limit=3)
    assert [r.resource.id for r in page.results] == full[2:5]
    assert page.total == len(full)
    assert len(page.results) == 3


def test_facets_count_with_the_other_groups_applied(index):
    """Category counts ignore the category filter but keep the others; other groups count within it."""
    facets = search(index, Query(categories=("support_group",), **CENTRE), now=NOW).facets
    assert facets["categories"]["support_group"] == 8
    assert facets["categories"]["treatment"] == 2  # g and h: the chosen category does not hide others
    assert facets["categories"]["crisis_line"] == 1
    assert facets["fellowships"]["AA"] == 2  # a and e: c is too far away
    assert facets["weekdays"]["1"] == 3  # a, b, d on Tuesdays
    assert facets["times_of_day"]["night"] == 1
    assert facets["moud_services"]["buprenorphine"] == 0  # within support groups


def test_schedule_facets_keep_the_other_schedule_filter(index):
    """With Tuesday chosen, time-of-day counts are of Tuesday slots; weekday counts ignore the day."""
    facets = search(index, Query(weekdays=(1,)), now=NOW).facets
    assert facets["times_of_day"] == {"morning": 0, "afternoon": 1, "evening": 3, "night": 0}
    assert facets["weekdays"]["3"] == 1  # b on Thursday, although Tuesday is chosen


def test_time_of_day_columns_agree_with_schedule(index):
    """The index's time-of-day codes match schedule.time_of_day for the slots it holds."""
    names = [schedule.time_of_day(f"{m // 60:02d}:{m % 60:02d}") for m in index.slot_start.tolist()]
    assert names == [("morning", "afternoon", "evening", "night")[c] for c in index.slot_tod.tolist()]
    assert len(names) == sum(len(r.schedule) for r in RECORDS)


@pytest.mark.parametrize("text", ["cafe", "Café", "CAF", "nouveau café"])
def test_free_text_prefix_and_accents(index, text):
    """Free text matches word prefixes whatever the accents and case."""
    found = _ids(index, Query(text=text))
    assert found == {"test-n"}
    assert "test-a" not in found


@pytest.mark.parametrize(
    "text", ['"', "*", "a OR", "NOT", "(", ")\"*'", "NEAR(a b)", "col:x", "-", "^x", "\x00", "ü" * 500, "🙂"]
)
def test_garbage_text_never_raises(index, text):
    """Free text with FTS5 syntax or junk gives a result list, never an exception."""
    found = search(index, Query(text=text), now=NOW)
    assert isinstance(found.total, int)
    assert found.message == ""


def test_fts_expression_quotes_every_word():
    """Typed words become quoted prefix terms; operators lose their meaning."""
    assert fts_expression('café AND "recov') == '"café"* "AND"* "recov"*'
    assert fts_expression("*** ()") == ""


def test_describe_example_sentence():
    """The sentence reads like the example in the issue."""
    query = Query(
        place="60614",
        categories=("support_group",),
        weekdays=(1,),
        times_of_day=("evening",),
        languages=("es",),
    )
    found = search(SearchIndex.from_records(RECORDS), query, now=NOW)
    assert (
        found.description == "Support groups within 10 miles of 60614 (Chicago), Tuesday evenings, in Spanish"
    )
    assert describe(Query()) == "Resources"


def test_search_accepts_a_catalog(catalog_path):
    """search() builds the index itself when handed a catalog."""
    with Catalog(catalog_path, readonly=True) as catalog:
        found = search(catalog, Query(text="nouveau"), now=NOW)
    assert [r.resource.id for r in found.results] == ["test-n"]


def test_index_skips_rows_added_after_it_was_built(tmp_path):
    """A text match on a record added after the index was built is skipped, not an error."""
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.import_records(RECORDS[:3], source="test")
        index = SearchIndex.from_catalog(catalog)
        catalog.import_records([RECORDS[13]], source="test")
        assert _ids(index, Query(text="nouveau")) == set()
        assert _ids(index, Query(text="meeting")) == {"test-a", "test-b", "test-c"}


def test_empty_index():
    """An empty catalog answers every query with nothing."""
    found = search(SearchIndex.from_records([]), Query(weekdays=(1,), text="x", **CENTRE), now=NOW)
    assert found.total == 0 and found.results == []
    assert np.sum(list(found.facets["categories"].values())) == 0


def test_command_line_json(catalog_path, capsys):
    """The search command prints JSON with the matching records and exits 0."""
    argv = [
        "search",
        "--db",
        str(catalog_path),
        "--near",
        "60614",
        "--radius",
        "10",
        "--category",
        "support_group",
    ]
    status = main([*argv, "--day", "tue", "--evening", "--json", "--at", "2025-06-10T12:00"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert {r["id"] for r in data["results"]} == {"test-a", "test-d"}
    assert data["description"].startswith(
        "Support groups within 10 miles of 60614 (Chicago), Tuesday evenings"
    )


def test_command_line_table_and_no_results(catalog_path, capsys):
    """Without --json it prints a table; with no match it says so and still exits 0."""
    assert main(["search", "--db", str(catalog_path), "--text", "nouveau"]) == 0
    assert "Test Café Nouveau group N" in capsys.readouterr().out
    assert main(["search", "--db", str(catalog_path), "--text", "zzzzzz"]) == 0
    out = capsys.readouterr().out
    assert "No confirmed results" in out and "Test meeting A" not in out


def test_command_line_unknown_place(catalog_path, capsys):
    """An unknown place exits 2 with the message on stderr and no traceback."""
    status = main(["search", "--db", str(catalog_path), "--near", "00000"])
    captured = capsys.readouterr()
    assert status == 2
    assert "We couldn't find '00000'" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_empty_result_counts_the_hidden_unconfirmed_matches(index):
    """With nothing confirmed to show, the results say how many unconfirmed listings would match."""
    query = Query(text="unconfirmed", **CENTRE)
    found = search(index, query, now=NOW)
    assert found.total == 0 and found.unconfirmed_matches == 1
    shown = search(index, Query(text="unconfirmed", include_unconfirmed=True, **CENTRE), now=NOW)
    assert shown.unconfirmed_matches == 0 and [r.resource.id for r in shown.results] == ["test-k"]


# --- session 3, floor: free text from the word list kept with the index (issue 15) ---------------------


def _word_and_fts(index: SearchIndex, text: str) -> tuple[np.ndarray | None, np.ndarray]:
    expression = fts_expression(text)
    return index._word_mask(expression), index._fts_mask(expression)


@pytest.fixture(scope="module")
def shipped_index(tmp_path_factory, repo_root):
    """An index over a copy of the shipped catalog (a copy, so no cache file lands beside the real one)."""
    import shutil

    source = repo_root / "data" / "catalog.db"
    if not source.exists():
        pytest.skip("the shipped catalog data/catalog.db is absent")
    path = tmp_path_factory.mktemp("shipped") / "catalog.db"
    shutil.copy(source, path)
    with Catalog(path, readonly=True) as catalog:
        yield SearchIndex.from_catalog(catalog, cache=False)


def test_word_list_equals_fts5_on_the_shipped_catalog(shipped_index):
    """For every word of the shipped catalog, its one-, two- and three-letter prefixes, pairs of words,
    accented and upper-case spellings, the word list finds exactly the rows FTS5's MATCH finds."""
    index = shipped_index
    assert index.text_terms is not None and len(index.text_terms) > 100
    words = [t.decode() for t in index.text_terms.tolist()]
    plain = [w for w in words if w.isascii() and w.isalnum()]
    texts = set(plain) | {w[:k] for w in plain for k in (1, 2, 3)}
    texts |= {f"{a} {b}" for a, b in zip(plain[::7], plain[3::7])}
    texts |= {"Chicago", "CHICAGO", "recovery", "Atención", "niños", "Niños", "café", "Salud Mental"}
    assert len(texts) > 1000
    answered = 0
    for text in sorted(texts):
        words_mask, fts_mask = _word_and_fts(index, text)
        assert words_mask is not None, text
        assert np.array_equal(words_mask, fts_mask), text
        answered += int(words_mask.any())
    assert answered > len(plain)  # the comparison is not between empty masks


def test_word_list_folds_every_accented_latin_letter_as_fts5(tmp_path):
    """Each accented letter the word list folds itself (Latin-1 and Latin Extended-A) is folded as FTS5's
    unicode61 remove_diacritics 2 folds it: searching "q<letter>" finds the same rows both ways."""
    import unicodedata

    from directory.wordlist import plain_word as _plain_word

    letters = [chr(c) for c in range(0xC0, 0x180) if _plain_word(chr(c)) is not None]
    assert "é" in letters and "Ñ" in letters and "ß" not in letters and "ø" not in letters
    records = [
        _record(f"test-{i}", f"Test q{letter}z", "support_group", at=NEAR) for i, letter in enumerate(letters)
    ] + [_record("test-plain", "Test qez qnz", "support_group", at=NEAR)]
    path = tmp_path / "catalog.db"
    with Catalog(path) as catalog:
        assert catalog.import_records(records, source="test").ok
    with Catalog(path, readonly=True) as catalog:
        index = SearchIndex.from_catalog(catalog, cache=False)
        for letter in letters:
            base = unicodedata.normalize("NFD", letter)[0].lower()
            for text in (f"q{letter}", f"Q{letter.upper()}z", f"q{base}"):
                words_mask, fts_mask = _word_and_fts(index, text)
                assert words_mask is not None, text
                assert np.array_equal(words_mask, fts_mask), text
                assert words_mask.sum() >= 2, text  # the accented row and at least one more that folds alike


@pytest.mark.parametrize("text", ["straße", "øl", "snake_case", "東京", "ĳssel"])
def test_words_the_list_cannot_be_sure_of_go_to_fts5(catalog_path, text):
    """A word with a letter the word list does not fold itself is matched by FTS5, with the same answer."""
    with Catalog(catalog_path, readonly=True) as catalog:
        index = SearchIndex.from_catalog(catalog, cache=False)
        words_mask, fts_mask = _word_and_fts(index, text)
        assert words_mask is None
        assert np.array_equal(index.text_mask(text), fts_mask)


def test_text_search_finds_by_word_list_on_sqlite(catalog_path):
    """An index read from SQLite keeps the word list and answers a text query from it, as FTS5 would."""
    with Catalog(catalog_path, readonly=True) as catalog:
        index = SearchIndex.from_catalog(catalog, cache=False)
        assert index.text_terms is not None
        for text in ("test", "meeting a", "caf", "xyzzy", "Test clinic"):
            words_mask, fts_mask = _word_and_fts(index, text)
            assert np.array_equal(words_mask, fts_mask), text
        assert not index.text_mask("xyzzy").any()


@pytest.mark.parametrize("radius", [1, 2, 5, 50])
def test_candidates_come_in_row_order_with_their_distances(radius):
    """Few candidates (sorted) or many (marked on the catalog): either way the rows a place search
    keeps are exactly those within the radius by the haversine distance, ascending, each with its own
    distance, and the page is nearest first."""
    from directory.facets import Selection
    from directory.geo import Place, haversine_miles

    grid = [
        _record(f"test-grid-{i}", f"Test grid meeting {i}", "support_group", at=(41.80 + (i // 20) * 0.01, -87.75 + (i % 20) * 0.01))
        for i in range(400)
    ]  # fmt: skip
    index = SearchIndex.from_records(grid)
    place = Place(41.90, -87.66, "test point", "address")
    plan = Selection(index, Query(latitude=41.90, longitude=-87.66, radius=radius), place, NOW)
    miles = haversine_miles(place.latitude, place.longitude, index.latitude, index.longitude)
    expected = np.flatnonzero(miles <= radius)
    assert 0 < len(expected) < len(grid) or radius == 50
    assert np.array_equal(plan.final_rows, expected)
    assert np.array_equal(plan.distance_at(plan.final_rows), miles[expected])
    page = plan.order(plan.final_rows, 5)
    steps = np.round(miles[page] * 1000)  # the order compares thousandths of a mile, then names
    assert list(steps) == sorted(steps) and steps[0] == np.round(miles[expected].min() * 1000)
