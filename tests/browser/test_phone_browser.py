"""Issue 10, item 3: every page on a phone (390x844) and a desktop (1280x900).

The crisis bar (988, the Illinois Helpline, 911) is on the first screen without opening the sidebar,
Find shows results on the first screen, every tappable control is at least 44x44 CSS px, and axe finds
no WCAG 2.2 A/AA violation (target size included), the map's frame included. Screenshots of the first
screen of each page land in tests/artifacts/ as layout-<page>-<width>.png.
"""

import pytest

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import ARTIFACTS, WCAG_TAGS, guarded_tab, wait_for_app_idle

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WCAG22 = [*WCAG_TAGS, "wcag22a", "wcag22aa"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# (name, path, text that shows the page has drawn)
PAGES = [
    ("find", "/?near=60614", "Generated test support group 1"),
    ("map", "/?near=60614&view=map", "Selected on the map|Tap a marker"),
    ("details", "/details?id=test-1", "Generated test support group 1"),
    ("referral-list", "/referral-list", "Referral list"),
    ("care-plan", "/care-plan", "Care plan"),
    ("catalog", "/catalog", "Catalog"),
    ("about", "/about", "About the data"),
]
CRISIS = ("tel:988", "tel:+18332346343", "tel:911")
MIN_TARGET = 44
# Every visible control a finger can press, with its box; a visually hidden input counts by its label.
TARGETS_JS = """() => {
  const sel = 'a[href], button, [role=button], [role=tab], [role=radio], [role=checkbox], [role=switch],'
    + ' [role=combobox], [role=slider], input:not([type=hidden]), select, textarea, summary';
  const boxes = '[data-baseweb="input"], [data-baseweb="select"], [data-baseweb="textarea"], label';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility({checkVisibilityCSS: true, contentVisibilityAuto: true})) continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    if (el.closest('[data-testid="stSidebar"][aria-expanded="false"]')) continue;
    // What a finger presses: the field's box for a text field, the label for a visually hidden input.
    const target = ['INPUT', 'TEXTAREA'].includes(el.tagName) || el.getAttribute('role') === 'combobox'
      ? (el.closest(boxes) || el) : el;
    const box = target.getBoundingClientRect();
    if (box.width <= 2 || box.height <= 2) continue;  // visually hidden (a skip link until it has focus)
    if (box.bottom < 0 || box.right < 0 || box.left > innerWidth) continue;
    const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.tagName).trim().slice(0, 40);
    out.push({name, width: Math.round(box.width), height: Math.round(box.height)});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("phone-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def opened(browser, external_requests, base_url, path, ready, viewport):
    context, tab = guarded_tab(browser, external_requests, viewport=viewport)
    tab.goto(base_url + path, wait_until="domcontentloaded")
    wait_for_app_idle(tab)
    tab.locator(f"text=/{ready}/").first.wait_for(timeout=20_000)
    # The crisis bar is drawn before the page; on a loaded machine its links can arrive a moment later.
    tab.locator("nav.crisis-bar a").first.wait_for(timeout=20_000)
    if "view=map" in path:
        tab.frame_locator(MAP_FRAME).locator(".aftercare-marker, .aftercare-cluster").first.wait_for(
            timeout=20_000
        )
    wait_for_app_idle(tab)
    tab.wait_for_timeout(300)  # let the last frame paint before a screenshot
    return context, tab


def _marker_spacing(violation: dict) -> bool:
    """axe's target-size finding on map markers that sit close together where the listings are close.

    WCAG 2.2's 2.5.8 exempts targets whose position is essential (a marker stands where its listing is)
    and targets with an equivalent control that meets the size: every marker's listing is also a card in
    the list view, whose buttons are 44 px. Markers themselves are 26 px; anything else still fails.
    """
    return violation["id"] == "target-size" and all(
        any("aftercare-marker" in part or "aftercare-cluster" in part for part in target)
        for target in violation["targets"]
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(("name", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_page_layout(browser, base_url, external_requests, run_axe, viewport, name, path, ready):
    """Crisis bar on the first screen, tappable controls >= 44 px, no WCAG 2.2 A/AA violation."""
    context, tab = opened(browser, external_requests, base_url, path, ready, viewport)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"layout-{name}-{viewport['width']}.png"))
        bar = tab.locator("nav.crisis-bar")
        assert bar.count() == 1, "no crisis bar on the page"
        box = bar.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
        hrefs = bar.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert all(number in hrefs for number in CRISIS), hrefs
        small = [t for t in tab.evaluate(TARGETS_JS) if min(t["width"], t["height"]) < MIN_TARGET]
        assert small == [], small
        violations = run_axe(tab, tags=WCAG22)
        if "view=map" in path:
            frame = tab.locator(MAP_FRAME).element_handle().content_frame()
            violations += [v for v in run_axe(frame, tags=WCAG22) if not _marker_spacing(v)]
        assert violations == []
    finally:
        context.close()
    assert external_requests == []


def test_phone_shows_results_on_the_first_screen(browser, base_url, external_requests):
    """At 390x844 the first result card starts on the first screen, with filters behind one control."""
    context, tab = opened(browser, external_requests, base_url, *PAGES[0][1:], PHONE)
    try:
        first = tab.locator("ul.ac-list li.ac-card").first.bounding_box()
        assert first and first["y"] + 120 < PHONE["height"]  # its name and kind are readable
        assert tab.get_by_text("Filters (0)").count() == 1
        assert tab.get_by_role("tab", name="When").is_visible() is False
    finally:
        context.close()
