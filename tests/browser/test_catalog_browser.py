"""The Catalog page's curator flows in Chromium against `streamlit run`: a checked file import, and a feed
refresh from a local feed server on 127.0.0.1. Always on a generated catalog copy in tmp_path."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import expect

from directory.catalog import Catalog
from directory.curation import hash_password
from directory.importers import project_csv
from directory.refresh import FetchOptions, Source, refresh_source
from tests.app_catalog import build_test_catalog
from tests.app_catalog import test_records as generated_records
from tests.browser.conftest import VIEWPORT, wait_for_app_idle
from tests.feed_server import FeedServer, Reply, generated_bmlt_meetings, json_reply

PASSWORD = "generated-browser-test-password"
FEED = "na-generated-test"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD, n=2**10)


def sign_in(page, base_url: str, open_app) -> None:
    # The home page first: until app.py has run once, Streamlit treats a fresh server's pages/ folder as a
    # v1 multipage app and would run pages/catalog.py alone for a first request to /catalog.
    open_app(page, base_url)
    open_app(page, f"{base_url}/catalog")
    box = page.get_by_label("Curator password")
    box.fill(PASSWORD)
    box.press("Enter")
    wait_for_app_idle(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as curator.").wait_for(timeout=20_000)


def snapshot(page, save_screenshot, name: str) -> Path:
    """A screenshot of the whole page: Streamlit scrolls inside its own container, so the window grows to fit."""
    height = page.evaluate(
        """() => Math.max(...Array.from(document.querySelectorAll('[data-testid="stMain"], section, div'))
                 .filter(e => e.scrollHeight > e.clientHeight).map(e => e.scrollHeight), 0)"""
    )
    page.set_viewport_size(
        {"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], min(height + 80, 9000))}
    )
    page.wait_for_timeout(300)  # let the data grids redraw at the new size (a pause, not an assertion)
    path = save_screenshot(page, name)
    page.set_viewport_size(VIEWPORT)
    return path


def upload(page, name: str, data: bytes) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_role("button", name="Check the file").click()


def listings_line(page):
    return page.get_by_text(re.compile(r"^\d+ listings in the directory"))


def generated_csv(bad: bool = False) -> bytes:
    """Three generated test records under new ids; `bad` gives the second a four-digit ZIP."""
    records = [replace(r, id=f"upload-{r.id}", name=f"{r.name} (upload)") for r in generated_records()[:3]]
    lines = project_csv.write(records).splitlines()
    if bad:
        lines[2] = lines[2].replace(",60614,", ",6061,")
    return ("\n".join(lines) + "\n").encode()


def test_curator_imports_a_checked_csv(
    page, tmp_path, streamlit_server, open_app, password_hash, save_screenshot, external_requests
):
    """Sign in, upload a CSV, see the preview, Apply, see the new count; a bad CSV is refused by row and field."""
    db = build_test_catalog(tmp_path / "catalog.db")
    base = streamlit_server(
        "app.py",
        env={
            "AFTERCARE_CATALOG": str(db),
            "AFTERCARE_CURATOR_PASSWORD_HASH": password_hash,
            "AFTERCARE_ONLINE": "0",
        },
    )
    sign_in(page, base, open_app)
    expect(listings_line(page)).to_have_text(re.compile("^8 listings"))

    upload(page, "generated-test.csv", generated_csv())
    page.get_by_text("Checked only: nothing written").wait_for(timeout=20_000)
    page.get_by_text("3 added · 0 changed").first.wait_for()
    snapshot(page, save_screenshot, "catalog-import-preview")
    with Catalog(db, readonly=True) as catalog:
        assert catalog.count() == 8

    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_text(re.compile(r"^Applied: generated-test\.csv: 3 added")).wait_for(timeout=20_000)
    expect(listings_line(page)).to_have_text(re.compile("^11 listings"))
    expect(page.get_by_text("File import").first).to_be_visible()
    snapshot(page, save_screenshot, "catalog-import-applied")

    upload(page, "generated-bad.csv", generated_csv(bad=True))
    page.get_by_text(re.compile(r"generated-bad\.csv, row 3, column zip")).first.wait_for(timeout=45_000)
    expect(page.get_by_text("Not applied").first).to_be_visible()
    expect(page.get_by_role("button", name="Apply these changes")).to_have_count(0)
    snapshot(page, save_screenshot, "catalog-import-bad")
    with Catalog(db, readonly=True) as catalog:
        assert catalog.count() == 11
        assert catalog.get("upload-test-2").zip == "60614"  # from the good file; the bad one changed nothing
    assert external_requests == []


def write_sources(folder: Path, url: str) -> Path:
    path = folder / "sources.toml"
    path.write_text(
        f"""[[source]]
