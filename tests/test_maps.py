"""The folium map: offline assets only, escaped popups, one layer per kind, the fitted view, links out."""

import json
import re

import folium
import pytest
from streamlit_folium import _get_feature_group_string, _get_map_string

from directory import map_groups, maps
from directory.schema import Resource

EXTERNAL = re.compile(r"https?://(?!example\.invalid)[^\s\"']+")


def resource(n: int, **extra) -> Resource:
    values = dict(
        id=f"test-{n}",
        name=f"Generated test {n}",
        category="support_group",
        source="generated-test",
        source_url="https://example.invalid/s",
        as_of="2026-01-01",
        latitude=41.9 + n / 1000,
        longitude=-87.6,
        geocode_precision="zip",
    )
    return Resource(**(values | extra))


def assets(m: folium.Map, layers) -> list[str]:
    """Every script and stylesheet URL st_folium would load for this map and these layers."""
    for layer in layers:
        layer.add_to(m)
    urls = []
    for element in [m, *m._children.values(), *(c for layer in layers for c in layer._children.values())]:
        urls += [u for _, u in getattr(element, "default_js", [])] + [
            u for _, u in getattr(element, "default_css", [])
        ]
    return urls


@pytest.mark.parametrize("tiles", [False, True])
def test_map_assets_are_served_by_the_app(tiles):
    """Leaflet and markercluster come from /app/static whatever the tile setting."""
    m = maps.base_map(tiles=tiles, tile_url="https://tiles.example.invalid/{z}/{x}/{y}.png")
    layers = maps.result_layers(maps.map_points([(resource(1), "Support group", "")]), kind_names={})
    urls = assets(m, layers)
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls)
    assert "markercluster" in " ".join(urls)


def test_offline_map_has_no_tile_layer_and_no_external_url():
    """With tiles off the map script names no third-party host and draws the Illinois outline."""
    m = maps.base_map(tiles=False)
    m.get_root().render()
    script = _get_map_string(m)
    assert "tileLayer" not in script
    assert EXTERNAL.findall(script) == []
    assert maps.OUTLINE_COLOUR in script


def test_tiles_are_added_only_when_switched_on():
    """tiles=True adds the configured tile layer."""
    m = maps.base_map(tiles=True, tile_url="https://tiles.example.invalid/{z}/{x}/{y}.png")
    m.get_root().render()
    assert "tiles.example.invalid" in _get_map_string(m)


@pytest.mark.parametrize(
    ("name", "must_not_contain"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ('x" onmouseover="alert(1)', '" onmouseover'),
        ("a & b", "a & b"),
    ],
)
def test_popup_and_tooltip_escape_catalog_text(name, must_not_contain):
    """Names reach the map HTML-escaped, in the popup and in the tooltip."""
    point = maps.map_points([(resource(1, name=name), "Kind <i>", "Next: Tue <b>")])[0]
    for fragment in (point.popup_html, point.tooltip_html):
        assert must_not_contain not in fragment
    assert "<i>" not in point.popup_html and "<b>" not in point.popup_html
    assert 'href="/details?id=test-1"' in point.popup_html


def test_map_focuses_without_scrolling_the_page():
    """The base map swaps Leaflet's focus-on-press for one that does not scroll the page (first tap works)."""
    m = maps.base_map()
    m.get_root().render()
    script = _get_map_string(m)
    assert "focus({preventScroll: true})" in script
    assert "keyboard.disable();" in script and "keyboard.enable();" in script


@pytest.mark.parametrize(
    "value",
    ["</script><script>alert(1)</script>", "<!-- x", "it's", "a & b", "line\u2028separator", ["<b>", 1.5]],
)
def test_script_json_cannot_end_the_script(value):
    """Data put into a script keeps its value but holds no character that could close a tag or a string."""
    text = maps.script_json(value)
    assert json.loads(text) == value
    assert not set("<>&'\u2028") & set(text)


