"""Places and distances: offline ZIP and city lookup, an optional online geocoder, great-circle miles.

ZIP and city coordinates come from the `zipcodes` package, whose data is from GeoNames (CC BY 4.0).
The online geocoder (OpenStreetMap Nominatim) is only used when the caller passes one in.
"""

from __future__ import annotations

import math
import re
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import TYPE_CHECKING

import numpy as np
import zipcodes
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable, GeopyError

from directory.schema import REGION_BOUNDS

if TYPE_CHECKING:
    from geopy.location import Location

ILLINOIS_CENTER = (40.0, -89.2)
EARTH_RADIUS_MILES = 3958.8
# Illinois first; neighbours are only searched when the text names their state.
STATES = {
    "il": "illinois",
    "in": "indiana",
    "wi": "wisconsin",
    "ia": "iowa",
    "mo": "missouri",
    "ky": "kentucky",
}
_STATE_BY_WORD = {**{k: k.upper() for k in STATES}, **{v: k.upper() for k, v in STATES.items()}}
_STATE_CODE_BY_NAME = {v.title(): k.upper() for k, v in STATES.items()}
# Written variants of the same word, so "St. Charles", "Saint Charles" and "st charles" meet.
_WORD_VARIANTS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "hts": "heights"}
_FIRST_WORD_VARIANTS = {"n": "north", "s": "south", "e": "east", "w": "west"}
_ZIP_RE = re.compile(r"^(\d{5})(?:-\d{4})?$")
_TRAILING_ZIP_RE = re.compile(r"^(.*?)[\s,]*\b(\d{5})(?:-\d{4})?$")
_MAX_QUERY = 300  # longer text is neither a place nor an address


@dataclass(frozen=True)
class Place:
    """A point a person searched from, with how precise it is ("address", "zip" or "city")."""

    latitude: float
    longitude: float
    label: str
    precision: str
    zip: str = ""
    city: str = ""
    county: str = ""  # without the word "County"


class PlaceNotFound(ValueError):
    """The text is not a ZIP code, city or address we can place; the message is shown to the user."""

    def __init__(self, text: str, message: str | None = None) -> None:
        self.text = re.sub(r"[\x00-\x1f\x7f]", "", str(text or "")).strip()[:60]
        super().__init__(message or f"We couldn't find '{self.text}' — try a 5-digit ZIP code or a city name")


class GeocodingUnavailable(PlaceNotFound):
    """Address search was asked for but the online service could not be reached or failed."""

    def __init__(self, text: str, reason: str = "no connection") -> None:
        super().__init__(
            text, f"Address search is unavailable right now ({reason}). Try a ZIP code or city name."
        )


def _words(text: str) -> list[str]:
    """Lower-case ASCII words, punctuation dropped, St/Mt/Ft and a leading N/S/E/W spelled out."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [_WORD_VARIANTS.get(w, w) for w in re.sub(r"[^a-z0-9]+", " ", text.replace("'", "")).split()]
    if len(words) > 1:
        words[0] = _FIRST_WORD_VARIANTS.get(words[0], words[0])
    return words


def _key(words: list[str]) -> str:
    # Spaces dropped too, so "O'Fallon" meets "O Fallon" and "DeKalb" meets "De Kalb".
    return "".join(words)


def _county(record: dict) -> str:
    return re.sub(r"\s+County$", "", record.get("county") or "").strip()


@cache
def _cities() -> dict[tuple[str, str], dict]:
    """(city key, state) -> {"name", "main": ZIPs where it is the city, "alias": ZIPs that also accept it}."""
    index: dict[tuple[str, str], dict] = {}
    for code in STATES:
        for record in zipcodes.filter_by(state=code.upper()):
            names = [(record["city"], "main")] + [(a, "alias") for a in record.get("acceptable_cities") or ()]
            for name, kind in names:
                entry = index.setdefault(
                    (_key(_words(name)), code.upper()), {"name": name, "main": [], "alias": []}
                )
                # Name it by its postal spelling, else by the longest alias ("Arlington Heights", not "Hts").
                if (kind == "main" and not entry["main"]) or (
                    not entry["main"] and len(name) > len(entry["name"])
                ):
                    entry["name"] = name
                entry[kind].append(record)
    return index


@lru_cache(maxsize=8192)  # zipcodes scans its whole table per lookup (about 10 ms); a Place is immutable
def _zip_place(zip_code: str) -> Place | None:
    """The centre of a real US ZIP code, or None."""
    try:
        records = zipcodes.matching(zip_code)
    except (TypeError, ValueError):
        return None
    if not records:
        return None
    r = records[0]
    label = f"{r['zip_code']} ({r['city']})"
    return Place(float(r["lat"]), float(r["long"]), label, "zip", r["zip_code"], r["city"], _county(r))


def city_county(city: str, state: str = "IL") -> str:
    """The county of a city when every ZIP of it lies in that one county ("Peoria" -> "Peoria"); "" for a
    city the gazetteer does not know or one whose ZIPs lie in several (Aurora, Elgin): never a guess."""
    entry = _cities().get((_key(_words(city)), state.upper()))
    if entry is None:
        return ""
    counties = {_county(r) for r in entry["main"] or entry["alias"]}
    return counties.pop() if len(counties) == 1 else ""


def _city_place(words: list[str], state: str) -> Place | None:
    """The mean of a city's active standard ZIP centres (all its ZIPs when it has none), or None."""
    entry = _cities().get((_key(words), state.upper()))
    if entry is None:
        return None
    display, records = entry["name"], entry["main"] or entry["alias"]
    chosen = [r for r in records if r["active"] and r["zip_code_type"] == "STANDARD"] or records
    lat = float(np.mean([float(r["lat"]) for r in chosen]))
    lon = float(np.mean([float(r["long"]) for r in chosen]))
    county = Counter(_county(r) for r in chosen).most_common(1)[0][0]
    return Place(lat, lon, f"{display}, {state.upper()}", "city", city=display, county=county)


