"""Issue 13 in a real browser: the screen language switch on a phone (the crisis bar) and a desktop (the
sidebar) keeps the search and the referral list; the Care plan draft survives the sidebar switch.

Screenshots of the Find and Care plan pages in Spanish at 390x844 and 1280x900 land in tests/artifacts/ as
lang-<page>-es-<width>.png.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from directory.words import t
from tests.app_catalog import build_test_catalog
from tests.browser.conftest import ARTIFACTS, guarded_tab, wait_for_app_idle

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_TARGET = 44


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("language-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def opened(browser, external_requests, url, ready, viewport, locale="en-US"):
    context, tab = guarded_tab(browser, external_requests, viewport=viewport, locale=locale)
    tab.goto(url, wait_until="domcontentloaded")
    wait_for_app_idle(tab)
    tab.get_by_text(ready).first.wait_for(timeout=20_000)
    return context, tab


def params(tab) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(tab.url).query).items()}


def screenshot(tab, name: str) -> None:
    wait_for_app_idle(tab)
    tab.wait_for_timeout(300)  # let the last frame paint
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_phone_crisis_bar_switch_keeps_the_search_and_the_list(browser, base_url, external_requests):
    """At 390x844 the crisis bar's "Español" link is on the first screen, 44x44 px with a Spanish name;
    it reopens the same search (place, fellowship) and the same referral list in Spanish."""
    url = f"{base_url}/?near=60614&fel=NA&list=test-2"
    context, tab = opened(browser, external_requests, url, "Generated test support group 2", PHONE)
    try:
        switch = tab.locator("nav.crisis-bar .crisis-bar-lang a")
        assert switch.count() == 1
        box = switch.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET
        assert switch.get_attribute("aria-label") == t("lang.switch_to", "es")
        assert switch.inner_text().strip() == "Español"
        assert tab.evaluate("document.documentElement.lang") == "en"
        switch.click()
        tab.get_by_text(t("find.title", "es")).first.wait_for(timeout=20_000)
        wait_for_app_idle(tab)
        url_now = params(tab)
        assert url_now.get("lang") == "es"
        assert url_now.get("near") == "60614" and url_now.get("fel") == "NA"
        assert url_now.get("list") == "test-2"
        expect(tab.locator("html")).to_have_attribute("lang", "es")  # screen readers speak Spanish
        card = tab.locator('ul.ac-list li.ac-card[data-id="test-2"]')
        card.wait_for(timeout=20_000)
        expect(tab.get_by_role("textbox", name=t("find.place", "es"))).to_have_value("60614")
        assert card.get_by_role("button", name=t("card.added", "es")).is_disabled()  # still on the list
        assert tab.locator('ul.ac-list li.ac-card[data-id="test-1"]').count() == 0  # still only NA meetings
        back = tab.locator("nav.crisis-bar .crisis-bar-lang a")
        assert back.inner_text().strip() == "English"
        assert back.get_attribute("aria-label") == t("lang.switch_to", "en")
        screenshot(tab, "lang-find-es-390")
        back.click()
        tab.get_by_text(t("find.title", "en")).first.wait_for(timeout=20_000)
        assert params(tab).get("lang") == "en" and params(tab).get("list") == "test-2"
    finally:
        context.close()
    assert external_requests == []


def test_desktop_sidebar_switch_keeps_the_search_and_the_list(browser, base_url, external_requests):
    """At 1280x900 the sidebar's language control switches without a reload: the search, the referral
    list and the address bar follow, and English comes back the same way."""
    url = f"{base_url}/?near=60614&fel=AA&list=test-1"
    context, tab = opened(browser, external_requests, url, "Generated test support group 3", DESKTOP)
    try:
        sidebar = tab.locator('[data-testid="stSidebar"]')
        spanish = sidebar.get_by_role("radio", name="Español")
        box = spanish.bounding_box()
        assert box and box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET
        assert box["y"] + box["height"] <= DESKTOP["height"]
        spanish.click()
        tab.get_by_text(t("find.title", "es")).first.wait_for(timeout=20_000)
        wait_for_app_idle(tab)
        url_now = params(tab)
        assert url_now.get("lang") == "es" and url_now.get("near") == "60614" and url_now.get("fel") == "AA"
        assert url_now.get("list") == "test-1"
        assert sidebar.get_by_text(t("sidebar.list_count", "es", count=1)).count() == 1
        assert tab.locator('ul.ac-list li.ac-card[data-id="test-2"]').count() == 0  # still only AA meetings
        # Choices whose words changed keep their values on screen: the distance and the list view.
        expect(tab.locator(".st-key-f_radius input")).to_have_value(t("find.miles", "es", miles="10"))
        expect(tab.get_by_role("radio", name=t("view.list", "es"))).to_be_checked()
        screenshot(tab, "lang-find-es-1280")
        sidebar.get_by_role("radio", name="English").click()
        tab.get_by_text(t("find.title", "en")).first.wait_for(timeout=20_000)
        wait_for_app_idle(tab)
        assert params(tab).get("lang") == "en" and params(tab).get("fel") == "AA"
        assert sidebar.get_by_text(t("sidebar.list_count", "en", count=1)).count() == 1
    finally:
        context.close()
    assert external_requests == []


def test_care_plan_draft_survives_the_sidebar_switch(browser, base_url, external_requests):
    """What was typed on the Care plan page is still there after the sidebar switches it to Spanish."""
    context, tab = opened(browser, external_requests, f"{base_url}/care-plan", t("plan.title", "en"), DESKTOP)
    try:
        initials = tab.get_by_role("textbox", name=t("form.header.patient_initials", "en"))
        initials.fill("T.Q.")
        initials.press("Tab")
        wait_for_app_idle(tab)
        tab.locator('[data-testid="stSidebar"]').get_by_role("radio", name="Español").click()
        tab.get_by_text(t("plan.title", "es")).first.wait_for(timeout=20_000)
        wait_for_app_idle(tab)
        expect(tab.get_by_role("textbox", name=t("form.header.patient_initials", "es"))).to_have_value("T.Q.")
        assert tab.get_by_text(t("plan.print_in", "es")).count() >= 1
    finally:
        context.close()
    assert external_requests == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_spanish_screenshots(browser, base_url, external_requests, viewport):
    """The Find and Care plan pages in Spanish, as a browser that prefers Spanish opens them (no ?lang=)."""
    width = viewport["width"]
    context, tab = opened(
        browser, external_requests, f"{base_url}/?near=60614", t("find.title", "es"), viewport, locale="es-MX"
    )
    try:
        assert "lang" not in params(tab)  # the default language is not written into the link
        tab.locator('ul.ac-list li.ac-card[data-id="test-1"]').wait_for(timeout=20_000)
        screenshot(tab, f"lang-find-es-default-{width}")
        tab.goto(f"{base_url}/care-plan?lang=es", wait_until="domcontentloaded")
        tab.get_by_role("textbox", name=t("form.header.patient_initials", "es")).wait_for(timeout=20_000)
        tab.get_by_text(t("plan.print_in", "es")).first.wait_for(timeout=20_000)
        screenshot(tab, f"lang-care-plan-es-{width}")
        tab.screenshot(path=str(ARTIFACTS / f"lang-care-plan-es-{width}-full.png"), full_page=True)
    finally:
        context.close()
    assert external_requests == []
