"""Browser-side pieces the app draws itself: `locate()`, the "Use my location" button (components/locate.py,
drawn in the page, no iframe), the result cards (components/result_list.py), the app's CSS and the guard
against leaving an unsaved care plan.

Streamlit components must be declared in an importable module (not in a page script), hence this package.
"""

import functools
from pathlib import Path

from components.locate import locate

__all__ = ["guard_leaving", "locate", "page_style"]

_STYLE = Path(__file__).resolve().parent.parent / "static" / "app.css"


@functools.cache
def page_style() -> str:
    """The app's own CSS (static/app.css: crisis bar, 44 px touch targets, the phone layout), read once."""
    return _STYLE.read_text(encoding="utf-8") if _STYLE.is_file() else ""


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
