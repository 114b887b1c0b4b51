"""Network settings: offline unless the deployment or the visitor switches them on."""

import pytest

from directory.settings import OSM_TILE_URL, from_env


@pytest.mark.parametrize(
    ("environ", "online"),
    [
        ({}, False),
        ({"AFTERCARE_ONLINE": "0"}, False),
        ({"AFTERCARE_ONLINE": "1"}, True),
        ({"AFTERCARE_ONLINE": "yes"}, True),
    ],
)
def test_online_only_when_the_environment_says_so(environ, online):
    """Geocoding and tiles are both off by default and both on with AFTERCARE_ONLINE=1."""
    settings = from_env(environ)
    assert (settings.online_geocoding, settings.map_tiles) == (online, online)
    assert settings.offline is not online


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://tiles.example.invalid/{z}/{x}/{y}.png", "https://tiles.example.invalid/{z}/{x}/{y}.png"),
        ("javascript:alert(1)", OSM_TILE_URL),
        ("https://tiles.example.invalid/no-placeholders.png", OSM_TILE_URL),
    ],
)
def test_tile_url_must_be_a_web_tile_template(url, expected):
    """A custom tile URL is used only when it is http(s) with {z}; otherwise OpenStreetMap's."""
    assert from_env({"AFTERCARE_TILE_URL": url}).tile_url == expected
