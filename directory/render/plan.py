"""The continuing-care plan as PDF, print HTML and a "first 30 days" calendar, all from one `CarePlan`.

Sections print in DESIGN.md's order and only when switched on; the crisis lines always print. Resources
come from the catalog by id; a plan naming a resource the catalog no longer has prints without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from directory import schedule
from directory.plans import SECTION_TITLES, CarePlan, parse_when
from directory.render import legend as meeting_legend
from directory.render.exports import (
    CALL_AHEAD,
    UID_DOMAIN,
    PrintDocument,
    bdi,
    clock,
    esc,
    html_document,
    html_legend,
    html_link,
    html_resource_block,
    long_date,
    meeting_description,
    meeting_location,
    resource_facts,
    where_text,
)
from directory.render.qr import safe_url
from directory.schema import WEEKDAY_NAMES, Resource, label

CALENDAR_DAYS = 30


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
    "Illinois' Good Samaritan law protects people who call 911 for an overdose from arrest for possessing "
    "small amounts of drugs.",
)

CONSENT_TEXT = (
    "This printout is the patient's own copy of their continuing-care plan. It lists the resources, "
    "appointments and contacts agreed on, and carries no diagnosis. Records of substance use treatment "
    "are protected by federal law (42 CFR Part 2): the program shares them with others only with the "
    "patient's written consent or as that law allows. The patient decides whom to show this copy to."
)

SAFETY_STEPS = (
    ("warning_signs", "1. My warning signs"),
    ("internal_coping", "2. Things I can do on my own to cope"),
    ("distraction_people_and_places", "3. People and places that take my mind off things"),
    ("people_to_ask_for_help", "4. People I can ask for help"),
    ("professionals", "5. Professionals I can call (and 988, any time)"),
    ("safe_environment", "6. Making my surroundings safe"),
)


def crisis_lines(
    resources: Iterable[Resource] = (), catalog_lines: Iterable[Resource] = ()
) -> list[CrisisLine]:
    """The fixed lines, then every catalog crisis line whose number is not already listed."""
    lines = list(FIXED_CRISIS_LINES)
    seen = {_digits(line.phone) for line in lines}
    for resource in [*resources, *catalog_lines]:
        if resource.category != "crisis_line" or not resource.phones:
            continue
        phone = resource.phones[0]
        if _digits(phone) in seen:
            continue
        seen.add(_digits(phone))
        lines.append(
            CrisisLine(
                resource.name.strip() or "Crisis line",
                "; ".join(resource.phones),
                f"{resource.source}, as of {resource.as_of}",
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


_PHONE_RE = re.compile(r"(?:\b1[-. ]?)?\(?\b\d{3}\)?[-. ]?\d{3}[-. ]?\d{4}\b|\b\d{3}\b")
_PRESS_RE = re.compile(r"press (\d)", re.IGNORECASE)


def _digits(phone: str) -> str:
    """A key for "the same line": the first number's digits (without a leading 1) and any menu key to press."""
    match = _PHONE_RE.search(phone)
    if not match:
        return re.sub(r"\s+", " ", phone.strip().lower())
    digits = re.sub(r"\D", "", match.group())
    digits = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    press = _PRESS_RE.search(phone)
    return f"{digits}|{press.group(1)}" if press else digits


class _PlanView:
    """The plan joined to its resources: what each section shows."""

    def __init__(self, plan: CarePlan, resources: Iterable[Resource], catalog_lines: Iterable[Resource] = ()):
        self.plan = plan
        by_id = {r.id: r for r in resources}
        self.resources = [by_id[i] for i in plan.resource_ids if i in by_id]
        self.meetings = [by_id[i] for i in plan.schedule.meeting_ids if i in by_id]
        self.home = by_id.get(plan.housing.resource_id)
        self.crisis = crisis_lines(self.resources, catalog_lines)

    def on(self, key: str) -> bool:
        return key == "crisis_lines" or getattr(self.plan, key).include

    def weekly_rows(self) -> list[tuple[int, str, str, Resource]]:
        """(weekday, time text, start, meeting) for every weekly slot of the picked meetings, in week order."""
        rows = []
        for meeting in self.meetings:
            for slot in meeting.schedule:
                time_text = f"{clock(slot.start)}–{clock(slot.end)}" if slot.end else clock(slot.start)
                rows.append((slot.weekday, time_text, slot.start, meeting))
        rows.sort(key=lambda r: (r[0], r[2], r[3].name))
        return rows

    def header_facts(self) -> list[tuple[str, str]]:
        h = self.plan.header
        clinician = ", ".join(p for p in (h.clinician, h.credentials) if p)
        return [
            ("Patient", h.patient_label()),
            ("Plan date", _day(h.plan_date)),
            ("Transition date", _day(h.transition_date)),
            ("Program leaving", h.program),
            ("Level of care leaving", h.level_of_care_leaving),
            ("Clinician", clinician),
            ("Next review", _day(h.next_review_date)),
        ]

    def housing_facts(self) -> list[tuple[str, str]]:
        h, home = self.plan.housing, self.home
        facts = [
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
        ]
        return facts


