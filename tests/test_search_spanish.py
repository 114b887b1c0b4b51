"""Search in Spanish through `search()`: the text box's Spanish words find what their English words find."""

from pathlib import Path

import pytest

from directory.catalog import Catalog
from directory.query import Query
from directory.search import SearchIndex, search

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "catalog.db"


@pytest.fixture(scope="module")
def index():
    if not CATALOG.is_file():
        pytest.skip("no embedded catalog")
    return SearchIndex.from_catalog(Catalog(CATALOG, readonly=True))


def _ids(index, text: str, **fields) -> set[str]:
    found = search(index, Query(text=text, include_unconfirmed=True, **fields))
    return {r.resource.id for r in found.results}


@pytest.mark.parametrize(
    ("spanish", "english"),
    [
        ("reunión", "meeting"),
        ("reunion", "meeting"),
        ("REUNIÓN", "meeting"),
        ("metadona", "methadone"),
        ("naloxona", "naloxone"),
    ],
)
def test_spanish_words_return_the_same_listings_as_english_in_the_shipped_catalog(index, spanish, english):
    """The shipped catalog answers "metadona" with exactly the listings "methadone" finds, and so on."""
    english_ids = _ids(index, english)
    assert english_ids, f"{english!r} finds nothing in the catalog: the test would prove nothing"
    spanish_ids = _ids(index, spanish)
    # The typed word itself is searched too, so a listing naming "Reunion" or "Vivienda" may be added;
    # in the shipped catalog no name does, so the sets are the same.
    assert spanish_ids == english_ids


def test_vivienda_finds_every_kind_of_recovery_housing_its_english_words_name(index):
    """ "vivienda" stands for "housing", "recovery home", "sober living" and "recovery residence": it finds
    exactly what those four English searches find together."""
    english_ids = set().union(
        *(_ids(index, w) for w in ("housing", "recovery home", "sober living", "recovery residence"))
    )
    assert _ids(index, "housing") and _ids(index, "housing") <= english_ids
    assert _ids(index, "vivienda") == _ids(index, "viviendas") == english_ids


def test_a_spanish_word_with_a_place_keeps_the_place_filter(index):
    """ "reunión" near Chicago finds the meetings near Chicago that "meeting" finds, and none far away."""
    near = _ids(index, "reunión", place="60608", radius=10)
    assert near == _ids(index, "meeting", place="60608", radius=10)
    assert near and near < _ids(index, "reunión")


def test_a_word_that_is_no_spanish_term_is_not_expanded(index):
    """A word the table does not know finds only what it finds in English: no listing appears from nowhere."""
    assert _ids(index, "zapatería") == set()
