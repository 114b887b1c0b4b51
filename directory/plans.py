"""The continuing-care plan: one dataclass per section of DESIGN.md, each switchable, saved as versioned JSON.

A plan file lives on the clinician's own computer, never on the server. Reading one back is strict:
a wrong format or version, malformed or oversized JSON, an unknown field or a wrong type raises
`PlanFileError` with a message that names the field and the fix.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from dataclasses import dataclass, field
from datetime import date, datetime

from directory.schedule import TZ
from directory.schema import Resource

FORMAT = "illinois-aftercare-plan"
VERSION = 1
MAX_BYTES = 1_048_576  # 1 MB: a real plan is a few kilobytes, so anything bigger is not a plan file
MAX_TEXT = 4000
MAX_ITEMS = 200


class PlanFileError(ValueError):
    """A plan file that cannot be opened, with a message for the person who chose it."""


@dataclass
class Header:
    """Who and when. Initials print by default; a full name only when `include_full_name` is ticked."""

    include: bool = True
    patient_initials: str = ""
    patient_name: str = ""
    include_full_name: bool = False
    plan_date: str = ""
    transition_date: str = ""
    program: str = ""
    level_of_care_leaving: str = ""
    clinician: str = ""
    credentials: str = ""
    next_review_date: str = ""

    def patient_label(self) -> str:
        """What the printout calls the patient: the full name only when asked for, else the initials."""
        if self.include_full_name and self.patient_name.strip():
            return self.patient_name.strip()
        return self.patient_initials.strip()


@dataclass
class LevelOfCare:
    include: bool = True
    asam_level: str = ""
    reason: str = ""


@dataclass
class Appointment:
    """A confirmed next appointment (warm handoff); `when` is "YYYY-MM-DD HH:MM" in America/Chicago."""

    where: str = ""
    when: str = ""
    phone: str = ""
    what_to_bring: str = ""
    booked_by: str = ""
    transport: str = ""
    if_missed: str = ""


@dataclass
class Appointments:
    include: bool = True
    items: list[Appointment] = field(default_factory=list)


@dataclass
class Medication:
    name: str = ""
    prescriber: str = ""
    pharmacy_or_otp: str = ""
    next_dose_or_refill: str = ""


@dataclass
class Medications:
    include: bool = True
    items: list[Medication] = field(default_factory=list)
    naloxone_given: bool = False
    naloxone_trained: bool = False


@dataclass
class OverdoseRisk:
    """Fixed reminders; the plan only says whether to print them."""

    include: bool = True


@dataclass
class WeeklySchedule:
    """The meetings picked from the referral list, printed by weekday and time."""

    include: bool = True
    meeting_ids: list[str] = field(default_factory=list)
    target: str = "90 meetings in 90 days"


@dataclass
class Housing:
    include: bool = True
    resource_id: str = ""
    interview_date: str = ""
    move_in_date: str = ""
    cost: str = ""
    notes: str = ""


@dataclass
class RelapsePrevention:
    include: bool = True
    triggers: str = ""
    warning_signs: str = ""
    coping_strategies: str = ""
    people_and_places_to_avoid: str = ""


@dataclass
class LapsePlan:
    include: bool = True
    first_call: str = ""
    back_into_care: str = ""


@dataclass
class SafetyPlan:
    """Stanley–Brown safety plan steps; off by default because it applies only when suicide risk does."""

    include: bool = False
    warning_signs: str = ""
    internal_coping: str = ""
    distraction_people_and_places: str = ""
    people_to_ask_for_help: str = ""
    professionals: str = ""
    safe_environment: str = ""


@dataclass
class SupportPerson:
    first_name: str = ""
    relationship: str = ""
    phone: str = ""


@dataclass
class SupportNetwork:
    include: bool = True
    people: list[SupportPerson] = field(default_factory=list)


@dataclass
class Need:
    area: str = ""
    next_step: str = ""


@dataclass
class OtherNeeds:
    include: bool = True
    items: list[Need] = field(default_factory=list)


@dataclass
class MentalHealth:
    include: bool = True
    follow_up: str = ""


@dataclass
class CheckIns:
    include: bool = True
    months_1_to_3: str = ""
    after_month_3: str = ""


@dataclass
class Consent:
    include: bool = True


@dataclass
class Signatures:
    include: bool = True


@dataclass
class Sources:
    include: bool = True


@dataclass
class CarePlan:
    """A whole plan, sections in print order; crisis lines have no switch because they always print."""

    resource_ids: list[str] = field(default_factory=list)
    header: Header = field(default_factory=Header)
    level_of_care: LevelOfCare = field(default_factory=LevelOfCare)
    appointments: Appointments = field(default_factory=Appointments)
    medications: Medications = field(default_factory=Medications)
    overdose_risk: OverdoseRisk = field(default_factory=OverdoseRisk)
    schedule: WeeklySchedule = field(default_factory=WeeklySchedule)
    housing: Housing = field(default_factory=Housing)
    relapse_prevention: RelapsePrevention = field(default_factory=RelapsePrevention)
    lapse_plan: LapsePlan = field(default_factory=LapsePlan)
    safety_plan: SafetyPlan = field(default_factory=SafetyPlan)
    support_network: SupportNetwork = field(default_factory=SupportNetwork)
    other_needs: OtherNeeds = field(default_factory=OtherNeeds)
    mental_health: MentalHealth = field(default_factory=MentalHealth)
    check_ins: CheckIns = field(default_factory=CheckIns)
    consent: Consent = field(default_factory=Consent)
    signatures: Signatures = field(default_factory=Signatures)
    sources: Sources = field(default_factory=Sources)


# Section key -> printed heading, in print order. "crisis_lines" has no dataclass: it always prints.
SECTION_TITLES: dict[str, str] = {
    "header": "Plan details",
    "level_of_care": "Recommended level of care",
    "appointments": "Confirmed next appointments",
    "medications": "Medications and MOUD",
    "overdose_risk": "Overdose-risk reminders",
    "schedule": "Weekly recovery schedule",
    "housing": "Recovery housing",
    "relapse_prevention": "Relapse prevention",
    "lapse_plan": "If a lapse happens",
    "safety_plan": "Safety plan",
    "support_network": "Support network",
    "other_needs": "Other needs and next steps",
    "mental_health": "Mental-health follow-up",
    "check_ins": "Check-ins",
    "crisis_lines": "Crisis lines",
    "consent": "About this copy",
    "signatures": "Signatures",
    "sources": "Resources and sources",
}
SWITCHABLE = tuple(k for k in SECTION_TITLES if k != "crisis_lines")

# Fields that hold dates ("YYYY-MM-DD") or date-times ("YYYY-MM-DD HH:MM"); checked when a file is opened.
DATE_FIELDS = {"plan_date", "transition_date", "next_review_date", "interview_date", "move_in_date"}
DATETIME_FIELDS = {"when"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._:-]{0,119}$")


def illinois_today() -> date:
    """Today's date in Illinois (the server's clock may run on UTC, a day ahead in the evening)."""
    return datetime.now(TZ).date()


def new_plan(resources: list[Resource], *, today: date | None = None) -> CarePlan:
    """A fresh plan over a referral list: every meeting with a schedule in the weekly schedule, the first
    recovery home as the housing choice, today's date as the plan date."""
    plan = CarePlan()
    plan.header.plan_date = (today or illinois_today()).isoformat()
    use_resources(plan, resources)
    return plan


