"""The Care plan form: which fields each plan section shows, and the conversions between form values and a
`CarePlan` (tables, dates, choices from the referral list, opening a plan file, making the printouts).

The page (pages/care_plan.py) only draws what `FORM` describes; everything here is plain Python, tested
without Streamlit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from directory.plans import (
    MAX_TEXT,
    Appointment,
    CarePlan,
    Medication,
    Need,
    SupportPerson,
    parse_when,
    plan_filename,
    plan_from_json,
    plan_to_json,
    recovery_homes,
    schedulable_meetings,
)
from directory.referrals import ReferralList
from directory.render.plan import render_plan_html, render_plan_ics, render_plan_pdf
from directory.schema import Resource

KEY_PREFIX = "cp."  # every widget of the form has a key starting with this, so opening a file can reset them
# Sections that only switch fixed text on or off; the page shows their switches together at the end.
CLOSING_SECTIONS = ("consent", "signatures", "sources")
NO_NAME = "(no name)"


@dataclass(frozen=True)
class Column:
    """One column of an editable table: the row field it fills, its heading, text or a date and time."""

    name: str
    label: str
    kind: str = "text"  # "text" | "datetime"


@dataclass(frozen=True)
class Field:
    """One input of a plan section, bound to `attr` of that section's dataclass.

    kind: "text" | "area" (several lines) | "date" (stored YYYY-MM-DD) | "check" | "table" (rows of
    `row_type`, in `columns`) | "meetings" (pick from the referral list's meetings) | "home" (pick one
    residence) | "note" (a caption, no value). `shown_if` names a bool attribute of the same section that
    must be true for the field to show (the full name only when "include full name" is ticked).
    """

    kind: str
    attr: str
    label: str
    key: str
    help: str = ""
    columns: tuple[Column, ...] = ()
    row_type: type | None = None
    shown_if: str = ""

    @property
    def widget_key(self) -> str:
        return KEY_PREFIX + self.key


def _text(attr: str, label: str, key: str, **kw) -> Field:
    return Field("text", attr, label, key, **kw)


def _area(attr: str, label: str, key: str) -> Field:
    return Field("area", attr, label, key)


def _date(attr: str, label: str, key: str) -> Field:
    return Field("date", attr, label, key)


def _table(key: str, row_type: type, *columns: Column, attr: str = "items") -> Field:
    return Field("table", attr, "", key, columns=columns, row_type=row_type)


FORM: dict[str, tuple[Field, ...]] = {
    "header": (
        _text("patient_initials", "Patient initials", "header.patient_initials"),
        Field("check", "include_full_name", "Include full name", "header.include_full_name"),
        _text("patient_name", "Patient full name", "header.patient_name", shown_if="include_full_name"),
        _date("plan_date", "Plan date", "header.plan_date"),
        _date("transition_date", "Transition date", "header.transition_date"),
        _text("program", "Program leaving", "header.program"),
        _text("level_of_care_leaving", "Level of care leaving", "header.level_of_care_leaving"),
        _text("clinician", "Clinician", "header.clinician"),
        _text("credentials", "Credentials", "header.credentials"),
        _date("next_review_date", "Next review date", "header.next_review_date"),
    ),
    "level_of_care": (
        _text("asam_level", "ASAM level", "loc.asam_level"),
        _text("reason", "Reason, in a sentence", "loc.reason"),
    ),
    "appointments": (
        _table(
            "appointments",
            Appointment,
            Column("where", "Where"),
            Column("when", "When", "datetime"),
            Column("phone", "Phone"),
            Column("what_to_bring", "What to bring"),
            Column("booked_by", "Booked by"),
            Column("transport", "Getting there"),
            Column("if_missed", "If missed, call"),
        ),
    ),
    "medications": (
        _table(
            "medications",
            Medication,
            Column("name", "Medication"),
            Column("prescriber", "Prescriber"),
            Column("pharmacy_or_otp", "Pharmacy or OTP"),
            Column("next_dose_or_refill", "Next dose or refill"),
        ),
        Field("check", "naloxone_given", "Naloxone kit given", "med.naloxone_given"),
        Field("check", "naloxone_trained", "Trained to use naloxone", "med.naloxone_trained"),
    ),
    "overdose_risk": (
        Field(
            "note",
            "",
            "Prints fixed reminders: lower tolerance, never use alone, fentanyl, call 911 (Good Samaritan law).",
            "overdose.note",
        ),
    ),
    "schedule": (
        Field(
            "meetings",
            "meeting_ids",
            "Meetings from the referral list",
            "schedule.meeting_ids",
            help="Only meetings with weekly times can go on the schedule.",
        ),
        _text("target", "Target", "schedule.target"),
    ),
    "housing": (
        Field("home", "resource_id", "Residence from the referral list", "housing.resource_id"),
        _date("interview_date", "Interview date", "housing.interview_date"),
        _date("move_in_date", "Move-in date", "housing.move_in_date"),
        _text("cost", "Cost", "housing.cost"),
        _text("notes", "Notes", "housing.notes"),
    ),
    "relapse_prevention": (
        _area("triggers", "Triggers and high-risk situations", "relapse.triggers"),
        _area("warning_signs", "Early warning signs", "relapse.warning_signs"),
        _area("coping_strategies", "Coping strategies", "relapse.coping_strategies"),
        _area("people_and_places_to_avoid", "People and places to avoid", "relapse.avoid"),
    ),
    "lapse_plan": (
        _text("first_call", "First person to call", "lapse.first_call"),
        _area("back_into_care", "How to get back into care fast", "lapse.back_into_care"),
    ),
    "safety_plan": (
        _area("warning_signs", "1. Warning signs", "safety.warning_signs"),
        _area("internal_coping", "2. Internal coping strategies", "safety.internal_coping"),
        _area("distraction_people_and_places", "3. People and places for distraction", "safety.distraction"),
        _area("people_to_ask_for_help", "4. People to ask for help", "safety.people"),
        _area("professionals", "5. Professionals and agencies (988 prints anyway)", "safety.professionals"),
        _area("safe_environment", "6. Making the environment safe", "safety.environment"),
    ),
    "support_network": (
        Field("note", "", "First names only.", "support.note"),
        _table(
            "support",
            SupportPerson,
            Column("first_name", "First name"),
            Column("relationship", "Relationship"),
            Column("phone", "Phone"),
            attr="people",
        ),
    ),
    "other_needs": (
        _table(
            "needs",
            Need,
            Column("area", "Need (benefits, work, legal, transport, childcare, food…)"),
            Column("next_step", "Next step"),
        ),
    ),
    "mental_health": (_area("follow_up", "Follow-up for co-occurring conditions", "mental.follow_up"),),
    "check_ins": (
        _area("months_1_to_3", "Months 1 to 3: who calls whom, how often", "checkins.early"),
        _area("after_month_3", "After month 3", "checkins.later"),
    ),
    "consent": (),
    "signatures": (),
    "sources": (),
}


def switch_key(section: str) -> str:
    """The widget key of a section's print switch ('cp.header.include')."""
    return f"{KEY_PREFIX}{section}.include"