def _day(text: str) -> str:
    try:
        return long_date(date.fromisoformat(text)) if text else ""
    except ValueError:
        return text


def _title(plan: CarePlan) -> tuple[str, str]:
    who = plan.header.patient_label() if plan.header.include else ""
    return "Continuing-care plan", (f"for {who}" if who else "")


# --- PDF --------------------------------------------------------------------------------------------------


def render_plan_pdf(
    plan: CarePlan,
    resources: Sequence[Resource],
    paper: str = "letter",
    *,
    catalog_lines: Iterable[Resource] = (),
) -> bytes:
    """The plan as a PDF on US Letter or A4 (raises FontMissing when DejaVu Sans is not installed)."""
    view = _PlanView(plan, resources, catalog_lines)
    title, who = _title(plan)
    doc = PrintDocument(title, paper=paper, footer=CALL_AHEAD)
    doc.title_block(f"{title} {who}".strip(), "Crisis? Call 988. Overdose or danger to life: call 911.")
    for key in SECTION_TITLES:
        if view.on(key):
            doc.heading(SECTION_TITLES[key])
            _PDF_SECTIONS[key](doc, view)
    return bytes(doc.output())


def _pdf_facts(doc: PrintDocument, facts: list[tuple[str, str]], blank: bool = True) -> None:
    for name, value in facts:
        doc.fact(name, value, blank_line=blank)


def _pdf_header(doc, view):
    _pdf_facts(doc, view.header_facts())


def _pdf_level(doc, view):
    _pdf_facts(
        doc, [("ASAM level", view.plan.level_of_care.asam_level), ("Why", view.plan.level_of_care.reason)]
    )


def _pdf_appointments(doc, view):
    items = view.plan.appointments.items
    if not items:
        doc.paragraph("No appointments recorded yet.")
    for n, a in enumerate(items, start=1):
        doc.paragraph(f"{n}. {a.where or 'Appointment'}", bold=True)
        _pdf_facts(doc, _appointment_facts(a), blank=False)
        doc.ln(1)


def _appointment_facts(a) -> list[tuple[str, str]]:
    when = parse_when(a.when)
    return [
        ("When", f"{long_date(when)}, {clock(f'{when:%H:%M}')}" if when else a.when),
        ("Phone", a.phone),
        ("What to bring", a.what_to_bring),
        ("Booked by", a.booked_by),
        ("Getting there", a.transport),
        ("If it is missed, call", a.if_missed),
    ]


def _pdf_medications(doc, view):
    m = view.plan.medications
    for n, med in enumerate(m.items, start=1):
        doc.paragraph(f"{n}. {med.name or 'Medication'}", bold=True)
        _pdf_facts(doc, _medication_facts(med), blank=False)
    _pdf_facts(doc, _naloxone_facts(m), blank=False)


def _medication_facts(med) -> list[tuple[str, str]]:
    return [
        ("Prescriber", med.prescriber),
        ("Pharmacy or OTP", med.pharmacy_or_otp),
        ("Next dose or refill", med.next_dose_or_refill),
    ]


def _naloxone_facts(m) -> list[tuple[str, str]]:
    return [
        ("Naloxone kit given", "yes" if m.naloxone_given else "no"),
        ("Trained to use naloxone", "yes" if m.naloxone_trained else "no"),
    ]


def _pdf_overdose(doc, view):
    for line in OVERDOSE_REMINDERS:
        doc.bullet(line)


