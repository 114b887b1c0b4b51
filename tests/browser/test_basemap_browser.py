"""Issue 10, item 6: the offline map shows county lines, town names, a layer switch per kind, named
markers, and fits the local results (a statewide line placed at Springfield does not zoom Chicago out)."""

import dataclasses
import re

import pytest

from tests.app_catalog import build_test_catalog
from tests.app_catalog import test_records as generated_records
from tests.browser.conftest import ARTIFACTS, wait_for_app_idle

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
STATEWIDE = "Generated test statewide line 93"


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    base = generated_records()
    line = dataclasses.replace(
        base[5], id="test-93", name=STATEWIDE, category="crisis_line", coverage="statewide", fellowship="",
        schedule=(), format="phone",
    )  # fmt: skip
    return build_test_catalog(tmp_path_factory.mktemp("basemap-catalog") / "catalog.db", [*base, line])


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def test_chicago_map_has_counties_towns_layers_and_named_markers(page, base_url, open_app, external_requests):
    """Near 60614: Chicago's markers by name, Chicago's name on the map, no Springfield marker in view."""
    open_app(page, f"{base_url}/?near=60614&view=map")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".aftercare-marker, .aftercare-cluster").first.wait_for(timeout=20_000)
    wait_for_app_idle(page)
    page.wait_for_timeout(500)
    assert frame.locator(".aftercare-town", has_text="Chicago").count() >= 1
    # Fitted to Chicago: neither Springfield's name nor the statewide line placed there is in view.
    assert frame.locator(".aftercare-town", has_text="Springfield").count() == 0
    assert frame.locator(f'.aftercare-marker[title="{STATEWIDE}"]').count() == 0
    assert frame.locator(".aftercare-marker[title]").count() >= 1
    assert frame.locator(".aftercare-marker:not([title])").count() == 0
    assert frame.locator("path.leaflet-interactive, path").count() > 3  # outline and county lines
    layers = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Support group" in x for x in layers)
    # A statewide line has no place on the map: it is not in the map's data at all, not only out of view.
    assert not any("Crisis line" in x for x in layers)
    handle = next(f for f in page.frames if "streamlit_folium" in f.url)
    sent = handle.evaluate(
        "() => window.feature_group.filter(g => window.map.hasLayer(g)).flatMap(g => g.getLayers())"
        ".flatMap(c => c.getLayers ? c.getLayers() : []).map(m => m.aftercareRow ? m.aftercareRow[2] : '')"
    )
    assert sent and STATEWIDE not in sent
    assert page.get_by_text(re.compile(r"^\d+ results? ha(s|ve) no place on the map")).count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "map-chicago-offline.png"))
    assert external_requests == []


def test_a_layer_switch_hides_one_kind(page, base_url, open_app):
    """Unticking "Support group" in the layer switch removes the meeting markers and keeps the others."""
    open_app(page, f"{base_url}/?near=60614&view=map")
    frame = page.frame_locator(MAP_FRAME)
    treatment = frame.locator('.aftercare-marker[title="Generated test treatment 5"]')
    treatment.wait_for(timeout=20_000)
    meetings = frame.locator(".aftercare-marker, .aftercare-cluster").count()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Support group").locator(
        "input"
    ).uncheck()
    page.wait_for_timeout(500)
    assert frame.locator(".aftercare-marker, .aftercare-cluster").count() < meetings
    assert treatment.count() == 1
