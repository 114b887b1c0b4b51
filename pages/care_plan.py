"""Care plan: a continuing-care plan built from the referral list, kept in this browser session only.

Nothing typed here is written on the server or logged: the draft lives in `st.session_state`, the plan
file and printouts go straight to the clinician's browser as downloads. What each section asks for is
described in directory/plan_form.py; this page draws it.
"""

import streamlit as st

from components import guard_leaving
from components.shell import require_shell
from directory import nearby
from directory import plan_form as form
from directory.catalog import CatalogError
from directory.plans import (
    MAX_TEXT,
    SECTION_TITLES,
    CarePlan,
    PlanFileError,
    new_plan,
    plan_filename,
    plan_to_json,
    use_resources,
)
from directory.referrals import ReferralList
from directory.render.exports import FontMissing
from directory.render.plan import catalog_crisis_lines
from directory.store import Store, default_target, open_store
from directory.translation import LANGUAGE_NAMES, LANGUAGES
from directory.words import language, t

require_shell()
state = st.session_state
lang = language()  # format functions bind it: Streamlit may call them outside this run


def words(field: form.Field, column: form.Column | None = None, part: str = "") -> str:
    """A form label in the screen language: key "form.<field key>[.<column>]" (plan_form.py holds the English)."""
    key = f"form.{field.key}" + (f".{column.name}" if column else "") + part
    return t(key)


@st.cache_resource(show_spinner=False)
def _catalog(target: str) -> Store:
    """The catalog, opened read-only once per server (this page only reads it)."""
    return open_store(target, readonly=True)


def catalog() -> Store | None:
    if state.get("catalog") is not None:  # app.py puts the shared catalog here when it has one
        return state["catalog"]
    try:
        return _catalog(default_target())
    except CatalogError:
        return None


def bind(widget, part, attr: str, label: str, key: str, **kwargs):
    """Show a widget for one plan field; its value goes straight back into the plan draft."""
    if key not in state:
        state[key] = getattr(part, attr)
    value = widget(label, key=key, **kwargs)
    setattr(part, attr, value)
    return value


def show(field: form.Field, part, resources, names: dict[str, str]) -> None:
    """One field of the form, drawn by its kind."""
    key, label = field.widget_key, words(field) if field.label else ""
    help_text = words(field, part=".help") if field.help else None
    if field.kind == "note":
        st.caption(label)
    elif field.kind in ("text", "area"):
        widget = st.text_area if field.kind == "area" else st.text_input
        bind(widget, part, field.attr, label, key, max_chars=MAX_TEXT, help=help_text)
    elif field.kind == "check":
        bind(st.checkbox, part, field.attr, label, key, help=help_text)
    elif field.kind == "date":
        state.setdefault(key, form.as_date(getattr(part, field.attr)))
        setattr(part, field.attr, form.date_text(st.date_input(label, key=key, format="YYYY-MM-DD")))
    elif field.kind == "table":
        rows(field, part, key)
    else:  # "meetings" or "home": a pick from the referral list
        options, many = form.choices(field, resources), field.kind == "meetings"
        state[key] = form.keep_choices(state.get(key, getattr(part, field.attr)), options, many=many)
        widget = st.multiselect if many else st.selectbox
        pick_name = names.get if many else (lambda i, lang=lang: names.get(i, t("plan.no_home", lang)))
        setattr(part, field.attr, widget(label, options, key=key, format_func=pick_name, help=help_text))


def nearby_picks(section: str) -> None:
    """The nearest naloxone, medicine take-back or meetings to the last searched place, one click to add."""
    for pick in nearby.picks_for_section(state.get("search_index"), state.get("last_place"), section):
        rid = pick.result.resource.id
        st.button(
            pick.sentence,
            key=f"plan_pick_{section}_{rid}",
            disabled=rid in referrals,
            on_click=referrals.add,
            args=(rid,),
            help=t("plan.pick_help"),
        )
    if section == "schedule" and (
        finders := nearby.finders_text(state.get("search_index"), state.get("last_place"))
    ):
        st.markdown(finders)  # fewer than five confirmed meetings near: each fellowship's own finder


def add_row(field: form.Field, key: str) -> None:
    """A new, empty row: its date and time start blank, not at today."""
    n = max(state[key + ".rows"], default=-1) + 1
    state[key + ".rows"].append(n)
    for name, value in form.row_values(field.row_type(), field.columns).items():
        state[f"{key}.{n}.{name}"] = value


