"""About the data: where every listing comes from, its date and licence, and what "unconfirmed" means."""

import streamlit as st

from components.shell import require_shell
from directory.sources import credits_documents
from directory.words import t

require_shell()

catalog_sources, map_credits = credits_documents()
st.title(t("about.title"))
st.subheader(t("about.unconfirmed_title"))
st.markdown(t("about.unconfirmed"))
st.markdown(t("about.as_of"))
st.subheader(t("about.privacy_title"))
st.markdown(t("about.privacy"))
st.divider()
if catalog_sources:
    st.markdown(catalog_sources)
else:
    st.info(t("about.sources_missing"))
st.divider()
st.markdown(t("about.geonames"))
if map_credits:
    with st.expander(t("about.map_credits")):
        st.markdown(map_credits)
