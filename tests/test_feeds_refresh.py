"""Refreshing a catalog copy from feeds on a local server: apply, refuse, report, not modified, no network."""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
from pathlib import Path

import pytest

from directory.__main__ import main
from directory.catalog import Catalog
from directory.importers import project_csv
from directory.progress import TextProgressBar
from directory.refresh import FetchOptions, Source, SourcesError, load_sources, refresh_source
from directory.schema import Resource
from tests.feed_server import (
    FeedServer,
    Reply,
    generated_bmlt_meetings,
    generated_findtreatment_pages,
    json_reply,
)

TODAY = "2026-01-05"
FAST = FetchOptions(timeout=2.0, retries=2, backoff=0.0)
OTHER = Resource(
    id="other-generated-test-1",
    name="Generated Test Crisis Line",
    category="crisis_line",
    source="other",
    source_url="https://example.org/generated-test",
    as_of="2025-01-01",
    coverage="statewide",
    phones=("217-555-0199",),
)


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


@pytest.fixture
def kc_bytes(shared_data: Path) -> bytes:
    return (shared_data / "feeds" / "meeting-guide" / "kansas-city-aa.json").read_bytes()


@pytest.fixture
def catalog(tmp_db: Path):
    """A scratch catalog holding one generated record of another source, which no refresh may touch."""
    with Catalog(tmp_db) as c:
        c.import_records([OTHER], source="seed", save_report=False)
        yield c


def fingerprint(catalog: Catalog) -> str:
    """A hash of every record: equal before and after means the store did not change."""
    return hashlib.sha256(project_csv.write(catalog.records()).encode()).hexdigest()


def mg_source(url: str, name: str = "aa-test") -> Source:
    return Source(name=name, format="meeting-guide", url=url, fellowship="AA")


def refresh(catalog: Catalog, source: Source, **kwargs):
    return refresh_source(catalog, source, options=kwargs.pop("options", FAST), today=TODAY, **kwargs)


def test_meeting_guide_refresh_applies_and_saves_a_report(server, catalog, kc_bytes):
    """A first refresh adds every meeting and saves a report body the Catalog page can show."""
    url = server.route("/kc.json", Reply(kc_bytes, etag='"kc-1"'))
    report = refresh(catalog, mg_source(url))
    assert report.status == "applied" and len(report.added) == 206
    assert catalog.get("aa-test-254").name == "Ward Parkway Group"
    assert catalog.get(OTHER.id) == OTHER
    (saved,) = catalog.reports(kind="refresh")
    body = saved["body"]
    assert {"source", "fetched_at", "url", "status", "added", "changed", "disappeared", "message"} <= set(
        body
    )
    assert body["status"] == "applied" and body["url"] == url and body["counts"]["added"] == 206
    assert catalog.meta("feed:aa-test:etag") == '"kc-1"'


def test_bmlt_refresh_reads_the_generated_fixture(server, catalog):
    """A BMLT GetSearchResults envelope is fetched and applied."""
    url = server.route("/main_server/client_interface/json/", json_reply(generated_bmlt_meetings(6)))
    source = Source(name="na-test", format="bmlt", url=url, query={"switcher": "GetSearchResults"})
    report = refresh(catalog, source)
    assert report.status == "applied" and sorted(report.added) == [f"na-test-{1000 + n}" for n in range(1, 7)]
    assert "switcher=GetSearchResults" in server.requests[0].path


def test_findtreatment_refresh_follows_pages(server, catalog):
    """Pages are fetched up to totalPages and read as one feed."""
    pages = generated_findtreatment_pages(6, per_page=4)
    server.route("/locator?page=1", json_reply(pages[0]))
    server.route("/locator?page=2", json_reply(pages[1]))
    source = Source(
        name="ft-test", format="findtreatment", url=server.url("/locator"), query={"limitType": "0"}
    )
    report = refresh(catalog, source)
    assert report.status == "applied" and len(report.added) == 6
    assert [r.path.split("page=")[1] for r in server.requests] == ["1", "2"]


def test_findtreatment_real_sample_outside_illinois_is_rejected_not_applied(server, catalog, shared_data):
    """The Virginia sample reaches the importer, and every row is reported as outside the region."""
    body = (shared_data / "feeds" / "findtreatment" / "locator_sample_virginia.json").read_bytes()
    data = json.loads(body)
    data["totalPages"] = 1
    url = server.route("/locator", json_reply(data))
    before = fingerprint(catalog)
    report = refresh(catalog, Source(name="ft-va", format="findtreatment", url=url))
    assert report.added == [] and len(report.rejected) == 30
    assert all("outside Illinois" in p for p in report.rejected)
    assert fingerprint(catalog) == before


