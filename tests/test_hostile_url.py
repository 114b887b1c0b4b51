"""Hostile URL parameters (issue 12, item 9): `?page=²` and friends never raise, in the core or on the page."""

from __future__ import annotations

import pytest

from directory.query import MAX_PAGE, Query, page_number
from tests.app_catalog import new_app

HOSTILE = [
    "²",
    "³",
    "①",
    "٣",
    "1" * 4301,
    "9" * 50_000,
    "-1",
    "0",
    "1e9",
    " 2 ",
    "",
    None,
    ["2", "3"],
    "\x00",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_page_number_is_always_a_page(value):
    assert 1 <= page_number(value) <= MAX_PAGE


@pytest.mark.parametrize(("value", "expected"), [("3", 3), (" 2 ", 2), ("99999", MAX_PAGE), ("²", 1)])
def test_page_number_reads_ascii_digits(value, expected):
    assert page_number(value) == expected


@pytest.mark.parametrize("key", ["ver", "r", "soon", "day", "lat", "lon", "page"])
@pytest.mark.parametrize("value", ["²", "①", "1" * 4301, "nan", "inf", "1e999", "\x00" * 10])
def test_from_params_never_raises_on_hostile_numbers(key, value):
    query, notes = Query.from_params({key: value})
    assert isinstance(query, Query)


@pytest.mark.parametrize("value", ["²", "①", "4" * 4301])
def test_find_page_runs_with_a_hostile_page_number(tmp_path, monkeypatch, value):
    """The Find page used to call int() after isdigit(): '²' passed the check and raised."""
    app = new_app(tmp_path, monkeypatch)
    app.query_params["page"] = value
    at = app.run()
    assert not at.exception
