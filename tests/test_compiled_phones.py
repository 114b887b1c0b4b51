"""Compiled rows' phones in the normalised display form (directory/phones.py), with a vanity spelling or a
line's label kept as a sentence of the listing's description (issue 9, phones)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from directory import filters, phones
from directory.importers import compiled
from directory.schema import Resource
from directory.search import Result

INGESTED = "2026-01-05"


@pytest.fixture(scope="module")
def shipped(shared_data):
    result = compiled.parse(shared_data / "resources", ingested=INGESTED)
    assert not result.errors
    return result


def by_id(result, rid: str) -> Resource:
    return next(r for r in result.records if r.id == rid)


def test_every_shipped_phone_is_stored_in_its_display_form(shipped):
    """Each stored phone reads back unchanged through phones.py: no "(888-4AL-ANON)" or "2-1-1" left."""
    stored = [p for r in shipped.records for p in r.phones]
    assert len(stored) >= 20
    assert all(phones.parse_phone(p).display() == p for p in stored)
    assert not [w for w in shipped.warnings if w.field == "phone"]  # every shipped number parses


@pytest.mark.parametrize(
    ("rid", "stored", "sentence"),
    [
        ("il-statewide-sw-008", ("(888) 425-2666",), "(888) 425-2666 is also written 888-4AL-ANON."),
        (
            "il-statewide-sw-024",
            ("(833) 234-6343", "text HELP to 833234"),
            "is also written 1-833-2FINDHELP.",
        ),
        ("il-statewide-sw-035", ("(800) 662-4357", "text 435748"), "is also written 1-800-662-HELP."),
        ("il-statewide-sw-014", ("(800) 811-4142",), "(800) 811-4142: LifeRing Service Center."),
        ("il-meetings-mt-017", ("(312) 626-6799",), "(312) 626-6799: Zoom dial-in."),
        ("il-statewide-sw-029", ("211",), ""),
        ("il-statewide-sw-033", ("988, press 1", "text 838255"), "TTY: 1-800-799-4889."),
    ],
)
def test_shipped_rows_keep_their_vanity_spelling_and_labels_in_words(shipped, rid, stored, sentence):
    record = by_id(shipped, rid)
    assert record.phones == stored
    assert sentence in record.description
    assert "is also written text" not in record.description  # a text line is not a vanity spelling


def test_the_card_calls_the_normalised_number(shipped):
    """The Al-Anon card says "Call (888) 425-2666" and links tel:+18884252666, not the raw cell."""
    card = filters.card_text(
        Result(by_id(shipped, "il-statewide-sw-008"), None, "national", None), datetime(2026, 1, 5)
    )
    assert "[Call \\(888\\) 425\\-2666](tel:+18884252666)" in card.body
    assert "4AL" not in card.body


def test_a_phone_that_does_not_parse_is_left_off_with_its_row(shared_data, tmp_path):
    """A number too short to dial is a warning naming file, row and field; nothing is guessed."""
    text = (shared_data / "resources" / "statewide_and_online.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("phone")] = "12345678"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, cells])
    result = compiled.parse(out.getvalue().encode(), file="statewide_and_online.csv", ingested=INGESTED)
    assert result.records and result.records[0].phones == ()
    (warning,) = [w for w in result.warnings if w.field == "phone"]
    assert (
        warning.row == 2
        and warning.file == "statewide_and_online.csv"
        and "nothing was guessed" in warning.message
    )
