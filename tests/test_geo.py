"""Tests of directory.geo: offline ZIP and city lookup, distances, and the opt-in Nominatim geocoder.

The geocoder is tested against a local HTTP server on 127.0.0.1 that answers like Nominatim's /search;
its one "address" is a generated test record, not a real place.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from geopy.distance import great_circle

from directory.geo import (
    ILLINOIS_CENTER,
    GeocodingUnavailable,
    OnlineGeocoder,
    Place,
    PlaceNotFound,
    county_for_zip,
    distance_miles,
    haversine_miles,
    in_region,
    locate_offline,
    lookup_place,
)


def not_found_message(text: str) -> str:
    return f"We couldn't find '{text.strip()[:60]}' — try a 5-digit ZIP code or a city name"


def zip_point(zip_code: str) -> tuple[float, float]:
    place = lookup_place(zip_code)
    return place.latitude, place.longitude


# text, label, city, zip, precision, a ZIP of that city the point must lie within 10 miles of
FOUND = [
    ("60614", "60614 (Chicago)", "Chicago", "60614", "zip", "60614"),
    ("60614-1234", "60614 (Chicago)", "Chicago", "60614", "zip", "60614"),
    (" 62701 ", "62701 (Springfield)", "Springfield", "62701", "zip", "62701"),
    ("Chicago", "Chicago, IL", "Chicago", "", "city", "60601"),
    ("chicago il", "Chicago, IL", "Chicago", "", "city", "60601"),
    ("CHICAGO, IL.", "Chicago, IL", "Chicago", "", "city", "60601"),
    ("Chicago Illinois", "Chicago, IL", "Chicago", "", "city", "60601"),
    ("  chicago ,   il ", "Chicago, IL", "Chicago", "", "city", "60601"),
    ("St. Charles", "Saint Charles, IL", "Saint Charles", "", "city", "60174"),
    ("Saint Charles IL", "Saint Charles, IL", "Saint Charles", "", "city", "60174"),
    ("st charles", "Saint Charles, IL", "Saint Charles", "", "city", "60174"),
    ("Mt. Prospect", "Mount Prospect, IL", "Mount Prospect", "", "city", "60056"),
    ("Mount Prospect", "Mount Prospect, IL", "Mount Prospect", "", "city", "60056"),
    ("East St. Louis", "East Saint Louis, IL", "East Saint Louis", "", "city", "62201"),
    ("Springfield", "Springfield, IL", "Springfield", "", "city", "62701"),
    ("O'Fallon", "O Fallon, IL", "O Fallon", "", "city", "62269"),
    ("Arlington Hts", "Arlington Heights, IL", "Arlington Heights", "", "city", "60004"),
    ("Gary, IN", "Gary, IN", "Gary", "", "city", "46402"),
    ("gary indiana", "Gary, IN", "Gary", "", "city", "46402"),
    ("St. Louis, MO", "Saint Louis, MO", "Saint Louis", "", "city", "63101"),
    ("Chicago, IL 60614", "60614 (Chicago)", "Chicago", "60614", "zip", "60614"),
]


@pytest.mark.parametrize(("text", "label", "city", "zip_code", "precision", "anchor"), FOUND)
def test_lookup_place_finds_zips_and_cities(text, label, city, zip_code, precision, anchor):
    """It places ZIPs, ZIP+4 and city names however they are written, near the right city."""
    place = lookup_place(text)
    assert (place.label, place.city, place.zip, place.precision) == (label, city, zip_code, precision)
    assert distance_miles(place.latitude, place.longitude, *zip_point(anchor)) < 10
    assert in_region(place.latitude, place.longitude)
    # Negative: a city name never yields ZIP precision, and a ZIP never city precision.
    assert place.precision == ("zip" if zip_code else "city")


def test_springfield_alone_is_springfield_illinois():
    """An unqualified "Springfield" is the Illinois capital, not Springfield, MO."""
    place = lookup_place("Springfield")
    assert place.latitude == pytest.approx(39.8, abs=0.1)
    assert place.county == "Sangamon"
    assert lookup_place("Springfield, MO").latitude == pytest.approx(37.2, abs=0.2)


def test_city_point_is_mean_of_its_standard_zips_not_its_aliases():
    """Rosemont is only an alias of Des Plaines ZIPs and still resolves, as a city named Rosemont."""
    place = lookup_place("Rosemont")
    assert (place.label, place.precision, place.county) == ("Rosemont, IL", "city", "Cook")
    assert place.label != "Des Plaines, IL"


GARBAGE = "".join(chr(33 + (i * 7) % 90) for i in range(2000))
NOT_FOUND = [
    "",
    "   ",
    "00000",
    "99999",
    "6061",
    "Atlantis",
    "<script>",
    "Gary",  # a city outside Illinois must be named with its state
    "Chicago, IN",  # and the state is not swapped for Illinois when it is wrong
    GARBAGE,
    "🏠🙂",
    "\x00\x1b[31m",
]


@pytest.mark.parametrize("text", NOT_FOUND, ids=lambda t: repr(t[:12]))
def test_lookup_place_rejects_unknown_text_with_the_user_message(text):
    """Empty, unknown or hostile text raises PlaceNotFound with the exact user message, nothing else."""
    with pytest.raises(PlaceNotFound) as caught:
        lookup_place(text)
    assert type(caught.value) is PlaceNotFound  # not GeocodingUnavailable: nothing was asked online
    if text.isprintable():
        assert str(caught.value) == not_found_message(text)
    assert len(caught.value.text) <= 60
    assert not any(ch in str(caught.value) for ch in "\x00\x1b")


def test_not_found_message_truncates_long_text_to_60_characters():
    """The echoed text is cut at 60 characters so a pasted page cannot flood the message."""
    with pytest.raises(PlaceNotFound) as caught:
        lookup_place(GARBAGE)
    assert f"'{GARBAGE[:60]}'" in str(caught.value)
    assert GARBAGE[:61] not in str(caught.value)


def test_street_address_without_geocoder_falls_back_to_its_trailing_zip():
    """Offline, an address ending in a ZIP is placed at that ZIP's centre; without a ZIP it is not found."""
    place = lookup_place("1 Generated Test Road, Chicago, IL 60614")
    assert (place.precision, place.zip) == ("zip", "60614")
    with pytest.raises(PlaceNotFound):
        lookup_place("1 Generated Test Road, Chicago")


