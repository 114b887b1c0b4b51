"""The Find page's first screen as HTML, drawn by the server into the page it sends (components/serve.py).

A Streamlit page shows nothing until its frontend has loaded, connected and drawn the first run: on the
machines measured that is about two seconds for a one-widget app and three for this one (issue 10).
This module writes what the first screen of a Find link will show (the crisis bar, the page title,
the results sentence and the first page of result cards) as plain HTML for the page's HTML file, so the
person reads results and can call a number straight away. The app then draws the same page and the
browser removes this copy (components/first_screen.js); an "Add" pressed meanwhile is pressed again on
the real card.

The search is the Find page's own (`directory.search.search` on the URL's query) and the cards carry
the words of `directory.filters.card_parts`, the same parts the page's result list draws. Every catalog
word is escaped and every link is checked again here (catalog text is untrusted). A link that the page
would show differently (a map view, a place not found, notes about the URL, no results, a place out
of state) gets no first screen: `first_screen` answers None and the page loads as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from urllib.parse import urlencode

from directory import filters, geo, schedule, translation
from directory.phones import href as phone_href
from directory.query import PAGE_SIZE, PARAM_KEYS, Query, describe_in, page_count, page_number, searched
from directory.referrals import KEEP_PARAM, ReferralList
from directory.words import safe_url, t

SHELL_ID = "ac-first"
LANG_PARAM = "lang"
# The crisis bar's numbers (app.py draws the same bar atop every page from here).
CRISIS_BAR = (("988", "crisis.bar_988"), ("833-234-6343", "crisis.bar_illinois"), ("911", "crisis.bar_911"))


def crisis_bar(lang: str, other_language_url: str) -> str:
    """The compact crisis bar: its title, the three numbers as tap-to-call links, and a link to this page
    in the other language (`other_language_url`, a relative URL that is escaped here)."""
    links = " ".join(
        f'<a href="{escape(phone_href(number))}" aria-label="{escape(t(key, lang))}, {number}">'
        f"{escape(t(key, lang))} {number}</a>"
        for number, key in CRISIS_BAR
    )
    other = next(code for code in translation.LANGUAGES if code != lang)
    name = translation.LANGUAGE_NAMES[other]
    switch = (
        f'<a href="{escape(other_language_url)}" hreflang="{other}" lang="{other}" target="_self" '
        f'aria-label="{escape(t("lang.switch_to", other))}">{escape(name)}</a>'
    )
    return (
        f'<nav class="crisis-bar" aria-label="{escape(t("crisis.bar_label", lang))}">'
        f'<span class="crisis-bar-title">{escape(t("crisis.title", lang))}</span>{links}'
        f'<span class="crisis-bar-lang">{switch}</span></nav>'
    )


def _icon(name: str) -> str:
    return f'<span class="ac-icon" aria-hidden="true">{name}</span>'


def _link(label: str, url: str) -> str:
    if not safe_url(url):
        return ""
    new_tab = ' target="_blank" rel="noopener noreferrer"' if url.startswith(("http:", "https:")) else ""
    return f'<a class="ac-link" href="{escape(url)}"{new_tab}>{escape(label)}</a>'


def card(parts: filters.CardParts, resource_id: str, added: bool, lang: str) -> str:
    """One result card, as components/result_list.js draws it (the same classes, so the same look)."""
    head = f'<strong class="ac-name">{escape(parts.name)}</strong><br>{escape(parts.kind)}'
    if parts.distance:
        head += f" · <strong>{escape(parts.distance)}</strong>"
    out = [f'<li class="ac-card" data-id="{escape(resource_id)}"><p class="ac-head">{head}</p>']
    if parts.badges:
        badges = "".join(
            f'<span class="ac-badge ac-badge-{"red" if colour == "red" else "orange"}">'
            f"{_icon('warning')}{escape(text)}</span>"
            for text, colour in parts.badges
        )
        out.append(f'<p class="ac-badges">{badges}</p>')
    if parts.lines:
        out.append('<p class="ac-body">' + "<br>".join(escape(line) for line in parts.lines) + "</p>")
    links = "".join(_link(label, url) for label, url in parts.links)
    if links:
        out.append(f'<p class="ac-links">{links}</p>')
    out.append(f'<p class="ac-caption">{escape(parts.caption)}</p>')
    label = t("card.added" if added else "card.add", lang)
    disabled = ' aria-disabled="true"' if added else ""
    out.append(
        f'<div class="ac-actions"><a class="ac-details" href="details?id={escape(resource_id)}">'
        f"{_icon('info')}{escape(t('card.details', lang))}</a>"
        f'<button type="button" class="ac-add" data-queued="{escape(t("find.first_add_queued", lang))}"'
        f"{disabled}>{escape(label)}</button></div></li>"
    )
    return "".join(out)


def screen_language(params: Mapping[str, str], accept_language: str = "") -> str:
    """The page's language as app.py chooses it for a first visit: `?lang=` when the app speaks it, else
    the browser's Accept-Language, else English."""
    return translation.choose(params.get(LANG_PARAM), accept_language)