def is_shown(field: Field, part: object) -> bool:
    """Whether a field shows now, given its section's current values (check while drawing, in order)."""
    return not field.shown_if or bool(getattr(part, field.shown_if))


# --- values between widgets and the plan ------------------------------------------------------------------


def as_date(text: str) -> date | None:
    """A plan date ('YYYY-MM-DD') as a date for a date picker; None when empty or not a date."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def date_text(value: date | None) -> str:
    """A date picker's value as the plan stores it."""
    return value.isoformat() if value else ""


def editor_frame(items: Iterable[object], columns: Sequence[Column]) -> pd.DataFrame:
    """Rows of a plan table as the data frame an editable table starts from (date-times as datetimes)."""
    names = [c.name for c in columns]
    frame = pd.DataFrame([[getattr(item, n) for n in names] for item in items], columns=names, dtype="object")
    for column in columns:
        if column.kind == "datetime":
            frame[column.name] = pd.to_datetime(frame[column.name], errors="coerce")
    return frame


def row_values(item: object, columns: Sequence[Column]) -> dict[str, object]:
    """One plan row as the values of its small form: text as text, a date-time as (date, time) parts."""
    values: dict[str, object] = {}
    for c in columns:
        text = getattr(item, c.name, "") or ""
        if c.kind == "datetime":
            when = parse_when(text) if text else None
            values[c.name + ".date"] = when.date() if when else None
            values[c.name + ".time"] = when.time() if when and (when.hour or when.minute) else None
        else:
            values[c.name] = text
    return values


