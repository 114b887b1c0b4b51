"""Meetings a patient can find: when a meeting search has fewer than five confirmed meetings, what else
there is to act on: the unconfirmed meetings that match (shown inline, badged), meetings one can join
online, and each fellowship's own meeting finder, using only the web addresses the catalog's cited rows
hold. `directory.search.search` fills these into its results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from directory.facets import Selection
from directory.query import Query

MEETINGS_ENOUGH = 5  # fewer confirmed meetings than this, and a meeting search shows what else there is
EXTRA_LIMIT = 10  # results in each extra meeting block


@dataclass(frozen=True)
class Finder:
    """A fellowship's own meeting finder: the website of a fellowship office or directory in the catalog."""

    name: str
    fellowship: str
    url: str
    resource_id: str


def asks_for_meetings(query: Query) -> bool:
    """Whether a query is a meeting search: support groups asked for, or a fellowship named."""
    return "support_group" in query.categories or (bool(query.fellowships) and not query.categories)


def add_meeting_help(found, plan: Selection, results_of: Callable) -> None:
    """Fill the extra meeting blocks of `found` when fewer than MEETINGS_ENOUGH confirmed meetings match;
    `results_of(selection, rows, now)` turns rows into results (search's own)."""
    index, query, place, now = plan.index, plan.query, plan.place, plan.now
    groups = index.is_any("category", ("support_group",))
    meetings = groups & index.has_slots
    found.confirmed_meetings = int(np.count_nonzero(plan.final & meetings))
    if found.confirmed_meetings >= MEETINGS_ENOUGH or query.include_unconfirmed:
        return
    shown = plan.final.copy()
    confirmed = index.is_any("verification", ("confirmed",))
    wider = Selection(index, dataclasses.replace(query, include_unconfirmed=True), place, now)
    doubtful = wider.final & groups & ~confirmed
    found.unconfirmed_meetings = results_of(wider, wider.order(np.flatnonzero(doubtful), EXTRA_LIMIT), now)
    shown |= doubtful
    anytime = dataclasses.replace(
        query,
        include_unconfirmed=True,
        weekdays=(),
        times_of_day=(),
        in_progress=False,
        starting_within=None,
        formats=(),
    )
    around = Selection(index, anytime, place, now)
    # Scheduled meetings one can join from anywhere; directories without a schedule are the finders below.
    online = index.is_any("format", ("online", "hybrid")) & (index.remote | index.regional) & index.has_slots
    rows = np.flatnonzero(around.final & groups & online & ~shown)
    found.online_meetings = results_of(around, around.order(rows, EXTRA_LIMIT), now)
    # A directory the results already list (with its website link) is not repeated as a finder: a listing
    # is shown once. The results are the first query's, so a Tuesday search still offers the directories.
    directories = np.flatnonzero(around.final & groups & ~index.has_slots & ~plan.final)
    finders, seen = [], set()
    for resource in sorted(index.resources(directories.tolist()), key=lambda r: (r.fellowship, r.name)):
        url = resource.website
        if not url.startswith(("https://", "http://")) or url in seen or resource.status != "active":
            continue
        seen.add(url)
        finders.append(Finder(resource.name, resource.fellowship, url, resource.id))
    found.meeting_finders = finders
