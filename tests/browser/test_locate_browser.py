"""Issue 10: "Use my location", a button drawn in the Find page itself (components/locate.py, no iframe),
under the launcher `make run` uses (`python -m components.serve`)."""

import pytest

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import guarded_tab, wait_for_app_idle

CHICAGO = {"latitude": 41.9227, "longitude": -87.6533}  # the centre of ZIP 60614
BUTTON = {"role": "button", "name": "Use my location", "exact": True}
PROBLEMS = '[data-testid="stException"], [data-testid="stAlert"]'
# Counts the page's questions to the browser's position and, with `window.__holdPosition`, never answers
# them (a person who has not answered the browser's prompt yet).
WATCH_POSITION = """
(() => {
  window.__positionAsked = 0;
  const geolocation = navigator.geolocation;
  const ask = geolocation.getCurrentPosition.bind(geolocation);
  geolocation.getCurrentPosition = (ok, fail, options) => {
    window.__positionAsked += 1;
    window.__positionOptions = options;
    if (!window.__holdPosition) ask(ok, fail, options);
  };
})();
"""


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("locate-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def open_find(browser, external_requests, page_errors, open_app, base_url, **options):
    """A tab on the Find page that records every response's status; returns (context, tab, statuses)."""
    context, tab = guarded_tab(browser, external_requests, page_errors, **options)
    context.add_init_script(WATCH_POSITION)
    statuses = []
    tab.on("response", lambda r: statuses.append((r.status, r.url)))
    open_app(tab, base_url)
    tab.get_by_role(**BUTTON).wait_for(timeout=20_000)
    return context, tab, statuses


def test_use_my_location_searches_near_the_point(browser, base_url, open_app, external_requests, page_errors):
    """With the position granted, the button in the page lists the Chicago listings only; the page has no
    iframe, no error box, no failed response, and the browser was asked once, only when pressed."""
    context, tab, statuses = open_find(
        browser, external_requests, page_errors, open_app, base_url,
        geolocation=CHICAGO, permissions=["geolocation"],
    )  # fmt: skip
    try:
        assert tab.evaluate("window.__positionAsked") == 0  # not before the press
        assert tab.locator("iframe").count() == 0
        tab.get_by_role(**BUTTON).click()
        tab.get_by_text("Using your location.").wait_for(timeout=20_000)
        wait_for_app_idle(tab)
        tab.get_by_text("Generated test support group 1", exact=True).wait_for(timeout=15_000)
        assert tab.get_by_text("Generated test support group 6", exact=True).count() == 0  # Springfield
        assert tab.evaluate("window.__positionAsked") == 1
        assert tab.evaluate("window.__positionOptions") == {
            "enableHighAccuracy": False, "timeout": 15000, "maximumAge": 600000,
        }  # fmt: skip
        assert tab.get_by_role(**BUTTON).is_enabled()
        assert tab.locator("iframe").count() == 0
        assert tab.locator(PROBLEMS).count() == 0
        assert tab.get_by_text("trouble loading").count() == 0
        assert [s for s in statuses if s[0] >= 400] == []
        assert page_errors == []
    finally:
        context.close()
    assert external_requests == []


def test_denied_permission_says_so(browser, base_url, open_app, external_requests, page_errors):
    """No permission granted: the browser refuses, the page says the location was not shared (or could not
    be found) in an info box, and shows no traceback; the search does not say it uses a location."""
    context, tab, statuses = open_find(browser, external_requests, page_errors, open_app, base_url)
    try:
        tab.get_by_role(**BUTTON).click()
        message = tab.locator('[data-testid="stAlertContentInfo"]')
        message.wait_for(timeout=20_000)
        wait_for_app_idle(tab)
        assert "ZIP code or city" in message.inner_text()
        assert tab.locator('[data-testid="stException"]').count() == 0
        assert tab.get_by_text("Using your location.").count() == 0
        assert tab.get_by_role(**BUTTON).is_enabled()
        assert tab.locator("iframe").count() == 0
        assert [s for s in statuses if s[0] >= 400] == []
        assert page_errors == []
    finally:
        context.close()
    assert external_requests == []


def test_the_button_waits_for_the_answer(browser, base_url, open_app, external_requests, page_errors):
    """While the browser has not answered, the button is disabled and a second press asks nothing more."""
    context, tab, _ = open_find(
        browser, external_requests, page_errors, open_app, base_url,
        geolocation=CHICAGO, permissions=["geolocation"],
    )  # fmt: skip
    try:
        tab.evaluate("window.__holdPosition = true")
        button = tab.get_by_role(**BUTTON)
        button.click()
        assert button.is_disabled()
        button.click(force=True)
        assert tab.evaluate("window.__positionAsked") == 1
        assert tab.get_by_text("Using your location.").count() == 0
    finally:
        context.close()
    assert external_requests == []


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_the_button_lines_up_with_the_place_row(browser, base_url, open_app, external_requests, viewport):
    """At least 44x44 CSS px, and like Streamlit's own buttons: on a wide screen its bottom edge is the place
    box's and the distance box's; on a phone it takes the row under them, full width."""
    context, tab, _ = open_find(browser, external_requests, [], open_app, base_url, viewport=viewport)
    try:
        button = tab.get_by_role(**BUTTON).bounding_box()
        place = tab.locator('.st-key-f_place [data-testid="stTextInputRootElement"]').bounding_box()
        radius = tab.locator('.st-key-f_radius [data-testid="stSelectbox"]').bounding_box()
        assert button["width"] >= 44 and button["height"] >= 44
        if viewport["width"] > 640:
            for box in (place, radius):
                assert abs((box["y"] + box["height"]) - (button["y"] + button["height"])) <= 2
            assert button["x"] > radius["x"] > place["x"]
        else:
            assert button["y"] >= place["y"] + place["height"]
            assert abs(button["x"] - place["x"]) <= 2
            assert button["width"] >= 0.9 * (radius["x"] + radius["width"] - place["x"])
    finally:
        context.close()