def _pdf_schedule(doc, view):
    rows = view.weekly_rows()
    if view.plan.schedule.target:
        doc.fact("Target", view.plan.schedule.target)
    if not rows:
        doc.paragraph("No meetings picked yet.")
    current = None
    for weekday, time_text, _, meeting in rows:
        if weekday != current:
            current = weekday
            doc.keep_room(16)
            doc.paragraph(WEEKDAY_NAMES[weekday], bold=True)
        doc.bullet(f"{time_text}  {meeting.name.strip() or 'Meeting'} — {_meeting_place(meeting)}")
    doc.paragraph(
        f"A calendar file with every meeting of the first {CALENDAR_DAYS} days comes with this plan.", size=9
    )


def _meeting_place(meeting: Resource) -> str:
    place = meeting_location(meeting)
    if meeting.format == "hybrid" and meeting.conference_url:
        place += f" (join online: {meeting.conference_url})"
    return place


def _pdf_housing(doc, view):
    _pdf_facts(doc, view.housing_facts())
    if view.home is not None and not view.home.license:
        doc.paragraph(_NOT_ENDORSED, size=9)


_NOT_ENDORSED = (
    "This residence shows no state licence or certification. Listing it is not an endorsement "
    "(as the Illinois recovery residence registry also says, 20 ILCS 301/55-40)."
)


def _pdf_relapse(doc, view):
    r = view.plan.relapse_prevention
    _pdf_facts(
        doc,
        [
            ("Triggers and high-risk situations", r.triggers),
            ("Early warning signs", r.warning_signs),
            ("Coping strategies", r.coping_strategies),
            ("People and places to avoid", r.people_and_places_to_avoid),
        ],
    )


def _pdf_lapse(doc, view):
    lp = view.plan.lapse_plan
    _pdf_facts(
        doc, [("First person to call", lp.first_call), ("Getting back into care fast", lp.back_into_care)]
    )


def _pdf_safety(doc, view):
    s = view.plan.safety_plan
    _pdf_facts(doc, [(title, getattr(s, key)) for key, title in SAFETY_STEPS])


def _pdf_support(doc, view):
    people = view.plan.support_network.people
    if not people:
        doc.fact("Name, relationship, phone", "", blank_line=True)
    for p in people:
        doc.bullet(", ".join(x for x in (p.first_name, p.relationship, p.phone) if x))


def _pdf_needs(doc, view):
    items = view.plan.other_needs.items
    if not items:
        doc.paragraph("None recorded.")
    for need in items:
        doc.fact(need.area or "Need", f"next step: {need.next_step}" if need.next_step else "")


def _pdf_mental(doc, view):
    _pdf_facts(doc, [("Follow-up", view.plan.mental_health.follow_up)])


def _pdf_checkins(doc, view):
    c = view.plan.check_ins
    _pdf_facts(doc, [("Months 1 to 3", c.months_1_to_3), ("After month 3", c.after_month_3)])


def _pdf_crisis(doc, view):
    for line in view.crisis:
        doc.fact(line.name, line.phone + (f" ({line.note})" if line.note else ""))


def _pdf_consent(doc, view):
    doc.paragraph(CONSENT_TEXT)


def _pdf_signatures(doc, view):
    for who in ("Patient", "Clinician"):
        doc.ln(4)
        doc.paragraph(f"{who}: {'_' * 38}   Date: {'_' * 14}")


def _pdf_sources(doc, view):
    if not view.resources:
        doc.paragraph("No resources on this plan.")
    doc.paragraph(CALL_AHEAD, size=9)
    doc.ln(1)
    for n, resource in enumerate(view.resources, start=1):
        doc.resource_block(resource_facts(resource), number=n, qr_size=20)
    entries = meeting_legend.legend(view.resources)
    doc.legend_block(entries)


_PDF_SECTIONS = {
    "header": _pdf_header,
    "level_of_care": _pdf_level,
    "appointments": _pdf_appointments,
    "medications": _pdf_medications,
    "overdose_risk": _pdf_overdose,
    "schedule": _pdf_schedule,
    "housing": _pdf_housing,
    "relapse_prevention": _pdf_relapse,
    "lapse_plan": _pdf_lapse,
    "safety_plan": _pdf_safety,
    "support_network": _pdf_support,
    "other_needs": _pdf_needs,
    "mental_health": _pdf_mental,
    "check_ins": _pdf_checkins,
    "crisis_lines": _pdf_crisis,
    "consent": _pdf_consent,
    "signatures": _pdf_signatures,
    "sources": _pdf_sources,
}


# --- print HTML -------------------------------------------------------------------------------------------


