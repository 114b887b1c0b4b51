"""Folium maps of search results that draw with no internet, and links that open the phone's own apps.

Leaflet and Leaflet.markercluster are served by the app from static/ (at /app/static/...). The Find page
keeps one stable base map (`base_map`) and passes the changing markers as feature groups (`result_layers`)
to `st_folium(feature_group_to_add=...)`, so panning and zooming never reload the map. Every piece of
catalog text that reaches the map is HTML-escaped here; the browser only joins escaped pieces.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from directory import phones
from directory.schema import Resource

STATIC_URL = "/app/static"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR = f"{STATIC_URL}/vendor"
# No jQuery: nothing in these maps uses it, and streamlit-folium loads scripts one after another.
MAP_JS = [("leaflet", f"{VENDOR}/leaflet/leaflet.js")]
MAP_CSS = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{VENDOR}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{VENDOR}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{VENDOR}/leaflet.markercluster/MarkerCluster.Default.css"),
]
ILLINOIS_CENTER = (40.0, -89.2)
ILLINOIS_ZOOM = 6
OUTLINE_COLOUR = "#4a4a4a"
PLACE_COLOUR = "#111111"
DETAILS_PATH = "/details"
# Characters encodeURIComponent leaves as they are (besides letters, digits and "-_.~").
URI_COMPONENT_SAFE = "!'()*"
METRES_PER_MILE = 1609.344
MIN_ZOOM, MAX_ZOOM = 5, 18
MARKER_CAP = (
    2000  # more listings in view than this are drawn as groups counted on the server (markers.MAP_CAP)
)
CLUSTER_COLOUR = "#3a3f4b"  # server-made groups hold every kind: a neutral dark badge with a white count
# Kind -> (marker colour, Streamlit markdown colour used by the legend under the map). Distinct hues,
# each dark enough for white cluster counts (WCAG AA for large text).
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "support_group": ("#1c6fd1", "blue"),
    "recovery_housing": ("#1b8a3a", "green"),
    "treatment": ("#7b3fd9", "violet"),
    "crisis_line": ("#d42a2a", "red"),
    "government_program": ("#b35c00", "orange"),
    "national_resource": ("#5f6470", "gray"),
    "harm_reduction": ("#a3127a", "red"),
    "health_center": ("#8a6d00", "yellow"),
}


@dataclass(frozen=True)
class MapPoint:
    """One marker: where, which resource, and the HTML-escaped text of its tooltip and popup."""

    latitude: float
    longitude: float
    resource_id: str
    kind: str
    name_html: str
    kind_html: str = ""
    when_html: str = ""
    details_html: str = "Details"
    age_html: str = ""  # how old and how sure the listing is (freshness.certainty's words)

    @property
    def tooltip_html(self) -> str:
        """The tooltip: the escaped name."""
        return self.name_html

    @property
    def popup_html(self) -> str:
        """The popup the browser builds from this point's pieces (the same HTML as `popup_html()`)."""
        return _popup(
            self.name_html, self.kind_html, self.when_html, self.resource_id, self.details_html, self.age_html
        )


def details_href(resource_id: str) -> str:
    """The details page link of a resource, percent-encoded as JavaScript's encodeURIComponent does it."""
    return f"{DETAILS_PATH}?id={quote(resource_id, safe=URI_COMPONENT_SAFE)}"


def _popup(
    name_html: str, kind_html: str, when_html: str, resource_id: str, details_html: str, age_html: str = ""
) -> str:
    # Mirrored by popupHtml() in ResultCluster's script: change both together.
    parts = [f"<strong>{name_html}</strong>", kind_html]
    if when_html:
        parts.append(when_html)
    if age_html:
        parts.append(f"<small>{age_html}</small>")
    # A percent-encoded href holds none of " < > &, so it needs no HTML escaping.
    parts.append(f'<a href="{details_href(resource_id)}" target="_blank" rel="noopener">{details_html}</a>')
    return "<br>".join(parts)


def script_json(value: object) -> str:
    """JSON that is safe inside a script: no character of it can close a tag or start a comment."""
    text = json.dumps(value, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
    )


