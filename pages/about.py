"""About the data: where every listing comes from, its date and licence, and what "unconfirmed" means."""

import streamlit as st

from components.shell import require_shell
from directory.catalog import DATA_DIR
from directory.maps import STATIC_DIR
from directory.words import t

require_shell()

st.title(t("about.title"))
st.subheader(t("about.unconfirmed_title"))
st.markdown(t("about.unconfirmed"))
st.markdown(t("about.as_of"))
st.subheader(t("about.privacy_title"))
st.markdown(t("about.privacy"))
st.divider()
sources = DATA_DIR / "SOURCES.md"
if sources.is_file():
    st.markdown(sources.read_text(encoding="utf-8"))
else:
    st.info(t("about.sources_missing"))
st.divider()
st.markdown(t("about.geonames"))
credits = STATIC_DIR / "SOURCES.md"
if credits.is_file():
    with st.expander(t("about.map_credits")):
        st.markdown(credits.read_text(encoding="utf-8"))