@pytest.mark.parametrize(
    ("resource_id", "href"),
    [
        ("test-1", "/details?id=test-1"),
        ("test:a.b_c", "/details?id=test%3Aa.b_c"),
        ("a b&c=d", "/details?id=a%20b%26c%3Dd"),
        ("it's(1)*!~", "/details?id=it's(1)*!~"),
    ],
)
def test_details_links_are_encoded_like_encode_uri_component(resource_id, href):
    """The Python link and the browser's encodeURIComponent give the same href, with no raw & or space."""
    assert maps.details_href(resource_id) == href


def test_markers_carry_escaped_pieces_and_the_popup_is_built_the_same_way():
    """The cluster script holds escaped names only, each label once; MapPoint.popup_html is popup_html()."""
    hostile = '<img src=x onerror="alert(1)"> & co'
    items = [(resource(n, name=f"{hostile} {n}"), "Support <group>", "Next: Tue") for n in range(1, 6)]
    points = maps.map_points(items, "Details")
    layers = maps.result_layers(points, kind_names={})
    js = _get_feature_group_string(layers[0], maps.base_map(), 0)
    assert "<img" not in js and 'onerror="' not in js
    # The kind label, escaped, sits once in the texts table, not once per marker.
    assert js.count("Support \\u0026lt;group\\u0026gt;") == 1
    assert "&lt;img" in points[0].name_html
    assert points[0].popup_html == maps.popup_html(items[0][0], "Support <group>", "Next: Tue", "Details")
    assert points[0].popup_html.count("<strong>") == 1 and "<img" not in points[0].popup_html


def test_one_layer_per_kind_with_its_colour_and_the_search_circle():
    """Two kinds give two clustered layers in their colours, plus the searched place with its radius."""
    points = maps.map_points(
        [(resource(1), "Support group", ""), (resource(2, category="treatment"), "Treatment", "")]
    )
    layers = maps.result_layers(
        points, kind_names={"support_group": "Meetings"}, place=(41.9, -87.6, "60614"), radius_miles=5
    )
    assert [layer.layer_name for layer in layers] == ["Meetings", "treatment", "60614"]
    m = maps.base_map()
    js = "".join(_get_feature_group_string(layer, m, idx) for idx, layer in enumerate(layers))
    assert maps.KIND_COLOURS["support_group"][0] in js and maps.KIND_COLOURS["treatment"][0] in js
    assert "L.markerClusterGroup" in js and "addLayers" in js
    assert "8046.72" in js  # 5 miles in metres


def test_resources_without_coordinates_get_no_marker():
    """An online meeting with no place is not put on the map."""
    points = maps.map_points(
        [(resource(1, latitude=None, longitude=None, geocode_precision="none"), "k", "")]
    )
    assert points == []


@pytest.mark.parametrize(
    ("coordinates", "zoom_range"),
    [
        ([], (6, 6)),
        ([(41.9, -87.6)], (15, 15)),
        ([(41.9, -87.6), (41.95, -87.65)], (11, 13)),
        ([(37.0, -91.0), (42.5, -87.5)], (5, 7)),
    ],
)
def test_fit_view_zooms_to_the_results(coordinates, zoom_range):
    """The view centres on the results and zooms in as far as they allow (Illinois when there are none)."""
    center, zoom = maps.fit_view(coordinates)
    assert zoom_range[0] <= zoom <= zoom_range[1]
    if coordinates:
        lats = [c[0] for c in coordinates]
        assert min(lats) <= center[0] <= max(lats)