@pytest.mark.parametrize(
    ("zip_code", "city", "state", "expected"),
    [
        ("60614", "Springfield", "IL", ("zip", "60614", "Chicago")),  # the ZIP beats the city
        (" 60614 ", "", "IL", ("zip", "60614", "Chicago")),
        ("6061", "Springfield", "IL", ("city", "", "Springfield")),  # a bad ZIP falls back to the city
        ("99999", "Springfield", "IL", ("city", "", "Springfield")),
        ("", "st. charles", "il", ("city", "", "Saint Charles")),
        ("", "Springfield", "", ("city", "", "Springfield")),
        ("", "Gary", "IN", ("city", "", "Gary")),
        ("", "Gary", "IL", None),
        ("", "", "IL", None),
        ("abcde", "Atlantis", "IL", None),
        ("", "Chicago", "XX", None),
    ],
)
def test_locate_offline_prefers_zip_then_city(zip_code, city, state, expected):
    """Importers get the ZIP's centre, else the city's, else None; bad cells never raise."""
    place = locate_offline(zip_code, city, state)
    if expected is None:
        assert place is None
    else:
        assert (place.precision, place.zip, place.city) == expected
        assert place.precision != "address"


def test_locate_offline_accepts_empty_and_missing_cells():
    """None cells, as a spreadsheet reader may give, return None instead of raising."""
    assert locate_offline(None, None, None) is None  # type: ignore[arg-type]
    assert locate_offline() is None


@pytest.mark.parametrize(
    ("zip_code", "county"),
    [("60614", "Cook"), ("62701", "Sangamon"), ("62201", "St. Clair"), ("46402", "Lake"), ("00000", ""),
     ("", ""), ("abcde", ""), ("60614-1234", "Cook")],
)  # fmt: skip
def test_county_for_zip(zip_code, county):
    """It names the county without the word County, and "" when the ZIP is unknown."""
    assert county_for_zip(zip_code) == county
    assert "County" not in county_for_zip(zip_code)


