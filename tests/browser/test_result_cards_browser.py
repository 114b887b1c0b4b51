"""The Find page's result cards (components/result_list.py) in real Chromium: catalog words shown as text,
"Add" from the mouse and the keyboard, "Details" in the same tab without a reload and in a new tab."""

import pytest
from playwright.sync_api import expect

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import wait_for_app_idle

CARD = "ul.ac-list li.ac-card"


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("cards-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def card(tab, resource_id: str):
    return tab.locator(f'{CARD}[data-id="{resource_id}"]')


def test_catalog_words_are_text_never_markup(page, base_url, open_app, page_errors, external_requests):
    """A listing named with markdown link syntax, "&", "<" and asterisks shows those characters as they are:
    no link to the address in its name, no emphasis, no element made from it."""
    open_app(page, f"{base_url}/")
    named = card(page, "test-8")
    named.wait_for(timeout=20_000)
    assert (
        named.locator("strong.ac-name").inner_text()
        == "Generated test 8 & 5 < 7 [link](https://x.invalid) *stars*"
    )
    assert named.locator('a[href^="https://x.invalid"]').count() == 0
    assert named.locator("em, img, script").count() == 0
    # Its links are the card's own: phone, website, directions; "Details" and "Add" under them.
    hrefs = named.locator("a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("tel:", "https://", "sms:", "geo:", "details?id=")) for h in hrefs)
    assert not page_errors and not external_requests


def test_add_with_the_mouse_and_the_keyboard(page, base_url, open_app, page_errors):
    """ "Add" raises the sidebar count and turns into "On your list", which a second press does not add
    again; from the keyboard (Tab to it, Enter) the focus stays on that card's button after the rerun."""
    open_app(page, f"{base_url}/")
    sidebar = page.locator('[data-testid="stSidebar"]')
    first = card(page, "test-1").locator("button.ac-add")
    first.click()
    sidebar.get_by_text("Referral list (1)").wait_for(timeout=15_000)
    expect(first).to_have_text("On your list ✓")
    expect(first).to_have_attribute("aria-disabled", "true")
    first.click(force=True)  # a person can still press it: nothing happens
    wait_for_app_idle(page)
    expect(sidebar.get_by_text("Referral list (1)")).to_have_count(1)  # not added twice
    page.wait_for_url("**list=test-1**", timeout=15_000)

    second = card(page, "test-2").locator("button.ac-add")
    card(page, "test-2").locator("a.ac-details").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('[data-id]')?.dataset.id") == "test-2"
    page.keyboard.press("Enter")
    sidebar.get_by_text("Referral list (2)").wait_for(timeout=15_000)
    expect(second).to_have_text("On your list ✓")
    assert page.evaluate(
        "() => [document.activeElement.closest('[data-id]')?.dataset.id, document.activeElement.dataset.action]"
    ) == ["test-2", "add"]
    assert not page_errors


def test_details_opens_in_the_same_tab_without_a_reload(page, base_url, open_app, page_errors):
    """A plain click on "Details" shows that listing's page in the same session: the referral list (kept
    in this tab) is still there, and the page did not load again."""
    open_app(page, f"{base_url}/")
    card(page, "test-3").locator("button.ac-add").click()
    page.locator('[data-testid="stSidebar"]').get_by_text("Referral list (1)").wait_for(timeout=15_000)
    page.evaluate("() => { window.__sameDocument = true; }")
    card(page, "test-5").locator("a.ac-details").click()
    page.get_by_role("heading", name="Generated test treatment 5").wait_for(timeout=15_000)
    assert "/details" in page.url and "id=test-5" in page.url
    assert page.evaluate("() => window.__sameDocument === true")  # no new page load
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Referral list (1)")).to_have_count(1)
    assert not page_errors


def test_details_opens_in_a_new_tab_as_a_link_does(page, base_url, open_app):
    """Ctrl-click (or a middle click) on "Details" opens the listing in a new tab, and this tab stays."""
    open_app(page, f"{base_url}/")
    details = card(page, "test-5").locator("a.ac-details")
    details.wait_for(timeout=20_000)
    with page.context.expect_page(timeout=15_000) as opened:
        details.click(modifiers=["Control"])
    new_tab = opened.value
    new_tab.get_by_role("heading", name="Generated test treatment 5").wait_for(timeout=30_000)
    assert page.locator(CARD).count() > 0 and "/details" not in page.url
    new_tab.close()
