"""Issue 10, items 4 and 11: a reload keeps the referral list (ids in the URL, nothing else); the Care plan
page asks before unsaved changes are lost; the sidebar count follows an opened plan file."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import wait_for_app_idle


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("reload-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def add(tab, resource_id: str, count: int) -> None:
    tab.locator(f'ul.ac-list li.ac-card[data-id="{resource_id}"] button.ac-add').click()
    tab.get_by_text(f"Referral list ({count})").wait_for(timeout=15_000)


def test_a_reload_keeps_the_referral_list(page, base_url, open_app, external_requests):
    """Two listings added, the page reloaded: both are still on the list; the URL holds their ids only."""
    open_app(page, f"{base_url}/?near=60614")
    add(page, "test-1", 1)
    add(page, "test-5", 2)
    page.wait_for_url(re.compile(r"list=test-1%2Ctest-5|list=test-1,test-5"), timeout=15_000)
    page.reload(wait_until="domcontentloaded")
    wait_for_app_idle(page)
    page.get_by_text("Referral list (2)").wait_for(timeout=15_000)
    page.get_by_text("Referral list (2)").click()
    page.get_by_role("heading", name="Referral list").wait_for(timeout=15_000)
    wait_for_app_idle(page)
    assert page.get_by_role("button", name="Remove").count() == 2
    assert parse_qs(urlsplit(page.url).query)["list"] == ["test-1,test-5"]
    page.reload(wait_until="domcontentloaded")  # on the list page too
    wait_for_app_idle(page)
    page.get_by_text("Referral list (2)").wait_for(timeout=15_000)
    assert external_requests == []


# Headless Chromium never shows the "Leave site?" question, so the tests send the event the browser sends
# on a reload or a close and read whether the page asked for the question (preventDefault).
ASKS = """() => {
    const event = new Event("beforeunload", {cancelable: true});
    window.dispatchEvent(event);
    return event.defaultPrevented;
}"""
# Ready to type: no widget still loading (a skeleton) and the field not inert (a page still redrawing).
NO_SKELETON = """() => {
    const box = document.querySelector('[aria-label="Patient initials"]');
    return !document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]') && box && !box.closest('[inert]');
}"""


def test_leaving_the_care_plan_with_unsaved_changes_asks_first(page, base_url, open_app):
    """An untouched draft closes without a question; after typing, a reload or close asks first."""
    open_app(page, f"{base_url}/care-plan")
    page.get_by_text("until you download it").wait_for(timeout=15_000)
    wait_for_app_idle(page)
    page.wait_for_function(NO_SKELETON, timeout=60_000)
    assert page.get_by_text("Changes not downloaded yet").count() == 0
    assert page.evaluate(ASKS) is False
    box = page.get_by_role("textbox", name="Patient initials")
    box.click()
    page.keyboard.type("A.B.")
    page.keyboard.press("Tab")
    page.get_by_text("Changes not downloaded yet").wait_for(timeout=15_000)
    wait_for_app_idle(page)
    page.wait_for_function(
        "() => window.__aftercareUnsaved === true", timeout=15_000
    )  # the guard's frame ran
    assert page.evaluate(ASKS) is True
    page.get_by_text("Find resources").first.click()  # another page of the app: the draft is still unsaved
    page.get_by_role("heading", name="Find recovery support near you").wait_for(timeout=15_000)
    assert page.evaluate(ASKS) is True


def test_downloading_the_plan_file_ends_the_question(page, base_url, open_app):
    """After "Download plan file" the draft is saved: leaving no longer asks."""
    open_app(page, f"{base_url}/care-plan")
    wait_for_app_idle(page)
    page.wait_for_function(NO_SKELETON, timeout=60_000)
    page.get_by_role("textbox", name="Patient initials").click()
    page.keyboard.type("C.D.")
    page.keyboard.press("Tab")
    page.get_by_text("Changes not downloaded yet").wait_for(timeout=15_000)
    with page.expect_download(timeout=30_000):
        page.get_by_role("button", name="Download plan file").click()
    page.get_by_text("Changes not downloaded yet").wait_for(state="detached", timeout=15_000)
    wait_for_app_idle(page)
    page.wait_for_function("() => window.__aftercareUnsaved === false", timeout=15_000)
    assert page.evaluate(ASKS) is False


def test_opening_a_plan_file_updates_the_sidebar_count(page, base_url, open_app, catalog_path, tmp_path):
    """After a plan file with two listings is opened, the sidebar says "Referral list (2)" at once."""
    from directory.catalog import Catalog
    from directory.plans import new_plan, plan_to_json

    with Catalog(str(catalog_path), readonly=True) as catalog:
        plan = new_plan(catalog.get_many(["test-1", "test-5"]))
    path = tmp_path / "two.json"
    path.write_bytes(plan_to_json(plan))
    open_app(page, f"{base_url}/care-plan")
    page.get_by_text("Referral list (0)").wait_for(timeout=15_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("Opened two.json").wait_for(timeout=15_000)
    wait_for_app_idle(page)
    assert page.get_by_text("Referral list (2)").count() == 1
    assert page.get_by_text("Referral list (0)").count() == 0