def rows(field: form.Field, part, key: str) -> None:
    """A repeating section as one small form per row (typed text, dates and times), with add and remove."""
    ids_key = key + ".rows"
    if ids_key not in state:  # first drawing, or a plan file just opened: one form per saved row
        items = getattr(part, field.attr)
        state[ids_key] = list(range(len(items)))
        for n, item in enumerate(items):
            for name, value in form.row_values(item, field.columns).items():
                state[f"{key}.{n}.{name}"] = value
    items = []
    for n in state[ids_key]:
        with st.container(border=True, key=f"{key}-row-{n}"):
            width = len(field.columns) + sum(c.kind == "datetime" for c in field.columns)
            # Two fields a line: wide enough to read what was typed, on a phone one under the other.
            cells = [cell for _ in range(-(-width // 2)) for cell in st.columns(2)]
            values, cell = {}, iter(cells)
            for c in field.columns:
                if c.kind == "datetime":
                    values[c.name + ".date"] = next(cell).date_input(
                        t("plan.row_date", label=words(field, c)), key=f"{key}.{n}.{c.name}.date", format="YYYY-MM-DD",
                    )  # fmt: skip
                    values[c.name + ".time"] = next(cell).time_input(
                        t("plan.row_time", label=words(field, c)), key=f"{key}.{n}.{c.name}.time", step=300
                    )
                else:
                    values[c.name] = next(cell).text_input(
                        words(field, c), key=f"{key}.{n}.{c.name}", max_chars=MAX_TEXT
                    )
            st.button(
                t("plan.row_remove"), key=f"{key}.{n}.remove", on_click=lambda n=n: state[ids_key].remove(n)
            )
        if (item := form.row_item(values, field.row_type, field.columns)) is not None:
            items.append(item)
    st.button(
        t("plan.row_add", label=words(field) if field.label else ""),
        key=key + ".add",
        on_click=add_row,
        args=(field, key),
    )
    setattr(part, field.attr, items)


def switch(plan: CarePlan, section: str) -> bool:
    label = t("plan.switch", title=t(f"plan.section.{section}"))
    return bind(st.toggle, getattr(plan, section), "include", label, form.switch_key(section))


st.title(t("plan.title"))
st.caption(t("plan.intro"))

referrals: ReferralList = state.setdefault("referral_list", ReferralList())
store = catalog()

uploaded = st.file_uploader(t("plan.open"), type=["json"], key="plan_upload")
if uploaded is not None and state.get("plan_opened") != uploaded.file_id:
    state["plan_opened"] = uploaded.file_id
    try:
        opened, opened_list = form.open_plan_file(uploaded.getvalue())
    except PlanFileError as exc:
        st.error(t("plan.file_error", name=uploaded.name, problem=str(exc)))
    else:
        state["care_plan"], state["referral_list"] = opened, opened_list
        referrals = opened_list
        for key in [k for k in state if str(k).startswith(form.KEY_PREFIX)]:
            del state[key]  # the widgets then show the opened plan's values
        state.pop("plan_printouts", None)
        state.pop("plan_print_lang", None)  # the opened plan's language, when its file names one
        state.pop("plan_saved", None)  # the opened file is the saved state
        if "show_list_count" in state:  # app.py drew the sidebar's count before the file was opened
            state["show_list_count"]()
        st.success(t("plan.opened", name=uploaded.name, count=len(referrals)))

resources = store.get_many(referrals.ids) if store is not None else []
if store is None:
    st.warning(t("plan.no_catalog"))
if "care_plan" not in state:
    state["care_plan"] = new_plan(resources)
    if state["care_plan"].schedule.target == t("plan.default_target", "en"):
        state["care_plan"].schedule.target = t("plan.default_target")  # a new plan's target in its words
plan: CarePlan = state["care_plan"]
use_resources(plan, resources)
names = form.resource_names(resources)

for section in SECTION_TITLES:
    if section in form.FORM and section not in form.CLOSING_SECTIONS:
        with st.expander(t(f"plan.section.{section}"), expanded=section == "header"):
            part = getattr(plan, section)
            if switch(plan, section):
                for field in form.FORM[section]:
                    if form.is_shown(field, part):
                        show(field, part, resources, names)
                nearby_picks(section)

st.info(t("plan.crisis_note"))
with st.expander(t("plan.closing")):
    for section in form.CLOSING_SECTIONS:
        switch(plan, section)

st.subheader(t("plan.save"))
plan_file = plan_to_json(plan)
saved = state.setdefault("plan_saved", plan_file)  # the first draft, or the file just opened
if plan_file != saved:
    st.warning(t("plan.unsaved"))
guard_leaving(plan_file != saved)
st.download_button(
    t("plan.download_file"),
    plan_file,
    file_name=plan_filename(plan),
    mime="application/json",
    on_click=lambda data=plan_file: state.update(plan_saved=data),
    key="download_plan",
)
paper = st.radio(
    t("plan.paper"),
    ["letter", "a4"],
    format_func=lambda p, lang=lang: t(f"plan.paper_{p}", lang),
    horizontal=True,
    key="plan_paper",
)
# The printout's language, chosen apart from the screen's: the plan file's when it names one, else the screen's.
state.setdefault("plan_print_lang", getattr(plan, "language", "") or lang)
print_lang = st.radio(
    t("plan.print_in"),
    LANGUAGES,
    format_func=LANGUAGE_NAMES.get,
    horizontal=True,
    key="plan_print_lang",
    help=t("plan.print_in_help"),
)
fingerprint = form.fingerprint(plan, paper, print_lang)
if st.button(t("plan.make"), type="primary", key="make_printouts"):
    lines = catalog_crisis_lines(store) if store is not None else []
    try:
        state["plan_printouts"] = (
            fingerprint,
            form.make_printouts(plan, resources, paper, lines, lang=print_lang),
        )
    except FontMissing as exc:
        st.error(str(exc))
printed = state.get("plan_printouts")
if printed and printed[0] == fingerprint:
    for cell, printout in zip(st.columns(len(printed[1])), printed[1], strict=True):
        cell.download_button(
            t(f"plan.download_{printout.kind}"),
            printout.data,
            printout.filename,
            printout.mime,
            key=f"download_{printout.kind}",
            on_click="ignore",
        )
elif printed:
    st.caption(t("plan.stale"))
