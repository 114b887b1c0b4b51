"""Care plan: a continuing-care plan built from the referral list, kept in this browser session only.

Nothing typed here is written on the server or logged: the draft lives in `st.session_state`, the plan
file and printouts go straight to the clinician's browser as downloads.
"""

import hashlib
import os
from datetime import date

import pandas as pd
import streamlit as st

from directory.catalog import DEFAULT_DB, Catalog, CatalogError
from directory.plans import (
    MAX_TEXT,
    SECTION_TITLES,
    Appointment,
    CarePlan,
    Medication,
    Need,
    PlanFileError,
    SupportPerson,
    new_plan,
    plan_filename,
    plan_from_json,
    plan_to_json,
    use_resources,
)
from directory.referrals import ReferralList
from directory.render.exports import FontMissing
from directory.render.plan import catalog_crisis_lines, render_plan_html, render_plan_ics, render_plan_pdf

state = st.session_state
PREFIX = "cp."


@st.cache_resource(show_spinner=False)
def _catalog(path: str) -> Catalog:
    """The catalog, opened read-only once per server (this page only reads it)."""
    return Catalog(path, readonly=True)


def catalog() -> Catalog | None:
    if state.get("catalog") is not None:  # app.py puts the shared catalog here when it has one
        return state["catalog"]
    try:
        return _catalog(os.environ.get("AFTERCARE_CATALOG") or str(DEFAULT_DB))
    except CatalogError:
        return None


def reset_widgets() -> None:
    """Forget every widget value so the widgets show the (newly opened) plan."""
    for key in [k for k in state if str(k).startswith(PREFIX)]:
        del state[key]


def bind(widget, section, attr: str, label: str, key: str, **kwargs):
    """Show a widget for one plan field; its value goes straight back into the plan draft."""
    key = PREFIX + key
    if key not in state:
        state[key] = getattr(section, attr)
    value = widget(label, key=key, **kwargs)
    setattr(section, attr, value)
    return value


def text(section, attr, label, key, area=False, **kwargs):
    widget = st.text_area if area else st.text_input
    return bind(widget, section, attr, label, key, max_chars=MAX_TEXT, **kwargs)


def day(section, attr: str, label: str, key: str) -> None:
    """A date field stored in the plan as YYYY-MM-DD."""
    key = PREFIX + key
    if key not in state:
        raw = getattr(section, attr)
        state[key] = date.fromisoformat(raw) if raw else None
    value = st.date_input(label, key=key, format="YYYY-MM-DD")
    setattr(section, attr, value.isoformat() if value else "")


def switch(plan: CarePlan, name: str) -> bool:
    return bind(
        st.toggle, getattr(plan, name), "include", f"Print “{SECTION_TITLES[name]}”", f"{name}.include"
    )


def table(section, attr: str, row_type, key: str, columns: dict) -> None:
    """An editable table of plan rows (appointments, medications, people, needs)."""
    base_key, editor_key = f"{PREFIX}{key}.base", f"{PREFIX}{key}.editor"
    names = list(columns)
    if editor_key not in state or base_key not in state:
        rows = [[getattr(item, n) for n in names] for item in getattr(section, attr)]
        frame = pd.DataFrame(rows, columns=names, dtype="object")
        if "when" in names:
            frame["when"] = pd.to_datetime(frame["when"], errors="coerce")
        state[base_key] = frame
    edited = st.data_editor(
        state[base_key], key=editor_key, num_rows="dynamic", column_config=columns, hide_index=True
    )
    items = []
    for record in edited.to_dict("records"):
        values = {n: _cell(record.get(n)) for n in names}
        if any(values.values()):
            items.append(row_type(**values))
    setattr(section, attr, items)


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)[:MAX_TEXT]


def _text_column(label: str):
    return st.column_config.TextColumn(label, max_chars=MAX_TEXT)


st.title("Care plan")
st.caption(
    "This draft lives only in this browser session: nothing is saved on the server. "
    "Use “Download plan file” to keep it, and “Open plan file” to continue later."
)

referrals: ReferralList = state.setdefault("referral_list", ReferralList())
store = catalog()

uploaded = st.file_uploader("Open plan file", type=["json"], key="plan_upload")
if uploaded is not None and state.get("plan_opened") != uploaded.file_id:
    state["plan_opened"] = uploaded.file_id
    try:
        opened = plan_from_json(uploaded.getvalue())
    except PlanFileError as exc:
        st.error(f"{uploaded.name}: {exc}")
    else:
        state["care_plan"] = opened
        state["referral_list"] = referrals = ReferralList.from_dict(
            {"items": [{"resource_id": i} for i in opened.resource_ids]}
        )
        state.pop("plan_printouts", None)
        reset_widgets()
        st.success(
            f"Opened {uploaded.name}. The referral list now holds the plan's {len(referrals)} resources."
        )

