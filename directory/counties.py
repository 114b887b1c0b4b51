"""Illinois's 102 counties and their county seats, placed offline: where the coverage figure measures from.

Source of the seats: the "County seat" column of Wikipedia's "List of counties in Illinois"
(https://en.wikipedia.org/wiki/List_of_counties_in_Illinois), which cites the National Association of
Counties' County Explorer (https://ce.naco.org); mirrored at
http://familypedia.wikia.com/wiki/List_of_counties_in_Illinois. The pairs below were transcribed from a
public listing of the same table and checked three ways: the opening rows against that mirror and against
the table at https://visualfoodie.com/the-official-county-seat-for-each-illinois-county, and every seat
against the `zipcodes` package, which places each one as a town of its county (see tests/test_coverage.py).
A seat's point is its town's point in `zipcodes` (GeoNames, CC BY 4.0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import zipcodes

from directory import geo

SEATS_SOURCE = "Wikipedia, List of counties in Illinois (county seats per NACo County Explorer)"

# (county, county seat)
COUNTY_SEATS: tuple[tuple[str, str], ...] = (
    ("Adams", "Quincy"),
    ("Alexander", "Cairo"),
    ("Bond", "Greenville"),
    ("Boone", "Belvidere"),
    ("Brown", "Mount Sterling"),
    ("Bureau", "Princeton"),
    ("Calhoun", "Hardin"),
    ("Carroll", "Mount Carroll"),
    ("Cass", "Virginia"),
    ("Champaign", "Urbana"),
    ("Christian", "Taylorville"),
    ("Clark", "Marshall"),
    ("Clay", "Louisville"),
    ("Clinton", "Carlyle"),
    ("Coles", "Charleston"),
    ("Cook", "Chicago"),
    ("Crawford", "Robinson"),
    ("Cumberland", "Toledo"),
    ("DeKalb", "Sycamore"),
    ("DeWitt", "Clinton"),
    ("Douglas", "Tuscola"),
    ("DuPage", "Wheaton"),
    ("Edgar", "Paris"),
    ("Edwards", "Albion"),
    ("Effingham", "Effingham"),
    ("Fayette", "Vandalia"),
    ("Ford", "Paxton"),
    ("Franklin", "Benton"),
    ("Fulton", "Lewistown"),
    ("Gallatin", "Shawneetown"),
    ("Greene", "Carrollton"),
    ("Grundy", "Morris"),
    ("Hamilton", "McLeansboro"),
    ("Hancock", "Carthage"),
    ("Hardin", "Elizabethtown"),
    ("Henderson", "Oquawka"),
    ("Henry", "Cambridge"),
    ("Iroquois", "Watseka"),
    ("Jackson", "Murphysboro"),
    ("Jasper", "Newton"),
    ("Jefferson", "Mount Vernon"),
    ("Jersey", "Jerseyville"),
    ("Jo Daviess", "Galena"),
    ("Johnson", "Vienna"),
    ("Kane", "Geneva"),
    ("Kankakee", "Kankakee"),
    ("Kendall", "Yorkville"),
    ("Knox", "Galesburg"),
    ("Lake", "Waukegan"),
    ("LaSalle", "Ottawa"),
    ("Lawrence", "Lawrenceville"),
    ("Lee", "Dixon"),
    ("Livingston", "Pontiac"),
    ("Logan", "Lincoln"),
    ("Macon", "Decatur"),
    ("Macoupin", "Carlinville"),
    ("Madison", "Edwardsville"),
    ("Marion", "Salem"),
    ("Marshall", "Lacon"),
    ("Mason", "Havana"),
    ("Massac", "Metropolis"),
    ("McDonough", "Macomb"),
    ("McHenry", "Woodstock"),
    ("McLean", "Bloomington"),
    ("Menard", "Petersburg"),
    ("Mercer", "Aledo"),
    ("Monroe", "Waterloo"),
    ("Montgomery", "Hillsboro"),
    ("Morgan", "Jacksonville"),
    ("Moultrie", "Sullivan"),
    ("Ogle", "Oregon"),
    ("Peoria", "Peoria"),
    ("Perry", "Pinckneyville"),
    ("Piatt", "Monticello"),
    ("Pike", "Pittsfield"),
    ("Pope", "Golconda"),
    ("Pulaski", "Mound City"),
    ("Putnam", "Hennepin"),
    ("Randolph", "Chester"),
    ("Richland", "Olney"),
    ("Rock Island", "Rock Island"),
    ("Saline", "Harrisburg"),
    ("Sangamon", "Springfield"),
    ("Schuyler", "Rushville"),
    ("Scott", "Winchester"),
    ("Shelby", "Shelbyville"),
    ("St. Clair", "Belleville"),
    ("Stark", "Toulon"),
    ("Stephenson", "Freeport"),
    ("Tazewell", "Pekin"),
    ("Union", "Jonesboro"),
    ("Vermilion", "Danville"),
    ("Wabash", "Mount Carmel"),
    ("Warren", "Monmouth"),
    ("Washington", "Nashville"),
    ("Wayne", "Fairfield"),
    ("White", "Carmi"),
    ("Whiteside", "Morrison"),
    ("Will", "Joliet"),
    ("Williamson", "Marion"),
    ("Winnebago", "Rockford"),
    ("Woodford", "Eureka"),
)


@dataclass(frozen=True)
class CountySeat:
    """A county, its seat and the seat's point."""

    county: str
    seat: str
    latitude: float
    longitude: float


