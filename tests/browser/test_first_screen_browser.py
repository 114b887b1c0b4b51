"""Issue 10, the first page load: the Find page's first screen comes in the page the server sends
(directory/render/first_screen.py, components/first_screen.py) and gives way to the app once it is drawn.

Streamlit's own bundle is held back by the test (the route of its entry script waits) to look at the page
as a person sees it in the second before the app is ready, then let go.
"""

from __future__ import annotations

import re
import urllib.request

import pytest

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import WCAG_TAGS, wait_for_app_idle

ENTRY = re.compile(r".*/static/js/index\.[\w-]+\.js$")
SHELL = "#ac-first"


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("first-screen-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


class HeldBundle:
    """Streamlit's entry script waits in the test until `release()`."""

    def __init__(self, tab) -> None:
        self.routes = []
        self.released = False
        tab.route(ENTRY, self._hold)

    def _hold(self, route) -> None:
        if self.released:
            route.continue_()
        else:
            self.routes.append(route)

    def wait_held(self, tab) -> None:
        """Until the page has asked for the bundle (it does once the first screen is painted)."""
        for _ in range(200):
            if self.routes:
                return
            tab.wait_for_timeout(50)
        raise AssertionError("the page never asked for the app's bundle")

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()
        self.routes.clear()


def fetch(url: str, **headers: str):
    """The page's HTML and its response headers (read without regard to case)."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return response.read().decode("utf-8"), response.headers


def test_the_server_sends_the_find_page_with_its_results_and_no_other_page(base_url):
    """The Find page's address answers with its first screen (never cached); other pages, a map view and
    a place not found answer with Streamlit's page as it is."""
    html, headers = fetch(f"{base_url}/?near=60614&r=10")
    assert 'id="ac-first"' in html and headers["Cache-Control"] == "no-store"
    assert html.count('<li class="ac-card"') >= 4 and "Generated test support group 1" in html
    # Streamlit's bundle is started after the first screen is painted, and not fetched ahead.
    assert 'rel="modulepreload"' not in html and 'import("./static/js/index.' in html
    found, _ = fetch(f"{base_url}/find?near=60614", **{"Accept-Language": "es-US,es;q=0.9"})
    assert '<html lang="es"' in found and "Cargando el formulario de búsqueda…" in found
    for path in ("/details?id=test-1", "/referral-list", "/?near=60614&view=map", "/?near=Atlantis"):
        page, headers = fetch(base_url + path)
        assert 'id="ac-first"' not in page and 'rel="modulepreload"' in page, path
        assert headers["Cache-Control"] == "no-cache", path


def test_the_first_screen_shows_results_and_crisis_numbers_before_the_app(page, base_url, external_requests):
    """With the app's bundle held back: the crisis bar and the result cards are on screen, tap-to-call
    links work as links, and the app underneath is inert (one page for a keyboard or screen reader)."""
    held = HeldBundle(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base_url}/?near=60614&r=10", wait_until="domcontentloaded")
    shell = page.locator(SHELL)
    shell.locator("ul.ac-list li").first.wait_for(timeout=15_000)
    held.wait_held(page)
    call = shell.get_by_role("link", name="Call or text, 988")
    assert call.get_attribute("href") == "tel:988" and call.bounding_box()["y"] < 844
    first = shell.locator("ul.ac-list li").first
    assert first.bounding_box()["y"] < 844  # results on a phone's first screen
    assert first.locator("p.ac-head").inner_text().startswith("Generated test")
    assert page.evaluate("document.getElementById('root').inert") is True
    assert page.get_by_role("status").inner_text() == "Loading the search form…"
    held.release()
    shell.wait_for(state="detached", timeout=30_000)  # gone once the app's own cards are drawn
    assert page.locator("ul.ac-list").count() == 1 and page.locator("#root ul.ac-list li").count() >= 4
    assert page.evaluate("document.getElementById('root').inert") is False
    assert page.get_by_role("heading", name="Find recovery support near you").count() == 1
    assert not external_requests


@pytest.mark.parametrize(
    "size, lang, words",
    [
        ({"width": 390, "height": 844}, "en", ("Meetings, recovery housing", "Resources within 10 miles")),
        ({"width": 1280, "height": 900}, "en", ("Meetings, recovery housing", "Resources within 10 miles")),
        ({"width": 390, "height": 844}, "es", ("Reuniones, viviendas", "Recursos a menos de 10 millas")),
    ],
)
def test_the_app_takes_over_where_the_first_screen_was(page, base_url, size, lang, words):
    """The first screen lays its crisis bar, title (wrapped alike), intro, results sentence and first
    cards where the app draws them, so the swap does not move what the person is reading (within 2 px)."""
    held = HeldBundle(page)
    page.set_viewport_size(size)
    page.goto(f"{base_url}/?near=60614&r=10&lang={lang}", wait_until="domcontentloaded")
    page.locator(f"{SHELL} ul.ac-list li").first.wait_for(timeout=15_000)
    page.evaluate("document.fonts.ready")

    def boxes(scope: str) -> dict[str, dict]:
        where = page.locator(scope)
        found = {
            what: where.locator(what).first
            for what in ("nav.crisis-bar", "h1", "ul.ac-list li:nth-child(1)", "ul.ac-list li:nth-child(2)")
        }
        found |= {text: where.get_by_text(text).first for text in words}
        return {what: element.bounding_box() for what, element in found.items()}

    before = boxes(SHELL)
    held.release()
    page.locator(SHELL).wait_for(state="detached", timeout=30_000)
    after = boxes("#root")
    for what, old in before.items():
        new = after[what]
        for side in ("x", "y", "width", "height"):
            assert abs(old[side] - new[side]) <= 2, (what, side, old, new)


def test_an_add_pressed_on_the_first_screen_is_added_once_the_app_is_ready(page, base_url):
    """An "Add" pressed before the app is ready says it is adding, and the listing is on the list after."""
    held = HeldBundle(page)
    page.goto(f"{base_url}/?near=60614&r=10", wait_until="domcontentloaded")
    button = page.locator(f'{SHELL} li[data-id="test-2"] button.ac-add')
    button.click(timeout=15_000)
    assert button.inner_text() == "Adding…" and button.get_attribute("aria-disabled") == "true"
    held.release()
    page.get_by_text("Referral list (1)").wait_for(timeout=30_000)
    page.locator('#root li[data-id="test-2"] button.ac-add', has_text="On your list").wait_for(timeout=15_000)
    wait_for_app_idle(page)
    assert page.locator('#root li[data-id="test-1"] button.ac-add').inner_text() == "Add to referral list"


def test_without_scripts_the_results_and_numbers_are_still_there(browser, base_url):
    """A browser with JavaScript off gets the first screen itself: results and tap-to-call numbers (and
    no "Add", which needs the app)."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto(f"{base_url}/?near=60614&r=10", wait_until="load")
        shell = tab.locator(SHELL)
        assert shell.locator("ul.ac-list li").count() >= 4
        assert shell.locator("ul.ac-list li").first.is_visible()
        assert shell.get_by_role("link", name="Emergency, 911").get_attribute("href") == "tel:911"
        assert not shell.locator("button.ac-add").first.is_visible()
    finally:
        context.close()


def test_without_the_first_screen_the_page_is_streamlits_own(streamlit_server, catalog_path):
    """AFTERCARE_FIRST_SCREEN=0: the Find page is served as Streamlit ships it."""
    url = streamlit_server(
        "app.py",
        env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0", "AFTERCARE_FIRST_SCREEN": "0"},
    )
    html, headers = fetch(f"{url}/?near=60614")
    assert 'id="ac-first"' not in html and 'rel="modulepreload"' in html


@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}])
def test_the_first_screen_is_clean_by_axe(page, base_url, run_axe, size):
    """The first screen is a page a person reads and taps: axe finds no WCAG 2.2 A/AA violation in it
    (target size included), on a phone and on a desk."""
    held = HeldBundle(page)
    page.set_viewport_size(size)
    page.goto(f"{base_url}/?near=60614&r=10", wait_until="domcontentloaded")
    page.locator(f"{SHELL} ul.ac-list li").first.wait_for(timeout=15_000)
    held.wait_held(page)
    assert run_axe(page, context=SHELL, tags=[*WCAG_TAGS, "wcag22a", "wcag22aa"]) == []
    held.release()


def test_a_reader_who_scrolled_the_first_screen_stays_where_they_were(page, base_url):
    """Scrolled down the first screen's cards before the app was ready: the app opens at the same place
    (the same card in the middle of the screen)."""
    held = HeldBundle(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base_url}/?near=60614&r=10", wait_until="domcontentloaded")
    shell = page.locator(SHELL)
    shell.locator("ul.ac-list li").first.wait_for(timeout=15_000)
    shell.evaluate("element => { element.scrollTop = 900; }")
    middle = (  # the card whose centre is nearest the screen's middle
        "scope => { const far = (li) => { const box = li.getBoundingClientRect();"
        " return Math.abs((box.top + box.bottom) / 2 - 422); };"
        " return [...document.querySelectorAll(scope + ' li.ac-card')].sort((a, b) => far(a) - far(b))[0].dataset.id; }"
    )
    reading = page.evaluate(middle, SHELL)
    held.release()
    shell.wait_for(state="detached", timeout=30_000)
    # About where it was: the browser's scroll anchoring may shift it a few pixels as the app settles.
    assert abs(page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") - 900) <= 40
    assert page.evaluate(middle, "#root") == reading