def render_plan_html(
    plan: CarePlan, resources: Sequence[Resource], *, catalog_lines: Iterable[Resource] = ()
) -> str:
    """The plan as one self-contained HTML page for printing (no scripts, no remote files)."""
    view = _PlanView(plan, resources, catalog_lines)
    title, who = _title(plan)
    parts = [
        f"<h1>{esc(title)} {bdi(who)}</h1>",
        '<p class="meta">Crisis? Call 988. Overdose or danger to life: call 911.</p>',
    ]
    for key in SECTION_TITLES:
        if view.on(key):
            parts.append(f'<section class="section" id="{key}"><h2>{esc(SECTION_TITLES[key])}</h2>')
            parts.append(_HTML_SECTIONS[key](view))
            parts.append("</section>")
    return html_document(f"{title} {who}".strip(), "\n".join(parts))


def _dl(facts: list[tuple[str, str]], blank: bool = True) -> str:
    rows = []
    for name, value in facts:
        if value:
            rows.append(f"<dt>{esc(name)}</dt><dd>{bdi(value)}</dd>")
        elif blank:
            rows.append(f'<dt>{esc(name)}</dt><dd><span class="write-in">&nbsp;</span></dd>')
    return f"<dl>{''.join(rows)}</dl>"


def _html_list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{bdi(i)}</li>" for i in items) + "</ul>"


def _html_appointments(view):
    items = view.plan.appointments.items
    if not items:
        return "<p>No appointments recorded yet.</p>"
    return "".join(
        f"<h3>{n}. {bdi(a.where or 'Appointment')}</h3>{_dl(_appointment_facts(a), blank=False)}"
        for n, a in enumerate(items, start=1)
    )


def _html_medications(view):
    m = view.plan.medications
    parts = [
        f"<h3>{n}. {bdi(med.name or 'Medication')}</h3>{_dl(_medication_facts(med), blank=False)}"
        for n, med in enumerate(m.items, start=1)
    ]
    return "".join(parts) + _dl(_naloxone_facts(m))


def _html_schedule(view):
    parts = []
    if view.plan.schedule.target:
        parts.append(_dl([("Target", view.plan.schedule.target)]))
    rows = view.weekly_rows()
    if not rows:
        parts.append("<p>No meetings picked yet.</p>")
    else:
        body = "".join(
            f"<tr><td>{WEEKDAY_NAMES[d]}</td><td>{esc(t)}</td><td>{bdi(m.name.strip() or 'Meeting')}</td>"
            f"<td>{_html_place(m)}</td></tr>"
            for d, t, _, m in rows
        )
        parts.append(
            '<table><colgroup><col style="width:16%"><col style="width:20%"><col style="width:32%">'
            '<col style="width:32%"></colgroup><thead><tr><th>Day</th><th>Time</th><th>Meeting</th>'
            f"<th>Where</th></tr></thead><tbody>{body}</tbody></table>"
        )
    parts.append(
        f'<p class="small">A calendar file with every meeting of the first {CALENDAR_DAYS} days comes with this plan.</p>'
    )
    return "".join(parts)


def _html_place(meeting: Resource) -> str:
    if meeting.format == "online":
        return html_link(meeting.conference_url) or "Online"
    place = bdi(where_text(meeting))
    link = html_link(meeting.conference_url) if meeting.format == "hybrid" else ""
    return f"{place}<br>{link}" if link else place


def _html_housing(view):
    note = (
        f'<p class="small">{esc(_NOT_ENDORSED)}</p>'
        if view.home is not None and not view.home.license
        else ""
    )
    return _dl(view.housing_facts()) + note


def _html_support(view):
    people = view.plan.support_network.people
    if not people:
        return _dl([("Name, relationship, phone", "")])
    return _html_list(", ".join(x for x in (p.first_name, p.relationship, p.phone) if x) for p in people)


def _html_needs(view):
    items = view.plan.other_needs.items
    if not items:
        return "<p>None recorded.</p>"
    return _dl(
        [(n.area or "Need", f"next step: {n.next_step}" if n.next_step else "") for n in items], blank=False
    )


def _html_crisis(view):
    return (
        "<dl>"
        + "".join(
            f"<dt>{bdi(line.name)}</dt><dd>{bdi(line.phone)}{esc(f' ({line.note})' if line.note else '')}</dd>"
            for line in view.crisis
        )
        + "</dl>"
    )


def _html_signatures(view):
    return "".join(
        f'<p>{who}: <span class="write-in">&nbsp;</span> Date: <span class="write-in" style="min-width:8rem">'
        "&nbsp;</span></p>"
        for who in ("Patient", "Clinician")
    )