def test_hsds_refresh_reads_a_json_service_list(server, catalog, shared_data):
    """An HSDS JSON feed is flattened and applied like the others."""
    body = (shared_data / "specs" / "hsds" / "examples" / "service_list.json").read_bytes()
    url = server.route("/services", Reply(body))
    report = refresh(catalog, Source(name="hsds-test", format="hsds", url=url))
    assert report.status == "applied" and len(report.added) == 1


def test_refresh_retries_after_a_server_error(server, catalog, kc_bytes):
    """HTTP 500 then success: the refresh applies the second answer."""
    url = server.route("/kc.json", Reply(b"oops", status=500, content_type="text/plain"), Reply(kc_bytes))
    report = refresh(catalog, mg_source(url))
    assert report.status == "applied" and len(report.added) == 206
    assert server.hits("/kc.json") == 2


@pytest.mark.parametrize(
    ("reply", "options", "message"),
    [
        (Reply(b"[]", delay=1.0), FetchOptions(timeout=0.2, retries=1, backoff=0.0), "no answer within"),
        (Reply(b'[{"slug": 1, "name": "Generated Test'), FAST, "stops part-way"),
        (
            Reply(b"<html><head><title>Error</title></head></html>", content_type="text/html"),
            FAST,
            "web page",
        ),
        (Reply(b"[" + b'{"slug": "x"},' * 200 + b"{}]"), FetchOptions(max_bytes=1000, retries=0), "limit"),
    ],
    ids=["timeout", "truncated-json", "html-error-page-200", "size-cap"],
)
def test_a_failed_fetch_changes_no_record_and_is_reported(server, catalog, kc_bytes, reply, options, message):
    """Timeouts, truncated JSON, HTML error pages and oversize feeds leave records alone and say why."""
    url = server.route("/kc.json", Reply(kc_bytes), reply)
    refresh(catalog, mg_source(url))
    before = fingerprint(catalog)
    report = refresh(catalog, mg_source(url), options=options, force=True)
    assert report.status == "failed" and message in report.message
    assert fingerprint(catalog) == before
    assert catalog.reports(kind="refresh")[0]["body"]["status"] == "failed"


def test_a_feed_that_loses_half_its_meetings_is_refused_then_forced(server, catalog, kc_bytes):
    """Losing more than half is refused without force; with force the missing go inactive with the date."""
    meetings = json.loads(kc_bytes)
    url = server.route("/kc.json", Reply(kc_bytes), json_reply(meetings[:100]))
    refresh(catalog, mg_source(url))
    before = fingerprint(catalog)

    refused = refresh(catalog, mg_source(url))
    assert refused.status == "refused" and len(refused.disappeared) == 106
    assert "--force" in refused.message
    assert fingerprint(catalog) == before
    assert catalog.reports(kind="refresh")[0]["body"]["status"] == "refused"

    forced = refresh(catalog, mg_source(url), force=True)
    assert forced.status == "applied" and len(forced.disappeared) == 106
    gone = catalog.get(f"aa-test-{meetings[150]['slug']}")
    assert gone is not None and gone.status == "inactive"  # never deleted
    assert TODAY in gone.notes
    kept = catalog.get(f"aa-test-{meetings[0]['slug']}")
    assert kept.status != "inactive"


def test_a_small_loss_is_applied_without_force(server, catalog, kc_bytes):
    """Losing a few meetings is normal churn: applied, the missing ones inactive."""
    meetings = json.loads(kc_bytes)
    url = server.route("/kc.json", Reply(kc_bytes), json_reply(meetings[:-5]))
    refresh(catalog, mg_source(url))
    report = refresh(catalog, mg_source(url))
    assert report.status == "applied" and len(report.disappeared) == 5
    assert all(catalog.get(rid).status == "inactive" for rid in report.disappeared)


def test_changed_phone_numbers_are_reported_field_by_field(server, catalog, tmp_db, tmp_path):
    """A feed whose phones changed yields a report listing each id with its old and new phone."""
    first = generated_findtreatment_pages(3, per_page=10)
    second = generated_findtreatment_pages(3, per_page=10, phone_suffix=50)
    url = server.route("/locator", json_reply(first[0]), json_reply(second[0]))
    source = Source(name="ft-test", format="findtreatment", url=url)
    refresh(catalog, source)
    report = refresh(catalog, source)
    assert report.status == "applied" and len(report.changed) == 3 and report.added == []
    change = report.changed["ft-test-generated-test-facility-001"]
    assert change == {"phones": ["217-555-0101", "217-555-0151"]}
    assert catalog.get("ft-test-generated-test-facility-001").phones == ("217-555-0151",)
    body = catalog.reports(kind="refresh")[0]["body"]
    assert body["changed"]["ft-test-generated-test-facility-001"]["phones"] == [
        "217-555-0101",
        "217-555-0151",
    ]


