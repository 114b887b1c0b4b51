"""What every session of a server shares: the catalog store, its search index, the online geocoder and the
page icon, each made once per server (`st.cache_resource`).

They live in a module rather than in app.py because app.py runs again on every interaction, and a cached
function defined there is declared again each time: Streamlit then reads the function's source from disk
to key its cache, four times a run, which cost a filter click 20-25 ms on a busy machine.
"""

import streamlit as st

from directory import geo
from directory import settings as network
from directory import store as stores


@st.cache_resource(show_spinner=False, max_entries=2)
def catalog_store(target: str, identity: str):
    """One store per server and catalog (for PostgreSQL a connection pool), shared by every session.

    `identity` changes when a rebuilt SQLite file replaces the old one, so the new file is opened.
    """
    return stores.open_store(target, pool_size=8, shared=True, create=False)


@st.cache_resource(show_spinner=False, max_entries=2)
def load_directory(target: str, identity: str, version: int):
    """The catalog and its search index, rebuilt only when the catalog version row changes (the key).

    Every rerun reads the version (one small query), so an import or refresh made on any server or
    from the command line reaches this server at the visitor's next interaction, without a restart.
    """
    from directory.search import SearchIndex

    catalog = catalog_store(target, identity)
    return catalog, SearchIndex.from_catalog(catalog)


@st.cache_resource(show_spinner=False)
def online_geocoder() -> geo.OnlineGeocoder:
    """One geocoder per server, so its cache and its one-request-a-second limit are shared."""
    return geo.OnlineGeocoder(user_agent=network.GEOCODER_USER_AGENT)


@st.cache_resource(show_spinner=False)
def page_icon() -> bytes:
    """A plain dark-blue disc drawn here (an emoji or material icon would be fetched from a CDN), as PNG
    bytes: a PIL image would be encoded again on every run."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    icon = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(icon).ellipse((4, 4, 60, 60), fill="#1d4f91", outline="#ffffff", width=4)
    png = BytesIO()
    icon.save(png, format="PNG")
    return png.getvalue()
