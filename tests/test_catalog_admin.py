"""The Catalog page's logic without Streamlit: report views, feed rows, staged progress, checked imports."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from directory import catalog_admin as admin
from directory.catalog import Catalog
from directory.importers import project_csv
from directory.refresh import FetchOptions, Source, load_sources, sources_path
from directory.settings import from_env
from tests.app_catalog import build_test_catalog
from tests.app_catalog import test_records as generated_records
from tests.feed_server import FeedServer, Reply, generated_bmlt_meetings, json_reply

FAST = FetchOptions(timeout=2.0, retries=0, backoff=0.0)
TODAY = "2026-01-05"


@pytest.fixture
def catalog(tmp_path: Path):
    with Catalog(build_test_catalog(tmp_path / "catalog.db")) as c:
        yield c


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


def bmlt_source(url: str) -> Source:
    return Source(name="na-generated-test", format="bmlt", url=url, fellowship="NA")


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2026-01-05T14:03:00+00:00", "Jan 5, 2026, 8:03 AM"),  # CST, UTC-6
        ("2026-07-05T00:30:00+00:00", "Jul 4, 2026, 7:30 PM"),  # CDT, UTC-5
        ("", ""),
        ("not a time", "not a time"),
    ],
)
def test_local_time_is_illinois_wall_clock(stamp, expected):
    """Report times read as Chicago time in words; anything else is shown as given."""
    assert admin.local_time(stamp) == expected


def test_refresh_body_reads_as_counts_and_rows():
    """A refresh body gives its status, the five counts, a row per changed field and the ids gone."""
    body = {
        "source": "na-generated-test",
        "fetched_at": "2026-01-05T14:03:00+00:00",
        "status": "applied",
        "added": ["a"],
        "changed": {"b": {"phones": ["217-555-0101", "217-555-0102"], "name": ["Old", "New"]}},
        "disappeared": ["c", "d"],
        "rejected": ["feed, row 3, column id: missing"],
        "counts": {"added": 1, "changed": 1, "disappeared": 2, "unchanged": 7, "rejected": 1},
        "message": "",
    }
    view = admin.view_body("refresh", body)
    assert (view.kind, view.status, view.when) == ("refresh", "applied", "Jan 5, 2026, 8:03 AM")
    assert view.counts == {"added": 1, "changed": 1, "inactive": 2, "unchanged": 7, "rejected": 1}
    assert view.changes == [("b", "phones", "217-555-0101", "217-555-0102"), ("b", "name", "Old", "New")]
    assert view.disappeared == ["c", "d"] and view.has_details
    assert "added" not in [row[1] for row in view.changes]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"applied": True, "added": ["x"], "message": ""}, "applied"),
        ({"applied": False, "message": "Dry run: nothing was changed."}, "dry_run"),
        (
            {
                "applied": False,
                "rejected": ["f.csv, row 2, column zip: bad"],
                "message": "Nothing was changed",
            },
            "refused",
        ),
    ],
)
def test_import_body_status(body, status):
    """An import body is applied, a dry run, or refused because of rejected rows."""
    assert admin.view_body("import", body).status == status


@pytest.mark.parametrize("body", [None, {}, {"status": "exploded", "changed": "oops", "counts": [1]}])
def test_odd_saved_bodies_show_as_failed_and_empty(body):
    """A damaged or unknown saved body gives an empty failed view instead of an error."""
    view = admin.view_body("refresh", body, source="s")
    assert view.status == "failed" and view.changes == [] and view.source == "s"
    assert not view.has_details


def test_refused_preview_drops_the_command_line_advice(catalog, server):
    """The refusal shown in the app does not tell the curator to pass --force."""
    url = server.route("/bmlt", json_reply(generated_bmlt_meetings(6)))
    admin.apply_check(
        catalog, admin.check_feed(catalog, bmlt_source(url), options=FAST, today=TODAY), today=TODAY
    )
    shrunk = generated_bmlt_meetings(6)
    shrunk["meetings"] = shrunk["meetings"][:1]
    server.route("/bmlt", json_reply(shrunk))
    check = admin.check_feed(catalog, bmlt_source(url), options=FAST, today=TODAY)
    assert check.needs_force and not check.can_apply
    assert "--force" in check.report.message
    assert admin.view_refresh(check.report).message == ""


def test_check_writes_nothing_and_apply_uses_what_was_fetched(catalog, server):
    """A check leaves the store alone; Apply writes what the check saw, even if the feed moved on since."""
    url = server.route("/bmlt", json_reply(generated_bmlt_meetings(6)))
    check = admin.check_feed(catalog, bmlt_source(url), options=FAST, today=TODAY)
    assert check.report.status == "dry_run" and len(check.report.added) == 6 and check.can_apply
    assert catalog.count() == 8 and catalog.reports() == []
    server.route("/bmlt", json_reply(generated_bmlt_meetings(2)))
    report = admin.apply_check(catalog, check, today=TODAY)
    assert report.status == "applied" and len(report.added) == 6
    assert catalog.count() == 14 and server.hits("/bmlt") == 1
    assert [r["body"]["status"] for r in catalog.reports()] == ["applied"]


def test_an_unchanged_feed_is_not_modified_and_offers_nothing(catalog, server):
    """After an applied refresh the conditional request answers 304: the notice says so, no Apply."""
    url = server.route("/bmlt", Reply(json_reply(generated_bmlt_meetings(3)).body, etag='"v1"'))
    admin.apply_check(
        catalog, admin.check_feed(catalog, bmlt_source(url), options=FAST, today=TODAY), today=TODAY
    )
    check = admin.check_feed(catalog, bmlt_source(url), options=FAST, today=TODAY)
    assert check.report.status == "not_modified" and not check.can_apply
    assert check.notice()[0] == "info" and "has not changed" in check.notice()[1]


def test_a_failed_check_is_one_line_and_not_saved(catalog, server):
    """An HTML page instead of data: an error notice of one sentence, nothing saved."""
    url = server.route("/bmlt", Reply(b"<html>down</html>", content_type="text/html"))
    check = admin.check_feed(catalog, bmlt_source(url), options=FAST, today=TODAY)
    kind, text = check.notice()
    assert kind == "error" and "\n" not in text and text.endswith("The catalog was not changed.")
    assert not check.can_apply and not check.needs_force
    assert catalog.reports() == [] and catalog.count() == 8


def test_feed_rows_show_state_and_last_refresh(catalog, server, tmp_path):
    """Each source shows enabled and unverified, and the outcome of its latest saved refresh."""
    url = server.route("/bmlt", json_reply(generated_bmlt_meetings(2)))
    sources = [
        bmlt_source(url),
        Source(name="aa-off", format="meeting-guide", url=url, enabled=False, note="unverified: test"),
    ]
    admin.apply_check(catalog, admin.check_feed(catalog, sources[0], options=FAST, today=TODAY), today=TODAY)
    first, second = admin.feed_rows(sources, catalog)
    assert (first.enabled, first.unverified, first.last_status) == (True, False, "applied")
    assert first.last_refresh != ""
    assert (second.enabled, second.unverified, second.last_refresh) == (False, True, "")


def test_staged_progress_moves_forward_through_stages_and_skips_repeats():
    """Stages fill their own bands in order; per-record calls draw only when the percentage changes."""
    drawn: list[tuple[float, str]] = []
    bar = admin.StagedProgress(lambda share, text: drawn.append((share, text)), admin.StagedProgress.CHECK)
    bar(0, 0, "Fetching feed-x")
    bar(1, 1, "Fetching feed-x")
    bar(0, 0, "Reading feed-x")
    for n in range(10_000):
        bar(n, 10_000, "Comparing feed-x")
    bar(10_000, 10_000, "Comparing feed-x")
    shares = [share for share, _ in drawn]
    assert shares == sorted(shares) and shares[-1] == pytest.approx(1.0)
    assert len(drawn) <= 25
    assert drawn[0][1] == "Fetching feed\\-x…" and drawn[-1][1].startswith("Comparing feed")
    assert not any(share > 0.6 for share, text in drawn if text.startswith("Fetching"))


def test_staged_progress_without_stages_follows_done_over_total():
    """A label of no known stage (a file import) moves the whole bar and is shown as given."""
    drawn: list[tuple[float, str]] = []
    bar = admin.StagedProgress(lambda share, text: drawn.append((share, text)))
    bar(1, 2, "Reading a file")
    assert drawn == [(0.5, "Reading a file")]


def test_file_check_previews_then_applies(catalog):
    """A valid project CSV is checked (nothing written), then applied in one go with a saved report."""
    records = [replace(r, id=f"upload-{r.id}", name=f"{r.name} (upload)") for r in generated_records()[:3]]
    data = project_csv.write(records).encode()
    check = admin.check_file(catalog, data, "generated.csv", "csv")
    assert check.can_apply and len(check.report.added) == 3 and check.matches(data)
    assert not check.matches(data + b"\n") and catalog.count() == 8
    report = admin.apply_file(catalog, check)
    assert report.applied and catalog.count() == 11
    assert admin.view_saved(catalog.reports()[0]).counts["added"] == 3


def test_a_bad_csv_names_row_and_field_and_changes_nothing(catalog):
    """A row with a four-digit ZIP is reported by file, row and column, and nothing can be applied."""
    rows = project_csv.write(generated_records()[:2]).splitlines()
    rows[2] = rows[2].replace(",60614,", ",6061,")
    check = admin.check_file(catalog, ("\n".join(rows) + "\n").encode(), "generated.csv", "csv")
    assert not check.can_apply
    view = admin.view_import(check.report)
    assert view.status == "refused"
    assert any("generated.csv, row 3, column zip" in p for p in view.rejected)
    assert catalog.count() == 8 and catalog.reports() == []


@pytest.mark.parametrize("fmt", ["meeting-guide", "bmlt", "findtreatment", "hsds", "csv"])
def test_an_unreadable_upload_is_a_refused_report_naming_the_file(catalog, fmt):
    """Binary junk in any upload format gives a not-applied report whose problem names the file."""
    check = admin.check_file(catalog, b"\x00\x01 not data", "generated.bin", fmt)
    view = admin.view_import(check.report)
    assert view.status == "refused" and not check.can_apply
    assert view.rejected and all(p.startswith("generated.bin") and "\n" not in p for p in view.rejected)
    assert catalog.count() == 8 and catalog.reports() == []


def test_an_unknown_format_is_one_line(catalog):
    """A format no importer reads raises ImportFileError with one line naming the known formats."""
    with pytest.raises(admin.ImportFileError) as caught:
        admin.check_file(catalog, b"id,name", "generated.csv", "no-such-format")
    assert "unknown format 'no-such-format'" in str(caught.value) and "\n" not in str(caught.value)
    assert catalog.count() == 8


def test_sources_path_comes_from_the_environment(tmp_path):
    """AFTERCARE_SOURCES points the app at another registry; without it the shipped one is used."""
    other = tmp_path / "sources.toml"
    assert sources_path({"AFTERCARE_SOURCES": str(other)}) == other
    shipped = sources_path({})
    assert shipped.name == "sources.toml" and shipped != other
    assert any(not s.enabled and admin.is_unverified(s) for s in load_sources(shipped))


@pytest.mark.parametrize(("value", "live"), [("1", True), ("yes", True), ("", False), ("0", False)])
def test_live_feeds_follow_aftercare_online(value, live):
    """Fetching the live feeds is off unless AFTERCARE_ONLINE switches the internet on."""
    settings = from_env({"AFTERCARE_ONLINE": value})
    assert settings.live_feeds is live
    assert settings.offline is not live
