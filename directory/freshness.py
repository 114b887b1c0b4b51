"""How sure a listing is, in words a patient understands: confirmed (by its source or a curator within the
last 12 months), aging or old (with its age), undated (with the day it was added), or not confirmed.

Nothing is "confirmed" because it was imported: only a date the source gives, and a recent one, counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from directory import dates
from directory.schema import Resource
from directory.sources import source_name
from directory.words import language, t

CONFIRMED_MONTHS = 12  # "confirmed" means confirmed within this many months
OLD_MONTHS = 36  # older than this a listing is "old", between the two "aging"
LEVELS = ("confirmed", "aging", "old", "undated", "unconfirmed")
# Short names for the sentence "SAMHSA listing from 2021"; other sources use their data-set name.
SHORT_SOURCE = {
    "samhsa": "SAMHSA",
    "findtreatment": "FindTreatment.gov",
    "findtreatment-il": "FindTreatment.gov",
    "cms-otp": "CMS",
    "hrsa-health-centers": "HRSA",
    "cook-county-naloxone": "Cook County naloxone",
    "chicago-disposal-2014": "City of Chicago",
    "chicago-2011": "City of Chicago",
}
# Sources whose short name is a description rather than a name: its words key, said in the screen's
# language ("Web page listing from 2019").
SHORT_WORDS = {
    "il-naloxone-pages": "source.short_news",
    "il-leads-pages": "source.short_web_page",
    "il-meetings": "source.short_web_page",
    "il-housing": "source.short_web_page",
    "il-statewide": "source.short_web_page",
    "il-crisis-lines": "source.short_compiled",
}


@dataclass(frozen=True)
class Certainty:
    """One listing's certainty: its level (one of LEVELS), the sentence to show, and its age in months."""

    level: str
    words: str
    months: int | None = None

    @property
    def confirmed(self) -> bool:
        return self.level == "confirmed"

    @property
    def colour(self) -> str:
        """The badge colour a page may use: green for confirmed, orange for doubt, grey for age."""
        return {"confirmed": "green", "unconfirmed": "orange", "old": "orange"}.get(self.level, "gray")


def _today(today: date | datetime | None) -> date:
    if today is None:
        return date.today()
    return today.date() if isinstance(today, datetime) else today


def _as_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (0 when later is not after earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def age_words(months: int) -> str:
    """'3 months', '1 year', '5 years'."""
    if months < 12:
        return t("age.months", count=months) if months != 1 else t("age.month")
    years = months // 12
    return t("age.years", count=years) if years != 1 else t("age.year")


def source_short(key: str) -> str:
    if key in SHORT_WORDS:
        return t(SHORT_WORDS[key])
    return SHORT_SOURCE.get(key) or source_name(key)


def certainty(resource: Resource, today: date | datetime | None = None) -> Certainty:
    """What to say about how sure and how old this listing is, as of `today` (default: the current date)."""
    day = _today(today)
    as_of = _as_of(resource.as_of)
    source = source_short(resource.source)
    if resource.verification == "unconfirmed":
        if as_of is not None and resource.date_basis != "added":
            return Certainty(
                "unconfirmed",
                t("age.unconfirmed_year", source=source, year=as_of.year),
                months_between(as_of, day),
            )
        if resource.date_basis == "added" and as_of is not None:
            return Certainty("unconfirmed", t("age.unconfirmed_added", added=resource.as_of))
        return Certainty("unconfirmed", t("age.unconfirmed"))
    if as_of is None or resource.date_basis == "added":
        return Certainty("undated", t("age.undated", added=resource.as_of or "?"))
    months = months_between(as_of, day)
    if as_of > day:
        # A date in the future is a typo or a planned opening: not a confirmation.
        return Certainty("undated", t("age.future", as_of=resource.as_of))
    if months < CONFIRMED_MONTHS:
        return Certainty(
            "confirmed", t("age.confirmed", source=source, month=dates.month_year(as_of, language())), months
        )
    level = "aging" if months < OLD_MONTHS else "old"
    return Certainty(level, t("age.listing", source=source, year=as_of.year, age=age_words(months)), months)


def is_confirmed(resource: Resource, today: date | datetime | None = None) -> bool:
    """Whether the listing counts as confirmed today (its source or a curator said so within 12 months)."""
    return certainty(resource, today).confirmed


# The public locator where SAMHSA's listings are kept current (the FindTreatment feed's own site, sources.toml).
FINDTREATMENT_URL = "https://findtreatment.gov/"


@dataclass(frozen=True)
class NextStep:
    """What a person can do when a listing gives no phone: a sentence and the page it points to."""

    words: str
    url: str


def next_step(resource: Resource) -> NextStep | None:
    """For a listing with no phone, the next step instead of a blank; None when it has a phone.

    SAMHSA rows point to FindTreatment.gov, where the facility's current number can be looked up by its
    ZIP or city; every other row points to the page its source cites.
    """
    if resource.phones:
        return None
    if resource.source.startswith("samhsa") or resource.source == "cms-otp":
        place = resource.zip or ", ".join(p for p in (resource.city, resource.state) if p)
        key = "next.findtreatment_place" if place else "next.findtreatment"
        return NextStep(t(key, place=place), FINDTREATMENT_URL)
    if resource.website:
        return NextStep(t("next.website"), resource.website)
    if resource.conference_url:
        return None  # an online meeting: its join link is the next step
    return NextStep(t("next.source"), resource.source_url) if resource.source_url else None
