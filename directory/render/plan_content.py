"""What a printed care plan says, section by section, independent of the output format.

`plan_sections` joins a `CarePlan` to its resources and returns the sections that print, in DESIGN.md's
order, each as a few simple blocks (facts, bullets, text, a weekly table, resource entries); render/plan.py
draws those blocks as PDF or HTML, so every section's content is written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from directory import phones, schedule
from directory.plans import SECTION_TITLES, Appointment, CarePlan, Medication, parse_when
from directory.render import legend as meeting_legend
from directory.render.facts import (
    CALL_AHEAD,
    ItemFacts,
    clock,
    long_date,
    resource_facts,
    time_range,
    where_text,
)
from directory.schema import Resource, label
from directory.sources import source_name

CALENDAR_DAYS = 30
CRISIS_BANNER = "Crisis? Call 988. Overdose or danger to life: call 911."


@dataclass(frozen=True)
class CrisisLine:
    name: str
    phone: str
    note: str = ""


# The three lines DESIGN.md ("Design for crisis") requires on every page; names as in the shared
# data set /work/shared/data/crisis_lines/il_crisis_help_lines.csv.
FIXED_CRISIS_LINES = (
    CrisisLine("Emergency (overdose, danger to life)", "911"),
    CrisisLine("988 Suicide & Crisis Lifeline", "988", "mental health or substance use crisis, 24/7"),
    CrisisLine("Illinois Helpline for Opioids and Other Substances", "833-234-6343"),
    CrisisLine("SAMHSA National Helpline", "1-800-662-4357", "treatment referral and information"),
)

# Plain-language reminders; the facts are the ones DESIGN.md lists for section 5.
OVERDOSE_REMINDERS = (
    "Your tolerance is lower now. After days or weeks without using, an amount you used to take can kill you.",
    "Never use alone. If you do use, have someone with you who has naloxone (Narcan) and knows how to use it.",
    "Fentanyl is in much of the street supply, including pills that look like prescriptions. "
    "You cannot see, smell or taste it.",
    "If someone will not wake up or is breathing slowly: call 911, give naloxone, and stay with them. "
    "Illinois has a Good Samaritan overdose law that gives some protection from drug possession charges "
    "to people who call 911 for an overdose. Call.",
)

CONSENT_TEXT = (
    "This printout is the patient's own copy of their continuing-care plan. It lists the resources, "
    "appointments and contacts agreed on, and carries no diagnosis. Records of substance use treatment "
    "are protected by federal law (42 CFR Part 2): the program shares them with others only with the "
    "patient's written consent or as that law allows. The patient decides whom to show this copy to."
)

NOT_ENDORSED = (
    "This residence shows no state licence or certification. Listing it is not an endorsement "
    "(as the Illinois recovery residence registry also says, 20 ILCS 301/55-40)."
)

SAFETY_STEPS = (
    ("warning_signs", "1. My warning signs"),
    ("internal_coping", "2. Things I can do on my own to cope"),
    ("distraction_people_and_places", "3. People and places that take my mind off things"),
    ("people_to_ask_for_help", "4. People I can ask for help"),
    ("professionals", "5. Professionals I can call (and 988, any time)"),
    ("safe_environment", "6. Making my surroundings safe"),
)


# --- blocks -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """'Label: value' lines; with `blank_lines` an empty value prints as a line to write on."""

    rows: tuple[tuple[str, str], ...]
    blank_lines: bool = True


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Text:
    text: str
    small: bool = False


@dataclass(frozen=True)
class Item:
    """A numbered entry with its own facts (an appointment, a medication); empty facts are left out."""

    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WeekRow:
    weekday: int
    start: str  # "HH:MM", for ordering
    time: str
    meeting: Resource


@dataclass(frozen=True)
class Week:
    """The weekly schedule: one row per meeting time, Monday first."""

    rows: tuple[WeekRow, ...]


@dataclass(frozen=True)
class ResourceEntries:
    """Resource entries with QR codes, then the legend of the meeting codes they use."""

    items: tuple[ItemFacts, ...]
    legend: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Signatures:
    who: tuple[str, ...] = ("Patient", "Clinician")


Block = Facts | Bullets | Text | Item | Week | ResourceEntries | Signatures


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# --- crisis lines -----------------------------------------------------------------------------------------


def crisis_lines(
    resources: Iterable[Resource] = (), catalog_lines: Iterable[Resource] = ()
) -> list[CrisisLine]:
    """The fixed lines, then every catalog crisis line whose number is not already listed."""
    lines = list(FIXED_CRISIS_LINES)
    seen = {_line_key(line.phone) for line in lines}
    for resource in [*resources, *catalog_lines]:
        if resource.category != "crisis_line" or not resource.phones:
            continue
        key = _line_key(resource.phones[0])
        if key in seen:
            continue
        seen.add(key)
        lines.append(
            CrisisLine(
                resource.name.strip() or "Crisis line",
                "; ".join(resource.phones),
                f"{source_name(resource.source)}, {'added' if resource.date_basis == 'added' else 'as of'} "
                f"{resource.as_of}",
            )
        )
    return lines


def catalog_crisis_lines(catalog) -> list[Resource]:
    """Active crisis-line records of a `directory.catalog.Catalog`."""
    ids = [
        row[0]
        for row in catalog.conn.execute(
            "SELECT id FROM resources WHERE category = 'crisis_line' AND status = 'active' ORDER BY name"
        )
    ]
    return catalog.get_many(ids)


def _line_key(phone: str) -> str:
    """A key for "the same line": the number in E.164 (or the short code) and any menu key to press."""
    parsed = phones.try_parse(phone)
    if parsed is None:
        return " ".join(phone.strip().lower().split())
    return f"{parsed.e164}|{parsed.press}" if parsed.press else parsed.e164


# --- the plan joined to its resources ---------------------------------------------------------------------


class PlanView:
    """The plan joined to its resources: the ones still in the catalog, the picked meetings, the home."""

    def __init__(self, plan: CarePlan, resources: Iterable[Resource], catalog_lines: Iterable[Resource] = ()):
        self.plan = plan
        by_id = {r.id: r for r in resources}
        self.resources = [by_id[i] for i in plan.resource_ids if i in by_id]
        self.meetings = [by_id[i] for i in plan.schedule.meeting_ids if i in by_id]
        self.home = by_id.get(plan.housing.resource_id)
        self.crisis = crisis_lines(self.resources, catalog_lines)

    def title(self) -> tuple[str, str]:
        """('Continuing-care plan', 'for T.P.'): the patient's label only when the header prints."""
        who = self.plan.header.patient_label() if self.plan.header.include else ""
        return "Continuing-care plan", (f"for {who}" if who else "")

    def sections(self) -> list[Section]:
        """The sections that print, in order; the crisis lines always do."""
        return [
            Section(key, title, tuple(getattr(self, f"_{key}")()))
            for key, title in SECTION_TITLES.items()
            if key == "crisis_lines" or getattr(self.plan, key).include
        ]

    def week(self) -> Week:
        rows = [
            WeekRow(slot.weekday, slot.start, time_range(slot), meeting)
            for meeting in self.meetings
            for slot in meeting.schedule
        ]
        rows.sort(key=lambda r: (r.weekday, r.start, r.meeting.name))
        return Week(tuple(rows))

    # One method per section key, each returning that section's blocks.

    def _header(self):
        h = self.plan.header
        clinician = ", ".join(p for p in (h.clinician, h.credentials) if p)
        yield Facts(
            (
                ("Patient", h.patient_label()),
                ("Plan date", _day(h.plan_date)),
                ("Transition date", _day(h.transition_date)),
                ("Program leaving", h.program),
                ("Level of care leaving", h.level_of_care_leaving),
                ("Clinician", clinician),
                ("Next review", _day(h.next_review_date)),
            )
        )

    def _level_of_care(self):
        loc = self.plan.level_of_care
        yield Facts((("ASAM level", loc.asam_level), ("Why", loc.reason)))

    def _appointments(self):
        items = self.plan.appointments.items
        if not items:
            yield Text("No appointments recorded yet.")
        for n, a in enumerate(items, start=1):
            yield Item(f"{n}. {a.where or 'Appointment'}", appointment_facts(a))

    def _medications(self):
        m = self.plan.medications
        for n, med in enumerate(m.items, start=1):
            yield Item(f"{n}. {med.name or 'Medication'}", _medication_facts(med))
        yield Facts(
            (
                ("Naloxone kit given", "yes" if m.naloxone_given else "no"),
                ("Trained to use naloxone", "yes" if m.naloxone_trained else "no"),
            )
        )

    def _overdose_risk(self):
        yield Bullets(OVERDOSE_REMINDERS)

    def _schedule(self):
        if self.plan.schedule.target:
            yield Facts((("Target", self.plan.schedule.target),))
        week = self.week()
        yield week if week.rows else Text("No meetings picked yet.")
        yield Text(
            f"A calendar file with every meeting of the first {CALENDAR_DAYS} days comes with this plan.",
            small=True,
        )

    def _housing(self):
        h, home = self.plan.housing, self.home
        yield Facts(
            (
                ("Residence", home.name if home else ""),
                ("Type", home.subcategory.replace("_", " ") if home else ""),
                ("Licence or certification", (home.license or "none listed") if home else ""),
                ("Address", where_text(home) if home else ""),
                ("Phone", "; ".join(home.phones) if home else ""),
                ("Interview date", _day(h.interview_date)),
                ("Move-in date", _day(h.move_in_date)),
                ("Cost", h.cost or (home.cost if home else "")),
                ("Accepts residents on MOUD", label("mat_friendly", home.mat_friendly) if home else ""),
                ("Notes", h.notes),
            )
        )
        if home is not None and not home.license:
            yield Text(NOT_ENDORSED, small=True)

    def _relapse_prevention(self):
        r = self.plan.relapse_prevention
        yield Facts(
            (
                ("Triggers and high-risk situations", r.triggers),
                ("Early warning signs", r.warning_signs),
                ("Coping strategies", r.coping_strategies),
                ("People and places to avoid", r.people_and_places_to_avoid),
            )
        )

    def _lapse_plan(self):
        lp = self.plan.lapse_plan
        yield Facts(
            (("First person to call", lp.first_call), ("Getting back into care fast", lp.back_into_care))
        )

    def _safety_plan(self):
        yield Facts(tuple((title, getattr(self.plan.safety_plan, key)) for key, title in SAFETY_STEPS))

    def _support_network(self):
        people = self.plan.support_network.people
        if not people:
            yield Facts((("Name, relationship, phone", ""),))
        else:
            yield Bullets(
                tuple(", ".join(x for x in (p.first_name, p.relationship, p.phone) if x) for p in people)
            )

    def _other_needs(self):
        items = self.plan.other_needs.items
        if not items:
            yield Text("None recorded.")
        else:
            rows = tuple(
                (n.area or "Need", f"next step: {n.next_step}" if n.next_step else "") for n in items
            )
            yield Facts(rows, blank_lines=False)

    def _mental_health(self):
        yield Facts((("Follow-up", self.plan.mental_health.follow_up),))

    def _check_ins(self):
        c = self.plan.check_ins
        yield Facts((("Months 1 to 3", c.months_1_to_3), ("After month 3", c.after_month_3)))

    def _crisis_lines(self):
        rows = tuple(
            (line.name, line.phone + (f" ({line.note})" if line.note else "")) for line in self.crisis
        )
        yield Facts(rows, blank_lines=False)

    def _consent(self):
        yield Text(CONSENT_TEXT)

    def _signatures(self):
        yield Signatures()

    def _sources(self):
        yield Text(CALL_AHEAD, small=True)
        if not self.resources:
            yield Text("No resources on this plan.")
        yield ResourceEntries(
            tuple(resource_facts(r) for r in self.resources), tuple(meeting_legend.legend(self.resources))
        )


