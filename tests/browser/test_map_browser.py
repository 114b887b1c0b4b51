"""Choosing a listing on the map in headless Chromium: one press on a partly visible map, and the keyboard."""

import random

import pytest

from directory import freshness
from directory.maps import MARKER_CAP
from directory.schema import Resource
from tests import app_catalog
from tests.browser.conftest import guarded_tab, wait_for_app_idle

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SELECTED = "Selected on the map"
# The only listing within 5 miles of 61820 in the generated catalog.
CHAMPAIGN_URL = "/?view=map&near=61820&r=5"
CHAMPAIGN_NAME = "Generated test treatment 7"
CHAMPAIGN_DETAILS = "/details?id=test-7"
CROWD = 5000
# A generated listing alone near Peoria whose name needs HTML escaping (the catalog refuses tags) and
# whose id needs percent-encoding.
ODD = Resource(
    id="test-odd:1",
    # Unescaped, "&lt;b&gt;" would show as "<b>": the popup must show the characters as written.
    name='Generated test "R&R" &lt;b&gt; 1 < 2 it\'s',
    category="support_group",
    source=app_catalog.TEST_SOURCE,
    source_url=app_catalog.SOURCE_URL,
    as_of="2026-01-15",
    city="Peoria",
    state="IL",
    zip="61602",
    latitude=40.6884,
    longitude=-89.5972,
    geocode_precision="zip",
)
# Scrolls the page's scrolling box (the nearest scrollable ancestor of the map frame) by dy pixels, at once.
SCROLL_PAGE_BY = """(frame, dy) => {
    let box = frame.parentElement;
    const scrolls = (el) =>
        el.scrollHeight > el.clientHeight && /(auto|scroll)/.test(getComputedStyle(el).overflowY);
    while (box && !scrolls(box)) {
        box = box.parentElement;
    }
    (box || document.scrollingElement).scrollBy({top: dy, behavior: "instant"});
}"""


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("map-browser-catalog") / "catalog.db"
    return app_catalog.build_test_catalog(path, [*app_catalog.test_records(), ODD])


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


@pytest.fixture
def touch_page(browser, external_requests, page_errors):
    """A phone-like tab (touch events, no mouse) that blocks and records every non-loopback request."""
    context, tab = guarded_tab(browser, external_requests, page_errors, has_touch=True, is_mobile=True)
    yield tab
    context.close()


def open_champaign_map(tab, base_url, open_app):
    """Opens the map of the one Champaign listing and returns (the map frame locator, its marker)."""
    open_app(tab, base_url + CHAMPAIGN_URL)
    frame = tab.frame_locator(MAP_FRAME)
    marker = frame.locator(".aftercare-marker").first
    marker.wait_for(timeout=20_000)
    # The map reports its first view to the server, which reruns the map once: let that settle first.
    tab.wait_for_timeout(700)
    wait_for_app_idle(tab)
    assert tab.get_by_text(SELECTED).count() == 0
    return frame, marker


@pytest.mark.parametrize("pointer", ["mouse", "touch"])
def test_one_press_on_a_partly_visible_map_selects_the_listing(
    request, pointer, base_url, open_app, external_requests, page_errors, save_screenshot
):
    """With the bottom of the map off screen, the first click or tap on a marker selects its listing."""
    tab = request.getfixturevalue("page" if pointer == "mouse" else "touch_page")
    # Filters fold away now (issue 10), so the map starts higher: a shorter screen hides its lower part again.
    tab.set_viewport_size({"width": tab.viewport_size["width"], "height": 820})
    _, marker = open_champaign_map(tab, base_url, open_app)
    height = tab.viewport_size["height"]
    iframe = tab.locator(MAP_FRAME)
    # Bring the marker to 60 px above the bottom edge: the map's lower part is then below the screen.
    box = marker.bounding_box()
    iframe.evaluate(SCROLL_PAGE_BY, box["y"] + box["height"] / 2 - (height - 60))
    frame_box, box = iframe.bounding_box(), marker.bounding_box()
    assert frame_box["y"] + frame_box["height"] > height + 20  # the map really is partly hidden
    assert 0 < box["y"] and box["y"] + box["height"] < height  # and the marker is on screen
    # Pressed where it is, without scrolling it into view first (a locator click would do that).
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if pointer == "mouse":
        tab.mouse.click(x, y)
    else:
        tab.touchscreen.tap(x, y)
    tab.get_by_text(SELECTED).wait_for(timeout=15_000)
    tab.get_by_text(CHAMPAIGN_NAME, exact=True).wait_for(timeout=15_000)
    save_screenshot(tab, f"find-map-one-{pointer}-press")
    assert external_requests == []
    assert page_errors == []


def test_tab_to_a_marker_and_enter_selects_the_listing(page, base_url, open_app, page_errors):
    """A keyboard user tabs from the map to its marker; Enter opens its popup and selects the listing."""
    frame, marker = open_champaign_map(page, base_url, open_app)
    frame.locator(".leaflet-container").focus()
    for _ in range(5):  # the marker is the first stop after the map itself; stop as soon as it has the focus
        page.keyboard.press("Tab")
        if marker.evaluate("icon => icon === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the marker")
    page.keyboard.press("Enter")
    page.get_by_text(SELECTED).wait_for(timeout=15_000)
    page.get_by_text(CHAMPAIGN_NAME, exact=True).wait_for(timeout=15_000)
    popup = frame.locator(".leaflet-popup-content")
    assert popup.locator("strong").inner_text() == CHAMPAIGN_NAME
    assert popup.locator("a").get_attribute("href") == CHAMPAIGN_DETAILS
    assert page_errors == []


