"""What a printed care plan says, section by section, independent of the output format.

`plan_sections` joins a `CarePlan` to its resources and returns the sections that print, in DESIGN.md's
order, each as a few simple blocks (facts, bullets, text, a weekly table, resource entries); render/plan.py
draws those blocks as PDF or HTML, so every section's content is written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from directory import dates, phones, schedule
from directory.plans import SECTION_TITLES, Appointment, CarePlan, Medication, parse_when
from directory.render.facts import (
    ItemFacts,
    as_of_words,
    clock,
    legend_entries,
    long_date,
    resource_facts,
    subcategory_words,
    time_range,
    where_text,
)
from directory.schema import Resource
from directory.sources import source_name
from directory.translation import LANGUAGES
from directory.words import ENGLISH, language, t, using, vocab

CALENDAR_DAYS = 30
# The English texts, as before (tests compare with them); the printout says them in its own language.
CRISIS_BANNER = ENGLISH["printout.crisis_banner"]


@dataclass(frozen=True)
class CrisisLine:
    name: str
    phone: str
    note: str = ""


# The three lines DESIGN.md ("Design for crisis") requires on every page; names as in the shared
# data set /work/shared/data/crisis_lines/il_crisis_help_lines.csv. (name key, phone, note key): the
# Spanish notes say a line offers Spanish only where a cited source says so (see the .po comments).
_FIXED_LINES = (
    ("printout.line_911", "911", ""),
    ("printout.line_988", "988", "printout.line_988_note"),
    ("printout.line_illinois", "833-234-6343", ""),
    ("printout.line_samhsa", "1-800-662-4357", "printout.line_samhsa_note"),
)


def fixed_crisis_lines(lang: str | None = None) -> tuple[CrisisLine, ...]:
    """The lines every printout carries, in `lang` (default: the current language)."""
    return tuple(
        CrisisLine(t(name, lang), phone, t(note, lang) if note else "") for name, phone, note in _FIXED_LINES
    )


FIXED_CRISIS_LINES = fixed_crisis_lines("en")

# Plain-language reminders; the facts are the ones DESIGN.md lists for section 5.
_OVERDOSE_KEYS = ("printout.overdose_1", "printout.overdose_2", "printout.overdose_3", "printout.overdose_4")
OVERDOSE_REMINDERS = tuple(ENGLISH[key] for key in _OVERDOSE_KEYS)
CONSENT_TEXT = ENGLISH["printout.consent"]
NOT_ENDORSED = ENGLISH["printout.not_endorsed"]

_SAFETY_KEYS = (
    ("warning_signs", "printout.safety_1"),
    ("internal_coping", "printout.safety_2"),
    ("distraction_people_and_places", "printout.safety_3"),
    ("people_to_ask_for_help", "printout.safety_4"),
    ("professionals", "printout.safety_5"),
    ("safe_environment", "printout.safety_6"),
)
SAFETY_STEPS = tuple((field_name, ENGLISH[key]) for field_name, key in _SAFETY_KEYS)


def section_title(key: str, lang: str | None = None) -> str:
    """A plan section's printed title in `lang` (default: the current language): "Safety plan" / "Plan de seguridad"."""
    words_key = f"printout.section_{key}"
    return t(words_key, lang) if words_key in ENGLISH else SECTION_TITLES[key]


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
    date_label: str = "Date"


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
    lines = list(fixed_crisis_lines())
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
                resource.name.strip() or t("printout.crisis_line"),
                "; ".join(resource.phones),
                t(
                    "printout.source_added" if resource.date_basis == "added" else "printout.source_as_of",
                    source=source_name(resource.source),
                    as_of=as_of_words(resource.as_of),
                ),
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
    """The plan joined to its resources: the ones still in the catalog, the picked meetings, the home.

    Its words are in the current language: a renderer builds and reads it inside `using(lang)`.
    """

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
        return t("printout.plan_title"), (t("printout.plan_for", who=who) if who else "")

    def sections(self) -> list[Section]:
        """The sections that print, in order; the crisis lines always do."""
        return [
            Section(key, section_title(key), tuple(getattr(self, f"_{key}")()))
            for key in SECTION_TITLES
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
                (t("printout.patient"), h.patient_label()),
                (t("printout.plan_date"), _day(h.plan_date)),
                (t("printout.transition_date"), _day(h.transition_date)),
                (t("printout.program"), h.program),
                (t("printout.level_leaving"), h.level_of_care_leaving),
                (t("printout.clinician"), clinician),
                (t("printout.next_review"), _day(h.next_review_date)),
            )
        )

    def _level_of_care(self):
        loc = self.plan.level_of_care
        yield Facts(((t("printout.asam_level"), loc.asam_level), (t("printout.why"), loc.reason)))

    def _appointments(self):
        items = self.plan.appointments.items
        if not items:
            yield Text(t("printout.no_appointments"))
        for n, a in enumerate(items, start=1):
            yield Item(f"{n}. {a.where or t('printout.appointment')}", appointment_facts(a))

    def _medications(self):
        m = self.plan.medications
        for n, med in enumerate(m.items, start=1):
            yield Item(f"{n}. {med.name or t('printout.medication')}", _medication_facts(med))
        yield Facts(
            (
                (t("printout.naloxone_given"), _yes_no(m.naloxone_given)),
                (t("printout.naloxone_trained"), _yes_no(m.naloxone_trained)),
            )
        )

    def _overdose_risk(self):
        yield Bullets(tuple(t(key) for key in _OVERDOSE_KEYS))

    def _schedule(self):
        target = self.plan.schedule.target
        if target:
            # The untouched default target is the app's sentence, not the clinician's: print it in the
            # printout's language (the screen writes a new plan's default in the screen language).
            if any(target == t("plan.default_target", code) for code in LANGUAGES):
                target = t("plan.default_target")
            yield Facts(((t("printout.target"), target),))
        week = self.week()
        yield week if week.rows else Text(t("printout.no_meetings"))
        yield Text(t("printout.calendar_note", days=CALENDAR_DAYS), small=True)

    def _housing(self):
        h, home = self.plan.housing, self.home
        yield Facts(
            (
                (t("printout.residence"), home.name if home else ""),
                (t("printout.type"), subcategory_words(home.subcategory) if home else ""),
                (t("printout.licence"), (home.license or t("printout.none_listed")) if home else ""),
                (t("printout.address"), where_text(home) if home else ""),
                (t("printout.label_phone"), "; ".join(home.phones) if home else ""),
                (t("printout.interview_date"), _day(h.interview_date)),
                (t("printout.move_in_date"), _day(h.move_in_date)),
                (t("printout.cost"), h.cost or (home.cost if home else "")),
                (t("printout.accepts_moud"), vocab("mat_friendly", home.mat_friendly) if home else ""),
                (t("printout.notes"), h.notes),
            )
        )
        if home is not None and not home.license:
            yield Text(t("printout.not_endorsed"), small=True)

    def _relapse_prevention(self):
        r = self.plan.relapse_prevention
        yield Facts(
            (
                (t("printout.triggers"), r.triggers),
                (t("printout.early_signs"), r.warning_signs),
                (t("printout.coping"), r.coping_strategies),
                (t("printout.avoid"), r.people_and_places_to_avoid),
            )
        )

    def _lapse_plan(self):
        lp = self.plan.lapse_plan
        yield Facts(
            (
                (t("printout.first_call"), lp.first_call),
                (t("printout.back_into_care"), lp.back_into_care),
            )
        )

    def _safety_plan(self):
        yield Facts(tuple((t(title), getattr(self.plan.safety_plan, key)) for key, title in _SAFETY_KEYS))

    def _support_network(self):
        people = self.plan.support_network.people
        if not people:
            yield Facts(((t("printout.support_row"), ""),))
        else:
            yield Bullets(
                tuple(", ".join(x for x in (p.first_name, p.relationship, p.phone) if x) for p in people)
            )

    def _other_needs(self):
        items = self.plan.other_needs.items
        if not items:
            yield Text(t("printout.none_recorded"))
        else:
            rows = tuple(
                (
                    n.area or t("printout.need"),
                    t("printout.next_step", step=n.next_step) if n.next_step else "",
                )
                for n in items
            )
            yield Facts(rows, blank_lines=False)

    def _mental_health(self):
        yield Facts(((t("printout.follow_up"), self.plan.mental_health.follow_up),))

    def _check_ins(self):
        c = self.plan.check_ins
        yield Facts(
            ((t("printout.months_1_3"), c.months_1_to_3), (t("printout.after_month_3"), c.after_month_3))
        )

    def _crisis_lines(self):
        rows = tuple(
            (line.name, line.phone + (f" ({line.note})" if line.note else "")) for line in self.crisis
        )
        yield Facts(rows, blank_lines=False)

    def _consent(self):
        yield Text(t("printout.consent"))

    def _signatures(self):
        yield Signatures((t("printout.patient"), t("printout.clinician")), t("printout.signature_date"))

    def _sources(self):
        yield Text(t("printout.call_ahead"), small=True)
        if not self.resources:
            yield Text(t("printout.no_resources"))
        yield ResourceEntries(
            tuple(resource_facts(r) for r in self.resources), tuple(legend_entries(self.resources))
        )


