"""Issue 10, item 1 in a real browser: a chosen filter keeps its value when a rerun changes its counts.

The frontend sends a choice back as the text it was drawn with. With counts in that text, a new place
(or radius) turned "Buprenorphine (2)" into the value itself, and the search answered nothing.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from directory.query import Query
from tests.app_catalog import build_test_catalog
from tests.browser.conftest import wait_for_app_idle
from tests.test_page_find_filters import CHOICES, records


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("filters-catalog") / "catalog.db", records())


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def search_place(tab, place: str) -> None:
    tab.keyboard.press("Escape")  # a multiselect's open list would cover the form
    box = tab.get_by_role("textbox", name="ZIP code or city")
    box.fill(place)
    box.press("Enter")
    tab.wait_for_url(re.compile(rf"near={place}"), timeout=15_000)
    wait_for_app_idle(tab)


def rerun_once_more(tab) -> None:
    """Another rerun (the map view): the frontend sends every widget's value again, as it last knew it."""
    tab.get_by_text("Map", exact=True).first.click()
    tab.wait_for_url(re.compile(r"view=map"), timeout=15_000)
    wait_for_app_idle(tab)


def test_medication_chosen_by_hand_survives_a_new_place(page, base_url, open_app, external_requests):
    """The issue's steps: choose Buprenorphine under Medication, change the place: the listing stays."""
    open_app(page, base_url)
    page.get_by_text("Filters (0)").click()
    page.get_by_role("tab").first.wait_for(timeout=15_000)  # drawn by the rerun that opening starts
    wait_for_app_idle(page)
    page.get_by_role("tab", name="Cost and medication").click()
    page.get_by_role("combobox", name=re.compile("Medication offered")).click()
    page.get_by_role("option", name=re.compile("^Buprenorphine")).click()
    page.wait_for_url(re.compile(r"moud=buprenorphine"), timeout=15_000)
    wait_for_app_idle(page)
    search_place(page, "60614")
    rerun_once_more(page)
    params = parse_qs(urlsplit(page.url).query)
    assert params["moud"] == ["buprenorphine"]
    assert page.get_by_text("0 results").count() == 0
    assert external_requests == []


@pytest.mark.parametrize(("name", "value", "kept"), CHOICES)
def test_every_multiple_choice_filter_keeps_its_value(page, base_url, open_app, name, value, kept):
    """Chosen statewide (its count includes Springfield), then narrowed to Chicago: same value, results."""
    params = Query(**{name: (value,)}).to_params()
    open_app(page, base_url + "/?" + "&".join(f"{k}={v}" for k, v in params.items()))
    wait_for_app_idle(page)
    search_place(page, "60614")
    rerun_once_more(page)
    got = parse_qs(urlsplit(page.url).query)
    assert {k: got.get(k) for k in params} == {k: [v] for k, v in params.items()}
    assert page.get_by_text("0 results").count() == 0
    page.get_by_text("List", exact=True).first.click()  # back to the list: the listing is there
    page.get_by_text(kept, exact=True).first.wait_for(timeout=40_000)


def test_county_chosen_by_hand_filters_and_survives_a_new_place(page, base_url, open_app, external_requests):
    """Filters → Where → County: "Sangamon County" leaves the Springfield listings; a new place keeps it."""
    open_app(page, base_url)
    page.get_by_text("Filters (0)").click()
    page.get_by_role("tab").first.wait_for(timeout=15_000)  # drawn by the rerun that opening starts
    wait_for_app_idle(page)
    page.get_by_role("tab", name="Where").click()
    page.get_by_role("combobox", name=re.compile("County")).click()
    page.get_by_role("option", name=re.compile("^Sangamon County")).click()
    page.wait_for_url(re.compile(r"county=Sangamon"), timeout=15_000)
    wait_for_app_idle(page)
    page.keyboard.press("Escape")
    page.get_by_text("Generated test twin meeting 91", exact=True).first.wait_for(timeout=15_000)
    assert page.get_by_text("Generated test support group 1", exact=True).count() == 0  # a Chicago listing
    search_place(page, "62701")
    rerun_once_more(page)
    assert parse_qs(urlsplit(page.url).query)["county"] == ["Sangamon"]
    assert page.get_by_text("0 results").count() == 0
    assert external_requests == []