def test_popup_shows_catalog_text_as_text(page, base_url, open_app, page_errors):
    """A name with & < > and quotes shows as written in the popup; the id is percent-encoded in the link."""
    open_app(page, base_url + "/?view=map&near=61602&r=5")
    frame = page.frame_locator(MAP_FRAME)
    marker = frame.locator(".aftercare-marker").first
    marker.wait_for(timeout=20_000)
    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert popup.locator("strong").inner_text() == ODD.name
    assert popup.locator("a").get_attribute("href") == "/details?id=test-odd%3A1"
    assert popup.locator("a").inner_text() == "Details"
    # How old and how sure the listing is, in the words the cards use (issue 9).
    assert popup.locator("small").inner_text() == freshness.certainty(ODD).words
    assert popup.locator("img, script, b").count() == 0
    assert page_errors == []


@pytest.fixture(scope="module")
def crowded_catalog(tmp_path_factory):
    """5,000 generated listings spread over Illinois, three kinds (the size the speed target names)."""
    rng = random.Random(5)
    kinds = ("support_group", "treatment", "recovery_housing")
    records = [
        Resource(
            id=f"test-crowd-{n}",
            name=f"Generated test crowd listing {n}",
            category=kinds[n % 3],
            source=app_catalog.TEST_SOURCE,
            source_url=app_catalog.SOURCE_URL,
            as_of="2026-01-15",
            state="IL",
            latitude=round(rng.uniform(37.2, 42.3), 5),
            longitude=round(rng.uniform(-91.2, -87.6), 5),
            geocode_precision="zip",
        )
        for n in range(CROWD)
    ]
    return app_catalog.build_test_catalog(tmp_path_factory.mktemp("crowd") / "catalog.db", records), records


def test_five_thousand_listings_come_as_server_groups_until_zoomed_in(
    page, shared_streamlit_server, crowded_catalog, open_app, external_requests, page_errors, save_screenshot
):
    """5,000 listings over Illinois (more than MARKER_CAP in view): the map gets groups counted on the server
    whose counts add up to every listing, and the zoom-in note; zoomed in on Chicago it draws the single
    markers of that view, and one of them selects its listing on click."""
    path, records = crowded_catalog
    url = shared_streamlit_server("app.py", env={"AFTERCARE_CATALOG": str(path), "AFTERCARE_ONLINE": "0"})
    open_app(page, url + "/?view=map")
    frame = page.frame_locator(MAP_FRAME)
    groups = frame.locator(".aftercare-server-cluster")
    groups.first.wait_for(timeout=30_000)
    assert CROWD > MARKER_CAP
    counts = groups.evaluate_all("els => els.map(e => parseInt(e.innerText.replace(/,/g, ''), 10))")
    assert sum(counts) == CROWD and len(counts) > 1
    assert frame.locator(".aftercare-marker").count() == 0  # no single marker is sent above the cap
    titles = groups.evaluate_all("els => els.map(e => e.getAttribute('title'))")
    assert all(t.endswith("listings here: zoom in to see them") for t in titles)
    note = page.get_by_text(f"{CROWD:,} listings are in view, too many to draw one by one")
    assert note.count() == 1 and "Zoom in to see every listing." in note.inner_text()
    page.locator(MAP_FRAME).evaluate("frame => frame.scrollIntoView({block: 'end'})")
    save_screenshot(page, "find-map-5000-groups")

    handle = next(f for f in page.frames if "streamlit_folium" in f.url)
    handle.evaluate("() => window.map.setView([41.85, -87.75], 11, {animate: false})")
    marker = frame.locator(".aftercare-marker")
    marker.first.wait_for(timeout=30_000)
    page.get_by_text("Colours on the map").wait_for(timeout=15_000)
    assert page.get_by_text("too many to draw one by one").count() == 0
    assert frame.locator(".aftercare-server-cluster").count() == 0
    # Only listings inside the view were sent: every marker's point lies in the map's bounds.
    inside = handle.evaluate(
        "() => { const b = window.map.getBounds(); const rows = window.feature_group"
        ".filter(g => window.map.hasLayer(g)).flatMap(g => g.getLayers())"
        ".flatMap(c => c.getLayers ? c.getLayers() : []).map(m => m.getLatLng());"
        " return [rows.length, rows.every(p => b.pad(0.05).contains(p))]; }"
    )
    assert 0 < inside[0] <= MARKER_CAP and inside[1]
    name = marker.first.get_attribute("title")
    assert name.startswith("Generated test crowd listing")
    marker.first.click()
    page.get_by_text(SELECTED).wait_for(timeout=15_000)
    page.get_by_text(name, exact=True).wait_for(timeout=15_000)
    save_screenshot(page, "find-map-5000-zoomed")
    assert external_requests == []
    assert page_errors == []


def test_adding_a_listing_chosen_on_the_map_updates_the_sidebar_and_the_address(page, base_url, open_app):
    """The map reruns alone (a fragment); adding its chosen listing still reruns the page: the sidebar's
    count and the address bar's list follow."""
    frame, marker = open_champaign_map(page, base_url, open_app)
    marker.click()
    page.get_by_text(SELECTED).wait_for(timeout=15_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "Referral list (1)" not in sidebar.inner_text()
    page.get_by_role("button", name="Add to referral list").first.click()
    sidebar.get_by_text("Referral list (1)").wait_for(timeout=15_000)
    page.wait_for_url("**list=test-7**", timeout=15_000)