def test_haversine_matches_great_circle_between_chicago_loop_and_springfield():
    """The Loop (60601) to Springfield (62701) is about 180 miles, within 0.5% of geopy's great circle."""
    loop, capitol = zip_point("60601"), zip_point("62701")
    miles = distance_miles(*loop, *capitol)
    assert 175 <= miles <= 190  # GeoNames ZIP centres: about 179 miles
    assert miles == pytest.approx(great_circle(loop, capitol).miles, rel=0.005)
    assert distance_miles(*capitol, *loop) == pytest.approx(miles)


def test_haversine_is_vectorised_and_nan_stays_local():
    """A NaN coordinate gives NaN at its own position only; a point is 0 miles from itself."""
    lat, lon = ILLINOIS_CENTER
    out = haversine_miles(lat, lon, np.array([lat, np.nan, 41.88]), np.array([lon, -88.0, np.nan]))
    assert out.shape == (3,)
    assert out[0] == pytest.approx(0.0, abs=1e-9)
    assert math.isnan(out[1]) and math.isnan(out[2])
    assert not np.isnan(haversine_miles(lat, lon, np.array([41.88, 39.8]), np.array([-87.63, -89.65]))).any()


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [(*ILLINOIS_CENTER, True), (38.63, -90.2, True), (40.71, -74.0, False), (-89.2, 40.0, False),
     (float("nan"), -89.2, False)],
)  # fmt: skip
def test_in_region(lat, lon, inside):
    """Illinois and its neighbours are in the region; New York and swapped coordinates are not."""
    assert in_region(lat, lon) is inside


# A local stand-in for Nominatim's /search. Its one result is a generated test record.
TEST_HIT = {
    "place_id": 1,
    "lat": "41.9229",
    "lon": "-87.6483",
    "display_name": "1, Generated Test Road, Chicago, Cook County, Illinois, 60614, United States",
    "address": {
        "house_number": "1",
        "road": "Generated Test Road",
        "city": "Chicago",
        "county": "Cook County",
        "state": "Illinois",
        "postcode": "60614-0000",
        "country_code": "us",
    },
}


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers "…hit…" with TEST_HIT, "…boom…" with HTTP 500, anything else with no result."""

    def do_GET(self):
        params = parse_qs(urlparse(self.path).query)
        self.server.requests.append((params, time.monotonic()))
        query = params.get("q", [""])[0]
        if "boom" in query:
            self.send_error(500)
            return
        body = json.dumps([TEST_HIT] if "hit" in query else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim():
    """A FakeNominatim server on a free 127.0.0.1 port; `requests` lists (query params, arrival time)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def geocoder_for(server, **kwargs) -> OnlineGeocoder:
    kwargs.setdefault("min_interval", 0.0)
    return OnlineGeocoder(domain=f"127.0.0.1:{server.server_address[1]}", scheme="http", **kwargs)


def test_geocoder_hit_is_an_address_place_restricted_to_the_us(nominatim):
    """A result becomes an address-precision Place; the request asks for US results near Illinois."""
    place = geocoder_for(nominatim).geocode("1 Generated Test Road hit")
    assert place == Place(41.9229, -87.6483, "1 Generated Test Road, Chicago, IL", "address", "60614",
                          "Chicago", "Cook")  # fmt: skip
    params = nominatim.requests[0][0]
    assert params["countrycodes"] == ["us"]
    assert "viewbox" in params
    assert params.get("bounded", ["0"]) != ["1"]  # Illinois is preferred, not required


def test_geocoder_miss_is_none_and_lookup_place_says_not_found(nominatim):
    """No result is None from the geocoder and plain PlaceNotFound from lookup_place."""
    geocoder = geocoder_for(nominatim)
    assert geocoder.geocode("1 Generated Test Road nowhere") is None
    with pytest.raises(PlaceNotFound) as caught:
        lookup_place("1 Generated Test Road nowhere", geocoder=geocoder)
    assert type(caught.value) is PlaceNotFound
    assert str(caught.value) == not_found_message("1 Generated Test Road nowhere")


def test_geocoder_server_error_is_geocoding_unavailable(nominatim):
    """An HTTP 500 raises GeocodingUnavailable, a PlaceNotFound with the 'try a ZIP' message."""
    geocoder = geocoder_for(nominatim)
    with pytest.raises(GeocodingUnavailable) as caught:
        lookup_place("1 Generated Test Road boom", geocoder=geocoder)
    assert isinstance(caught.value, PlaceNotFound)
    assert str(caught.value).startswith("Address search is unavailable right now (")
    assert str(caught.value).endswith("). Try a ZIP code or city name.")
    assert "Traceback" not in str(caught.value)


