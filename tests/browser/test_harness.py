"""Proves the browser harness and the offline map recipe on a tiny app written into a temporary folder."""

import shutil
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
OUTLINE_COLOUR = "#4a4a4a"
JAVASCRIPT = {"application/javascript", "text/javascript"}

# The recipe directory/maps.py follows: every asset from /app/static, no tiles, default icons told
# where their images are. Points are generated test coordinates, not resources.
MAP_APP = textwrap.dedent(
    f'''
    """Generated harness app: a title and an offline folium map."""
    import json
    from pathlib import Path

    import folium
    import streamlit as st
    from folium.plugins import MarkerCluster
    from folium.template import Template
    from streamlit_folium import st_folium

    STATIC = "/app/static"

    st.title("Harness check")

    m = folium.Map(location=[40.0, -89.2], zoom_start=6, tiles=None)
    # Without a tile layer nothing sets maxZoom, and MarkerCluster throws "Map has no maxZoom specified".
    m.options["max_zoom"] = 18
    m.default_js = [
        ("leaflet", f"{{STATIC}}/vendor/leaflet/leaflet.js"),
    ]
    m.default_css = [("leaflet_css", f"{{STATIC}}/vendor/leaflet/leaflet.css")]
    # Runs inside the map script, before the markers: streamlit-folium drops <script> tags from the header.
    # Default icons need their image folder; folium's viewport meta forbids zooming (WCAG 1.4.4).
    offline_fixes = folium.MacroElement()
    offline_fixes._template = Template(
        "{{% macro script(this, kwargs) %}}"
        "L.Icon.Default.imagePath = '/app/static/vendor/leaflet/images/';"
        "document.querySelectorAll('meta[name=viewport]').forEach("
        "function (meta) {{ meta.setAttribute('content', 'width=device-width, initial-scale=1'); }});"
        "{{% endmacro %}}"
    )
    m.add_child(offline_fixes)

    outline = json.loads((Path(__file__).parent / "static" / "illinois.geojson").read_text())
    folium.GeoJson(
        outline,
        style_function=lambda feature: {{"color": "{OUTLINE_COLOUR}", "weight": 2, "fillOpacity": 0.04}},
    ).add_to(m)
    folium.Marker([41.5, -88.5], tooltip="generated test point A").add_to(m)
    folium.CircleMarker([39.5, -89.5], radius=8, color="#1d4f91", tooltip="generated test point B").add_to(m)

    cluster = MarkerCluster()
    cluster.default_js = [("markerclusterjs", f"{{STATIC}}/vendor/leaflet.markercluster/leaflet.markercluster.js")]
    cluster.default_css = [
        ("markerclustercss", f"{{STATIC}}/vendor/leaflet.markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", f"{{STATIC}}/vendor/leaflet.markercluster/MarkerCluster.Default.css"),
    ]
    for offset in (0.0, 0.01, 0.02):
        folium.Marker([40.5 + offset, -88.0 - offset]).add_to(cluster)
    cluster.add_to(m)

    changing = folium.FeatureGroup(name="changing markers")
    folium.CircleMarker([38.5, -89.0], radius=8, color="#1d4f91").add_to(changing)

    st_folium(m, height=500, width=700, feature_group_to_add=changing, returned_objects=[], key="map")
    '''
)


@pytest.fixture(scope="module")
def map_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated app, with the repository's static/ and Streamlit config beside it."""
    tmp_path = tmp_path_factory.mktemp("map-app")
    (tmp_path / "static").symlink_to(REPO_ROOT / "static", target_is_directory=True)
    (tmp_path / ".streamlit").mkdir()
    shutil.copy(REPO_ROOT / ".streamlit" / "config.toml", tmp_path / ".streamlit" / "config.toml")
    app = tmp_path / "app.py"
    app.write_text(MAP_APP)
    return app


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_server_answers_health_and_serves_static(streamlit_server, map_app):
    """The started server says `ok` on /_stcore/health, serves static/ and 404s a file it does not have."""
    base = streamlit_server(map_app)
    status, _, body = fetch(f"{base}/_stcore/health")
    assert (status, body) == (200, b"ok")
    assert fetch(f"{base}/app/static/vendor/leaflet/leaflet.js")[0] == 200
    assert fetch(f"{base}/app/static/vendor/leaflet/no-such-file.js")[0] == 404


