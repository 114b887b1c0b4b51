"""Every crisis-line card on the shipped catalog offers a number to call or text, labelled for what it takes."""

import re
from dataclasses import dataclass
from datetime import datetime

import pytest

from directory import filters
from directory.catalog import Catalog
from tests.conftest import REPO_ROOT

NOW = datetime(2026, 12, 1, 19, 0)


@dataclass
class Shown:
    resource: object
    distance_label: str = ""
    next_start: object = None


def crisis_lines():
    with Catalog(REPO_ROOT / "data" / "catalog.db", readonly=True) as catalog:
        return [r for r in catalog.records() if r.category == "crisis_line" and r.status == "active"]


@pytest.mark.parametrize("line", crisis_lines(), ids=lambda r: r.id)
def test_a_crisis_card_has_a_dialable_or_textable_link(line):
    """Each card links tel: or sms:; a text-only line says "Text", never "Call"."""
    body = filters.card_text(Shown(line), NOW).body
    links = re.findall(r"\[([^\]]+)\]\(((?:tel|sms):[^)]+)\)", body)
    assert links, f"{line.id} shows no number: {body!r}"
    for label, url in links:
        assert label.startswith("Text" if url.startswith("sms:") else "Call"), (label, url)


def test_the_text_line_reads_as_a_text_message():
    """Crisis Text Line: 'Text HOME to 741741' linked as an SMS with the keyword as the body."""
    line = next(r for r in crisis_lines() if "741741" in "; ".join(r.phones))
    body = filters.card_text(Shown(line), NOW).body
    assert "[Text HOME to 741741](sms:741741?&body=HOME)" in body
    assert "Call text" not in body


def test_printout_care_line_is_not_labelled_twice_and_a_phoneless_listing_says_where_to_look():
    """The shipped Peoria OTP without a phone prints 'No phone listed … FindTreatment.gov', and 'Care' once."""
    from directory.render.facts import resource_facts

    with Catalog(REPO_ROOT / "data" / "catalog.db", readonly=True) as catalog:
        (otp,) = catalog.get_many(["samhsa-rose-medical-association-6cdfa28af6"])
    facts = dict(resource_facts(otp).lines())
    assert not facts["Care"].startswith("Care:")
    assert facts["Phone"].startswith("No phone listed") and "https://findtreatment.gov/" in facts["Phone"]
    body = filters.card_text(Shown(otp), NOW).body
    assert "No phone listed" in body and "](https://findtreatment.gov/)" in body