class RawScript:
    """A macro element whose rendered script is added to the page as it is. branca turns every rendered
    script into a new jinja template; with thousands of markers' data inside, that alone took ~80 ms."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for name, url in getattr(self, "default_js", []):
            figure.header.add_child(folium.JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", []):
            figure.header.add_child(folium.CssLink(url), name=name)
        text = str(self._template.module.__dict__["script"](self, kwargs))
        figure.script.add_child(_Text(text), name=self.get_name())


class _Text(folium.Element):
    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ResultCluster(RawScript, JSCSSMixin, folium.MacroElement):
    """Round markers of one kind in one Leaflet.markercluster group, built in the browser from a JSON array.

    Each marker is a row of numbers and already-escaped strings; its popup is put together only when it
    opens, so 5,000 markers cost a few hundred kilobytes, not one HTML popup each. Pressing Enter on a
    focused marker opens its popup and selects it, as a click does. Like folium's FastMarkerCluster, it
    keeps no Python marker objects, so `get_bounds()` is unavailable.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            // texts: escaped kind / when / link / age labels;
            // rows: [lat, lon, escaped name, id, kind, when, link, age].
            var texts = {{ this.texts_json }};
            var rows = {{ this.rows_json }};
            var colour = {{ this.colour|tojson }};
            var cluster = L.markerClusterGroup({
                chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
                iconCreateFunction: function(c) {
                    var n = c.getChildCount();
                    var size = n < 10 ? 32 : (n < 100 ? 38 : 46);
                    return L.divIcon({
                        html: '<div style="font:bold 13px sans-serif;background:' + colour + ';color:#fff;'
                            + 'border:2px solid #fff;box-sizing:border-box;border-radius:50%;width:' + size
                            + 'px;height:' + size + 'px;line-height:' + (size - 4) + 'px;text-align:center;'
                            + 'box-shadow:0 0 3px rgba(0,0,0,.6)">' + n + '</div>',
                        className: 'aftercare-cluster', iconSize: L.point(size, size)});
                }
            });
            var icon = L.divIcon({
                // 26 px: above WCAG 2.2's 24 px minimum target.
                className: 'aftercare-marker', iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12],
                tooltipAnchor: [12, 0],
                html: '<span style="display:block;box-sizing:border-box;width:26px;height:26px;border-radius:50%;'
                    + 'background:' + colour + ';border:3px solid #fff;box-shadow:0 0 2px 1px rgba(0,0,0,.55)"></span>'
            });
            // The same HTML as directory.maps._popup; every piece was escaped on the server. Built only
            // when the popup opens (Leaflet calls it with the marker).
            function popupHtml(m) {
                var r = m.aftercareRow;
                return '<strong>' + r[2] + '</strong><br>' + texts[r[4]]
                    + (texts[r[5]] ? '<br>' + texts[r[5]] : '')
                    + (texts[r[7]] ? '<br><small>' + texts[r[7]] + '</small>' : '')
                    + '<br><a href="{{ this.details_path }}?id=' + encodeURIComponent(r[3])
                    + '" target="_blank" rel="noopener">' + texts[r[6]] + '</a>';
            }
            var markers = new Array(rows.length);
            var names = document.createElement('textarea');
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                // Keyboard-focusable (Tab); the tooltip also opens on focus, Enter opens the popup.
                // The name as plain text for the title (the accessible name): r[2] is escaped HTML.
                names.innerHTML = r[2];
                var m = L.marker([r[0], r[1]], {icon: icon, keyboard: true, riseOnHover: true,
                                                title: names.textContent, alt: names.textContent});
                m.aftercareRow = r;
                m.bindTooltip(r[2]);
                m.bindPopup(popupHtml, {maxWidth: 280});
                markers[i] = m;
            }
            // Enter on a focused marker also selects its listing in the page, as a click does: the click is
            // told to the groups above the marker only, since the marker's own click would close its popup.
            cluster.on('keypress', function(e) {
                var m = e.propagatedFrom;
                if (m && m.aftercareRow && e.originalEvent.keyCode === 13) {
                    cluster.fire('click', {
                        latlng: m.getLatLng(), layer: m, propagatedFrom: m, originalEvent: e.originalEvent
                    }, true);
                }
            });
            cluster.addLayers(markers);
            cluster.addTo({{ this._parent.get_name() }});
            return cluster;
        })();
        {% endmacro %}
        """
    )
    default_js = CLUSTER_JS
    default_css = CLUSTER_CSS

    def __init__(self, points: Sequence[MapPoint], colour: str):
        super().__init__()
        self._name = "ResultCluster"
        self.colour = colour
        self.details_path = DETAILS_PATH
        texts: dict[str, int] = {}
        rows = [
            [
                round(p.latitude, 6),
                round(p.longitude, 6),
                p.name_html,
                p.resource_id,
                texts.setdefault(p.kind_html, len(texts)),
                texts.setdefault(p.when_html, len(texts)),
                texts.setdefault(p.details_html, len(texts)),
                texts.setdefault(p.age_html, len(texts)),
            ]
            for p in points
        ]
        # Serialised once here: st_folium renders the script twice, and jinja's tojson is slow at this size.
        self.texts_json = script_json(list(texts))
        self.rows_json = script_json(rows)


class _MapSetup(folium.MacroElement):
    """Runs before any marker is drawn: where the default marker images are, and a tap-friendly keyboard.

    Leaflet focuses the map on every mouse or touch press, so that the arrow keys pan it. A plain focus()
    makes Chromium scroll the whole map frame into view first, which moves a marker away from under the
    finger of someone looking at a partly scrolled map: the first tap did nothing. Focusing without
    scrolling keeps both the keyboard and the tap.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        f"L.Icon.Default.imagePath = '{VENDOR}/leaflet/images/';"
        # folium's page forbids zooming the page (WCAG 1.4.4): allow it.
        "document.querySelectorAll('meta[name=viewport]').forEach(function (m) {"
        " m.setAttribute('content', 'width=device-width, initial-scale=1.0'); });"
        """
        (function(map) {
            var keyboard = map.keyboard;
            if (keyboard && keyboard.enabled()) {
                keyboard.disable();
                keyboard._onMouseDown = function() {
                    if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
                };
                keyboard.enable();
            }
        })({{ this._parent.get_name() }});
        """
        "{% endmacro %}"
    )


