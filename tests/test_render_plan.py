"""The care plan rendered: every section heading, resource, source and crisis line in the PDF; HTML and ICS."""

import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest

from directory.__main__ import main
from directory.catalog import Catalog
from directory.plans import SECTION_TITLES, plan_to_json
from directory.render.plan import render_plan_html, render_plan_ics, render_plan_pdf
from directory.schema import Resource
from tests.test_exports import HOSTILE_NAMES, hostile, make_records
from tests.test_plans import full_plan

ARTIFACTS = Path(__file__).parent / "artifacts"
CRISIS_NUMBERS = ("911", "988", "833-234-6343", "1-800-662-4357")
STAMP = datetime(2026, 6, 1, 12, 0)


def plan_with_everything():
    """The full test plan with every section switched on, over the three generated test records."""
    plan = full_plan()
    plan.resource_ids = [r.id for r in make_records()]
    plan.schedule.meeting_ids = ["test-meeting-a", "test-meeting-b"]
    plan.sources.include = True
    return plan


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_holds_every_heading_resource_source_and_crisis_line(tmp_path):
    """pdftotext finds each section heading, each resource with source and as-of date, and the crisis lines."""
    text = pdf_text(render_plan_pdf(plan_with_everything(), make_records()), tmp_path)
    flat = " ".join(text.split())
    for title in SECTION_TITLES.values():
        assert title in flat
    for record in make_records():
        assert record.name in flat
        assert f"{record.source}, as of {record.as_of}" in flat
    for number in CRISIS_NUMBERS:
        assert number in flat
    assert "Call ahead to confirm" in flat
    assert "Good Samaritan" in flat and "42 CFR Part 2" in flat
    assert "Tuesday" in flat and "7:00 PM–8:00 PM" in flat


def test_switched_off_sections_do_not_print_but_crisis_lines_do(tmp_path):
    """With every switch off, no section heading prints except the crisis lines."""
    plan = plan_with_everything()
    for key in SECTION_TITLES:
        if key != "crisis_lines":
            getattr(plan, key).include = False
    flat = " ".join(pdf_text(render_plan_pdf(plan, make_records()), tmp_path).split())
    assert "Crisis lines" in flat and "1-800-662-4357" in flat
    for key, title in SECTION_TITLES.items():
        if key != "crisis_lines":
            assert title not in flat


@pytest.mark.parametrize(
    ("ticked", "shown", "hidden"), [(False, "T.P.", "Test Patient"), (True, "Test Patient", None)]
)
def test_full_name_prints_only_when_ticked(ticked, shown, hidden, tmp_path):
    """The plan shows initials unless 'include full name' is ticked."""
    plan = plan_with_everything()
    plan.header.include_full_name = ticked
    flat = " ".join(pdf_text(render_plan_pdf(plan, make_records()), tmp_path).split())
    html = render_plan_html(plan, make_records())
    assert shown in flat and shown in html
    if hidden:
        assert hidden not in flat and hidden not in html


def test_long_crisis_line_name_keeps_its_number_on_the_same_line(tmp_path):
    """The Illinois Helpline's long name and its number print on one line, not the number alone below."""
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_plan_pdf(plan_with_everything(), make_records()))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    lines = [line for line in text.stdout.splitlines() if "Illinois Helpline for Opioids" in line]
    assert lines and "833-234-6343" in lines[0]


@pytest.mark.parametrize(("paper", "size"), [("letter", "612 x 792 pts"), ("a4", "595.28 x 841.89 pts")])
def test_pdf_paper_sizes(paper, size, tmp_path):
    """US Letter and A4 both render, at their page sizes."""
    path = tmp_path / f"{paper}.pdf"
    path.write_bytes(render_plan_pdf(plan_with_everything(), make_records(), paper))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert size in info