@cache
def county_seats() -> tuple[CountySeat, ...]:
    """Every county with its seat's point; a seat `zipcodes` cannot place raises, so no county goes missing."""
    out = []
    for county, seat in COUNTY_SEATS:
        place = geo.locate_offline(city=seat, state="IL")
        if place is None:
            raise LookupError(f"the county seat {seat} ({county} County) is not in the offline place list")
        out.append(CountySeat(county, seat, place.latitude, place.longitude))
    return tuple(out)


def _loose(name: str) -> str:
    """A county name compared loosely: "St. Clair", "saint clair" and "St Clair County" agree."""
    text = re.sub(r"[^a-z]", "", name.casefold().replace("saint", "st"))
    return text[:-6] if text.endswith("county") and len(text) > 6 else text


@cache
def _illinois_spellings() -> dict[str, str]:
    return {_loose(county): county for county, _ in COUNTY_SEATS}


@cache
def _border_spellings(state: str) -> dict[str, str]:
    """A border state's county names in the gazetteer, keyed by their letters in lower case; where the gazetteer
    writes one name two ways ("Mccracken", "McCracken") the one with more capitals wins."""
    found: dict[str, str] = {}
    for record in zipcodes.filter_by(state=state):
        name = re.sub(r"\s+County$", "", record.get("county") or "").strip()
        key = name.lower()
        if name and sum(c.isupper() for c in name) > sum(c.isupper() for c in found.get(key, "")):
            found[key] = name
    return found


def county_spelling(value: str) -> str:
    """A county filter value as the county list spells it: "cook" → "Cook", "saint clair" → "St. Clair",
    "lake (in)" → "Lake (IN)"; the values the catalog writes ("DeKalb", "Saint Louis City (MO)") stay as they are.

    Illinois counties are looked up loosely among the state's 102 (COUNTY_SEATS). Any other name keeps the
    words it was given: written all in one case, it takes the gazetteer's spelling of those very letters
    ("mccracken (ky)" → "McCracken (KY)"), else a capital for each word; in mixed case it is taken as its
    writer spelt it.
    """
    name, _, state = value.strip().partition(" (")
    state = state.rstrip(")").strip().upper()
    if not state or state == "IL":
        found = _illinois_spellings().get(_loose(name))
        if found:
            return found
    if name in (name.lower(), name.upper()):
        known = _border_spellings(state) if state.lower() in geo.STATES else {}  # the gazetteer's states only
        name = known.get(name.lower()) or " ".join(
            word[:1].upper() + word[1:].lower() for word in name.split(" ")
        )
    return f"{name} ({state})" if state else name