def schedulable_meetings(resources: list[Resource]) -> list[str]:
    """Ids of the meetings that can go on the weekly schedule: support groups with weekly times."""
    return [r.id for r in resources if r.category == "support_group" and r.schedule]


def recovery_homes(resources: list[Resource]) -> list[str]:
    """Ids of the recovery residences the housing section can name."""
    return [r.id for r in resources if r.category == "recovery_housing"]


def use_resources(plan: CarePlan, resources: list[Resource]) -> None:
    """Point the plan at a (changed) referral list: picks still on it stay, meetings new to it are added,
    and a recovery home new to the list becomes the housing choice when none is chosen."""
    before = set(plan.resource_ids)
    plan.resource_ids = [r.id for r in resources]
    meetings = schedulable_meetings(resources)
    kept = [i for i in plan.schedule.meeting_ids if i in meetings]
    plan.schedule.meeting_ids = kept + [i for i in meetings if i not in before and i not in kept]
    homes = recovery_homes(resources)
    if plan.housing.resource_id not in homes:
        plan.housing.resource_id = next((h for h in homes if h not in before), "")


def plan_to_dict(plan: CarePlan) -> dict:
    """The plan as the JSON object of a plan file."""
    return {"format": FORMAT, "version": VERSION, **dataclasses.asdict(plan)}