def appointment_facts(a: Appointment) -> tuple[tuple[str, str], ...]:
    """An appointment's facts, its time written out ('June 3, 2026, 10:00 AM') first."""
    when = parse_when(a.when)
    return (
        ("When", f"{long_date(when)}, {clock(f'{when:%H:%M}')}" if when else a.when),
        ("Phone", a.phone),
        ("What to bring", a.what_to_bring),
        ("Booked by", a.booked_by),
        ("Getting there", a.transport),
        ("If it is missed, call", a.if_missed),
    )


def _medication_facts(med: Medication) -> tuple[tuple[str, str], ...]:
    return (
        ("Prescriber", med.prescriber),
        ("Pharmacy or OTP", med.pharmacy_or_otp),
        ("Next dose or refill", med.next_dose_or_refill),
    )


def _day(text: str) -> str:
    try:
        return long_date(date.fromisoformat(text)) if text else ""
    except ValueError:
        return text


def calendar_start(plan: CarePlan, today: date | None = None) -> date:
    """The first day of the calendar: the transition date, else the plan date, else today."""
    for text in (plan.header.transition_date, plan.header.plan_date):
        try:
            return date.fromisoformat(text)
        except ValueError:
            continue
    return today or datetime.now(schedule.TZ).date()


def plan_sections(
    plan: CarePlan, resources: Sequence[Resource], catalog_lines: Iterable[Resource] = ()
) -> list[Section]:
    """The sections of `plan` that print, each as blocks, over the resources the catalog still has."""
    return PlanView(plan, resources, catalog_lines).sections()
