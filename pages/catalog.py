"""The catalog: statistics for everyone; for a signed-in curator, correction requests and file imports that are
previewed (a dry run) before anything is committed."""

import hashlib
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from directory import curation
from directory.importers import FORMATS, importer
from directory.words import md, t, vocab

state = st.session_state
catalog = state["catalog"]


@st.cache_data(show_spinner=False, max_entries=4)
def statistics(path: str, mtime: float, _catalog) -> tuple[dict, pd.DataFrame]:
    """The catalog's stats and a county × kind table, recomputed only when the file changes."""
    records = _catalog.records()
    pairs = pd.DataFrame(
        [(r.county or "—", vocab("category", r.category)) for r in records], columns=["county", "kind"]
    )
    table = pd.crosstab(pairs["county"], pairs["kind"]) if len(pairs) else pd.DataFrame()
    return _catalog.stats(), table


def counts(title: str, values: dict, labels=None) -> None:
    st.markdown(f"**{title}**")
    rows = [((labels(k) if labels else k), v) for k, v in values.items()]
    st.dataframe(pd.DataFrame(rows, columns=[t("catalog.value"), t("catalog.count")]), hide_index=True)


def sign_in(stored: str) -> None:
    state["curator_attempts"] = state.get("curator_attempts", 0) + 1
    if state["curator_attempts"] > curation.MAX_ATTEMPTS:
        state["_sign_in_error"] = "catalog.locked"
    elif curation.verify_password(state.get("curator_password", ""), stored):
        state["curator"], state["curator_attempts"] = True, 0
    else:
        state["_sign_in_error"] = "catalog.wrong_password"
    state["curator_password"] = ""


def preview(upload, fmt: str) -> None:
    data = upload.getvalue()
    try:
        result = importer(fmt).parse(data)
        report = catalog.import_records(
            result.records, source=upload.name, rejected=result.errors, warnings=result.warnings, dry_run=True
        )
    except Exception as exc:  # noqa: BLE001 - any unreadable file becomes a message for the curator
        state["_import"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        return
    state["_import"] = {
        "digest": hashlib.sha256(data).hexdigest(),
        "fmt": fmt,
        "report": report,
        "result": result,
        "name": upload.name,
    }


def apply() -> None:
    pending = state.pop("_import", {})
    result = pending["result"]
    report = catalog.import_records(
        result.records, source=pending["name"], rejected=result.errors, warnings=result.warnings
    )
    state["_import_done"] = report.summary()


path = str(catalog.path)
mtime = max((p.stat().st_mtime for p in (Path(path), Path(path + "-wal")) if p.exists()), default=0.0)
stats, by_county = statistics(path, mtime, catalog)
st.title(t("catalog.title"))
st.markdown(t("catalog.total", count=stats["total"], located=stats["with_coordinates"]))
c1, c2, c3, c4 = st.columns(4)
with c1:
    counts(t("catalog.by_kind"), stats["category"], lambda v: vocab("category", v))
with c2:
    counts(t("catalog.by_source"), stats["source"])
with c3:
    counts(t("catalog.by_verification"), stats["verification"], lambda v: vocab("verification", v))
with c4:
    counts(t("catalog.by_status"), stats["status"], lambda v: vocab("status", v))
if not by_county.empty:
    st.markdown(f"**{t('catalog.kinds_by_county')}**")
    top = by_county.loc[by_county.sum(axis=1).sort_values(ascending=False).index[:15]]
    st.bar_chart(top, horizontal=True, stack=True)
st.markdown(f"**{t('catalog.age')}**")
ages = ["under 1 year", "1-2 years", "2-5 years", "5+ years", "unknown"]
st.bar_chart(pd.Series({a: stats["as_of_age"].get(a, 0) for a in ages}, name=t("catalog.count")))
st.subheader(t("catalog.reports"))
reports = catalog.reports(limit=10)
if reports:
    st.dataframe(pd.DataFrame(reports)[["created_at", "kind", "source", "summary"]], hide_index=True)
else:
    st.caption(t("catalog.no_reports"))

st.header(t("catalog.curation"))
try:
    secrets = st.secrets if st.secrets.load_if_toml_exists() else None
except Exception:  # noqa: BLE001 - a broken secrets.toml means "not configured"
    secrets = None
stored = curation.configured_hash(secrets, os.environ)
if not stored:
    st.info(t("catalog.curation_off"))
    st.stop()
if not state.get("curator"):
    st.text_input(
        t("catalog.password"), type="password", key="curator_password", max_chars=curation.MAX_PASSWORD
    )
    st.button(t("catalog.sign_in"), on_click=sign_in, args=(stored,), key="curator_sign_in")
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
        st.markdown(
            t(
                "catalog.correction",
                resource=md(names.get(request["resource_id"], request["resource_id"])),
                created=request["created_at"],
            )
        )
        st.text(request["problem"])
        if request["contact"]:
            st.text(t("catalog.contact", contact=request["contact"]))
        done, drop = st.columns(2)
        done.button(
            t("catalog.resolve"),
            key=f"resolve_{request['id']}",
            on_click=catalog.close_correction,
            args=(request["id"], "resolved"),
        )
        drop.button(
            t("catalog.dismiss"),
            key=f"dismiss_{request['id']}",
            on_click=catalog.close_correction,
            args=(request["id"], "dismissed"),
        )

st.subheader(t("catalog.import"))
fmt = st.selectbox(t("catalog.import_format"), list(FORMATS), key="import_format")
upload = st.file_uploader(t("catalog.import_file"), key="import_file")
if upload is not None:
    st.button(t("catalog.import_preview"), on_click=preview, args=(upload, fmt), key="import_preview")
if done := state.pop("_import_done", None):
    st.success(t("catalog.import_applied", summary=done))
pending = state.get("_import")
if pending and "error" in pending:
    st.error(t("catalog.import_failed", problem=pending.pop("error")))
elif pending:
    report = pending["report"]
    st.markdown(md(report.summary()))
    if report.rejected:
        st.markdown(f"**{t('catalog.import_rejected')}**")
        st.dataframe(pd.DataFrame({"problem": [str(p) for p in report.rejected[:200]]}), hide_index=True)
    if report.changes:
        st.markdown(f"**{t('catalog.import_changes')}**")
        rows = [
            (rid, field, old, new)
            for rid, diff in list(report.changes.items())[:200]
            for field, (old, new) in diff.items()
        ]
        st.dataframe(pd.DataFrame(rows, columns=["id", "field", "before", "after"]), hide_index=True)
    if report.ok and (report.added or report.updated or report.deactivated):
        st.button(t("catalog.import_apply"), on_click=apply, type="primary", key="import_apply")
    else:
        st.caption(t("catalog.import_nothing"))
