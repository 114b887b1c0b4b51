"""A map that reports its view late must not come back after the page has moved on.

The map (st_folium, in the `result_map` fragment) tells the server its bounds and zoom once it has drawn,
which on a busy server or a slow connection can be a few seconds after the map view appeared. A visitor who
chose "List" in that moment got the map back in place of the listings, with "List" selected: the list run
ended in `st.stop()`, so Streamlit kept the map fragment registered, and the late report reran it over the
list. These tests replay that order exactly: the map's page is held until the next run has happened, and
the server's answers are held until the map has reported.
"""

import re

import pytest
from playwright.sync_api import Route, expect

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import wait_for_app_idle
from tests.browser.held_stream import HeldStream
from tests.test_page_find_filters import records

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_PAGE = re.compile(r".*/component/streamlit_folium\.st_folium/index\.html.*")
# What Streamlit logs when a fragment rerun names a fragment the last full run did not draw.
FORGOTTEN = "does not exist anymore"


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("late-map-catalog") / "catalog.db", records())


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


class HeldMap:
    """Holds the map frame's page until `release()`, so the map cannot report its view before then."""

    def __init__(self, tab) -> None:
        self.routes: list[Route] = []
        self.holding = True
        tab.route(MAP_PAGE, self._route)

    def _route(self, route: Route) -> None:
        if self.holding:
            self.routes.append(route)
        else:
            route.fallback()

    def release(self) -> None:
        self.holding = False
        routes, self.routes = self.routes, []
        for route in routes:
            route.fallback()


@pytest.fixture
def held(page):
    """The tab's websocket and its map frame's page, both held by the test; let go before the tab closes."""
    stream, held_map = HeldStream(page), HeldMap(page)
    yield stream, held_map
    held_map.release()
    stream.release()


def late_report(page, base_url: str, server_log, held, act) -> None:
    """`act()` on a map view whose map has not reported yet; the map reports after the server has answered
    `act` but before the page has seen that answer; then the page gets every answer, in order."""
    stream, held_map = held
    wait_for_app_idle(page)
    stream.wait_until(lambda: held_map.routes, "the map frame to ask for its page")
    assert stream.fragment_reruns_sent() == 0  # the map is drawn but cannot report yet
    stream.hold()
    finished, forgotten = stream.runs_finished(), server_log(base_url).count(FORGOTTEN)
    act()
    stream.wait_until(lambda: stream.runs_finished() > finished, "the server to answer the change")
    held_map.release()
    stream.wait_until(lambda: stream.fragment_reruns_sent() > 0, "the map to report its view")
    # The server either reruns the map fragment (one more finished run) or logs that it forgot it.
    stream.wait_until(
        lambda: stream.runs_finished() > finished + 1 or server_log(base_url).count(FORGOTTEN) > forgotten,
        "the server to take the map's report",
    )
    stream.release()
    stream.wait_until_page_has_everything()
    wait_for_app_idle(page)


def test_list_chosen_before_the_map_reports_stays_the_list(
    page, base_url, open_app, server_log, held, external_requests
):
    """Map view, then "List" before the map has reported its view: the listings, not the map."""
    open_app(page, f"{base_url}/?near=60614&view=map")

    def choose_list() -> None:
        page.get_by_text("List", exact=True).first.click()

    late_report(page, base_url, server_log, held, choose_list)
    assert "view=map" not in page.url
    expect(page.get_by_text("Generated test support group 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Generated test treatment 5", exact=True)).to_be_visible()
    assert page.locator(MAP_FRAME).count() == 0
    assert external_requests == []


def test_place_not_found_before_the_map_reports_shows_no_map(
    page, base_url, open_app, server_log, held, external_requests
):
    """Map view, then a place the gazetteer does not know: the message (and its suggestions), no map under it."""
    open_app(page, f"{base_url}/?near=60614&view=map")

    def new_place() -> None:
        box = page.get_by_role("textbox", name="ZIP code or city")
        box.fill("Chicgo")
        box.press("Enter")

    late_report(page, base_url, server_log, held, new_place)
    expect(page.get_by_text(re.compile("couldn't find", re.IGNORECASE)).first).to_be_visible()
    assert page.locator(MAP_FRAME).count() == 0
    assert external_requests == []


def test_list_chosen_with_the_map_report_reruns_the_whole_page(
    page, base_url, open_app, server_log, held, external_requests
):
    """Map view; "List" reaches the server inside the map's own rerun (a fragment) and no whole-page rerun
    follows, as Chromium sent it when the click met the map's report on a busy machine: the page must still
    become the list. Before, the map stayed with "List" selected until the next click."""
    stream, held_map = held
    held_map.release()
    open_app(page, f"{base_url}/?near=60614&view=map")
    page.frame_locator(MAP_FRAME).locator(".aftercare-marker, .aftercare-cluster").first.wait_for(
        timeout=30_000
    )
    stream.wait_until(lambda: stream.fragment_reruns_sent() >= 1, "the map to report its view")
    wait_for_app_idle(page)
    stream.fold_next_rerun()
    page.get_by_text("List", exact=True).first.click()
    expect(page.get_by_text("Generated test treatment 5", exact=True)).to_be_visible(timeout=20_000)
    wait_for_app_idle(page)
    assert page.locator(MAP_FRAME).count() == 0
    assert "view=map" not in page.url
    assert stream.fold_into is None  # the choice did go out inside the map's rerun
    assert external_requests == []