resources = store.get_many(referrals.ids) if store is not None else []
if store is None:
    st.warning("The catalog is not available, so the plan prints without its resources.")
plan: CarePlan = state.setdefault("care_plan", new_plan(resources))
use_resources(plan, resources)
names = {r.id: r.name.strip() or "(no name)" for r in resources}

with st.expander(SECTION_TITLES["header"], expanded=True):
    h = plan.header
    if switch(plan, "header"):
        text(h, "patient_initials", "Patient initials", "header.patient_initials")
        if bind(st.checkbox, h, "include_full_name", "Include full name", "header.include_full_name"):
            text(h, "patient_name", "Patient full name", "header.patient_name")
        day(h, "plan_date", "Plan date", "header.plan_date")
        day(h, "transition_date", "Transition date", "header.transition_date")
        text(h, "program", "Program leaving", "header.program")
        text(h, "level_of_care_leaving", "Level of care leaving", "header.level_of_care_leaving")
        text(h, "clinician", "Clinician", "header.clinician")
        text(h, "credentials", "Credentials", "header.credentials")
        day(h, "next_review_date", "Next review date", "header.next_review_date")

with st.expander(SECTION_TITLES["level_of_care"]):
    if switch(plan, "level_of_care"):
        text(plan.level_of_care, "asam_level", "ASAM level", "loc.asam_level")
        text(plan.level_of_care, "reason", "Reason, in a sentence", "loc.reason")

with st.expander(SECTION_TITLES["appointments"]):
    if switch(plan, "appointments"):
        table(
            plan.appointments,
            "items",
            Appointment,
            "appointments",
            {
                "where": _text_column("Where"),
                "when": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm", step=300),
                "phone": _text_column("Phone"),
                "what_to_bring": _text_column("What to bring"),
                "booked_by": _text_column("Booked by"),
                "transport": _text_column("Getting there"),
                "if_missed": _text_column("If missed, call"),
            },
        )

with st.expander(SECTION_TITLES["medications"]):
    if switch(plan, "medications"):
        table(
            plan.medications,
            "items",
            Medication,
            "medications",
            {
                "name": _text_column("Medication"),
                "prescriber": _text_column("Prescriber"),
                "pharmacy_or_otp": _text_column("Pharmacy or OTP"),
                "next_dose_or_refill": _text_column("Next dose or refill"),
            },
        )
        bind(st.checkbox, plan.medications, "naloxone_given", "Naloxone kit given", "med.naloxone_given")
        bind(
            st.checkbox,
            plan.medications,
            "naloxone_trained",
            "Trained to use naloxone",
            "med.naloxone_trained",
        )

with st.expander(SECTION_TITLES["overdose_risk"]):
    if switch(plan, "overdose_risk"):
        st.caption(
            "Prints fixed reminders: lower tolerance, never use alone, fentanyl, call 911 (Good Samaritan law)."
        )

with st.expander(SECTION_TITLES["schedule"]):
    if switch(plan, "schedule"):
        meetings = [r.id for r in resources if r.category == "support_group" and r.schedule]
        key = PREFIX + "schedule.meeting_ids"
        state[key] = [i for i in state.get(key, plan.schedule.meeting_ids) if i in meetings]
        plan.schedule.meeting_ids = st.multiselect(
            "Meetings from the referral list",
            meetings,
            key=key,
            format_func=names.get,
            help="Only meetings with weekly times can go on the schedule.",
        )
        text(plan.schedule, "target", "Target", "schedule.target")

with st.expander(SECTION_TITLES["housing"]):
    if switch(plan, "housing"):
        homes = [""] + [r.id for r in resources if r.category == "recovery_housing"]
        key = PREFIX + "housing.resource_id"
        if state.get(key, plan.housing.resource_id) not in homes:
            state[key] = ""
        bind(
            st.selectbox,
            plan.housing,
            "resource_id",
            "Residence from the referral list",
            "housing.resource_id",
            options=homes,
            format_func=lambda i: names.get(i, "(none)"),
        )
        day(plan.housing, "interview_date", "Interview date", "housing.interview_date")
        day(plan.housing, "move_in_date", "Move-in date", "housing.move_in_date")
        text(plan.housing, "cost", "Cost", "housing.cost")
        text(plan.housing, "notes", "Notes", "housing.notes")

with st.expander(SECTION_TITLES["relapse_prevention"]):
    if switch(plan, "relapse_prevention"):
        r = plan.relapse_prevention
        text(r, "triggers", "Triggers and high-risk situations", "relapse.triggers", area=True)
        text(r, "warning_signs", "Early warning signs", "relapse.warning_signs", area=True)
        text(r, "coping_strategies", "Coping strategies", "relapse.coping_strategies", area=True)
        text(r, "people_and_places_to_avoid", "People and places to avoid", "relapse.avoid", area=True)

