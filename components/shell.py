"""The guard every page calls first, so that a page always runs inside the app shell (app.py).

Streamlit treats a `pages/` folder as the old multipage mode until `st.navigation` has run once in the
server process. So on a freshly started server, a visitor whose first request is a deep link (for
example a shared details link) would get the page script alone, without the catalog, the sidebar
or the crisis lines. The guard switches that mode off and reruns, and the rerun goes through app.py.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

SHELL_KEY = "settings"  # app.py sets it on every run before it runs a page


def require_shell() -> None:
    """Rerun through app.py when this page was started without it; do nothing otherwise."""
    if SHELL_KEY in st.session_state or not PagesManager.uses_pages_directory:
        return  # inside the shell, or a page run on its own on purpose (a page test): nothing to redo
    PagesManager.uses_pages_directory = False
    st.rerun()
