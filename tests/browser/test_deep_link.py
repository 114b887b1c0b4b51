"""A shared link to a page other than Find, opened as the very first request to a fresh server."""

from tests.app_catalog import build_test_catalog


def test_details_link_on_a_fresh_server_runs_inside_the_app(tmp_path, streamlit_server, page, open_app):
    """The first visitor's deep link shows the listing with the sidebar and crisis lines, not an error."""
    catalog = build_test_catalog(tmp_path / "catalog.db")
    base_url = streamlit_server("app.py", env={"AFTERCARE_CATALOG": str(catalog), "AFTERCARE_ONLINE": "0"})
    open_app(page, f"{base_url}/details?id=test-1")
    page.get_by_role("heading", name="Generated test support group 1").wait_for(timeout=20_000)
    # The crisis bar atop the page: drawn before the heading, but its HTML element's code is fetched on
    # first use, so on a fresh browser it can be painted a moment after the heading (CI saw 0 here).
    page.locator("nav.crisis-bar").wait_for(timeout=10_000)
    assert page.locator("nav.crisis-bar").count() == 1
    assert page.get_by_text("Need help now?").count() == 2
    assert page.get_by_text("This app has encountered an error").count() == 0
    assert page.get_by_role("link", name="Find resources").count() == 1