def _offline(text: str) -> Place | None:
    """A ZIP (or ZIP+4), or an Illinois city, or a neighbouring state's city named with its state."""
    m = _ZIP_RE.match(text)
    if m:
        return _zip_place(m.group(1))
    words = _words(text)
    if len(words) > 1 and words[-1] in _STATE_BY_WORD:
        place = _city_place(words[:-1], _STATE_BY_WORD[words[-1]])
        if place:
            return place
    return _city_place(words, "IL") if words else None


def lookup_place(text: str, *, geocoder: OnlineGeocoder | None = None) -> Place:
    """Place a ZIP code, a city ("Chicago", "St. Charles IL", "Gary, IN") or, with a geocoder, an address.

    An unqualified city is looked up in Illinois only: "Springfield" is Springfield, IL, and "Gary"
    alone is not found. Nothing leaves the machine unless a geocoder is passed and nothing offline
    matched. Raises PlaceNotFound (GeocodingUnavailable when the online service fails), nothing else.
    """
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if not text or len(text) > _MAX_QUERY:
        raise PlaceNotFound(text)
    place = _offline(text)
    if place:
        return place
    # A trailing ZIP is the answer for "Chicago, IL 60614" and the fallback for a street address.
    m = _TRAILING_ZIP_RE.match(text)
    fallback = _zip_place(m.group(2)) if m else None
    if geocoder is None or (fallback and not re.search(r"\d", m.group(1))):
        if fallback is None:
            raise PlaceNotFound(text)
        return fallback
    try:
        place = geocoder.geocode(text) or fallback
    except GeocodingUnavailable:
        if fallback is None:
            raise
        place = fallback
    if place is None:
        raise PlaceNotFound(text)
    return place


def locate_offline(zip: str = "", city: str = "", state: str = "IL") -> Place | None:
    """For importers: the ZIP's centre, else the city's centre in that state, else None; never raises."""
    m = _ZIP_RE.match(str(zip or "").strip())
    place = _zip_place(m.group(1)) if m else None
    if place is None and str(city or "").strip():
        place = _city_place(_words(str(city)), str(state or "IL").strip())
    return place


@cache
def _standard_zips() -> tuple[np.ndarray, np.ndarray, list[dict]]:
    records = [
        r
        for code in STATES
        for r in zipcodes.filter_by(state=code.upper())
        if r["active"] and r["zip_code_type"] == "STANDARD" and r.get("lat") and r.get("long")
    ]
    return (
        np.array([float(r["lat"]) for r in records]),
        np.array([float(r["long"]) for r in records]),
        records,
    )


def nearest_zip_place(lat: float, lon: float) -> Place | None:
    """The Illinois or neighbouring-state ZIP whose centre is nearest a point (for its city and county),
    or None when the nearest is more than 30 miles away."""
    lats, lons, records = _standard_zips()
    if not records:
        return None
    miles = haversine_miles(lat, lon, lats, lons)
    best = int(np.argmin(miles))
    if miles[best] > 30:
        return None
    return _zip_place(records[best]["zip_code"])


def county_for_zip(zip: str) -> str:
    """The county of a ZIP code without the word "County" ("Cook"), or "" when unknown."""
    place = locate_offline(zip=zip)
    return place.county if place else ""


