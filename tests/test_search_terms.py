"""Spanish words in the text search: they expand to the catalog's English terms, accents never matter."""

from pathlib import Path

import numpy as np
import pytest

from directory import geo, search_terms
from directory.catalog import Catalog
from directory.schema import Resource
from directory.search import SearchIndex

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("metadona", ["metadona", "methadone"]),
        ("Reunión en Aurora", ["Reunión en Aurora", "meeting aurora"]),
        ("REUNIONES", ["REUNIONES", "meeting"]),
        ("desintoxicación", ["desintoxicación", "detox", "withdrawal management"]),
        ("salud mental para mujeres", ["salud mental para mujeres", "mental health women"]),
        (
            "Vivienda de recuperación",
            ["Vivienda de recuperación", "recovery home", "sober living", "housing", "recovery residence"],
        ),
        ("buprenorfina", ["buprenorfina", "buprenorphine", "suboxone"]),
        ("Chicago", ["Chicago"]),
        ("zapato", ["zapato"]),
        ("", [""]),
    ],
)
def test_spanish_words_expand_to_english_terms(typed, expected):
    """The typed text comes first, then its variants in English; text without a Spanish term stays alone."""
    assert search_terms.expand(typed) == expected


def test_expansion_is_bounded():
    """A long sentence of Spanish terms makes at most MAX_VARIANTS searches."""
    typed = "vivienda tratamiento naloxona buprenorfina desintoxicación familias jóvenes"
    variants = search_terms.expand(typed)
    assert len(variants) == search_terms.MAX_VARIANTS
    assert variants[0] == typed


def test_spanish_words_name_vocabulary_values():
    """meanings() says which filters the words name, once each, in the order typed."""
    assert search_terms.meanings("metadona para mujeres, metadona") == [
        ("moud_services", "methadone"),
        ("populations", "women"),
    ]
    assert search_terms.meanings("Aurora") == []


def test_every_meaning_is_a_real_vocabulary_value():
    """Each (field, value) a term names is allowed by the schema (or is an ISO language code)."""
    from directory.schema import VOCABULARY_FIELDS

    for term in search_terms.TERMS:
        if term.meaning is None:
            continue
        field_name, value = term.meaning
        if field_name == "languages":
            assert value == "es"
        else:
            assert value in VOCABULARY_FIELDS[field_name].values(), term


def test_forms_are_stored_accent_free():
    """Every Spanish form is written as the search compares it, or it could never match."""
    for form in search_terms.spanish_forms():
        assert form == search_terms.accent_free(form)
        assert not set(form.split()) <= search_terms.JOINING_WORDS


def generated(ident: str, name: str, description: str = "", city: str = "Aurora") -> Resource:
    return Resource(
        id=ident,
        name=name,
        category="treatment",
        source="test",
        source_url="https://example.invalid",
        as_of="2026-01-01",
        description=description,
        city=city,
    )


def test_a_spanish_search_finds_what_the_english_one_finds_in_memory():
    """Over generated records, "metadona" finds the methadone clinic and "reunión" the meeting; nothing else."""
    records = [
        generated("test-1", "Generated methadone clinic"),
        generated("test-2", "Generated Tuesday meeting", city="Elgin"),
        generated("test-3", "Generated bakery"),
    ]
    index = SearchIndex.from_records(records)
    assert search_terms.text_mask(index, "metadona").tolist() == [True, False, False]
    assert search_terms.text_mask(index, "Reunión en Elgín").tolist() == [False, True, False]
    assert search_terms.text_mask(index, "reunión en Aurora").tolist() == [False, False, False]
    assert search_terms.text_mask(index, "***") is None
    assert index.text_mask("metadona").tolist() == [False, False, False]  # the search alone would miss it


@pytest.mark.parametrize(
    ("spanish", "english"),
    [
        ("metadona", "methadone"),
        ("reunión", "meeting"),
        ("vivienda", "housing"),
        ("desintoxicación", "detox"),
        ("naloxona", "naloxone"),
        ("salud mental", "mental health"),
        ("tratamiento", "treatment"),
    ],
)
def test_a_spanish_search_finds_at_least_the_english_results_in_the_catalog(spanish, english):
    """In the embedded catalog, every listing the English word finds is found by the Spanish word too."""
    path = ROOT / "data" / "catalog.db"
    if not path.is_file():
        pytest.skip("no embedded catalog")
    catalog = Catalog(path, readonly=True)
    index = SearchIndex.from_catalog(catalog)
    english_mask = index.text_mask(english)
    spanish_mask = search_terms.text_mask(index, spanish)
    assert english_mask.any()
    assert np.array_equal(spanish_mask | english_mask, spanish_mask)


@pytest.mark.parametrize(
    ("accented", "plain"),
    [("Elgín", "Elgin"), ("ÉLGIN, IL", "Elgin"), ("Peoría", "Peoria"), ("Jolíet", "Joliet")],
)
def test_place_names_are_found_with_or_without_accents(accented, plain):
    """A city typed with Spanish accents is the same place as without them (offline lookup)."""
    found, expected = geo.lookup_place(accented), geo.lookup_place(plain)
    assert (found.latitude, found.longitude, found.label) == (
        expected.latitude,
        expected.longitude,
        expected.label,
    )


def test_accent_free():
    """Accents, the tilde of ñ and case are dropped as the search's own folding does."""
    assert search_terms.accent_free("Reunión en Peñalosa, ÁREA") == "reunion en penalosa, area"
