"""The Find page's filter panel in a real browser: drawn only once "Filters (n)" is opened
(components/disclosure.py), with the focus, the count and every value kept (issue 10, first page load)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import wait_for_app_idle

PANEL = '[data-testid="stExpander"]:has(summary:has-text("Filters ("))'


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("panel-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def toggle_panel(tab) -> None:
    tab.locator(f"{PANEL} summary").click()
    wait_for_app_idle(tab)


def test_a_first_load_draws_no_filter_until_the_panel_is_opened(page, base_url, open_app, external_requests):
    """Until the panel is opened the page loads no code for its widgets (the first load's cost); opened,
    they are drawn."""
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    open_app(page, base_url)
    panel = page.locator(PANEL)
    assert not [url for url in fetched if "/Multiselect." in url]  # only the panel has multiselects
    assert panel.get_by_role("tab").count() == 0
    toggle_panel(page)
    panel.get_by_role("button", name=re.compile("^Support group")).wait_for(timeout=15_000)
    assert panel.get_by_role("tab").count() >= 3  # the filters' tabs
    assert [url for url in fetched if "/Multiselect." in url]
    assert panel.get_by_text("Loading the filters…").count() == 0
    assert external_requests == []


def test_a_choice_keeps_the_panel_open_and_the_focus_and_counts_it(page, base_url, open_app):
    """Clicking a kind inside the open panel: the label says (1), the panel stays open with its filters,
    and the focus stays on the button pressed (a keyboard user goes on from there)."""
    open_app(page, base_url)
    toggle_panel(page)
    pill = page.locator(PANEL).get_by_role("button", name=re.compile("^Treatment"))
    pill.click()
    page.wait_for_url(re.compile(r"cat=treatment"), timeout=15_000)
    wait_for_app_idle(page)
    page.locator(f"{PANEL} summary", has_text="Filters (1)").wait_for(timeout=15_000)
    assert page.locator(f"{PANEL} details").get_attribute("open") is not None
    assert page.evaluate("() => document.activeElement.innerText").startswith("Treatment")


def test_values_chosen_then_closed_come_back_when_opened_again(page, base_url, open_app):
    """Words typed and a fellowship chosen, the panel closed, another place searched: the filters still
    apply, and the reopened panel shows the words in their box and the choice (a box drawn anew once
    came back empty while its words still applied)."""
    open_app(page, base_url)
    toggle_panel(page)
    words = page.locator(PANEL).get_by_role("textbox", name=re.compile("^Name or word"))
    words.fill("support")
    words.press("Enter")
    page.wait_for_url(re.compile(r"q=support"), timeout=15_000)
    wait_for_app_idle(page)
    toggle_panel(page)
    page.locator(PANEL).get_by_text("Loading the filters…").wait_for(state="attached", timeout=15_000)
    box = page.get_by_role("textbox", name="ZIP code or city")
    box.fill("62701")
    box.press("Enter")
    page.wait_for_url(re.compile(r"near=62701"), timeout=15_000)
    wait_for_app_idle(page)
    assert parse_qs(urlsplit(page.url).query)["q"] == ["support"]
    page.locator(f"{PANEL} summary", has_text="Filters (1)").wait_for(timeout=15_000)
    toggle_panel(page)
    words = page.locator(PANEL).get_by_role("textbox", name=re.compile("^Name or word"))
    words.wait_for(timeout=15_000)
    assert words.input_value() == "support"
    toggle_panel(page)  # closed and opened again at once: no other run between
    page.locator(PANEL).get_by_text("Loading the filters…").wait_for(state="attached", timeout=15_000)
    toggle_panel(page)
    words = page.locator(PANEL).get_by_role("textbox", name=re.compile("^Name or word"))
    words.wait_for(timeout=15_000)
    assert words.input_value() == "support"
