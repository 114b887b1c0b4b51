"""The Find page's result cards as one element: a Streamlit component (st.components.v2) drawn in the page
itself, no iframe.

Drawn with Streamlit's own elements, a card was four (its border, its words, "Details" and "Add"), and a
results page of twenty to thirty-two cards was 80 to 128 of the page's 200 messages: the browser's work per
message made a filter click about 0.5 s. As one element the cards cost one message (issue 10).

The catalog's words travel as data (`directory.filters.card_parts`) and the browser sets them as text; the
links are checked on both sides. "Add" and "Details" come back as trigger events: "add" adds the listing
(the callback given), "details" opens its details page in this tab. A "Details" link is a real link, so it
also opens in a new tab.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import streamlit as st

from directory import filters
from directory.words import t

HERE = Path(__file__).parent
NAME = "aftercare.result_list"
DETAILS_PAGE = "pages/details.py"
_mount = st.components.v2.component(
    NAME,
    js=(HERE / "result_list.js").read_text(encoding="utf-8"),
    css=(HERE / "result_list.css").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def card_data(result, now: datetime, added: bool) -> dict:
    """One card as the browser draws it: its `CardParts` (plain words, never HTML, and checked links), its
    id and whether it is on the referral list."""
    return {"id": result.resource.id, **dataclasses.asdict(filters.card_parts(result, now)), "added": added}


def result_list(results, now: datetime, *, key: str, listed: Callable[[str], bool],
                on_add: Callable[[str], None], label: str) -> None:  # fmt: skip
    """Draw `results` as cards; "Add" calls `on_add(id)` before the rerun; "Details" switches to the
    listing's details page. `listed(id)` tells which are on the referral list already."""
    if not results:
        return
    state = st.session_state

    shown_key = f"_{key}_shown"  # the ids these cards showed, for the callback before the next run

    def added() -> None:
        chosen = (state.get(key) or {}).get("add")
        if isinstance(chosen, str) and chosen in state.get(shown_key, ()):
            on_add(chosen)  # only a listing these cards showed: a stale or forged event adds nothing

    data = {
        "labels": {
            "list": label,
            "details": t("card.details"),
            "add": t("card.add"),
            "added": t("card.added"),
        },
        "cards": [card_data(r, now, listed(r.resource.id)) for r in results],
    }
    state[shown_key] = frozenset(r.resource.id for r in results)
    shown = _mount(key=key, data=data, on_add_change=added, on_details_change=lambda: None)
    chosen = shown.get("details")
    if isinstance(chosen, str) and chosen in state[shown_key]:
        st.switch_page(DETAILS_PAGE, query_params={"id": chosen})