def switch_href(params: Mapping[str, str], lang: str) -> str:
    """The relative address of this page in `lang`: the same URL parameters, `lang` changed."""
    return "?" + urlencode({**{k: v for k, v in params.items() if k != LANG_PARAM}, LANG_PARAM: lang})


def first_screen(
    index, params: Mapping[str, str], *, accept_language: str = "", now: datetime | None = None
) -> str | None:
    """The HTML of the first screen of the Find page at a URL with these query `params` (the last value
    of each), or None when that page would start with something this does not draw."""
    if params.get("view") == "map":
        return None
    lang = screen_language(params, accept_language)
    with translation.using(lang):
        query, notes = Query.from_params({k: v for k, v in searched(params).items() if k in PARAM_KEYS})
        if notes:
            return None
        query = filters.query_from_state(filters.widget_state(query))  # as the page's widgets give it back
        now = now or datetime.now(schedule.TZ)
        page = max(1, page_number(params.get("page", "")))
        found = search_page(index, query, now, page)
        if found is None:
            return None
        place = found.place
        if place is not None and geo.place_state(place) not in ("IL", "", *geo.BORDER_STATES):
            return None
        listed = set(ReferralList.from_share_params({"ids": params.get(KEEP_PARAM, "")}).ids)
        count = t("find.count_one") if found.total == 1 else t("find.count", count=found.total)
        cards = "".join(
            card(filters.card_parts(r, now), r.resource.id, r.resource.id in listed, lang)
            for r in found.results
        )
        other = next(code for code in translation.LANGUAGES if code != lang)
        return (
            f'<div id="{SHELL_ID}" lang="{lang}">'
            f'<div class="ac-first-side" aria-hidden="true"></div><div class="ac-first-main">'
            f"{crisis_bar(lang, switch_href(params, other))}"
            f'<h1>{escape(t("find.title"))}<span class="ac-first-anchor"></span></h1>'
            f'<p class="ac-first-intro">{escape(t("find.intro"))}</p>'
            f'<p class="ac-first-form" role="status">{escape(t("find.first_loading"))}</p>'
            f'<p class="ac-first-count"><strong>{escape(describe_in(query, place).strip())}</strong>'
            f" — {escape(count)}</p>"
            f'<ul class="ac-list" aria-label="{escape(t("find.results_label"))}">{cards}</ul>'
            "</div></div>"
        )


def search_page(index, query: Query, now: datetime, page: int):
    """The page of results the Find page would show first, or None when it would show no cards."""
    from directory.search import search

    offset = (page - 1) * PAGE_SIZE
    found = search(index, query, now=now, geocoder=None, offset=offset, limit=PAGE_SIZE)
    if found.message or not found.total:
        return None
    if offset >= found.total:  # ?page=999: the last page there is
        last = page_count(found.total)
        found = search(index, query, now=now, geocoder=None, offset=(last - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return found if found.results else None
