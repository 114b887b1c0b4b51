"""Start the app server with its heavy libraries already imported, as `make run` does.

Streamlit runs app.py only when a visitor arrives, so the first visitor of a fresh server would wait
about a second for numpy, pandas and folium to import. Importing them here, before the server
starts, moves that second to start-up, where the health check still answers within two seconds.
streamlit_folium is left out on purpose: it declares a component, which must happen once the server runs.
A background thread then warms the gazetteer, the basemap files and the Care plan modules (`warm_up`).
Arguments after the module name go to `streamlit run app.py`.
"""

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable

import folium  # noqa: F401 - imported for its start-up cost
from streamlit.web import cli

import directory.maps  # noqa: F401
import directory.search  # noqa: F401

NOT_READY = "loading the search index"  # the health check's body (HTTP 503) until the index is in memory
_log = logging.getLogger(__name__)
_STREAMLIT_READY: dict = {}  # Streamlit's own readiness answer, kept when the gate replaces it
_WARM: dict = {}  # the default catalog once opened at start ("catalog"), and "done" once warmed


def warm_index() -> None:
    """Load the default SQLite catalog's search index into this process (from the cache beside it, or
    built from the rows and cached), where the app's first visitor finds it (`SearchIndex.from_catalog`
    reuses an index the process holds for the same catalog version). A database URL or a missing
    catalog is left to the app, which says what is wrong."""
    from directory import store as stores
    from directory.search import SearchIndex

    target = stores.default_target()
    if stores.is_database_url(target):
        return
    catalog = stores.open_store(target, shared=True, create=False)
    SearchIndex.from_catalog(catalog)
    _WARM["catalog"] = catalog


def current_index():
    """The search index of the default catalog as it is now, for the Find page's first screen
    (components/first_screen.py); None until the warm-up has opened the catalog. An import since
    then gives a new index, as it does to the app (`SearchIndex.from_catalog` checks the version)."""
    from directory.search import SearchIndex

    catalog = _WARM.get("catalog") if _WARM.get("done") else None
    return None if catalog is None else SearchIndex.from_catalog(catalog)


def gate_health_on(warm: Callable[[], None] = warm_index) -> threading.Thread:
    """Run `warm` in a thread and have the health check (`/_stcore/health`) answer "ok" only once it has
    finished (failed or not: then the app shows the problem); until then it answers 503 `NOT_READY`.
    Returns the thread."""
    from streamlit.runtime import Runtime

    done = threading.Event()

    def run() -> None:
        try:
            warm()
        except Exception:  # the app reports a bad catalog to its visitors; the server must still start
            _log.exception("the search index could not be loaded at start")
        finally:
            done.set()

    answer = _STREAMLIT_READY.setdefault("property", Runtime.is_ready_for_browser_connection)

    async def is_ready(self) -> tuple[bool, str]:
        ok, message = await answer.fget(self)
        if ok and not done.is_set():
            return False, NOT_READY
        return ok, message

    Runtime.is_ready_for_browser_connection = property(is_ready)
    thread = threading.Thread(target=run, name="warm-search-index", daemon=True)
    thread.start()
    return thread


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

        warm_first_run()
    except Exception:  # noqa: BLE001 - warming is an optimisation; the page does the same work if it fails
        pass


def warm_first_run() -> None:
    """What a session's first run did once per process, measured at 0.8-1.2 s of a 1.9 s first run:
    the Find page's modules, Streamlit's emoji and icon tables and their patterns (read by the first
    widget with options), PIL's image plugins (the page icon), the phone metadata, the Spanish
    catalog (the crisis bar names the other language in it), and `inspect`'s table of module files
    (Streamlit walks the stack once, on the first element a process draws); and the Catalog page's
    modules (about 0.4 s of its first view)."""
    import inspect

    from PIL import Image, ImageDraw  # noqa: F401
    from streamlit import string_util

    import components.resources  # noqa: F401
    import directory.catalog_admin  # noqa: F401 - the Catalog page's modules (about 0.4 s of its first view)
    import directory.curation  # noqa: F401
    import directory.filters  # noqa: F401
    import directory.map_groups  # noqa: F401
    import directory.markers  # noqa: F401
    import directory.refresh  # noqa: F401
    from directory import phones, translation

    Image.preinit()  # the common image formats' plugins, which reading the page icon loads
    string_util.extract_leading_icon(":material/search: Find")
    string_util.extract_leading_emoji("Español")  # ASCII alone skips the emoji table
    phones.try_parse("833-234-6343")  # the Illinois Helpline, as the crisis bar shows it
    for lang in translation.LANGUAGES:
        if lang != "en":  # English is the words table itself: it has no catalog file
            translation.messages(lang)
    inspect.stack()  # as Streamlit calls it: with a line of context, so each frame's module is looked up


def freeze_warm_objects() -> None:
    """Leave what the warm-up made (the index, the gazetteer, imported modules: about a million Python
    objects) out of every later garbage collection. Streamlit collects all generations after each script
    run, holding the interpreter while it walks every object; over the warmed heap that took 0.2-0.45 s
    a run, during which the finished run's messages wait to be sent. Frozen objects are never freed,
    which is what the process wants for them anyway: they live until it ends."""
    gc.collect()
    gc.freeze()


def warm_everything() -> None:
    """The search index, then the rest of what a first visit needs, then the warm heap frozen."""
    warm_index()
    warm_up()
    freeze_warm_objects()
    _WARM["done"] = True


def main(argv: list[str]) -> int:
    from components import first_screen, shell

    shell.prepare_server()  # before the first visitor: deep links such as /referral-list just work
    # The Find page's address answered with its first screen in it (AFTERCARE_FIRST_SCREEN=0: Streamlit's page).
    if os.environ.get(first_screen.SWITCH, "1") != "0":
        first_screen.install(current_index)
    # Health says "ok" once the search index is in memory (issue 15) and the first visitor's other waits
    # (gazetteer, basemap, Care plan modules) are done.
    gate_health_on(warm_everything)
    sys.argv = ["streamlit", "run", "app.py", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
