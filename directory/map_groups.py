"""Groups of listings counted on the server (`directory.markers`), drawn on the Find page's map as numbered
badges when more listings are in view than the map draws one by one."""

from __future__ import annotations

from collections.abc import Sequence

import folium
from folium.template import Template

from directory.maps import CLUSTER_COLOUR, MAX_ZOOM, RawScript, script_json


class ServerClusters(RawScript, folium.MacroElement):
    """Groups counted on the server (`directory.markers`), one round badge each with its count.

    Drawn when more listings are in view than the map draws one by one. A badge is focusable and named
    ("1,234 listings here, zoom in to see them"); a click, a tap or Enter zooms in on it, and the page then
    draws the listings of the new view.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var rows = {{ this.rows_json }};  // [lat, lon, count, accessible name]
            var layer = L.layerGroup();
            var map = {{ this._parent._parent.get_name() }};
            rows.forEach(function(r) {
                var n = r[2], size = n < 100 ? 36 : (n < 1000 ? 44 : 52);
                var m = L.marker([r[0], r[1]], {keyboard: true, title: r[3], alt: r[3], icon: L.divIcon({
                    className: 'aftercare-cluster aftercare-server-cluster', iconSize: L.point(size, size),
                    html: '<div style="font:bold 13px sans-serif;background:{{ this.colour }};color:#fff;'
                        + 'border:2px solid #fff;box-sizing:border-box;border-radius:50%;width:' + size
                        + 'px;height:' + size + 'px;line-height:' + (size - 4) + 'px;text-align:center;'
                        + 'box-shadow:0 0 3px rgba(0,0,0,.6)">' + n.toLocaleString('en-US') + '</div>'})});
                function zoomIn() { map.setView(m.getLatLng(), Math.min(map.getZoom() + 2, {{ this.max_zoom }})); }
                m.on('click', zoomIn);
                m.on('keypress', function(e) { if (e.originalEvent.keyCode === 13) { zoomIn(); } });
                m.addTo(layer);
            });
            layer.addTo({{ this._parent.get_name() }});
            return layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, rows: Sequence[Sequence], colour: str = CLUSTER_COLOUR):
        super().__init__()
        self._name = "ServerClusters"
        self.colour = colour
        self.max_zoom = MAX_ZOOM
        self.rows_json = script_json([list(r) for r in rows])


def cluster_layer(
    latitude: Sequence[float], longitude: Sequence[float], count: Sequence[int], *, name: str, title: str
) -> folium.FeatureGroup:
    """The feature group of server-made groups; `title` is the accessible name with a `{count}` placeholder."""
    rows = [
        [round(float(lat), 5), round(float(lon), 5), int(n), title.format(count=f"{int(n):,}")]
        for lat, lon, n in zip(latitude, longitude, count)
    ]
    group = folium.FeatureGroup(name=name)
    ServerClusters(rows).add_to(group)
    return group
