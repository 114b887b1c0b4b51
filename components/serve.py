"""Start the app server with its heavy libraries already imported, as `make run` does.

Streamlit runs app.py only when a visitor arrives, so the first visitor of a fresh server would wait
about a second for numpy, pandas and folium to import. Importing them here, before the server
starts, moves that second to start-up, where the health check still answers within two seconds.
streamlit_folium is left out on purpose: it declares a component, which must happen once the server runs.
A background thread then warms the gazetteer, the basemap files and the Care plan modules (`warm_up`).
Arguments after the module name go to `streamlit run app.py`.
"""

import sys

import folium  # noqa: F401 - imported for its start-up cost
from streamlit.web import cli

import directory.maps  # noqa: F401
import directory.search  # noqa: F401


def warm_up() -> None:
    """What the first visitor would otherwise wait for, done while the server starts (a background thread):
    the ZIP and city gazetteer (zipcodes reads its whole table on the first lookup, about 1.5 s), the
    basemap files and the Care plan page's modules. Not streamlit_folium: declared from here, even once the
    runtime exists, its component is unknown to the server (404); the map view imports it when first drawn."""
    from directory import geo, maps

    try:
        geo.lookup_place("60614")  # a known ZIP: loads the gazetteer
        geo.city_suggestions("Springfeld")  # the city table "did you mean" reads
        maps.illinois_outline(), maps.illinois_counties(), maps.illinois_towns()
        # The Care plan page's form, plan file and printouts (pandas, fpdf: about 1.5 s to import).
        import directory.plan_form  # noqa: F401
        import directory.render.exports  # noqa: F401
        import directory.render.plan  # noqa: F401
    except Exception:  # noqa: BLE001 - warming is an optimisation; the page does the same work if it fails
        pass


def main(argv: list[str]) -> int:
    import threading

    from components import shell

    shell.prepare_server()  # before the first visitor: deep links such as /referral-list just work
    threading.Thread(target=warm_up, name="aftercare-warm-up", daemon=True).start()
    sys.argv = ["streamlit", "run", "app.py", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
