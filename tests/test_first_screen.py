"""The Find page's first screen drawn by the server (directory/render/first_screen.py): the same listings
as the page, in the same words, every catalog word escaped; no first screen where the page would start
with something else."""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser

import pytest

from directory import filters, schedule
from directory.catalog import Catalog
from directory.render import first_screen
from directory.search import Query, SearchIndex, search
from tests.app_catalog import build_test_catalog, card_words, new_app, result_cards

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=schedule.TZ)
HOSTILE = '<img src=x onerror="alert(1)"> & <script>alert(2)</script>'


class Cards(HTMLParser):
    """The first screen read back as a browser would: each card's id and words, every link's address,
    every element's tag (to show that no catalog text became an element)."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self._words: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "li" and "data-id" in attrs:
            self.cards.append((attrs["data-id"], ""))
            self._words = []
        if tag == "a":
            self.links.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "li" and self._words is not None:
            self.cards[-1] = (self.cards[-1][0], " ".join(self._words))
            self._words = None

    def handle_data(self, data):
        if self._words is not None and data.strip():
            self._words.append(data.strip())


def read(html: str) -> Cards:
    parser = Cards()
    parser.feed(html)
    return parser


@pytest.fixture
def index(tmp_path):
    with Catalog(build_test_catalog(tmp_path / "catalog.db")) as catalog:
        yield SearchIndex.from_catalog(catalog, cache=False, shared=False)


def test_the_first_screen_lists_what_the_search_finds_in_the_cards_words(index):
    """Every card of the page's first page of results, in order, with the card's words (name, kind,
    distance, lines, link labels, source and age): the parts the page's result list draws."""
    html = first_screen.first_screen(index, {"near": "60614", "r": "10"}, now=NOW)
    query = filters.query_from_state(filters.widget_state(Query(place="60614", radius=10)))
    found = search(index, query, now=NOW, limit=first_screen.PAGE_SIZE)
    cards = read(html).cards
    assert [rid for rid, _ in cards] == [r.resource.id for r in found.results] and len(cards) >= 4
    for (rid, words), result in zip(cards, found.results):
        parts = filters.card_parts(result, NOW)
        for piece in (parts.name, parts.kind, parts.distance, *parts.lines, parts.caption):
            assert piece in words, (rid, piece)
        for label, _ in parts.links:
            assert label in words
    assert f"— {found.total} results" in html
    assert "Resources within 10 miles of 60614 (Chicago)" in html


def test_the_first_screen_shows_the_crisis_bar_with_tap_to_call_numbers(index):
    links = read(first_screen.first_screen(index, {"near": "60614"}, now=NOW)).links
    assert {"tel:988", "tel:+18332346343", "tel:911"} <= set(links)
    assert "?near=60614&lang=es" in links  # the page in the other language, the search kept


def test_catalog_text_from_the_store_is_escaped(index):
    """A stored name with "&", "<" and markdown (the importer refuses HTML tags) reaches the screen as text."""
    html = first_screen.first_screen(index, {"near": "62701", "r": "10"}, now=NOW)
    assert "Generated test 8 &amp; 5 &lt; 7 [link](https://x.invalid) *stars*" in html
    assert "https://x.invalid" not in read(html).links


def test_a_card_escapes_every_word_and_links_only_allowed_addresses():
    """Defence in depth, whatever reaches the renderer: words escaped, a script address never a link."""
    parts = filters.CardParts(
        name=HOSTILE, kind=HOSTILE, distance=HOSTILE, badges=((HOSTILE, "red"),), lines=(HOSTILE,),
        links=((HOSTILE, "javascript:alert(3)"), ("Call", "tel:+13125550101"), ("Site", 'https://a.invalid/"><b>')),
        caption=HOSTILE,
    )  # fmt: skip
    html = first_screen.card(parts, 'x"><script>', added=False, lang="en")
    page = read(html)
    assert page.tags.count("script") == 0 and "img" not in page.tags and "b" not in page.tags
    assert html.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") == 6
    assert page.links == [
        "tel:+13125550101",
        'details?id=x"><script>',
    ]  # read back: the id stayed an attribute


def test_a_listing_already_on_the_list_shows_as_added(index):
    html = first_screen.first_screen(index, {"near": "60614", "list": "test-2"}, now=NOW)
    assert '<li class="ac-card" data-id="test-2">' in html
    card = html.split('data-id="test-2"')[1].split("</li>")[0]
    assert 'aria-disabled="true">On your list ✓</button>' in card
    other = html.split('data-id="test-1"')[1].split("</li>")[0]
    assert ">Add to referral list</button>" in other and "aria-disabled" not in other


def test_spanish_from_the_link_or_from_the_browser(index):
    by_link = first_screen.first_screen(index, {"near": "60614", "lang": "es"}, now=NOW)
    by_browser = first_screen.first_screen(
        index, {"near": "60614"}, accept_language="es-US,es;q=0.9", now=NOW
    )
    english = first_screen.first_screen(index, {"near": "60614"}, accept_language="en-US", now=NOW)
    for html in (by_link, by_browser):
        assert '<div id="ac-first" lang="es">' in html and "Cargando el formulario de búsqueda…" in html
        assert "Add to referral list" not in html
    assert '<div id="ac-first" lang="en">' in english and "Loading the search form…" in english


def test_a_spoken_language_filter_named_lang_is_a_filter_not_the_screen(index):
    """An old link's `lang=es`-style filter that is no screen language (`lang=Spanish`) narrows the
    results as on the page, where a screen language is left out of the search."""
    spanish = first_screen.first_screen(index, {"near": "60614", "speaks": "es"}, now=NOW)
    assert [rid for rid, _ in read(spanish).cards] == ["test-2"]


@pytest.mark.parametrize(
    "params",
    [
        {"near": "60614", "view": "map"},  # the map view
        {"near": "Atlantis"},  # a place not found: the page says so and suggests
        {"near": "90210"},  # out of state: the page says where it is
        {
            "near": "60614",
            "r": "10",
            "cat": "crisis_line",
            "fel": "CA",
        },  # nothing matches: the page says what would
        {"near": "60614", "r": "eleven"},  # a note about the URL comes first on the page
    ],
)
def test_no_first_screen_where_the_page_would_start_with_something_else(index, params):
    assert first_screen.first_screen(index, params, now=NOW) is None


def test_a_page_past_the_last_shows_the_last_page(index):
    last = first_screen.first_screen(index, {"page": "999"}, now=NOW)
    query = filters.query_from_state(filters.widget_state(Query()))
    total = search(index, query, now=NOW, limit=1).total
    assert total and len(read(last).cards) == total - (-(-total // first_screen.PAGE_SIZE) - 1) * 20


def test_the_first_screen_and_the_page_show_the_same_cards(tmp_path, monkeypatch):
    """The Find page (AppTest) and the first screen at the same URL: the same listings, in the same order,
    in the same words."""
    at = new_app(tmp_path, monkeypatch)
    at.query_params["near"] = "60614"
    at.query_params["r"] = "25"
    at.run()
    page = result_cards(at)
    with Catalog(tmp_path / "catalog.db") as catalog:
        index = SearchIndex.from_catalog(catalog, cache=False, shared=False)
        html = first_screen.first_screen(index, {"near": "60614", "r": "25"})
    cards = read(html).cards
    assert [rid for rid, _ in cards] == [card["id"] for card in page] and page
    for (_, words), card in zip(cards, page):
        for line in card_words(card).splitlines():
            text = line.split(" <")[0]  # a link's label; its address is an attribute
            assert text in words, text
