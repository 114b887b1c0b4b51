"""The Care plan page under AppTest: fill it in, download the plan file, open it again, make the printouts."""

from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from directory.catalog import Catalog
from directory.plans import plan_from_json
from directory.referrals import ReferralList
from tests.test_exports import make_records

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "care_plan.py")


class RecordingStorage(MemoryMediaFileStorage):
    """Streamlit's in-memory media storage that also remembers every file added, so a test can 'download' it."""

    files: dict[str, bytes] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes) and filename:
            RecordingStorage.files[filename] = path_or_data
        return super().load_and_get_id(path_or_data, mimetype, kind, filename)


@pytest.fixture
def page(tmp_db, monkeypatch) -> AppTest:
    """The page over a catalog of generated test records, with all three on the referral list."""
    with Catalog(tmp_db) as catalog:
        assert catalog.import_records(make_records(), source="test").ok
    monkeypatch.setenv("AFTERCARE_CATALOG", str(tmp_db))
    RecordingStorage.files = {}
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    at = AppTest.from_file(PAGE, default_timeout=30)
    referrals = ReferralList()
    for record in make_records():
        referrals.add(record.id)
    at.session_state["referral_list"] = referrals
    return at.run()


def downloaded(name_end: str) -> bytes:
    matches = [data for name, data in RecordingStorage.files.items() if name.endswith(name_end)]
    assert matches, f"no download ending {name_end}: {list(RecordingStorage.files)}"
    return matches[-1]


def test_fill_download_reopen_and_render(page, tmp_path):
    """Typed values reach the plan file; reopening it restores them; printouts come out as PDF, HTML and ICS."""
    assert not page.exception
    page.text_input(key="cp.header.patient_initials").input("T.P.").run()
    page.text_input(key="cp.header.clinician").input("Test Clinician").run()
    page.text_area(key="cp.relapse.triggers").input("Test trigger").run()
    assert not page.exception
    plan_file = downloaded(".json")
    saved = plan_from_json(plan_file)
    assert saved.header.patient_initials == "T.P." and saved.relapse_prevention.triggers == "Test trigger"
    assert saved.schedule.meeting_ids == ["test-meeting-a", "test-meeting-b"]
    assert saved.housing.resource_id == "test-home-c"

    page.text_input(key="cp.header.patient_initials").input("X.X.").run()
    assert page.session_state["care_plan"].header.patient_initials == "X.X."
    page.file_uploader(key="plan_upload").set_value(("plan.json", plan_file, "application/json")).run()
    assert not page.exception and not page.error
    assert page.session_state["care_plan"].header.patient_initials == "T.P."
    assert page.text_input(key="cp.header.patient_initials").value == "T.P."

    page.button(key="make_printouts").click().run()
    assert not page.exception
    assert downloaded(".pdf").startswith(b"%PDF")
    assert b"Test meeting A" in downloaded(".html")
    assert b"BEGIN:VCALENDAR" in downloaded(".ics")
    labels = [b.label for b in page.get("download_button")]
    assert labels == ["Download plan file", "Download PDF", "Download print page", "Download calendar"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": "illinois-aftercare-plan", "version": 2}', "version 2"),
        (b'{"format": "illinois-aftercare-plan", "version": 1, "header": {"secret": 1}}', "header.secret"),
    ],
)
def test_bad_plan_file_shows_error_and_changes_nothing(page, content, message):
    """A bad file shows an error naming the problem and leaves the draft and referral list as they were."""
    page.text_input(key="cp.header.patient_initials").input("T.P.").run()
    page.file_uploader(key="plan_upload").set_value(("bad.json", content, "application/json")).run()
    assert not page.exception
    assert any(message in e.value for e in page.error)
    assert page.session_state["care_plan"].header.patient_initials == "T.P."
    assert len(page.session_state["referral_list"]) == 3


def test_full_name_field_appears_only_when_ticked(page):
    """The full-name field is hidden until 'Include full name' is ticked; initials are the default."""
    keys = [w.key for w in page.text_input]
    assert "cp.header.patient_name" not in keys
    page.checkbox(key="cp.header.include_full_name").check().run()
    assert "cp.header.patient_name" in [w.key for w in page.text_input]


def test_switching_a_section_off_keeps_its_values(page):
    """Hiding a section removes its fields from the page but keeps what was typed in the draft."""
    page.text_input(key="cp.lapse.first_call").input("Sam").run()
    page.toggle(key="cp.lapse_plan.include").set_value(False).run()
    assert "cp.lapse.first_call" not in [w.key for w in page.text_input]
    assert page.session_state["care_plan"].lapse_plan.first_call == "Sam"
    assert page.session_state["care_plan"].lapse_plan.include is False


def test_appointments_are_small_forms_that_take_typed_dates_and_times(page):
    """ "Add a row" gives empty fields (no "None", no today's date); the typed date and time reach the plan."""
    from datetime import date, time

    add = next(b for b in page.button if b.key == "cp.appointments.add")
    add.click().run()
    assert page.date_input(key="cp.appointments.0.when.date").value is None
    assert page.time_input(key="cp.appointments.0.when.time").value is None
    assert all(w.value != "None" for w in page.text_input)
    page.text_input(key="cp.appointments.0.where").input("Generated test clinic").run()
    page.date_input(key="cp.appointments.0.when.date").set_value(date(2026, 6, 3)).run()
    page.time_input(key="cp.appointments.0.when.time").set_value(time(14, 30)).run()
    assert not page.exception
    saved = plan_from_json(downloaded(".json"))
    assert [(a.where, a.when) for a in saved.appointments.items] == [
        ("Generated test clinic", "2026-06-03 14:30")
    ]
    next(b for b in page.button if b.key == "cp.appointments.0.remove").click().run()
    assert plan_from_json(downloaded(".json")).appointments.items == []
