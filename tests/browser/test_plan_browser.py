"""From a search to a printed plan in a real browser: referral list exports, share link, care plan printouts.

Every downloaded file is opened by the program made for it (pdftotext, icalendar, a CSV reader, Chromium
printing the print view); screenshots go to tests/artifacts/ for a person to look at.
"""

import csv
import io
import subprocess
from datetime import date

import icalendar
import pytest

from tests.app_catalog import build_test_catalog
from tests.browser.conftest import ARTIFACTS, VIEWPORT, guarded_tab, wait_for_app_idle

MEETING, TREATMENT = "Generated test support group 1", "Generated test treatment 5"
NOTE = "Generated note: prefers evenings"
TRANSITION = date(2026, 6, 2)  # a Tuesday: the meeting (Tuesdays 19:00) falls on it


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return build_test_catalog(tmp_path_factory.mktemp("plan-catalog") / "catalog.db")


@pytest.fixture
def base_url(shared_streamlit_server, catalog_path):
    return shared_streamlit_server(
        "app.py", env={"AFTERCARE_CATALOG": str(catalog_path), "AFTERCARE_ONLINE": "0"}
    )


def download(tab, button_name: str) -> bytes:
    """Click a download button and return the bytes of the file the browser received."""
    with tab.expect_download(timeout=30_000) as info:
        tab.get_by_role("button", name=button_name).click()
    return info.value.path().read_bytes()


def pdf_text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def add_from_card(tab, resource_id: str, count: int) -> None:
    tab.locator(f'ul.ac-list li.ac-card[data-id="{resource_id}"] button.ac-add').click()
    tab.get_by_text(f"Referral list ({count})").wait_for(timeout=15_000)


def fresh_tab(browser, external_requests):
    """A new browser context (no cookies, no session) guarded like the `page` fixture."""
    return guarded_tab(browser, external_requests)


def check_referral_exports(tab, tmp_path):
    """CSV, PDF and ICS downloads open in their programs and hold both listings."""
    data = download(tab, "Spreadsheet (CSV)")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == [MEETING, TREATMENT]
    assert rows[1][rows[0].index("Note")] == NOTE  # the note travels in the file, not in the link

    data = download(tab, "PDF to print")
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path, "referral-list")
    assert MEETING in text and TREATMENT in text and "generated-test, as of 2026-01-15" in text

    data = download(tab, "Calendar of meetings")
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert [str(e.get("SUMMARY")) for e in events] == [MEETING]
    assert events[0].get("RRULE")["FREQ"] == ["WEEKLY"]
    assert events[0].decoded("DTSTART").tzinfo.key == "America/Chicago"


def check_print_view(browser, tab, external_requests, save_screenshot):
    """The print view, printed by Chromium: no app navigation, each item kept whole, both names shown."""
    page_html = download(tab, "Print view (web page)").decode("utf-8")
    context, view = fresh_tab(browser, external_requests)
    try:
        view.set_content(page_html)
        view.emulate_media(media="print")
        assert view.locator("nav, script, [data-testid=stSidebar]").count() == 0
        items = view.locator("article.item")
        assert items.count() == 2
        assert items.evaluate_all("els => els.map(e => getComputedStyle(e).breakInside)") == [
            "avoid",
            "avoid",
        ]
        assert MEETING in view.inner_text("body") and TREATMENT in view.inner_text("body")
        assert view.locator("article.item svg").count() == 2  # a QR code per item
        save_screenshot(view, "referral-list-print-view")
        assert view.pdf(format="Letter").startswith(b"%PDF")
    finally:
        context.close()


def test_search_to_printed_plan_and_calendar(
    browser, page, base_url, open_app, external_requests, save_screenshot, tmp_path
):
    """A clinician searches, adds a meeting and a treatment listing, exports and shares the list, then
    fills a care plan and downloads its PDF and 30-day calendar; every file opens, nothing leaves the
    machine, and the share link carries no note."""
    open_app(page, f"{base_url}/?near=60614")
    add_from_card(page, "test-1", 1)
    add_from_card(page, "test-5", 2)

    page.get_by_text("Referral list (2)").click()
    page.get_by_role("heading", name="Referral list").wait_for(timeout=15_000)
    wait_for_app_idle(page)
    note = page.locator(".st-key-note_test-1 input")
    note.fill(NOTE)
    note.press("Enter")
    page.wait_for_timeout(500)  # the note commits on Enter; let the rerun start before waiting for idle
    wait_for_app_idle(page)
    save_screenshot(page, "referral-list-exports")
    check_referral_exports(page, tmp_path)
    check_print_view(browser, page, external_requests, save_screenshot)

    link = page.locator('[data-testid="stCode"] code').inner_text().strip()
    assert "ids=test-1%2Ctest-5" in link or "ids=test-1,test-5" in link
    assert "evenings" not in link and "note" not in link.lower()
    context, other = fresh_tab(browser, external_requests)
    try:
        other.goto(link, wait_until="domcontentloaded")
        other.get_by_text("Loaded 2 listings from the link.").wait_for(timeout=30_000)
        other.get_by_text(f"2. {TREATMENT}").wait_for(timeout=15_000)
        other.get_by_text("Referral list (2)").wait_for(timeout=15_000)  # the sidebar counts them too
        wait_for_app_idle(other)
        save_screenshot(other, "referral-list-from-share-link")
        body = other.inner_text("body")
        assert f"1. {MEETING}" in body and f"2. {TREATMENT}" in body
        assert NOTE not in body
    finally:
        context.close()

    page.get_by_role("link", name="Care plan").click()
    page.get_by_role("heading", name="Care plan").wait_for(timeout=15_000)
    wait_for_app_idle(page)
    initials = page.get_by_label("Patient initials")
    initials.fill("G.T.")
    initials.press("Tab")
    # The date field is three spin buttons (year, month, day); typed digits move on to the next one.
    page.get_by_role("spinbutton", name="year, Transition date").click()
    page.keyboard.type(TRANSITION.strftime("%Y%m%d"))
    page.keyboard.press("Tab")
    page.wait_for_timeout(500)
    wait_for_app_idle(page)
    page.get_by_role("button", name="Make printouts (PDF, print page, 30-day calendar)").click()
    page.get_by_role("button", name="Download PDF").wait_for(timeout=30_000)
    wait_for_app_idle(page)
    # Streamlit scrolls inside its own container, so a full-page shot is one screen: make the screen tall.
    page.set_viewport_size({"width": VIEWPORT["width"], "height": 3000})
    page.wait_for_timeout(300)
    save_screenshot(page, "care-plan-form")
    page.set_viewport_size(VIEWPORT)

    data = download(page, "Download PDF")
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path, "plan")
    for expected in (
        "Continuing-care plan for G.T.",
        "June 2, 2026",
        MEETING,
        TREATMENT,
        "988",
        "Crisis lines",
    ):
        assert expected in text
    assert "Generated test support group 2" not in text  # on the catalog, but never added to the list
    for old in ARTIFACTS.glob("care-plan-printed-*.png"):
        old.unlink()
    plan_pdf = tmp_path / "plan.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(plan_pdf), str(ARTIFACTS / "care-plan-printed")], check=True
    )
    assert sorted(ARTIFACTS.glob("care-plan-printed-*.png"))

    events = icalendar.Calendar.from_ical(download(page, "Download calendar")).walk("VEVENT")
    starts = sorted(e.decoded("DTSTART") for e in events if str(e.get("SUMMARY")) == MEETING)
    assert [s.date() for s in starts] == [date(2026, 6, d) for d in (2, 9, 16, 23, 30)]
    assert not any(e.get("RRULE") for e in events)
    assert external_requests == []