with st.expander(SECTION_TITLES["lapse_plan"]):
    if switch(plan, "lapse_plan"):
        text(plan.lapse_plan, "first_call", "First person to call", "lapse.first_call")
        text(
            plan.lapse_plan,
            "back_into_care",
            "How to get back into care fast",
            "lapse.back_into_care",
            area=True,
        )

with st.expander(SECTION_TITLES["safety_plan"]):
    if switch(plan, "safety_plan"):
        s = plan.safety_plan
        text(s, "warning_signs", "1. Warning signs", "safety.warning_signs", area=True)
        text(s, "internal_coping", "2. Internal coping strategies", "safety.internal_coping", area=True)
        text(
            s,
            "distraction_people_and_places",
            "3. People and places for distraction",
            "safety.distraction",
            area=True,
        )
        text(s, "people_to_ask_for_help", "4. People to ask for help", "safety.people", area=True)
        text(
            s,
            "professionals",
            "5. Professionals and agencies (988 prints anyway)",
            "safety.professionals",
            area=True,
        )
        text(s, "safe_environment", "6. Making the environment safe", "safety.environment", area=True)

with st.expander(SECTION_TITLES["support_network"]):
    if switch(plan, "support_network"):
        st.caption("First names only.")
        table(
            plan.support_network,
            "people",
            SupportPerson,
            "support",
            {
                "first_name": _text_column("First name"),
                "relationship": _text_column("Relationship"),
                "phone": _text_column("Phone"),
            },
        )

with st.expander(SECTION_TITLES["other_needs"]):
    if switch(plan, "other_needs"):
        table(
            plan.other_needs,
            "items",
            Need,
            "needs",
            {
                "area": _text_column("Need (benefits, work, legal, transport, childcare, food…)"),
                "next_step": _text_column("Next step"),
            },
        )

with st.expander(SECTION_TITLES["mental_health"]):
    if switch(plan, "mental_health"):
        text(
            plan.mental_health,
            "follow_up",
            "Follow-up for co-occurring conditions",
            "mental.follow_up",
            area=True,
        )

with st.expander(SECTION_TITLES["check_ins"]):
    if switch(plan, "check_ins"):
        text(
            plan.check_ins,
            "months_1_to_3",
            "Months 1 to 3: who calls whom, how often",
            "checkins.early",
            area=True,
        )
        text(plan.check_ins, "after_month_3", "After month 3", "checkins.later", area=True)

st.info(
    "Crisis lines always print: 911, 988, the Illinois Helpline and SAMHSA's National Helpline, "
    "and the crisis lines in the catalog."
)
with st.expander("Consent note, signatures and sources"):
    switch(plan, "consent")
    switch(plan, "signatures")
    switch(plan, "sources")

st.subheader("Save and print")
plan_file = plan_to_json(plan)
st.download_button(
    "Download plan file",
    plan_file,
    file_name=plan_filename(plan),
    mime="application/json",
    on_click="ignore",
    key="download_plan",
)
paper = st.radio(
    "Paper",
    ["letter", "a4"],
    format_func={"letter": "US Letter", "a4": "A4"}.get,
    horizontal=True,
    key="plan_paper",
)
fingerprint = hashlib.sha256(plan_file + paper.encode()).hexdigest()
if st.button("Make printouts (PDF, print page, 30-day calendar)", type="primary", key="make_printouts"):
    lines = catalog_crisis_lines(store) if store is not None else []
    try:
        state["plan_printouts"] = (
            fingerprint,
            {
                "pdf": render_plan_pdf(plan, resources, paper, catalog_lines=lines),
                "html": render_plan_html(plan, resources, catalog_lines=lines).encode("utf-8"),
                "ics": render_plan_ics(plan, resources),
            },
        )
    except FontMissing as exc:
        st.error(str(exc))
printed = state.get("plan_printouts")
if printed and printed[0] == fingerprint:
    files = printed[1]
    stem = plan_filename(plan).removesuffix(".json")
    cols = st.columns(3)
    cols[0].download_button(
        "Download PDF", files["pdf"], f"{stem}.pdf", "application/pdf", key="download_pdf", on_click="ignore"
    )
    cols[1].download_button(
        "Download print page",
        files["html"],
        f"{stem}.html",
        "text/html",
        key="download_html",
        on_click="ignore",
    )
    cols[2].download_button(
        "Download calendar",
        files["ics"],
        f"{stem}-first-30-days.ics",
        "text/calendar",
        key="download_ics",
        on_click="ignore",
    )
elif printed:
    st.caption("The plan changed since the printouts were made: make them again.")