def plan_to_json(plan: CarePlan) -> bytes:
    """The plan file: UTF-8 JSON with `format` and `version` first, indented so a person can read it."""
    return (json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def plan_filename(plan: CarePlan) -> str:
    """A file name without patient details: 'care-plan-2026-06-01.json'."""
    day = plan.header.plan_date if _is_date(plan.header.plan_date) else illinois_today().isoformat()
    return f"care-plan-{day}.json"


def plan_from_json(data: bytes | str) -> CarePlan:
    """Read a plan file; raise `PlanFileError` saying what is wrong and how to fix it."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise PlanFileError(
            f"This file is {len(data) / 1_048_576:.1f} MB; a plan file is at most 1 MB. "
            "Choose the .json file this app saved with “Download plan file”."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFileError(
            f"This file is not text (byte {exc.start} is not UTF-8). "
            "Choose the .json file this app saved with “Download plan file”."
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            f"This file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "It may be damaged or edited by hand; open an unchanged copy."
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise PlanFileError(
            f'This is not a care-plan file: it must say "format": "{FORMAT}". '
            "Choose the .json file this app saved with “Download plan file”."
        )
    version = raw.get("version")
    if version != VERSION:
        raise PlanFileError(
            f"This plan file is version {version!r}; this app reads version {VERSION}. "
            "Save the plan again from the app version that made it, or start a new plan."
        )
    body = {k: v for k, v in raw.items() if k not in ("format", "version")}
    return _build(CarePlan, body, "")


def _build(cls: type, data: object, path: str):
    """One dataclass from its JSON object, checking every field's name and type (missing ones take defaults)."""
    where = path or "the plan"
    if not isinstance(data, dict):
        raise PlanFileError(f"{where}: expected an object {{…}}, found {_kind(data)}.")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        name = f"{path}.{unknown[0]}" if path else unknown[0]
        raise PlanFileError(
            f"{name}: unknown field. A version-{VERSION} plan file has no such field; "
            "it may come from a newer app or have been edited by hand."
        )
    values = {}
    for name, value in data.items():
        values[name] = _value(hints[name], value, f"{path}.{name}" if path else name)
    return cls(**values)


def _value(hint, value: object, path: str):
    origin = typing.get_origin(hint)
    if hint is bool:
        if not isinstance(value, bool):
            raise PlanFileError(f"{path}: expected true or false, found {_kind(value)}.")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise PlanFileError(f"{path}: expected text, found {_kind(value)}.")
        if len(value) > MAX_TEXT:
            raise PlanFileError(f"{path}: {len(value)} characters; shorten it to at most {MAX_TEXT}.")
        field_name = path.rsplit(".", 1)[-1]
        if value and field_name in DATE_FIELDS and not _is_date(value):
            raise PlanFileError(f"{path}: '{value[:40]}' is not a date; write it as YYYY-MM-DD.")
        if value and field_name in DATETIME_FIELDS and not _is_datetime(value):
            raise PlanFileError(
                f"{path}: '{value[:40]}' is not a date and time; write it as YYYY-MM-DD HH:MM."
            )
        return value
    if origin is list:
        if not isinstance(value, list):
            raise PlanFileError(f"{path}: expected a list […], found {_kind(value)}.")
        if len(value) > MAX_ITEMS:
            raise PlanFileError(f"{path}: {len(value)} entries; a plan holds at most {MAX_ITEMS}.")
        (item_hint,) = typing.get_args(hint)
        items = [_value(item_hint, v, f"{path}[{i}]") for i, v in enumerate(value)]
        if item_hint is str and path.endswith("ids"):
            for i, item in enumerate(items):
                if not _ID_RE.match(item):
                    raise PlanFileError(f"{path}[{i}]: '{item[:40]}' is not a resource id.")
        return items
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, value, path)
    raise PlanFileError(f"{path}: unsupported value.")


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}$", text))


def _is_datetime(text: str) -> bool:
    if not re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$", text):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_when(text: str) -> datetime | None:
    """An appointment time as a naive datetime (America/Chicago wall clock), or None when not given."""
    return datetime.fromisoformat(text) if text and _is_datetime(text) else None