def _html_sources(view):
    blocks = "".join(
        html_resource_block(resource_facts(r), number=n) for n, r in enumerate(view.resources, start=1)
    )
    empty = "" if view.resources else "<p>No resources on this plan.</p>"
    return f'<p class="small">{esc(CALL_AHEAD)}</p>{empty}{blocks}{html_legend(meeting_legend.legend(view.resources))}'


_HTML_SECTIONS = {
    "header": lambda v: _dl(v.header_facts()),
    "level_of_care": lambda v: _dl(
        [("ASAM level", v.plan.level_of_care.asam_level), ("Why", v.plan.level_of_care.reason)]
    ),
    "appointments": _html_appointments,
    "medications": _html_medications,
    "overdose_risk": lambda v: _html_list(OVERDOSE_REMINDERS),
    "schedule": _html_schedule,
    "housing": _html_housing,
    "relapse_prevention": lambda v: _dl(
        [
            ("Triggers and high-risk situations", v.plan.relapse_prevention.triggers),
            ("Early warning signs", v.plan.relapse_prevention.warning_signs),
            ("Coping strategies", v.plan.relapse_prevention.coping_strategies),
            ("People and places to avoid", v.plan.relapse_prevention.people_and_places_to_avoid),
        ]
    ),
    "lapse_plan": lambda v: _dl(
        [
            ("First person to call", v.plan.lapse_plan.first_call),
            ("Getting back into care fast", v.plan.lapse_plan.back_into_care),
        ]
    ),
    "safety_plan": lambda v: _dl([(title, getattr(v.plan.safety_plan, key)) for key, title in SAFETY_STEPS]),
    "support_network": _html_support,
    "other_needs": _html_needs,
    "mental_health": lambda v: _dl([("Follow-up", v.plan.mental_health.follow_up)]),
    "check_ins": lambda v: _dl(
        [("Months 1 to 3", v.plan.check_ins.months_1_to_3), ("After month 3", v.plan.check_ins.after_month_3)]
    ),
    "crisis_lines": _html_crisis,
    "consent": lambda v: f"<p>{esc(CONSENT_TEXT)}</p>",
    "signatures": _html_signatures,
    "sources": _html_sources,
}


# --- calendar ---------------------------------------------------------------------------------------------


def calendar_start(plan: CarePlan, today: date | None = None) -> date:
    """The first day of the calendar: the transition date, else the plan date, else today."""
    for text in (plan.header.transition_date, plan.header.plan_date):
        try:
            return date.fromisoformat(text)
        except ValueError:
            continue
    return today or datetime.now(schedule.TZ).date()


def render_plan_ics(
    plan: CarePlan, resources: Sequence[Resource], *, stamp: datetime | None = None, today: date | None = None
) -> bytes:
    """The first 30 days: one event per occurrence of every picked meeting, and the appointments."""
    view = _PlanView(plan, resources)
    start = calendar_start(plan, today)
    events = []
    if plan.schedule.include:
        for meeting in view.meetings:
            for _slot, begins, ends in schedule.occurrences_between(meeting.schedule, start, CALENDAR_DAYS):
                events.append(
                    schedule.single_event(
                        f"{meeting.id}-{begins:%Y%m%dT%H%M}@{UID_DOMAIN}",
                        meeting.name.strip() or "Meeting",
                        begins,
                        ends,
                        location=meeting_location(meeting),
                        url=_event_url(meeting),
                        description=meeting_description(meeting),
                        stamp=stamp,
                    )
                )
    if plan.appointments.include:
        for n, appointment in enumerate(plan.appointments.items, start=1):
            when = parse_when(appointment.when)
            if when is None:
                continue
            details = [f"{name}: {value}" for name, value in _appointment_facts(appointment)[1:] if value]
            events.append(
                schedule.single_event(
                    f"appointment-{n}-{when:%Y%m%dT%H%M}@{UID_DOMAIN}",
                    f"Appointment: {appointment.where or 'see plan'}",
                    when,
                    when + timedelta(hours=1),
                    location=appointment.where,
                    description="\n".join(details),
                    stamp=stamp,
                )
            )
    return schedule.calendar(events, f"First {CALENDAR_DAYS} days")


def _event_url(meeting: Resource) -> str:
    return safe_url(meeting.conference_url) or safe_url(meeting.website)
