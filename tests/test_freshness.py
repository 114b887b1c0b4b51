"""Age and certainty in words: what a card, details page and printout say about how sure a listing is."""

from datetime import date, datetime

import pytest

from directory import filters, schedule
from directory.freshness import certainty, months_between
from directory.importers import compiled
from directory.render.facts import resource_facts
from directory.schema import Resource
from directory.search import Result

TODAY = date(2026, 12, 1)


def make(**extra) -> Resource:
    values = dict(
        id="test-1",
        name="Generated test clinic",
        category="treatment",
        source="samhsa",
        source_url="https://example.invalid/generated-test",
        as_of="2021-06-01",
    )
    values.update(extra)
    return Resource(**values)


@pytest.mark.parametrize(
    ("extra", "level", "words"),
    [
        ({}, "old", "SAMHSA listing from 2021, 5 years old — not re-checked since; call ahead"),
        (
            {"as_of": "2024-03-01"},
            "aging",
            "SAMHSA listing from 2024, 2 years old — not re-checked since; call ahead",
        ),
        ({"as_of": "2026-06-10"}, "confirmed", "Confirmed by SAMHSA, June 2026"),
        ({"as_of": "2026-11-27", "date_basis": "added"}, "undated", "Undated, added 2026-11-27 — call ahead"),
        (
            {"verification": "unconfirmed", "as_of": "2011-01-01", "source": "chicago-2011"},
            "unconfirmed",
            "Not confirmed — check before going (City of Chicago listing from 2011)",
        ),
        ({"as_of": "2027-05-01"}, "undated", "Dated 2027-05-01, in the future — check before going"),
    ],
)
def test_certainty_words(extra, level, words):
    """It says confirmed only within 12 months of a source date; older listings say their age."""
    found = certainty(make(**extra), TODAY)
    assert (found.level, found.words) == (level, words)


def test_a_2021_samhsa_record_is_not_confirmed():
    """A SAMHSA record as of 2021 is old, never "confirmed", although the source confirmed it then."""
    found = certainty(make(as_of="2021-04-30"), TODAY)
    assert not found.confirmed and "confirmed" not in found.words.lower().replace("re-checked", "")


def test_twelve_months_is_no_longer_confirmed():
    """Exactly twelve months old is aging: "confirmed" means within the last 12 months."""
    assert months_between(date(2025, 12, 1), TODAY) == 12
    assert certainty(make(as_of="2025-12-01"), TODAY).level == "aging"
    assert certainty(make(as_of="2025-12-02"), TODAY).level == "confirmed"


def test_undated_compiled_rows_say_undated_added(shared_data):
    """Compiled rows without a source date are date_basis "added" and say "Undated, added <day>"."""
    result = compiled.parse(shared_data / "resources", ingested="2026-11-27")
    undated = [r for r in result.records if r.date_basis == "added"]
    assert len(undated) == 53  # + the 8 crisis lines of i9a's importer = the 61 of the issue
    assert all(r.as_of == "2026-11-27" for r in undated)
    assert all("undated, added 2026-11-27" in certainty(r, TODAY).words.lower() for r in undated)
    assert not any(certainty(r, TODAY).confirmed for r in undated)
    dated = [r for r in result.records if r.date_basis == "source"]
    assert dated and all(r.as_of != "2026-11-27" for r in dated)


def test_card_and_printout_state_age_care_and_medications():
    """The card caption and the printout say the listing's age; both name the care and the medications."""
    r = make(
        services=("substance_use", "opioid_treatment_program", "outpatient"), moud_services=("methadone",)
    )
    now = datetime(2026, 12, 1, 12, tzinfo=schedule.TZ)
    card = filters.card_text(Result(r, 1.0, "1.0 mi", None), now)
    assert "SAMHSA listing from 2021" in card.caption and "Confirmed" not in card.caption
    assert "Opioid treatment program, Outpatient" in card.body and "Methadone" in card.body
    facts = dict(resource_facts(r, today=TODAY).lines())
    assert facts["Listing"].startswith("SAMHSA listing from 2021")
    assert (
        facts["Care"] == "Opioid treatment program, Outpatient · Medications: Methadone"
    )  # labelled "Care" once


def test_mental_health_only_card_says_so():
    """A mental-health-only clinic is labelled as mental-health care on its card."""
    r = make(services=("mental_health", "outpatient"))
    assert (
        filters.card_text(Result(r, None, "", None), datetime(2026, 12, 1, tzinfo=schedule.TZ)).body.count(
            "Mental health care"
        )
        == 1
    )


def test_undated_listing_never_shows_an_as_of_date():
    """An undated listing's card and printout say "added", never "as of" the day it was added."""
    r = make(source="il-statewide", as_of="2026-11-27", date_basis="added")
    card = filters.card_text(Result(r, None, "", None), datetime(2026, 12, 1, tzinfo=schedule.TZ))
    caption = card.caption.replace("\\", "")  # markdown escapes
    assert "as of" not in caption and "Undated, added 2026-11-27" in caption
    facts = dict(resource_facts(r, today=TODAY).lines())
    assert "added 2026-11-27" in facts["Source"] and "as of" not in facts["Source"]


def test_a_listing_without_a_phone_gives_the_next_step_instead_of_a_blank():
    """A SAMHSA row with no phone points to FindTreatment.gov with its ZIP; a phone means no next step."""
    from directory.freshness import FINDTREATMENT_URL, next_step
    from directory.schema import Resource

    base = Resource(
        id="t-1", name="A clinic", category="treatment", source="samhsa", zip="61605",
        source_url="https://doi.org/10.5281/zenodo.5842465", as_of="2021-01-01",
    )  # fmt: skip
    step = next_step(base)
    assert step is not None and step.url == FINDTREATMENT_URL and "61605" in step.words
    assert "FindTreatment.gov" in step.words and "zenodo" not in step.url
    assert next_step(base.replace(phones=("(309) 222-2185",))) is None
    other = base.replace(source="compiled", website="https://example.org/home")
    assert next_step(other).url == "https://example.org/home"


def test_a_source_described_not_named_is_said_in_the_screen_language():
    """A listing from a compiled web page says "Web page listing from 2019" in English and "página web" in
    Spanish, never the English words on a Spanish screen; a source's own name (SAMHSA) stays as it is."""
    from directory import translation

    page = Resource(id="m1", name="A meeting", category="support_group", source="il-meetings",
                    source_url="https://s.invalid", as_of="2019-05-04", verification="unconfirmed")  # fmt: skip
    named = Resource(id="s1", name="A clinic", category="treatment", source="samhsa",
                     source_url="https://s.invalid", as_of="2021-05-04", verification="unconfirmed")  # fmt: skip
    now = datetime(2026, 12, 1, tzinfo=schedule.TZ)
    assert "Web page listing from 2019" in certainty(page, now).words
    with translation.using("es"):
        words = certainty(page, now).words
        assert "página web" in words and "Web page" not in words
        assert "SAMHSA" in certainty(named, now).words
