"""The Care plan form description and its conversions: fields match the plan model, tables round-trip,
plan files open with their referral list, printouts carry no patient details in their names."""

import dataclasses
from datetime import date, datetime

import pandas as pd
import pytest

from directory import plan_form as form
from directory.plans import (
    MAX_TEXT,
    SECTION_TITLES,
    SWITCHABLE,
    Appointment,
    CarePlan,
    PlanFileError,
    plan_to_json,
)
from tests.test_exports import make_records
from tests.test_plans import full_plan

KINDS = {"text", "area", "date", "check", "table", "meetings", "home", "note"}


def test_form_has_every_switchable_section_in_print_order():
    """FORM lists exactly the sections a clinician can switch, in the order they print."""
    assert tuple(form.FORM) == SWITCHABLE
    assert list(SWITCHABLE) == [k for k in SECTION_TITLES if k != "crisis_lines"]


@pytest.mark.parametrize("section", SWITCHABLE)
def test_every_field_is_bound_to_a_field_of_its_section(section):
    """Each field names a real attribute of its section's dataclass (notes bind nothing) and a known kind."""
    names = {f.name for f in dataclasses.fields(getattr(CarePlan(), section))}
    for field in form.FORM[section]:
        assert field.kind in KINDS
        assert field.attr in names or (field.kind == "note" and field.attr == "")
        assert not field.shown_if or field.shown_if in names
        if field.kind == "table":
            assert {c.name for c in field.columns} == {f.name for f in dataclasses.fields(field.row_type)}


def test_widget_keys_are_unique_and_prefixed():
    """No two widgets share a key, and every key starts with the prefix a reopened file clears."""
    keys = [f.widget_key for fields in form.FORM.values() for f in fields]
    keys += [form.switch_key(s) for s in SWITCHABLE]
    assert len(keys) == len(set(keys))
    assert all(k.startswith(form.KEY_PREFIX) for k in keys)


@pytest.mark.parametrize(("include_full_name", "shown"), [(False, False), (True, True)])
def test_full_name_field_shows_only_when_ticked(include_full_name, shown):
    """The patient's full name is asked for only after "include full name" is ticked."""
    plan = CarePlan()
    plan.header.include_full_name = include_full_name
    field = next(f for f in form.FORM["header"] if f.attr == "patient_name")
    assert form.is_shown(field, plan.header) is shown


def test_appointment_table_round_trips_and_drops_empty_rows():
    """Appointments go into the editable table (time as a datetime) and come back unchanged; a blank row
    added in the table is not kept."""
    field = form.FORM["appointments"][0]
    items = full_plan().appointments.items
    frame = form.editor_frame(items, field.columns)
    assert frame["when"].iloc[0] == pd.Timestamp("2026-06-03 10:30")
    records = frame.to_dict("records") + [{c.name: None for c in field.columns}]
    assert form.items_from_editor(records, Appointment, field.columns) == items


def test_empty_table_starts_with_its_columns():
    """A plan with no appointments gives an empty table that still has every column."""
    field = form.FORM["appointments"][0]
    frame = form.editor_frame([], field.columns)
    assert list(frame.columns) == [c.name for c in field.columns] and len(frame) == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (float("nan"), ""),
        (pd.NaT, ""),
        (pd.Timestamp("2026-06-03 10:30"), "2026-06-03 10:30"),
        (datetime(2026, 6, 3, 9, 5), "2026-06-03 09:05"),
        ("Test clinic", "Test clinic"),
        (12, "12"),
        ("x" * (MAX_TEXT + 10), "x" * MAX_TEXT),
    ],
)
def test_cell_text(value, expected):
    """A table cell becomes plan text: blanks empty, date-times as YYYY-MM-DD HH:MM, long text capped."""
    assert form.cell_text(value) == expected


@pytest.mark.parametrize(("text", "day"), [("2026-06-02", date(2026, 6, 2)), ("", None), ("June 2", None)])
def test_dates_between_plan_and_picker(text, day):
    """Plan dates open in the date picker as dates; a picker's date is stored as YYYY-MM-DD."""
    assert form.as_date(text) == day
    assert form.date_text(day) == (text if day else "")


def test_choices_offer_meetings_with_times_and_homes():
    """The schedule offers the meetings with weekly times; housing offers "" (none) and the residences."""
    meetings = next(f for f in form.FORM["schedule"] if f.kind == "meetings")
    home = next(f for f in form.FORM["housing"] if f.kind == "home")
    assert form.choices(meetings, make_records()) == ["test-meeting-a", "test-meeting-b"]
    assert form.choices(home, make_records()) == ["", "test-home-c"]


@pytest.mark.parametrize(
    ("value", "many", "expected"),
    [
        (["test-meeting-a", "gone"], True, ["test-meeting-a"]),
        (None, True, []),
        ("test-home-c", False, "test-home-c"),
        ("gone", False, ""),
    ],
)
def test_keep_choices_drops_resources_no_longer_on_the_list(value, many, expected):
    """A pick of a resource that left the referral list is dropped; the others stay."""
    options = ["", "test-meeting-a", "test-home-c"]
    assert form.keep_choices(value, options, many=many) == expected


def test_open_plan_file_gives_plan_and_its_referral_list():
    """Opening a plan file returns the plan and a referral list of its resources, in order, without notes."""
    plan, referrals = form.open_plan_file(plan_to_json(full_plan()))
    assert plan == full_plan()
    assert referrals.ids == ["test-meeting-a", "test-home-c"] and referrals.notes() == {}


def test_open_plan_file_refuses_a_bad_file():
    """A file that is not a plan raises PlanFileError (the page then changes nothing)."""
    with pytest.raises(PlanFileError, match="not a care-plan file"):
        form.open_plan_file(b'{"format": "something-else"}')


def test_fingerprint_changes_with_plan_and_paper():
    """Printouts are stale once the plan or the paper size changes, and only then."""
    plan = full_plan()
    before = form.fingerprint(plan, "letter")
    assert form.fingerprint(full_plan(), "letter") == before
    assert form.fingerprint(plan, "a4") != before
    plan.lapse_plan.first_call = "Alex"
    assert form.fingerprint(plan, "letter") != before


def test_printouts_are_named_by_date_not_patient():
    """PDF, print page and calendar come out with file names that hold the plan date and no initials."""
    plan = full_plan()
    plan.resource_ids = [r.id for r in make_records()]
    printouts = form.make_printouts(plan, make_records(), "a4")
    assert [(p.kind, p.filename, p.mime) for p in printouts] == [
        ("pdf", "care-plan-2026-06-01.pdf", "application/pdf"),
        ("html", "care-plan-2026-06-01.html", "text/html"),
        ("ics", "care-plan-2026-06-01-first-30-days.ics", "text/calendar"),
    ]
    assert printouts[0].data.startswith(b"%PDF") and b"BEGIN:VCALENDAR" in printouts[2].data
    assert not any("T.P." in p.filename or "Test" in p.filename for p in printouts)
