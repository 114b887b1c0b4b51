"""The catalog: statistics and the latest import and refresh reports for everyone; for a signed-in curator,
correction requests, file imports and live-feed refreshes, each checked (a dry run) before it is applied."""

import os

import pandas as pd
import streamlit as st

from components.shell import require_shell
from directory import catalog_admin as admin
from directory import curation, refresh
from directory import settings as network
from directory.catalog_stats import page_figures
from directory.words import language, md, t, using, vocab

require_shell()
state = st.session_state
catalog = state["catalog"]
# Statistic -> its table title, in the order of the four columns.
GROUPS = {
    "category": "catalog.by_kind",
    "source": "catalog.by_source",
    "verification": "catalog.by_verification",
    "status": "catalog.by_status",
}
BADGE = {"applied": "green", "refused": "orange", "dry_run": "blue", "not_modified": "gray", "failed": "red"}


@st.cache_data(show_spinner=False, max_entries=4)
def statistics(path: str, version: float, _catalog, _index, lang: str) -> tuple[dict, pd.DataFrame]:
    """The catalog's stats and a county × kind table (kinds named in `lang`, a key of the cache, so one
    visitor's language is never served to another), recomputed only when the catalog version changes.
    Counted from the search index the app holds for this version; no record is built."""
    figures = page_figures(_catalog, _index)
    with using(lang):
        return figures.stats(), admin.county_kinds(figures)


def counts(title: str, values: dict, field: str) -> None:
    st.markdown(f"**{title}**")
    rows = [(vocab(field, k), v) for k, v in values.items()]
    st.dataframe(
        pd.DataFrame(rows, columns=[t("catalog.value"), t("catalog.count")]), hide_index=True, width="stretch"
    )


def table(title: str, rows: list, columns: list[str]) -> None:
    if rows:
        st.markdown(f"**{title}**")
        frame = pd.DataFrame(rows, columns=[t(f"catalog.col_{c}") for c in columns])
        st.dataframe(frame, hide_index=True, width="stretch")  # full width: no count is cut off


def show_report(view: admin.ReportView, expanded: bool = False) -> None:
    with st.container(border=True):
        status = f":{BADGE[view.status]}-badge[{t(f'catalog.status_{view.status}')}]"
        when = f" · {md(view.when)}" if view.when else ""
        st.markdown(f"{status} **{md(view.source)}** · {t(f'catalog.kind_{view.kind}')}{when}")
        st.caption(admin.counts_text(view))
        if view.message:
            st.caption(md(view.message))
        if view.has_details:
            with st.expander(t("catalog.report_details"), expanded=expanded):
                table(t("catalog.changes_title"), view.changes, ["id", "field", "before", "after"])
                gone = "catalog.gone_applied" if view.status == "applied" else "catalog.gone_pending"
                table(t(gone), [(i,) for i in view.disappeared], ["id"])
                if view.rejected:  # as text, so a long "row 3, column zip: …" is read whole, not cut
                    st.markdown(f"**{t('catalog.import_rejected')}**")
                    st.markdown("\n".join(f"- {md(p)}" for p in view.rejected[:20]))
                    rest = [(p,) for p in view.rejected] if len(view.rejected) > 20 else []
                    table(t("catalog.rejected_all"), rest, ["problem"])


def progress_bar(stages=None) -> tuple:
    """An st.progress bar and the progress callback (directory.progress shape) that moves it."""
    bar = st.progress(0.0, text="…")
    return bar, admin.StagedProgress(lambda share, text: bar.progress(min(share, 1.0), text=text), stages)


def apply_feed(check: admin.FeedCheck, force: bool) -> None:
    report = admin.apply_check(
        catalog, check, force=force, progress=progress_bar(admin.StagedProgress.APPLY)[1]
    )
    state.pop("_feed_check", None)
    state["_refresh_done"] = admin.outcome(check.source, report)
    st.rerun()  # the statistics above must show the new catalog


version = admin.catalog_version(catalog)
stats, by_county = statistics(str(catalog.path), version, catalog, state.get("search_index"), language())
st.title(t("catalog.title"))
st.markdown(t("catalog.total", count=stats["total"], located=stats["with_coordinates"]))
# Two tables a row: four in one row cut off the counts of the long kind and source names.
for column, (field, title) in zip([*st.columns(2), *st.columns(2)], GROUPS.items()):
    with column:
        counts(t(title), stats[field], field)
if not by_county.empty:
    st.markdown(f"**{t('catalog.kinds_by_county')}**")
    top = by_county.loc[by_county.sum(axis=1).sort_values(ascending=False).index[:15]].copy()
    top.columns.name, top.index.name = t("catalog.axis_kind"), t("catalog.axis_county")
    # With horizontal bars Streamlit swaps the axes: x_label names the counties (drawn down the side).
    st.bar_chart(
        top, horizontal=True, stack=True, x_label=t("catalog.axis_county"), y_label=t("catalog.count")
    )
st.markdown(f"**{t('catalog.age')}**")
ages = ["under 1 year", "1-2 years", "2-5 years", "5+ years", "unknown"]  # the buckets of Catalog.stats()
ages_shown = pd.Series(
    {t(f"catalog.age_{n}"): stats["as_of_age"].get(a, 0) for n, a in enumerate(ages)}, name=t("catalog.count")
)
st.bar_chart(ages_shown, x_label=t("catalog.age"), y_label=t("catalog.count"), sort=False)
st.subheader(t("catalog.reports"))
st.caption(t("catalog.reports_intro"))
views = admin.recent_reports(catalog, limit=10)
if not views:
    st.caption(t("catalog.no_reports"))