def test_clicked_point_selects_every_listing_there():
    """A click at a shared address returns all the listings there and none elsewhere."""
    points = maps.map_points(
        [(resource(1), "k", ""), (resource(2, latitude=41.901), "k", ""), (resource(3), "k", "")]
    )
    assert maps.ids_at(points, 41.901, -87.6) == ["test-1", "test-2"]
    assert maps.ids_at(points, 40.0, -88.0) == []


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("312-555-0101", "tel:+13125550101"),
        ("(312) 555-0101 ext. 4", "tel:+13125550101;ext=4"),
        ("1-800-662-HELP", "tel:+18006624357"),
        ("833-2FINDHELP", "tel:+18332346343"),
        ("988, press 1", "tel:988"),
        ("text HOME to 741741", "sms:741741?&body=HOME"),
        ("988", "tel:988"),
        ("1-800-662-4357", "tel:+18006624357"),
        ("211", "tel:211"),
        ("call us", ""),
        ("12345", ""),
    ],
)
def test_tel_links(phone, expected):
    """US numbers (vanity ones too) become tel:+1… with any extension, short codes stay short, a text line
    gets an sms: link, anything else gives no link."""
    assert maps.tel_url(phone) == expected


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"address": "1 Generated Test Way", "city": "Chicago", "state": "IL", "zip": "60614"},
            "https://www.google.com/maps/dir/?api=1&destination=1%20Generated%20Test%20Way,%20Chicago,%20IL%2060614",
        ),
        (
            {"geocode_precision": "address"},
            "https://www.google.com/maps/dir/?api=1&destination=41.901000,-87.600000",
        ),
        ({}, ""),
    ],
)
def test_directions_use_the_address_or_exact_coordinates_only(extra, expected):
    """Directions go to the street address or exact coordinates, never to a ZIP centre."""
    assert maps.directions_url(resource(1, **extra)) == expected


def test_points_from_arrays_escape_name_when_and_age_and_the_script_builds_the_same_popup():
    """marker_points (the Find map's path) escapes every catalog piece; the age words reach the popup."""
    from types import SimpleNamespace

    hostile = '<img src=x onerror="alert(1)"> & co'
    texts = [SimpleNamespace(name=f"{hostile} {n}", when="Next: <b>Tue</b>", age="SAMHSA listing from 2021 <i>")
             for n in range(3)]  # fmt: skip
    points = maps.marker_points(
        ["test-1", "test-2", "test-3"], [41.9, 41.91, 41.92], [-87.6] * 3, ["support_group"] * 3, texts,
        kind_names={"support_group": "Support <group>"}, details_label="Details",
    )  # fmt: skip
    assert points[0].popup_html == (
        "<strong>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co 0</strong><br>Support &lt;group&gt;"
        "<br>Next: &lt;b&gt;Tue&lt;/b&gt;<br><small>SAMHSA listing from 2021 &lt;i&gt;</small>"
        '<br><a href="/details?id=test-1" target="_blank" rel="noopener">Details</a>'
    )
    js = _get_feature_group_string(maps.result_layers(points, kind_names={})[0], maps.base_map(), 0)
    assert "<img" not in js and "<i>" not in js and "<b>" not in js
    assert js.count("SAMHSA listing from 2021 \\u0026lt;i\\u0026gt;") == 1  # once in the texts table
    assert "'<br><small>' + texts[r[7]] + '</small>'" in js  # the browser joins the same pieces


def test_server_groups_carry_counts_and_a_named_badge_that_zooms_in():
    """A cluster layer holds one row per group with its count and accessible name; a press zooms in."""
    group = map_groups.cluster_layer(
        [41.9, 40.1], [-87.6, -89.4], [2500, 7], name="Groups", title="{count} here"
    )
    js = _get_feature_group_string(group, maps.base_map(), 0)
    assert '[41.9,-87.6,2500,"2,500 here"]' in js and '[40.1,-89.4,7,"7 here"]' in js
    assert "aftercare-server-cluster" in js and "map.setView(m.getLatLng()" in js
    assert "keypress" in js  # Enter on a focused badge zooms in as a click does


def test_the_base_map_loads_the_cluster_script_for_any_later_layer():
    """The first view may hold only server groups; a later one needs markercluster, loaded at mount."""
    m = maps.base_map()
    assert any("leaflet.markercluster.js" in src for _, src in m.default_js)
    assert maps.KIND_COLOURS.keys() >= {"harm_reduction", "health_center", "support_group", "treatment"}
