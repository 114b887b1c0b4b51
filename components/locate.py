"""The Find page's "Use my location" button: a Streamlit component (st.components.v2) drawn in the page
itself, no iframe.

As a v1 component it was a separate document in an iframe: the page loaded Streamlit's iframe chunks, then
the frame's own page and script, and talked to it by postMessage, all on the way to the first result card
(issue 10, first load). Drawn in the page it is one button and a few lines of script sent with the page.

The browser asks for its position only when the button is pressed (not precise, at most 15 s, a position
up to 10 minutes old will do), and the answer is kept as the element's state: it reaches this app with the
next run, and nothing else leaves the browser. What comes back is checked here (`answer`): only finite
coordinates in range and the three known errors pass; anything else is "unavailable".
"""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
NAME = "aftercare.locate"
STATE = "answer"  # the element's state the browser sets: the last answer
ERRORS = frozenset({"denied", "unavailable", "unsupported"})
_mount = st.components.v2.component(
    NAME,
    js=(HERE / "locate.js").read_text(encoding="utf-8"),
    css=(HERE / "locate.css").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def _number(value: object, limit: float) -> float | None:
    """`value` as a float when it is a finite number (not a bool) within +-`limit`, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) and -limit <= number <= limit else None


def _stamp(raw: object) -> int:
    """The answer's `ts` when it is a whole number; else one derived from the answer itself, so the same
    malformed value is reported once, not on every run."""
    ts = raw.get("ts") if isinstance(raw, dict) else None
    if isinstance(ts, int) and not isinstance(ts, bool):
        return ts
    try:
        text = json.dumps(raw, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        text = repr(raw)
    return -1 - zlib.crc32(text.encode("utf-8", "replace"))  # negative: never a browser's Date.now()


def answer(raw: object) -> dict | None:
    """What the browser sent, checked: None (never pressed), {"lat", "lon", "ts"} with finite coordinates in
    range, {"error": "denied"|"unavailable"|"unsupported", "ts"}, or for anything else
    {"error": "unavailable", "ts"}."""
    if raw is None:
        return None
    ts = _stamp(raw)
    if isinstance(raw, dict):
        lat, lon = _number(raw.get("lat"), 90), _number(raw.get("lon"), 180)
        if lat is not None and lon is not None and "error" not in raw:
            return {"lat": lat, "lon": lon, "ts": ts}
        error = raw.get("error")
        if isinstance(error, str) and error in ERRORS and "lat" not in raw and "lon" not in raw:
            return {"error": error, "ts": ts}
    return {"error": "unavailable", "ts": ts}


def locate(label: str, key: str) -> dict | None:
    """The last answer of the button labelled `label`: {"lat", "lon", "ts"} or {"error", "ts"}, a new `ts`
    per press; None until pressed (a press reruns the page)."""
    shown = _mount(key=key, data={"label": label}, **{f"on_{STATE}_change": lambda: None})
    return answer(shown.get(STATE))
