"""Referral list: the listings picked in this session, in order, each with a note; reorder, remove, save, share."""

from functools import partial
from urllib.parse import urlencode

import streamlit as st

from components.shell import current_language, require_shell
from directory import geo
from directory.referrals import ReferralList
from directory.render.exports import EXPORT_FORMATS, FontMissing, export_referral_list
from directory.render.pdf import font_files
from directory.translation import LANGUAGE_NAMES, LANGUAGES
from directory.words import kind_text, language, md, t

require_shell()
state = st.session_state
catalog = state["catalog"]
picked: ReferralList = state["referral_list"]


def set_note(resource_id: str) -> None:
    picked.set_note(resource_id, state.get(f"note_{resource_id}", ""))


def remove(resource_id: str) -> None:
    picked.remove(resource_id)
    st.toast(t("list.removed", current_language()))


st.title(t("list.title"))
st.caption(t("list.intro"))
shared = st.query_params.get("ids", "")
if shared and state.get("_list_loaded_from") != shared:
    state["_list_loaded_from"] = shared
    from_link = ReferralList.from_share_params({"ids": shared})
    known = [r.id for r in catalog.get_many(from_link.ids)]
    state["_list_loaded_count"] = sum(picked.add(rid) for rid in known)
    st.rerun()  # app.py drew the sidebar's list count before this load: draw it again with the new count
if (loaded := state.pop("_list_loaded_count", None)) is not None:
    st.success(t("list.loaded", count=loaded))

resources = {r.id: r for r in catalog.get_many(picked.ids)}
if missing := [rid for rid in picked.ids if rid not in resources]:
    st.warning(t("list.missing", count=len(missing)))
if not resources:
    st.info(t("list.empty"))
    st.page_link("pages/find.py", label=t("nav.find"), icon=":material/search:")
    st.stop()

shown = [item for item in picked.items if item.resource_id in resources]
for number, item in enumerate(shown, start=1):
    r = resources[item.resource_id]
    with st.container(border=True):
        text, up, down, drop = st.columns([5, 1.3, 1.5, 1.7], vertical_alignment="center")
        text.markdown(f"**{number}. {md(r.name)}**  \n{md(kind_text(r))}")
        up.button(
            t("list.up"),
            icon=":material/arrow_upward:",
            key=f"up_{r.id}",
            on_click=picked.move,
            args=(r.id, -1),
            disabled=number == 1,
        )
        down.button(
            t("list.down"),
            icon=":material/arrow_downward:",
            key=f"down_{r.id}",
            on_click=picked.move,
            args=(r.id, 1),
            disabled=number == len(shown),
        )
        drop.button(t("list.remove"), key=f"remove_{r.id}", on_click=remove, args=(r.id,))
        st.text_input(
            t("list.note", name=md(r.name)),
            value=item.note,
            key=f"note_{r.id}",
            max_chars=500,
            on_change=set_note,
            args=(r.id,),
            help=t("list.note_help"),
        )

ordered = [resources[item.resource_id] for item in shown]
st.subheader(t("list.exports"))
# The files' language, chosen apart from the screen's (a clinician in English, a patient who reads Spanish).
state.setdefault("list_print_lang", language())
print_lang = st.radio(
    t("plan.print_in"),
    LANGUAGES,
    format_func=LANGUAGE_NAMES.get,
    horizontal=True,
    key="list_print_lang",
    help=t("list.print_in_help"),
)
place = state.get("last_place")
distances = {
    r.id: geo.distance_miles(place.latitude, place.longitude, r.latitude, r.longitude)
    for r in ordered
    if place is not None and r.has_location and not r.is_remote
}
make = partial(
    export_referral_list,
    ordered,
    notes=picked.notes(),
    distances=distances,
    origin_label=place.label if place else "",
    lang=print_lang,
)
columns = st.columns(3)
for number, (fmt, (mime, filename)) in enumerate(EXPORT_FORMATS.items()):
    column = columns[number % 3]
    if fmt == "pdf":
        try:
            font_files()  # checked now: the file itself is made only when the button is pressed
        except FontMissing as exc:
            column.caption(t("list.export_failed", problem=str(exc)))
            continue
    column.download_button(
        t(f"export.{fmt}"),
        data=partial(make, fmt=fmt),
        file_name=filename,
        mime=mime,
        key=f"export_{fmt}",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
st.subheader(t("list.share"))
base = (st.context.url or "").split("?")[0]
st.code(f"{base}?{urlencode(picked.share_params())}", language=None)
st.caption(t("list.share_help"))