def appointment_facts(a: Appointment) -> tuple[tuple[str, str], ...]:
    """An appointment's facts, its day and time written out first: 'Wednesday, June 3, 2026, 10:00 AM'
    (es: 'miércoles 3 de junio de 2026, 10:00 a. m.')."""
    when = parse_when(a.when)
    return (
        (
            t("printout.when"),
            f"{dates.full_date(when, language())}, {clock(f'{when:%H:%M}')}" if when else a.when,
        ),
        (t("printout.label_phone"), a.phone),
        (t("printout.what_to_bring"), a.what_to_bring),
        (t("printout.booked_by"), a.booked_by),
        (t("printout.getting_there"), a.transport),
        (t("printout.if_missed"), a.if_missed),
    )


def _medication_facts(med: Medication) -> tuple[tuple[str, str], ...]:
    return (
        (t("printout.prescriber"), med.prescriber),
        (t("printout.pharmacy"), med.pharmacy_or_otp),
        (t("printout.next_dose"), med.next_dose_or_refill),
    )


def _yes_no(value: bool) -> str:
    return t("printout.yes") if value else t("printout.no")


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
    plan: CarePlan, resources: Sequence[Resource], catalog_lines: Iterable[Resource] = (), *, lang: str = "en"
) -> list[Section]:
    """The sections of `plan` that print in `lang`, each as blocks, over the resources the catalog still has."""
    with using(lang):
        return PlanView(plan, resources, catalog_lines).sections()