def test_a_second_identical_refresh_writes_no_record(server, catalog, kc_bytes, tmp_db):
    """The same feed twice: the second run changes nothing and writes only a small report row."""
    url = server.route("/kc.json", Reply(kc_bytes))
    refresh(catalog, mg_source(url))
    before = fingerprint(catalog)
    changes_before = catalog.conn.total_changes
    report = refresh(catalog, mg_source(url))
    assert report.status == "applied" and not report.has_changes and report.unchanged == 206
    assert "No changes" in report.message
    assert fingerprint(catalog) == before
    assert catalog.conn.total_changes - changes_before == 1  # the report row, no resource row


def test_not_modified_feed_is_not_downloaded_or_applied(server, catalog, kc_bytes):
    """With the stored ETag the server answers 304: status not_modified, records untouched."""
    url = server.route("/kc.json", Reply(kc_bytes, etag='"kc-1"'))
    refresh(catalog, mg_source(url))
    before = fingerprint(catalog)
    report = refresh(catalog, mg_source(url))
    assert report.status == "not_modified"
    assert server.requests[-1].headers.get("if-none-match") == '"kc-1"'
    assert fingerprint(catalog) == before


def test_a_fresh_catalog_never_sends_validators(server, tmp_path, kc_bytes):
    """A catalog without the source's records asks for the full feed even if it kept an ETag."""
    url = server.route("/kc.json", Reply(kc_bytes, etag='"kc-1"'))
    with Catalog(tmp_path / "fresh.db") as fresh:
        fresh.set_meta("feed:aa-test:etag", '"kc-1"')
        report = refresh(fresh, mg_source(url))
    assert report.status == "applied" and "if-none-match" not in server.requests[0].headers


def test_a_meeting_back_in_the_feed_is_active_again(server, catalog, kc_bytes):
    """A record that left and came back is reactivated, and the report shows the status change."""
    meetings = json.loads(kc_bytes)
    url = server.route("/kc.json", Reply(kc_bytes), json_reply(meetings[1:]), Reply(kc_bytes))
    refresh(catalog, mg_source(url))
    refresh(catalog, mg_source(url))
    rid = f"aa-test-{meetings[0]['slug']}"
    assert catalog.get(rid).status == "inactive"
    report = refresh(catalog, mg_source(url))
    assert catalog.get(rid).status == "active"
    assert report.changed[rid]["status"] == ["inactive", "active"]


def test_an_invalid_row_keeps_its_stored_version(server, catalog, kc_bytes):
    """A row that starts failing our checks is reported, and its listing neither changes nor disappears."""
    meetings = json.loads(kc_bytes)
    broken = [dict(m) for m in meetings]
    broken[0]["latitude"], broken[0]["longitude"] = 10.0, 10.0  # far outside the region
    url = server.route("/kc.json", Reply(kc_bytes), json_reply(broken))
    refresh(catalog, mg_source(url))
    rid = f"aa-test-{meetings[0]['slug']}"
    stored = catalog.get(rid)
    report = refresh(catalog, mg_source(url))
    assert len(report.rejected) == 1 and rid not in report.disappeared
    assert catalog.get(rid) == stored


def test_dry_run_reports_but_writes_nothing(server, tmp_db, kc_bytes):
    """A dry run computes the changes and leaves the database file byte for byte as it was."""
    url = server.route("/kc.json", Reply(kc_bytes))
    with Catalog(tmp_db) as c:
        c.import_records([OTHER], source="seed", save_report=False)
        c.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = tmp_db.read_bytes()
    with Catalog(tmp_db, readonly=True) as reader:
        report = refresh(reader, mg_source(url), dry_run=True)
        assert reader.reports(kind="refresh") == []
    assert report.status == "dry_run" and len(report.added) == 206
    assert tmp_db.read_bytes() == before


def test_data_sources_registry_lists_the_illinois_feeds(repo_root):
    """data/sources.toml enables FindTreatment and both Illinois NA servers; AA feeds are off and unverified."""
    sources = {s.name: s for s in load_sources(repo_root / "data" / "sources.toml")}
    enabled = {n for n, s in sources.items() if s.enabled}
    assert enabled == {"findtreatment-il", "na-greater-illinois", "na-chicagoland"}
    assert "girbmlt.org" in sources["na-greater-illinois"].url
    assert "bmlt.chicagona.org" in sources["na-chicagoland"].url
    for source in sources.values():
        assert source.terms and source.refresh_days > 0
        if source.format == "meeting-guide":
            assert not source.enabled and "unverified" in source.note


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[source]]\nname = "x"\nformat = "meeting-guide"\n', "'url' is missing"),
        ('[[source]]\nname = "x"\nformat = "rss"\nurl = "https://example.org"\n', "format"),
        ('[[source]]\nname = "x"\nformat = "bmlt"\nurl = "ftp://example.org"\n', "http"),
        ("[[source]\n", "not valid TOML"),
    ],
)
def test_bad_sources_file_names_the_problem(tmp_path, text, message):
    """A broken sources.toml raises SourcesError naming the entry and the fix."""
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError, match=message):
        load_sources(path)