for view in views:
    show_report(view)

st.header(t("catalog.curation"))
try:
    secrets = st.secrets if st.secrets.load_if_toml_exists() else None
except Exception:  # noqa: BLE001 - a broken secrets.toml means "not configured"
    secrets = None
stored = curation.configured_hash(secrets, os.environ)
if not stored:
    st.info(t("catalog.curation_off"))
    if waiting := len(catalog.corrections("open")):  # stored, but nobody can read them yet: say so
        st.warning(t("catalog.corrections_waiting", count=waiting))
    st.stop()
if not state.get("curator"):
    st.text_input(
        t("catalog.password"), type="password", key="curator_password", max_chars=curation.MAX_PASSWORD
    )
    client = st.context.ip_address or ""  # counted by the server-side lockout, never stored
    st.button(
        t("catalog.sign_in"), on_click=curation.sign_in, args=(state, stored, client), key="curator_sign_in"
    )
    if problem := state.pop("_sign_in_error", None):
        st.error(t(problem))
    st.stop()
st.success(t("catalog.signed_in"))
st.button(t("catalog.sign_out"), on_click=lambda: state.update(curator=False), key="curator_sign_out")

st.subheader(t("catalog.corrections"))
requests = catalog.corrections("open")
if not requests:
    st.caption(t("catalog.no_corrections"))
names = {r.id: r.name for r in catalog.get_many([c["resource_id"] for c in requests])}
for request in requests:
    with st.container(border=True):
        name = md(names.get(request["resource_id"], request["resource_id"]))
        st.markdown(t("catalog.correction", resource=name, created=request["created_at"]))
        st.text(request["problem"])
        if request["contact"]:
            st.text(t("catalog.contact", contact=request["contact"]))
        for column, verb, status in zip(st.columns(2), ("resolve", "dismiss"), ("resolved", "dismissed")):
            column.button(
                t(f"catalog.{verb}"),
                key=f"{verb}_{request['id']}",
                on_click=catalog.close_correction,
                args=(request["id"], status),
            )

st.subheader(t("catalog.import"))
fmt = st.selectbox(t("catalog.import_format"), admin.UPLOAD_FORMATS, key="import_format")
upload = st.file_uploader(t("catalog.import_file"), key="import_file")
if state.get("_import") and (upload is None or not state["_import"].matches(upload.getvalue())):
    del state["_import"]  # the file was removed or swapped: its check no longer applies
if upload is not None and st.button(t("catalog.import_preview"), key="import_preview"):
    bar, feed = progress_bar()
    try:
        state["_import"] = admin.check_file(catalog, upload.getvalue(), upload.name, fmt, progress=feed)
    except admin.ImportFileError as exc:
        st.error(t("catalog.import_failed", problem=md(str(exc))))
    bar.empty()
if done := state.pop("_import_done", None):
    st.success(t("catalog.import_applied", summary=done))
if pending := state.get("_import"):
    show_report(admin.view_import(pending.report), expanded=True)
    if not pending.can_apply:
        st.caption(t("catalog.import_nothing"))
    elif st.button(t("catalog.import_apply"), type="primary", key="import_apply"):
        report = admin.apply_file(catalog, state.pop("_import"), progress=progress_bar()[1])
        state["_import_done"] = f"{md(report.source)}: {admin.counts_text(admin.view_import(report))}"
        st.rerun()

st.subheader(t("catalog.refresh"))
st.caption(t("catalog.refresh_intro"))
try:
    sources = refresh.load_sources(refresh.sources_path())
except refresh.SourcesError as exc:
    st.error(t("catalog.sources_failed", problem=str(exc)))
    st.stop()
st.dataframe(admin.feed_table(sources, catalog), hide_index=True)
settings = state.get("settings") or network.from_env()
live = st.toggle(
    t("catalog.live_switch"),
    value=settings.live_feeds,
    key="set_live_feeds",
    help=t("catalog.live_switch_help"),
)
enabled = {s.name: s for s in sources if s.enabled}
if not live or not enabled:
    st.info(t("catalog.live_off" if not live else "catalog.no_enabled"))
    st.stop()
name = st.selectbox(t("catalog.feed_pick"), list(enabled), key="refresh_source")
if st.button(t("catalog.check"), key="refresh_check"):
    bar, feed = progress_bar(admin.StagedProgress.CHECK)
    state["_feed_check"] = admin.check_feed(catalog, enabled[name], progress=feed)
    bar.empty()
if done := state.pop("_refresh_done", None):
    getattr(st, done[0])(done[1])
if check := state.get("_feed_check"):
    if notice := check.notice():
        getattr(st, notice[0])(notice[1])
    else:
        show_report(admin.view_refresh(check.report), expanded=True)
    if check.can_apply and st.button(t("catalog.apply"), type="primary", key="refresh_apply"):
        apply_feed(check, force=False)
    elif check.needs_force:
        st.warning(t("catalog.force_warning"))
        sure = st.checkbox(t("catalog.force_confirm"), key="refresh_force_confirm")
        if st.button(t("catalog.apply_anyway"), key="refresh_force", disabled=not sure):
            apply_feed(check, force=True)
