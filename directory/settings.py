"""What the app may fetch from the internet: online address search, a street-map tile layer, and (for a
signed-in curator) the live feeds of data/sources.toml.

All are off by default, so the app works with no network; `AFTERCARE_ONLINE=1` switches them on for
every visitor, and a visitor may switch each on for their own session.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

ONLINE_ENV = "AFTERCARE_ONLINE"
TILE_URL_ENV = "AFTERCARE_TILE_URL"
TILE_ATTRIBUTION_ENV = "AFTERCARE_TILE_ATTRIBUTION"
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
GEOCODER_USER_AGENT = "illinois-aftercare-directory/1.0 (https://github.com/illinois-aftercare-directory)"
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """The network settings of one session; `replace()` gives a changed copy."""

    online_geocoding: bool = False
    map_tiles: bool = False
    tile_url: str = OSM_TILE_URL
    tile_attribution: str = OSM_ATTRIBUTION
    live_feeds: bool = False  # a curator's refresh from the feeds of data/sources.toml

    @property
    def offline(self) -> bool:
        return not (self.online_geocoding or self.map_tiles or self.live_feeds)

    def replace(self, **changes: object) -> Settings:
        return replace(self, **changes)


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """The deployment's defaults: everything off unless AFTERCARE_ONLINE is 1/true/yes/on.

    AFTERCARE_TILE_URL (an https URL with {z}/{x}/{y}) and AFTERCARE_TILE_ATTRIBUTION choose another
    tile server, such as one run inside the clinic's network.
    """
    env = os.environ if environ is None else environ
    online = env.get(ONLINE_ENV, "").strip().lower() in _TRUE
    url = env.get(TILE_URL_ENV, "").strip()
    if not (url.startswith("https://") or url.startswith("http://")) or "{z}" not in url:
        url = OSM_TILE_URL
    attribution = env.get(TILE_ATTRIBUTION_ENV, "").strip() or (
        OSM_ATTRIBUTION if url == OSM_TILE_URL else url
    )
    return Settings(
        online_geocoding=online,
        map_tiles=online,
        tile_url=url,
        tile_attribution=attribution,
        live_feeds=online,
    )
