"""About the data: where every listing comes from, its date and licence, and what "unconfirmed" means."""

import streamlit as st

from components.shell import require_shell
from directory.render.feed_file import FEED_URL_PATH
from directory.render.hsds_export import export_hsds_zip
from directory.render.meeting_guide_export import export_meeting_guide
from directory.sources import credits_documents
from directory.words import language, t

require_shell()

catalog_sources, map_credits = credits_documents()
st.title(t("about.title"))
st.subheader(t("about.unconfirmed_title"))
st.markdown(t("about.unconfirmed"))
st.markdown(t("about.as_of"))
st.subheader(t("about.privacy_title"))
st.markdown(t("about.privacy"))
# --- issue 11: the published feeds (made when a button is pressed, from the catalog in use) ---
catalog = st.session_state.get("catalog")
if catalog is not None:
    st.subheader(t("feed.about_title"))
    st.markdown(t("feed.about_body", url=f"`{FEED_URL_PATH}`"))
    left, right = st.columns(2)
    left.download_button(
        t("feed.download_meeting_guide"),
        data=lambda: export_meeting_guide(catalog.records()),
        file_name="meeting-guide.json",
        mime="application/json",
        key="feed_meeting_guide",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        t("feed.download_hsds"),
        data=lambda: export_hsds_zip(catalog.records()),
        file_name="hsds-package.zip",
        mime="application/zip",
        key="feed_hsds",
        on_click="ignore",
        icon=":material/download:",
    )
st.divider()
if catalog_sources and language() != "en":
    st.info(t("about.sources_english"))  # data/SOURCES.md and static/SOURCES.md are written in English
if catalog_sources:
    st.markdown(catalog_sources)
else:
    st.info(t("about.sources_missing"))
st.divider()
st.markdown(t("about.geonames"))
if map_credits:
    with st.expander(t("about.map_credits")):
        st.markdown(map_credits)
