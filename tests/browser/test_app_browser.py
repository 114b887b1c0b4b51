"""The real app in headless Chromium against `streamlit run`, on a generated catalog, with no internet."""

import re

import pytest
from playwright.sync_api import expect

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import wait_for_app_idle

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("browser-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def card_names(tab) -> list[str]:
    return tab.locator(
        '[data-testid="stMarkdownContainer"] strong, ul.ac-list strong.ac-name'
    ).all_inner_texts()


def test_map_draws_markers_offline(page, base_url, open_app, external_requests, page_errors, save_screenshot):
    """The map view draws the result markers, clusters and outline with no request to another host."""
    open_app(page, f"{base_url}/?view=map")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".aftercare-marker, .aftercare-cluster").first.wait_for(timeout=20_000)
    assert frame.locator(".aftercare-marker, .aftercare-cluster").count() >= 2
    assert frame.locator(".leaflet-tile").count() == 0
    save_screenshot(page, "find-map")
    assert external_requests == []
    assert page_errors == []


def test_clicking_a_marker_selects_the_resource(page, base_url, open_app, external_requests, save_screenshot):
    """Clicking the only marker near Champaign shows that listing's card under the map."""
    open_app(page, f"{base_url}/?view=map&near=61820&r=5")
    frame = page.frame_locator(MAP_FRAME)
    marker = frame.locator(".aftercare-marker")
    marker.first.wait_for(timeout=20_000)
    assert page.get_by_text("Selected on the map").count() == 0
    marker.first.click()
    page.get_by_text("Selected on the map").wait_for(timeout=15_000)
    page.get_by_text("Generated test treatment 7", exact=True).wait_for(timeout=15_000)
    save_screenshot(page, "find-map-selected")
    assert external_requests == []


def test_pasted_url_reproduces_a_search(page, base_url, open_app, save_screenshot):
    """Opening a link with near and cat fills the place box and lists only the matching listings."""
    open_app(page, f"{base_url}/?near=62701&cat=support_group")
    page.get_by_text("Generated test support group 6").first.wait_for(timeout=15_000)
    # The box may be redrawn once more while the search settles; wait for its value, don't sample it.
    expect(page.get_by_role("textbox", name="ZIP code or city")).to_have_value("62701", timeout=15_000)
    names = card_names(page)
    assert "Generated test support group 6" in names
    assert "Generated test treatment 7" not in names
    save_screenshot(page, "find-list-springfield")


def test_changing_a_filter_updates_the_url(page, base_url, open_app):
    """Picking a kind rewrites the address bar so the link reproduces the search."""
    open_app(page, base_url)
    page.locator("summary", has_text="Filters (0)").click()  # every filter sits behind this one control
    page.get_by_role("tab").first.wait_for(timeout=15_000)  # drawn by the rerun that opening starts
    wait_for_app_idle(page)
    page.get_by_role("button", name=re.compile(r"^Treatment")).first.click()
    page.wait_for_url(re.compile(r"cat=treatment"), timeout=15_000)
    wait_for_app_idle(page)
    assert "Generated test support group 1" not in card_names(page)


def test_add_to_referral_list_from_a_card(page, base_url, open_app, save_screenshot, external_requests):
    """ "Add to referral list" on a card raises the sidebar count; the list page shows the listing."""
    open_app(page, f"{base_url}/?near=60614")
    add = page.get_by_role("button", name="Add to referral list").first
    add.wait_for(timeout=15_000)
    wait_for_app_idle(page)
    save_screenshot(page, "find-list")
    add.click()
    page.get_by_text("Referral list (1)").wait_for(timeout=15_000)
    page.get_by_text("Referral list (1)").click()
    page.get_by_role("heading", name="Referral list").wait_for(timeout=15_000)
    wait_for_app_idle(page)
    assert page.get_by_role("button", name="Remove").count() == 1
    save_screenshot(page, "referral-list")
    assert external_requests == []


def test_details_page(page, base_url, open_app, save_screenshot, external_requests):
    """A details link opens the listing with its schedule and a small map, offline."""
    open_app(page, f"{base_url}/details?id=test-1")
    page.get_by_role("heading", name="Generated test support group 1").wait_for(timeout=15_000)
    page.frame_locator(MAP_FRAME).locator(".aftercare-marker").first.wait_for(timeout=20_000)
    save_screenshot(page, "details")
    assert external_requests == []


def test_find_page_has_no_serious_accessibility_violations(page, base_url, open_app, run_axe):
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation on the Find page."""
    open_app(page, f"{base_url}/?near=60614")
    violations = [v for v in run_axe(page) if v["impact"] in SERIOUS]
    assert violations == []
