"""The nearest listings a care plan names for a place: free naloxone for the overdose section, medicine
take-back for safety-plan step 6 ("making the environment safe"), and meetings for the weekly schedule.

Each is an ordinary search, widened step by step until something confirmed is found, so a plan for
Cairo gets the nearest naloxone even when it is 60 miles away, and says how far it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directory.geo import Place
from directory.meetings import MEETINGS_ENOUGH, Finder
from directory.search import Query, Result, SearchResults, search
from directory.words import distance_words, md, md_link, t, where_text

RADII = (10.0, 25.0, 50.0, 100.0)
NALOXONE = (
    "naloxone_vending_machine",
    "naloxone_distribution_box",
    "naloxone_library",
    "naloxone_newsstand",
    "naloxone_government",
    "naloxone_harm_reduction_org",
    "naloxone_pharmacy",
    "naloxone_pickup",
    "syringe_service_program",
)
DISPOSAL = ("medication_disposal",)
# plan section -> (what it needs, the sentence of one pick)
FOR_SECTION = {
    "overdose_risk": (NALOXONE, "plan.nearest_naloxone"),
    "safety_plan": (DISPOSAL, "plan.nearest_disposal"),
}


@dataclass(frozen=True)
class Pick:
    """One listing a plan section can add, with the sentence that offers it."""

    result: Result
    sentence: str


def nearest(
    index, place: Place | None, subcategories: tuple[str, ...], *, limit: int = 3, now=None
) -> list[Result]:
    """The nearest confirmed harm-reduction listings of these kinds, widening the radius up to 100 miles."""
    if place is None:
        return []
    for radius in RADII:
        query = Query(
            latitude=place.latitude,
            longitude=place.longitude,
            place=place.label,
            radius=radius,
            categories=("harm_reduction",),
            subcategories=subcategories,
        )
        found = search(index, query, now=now, limit=limit)
        if found.results:
            return found.results
    return []


def picks_for_section(index, place: Place | None, section: str, *, limit: int = 3) -> list[Pick]:
    """What the plan's overdose section (naloxone), safety plan (take-back) or weekly schedule (meetings,
    the unconfirmed ones badged in their sentence) can pick near `place`."""
    if index is None:
        return []
    if section == "schedule":
        found = meetings_near(index, place)
        if found is None:
            return []
        shown = found.results + found.unconfirmed_meetings + found.online_meetings
        out = []
        for result in [r for r in shown if r.resource.schedule][: limit * 3]:
            r = result.resource
            key = (
                "plan.nearest_meeting_unconfirmed"
                if r.verification == "unconfirmed"
                else "plan.nearest_meeting"
            )
            out.append(
                Pick(result, t(key, name=r.name, distance=distance_words(result.distance_label) or r.city))
            )
        return out
    if section not in FOR_SECTION:
        return []
    kinds, key = FOR_SECTION[section]
    out = []
    for result in nearest(index, place, kinds, limit=limit):
        r = result.resource
        distance = distance_words(result.distance_label) or t("meetings.no_place")
        out.append(Pick(result, t(key, name=r.name, where=where_text(r) or r.city, distance=distance)))
    return out


def meetings_near(
    index, place: Place | None, now: datetime | None = None, *, limit: int = 20
) -> SearchResults | None:
    """A meeting search near `place` for the plan's schedule: confirmed meetings, and when there are fewer
    than five, the unconfirmed and online ones and the fellowships' finders (see `search`)."""
    if place is None:
        return None
    query = Query(
        latitude=place.latitude,
        longitude=place.longitude,
        place=place.label,
        radius=10,
        categories=("support_group",),
    )
    return search(index, query, now=now, limit=limit)


def meeting_finders(index, place: Place | None) -> list[Finder]:
    """Each fellowship's own meeting finder for the plan's schedule when fewer than five confirmed meetings
    are near `place` (the Find page's "find more meetings" block); [] otherwise or without a place."""
    if index is None:
        return []
    found = meetings_near(index, place, limit=200)
    if found is None or found.confirmed_meetings >= MEETINGS_ENOUGH:
        return []
    # The plan lists no result cards, so the directories among the results are finders here too.
    listed = [
        Finder(x.resource.name, x.resource.fellowship, x.resource.website, x.resource.id)
        for x in found.results
        if not x.resource.schedule and x.resource.website.startswith(("https://", "http://"))
    ]
    out, seen = [], set()
    for finder in sorted([*listed, *found.meeting_finders], key=lambda f: (f.fellowship, f.name)):
        if finder.url not in seen:
            seen.add(finder.url)
            out.append(finder)
    return out


def finders_text(index, place: Place | None) -> str:
    """The finders as Markdown ("Find more meetings near 61602 (Peoria)", then one link a line; catalog
    text escaped), or "" when there are none to show."""
    finders = meeting_finders(index, place)
    if not finders:
        return ""
    links = [md_link(f"{f.fellowship}: {f.name}" if f.fellowship else f.name, f.url) for f in finders]
    head = f"**{t('meetings.finders_title', place=md(place.label))}**  \n{t('meetings.finders_intro')}"
    return head + "  \n" + "  \n".join(x for x in links if x)
