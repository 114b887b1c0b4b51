"""The Find page's form in plain data: which filters exist, how they are grouped and labelled, how widget
values become a `Query` and back, and the text of a result card.

Pages only draw what this module describes, so the form is tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime

from directory import dates, maps, phones
from directory.freshness import certainty, next_step
from directory.query import LANGUAGE_NAMES, TIMES_OF_DAY, Query
from directory.schema import WEEKDAY_NAMES, Category, Format, MoudService, Payment, Population
from directory.sources import source_name
from directory.translation import ENGLISH, language
from directory.words import (
    care_text,
    distance_words,
    kind_text,
    md,
    md_link,
    safe_url,
    subcategory_text,
    t,
    vocab,
    when_text,
    where_text,
)

PREFIX = "f_"  # widget keys are f_<Query field>
RADII = (1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0)
SOON_HOURS = (None, 1.0, 2.0, 4.0, 12.0)
MONTHS = (None, 6, 12, 24)
KEEP_ON_CLEAR = ("place", "latitude", "longitude", "radius", "sort")
QUERY_FIELDS = tuple(f.name for f in fields(Query))


@dataclass(frozen=True)
class Filter:
    """One filter widget: the Query field it sets, its tab, its kind of widget, and its fixed choices."""

    name: str
    group: str  # "" = shown above the tabs
    widget: str  # pills | multiselect | selectbox | toggle | checkbox
    choices: tuple = ()  # empty: the values the catalog holds (from the facet counts)


FILTERS: tuple[Filter, ...] = (
    Filter("categories", "", "pills", tuple(Category.values())),
    Filter("county", "where", "multiselect"),
    Filter("weekdays", "when", "pills", tuple(range(7))),
    Filter("times_of_day", "when", "pills", TIMES_OF_DAY),
    Filter("in_progress", "when", "toggle"),
    Filter("starting_within", "when", "selectbox", SOON_HOURS),
    Filter("formats", "how", "pills", tuple(Format.values())),
    Filter("fellowships", "how", "multiselect"),
    Filter("subcategories", "how", "multiselect"),
    Filter("wheelchair", "how", "checkbox"),
    Filter("populations", "who", "multiselect", tuple(Population.values())),
    Filter("languages", "who", "multiselect"),
    Filter("payment", "cost", "multiselect", tuple(Payment.values())),
    Filter("moud_services", "cost", "multiselect", tuple(MoudService.values())),
    Filter("mat_friendly", "cost", "checkbox"),
    Filter("verified_within_months", "listing", "selectbox", MONTHS),
    Filter("include_unconfirmed", "listing", "checkbox"),
    Filter("include_inactive", "listing", "checkbox"),
)
GROUPS = ("where", "when", "how", "who", "cost", "listing")
_LABEL_KEYS = {
    "wheelchair": "find.wheelchair",
    "mat_friendly": "find.mat_friendly",
    "include_unconfirmed": "find.unconfirmed",
    "include_inactive": "find.inactive",
}


def title(name: str) -> str:
    """The label of a filter widget."""
    return t(_LABEL_KEYS.get(name, f"find.{name}"))


def value_label(name: str, value: object, lang: str | None = None) -> str:
    """How one choice of a filter reads: "Tue", "Evening", "Medicaid", "4 hours" (in `lang`, else the page's)."""
    code = language(lang)
    if code != ENGLISH and name in ("weekdays", "times_of_day", "languages", "subcategories"):
        if name == "weekdays":
            return dates.weekday_label(int(value), code, "short")
        field = {"weekdays": "weekday", "subcategories": "subcategory"}.get(name, name)
        text = vocab(field, str(value), code)
        return text[:1].upper() + text[1:]
    if name == "starting_within":
        return t("find.soon_hours", code, hours=f"{value:g}") if value else t("find.soon_any", code)
    if name == "verified_within_months":
        return t("find.verified_months", code, months=value) if value else t("find.verified_any", code)
    if name == "weekdays":
        return WEEKDAY_NAMES[int(value)][:3]
    if name == "times_of_day":
        return str(value).capitalize()
    if name == "starting_within":
        return t("find.soon_hours", hours=f"{value:g}") if value else t("find.soon_any")
    if name == "verified_within_months":
        return t("find.verified_months", months=value) if value else t("find.verified_any")
    if name == "languages":
        return LANGUAGE_NAMES.get(str(value), str(value))
    if name == "subcategories":
        return subcategory_text(str(value))
    if name == "county":
        return county_label(str(value))
    field = {"categories": "category", "formats": "format"}.get(name, name)
    return vocab(field, str(value))


def county_label(value: str) -> str:
    """A county filter value as the screen shows it: "Peoria County", "Lake County, IN"; a county-level
    city keeps its name ("Saint Louis City, MO")."""
    name, _, state = value.partition(" (")
    state = state.rstrip(")")
    if name.lower().endswith((" city", " county")):
        return f"{name}, {state}" if state else name
    return t("find.county_state", name=name, state=state) if state else t("find.county_name", name=name)


def choices(item: Filter, facets: Mapping[str, Mapping[str, int]], current: object) -> list:
    """The filter's choices (fixed, or every value the catalog holds), plus any chosen value not among them."""
    options = list(item.choices or facets.get(item.name, {}))
    chosen = current if isinstance(current, list) else [current]
    return options + [v for v in chosen if v is not None and v not in options]


def label_func(name: str, lang: str | None = None):
    """The format function of a filter widget: the choice's label alone, the same on every rerun.

    Streamlit sends a chosen option back as the text this function returned when it was drawn; a label
    that carries a count ("Buprenorphine (5)") stops matching once the counts change, and the widget then
    hands back the old label as its value. So labels never carry counts: `counts_text` shows them.
    """

    code = language(lang)  # bound now: Streamlit may call it outside the page's run

    def fmt(value: object) -> str:
        return value_label(name, value, code)

    return fmt


def counts_text(item: Filter, facets: Mapping[str, Mapping[str, int]], current: object = None) -> str:
    """How many results each choice of a filter holds now: "Buprenorphine 5 · Methadone 2" ("" if none)."""
    counts = facets.get(item.name, {})
    # A caption renders Markdown, and fellowship or language names are catalog text: escaped.
    parts = [f"{md(value_label(item.name, v))} {counts[str(v)]}" for v in choices(item, facets, current)
             if counts.get(str(v))]  # fmt: skip
    return t("find.counts", counts=" · ".join(parts)) if parts else ""


def selection(item: Filter, value: object) -> object:
    """A widget's value with anything that is not one of the filter's own values left out.

    A fixed vocabulary keeps only its values; a catalog-derived list (fellowships, languages, kinds of
    service) keeps strings. The guard behind `label_func`: a display label never reaches the query.
    """
    if not isinstance(value, list) or not item.choices:
        return value
    allowed = {str(c) for c in item.choices}
    return [v for v in value if str(v) in allowed]


def widget_state(query: Query) -> dict[str, object]:
    """Widget values (by key) that show this query."""
    return {PREFIX + n: list(v) if isinstance(v, tuple) else v for n, v in query.__dict__.items()}


def cleared(query: Query) -> dict[str, object]:
    """Widget values with every filter back to its default, keeping the place, distance and sort."""
    defaults = widget_state(Query())
    return {k: v for k, v in defaults.items() if k[len(PREFIX) :] not in KEEP_ON_CLEAR}


def active_count(query: Query) -> int:
    """How many filters differ from their default (the place, distance and sort are not filters)."""
    default = Query()
    return sum(getattr(query, n) != getattr(default, n) for n in QUERY_FIELDS if n not in KEEP_ON_CLEAR)


def query_from_state(state: Mapping[str, object]) -> Query:
    """The query the widgets show (missing widgets keep the default)."""
    by_name = {f.name: f for f in FILTERS}
    values = {n: state[PREFIX + n] for n in QUERY_FIELDS if PREFIX + n in state}
    if isinstance(values.get("place"), str):
        values["place"] = values["place"].strip()  # a blank place is no place
    return Query(**{n: selection(by_name[n], v) if n in by_name else v for n, v in values.items()})


def page_params(query: Query, *, as_map: bool, page: int) -> dict[str, str]:
    """The URL of a Find view: the query, plus view=map and the page number when they are not the default."""
    params = query.to_params()
    if as_map:
        params["view"] = "map"
    elif page > 1:
        params["page"] = str(page)
    return params


@dataclass(frozen=True)
class CardText:
    """What a result card says, as markdown with catalog text escaped."""

    head: str
    badges: tuple[tuple[str, str], ...]  # (text, colour)
    body: str
    caption: str


@dataclass(frozen=True)
class CardParts:
    """What a result card says, as plain (unescaped) text and links, for a renderer that escapes it itself
    (the result list in the browser sets it as text, never as HTML). Links hold only allowed addresses."""

    name: str
    kind: str
    distance: str
    badges: tuple[tuple[str, str], ...]  # (text, colour)
    lines: tuple[str, ...]  # when, where, kind of care; the empty ones left out
    links: tuple[tuple[str, str], ...]  # (label, URL): the next step or phones, website, join, directions
    caption: str  # source and as-of, and how sure the listing is


def _phone_link(phone: str) -> tuple[str, str]:
    """ "Text HOME to 741741" for a line that takes text messages, "Call (833) 234-6343" otherwise."""
    parsed = phones.try_parse(phone)
    if parsed is not None and parsed.kind == "sms":
        key = "card.text_word" if parsed.keyword else "card.text"
        return t(key, keyword=parsed.keyword, number=parsed.national), parsed.href()
    return t("card.call", phone=phone), maps.tel_url(phone)


def card_parts(result, now: datetime) -> CardParts:
    """The card of one search result: name, kind and distance; badges; when, where and links; provenance."""
    r = result.resource
    sure = certainty(r, now)
    badges = []
    if r.verification == "unconfirmed":
        badges.append((t("age.unconfirmed"), "orange"))
    if r.status != "active":
        badges.append((t("card.closed" if r.status == "temporarily_closed" else "card.inactive"), "red"))
    lines = tuple(x for x in (when_text(r, result.next_start, now), where_text(r), care_text(r)) if x)
    links = [_phone_link(p) for p in r.phones[:2]]
    step = next_step(r)
    if step is not None:  # no phone: say so and where to look, never a blank
        links.insert(0, (step.words, step.url))
    links += [(t("card.website"), r.website), (t("card.join"), r.conference_url)]
    links.append((t("card.directions"), maps.directions_url(r)))
    # An undated listing's as_of is the day it was added: its certainty words say so, not "as of".
    source = (
        t("card.source_only", source=source_name(r.source))
        if r.date_basis == "added"
        else (t("card.source", source=source_name(r.source), as_of=r.as_of))
    )
    return CardParts(
        name=r.name,
        kind=kind_text(r),
        distance=distance_words(result.distance_label),
        badges=tuple(badges),
        lines=lines,
        links=tuple((label, url) for label, url in links if safe_url(url)),
        caption=source + " · " + sure.words,
    )


def card_text(result, now: datetime) -> CardText:
    """The card of one search result as markdown (the map's cards and the tests read it): `card_parts`
    with every catalog word escaped."""
    parts = card_parts(result, now)
    head = f"**{md(parts.name)}**  \n{md(parts.kind)}"
    if parts.distance:
        head += f" · **{md(parts.distance)}**"
    lines = [md(x) for x in parts.lines]
    lines.append(" · ".join(md_link(label, url) for label, url in parts.links))
    return CardText(head, parts.badges, "  \n".join(x for x in lines if x), md(parts.caption))


def relaxed_lines(relaxed: Mapping[str, int]) -> list[str]:
    """What an empty result would find with one filter cleared: "Without the “County” filter: 12 results",
    the most helpful first; filters whose clearing finds nothing are left out."""
    lines = []
    for group, count in sorted(relaxed.items(), key=lambda item: -item[1]):
        if count <= 0:
            continue
        name = t("find.group_when") if group == "schedule" else title(group)
        key = "find.empty_relax_one" if count == 1 else "find.empty_relax"
        lines.append(t(key, filter=name, count=count))
    return lines
