"""What a person asked the directory for: the `Query` and its round trip through URL parameters.

The sentence that describes a query is built in `directory.query_sentence` and re-exported here (`describe`,
`describe_in`, `county_words`); `directory.search` re-exports everything public here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import unquote

from directory.referrals import KEEP_PARAM
from directory.schema import Category, Format, MoudService, Payment, Population

TIMES_OF_DAY = ("morning", "afternoon", "evening", "night")
SORTS = ("distance", "next", "name", "verified")
# What treatment is for: an addiction search leaves mental-health-only clinics out unless asked.
CARE_FOR = ("substance_use", "mental_health", "both")
DEFAULT_CARE_FOR = "substance_use"
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RADIUS_RANGE = (1.0, 100.0)
MAX_SOON_HOURS = 168.0  # a week: every weekly meeting starts within it
MAX_MONTHS = 240
MAX_TEXT = 200
MAX_PLACE = 300
MAX_LIST = 40  # values per list parameter; a longer list is somebody's garbage, not a search

# Language names for the sentence; other ISO 639-1 codes are shown as the code.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "pl": "Polish",
    "ar": "Arabic",
    "zh": "Chinese",
    "ko": "Korean",
    "ru": "Russian",
    "uk": "Ukrainian",
    "tl": "Tagalog",
    "hi": "Hindi",
    "ur": "Urdu",
    "gu": "Gujarati",
    "vi": "Vietnamese",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "el": "Greek",
    "ja": "Japanese",
    "lt": "Lithuanian",
    "ro": "Romanian",
    "bs": "Bosnian",
    "sq": "Albanian",
    "so": "Somali",
    "sw": "Swahili",
    "ht": "Haitian Creole",
}

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_SUBCATEGORY_RE = re.compile(r"^[a-z0-9_]{1,60}$")
_LANG_RE = re.compile(r"^[a-z]{2}$")
_COUNTY_RE = re.compile(r"^[A-Za-z][A-Za-z .'-]{0,59}( \([A-Za-z]{2}\))?$")


@dataclass(frozen=True)
class Query:
    """One search: where, how far, what kind, when, for whom; several values in one field mean OR.

    Lists may be given as lists; they are stored as tuples so equal queries compare and hash equal.
    Validation of user input happens in `from_params`, not here.
    """

    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    radius: float = 10
    categories: tuple[str, ...] = ()
    subcategories: tuple[str, ...] = ()
    fellowships: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()
    times_of_day: tuple[str, ...] = ()
    in_progress: bool = False
    starting_within: float | None = None
    populations: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    payment: tuple[str, ...] = ()
    moud_services: tuple[str, ...] = ()
    mat_friendly: bool = False
    wheelchair: bool = False
    verified_within_months: int | None = None
    include_unconfirmed: bool = False
    include_inactive: bool = False
    text: str = ""
    sort: str = "distance"
    care_for: str = DEFAULT_CARE_FOR  # for treatment: substance_use, mental_health or both
    # Counties as `directory.facets.county_value` writes them: "Peoria" in Illinois, "Lake (IN)" across the
    # border. Listings that serve everywhere (statewide, national, online, by phone) are kept: they serve
    # that county too; regional ones are kept when their area names the county.
    county: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "weekdays":
                object.__setattr__(self, f.name, tuple(int(v) for v in value))
            elif str(f.type).startswith("tuple"):
                object.__setattr__(self, f.name, (value,) if isinstance(value, str) else tuple(value))
        object.__setattr__(self, "radius", float(self.radius))

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def to_params(self) -> dict[str, str]:
        """Short URL parameters that rebuild this query; defaults are left out."""
        out: dict[str, str] = {}
        if self.text:
            out["q"] = self.text
        if self.place:
            out["near"] = self.place
        if self.has_location:
            out["lat"], out["lon"] = _number(self.latitude), _number(self.longitude)
        if self.radius != 10:
            out["r"] = _number(self.radius)
        for key, name in _LIST_KEYS.items():
            values = getattr(self, name)
            if values:
                if name == "weekdays":
                    out[key] = ",".join(DAY_KEYS[d] for d in values)
                else:
                    out[key] = ",".join(_escape(v) for v in values)
        for key, name in _FLAG_KEYS.items():
            if getattr(self, name):
                out[key] = "1"
        if self.starting_within is not None:
            out["soon"] = _number(self.starting_within)
        if self.verified_within_months is not None:
            out["ver"] = str(self.verified_within_months)
        if self.sort != "distance":
            out["sort"] = self.sort
        if self.care_for != DEFAULT_CARE_FOR:
            out["care"] = self.care_for
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> tuple[Query, list[str]]:
        """The query a URL asks for, and notes about each parameter ignored; never raises."""
        notes: list[str] = []
        values: dict[str, Any] = {}
        try:
            items = list(params.items())
        except Exception:  # a mapping-like object that cannot even list itself is ignored whole
            return cls(), [_say("query.unreadable")]
        for raw_key, raw_value in items:
            key = str(raw_key).strip()
            value = _flat(raw_value)
            if key in _PARSERS:
                _PARSERS[key](value, values, notes)
            else:
                notes.append(_say("query.unknown", setting=_show(key)))
        lat, lon = values.pop("latitude", None), values.pop("longitude", None)
        if (lat is None) != (lon is None):
            notes.append(_say("query.lat_lon"))
        elif lat is not None:
            values["latitude"], values["longitude"] = lat, lon
        return cls(**values), notes


def _say(words_key: str, **values: Any) -> str:
    """A note about the link in the page's language (directory/words.py; imported late: words imports schema)."""
    from directory.words import t

    return t(words_key, **values)


