"""Browser-side pieces the app serves itself: `locate()`, the "Use my location" button.

Streamlit components must be declared in an importable module (not in a page script), hence this package.
The button asks the browser for its position only when pressed; nothing leaves the machine but the
coordinates, sent back to this app.
"""

from pathlib import Path

import streamlit.components.v1 as components

_geolocation = components.declare_component("geolocation", path=str(Path(__file__).parent / "geolocation"))


def locate(label: str, key: str) -> dict | None:
    """The last answer of the button: {"lat", "lon", "ts"} or {"error", "ts"}; None until pressed (reruns then)."""
    return _geolocation(label=label, key=key, default=None)
