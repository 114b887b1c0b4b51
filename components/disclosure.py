"""Whether an expander is open in the browser, so that its contents are drawn only once somebody opens it.

Streamlit can tell the server about an expander's state itself (`st.expander(on_change="rerun")`), but its
label is then part of its identity: "Filters (1)" becoming "Filters (2)" after a click makes a new
expander in the browser, and the focus on the filter just clicked is lost. Here the expander stays an
ordinary one (its identity is its key) and a small element inside it, drawn first, reports its state:
opening or closing reruns the page with `expanded()` answering.

Closed, the Find page's filter panel costs nothing to draw: about 45 of the first load's elements and
their code are left out (issue 10, first page load).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

NAME = "aftercare.disclosure"
# Inline HTML and CSS must hold a line break: Streamlit reads a one-line string with "/" or "[" as a file path.
_HTML = """<!-- components/disclosure.py: no visible output -->
<span class="ac-disclosure" hidden></span>"""
# Its element takes no room: without this rule the expander's gap above its first line grows by 16 px.
_CSS = """[data-testid="stElementContainer"]:has(> .stBidiComponent .ac-disclosure) {
  display: none;
}"""
_mount = st.components.v2.component(
    NAME,
    html=_HTML,
    css=_CSS,
    js=(Path(__file__).parent / "disclosure.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def expanded(key: str) -> bool:
    """True while the expander this is called in is open in the browser; False until somebody opens it.
    Call it first inside the `with st.expander(...)` block; `key` names the report (one per expander)."""
    shown = _mount(key=key, default={"open": False}, on_open_change=lambda: None)
    return shown.get("open") is True
