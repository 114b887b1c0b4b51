"""Issue 12 in a real browser: hostile catalog text stays inert on every page; deep links on a fresh server."""

from __future__ import annotations

import pytest

from tests import app_catalog

# Markdown and HTML that would fetch another host or make a live link if rendered (issue 12, item 2).
MARKDOWN = "![p](https://tracker.example/pixel.png) [phish](https://phish.example/login) **bold** :red[red]"
HOSTILE = (
    "![p](https://tracker.example/pixel.png) [phish](https://phish.example/login) "
    "<img src='https://tracker.example/h.png'> <a href='https://phish.example/x'>x</a> "
    "**bold** :red[red] <script>document.title='owned'</script>"
)
TEXT_FIELDS = ("organization", "description", "cost", "license", "hours", "notes", "address2", "fellowship")
DOM_CHECK = """() => [...document.querySelectorAll('a[href], img[src], image, source[src]')]
  .filter(e => /phish\\.example|tracker\\.example/.test(e.href || e.src || e.getAttribute('href') || ''))
  .map(e => e.outerHTML.slice(0, 300))"""


def hostile_records():
    records = []
    for record in app_catalog.test_records():
        values = {name: HOSTILE for name in TEXT_FIELDS}
        # Names with HTML tags are refused on import, so a name carries the Markdown only.
        records.append(record.replace(name=f"{record.name} {MARKDOWN}", **values))
    return records


def foreign(tab) -> list[str]:
    found = list(tab.evaluate(DOM_CHECK))
    for frame in tab.frames[1:]:
        try:
            found += frame.evaluate(DOM_CHECK)
        except Exception:  # noqa: BLE001 - a frame that went away has nothing to check
            pass
    return found


@pytest.mark.browser
def test_hostile_markdown_and_html_stay_text_on_every_page(
    tmp_path, streamlit_server, page, open_app, external_requests, save_screenshot
):
    """No page makes a link, an image or a request out of catalog text (item 2)."""
    catalog = app_catalog.build_test_catalog(tmp_path / "catalog.db", hostile_records())
    base = streamlit_server("app.py", env={"AFTERCARE_CATALOG": str(catalog), "AFTERCARE_ONLINE": "0"})
    paths = [
        "/",
        "/details?id=test-1",
        "/details?id=test-3",
        "/referral-list?ids=test-1,test-2,test-3",
        "/care-plan",
        "/catalog",
        "/about",
    ]
    for path in paths:
        open_app(page, base + path)
        if path.startswith("/details"):
            page.locator('[data-testid="stTable"] td').first.wait_for(timeout=20_000)
        page.wait_for_timeout(500)  # let iframes (the map) load their documents
        assert foreign(page) == [], path
        assert page.title() != "owned", path
    save_screenshot(page, "hostile_text_about")
    open_app(page, base + "/details?id=test-1")
    page.locator('[data-testid="stTable"] td').first.wait_for(timeout=20_000)
    save_screenshot(page, "hostile_text_details")
    assert page.get_by_text("tracker.example/pixel.png", exact=False).count() >= 1  # shown as text
    assert external_requests == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/referral-list", "/care-plan", "/find?cat=support_group"])
def test_first_request_to_a_fresh_server_opens_no_page_not_found(
    tmp_path, streamlit_server, page, open_app, path
):
    """A deep link as the very first request runs its page, without a 'Page not found' dialog (item 9)."""
    catalog = app_catalog.build_test_catalog(tmp_path / "catalog.db")
    base = streamlit_server("app.py", env={"AFTERCARE_CATALOG": str(catalog), "AFTERCARE_ONLINE": "0"})
    open_app(page, base + path)
    page.wait_for_timeout(500)
    assert page.get_by_text("Page not found").count() == 0
    page.locator("nav.crisis-bar").wait_for(timeout=10_000)  # its HTML element's code comes on first use
    assert page.locator("nav.crisis-bar").count() == 1  # the app shell ran: crisis bar atop the page
    assert page.get_by_text("Need help now?").count() == 2  # and the sidebar's lines
    # and once the server is warm, /find (the default page's own name) is still the Find page
    open_app(page, base + "/find?cat=support_group")
    page.wait_for_timeout(500)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("heading", name="Find recovery support near you").count() == 1
