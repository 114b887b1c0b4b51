"""The guard every page calls first, so that a page always runs inside the app shell (app.py).

Streamlit treats a `pages/` folder as the old multipage mode until `st.navigation` has run once in the
server process. So on a freshly started server, a visitor whose first request is a deep link (for
example a shared details link) would get the page script alone, without the catalog, the sidebar
or the crisis lines, and a "Page not found" notice for links such as /referral-list. Importing this
module and calling `prepare_server()` (components.serve does, before the server starts) switches that mode off;
the guard below still reruns a page that was started without the shell.
"""

import functools

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from directory import translation

SHELL_KEY = "settings"  # app.py sets it on every run before it runs a page
DEFAULT_SLUG = "find"  # app.py's default page, served at "/"; "/find" is the same page
LANG_PARAM = "lang"  # the screen language in the URL: ?lang=es / ?lang=en


def screen_language() -> str:
    """The language of this run: the link's `?lang=` when it names one the app speaks, else the one this
    visitor chose earlier in the session, else the browser's (Accept-Language, else its locale), else English.

    A `lang=` that is no screen language (an old link's spoken-language filter, `lang=Spanish` or
    `lang=pl`) is left to the search; directory/query.py reads it as the filter.
    """
    state = st.session_state
    asked = str(st.query_params.get(LANG_PARAM, "")).strip().lower()
    if asked in translation.LANGUAGES:
        state["screen_lang"] = asked
    if state.get("screen_lang") in translation.LANGUAGES:
        return state["screen_lang"]
    headers = st.context.headers or {}
    return translation.choose(None, headers.get("Accept-Language") or st.context.locale or "")


def current_language() -> str:
    """The screen language for a widget callback, which runs before the page sets it (see README)."""
    return st.session_state.get("screen_lang") or translation.language()


def fragment(func):
    """`st.fragment` for the app's pages: a part that reruns alone (the map reruns on every pan) runs no
    app.py, which is where a full run sets the screen language, so each of its own reruns sets it first.
    Pages use this, never `st.fragment` itself (tests/test_architecture.py checks)."""

    @functools.wraps(func)
    def in_screen_language(*args, **kwargs):
        translation.set_language(current_language())
        return func(*args, **kwargs)

    return st.fragment(in_screen_language)


def _resolve_default_slug(resolve):
    """`/find` (the default page's own name) resolves to the default page instead of "Page not found"."""

    def resolved(self, fallback_page_hash=""):
        found = resolve(self, fallback_page_hash)
        if found is None and not self.intended_page_script_hash and self.intended_page_name == DEFAULT_SLUG:
            return (self._pages or {}).get(fallback_page_hash)
        return found

    return resolved


def prepare_server() -> None:
    """Before any visitor: no old multipage mode, and `/find` known as the default page."""
    PagesManager.uses_pages_directory = False
    if not getattr(PagesManager._resolve_page_script, "_aftercare", False):
        PagesManager._resolve_page_script = _resolve_default_slug(PagesManager._resolve_page_script)
        PagesManager._resolve_page_script._aftercare = True


def require_shell() -> None:
    """Rerun through app.py when this page was started without it; then speak the screen language.

    app.py sets the language before it draws anything; a page run on its own (a page test) sets it here.
    """
    translation.set_language(screen_language())
    if SHELL_KEY in st.session_state or not PagesManager.uses_pages_directory:
        return  # inside the shell, or a page run on its own on purpose (a page test): nothing to redo
    PagesManager.uses_pages_directory = False
    st.rerun()