def _flat(value: Any) -> str:
    """One text value from a URL parameter; repeated parameters (lists) are joined with commas."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def _show(text: str) -> str:
    text = _CONTROL_RE.sub("", text)
    return text if len(text) <= 40 else text[:39] + "…"


def _number(value: float | None) -> str:
    # repr() round-trips a float exactly; "10" reads better than "10.0" in a link.
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _escape(value: str) -> str:
    # Commas separate list values, so a comma inside a value (a fellowship name) is percent-escaped.
    return value.replace("%", "%25").replace(",", "%2C")


def _clean_text(value: str, limit: int) -> str:
    return re.sub(r"\s+", " ", _CONTROL_RE.sub(" ", value)).strip()[:limit].strip()


def _parse_float(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _text(name: str, limit: int):
    def parse(value: str, out: dict, notes: list[str]) -> None:
        cleaned = _clean_text(value, limit)
        if cleaned:
            out[name] = cleaned

    return parse


def _coordinate(name: str, low: float, high: float):
    def parse(value: str, out: dict, notes: list[str]) -> None:
        number = _parse_float(value)
        if number is None or not low <= number <= high:
            notes.append(
                _say(f"query.{name}", setting=name[:3], value=_show(value), low=f"{low:g}", high=f"{high:g}")
            )
        else:
            out[name] = number

    return parse


def _radius(value: str, out: dict, notes: list[str]) -> None:
    number = _parse_float(value)
    low, high = RADIUS_RANGE
    if number is None:
        notes.append(_say("query.radius", value=_show(value)))
    elif not low <= number <= high:
        out["radius"] = min(max(number, low), high)
        notes.append(_say("query.radius_clamped", value=_show(value), radius=f"{out['radius']:g}"))
    else:
        out["radius"] = number


def _choices(name: str, key: str, check):
    """A comma-separated list parser keeping the values `check` turns into a value (None drops it)."""

    def parse(value: str, out: dict, notes: list[str]) -> None:
        kept: list = []
        parts = [unquote(p).strip() for p in value.split(",")]
        for part in parts:
            if not part:
                continue
            cleaned = check(part)
            if cleaned is None:
                notes.append(_say("query.unknown_value", value=_show(part), setting=key))
            elif cleaned not in kept:
                kept.append(cleaned)
        if len(kept) > MAX_LIST:
            notes.append(_say("query.too_many", max=MAX_LIST, setting=key))
            kept = kept[:MAX_LIST]
        if kept:
            out[name] = tuple(kept)

    return parse


def _in(allowed: tuple[str, ...] | list[str]):
    allowed_set = set(allowed)

    def check(part: str) -> str | None:
        part = part.lower()
        return part if part in allowed_set else None

    return check


def _day(part: str) -> int | None:
    text = part.lower()[:3]
    if text in DAY_KEYS:
        return DAY_KEYS.index(text)
    return int(text) if text in {"0", "1", "2", "3", "4", "5", "6"} else None


def _fellowship(part: str) -> str | None:
    cleaned = _clean_text(part, 100)
    return cleaned or None


def _subcategory(part: str) -> str | None:
    part = part.lower()
    return part if _SUBCATEGORY_RE.match(part) else None


def _language(part: str) -> str | None:
    part = part.lower()
    return part if _LANG_RE.match(part) else None


def _county(part: str) -> str | None:
    cleaned = _clean_text(part, 70)
    if not _COUNTY_RE.match(cleaned):
        return None
    from directory.counties import county_spelling  # imported late: it loads the offline gazetteer

    # "cook" -> "Cook", "lake (in)" -> "Lake (IN)": as the county list spells it
    return county_spelling(cleaned)


def _flag(name: str, key: str):
    def parse(value: str, out: dict, notes: list[str]) -> None:
        text = value.strip().lower()
        if text in ("1", "true", "yes", "on"):
            out[name] = True
        elif text not in ("0", "false", "no", "off", ""):
            notes.append(_say("query.flag", setting=key, value=_show(value)))

    return parse


def _soon(value: str, out: dict, notes: list[str]) -> None:
    number = _parse_float(value)
    if number is None or not 0 < number <= MAX_SOON_HOURS:
        notes.append(_say("query.soon", value=_show(value), max=f"{MAX_SOON_HOURS:g}"))
    else:
        out["starting_within"] = number


def _months(value: str, out: dict, notes: list[str]) -> None:
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) <= 4 and 1 <= int(text) <= MAX_MONTHS:
        out["verified_within_months"] = int(text)
    else:
        notes.append(_say("query.months", value=_show(value), max=MAX_MONTHS))


def _care_for(value: str, out: dict, notes: list[str]) -> None:
    text = value.strip().lower()
    if text in CARE_FOR:
        out["care_for"] = text
    else:
        notes.append(_say("query.one_of", setting="care", value=_show(value), choices=", ".join(CARE_FOR)))


def _sort(value: str, out: dict, notes: list[str]) -> None:
    text = value.strip().lower()
    if text in SORTS:
        out["sort"] = text
    else:
        notes.append(_say("query.one_of", setting="sort", value=_show(value), choices=", ".join(SORTS)))


# English names as well as codes ("Spanish", "spanish"), as old shared links may carry them.
_LANGUAGE_CODES = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
# The screen languages (directory/translation.py LANGUAGES): `lang=` with one of them is the screen's.
SCREEN_LANGUAGES = ("en", "es")
SPEAKS_PARAM = "speaks"  # the spoken-language filter; `lang` is the screen language


def _spoken_language(part: str) -> str | None:
    """A spoken-language filter value: an ISO 639-1 code, or its English name ("Polish" → "pl")."""
    return _language(_LANGUAGE_CODES.get(part.lower(), part))


def _old_language_filter(value: str, out: dict, notes: list[str]) -> None:
    """`lang=` before it became the screen language was the spoken-language filter.

    One screen-language code (`lang=es`, `lang=EN`) is the screen's and no filter; anything else an old
    link carried (`lang=pl`, `lang=es,pl`, `lang=Spanish`) keeps its meaning as the filter.
    """
    if value.strip().lower() in SCREEN_LANGUAGES or not value.strip():
        return
    _PARSERS[SPEAKS_PARAM](value, out, notes)


_LIST_KEYS = {
    "cat": "categories",
    "sub": "subcategories",
    "fel": "fellowships",
    "fmt": "formats",
    "day": "weekdays",
    "tod": "times_of_day",
    "pop": "populations",
    SPEAKS_PARAM: "languages",
    "pay": "payment",
    "moud": "moud_services",
    "county": "county",
}
_FLAG_KEYS = {
    "now": "in_progress",
    "matf": "mat_friendly",
    "wc": "wheelchair",
    "unc": "include_unconfirmed",
    "inact": "include_inactive",
}
_LIST_CHECKS = {
    "categories": _in(Category.values()),
    "subcategories": _subcategory,
    "fellowships": _fellowship,
    "formats": _in(Format.values()),
    "weekdays": _day,
    "times_of_day": _in(TIMES_OF_DAY),
    "populations": _in(Population.values()),
    "languages": _spoken_language,
    "payment": _in(Payment.values()),
    "moud_services": _in(MoudService.values()),
    "county": _county,
}
_PARSERS = {
    "q": _text("text", MAX_TEXT),
    "near": _text("place", MAX_PLACE),
    "lat": _coordinate("latitude", -90, 90),
    "lon": _coordinate("longitude", -180, 180),
    "r": _radius,
    "soon": _soon,
    "ver": _months,
    "sort": _sort,
    "care": _care_for,
    **{key: _choices(name, key, _LIST_CHECKS[name]) for key, name in _LIST_KEYS.items()},
    **{key: _flag(name, key) for key, name in _FLAG_KEYS.items()},
    "lang": _old_language_filter,
}
PARAM_KEYS = tuple(_PARSERS)
MAX_PAGE = 10_000


def page_number(value: Any) -> int:
    """The results page a URL's `page` asks for: 1 to MAX_PAGE; 1 for anything else ("²", "①", "1e9", 5000 digits).

    `str.isdigit` accepts superscripts and circled digits that `int` refuses, and `int` refuses more
    than 4,300 digits: only ASCII digits, at most five of them, are read.
    """
    text = _flat(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 5):
        return 1
    return min(max(int(text), 1), MAX_PAGE)


PAGE_SIZE = 20  # result cards on a page of the Find page (and of the first screen drawn for it)


def page_count(total: int) -> int:
    """How many pages of PAGE_SIZE results `total` results make."""
    return -(-total // PAGE_SIZE)


def searched(url: Mapping[str, str]) -> dict[str, str]:
    """The URL parameters of a Find search: all but `list` (the referral list, which app.py keeps) and a
    `lang` that names a screen language (`lang=es` is the screen's; `lang=pl` stays, an old filter)."""
    return {
        k: v
        for k, v in url.items()
        if k != KEEP_PARAM and not (k == "lang" and v.strip().lower() in SCREEN_LANGUAGES)
    }


# The sentence describing a query lives in directory/query_sentence.py; callers import it from here.
from directory.query_sentence import county_words, describe, describe_in  # noqa: E402, F401
