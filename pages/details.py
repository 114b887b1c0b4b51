"""Resource details: everything known about one listing, its weekly schedule, a small map, where the facts come
from, and a way to report a problem with it (stored as a correction request: catalog data, never patient data)."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components.shell import current_language, require_shell
from directory import maps
from directory.catalog import CatalogBusy
from directory.freshness import certainty, next_step
from directory.sources import source_name
from directory.words import care_text, clock, kind_text, md, md_link, t, vocab, where_text

require_shell()

MAX_REPORTS = 3  # per session: enough for an honest visitor, too few to flood the curators
FACT_FIELDS = (
    "organization",
    "format",
    "coverage",
    "fellowship",
    "meeting_types",
    "services",
    "populations",
    "languages",
    "accessibility",
    "payment",
    "cost",
    "moud_services",
    "mat_friendly",
    "license",
    "hours",
    "status",
    "notes",
)
state = st.session_state
catalog = state["catalog"]


def fact(resource, name: str) -> str:
    value = getattr(resource, name)
    if name == "languages":
        return ", ".join(vocab("languages", v) for v in value)
    if isinstance(value, tuple):
        return ", ".join(vocab(name, v) for v in value)
    if name == "mat_friendly" and value == "unknown":
        return ""
    return vocab(name, value) if value else ""


def send_report(resource_id: str) -> None:
    lang = current_language()  # a callback runs before the page sets the language
    problem, contact = state.get("report_problem", "").strip(), state.get("report_contact", "").strip()
    if state.get("reports_sent", 0) >= MAX_REPORTS:
        state["_report_outcome"] = ("warning", t("details.report_limit", lang, count=MAX_REPORTS))
    elif not problem:
        state["_report_outcome"] = ("warning", t("details.report_empty", lang))
    else:
        try:
            catalog.add_correction(resource_id, problem[:1000], contact[:200])
        except CatalogBusy as busy:  # another writer holds the store: the typed report stays for a retry
            state["_report_outcome"] = ("warning", str(busy))
            return
        state["reports_sent"] = state.get("reports_sent", 0) + 1
        state["report_problem"] = state["report_contact"] = ""
        state["_report_outcome"] = ("success", t("details.report_thanks", lang))


st.page_link("pages/find.py", label=t("details.back"), icon=":material/arrow_back:")
rid = st.query_params.get("id", "")
resource = catalog.get(rid) if rid else None
if not rid:
    st.info(t("details.missing"))
    st.stop()
if resource is None:
    st.warning(t("details.unknown"))
    st.stop()
r = resource
st.title(md(r.name))
st.markdown("  \n".join(md(x) for x in (kind_text(r), care_text(r)) if x))
sure = certainty(r)
st.badge(sure.words, icon=":material/schedule:", color=sure.colour)
if r.status != "active":
    st.badge(t("card.closed" if r.status == "temporarily_closed" else "card.inactive"), color="red")
listed = r.id in state["referral_list"]
st.button(
    t("card.added" if listed else "card.add"),
    disabled=listed,
    key="details_add",
    on_click=lambda: state["referral_list"].add(r.id),
)

left, right = st.columns([3, 2])
with left:
    if r.description:
        st.subheader(t("details.about"))
        st.markdown(md(r.description))
    st.subheader(t("details.contact"))
    links = [md_link(p, maps.tel_url(p)) or md(p) for p in r.phones]
    if (step := next_step(r)) is not None:  # no phone: say so and where to look
        links.append(md_link(step.words, step.url))
    links += [md_link(r.website, r.website), md_link(t("card.join"), r.conference_url)]
    links += [md(f"{t('field.email')}: {r.email}") if r.email else ""]
    links += [md(f"{t('field.conference_phone')}: {r.conference_phone}") if r.conference_phone else ""]
    st.markdown("  \n".join(x for x in links if x) or "—")
    if r.schedule:
        st.subheader(t("details.schedule"))
        rows = [
            {
                t("details.day"): vocab("weekday", s.weekday),
                t("details.start"): clock(s.start),
                t("details.end"): clock(s.end) if s.end else "",
            }
            for s in r.schedule
        ]
        st.table(pd.DataFrame(rows))
    # st.table renders cells as Markdown: catalog text is escaped (md) so it stays plain text.
    facts = [(t(f"field.{name}"), md(fact(r, name))) for name in FACT_FIELDS]
    st.subheader(t("details.facts"))
    st.table(pd.DataFrame([f for f in facts if f[1]], columns=[t("field.label"), t("field.value")]))
    if r.category == "recovery_housing":
        st.info(t("details.housing_note"))
with right:
    where = where_text(r)
    if where or r.has_location:
        st.subheader(t("details.where"))
        st.markdown(
            md(where)
            + (
                "  \n" + md_link(t("card.directions"), maps.directions_url(r))
                if maps.directions_url(r)
                else ""
            )
        )
    if r.has_location:
        points = maps.map_points([(r, vocab("category", r.category), "")], t("card.details"))
        layers = maps.result_layers(points, kind_names={r.category: vocab("category", r.category)})
        zoom = 15 if r.geocode_precision == "address" else 12
        settings = state["settings"]
        base = maps.base_map(
            tiles=settings.map_tiles, tile_url=settings.tile_url, tile_attribution=settings.tile_attribution
        )
        st_folium(
            base,
            key="details_map",
            height=300,
            use_container_width=True,
            feature_group_to_add=layers,
            center=(r.latitude, r.longitude),
            zoom=zoom,
            returned_objects=[],
        )
    st.subheader(t("details.provenance"))
    provenance = [
        (t("details.source"), md(source_name(r.source))),
        (t("details.as_of"), md(r.as_of)),
        (t("details.verification"), md(sure.words)),
        (t("details.precision"), md(vocab("geocode_precision", r.geocode_precision))),
    ]
    st.table(pd.DataFrame(provenance, columns=[t("field.label"), t("field.value")]))
    if link := md_link(t("details.source_link"), r.source_url):
        st.markdown(link)

with st.expander(t("details.report"), icon=":material/flag:"):
    st.caption(t("details.report_intro"))
    st.text_area(t("details.report_problem"), key="report_problem", max_chars=1000)
    st.text_input(t("details.report_contact"), key="report_contact", max_chars=200)
    st.button(t("details.report_send"), key="report_send", on_click=send_report, args=(r.id,))
    if outcome := state.pop("_report_outcome", None):
        getattr(st, outcome[0])(outcome[1])