@pytest.mark.parametrize(
    ("path", "content_types"),
    [
        # Python's own table says text/javascript; Debian's /etc/mime.types says application/javascript.
        ("vendor/leaflet/leaflet.js", JAVASCRIPT),
        ("vendor/leaflet.markercluster/leaflet.markercluster.js", JAVASCRIPT),
        ("vendor/leaflet/leaflet.css", {"text/css"}),
        ("vendor/leaflet.markercluster/MarkerCluster.Default.css", {"text/css"}),
        ("vendor/leaflet/images/marker-icon.png", {"image/png"}),
        ("illinois.geojson", {"application/geo+json"}),
    ],
)
def test_static_files_have_a_real_content_type(shared_streamlit_server, map_app, path, content_types):
    """Each vendored file is served with the MIME type a browser accepts (nosniff forbids text/plain JS)."""
    status, served_type, body = fetch(f"{shared_streamlit_server(map_app)}/app/static/{path}")
    assert status == 200
    assert served_type.split(";")[0] in content_types
    assert body


def test_missing_app_fails_with_the_servers_message(streamlit_server, tmp_path):
    """Starting a server on an app file that does not exist fails the test and quotes Streamlit's error."""
    with pytest.raises(pytest.fail.Exception, match="does not exist"):
        streamlit_server(tmp_path / "absent.py")


def test_map_renders_offline(
    streamlit_server, map_app, page, open_app, external_requests, page_errors, save_screenshot, run_axe
):
    """The title shows and the map draws markers, a cluster and the Illinois outline with no third-party request."""
    open_app(page, streamlit_server(map_app))
    assert page.get_by_role("heading", name="Harness check").is_visible()

    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-marker-icon").first.wait_for(timeout=20_000)
    icons = frame.locator("img.leaflet-marker-icon")
    assert icons.count() >= 1
    assert all(
        "/app/static/vendor/leaflet/images/marker-icon" in (icons.nth(i).get_attribute("src") or "")
        and icons.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        for i in range(icons.count())
    )
    assert frame.locator(".marker-cluster").count() == 1
    # Two circle markers: one from the map, one from feature_group_to_add.
    assert frame.locator('path.leaflet-interactive[stroke="#1d4f91"]').count() == 2
    assert frame.locator(f'path.leaflet-interactive[stroke="{OUTLINE_COLOUR}"]').count() == 1
    assert frame.locator(".leaflet-tile").count() == 0
    save_screenshot(page, "harness-map")
    assert run_axe(page) == []
    assert run_axe(page.frame(url=lambda url: "streamlit_folium" in url)) == []
    assert external_requests == []
    assert page_errors == []


def test_third_party_request_is_recorded_and_blocked(page, external_requests):
    """A request to another host lands in `external_requests` and fails; a data: URL is not recorded."""
    page.set_content("<title>t</title><p>offline</p>")
    outcome = page.evaluate(
        """async () => {
            await fetch('data:text/plain,local');
            try { await fetch('https://cdn.example.invalid/leaflet.js'); return 'fetched'; }
            catch (error) { return 'blocked'; }
        }"""
    )
    assert outcome == "blocked"
    assert external_requests == ["https://cdn.example.invalid/leaflet.js"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<main><h1>Title</h1><p>Plain text.</p></main>", []),
        ('<main><h1>Title</h1><img src="data:image/png;base64,iVBORw0KGgo="></main>', ["image-alt"]),
        ("<main><h1>Title</h1><button></button></main>", ["button-name"]),
    ],
)
def test_axe_reports_wcag_violations(page, run_axe, html, expected):
    """run_axe returns the WCAG rule ids a page breaks, and nothing for a clean page."""
    page.set_content(
        f'<!doctype html><html lang="en"><head><title>Axe check</title></head><body>{html}</body></html>'
    )
    assert [violation["id"] for violation in run_axe(page)] == expected
