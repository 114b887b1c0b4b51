"""The sentence that says what a search asked for ("Support groups within 10 miles of 60614 (Chicago),
Tuesday evenings, in Spanish"), in any screen language, from the `describe.*` words of directory/words.py.

One builder for every language: English is its words as much as Spanish is, so a fix or a new filter is made
once. `directory.query` re-exports `describe`, `describe_in` and `county_words`; pages import them from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from directory import dates, translation
from directory.words import ENGLISH, t, vocab

if TYPE_CHECKING:
    from directory.query import Query


def describe(query: Query, place: Any = None) -> str:
    """The query as an English sentence: "Support groups within 10 miles of 60614 (Chicago), Tuesday evenings,
    in Spanish". `place` is the place the search found (its `label` is shown), else the place typed."""
    return describe_in(query, place, translation.ENGLISH)


def describe_in(query: Query, place: Any = None, lang: str | None = None) -> str:
    """The query as a sentence in `lang` (else the running page's language), fields in one order for all."""
    from directory.query import DAY_KEYS, LANGUAGE_NAMES  # imported late: directory.query imports this module

    code = translation.language(lang)

    def say(key: str, **values: object) -> str:
        return t(key, code, **values)

    def either(items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + say("describe.or") + items[-1]

    def known(key: str, fallback: str) -> str:
        # A value no words exist for (only code can make one: the URL parser drops them) reads as written.
        return say(key) if key in ENGLISH else fallback

    subject = either([known(f"describe.cat.{c}", c.replace("_", " ")) for c in query.categories])
    subject = subject or say("describe.resources")
    if query.subcategories:
        subject += f" ({either([_in_sentence(vocab('subcategory', s, code)) for s in query.subcategories])})"
    if query.fellowships:
        subject = say("describe.fellowships", subject=subject, fellowships=either(list(query.fellowships)))
    subject = subject[:1].upper() + subject[1:]
    where = place.label if place is not None and getattr(place, "label", "") else query.place
    if not where and query.has_location:
        where = f"{query.latitude:.4f}, {query.longitude:.4f}"
    if where:
        radius = query.radius
        miles = say("describe.miles_one") if radius == 1 else say("describe.miles", miles=f"{radius:g}")
        subject = say("describe.within", subject=subject, miles=miles, place=where)
    parts = [subject]

    if query.formats:
        parts.append(either([known(f"describe.format.{f}", f) for f in query.formats]))
    days = [DAY_KEYS[d] for d in query.weekdays if 0 <= d <= 6]
    times = list(query.times_of_day)
    if days and len(times) == 1:  # "Tuesday evenings"
        named = either([say(f"describe.day.{d}") for d in days])
        parts.append(say("describe.days_time", days=named, time=known(f"describe.tod.{times[0]}", times[0])))
    elif days and times:  # "Tuesday, morning or evening"
        named = either([say(f"describe.day.{d}") for d in days])
        at = either([known(f"describe.time.{x}", x) for x in times])
        parts.append(say("describe.days_times", days=named, times=at))
    elif days:  # "on Tuesdays"
        parts.append(say("describe.on_days", days=either([say(f"describe.days.{d}") for d in days])))
    elif times:  # "mornings or evenings"
        parts.append(either([known(f"describe.tod.{x}", x) for x in times]))
    when = []
    if query.in_progress:
        when.append(say("describe.in_progress"))
    if query.starting_within is not None:
        hours = query.starting_within
        span = say("find.soon_hours_one") if hours == 1 else say("find.soon_hours", hours=f"{hours:g}")
        when.append(say("describe.starting_within", hours=span))
    if when:
        parts.append(say("describe.or").join(when))
    if query.languages:
        # Codes the sentence has always named; any other two-letter code is shown as written, in every language.
        names = [dates.language_in_sentence(c, code) if c in LANGUAGE_NAMES else c for c in query.languages]
        parts.append(say("describe.languages", languages=either(names)))
    if query.county:
        parts.append(
            say("describe.in_counties", counties=either([county_words(c, code) for c in query.county]))
        )
    for name, key in (("populations", "for"), ("payment", "taking"), ("moud_services", "offering")):
        if values := getattr(query, name):
            parts.append(
                say(f"describe.{key}", values=either([_in_sentence(vocab(name, v, code)) for v in values]))
            )
    if query.mat_friendly:
        parts.append(say("describe.mat_friendly"))
    if query.wheelchair:
        parts.append(say("describe.wheelchair"))
    if (months := query.verified_within_months) is not None:
        parts.append(say("describe.verified_one") if months == 1 else say("describe.verified", months=months))
    treatment_asked = not query.categories or "treatment" in query.categories
    if query.care_for in ("mental_health", "both") and treatment_asked:
        parts.append(say(f"describe.care_{query.care_for}"))
    if query.text:
        parts.append(say("describe.text", text=query.text))
    if query.include_unconfirmed:
        parts.append(say("describe.unconfirmed"))
    if query.include_inactive:
        parts.append(say("describe.inactive"))
    return ", ".join(parts)


def county_words(value: str, lang: str | None = translation.ENGLISH) -> str:
    """A county filter value as words in `lang` (English unless asked; None: the page's language), spelt as
    the county list spells it: "Peoria County", "Lake County, IN", "Saint Louis City, MO" (a county-level
    city keeps its name); `county=cook` reads "Cook County"."""
    from directory.counties import county_spelling  # imported late: it loads the offline gazetteer

    name, _, state = county_spelling(value).partition(" (")
    state = state.rstrip(")")
    words = (
        name if name.lower().endswith((" city", " county")) else t("describe.county_name", lang, name=name)
    )
    return f"{words}, {state}" if state else words


def _in_sentence(text: str) -> str:
    """A label as it reads inside a sentence: ordinary words lower-case ("Women" → "women"), acronyms kept
    ("LGBTQ+"); labels whose language writes them lower-case already ("polaco") are unchanged."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


__all__ = ["county_words", "describe", "describe_in"]