def haversine_miles(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle miles from one point to many; NaN coordinates give NaN distances."""
    lat1, lon1 = math.radians(float(lat)), math.radians(float(lon))
    lat2 = np.radians(np.asarray(lats, dtype=float))
    lon2 = np.radians(np.asarray(lons, dtype=float))
    # sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2, computed in
    # place (the same operations in the same order, so the same bits) to spare the temporaries.
    a = lat2 - lat1
    a *= 0.5
    np.sin(a, out=a)
    a *= a
    b = lon2
    b -= lon1
    b *= 0.5
    np.sin(b, out=b)
    b *= b
    np.cos(lat2, out=lat2)
    c = lat2
    c *= math.cos(lat1)
    c *= b
    a += c
    np.clip(a, 0.0, 1.0, out=a)
    np.sqrt(a, out=a)
    np.arcsin(a, out=a)
    a *= 2 * EARTH_RADIUS_MILES
    return a


def distance_miles(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle miles between two points."""
    return float(haversine_miles(a_lat, a_lon, np.array([b_lat]), np.array([b_lon]))[0])


def in_region(lat: float, lon: float) -> bool:
    """Whether a point lies in the box of Illinois and its neighbouring states that records must use."""
    (lat_min, lat_max), (lon_min, lon_max) = REGION_BOUNDS["lat"], REGION_BOUNDS["lon"]
    return bool(lat_min <= lat <= lat_max and lon_min <= lon <= lon_max)


class OnlineGeocoder:
    """Street-address search through OpenStreetMap Nominatim, for when a setting switches it on.

    Follows Nominatim's usage policy: a real user agent, at most one request per `min_interval`
    seconds, results (misses too) cached for the life of the object. No retries, so a silent
    network costs one `timeout`. US results only, Illinois preferred but not required.
    """

    # Nominatim's viewbox: two opposite corners (lat, lon) around Illinois.
    ILLINOIS_VIEWBOX = ((42.51, -91.52), (36.97, -87.01))

    def __init__(
        self,
        user_agent: str = "illinois-aftercare-directory/0.1 (+https://github.com/)",
        timeout: float = 2.0,
        min_interval: float = 1.0,
        *,
        domain: str = "nominatim.openstreetmap.org",
        scheme: str = "https",
    ) -> None:
        from geopy.adapters import RequestsAdapter  # imported here: geopy's HTTP stack is only for this
        from geopy.geocoders import Nominatim

        self.min_interval = min_interval
        self.cache: dict[str, Place | None] = {}
        self._last_request = float("-inf")
        self._lock = threading.Lock()
        self._nominatim = Nominatim(
            user_agent=user_agent,
            timeout=timeout,
            domain=domain,
            scheme=scheme,
            adapter_factory=partial(RequestsAdapter, max_retries=0),
        )

    def geocode(self, text: str) -> Place | None:
        """The best US match for an address, None when there is none; GeocodingUnavailable on failure."""
        key = re.sub(r"\s+", " ", str(text or "")).strip().casefold()
        if not key or len(key) > _MAX_QUERY:
            return None
        with self._lock:  # one request at a time, spaced, even when sessions share this object
            if key in self.cache:
                return self.cache[key]
            time.sleep(max(0.0, self._last_request + self.min_interval - time.monotonic()))
            try:
                location = self._nominatim.geocode(
                    text,
                    exactly_one=True,
                    addressdetails=True,
                    country_codes="us",
                    viewbox=self.ILLINOIS_VIEWBOX,
                    bounded=False,
                )
            except (GeocoderTimedOut, GeocoderUnavailable, OSError) as exc:
                raise GeocodingUnavailable(text, "no connection") from exc
            except GeopyError as exc:
                raise GeocodingUnavailable(text, "the address service failed") from exc
            finally:
                # Timed from the end of the request, so the service sees the gap in full.
                self._last_request = time.monotonic()
            place = _place_from_nominatim(location) if location else None
            if len(self.cache) >= 10_000:  # a long-running server must not grow without bound
                self.cache.clear()
            self.cache[key] = place
            return place


def _place_from_nominatim(location: Location) -> Place:
    """A Place from a geopy Location with Nominatim's address details."""
    address = (location.raw or {}).get("address") or {}
    city = next((address[k] for k in ("city", "town", "village", "hamlet") if address.get(k)), "")
    street = " ".join(p for p in (address.get("house_number", ""), address.get("road", "")) if p)
    state = _STATE_CODE_BY_NAME.get(address.get("state", ""), address.get("state", ""))
    parts = [p for p in (street, city, state) if p]
    label = ", ".join(parts) if street and city else location.address
    zip_code = (address.get("postcode") or "")[:5]
    return Place(location.latitude, location.longitude, label, "address", zip_code, city, _county(address))


# --- issue 10: where a searched place is, and suggestions for a misspelt Illinois city ---
BORDER_STATES = ("IN", "WI", "IA", "MO", "KY")


def place_state(place: Place) -> str:
    """The two-letter state of a searched place ("" when unknown): its ZIP's state, else its label's."""
    if place.zip:
        try:
            records = zipcodes.matching(place.zip)
        except (TypeError, ValueError):
            records = []
        if records:
            return str(records[0].get("state", "")).upper()
    m = re.search(r",\s*([A-Z]{2})$", place.label or "")
    return m.group(1) if m else ""


def city_suggestions(text: str, limit: int = 3) -> list[str]:
    """Illinois city names close to a misspelt one ("Chicgo" -> ["Chicago"]); [] when nothing is close."""
    import difflib

    words = _words(text)
    if not words or _ZIP_RE.match(text.strip()):
        return []
    names = {key: entry["name"] for (key, state), entry in _cities().items() if state == "IL"}
    close = difflib.get_close_matches(_key(words), list(names), n=limit, cutoff=0.75)
    return [names[k].title() for k in close]