name = "{FEED}"
format = "bmlt"
url = "{url}"
query = {{ switcher = "GetSearchResults" }}
fellowship = "NA"
terms = "Generated test feed served on 127.0.0.1 by the test."

[[source]]
name = "aa-generated-test"
format = "meeting-guide"
url = "https://example.invalid/generated-test-feed"
enabled = false
note = "unverified: a generated test entry"
""",
        encoding="utf-8",
    )
    return path


def test_curator_checks_and_applies_a_feed(
    page, tmp_path, streamlit_server, open_app, password_hash, save_screenshot, external_requests
):
    """With the internet on, Check for changes shows a dry run with a progress bar, Apply updates the catalog."""
    db = build_test_catalog(tmp_path / "catalog.db")
    with FeedServer() as server:
        # A slow first answer keeps the progress bar on screen long enough to see it.
        body = json_reply(generated_bmlt_meetings(6)).body
        url = server.route("/bmlt", Reply(body, delay=2.5), Reply(body))
        base = streamlit_server(
            "app.py",
            env={
                "AFTERCARE_CATALOG": str(db),
                "AFTERCARE_CURATOR_PASSWORD_HASH": password_hash,
                "AFTERCARE_ONLINE": "1",
                "AFTERCARE_SOURCES": str(write_sources(tmp_path, url)),
            },
        )
        sign_in(page, base, open_app)
        expect(page.get_by_text("Refresh from the live feeds")).to_be_visible()
        page.get_by_role("button", name="Check for changes").click()
        page.locator('[data-testid="stProgress"]').wait_for(timeout=10_000)
        snapshot(page, save_screenshot, "catalog-refresh-progress")
        page.get_by_text("Checked only: nothing written").wait_for(timeout=30_000)
        expect(page.locator('[data-testid="stProgress"]')).to_have_count(0)
        snapshot(page, save_screenshot, "catalog-refresh-check")
        with Catalog(db, readonly=True) as catalog:
            assert catalog.count() == 8 and catalog.reports() == []

        page.get_by_role("button", name="Apply", exact=True).click()
        page.get_by_text(re.compile(rf"^Done: {FEED}: 6 added")).wait_for(timeout=30_000)
        expect(listings_line(page)).to_have_text(re.compile("^14 listings"))
        expect(page.get_by_text("Feed refresh").first).to_be_visible()
        snapshot(page, save_screenshot, "catalog-refresh-applied")
        assert server.hits("/bmlt") == 1  # Apply used what the check fetched
    with Catalog(db, readonly=True) as catalog:
        assert catalog.count() == 14
        assert [r["body"]["status"] for r in catalog.reports()] == ["applied"]
    assert external_requests == []


def test_visitor_reads_a_refresh_report_field_by_field(
    page, tmp_path, streamlit_server, open_app, save_screenshot, external_requests
):
    """Without signing in, the latest refresh opens to its changed fields and the listing gone from the feed."""
    db = build_test_catalog(tmp_path / "catalog.db")
    with FeedServer() as server, Catalog(db) as catalog:
        source = Source(name=FEED, format="bmlt", url=server.url("/bmlt"), fellowship="NA")
        first = generated_bmlt_meetings(6)
        second = generated_bmlt_meetings(6)
        second["meetings"] = second["meetings"][:5]
        second["meetings"][0]["meeting_name"] = "Generated Test Meeting 1 renamed"
        for feed in (first, second):
            server.route("/bmlt", json_reply(feed))
            assert (
                refresh_source(catalog, source, options=FetchOptions(timeout=2, retries=0)).status
                == "applied"
            )
    base = streamlit_server("app.py", env={"AFTERCARE_CATALOG": str(db), "AFTERCARE_ONLINE": "0"})
    open_app(page, base)
    open_app(page, f"{base}/catalog")
    page.get_by_text("0 added · 1 changed · 1 no longer listed").wait_for(timeout=20_000)
    page.get_by_text("Details: changes field by field").first.click()
    expect(page.get_by_text("Changes, field by field")).to_be_visible()
    expect(page.get_by_text("No longer listed by the source: marked inactive")).to_be_visible()
    expect(page.get_by_role("button", name="Check for changes")).to_have_count(0)
    expect(page.get_by_label("Curator password")).to_have_count(0)  # curation is off: no hash set
    snapshot(page, save_screenshot, "catalog-reports")
    assert external_requests == []