def test_geocoder_failure_falls_back_to_a_trailing_zip(nominatim):
    """When the service fails, an address ending in a ZIP is still placed at the ZIP's centre."""
    place = lookup_place("1 Generated Test Road boom, Chicago 60614", geocoder=geocoder_for(nominatim))
    assert (place.precision, place.zip) == ("zip", "60614")
    assert len(nominatim.requests) == 1


def test_geocoder_caches_hits_and_misses(nominatim):
    """Asking again, in any spacing or case, is answered from the cache without a request."""
    geocoder = geocoder_for(nominatim)
    first = geocoder.geocode("1 Generated Test Road hit")
    assert geocoder.geocode("  1 generated test road   HIT ") == first
    assert geocoder.geocode("no such place") is None
    assert geocoder.geocode("no such place") is None
    assert len(nominatim.requests) == 2


def test_geocoder_spaces_requests_at_least_min_interval_apart(nominatim):
    """Two different queries reach the server at least one second apart (Nominatim's policy)."""
    geocoder = geocoder_for(nominatim, min_interval=1.0)
    geocoder.geocode("hit one")
    geocoder.geocode("hit two")
    (_, first), (_, second) = nominatim.requests
    assert second - first >= 1.0


def test_lookup_place_asks_the_geocoder_only_when_offline_lookup_fails(nominatim):
    """ZIPs and cities never reach the geocoder; an address does, and comes back as an address."""
    geocoder = geocoder_for(nominatim)
    for text in ("60614", "Chicago", "St. Charles IL", "Gary, IN", "Chicago, IL 60614"):
        assert lookup_place(text, geocoder=geocoder).precision in ("zip", "city")
    assert nominatim.requests == []
    assert lookup_place("1 Generated Test Road hit", geocoder=geocoder).precision == "address"
    assert len(nominatim.requests) == 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_geocoder_on_a_closed_port_is_unavailable():
    """Nothing listening means GeocodingUnavailable saying there is no connection."""
    geocoder = OnlineGeocoder(domain=f"127.0.0.1:{free_port()}", scheme="http", min_interval=0.0)
    with pytest.raises(GeocodingUnavailable, match=r"\(no connection\)"):
        geocoder.geocode("1 Generated Test Road")
    assert geocoder.cache == {}  # a failure is not remembered as a miss


def test_geocoder_does_not_retry_a_silent_server():
    """A server that accepts but never answers gets exactly one connection, so a timeout is paid once."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # connections complete in the backlog; nobody ever answers them
        geocoder = OnlineGeocoder(
            domain=f"127.0.0.1:{listener.getsockname()[1]}", scheme="http", timeout=0.3, min_interval=0.0
        )
        with pytest.raises(GeocodingUnavailable):
            geocoder.geocode("1 Generated Test Road")
        listener.setblocking(False)
        accepted = []
        while True:
            try:
                accepted.append(listener.accept()[0])
            except BlockingIOError:
                break
        for conn in accepted:
            conn.close()
    assert len(accepted) == 1


@pytest.fixture
def tripwire(monkeypatch):
    """Every socket connection attempt is recorded and refused."""
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("test tripwire: no network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_lookup_place_without_geocoder_opens_no_socket(tripwire):
    """Without a geocoder nothing, found or not, address-like or not, tries to connect anywhere."""
    for text in ("60614", "Chicago", "Gary, IN", "1 Generated Test Road, Chicago 60614"):
        lookup_place(text)
    for text in ("1 Generated Test Road, Chicago", "Atlantis", ""):
        with pytest.raises(PlaceNotFound):
            lookup_place(text)
    assert tripwire == []


def test_tripwire_catches_a_geocoder_request(tripwire):
    """The tripwire above is real: a geocoder request is caught by it and reported as unavailable."""
    geocoder = OnlineGeocoder(domain="127.0.0.1:9", scheme="http", min_interval=0.0)
    with pytest.raises(GeocodingUnavailable):
        lookup_place("1 Generated Test Road", geocoder=geocoder)
    assert tripwire != []