@cache
def illinois_counties() -> dict:
    """Illinois county lines (US Census Bureau via us-atlas; static/build/make_basemap.py made the file)."""
    path = STATIC_DIR / "illinois-counties.geojson"
    return (
        json.loads(path.read_text(encoding="utf-8"))
        if path.is_file()
        else {"type": "FeatureCollection", "features": []}
    )


@cache
def illinois_towns() -> list:
    """[name, latitude, longitude, ZIP count] per Illinois town (the ZIP gazetteer, GeoNames via zipcodes)."""
    path = STATIC_DIR / "illinois-towns.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


class _TownNames(RawScript, folium.MacroElement):
    """Town names under the markers, more of them as the map zooms in (bigger towns, more ZIP codes, first).

    Text only (not focusable, hidden from screen readers): a backdrop, so a marker can be placed with the
    tiles off.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            var towns = {{ this.towns_json }};
            var layer = L.layerGroup().addTo(map);
            function minZoom(zips) { return zips >= 8 ? 7 : (zips >= 3 ? 9 : 11); }
            function draw() {
                layer.clearLayers();
                var z = map.getZoom(), view = map.getBounds().pad(0.2);
                for (var i = 0; i < towns.length; i++) {
                    var t = towns[i];
                    if (z < minZoom(t[3]) || !view.contains([t[1], t[2]])) continue;
                    var label = document.createElement('span');
                    label.textContent = t[0];
                    L.marker([t[1], t[2]], {interactive: false, keyboard: false, icon: L.divIcon({
                        className: 'aftercare-town', iconSize: null,
                        html: '<span aria-hidden="true" style="font:12px sans-serif;color:#333;white-space:nowrap;'
                            + 'text-shadow:0 0 2px #fff,0 0 2px #fff">' + label.innerHTML + '</span>'})
                    }).addTo(layer);
                }
            }
            map.on('zoomend moveend', draw);
            draw();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, towns: list):
        super().__init__()
        self._name = "TownNames"
        self.towns_json = script_json(towns)


@cache
def illinois_outline() -> dict:
    """The Illinois outline (US Census Bureau via us-atlas) drawn under the markers."""
    return json.loads((STATIC_DIR / "illinois.geojson").read_text(encoding="utf-8"))


def base_map(*, tiles: bool = False, tile_url: str = "", tile_attribution: str = "") -> folium.Map:
    """The map every result layer is drawn on: offline assets, the Illinois outline, tiles only if asked.

    It depends only on the tile setting, so the same settings give the same map and st_folium keeps it
    mounted (and keeps the user's pan and zoom) across reruns.
    """
    m = folium.Map(location=ILLINOIS_CENTER, zoom_start=ILLINOIS_ZOOM, tiles=None, control_scale=True)
    # Without a tile layer Leaflet has no maxZoom, and markercluster refuses to start without one.
    m.options.update(max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM)
    # The cluster script too: st_folium loads scripts only when the map mounts, and a later rerun may
    # bring the first clustered layer.
    m.default_js = [*MAP_JS, *CLUSTER_JS]
    m.default_css = [*MAP_CSS, *CLUSTER_CSS]
    m.add_child(_MapSetup())
    if tiles and tile_url:
        folium.TileLayer(tiles=tile_url, attr=tile_attribution or tile_url, name="Street map").add_to(m)
    folium.GeoJson(
        illinois_outline(),
        name="Illinois",
        control=False,
        interactive=False,
        style_function=lambda feature: {"color": OUTLINE_COLOUR, "weight": 2, "fillOpacity": 0.04},
    ).add_to(m)
    folium.GeoJson(
        illinois_counties(),
        name="Counties",
        control=False,
        interactive=False,
        style_function=lambda feature: {
            "color": "#8a8a8a",
            "weight": 1,
            "fillOpacity": 0,
            "dashArray": "3 3",
        },
    ).add_to(m)
    m.add_child(_TownNames(illinois_towns()))
    return m


def marker_points(
    ids: Sequence[str],
    latitude: Sequence[float],
    longitude: Sequence[float],
    kinds: Sequence[str],
    texts: Sequence,
    *,
    kind_names: dict[str, str],
    details_label: str = "Details",
) -> list[MapPoint]:
    """Markers from the index's arrays (`directory.markers.Markers`) and their popup texts (objects with
    name, when and age: `directory.markers.popups`): every piece of catalog text HTML-escaped here."""
    escape = html.escape
    details_html = escape(details_label)
    kind_html = {k: escape(v) for k, v in kind_names.items()}
    ages: dict[str, str] = {}
    return [
        MapPoint(
            float(lat),
            float(lon),
            rid,
            kind,
            escape(text.name),
            kind_html.get(kind) or escape(kind),
            escape(text.when) if text.when else "",
            details_html,
            ages.get(text.age) or ages.setdefault(text.age, escape(text.age)),
        )
        for rid, lat, lon, kind, text in zip(ids, latitude, longitude, kinds, texts)
    ]


def popup_html(resource: Resource, kind_label: str, when: str = "", details_label: str = "Details") -> str:
    """The popup of one marker: name, kind, next meeting or hours, and a link to its details page."""
    escape = html.escape
    return _popup(escape(resource.name), escape(kind_label), escape(when), resource.id, escape(details_label))


def map_points(items: Iterable[tuple[Resource, str, str]], details_label: str = "Details") -> list[MapPoint]:
    """Markers for the (resource, kind label, when text) items that have coordinates."""
    escape = html.escape
    details_html = escape(details_label)
    kinds: dict[str, str] = {}  # the same few labels for thousands of markers: escape each once
    return [
        MapPoint(
            r.latitude,
            r.longitude,
            r.id,
            r.category,
            escape(r.name),
            kinds.get(kind_label) or kinds.setdefault(kind_label, escape(kind_label)),
            escape(when) if when else "",
            details_html,
        )
        for r, kind_label, when in items
        if r.has_location
    ]


def result_layers(
    points: Sequence[MapPoint],
    *,
    kind_names: dict[str, str],
    place: tuple[float, float, str] | None = None,
    radius_miles: float | None = None,
) -> list[folium.FeatureGroup]:
    """One feature group per kind (for st_folium's feature_group_to_add), plus the searched place and radius.

    `kind_names` gives each kind's layer name; `place` is (latitude, longitude, label).
    """
    layers: list[folium.FeatureGroup] = []
    for kind, (colour, _) in KIND_COLOURS.items():
        chosen = [p for p in points if p.kind == kind]
        if not chosen:
            continue
        group = folium.FeatureGroup(name=kind_names.get(kind, kind))
        ResultCluster(chosen, colour).add_to(group)
        layers.append(group)
    if place is not None:
        lat, lon, label = place
        group = folium.FeatureGroup(name=label or "search")
        shapes: list[folium.Path] = []
        if radius_miles:
            shapes.append(
                folium.Circle(
                    [lat, lon],
                    radius=radius_miles * METRES_PER_MILE,
                    color=PLACE_COLOUR,
                    weight=2,
                    dash_array="6 6",
                    fill=False,
                )
            )
        shapes.append(
            folium.CircleMarker(
                [lat, lon],
                radius=7,
                color=PLACE_COLOUR,
                weight=3,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1,
            )
        )
        for shape in shapes:
            # Not clickable: a click on the searched place must not count as choosing a listing.
            shape.options["interactive"] = False
            shape.add_to(group)
        layers.append(group)
    return layers


def fit_view(
    coordinates: Sequence[tuple[float, float]],
    *,
    place: tuple[float, float] | None = None,
    radius_miles: float | None = None,
    width_px: int = 700,
    height_px: int = 500,
    max_zoom: int = 15,
) -> tuple[tuple[float, float], int]:
    """The centre and zoom that show every coordinate (and the search circle) on a map of the given size."""
    lats = [c[0] for c in coordinates]
    lons = [c[1] for c in coordinates]
    if place is not None:
        lats.append(place[0])
        lons.append(place[1])
        if radius_miles:
            dlat = radius_miles / 69.0
            dlon = radius_miles / (69.0 * max(math.cos(math.radians(place[0])), 0.1))
            lats += [place[0] - dlat, place[0] + dlat]
            lons += [place[1] - dlon, place[1] + dlon]
    if not lats:
        return ILLINOIS_CENTER, ILLINOIS_ZOOM
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    center = ((south + north) / 2, (west + east) / 2)

    def mercator_y(lat: float) -> float:
        s = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
        return math.log((1 + s) / (1 - s)) / 2

    # Web-Mercator: at zoom z the world is 256 * 2**z pixels wide; keep a 10% margin.
    lon_span = max(east - west, 1e-6) / 360
    lat_span = max(mercator_y(north) - mercator_y(south), 1e-6) / (2 * math.pi)
    zoom_x = math.log2(width_px * 0.9 / 256 / lon_span)
    zoom_y = math.log2(height_px * 0.9 / 256 / lat_span)
    zoom = int(max(3, min(max_zoom, math.floor(min(zoom_x, zoom_y)))))
    return (round(center[0], 6), round(center[1], 6)), zoom


def ids_at(
    points: Sequence[MapPoint], latitude: float, longitude: float, tolerance: float = 1e-5
) -> list[str]:
    """Ids of the markers at a clicked point (several meetings often share one address)."""
    return [
        p.resource_id
        for p in points
        if abs(p.latitude - latitude) <= tolerance and abs(p.longitude - longitude) <= tolerance
    ]


def directions_url(resource: Resource) -> str:
    """A link that opens the phone's maps app with directions to the resource; "" when it has no place.

    Uses the street address when there is one; coordinates only when they are the address's own
    (a ZIP or city centre would send someone to the wrong door).
    """
    if resource.address:
        text = ", ".join(
            p for p in (resource.address, resource.city, f"{resource.state} {resource.zip}".strip()) if p
        )
        destination = text
    elif resource.has_location and resource.geocode_precision == "address":
        destination = f"{resource.latitude:.6f},{resource.longitude:.6f}"
    else:
        return ""
    return "https://www.google.com/maps/dir/?api=1&destination=" + quote(destination, safe=",")


def tel_url(phone: str) -> str:
    """A tap-to-call `tel:` link (RFC 3966, with `;ext=`) or a tap-to-text `sms:` link; "" when it is not one."""
    return phones.href(phone)