def row_item(values: Mapping[str, object], row_type: type, columns: Sequence[Column]):
    """A small form's values as a plan row, or None when it was left empty."""
    fields: dict[str, str] = {}
    for c in columns:
        if c.kind == "datetime":
            day, clock = values.get(c.name + ".date"), values.get(c.name + ".time")
            fields[c.name] = (
                # A date without a time is kept at 00:00, which the form shows as "no time given".
                f"{day.isoformat()} {(clock.strftime('%H:%M') if clock else '00:00')}" if day else ""
            )
        else:
            fields[c.name] = str(values.get(c.name) or "").strip()[:MAX_TEXT]
    return row_type(**fields) if any(fields.values()) else None


def items_from_editor(records: Iterable[dict], row_type: type, columns: Sequence[Column]) -> list:
    """The edited table's rows as plan rows; rows left completely empty are dropped."""
    items = []
    for record in records:
        values = {c.name: cell_text(record.get(c.name)) for c in columns}
        if any(values.values()):
            items.append(row_type(**values))
    return items


def cell_text(value: object) -> str:
    """One table cell as plan text: empty for a blank cell, 'YYYY-MM-DD HH:MM' for a date-time, capped."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)[:MAX_TEXT]


def resource_names(resources: Iterable[Resource]) -> dict[str, str]:
    """Id -> the name a picker shows."""
    return {r.id: r.name.strip() or NO_NAME for r in resources}


def choices(field: Field, resources: Sequence[Resource]) -> list[str]:
    """The ids a "meetings" or "home" field offers ("" first for "no residence")."""
    if field.kind == "meetings":
        return schedulable_meetings(list(resources))
    return ["", *recovery_homes(list(resources))]


def keep_choices(value: object, options: Sequence[str], *, many: bool) -> object:
    """A picker's value limited to the options there are now (a resource may have left the list)."""
    if many:
        return [i for i in (value or []) if i in options]
    return value if value in options else ""


# --- files ------------------------------------------------------------------------------------------------


def open_plan_file(data: bytes) -> tuple[CarePlan, ReferralList]:
    """A plan file's plan and the referral list it names; raises PlanFileError (nothing changes then)."""
    plan = plan_from_json(data)
    return plan, ReferralList.from_dict({"items": [{"resource_id": i} for i in plan.resource_ids]})


@dataclass(frozen=True)
class Printout:
    """One file to download: which (`kind`), its bytes, its name and type."""

    kind: str
    data: bytes
    filename: str
    mime: str


def fingerprint(plan: CarePlan, paper: str, lang: str = "en") -> str:
    """Changes whenever the plan, the paper size or the printout's language does, so printouts made
    earlier can be told stale."""
    extra = "" if lang == "en" else f"|{lang}"  # English printouts keep the fingerprints they had
    return hashlib.sha256(plan_to_json(plan) + paper.encode() + extra.encode()).hexdigest()


def make_printouts(
    plan: CarePlan,
    resources: Sequence[Resource],
    paper: str,
    catalog_lines: Sequence[Resource] = (),
    *,
    lang: str = "en",
) -> list[Printout]:
    """The PDF, the print page and the first-30-days calendar in `lang`, the printout's language (raises
    FontMissing when the PDF can't be made)."""
    stem = plan_filename(plan).removesuffix(".json")
    return [
        Printout(
            "pdf",
            render_plan_pdf(plan, resources, paper, catalog_lines=catalog_lines, lang=lang),
            f"{stem}.pdf",
            "application/pdf",
        ),
        Printout(
            "html",
            render_plan_html(plan, resources, catalog_lines=catalog_lines, lang=lang).encode("utf-8"),
            f"{stem}.html",
            "text/html",
        ),
        Printout(
            "ics", render_plan_ics(plan, resources, lang=lang), f"{stem}-first-30-days.ics", "text/calendar"
        ),
    ]
