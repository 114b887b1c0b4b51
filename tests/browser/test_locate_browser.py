"""Issue 10, item 2: "Use my location" under the launcher `make run` uses (`python -m components.serve`)."""

import pytest

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import guarded_tab, wait_for_app_idle

CHICAGO = {"latitude": 41.9227, "longitude": -87.6533}  # the centre of ZIP 60614


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("locate-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def test_use_my_location_searches_near_the_point(browser, base_url, open_app, external_requests):
    """With the position granted, the button lists the Chicago listings only, and no error box appears."""
    context, tab = guarded_tab(browser, external_requests, geolocation=CHICAGO, permissions=["geolocation"])
    try:
        component_files = []
        tab.on("response", lambda r: component_files.append(r.status) if "/component/" in r.url else None)
        open_app(tab, base_url)
        frame = tab.frame_locator('iframe[title="components.geolocation"]')
        frame.get_by_role("button", name="Use my location").click(timeout=20_000)
        tab.get_by_text("Using your location.").wait_for(timeout=20_000)
        wait_for_app_idle(tab)
        tab.get_by_text("Generated test support group 1", exact=True).wait_for(timeout=15_000)
        assert tab.get_by_text("Generated test support group 6", exact=True).count() == 0  # Springfield
        assert component_files and all(status < 400 for status in component_files)
        assert tab.locator('[data-testid="stException"], [data-testid="stAlert"]').count() == 0
        assert tab.get_by_text("trouble loading").count() == 0
    finally:
        context.close()
    assert external_requests == []
