"""Care-plan files: a full round trip, and every kind of bad file refused with a message naming the problem."""

import json

import pytest

from directory.plans import (
    FORMAT,
    MAX_BYTES,
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
from directory.schema import Resource, Slot


def full_plan() -> CarePlan:
    """A plan with every section filled with clearly made-up test values."""
    plan = CarePlan(resource_ids=["test-meeting-a", "test-home-c"])
    h = plan.header
    h.patient_initials, h.patient_name, h.include_full_name = "T.P.", "Test Patient", True
    h.plan_date, h.transition_date, h.next_review_date = "2026-06-01", "2026-06-02", "2026-07-01"
    h.program, h.level_of_care_leaving, h.clinician, h.credentials = (
        "Test IOP",
        "2.1",
        "Test Clinician",
        "LCSW",
    )
    plan.level_of_care.asam_level, plan.level_of_care.reason = "1.0", "Test reason."
    plan.appointments.items = [
        Appointment("Test clinic", "2026-06-03 10:30", "555-0102", "ID", "T.C.", "bus", "T.C.")
    ]
    plan.medications.items = [Medication("Test medication", "Dr Test", "Test pharmacy", "2026-06-10")]
    plan.medications.naloxone_given = plan.medications.naloxone_trained = True
    plan.schedule.meeting_ids, plan.schedule.target = ["test-meeting-a"], "90 meetings in 90 days"
    plan.housing.resource_id, plan.housing.move_in_date, plan.housing.cost = "test-home-c", "2026-06-05", "$0"
    plan.relapse_prevention.triggers = "Test trigger — ünïcødé ✓ שלום"
    plan.lapse_plan.first_call = "Sam"
    plan.safety_plan.include, plan.safety_plan.professionals = True, "Test counselor"
    plan.support_network.people = [SupportPerson("Sam", "friend", "555-0103")]
    plan.other_needs.items = [Need("Transport", "bus pass")]
    plan.mental_health.follow_up = "Test follow-up"
    plan.check_ins.months_1_to_3 = "Weekly calls"
    plan.sources.include = False
    return plan


def test_plan_round_trips_through_json():
    """Saving then opening a plan gives back an equal plan, every section and list included."""
    plan = full_plan()
    assert plan_from_json(plan_to_json(plan)) == plan


def test_plan_file_starts_with_format_and_version():
    """The file says what it is and its version before anything else."""
    data = json.loads(plan_to_json(full_plan()))
    assert list(data)[:2] == ["format", "version"]
    assert data["format"] == FORMAT and data["version"] == 1


def test_missing_sections_take_defaults():
    """A minimal valid file opens, with default sections (safety plan off, crisis lines not switchable)."""
    plan = plan_from_json(json.dumps({"format": FORMAT, "version": 1}).encode())
    assert plan == CarePlan()
    assert plan.safety_plan.include is False


def _with(**changes) -> bytes:
    data = json.loads(plan_to_json(full_plan()))
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for p in parents:
            node = node[p]
        node[last] = value
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"format": "illinois-aftercare-plan", "version": 1,', "not valid JSON (line 1"),
        (b"\xff\xfe\x00garbage", "not text"),
        (b"[1, 2]", "not a care-plan file"),
        (b'{"format": "someone-elses-file", "version": 1}', "not a care-plan file"),
        (_with(version=2), "version 2; this app reads version 1"),
        (_with(version="1"), "version '1'"),
        (_with(surprise=True), "surprise: unknown field"),
        (_with(header__favourite_colour="blue"), "header.favourite_colour: unknown field"),
        (_with(header__include="yes"), "header.include: expected true or false"),
        (_with(header__transition_date="next week"), "header.transition_date: 'next week' is not a date"),
        (_with(appointments__items=[{"when": "soon"}]), "appointments.items[0].when"),
        (_with(appointments__items=[{"where": 5}]), "appointments.items[0].where: expected text"),
        (_with(resource_ids="test-meeting-a"), "resource_ids: expected a list"),
        (_with(resource_ids=["../../etc/passwd"]), "is not a resource id"),
        (_with(mental_health__follow_up="x" * 5000), "shorten it to at most 4000"),
        (b" " * (MAX_BYTES + 1), "at most 1 MB"),
    ],
)
def test_bad_plan_files_are_refused_with_a_clear_message(data, message):
    """Each bad file raises PlanFileError whose message names the problem (and is not a traceback)."""
    with pytest.raises(PlanFileError) as caught:
        plan_from_json(data)
    assert message in str(caught.value)
    assert "Traceback" not in str(caught.value)


@pytest.mark.parametrize(
    ("initials", "name", "ticked", "shown"),
    [
        ("T.P.", "Test Patient", False, "T.P."),
        ("T.P.", "Test Patient", True, "Test Patient"),
        ("T.P.", "", True, "T.P."),
    ],
)
def test_patient_label_is_initials_unless_full_name_is_ticked(initials, name, ticked, shown):
    """The printout names the patient by initials unless 'include full name' is ticked and a name given."""
    plan = CarePlan()
    plan.header.patient_initials, plan.header.patient_name, plan.header.include_full_name = (
        initials,
        name,
        ticked,
    )
    assert plan.header.patient_label() == shown


def _record(rid: str, category: str, schedule=()) -> Resource:
    return Resource(
        id=rid,
        name=rid,
        category=category,
        source="test-fixture",
        source_url="https://example.org/x",
        as_of="2026-05-01",
        schedule=schedule,
    )


def test_new_plan_picks_meetings_with_times_and_the_first_home():
    """A new plan schedules every meeting that has weekly times and picks the first recovery home."""
    resources = [
        _record("test-a", "support_group", (Slot(0, "19:00"),)),
        _record("test-b", "support_group"),
        _record("test-c", "recovery_housing"),
        _record("test-d", "recovery_housing"),
    ]
    plan = new_plan(resources)
    assert plan.schedule.meeting_ids == ["test-a"]
    assert plan.housing.resource_id == "test-c"
    assert plan.resource_ids == ["test-a", "test-b", "test-c", "test-d"]


def test_use_resources_keeps_choices_and_adds_new_meetings_only():
    """A meeting the clinician removed stays removed; one newly added to the list is scheduled."""
    a = _record("test-a", "support_group", (Slot(0, "19:00"),))
    b = _record("test-b", "support_group", (Slot(1, "19:00"),))
    plan = new_plan([a, b])
    plan.schedule.meeting_ids = ["test-b"]
    c = _record("test-c", "support_group", (Slot(2, "19:00"),))
    use_resources(plan, [a, b, c])
    assert plan.schedule.meeting_ids == ["test-b", "test-c"]
    use_resources(plan, [a, c])
    assert plan.schedule.meeting_ids == ["test-c"]


def test_plan_filename_carries_no_patient_details():
    """The file name holds the plan date only, not the initials or name."""
    name = plan_filename(full_plan())
    assert name == "care-plan-2026-06-01.json"
    assert "T.P" not in name and "Patient" not in name