def test_first_page_renders_to_png_artifact():
    """The first page rasterises with pdftoppm; the PNG is kept in tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "care-plan.pdf"
    pdf.write_bytes(render_plan_pdf(plan_with_everything(), make_records()))
    for page in ARTIFACTS.glob("care-plan-page-*.png"):
        page.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / "care-plan-page")], check=True)
    pages = sorted(ARTIFACTS.glob("care-plan-page-*.png"))
    assert len(pages) >= 2
    assert pages[0].read_bytes().startswith(b"\x89PNG")


def test_calendar_holds_30_days_of_meetings_and_the_appointment():
    """From the transition date (a Tuesday), 30 days hold 5 Tuesday + 4 Friday + 4 Monday meetings and the
    appointment; no meeting falls before the transition date."""
    cal = icalendar.Calendar.from_ical(render_plan_ics(plan_with_everything(), make_records(), stamp=STAMP))
    events = cal.walk("VEVENT")
    summaries = [str(e.get("SUMMARY")) for e in events]
    assert summaries.count("Test meeting A") == 9
    assert summaries.count("Test meeting B, online") == 4
    assert "Appointment: Test clinic" in summaries
    starts = [e.decoded("DTSTART") for e in events]
    assert min(s.date() for s in starts) >= date(2026, 6, 2)
    assert max(s.date() for s in starts) < date(2026, 7, 2)
    assert not any(e.get("RRULE") for e in events)


def test_calendar_leaves_out_meetings_not_picked():
    """A meeting on the referral list but not on the weekly schedule gets no events."""
    plan = plan_with_everything()
    plan.schedule.meeting_ids = ["test-meeting-b"]
    cal = icalendar.Calendar.from_ical(render_plan_ics(plan, make_records(), stamp=STAMP))
    assert "Test meeting A" not in [str(e.get("SUMMARY")) for e in cal.walk("VEVENT")]


def test_html_escapes_plan_text_and_carries_no_script():
    """Text typed into the plan is escaped in the print page."""
    plan = plan_with_everything()
    plan.lapse_plan.first_call = "<img src=x onerror=alert(1)>"
    page = render_plan_html(plan, make_records())
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page


@pytest.mark.parametrize("case", sorted(HOSTILE_NAMES))
def test_hostile_resource_renders_in_plan_pdf_html_and_ics(case, tmp_path):
    """A hostile catalog record prints in every plan format without breaking the other entries."""
    record: Resource = hostile(HOSTILE_NAMES[case]).replace(category="support_group")
    plan = plan_with_everything()
    plan.resource_ids.append(record.id)
    plan.schedule.meeting_ids.append(record.id)
    plan.lapse_plan.first_call = HOSTILE_NAMES[case]
    resources = [*make_records(), record]
    flat = " ".join(pdf_text(render_plan_pdf(plan, resources), tmp_path).split())
    assert "Test recovery home C" in flat and "as of 2026-05-04" in flat
    page = render_plan_html(plan, resources)
    assert "<script>" not in page and "javascript:" not in page
    events = icalendar.Calendar.from_ical(render_plan_ics(plan, resources, stamp=STAMP)).walk("VEVENT")
    assert len(events) == 9 + 4 + 1 + 5  # A, B, the appointment, and the hostile meeting's 5 Wednesdays


def test_plan_render_command_writes_three_files_and_prints_no_plan_text(tmp_db, tmp_path, capsys):
    """`python -m directory plan render` writes PDF, HTML and ICS; its output names files, not plan text."""
    with Catalog(tmp_db) as catalog:
        assert catalog.import_records(make_records(), source="test").ok
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(plan_to_json(plan_with_everything()))
    out = {ext: tmp_path / f"out.{ext}" for ext in ("pdf", "html", "ics")}
    code = main(
        [
            "plan",
            "render",
            str(plan_file),
            "--pdf",
            str(out["pdf"]),
            "--html",
            str(out["html"]),
            "--ics",
            str(out["ics"]),
            "--db",
            str(tmp_db),
        ]
    )
    printed = capsys.readouterr()
    assert code == 0
    assert out["pdf"].read_bytes().startswith(b"%PDF") and b"Test meeting A" in out["html"].read_bytes()
    assert icalendar.Calendar.from_ical(out["ics"].read_bytes()).walk("VEVENT")
    assert "T.P." not in printed.out + printed.err and "Test clinic" not in printed.out + printed.err


def test_plan_render_command_reports_a_bad_file(tmp_db, tmp_path, capsys):
    """A bad plan file gives exit status 1 and a one-line message naming the file, no traceback."""
    Catalog(tmp_db).close()
    bad = tmp_path / "plan.json"
    bad.write_text('{"format": "illinois-aftercare-plan", "version": 9}')
    code = main(["plan", "render", str(bad), "--pdf", str(tmp_path / "x.pdf"), "--db", str(tmp_db)])
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(r"plan\.json: This plan file is version 9", err)
    assert "Traceback" not in err and not (tmp_path / "x.pdf").exists()
