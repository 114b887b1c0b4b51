"""The one sentence builder: English word for word as the hand-written `describe` wrote it, Spanish with no
English word left, and a county typed in any case shown as the county list spells it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from directory import words
from directory.query import Query, county_words, describe, describe_in
from directory.schema import VOCABULARY_FIELDS

GOLDEN = Path(__file__).parent / "golden" / "describe_english.json"
CASES = json.loads(GOLDEN.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Place:
    """What `describe` reads of a place the search found: its label."""

    label: str


def query_of(case: dict) -> tuple[Query, Place | None]:
    label = case["place_label"]
    return Query(**case["query"]), (Place(label) if label is not None else None)


def test_the_golden_file_covers_every_filter_alone_and_together():
    """The recorded queries use every Query field but sort, with a place, a typed place, a point and none."""
    used = {name for case in CASES for name in case["query"]}
    assert used >= {f for f in Query.__dataclass_fields__ if f != "sort"}
    assert len(CASES) > 1000
    assert any(len(case["query"]) >= 8 for case in CASES)


def test_english_reads_as_the_hand_written_sentence_did():
    """Every recorded query gives, byte for byte, the English the old `describe` gave (tests/golden)."""
    differ = []
    for case in CASES:
        query, place = query_of(case)
        got = describe(query, place)
        if got != case["english"] or describe_in(query, place, "en") != got:
            differ.append((case["query"], case["english"], got))
    assert differ == [], f"{len(differ)} sentences changed, first: {differ[:3]}"


def _english_words() -> set[str]:
    """The words the English sentence is made of: its describe.* words and the labels it names."""
    texts = [
        v for k, v in words.ENGLISH.items() if k.startswith("describe.") or k.startswith("find.soon_hours")
    ]
    texts += [
        m.label for name in ("populations", "payment", "moud_services") for m in VOCABULARY_FIELDS[name]
    ]
    found = {w.lower() for text in texts for w in re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}", " ", text))}
    # Words Spanish writes the same: names, and "crisis" and "mental" ("líneas de crisis", "salud mental").
    return found - {"medicaid", "medicare", "va", "lgbtq", "moud", "crisis", "mental"}


ENGLISH_WORDS = _english_words()


def test_spanish_leaves_no_english_word():
    """No recorded query, read in Spanish, keeps a word of the English sentence outside what was typed
    (a place, a fellowship, the text, a county's name, a subcategory no source has named in words)."""
    left = []
    for case in CASES:
        query, place = query_of(case)
        spanish = describe_in(query, place, "es")
        typed = " ".join(
            [
                query.place,
                query.text,
                *query.fellowships,
                *query.county,
                *query.subcategories,
                place.label if place else "",
            ]
        )
        allowed = {w.lower() for w in re.findall(r"[^\W\d_]+", typed)}
        stray = {w for w in re.findall(r"[^\W\d_]+", spanish.lower())} & ENGLISH_WORDS - allowed
        if stray:
            left.append((case["query"], spanish, stray))
    assert left == [], f"{len(left)} Spanish sentences keep English words, first: {left[:3]}"


def test_english_words_are_really_checked():
    """The word list the Spanish test looks for holds the English sentence's own words."""
    assert {
        "within",
        "miles",
        "evenings",
        "tuesdays",
        "taking",
        "offering",
        "matching",
        "including",
    } <= ENGLISH_WORDS


@pytest.mark.parametrize(
    ("query", "spanish"),
    [
        ({"weekdays": (5, 6)}, "Recursos, los sábados o domingos"),
        ({"weekdays": (5,), "times_of_day": ("morning", "night")}, "Recursos, los sábados, por la mañana o de noche y madrugada"),
        ({"formats": ("hybrid",), "county": ("Saint Louis City (MO)",)}, "Recursos, en persona y por internet, en Saint Louis City, MO"),
        ({"languages": ("pl",), "county": ("Peoria",), "populations": ("women",)}, "Recursos, en polaco, en el condado de Peoria, para mujeres"),
    ],
)  # fmt: skip
def test_spanish_reads_its_own_grammar(query, spanish):
    """Weekdays alone take the plural, a county-level city keeps its name, the county follows the languages."""
    assert describe_in(Query(**query), lang="es") == spanish


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("cook", "Cook County"),
        ("COOK", "Cook County"),
        ("saint clair", "St. Clair County"),
        ("dupage", "DuPage County"),
        ("lake (in)", "Lake County, IN"),
        ("mccracken (ky)", "McCracken County, KY"),
        ("saint louis city (mo)", "Saint Louis City, MO"),
    ],
)
def test_a_county_typed_in_another_case_is_shown_as_the_county_list_spells_it(typed, shown):
    """county=cook in a link reads "Cook County", never "cook County", in the sentence and in the query itself."""
    query, notes = Query.from_params({"county": typed})
    assert notes == []
    assert describe(query) == f"Resources, in {shown}"
    assert describe(Query(county=(typed,))) == f"Resources, in {shown}"  # a query made in code reads the same
    assert county_words(typed) == shown
    assert typed not in describe(query) or typed == shown.split(" ")[0]


def test_a_county_spelt_as_the_catalog_spells_it_is_left_alone():
    """The values the Find page's county list writes come back from the link unchanged."""
    for value in (
        "Cook",
        "St. Clair",
        "DeKalb",
        "DeWitt",
        "Jo Daviess",
        "Lake (IN)",
        "Saint Louis City (MO)",
        "Sainte Genevieve (MO)",
    ):
        assert Query.from_params({"county": value})[0].county == (value,)


def test_the_find_page_shows_a_lower_case_county_link_as_cook(tmp_path, monkeypatch):
    """?county=cook: the Where list has Cook chosen (no second, lower-case "cook") and the sentence reads Cook County."""
    from tests.app_catalog import markdown_text, new_app, open_filters

    at = new_app(tmp_path, monkeypatch)
    at.query_params["county"] = "cook"
    open_filters(at.run())
    assert not at.exception
    assert at.multiselect(key="f_county").value == ["Cook"]
    assert "cook" not in at.multiselect(key="f_county").options
    assert "Resources, in Cook County" in markdown_text(at)
    assert "cook County" not in markdown_text(at)


def test_county_words_read_english_unless_a_language_is_asked():
    """county_words(value) is English as it always was, even while a page speaks Spanish."""
    with words.using("es"):
        assert county_words("Peoria") == "Peoria County"
        assert county_words("Peoria", None) == "el condado de Peoria"
    assert county_words("Lake (IN)", "es") == "el condado de Lake, IN"