def _write_sources(path: Path, url: str, enabled: bool = True) -> Path:
    path.write_text(
        f'[[source]]\nname = "aa-test"\nformat = "meeting-guide"\nurl = "{url}"\nfellowship = "AA"\n'
        f'terms = "generated test"\nenabled = {str(enabled).lower()}\nrefresh_days = 7\n',
        encoding="utf-8",
    )
    return path


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("host", ["closed-port", "feeds.invalid"])
def test_command_without_network_exits_2_and_leaves_the_file_identical(tmp_path, tmp_db, capsys, host):
    """No route to the feed: one line on stderr, exit status 2, the database file byte-identical."""
    with Catalog(tmp_db) as c:
        c.import_records([OTHER], source="seed", save_report=False)
        c.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        c.conn.execute("PRAGMA journal_mode=DELETE")
    before = tmp_db.read_bytes()
    url = (
        f"http://127.0.0.1:{_closed_port()}/kc.json"
        if host == "closed-port"
        else "http://feeds.invalid/kc.json"
    )
    sources = _write_sources(tmp_path / "sources.toml", url)
    status = main(["refresh", "--db", str(tmp_db), "--sources", str(sources), "--quiet"])
    out, err = capsys.readouterr()
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("No network")
    assert "Traceback" not in err and out == ""
    assert tmp_db.read_bytes() == before
    assert not Path(str(tmp_db) + "-wal").exists()


def test_command_refreshes_and_prints_field_changes(server, tmp_path, tmp_db, capsys, kc_bytes):
    """The command applies a feed, prints a summary, and on the next run lists changed fields."""
    meetings = json.loads(kc_bytes)
    changed = [dict(m) for m in meetings]
    changed[0]["time"] = "06:45"
    url = server.route("/kc.json", Reply(kc_bytes), json_reply(changed))
    sources = _write_sources(tmp_path / "sources.toml", url)
    assert main(["refresh", "--db", str(tmp_db), "--sources", str(sources), "--quiet"]) == 0
    assert "aa-test: applied (206 added" in capsys.readouterr().out
    assert (
        main(["refresh", "--db", str(tmp_db), "--sources", str(sources), "--source", "aa-test", "--quiet"])
        == 0
    )
    out = capsys.readouterr().out
    assert (
        "1 changed" in out and f"aa-test-{meetings[0]['slug']}: schedule: 'Sun 18:30' -> 'Sun 06:45'" in out
    )


def test_command_refuses_a_disabled_source(tmp_path, tmp_db, capsys):
    """Naming a disabled (unverified) source is an error that says how to enable it; nothing is fetched."""
    sources = _write_sources(tmp_path / "sources.toml", "http://feeds.invalid/x", enabled=False)
    assert main(["refresh", "--db", str(tmp_db), "--sources", str(sources), "--source", "aa-test"]) == 1
    assert "enabled = true" in capsys.readouterr().err
    assert not tmp_db.exists()


def test_command_exit_status_1_when_a_feed_is_refused(server, tmp_path, tmp_db, capsys, kc_bytes):
    """A refused feed makes the command exit 1 so a scheduled job can alert someone."""
    url = server.route("/kc.json", Reply(kc_bytes), json_reply([]))
    sources = _write_sources(tmp_path / "sources.toml", url)
    assert main(["refresh", "--db", str(tmp_db), "--sources", str(sources), "--quiet"]) == 0
    assert main(["refresh", "--db", str(tmp_db), "--sources", str(sources), "--quiet"]) == 1
    assert "refused" in capsys.readouterr().out
    with sqlite3.connect(tmp_db) as conn:
        assert conn.execute("SELECT count(*) FROM resources WHERE status = 'inactive'").fetchone()[0] == 0


def test_text_progress_bar_draws_on_a_terminal_and_stays_out_of_logs():
    """On a terminal the bar redraws in place and ends its line; into a log file it writes nothing."""
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    bar = TextProgressBar(stream=tty, interval=0)
    bar(1, 4, "Fetching x")
    bar(4, 4, "Fetching x")
    assert "\r[" in tty.getvalue() and "100%" in tty.getvalue() and tty.getvalue().endswith("\n")
    log = io.StringIO()
    bar = TextProgressBar(stream=log)
    for n in range(5):
        bar(n, 4, "Reading x")
    assert log.getvalue() == ""
