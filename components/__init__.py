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


def _geolocation():
    if "geolocation" not in _declared:
        path = str(Path(__file__).parent / "geolocation")
        _declared["geolocation"] = components.declare_component("geolocation", path=path)
    return _declared["geolocation"]


def locate(label: str, key: str) -> dict | None:
    """The last answer of the button: {"lat", "lon", "ts"} or {"error", "ts"}; None until pressed (reruns then)."""
    return _geolocation()(label=label, key=key, default=None)
