"""Browser-side pieces the app serves itself: `locate()`, the "Use my location" button.

Streamlit components must be declared in an importable module (not in a page script), hence this package.
The declaration waits for the first call: `python -m components.serve` (what `make run` starts) imports this
package before the server exists, and a component declared then is unknown to the server, which answers
404 for its files and shows an error box a minute later.
The button asks the browser for its position only when pressed; nothing leaves the machine but the
coordinates, sent back to this app.
"""

from pathlib import Path

import streamlit.components.v1 as components

_declared: dict[str, object] = {}
_STYLE = Path(__file__).resolve().parent.parent / "static" / "app.css"


def page_style() -> str:
    """The app's own CSS (static/app.css: crisis bar, 44 px touch targets, the phone layout), read once."""
    if "style" not in _declared:
        _declared["style"] = _STYLE.read_text(encoding="utf-8") if _STYLE.is_file() else ""
    return str(_declared["style"])


def _geolocation():
    if "geolocation" not in _declared:
        path = str(Path(__file__).parent / "geolocation")
        _declared["geolocation"] = components.declare_component("geolocation", path=path)
    return _declared["geolocation"]


def locate(label: str, key: str) -> dict | None:
    """The last answer of the button: {"lat", "lon", "ts"} or {"error", "ts"}; None until pressed (reruns then)."""
    return _geolocation()(label=label, key=key, default=None)


# The frame is same-origin, so its script can reach the page that holds it.
_GUARD = """<script>
(function () {
  var page = window.parent;
  if (!page.__aftercareLeaveGuard) {
    page.__aftercareLeaveGuard = true;
    // Created and registered by the page itself: a listener this frame added would die with the frame.
    new page.Function(
      "window.addEventListener('beforeunload', function (event) {" +
      "  if (window.__aftercareUnsaved) { event.preventDefault(); event.returnValue = ''; }" +
      "});")();
  }
  page.__aftercareUnsaved = %s;
})();
</script>"""


def guard_leaving(unsaved: bool) -> None:
    """Make the browser ask before a reload or leaving the app while `unsaved` (the care-plan draft)."""
    from streamlit.components.v1 import html

    html(_GUARD % ("true" if unsaved else "false"), height=0)
