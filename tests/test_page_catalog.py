"""AppTest of the Catalog page: statistics for everyone; curation only behind the curator password."""

import socket
from dataclasses import replace
from pathlib import Path

import pytest

from directory.catalog import Catalog
from directory.curation import hash_password
from directory.refresh import FetchOptions, Source, refresh_source
from tests import app_catalog
from tests.app_catalog import build_test_catalog, markdown_text, new_app, open_page
from tests.feed_server import FeedServer, Reply, generated_bmlt_meetings, json_reply

PASSWORD = "generated-test-password"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD, n=2**10)


def curation_controls(at) -> list:
    return [b for b in at.button if b.key and b.key.startswith(("resolve_", "dismiss_", "import_"))]


def test_stats_show_for_everyone_and_curation_is_off_without_a_hash(tmp_path, monkeypatch):
    """Without a hash the stats show, the page says how to switch curation on, and there is no password box."""
    at = open_page(new_app(tmp_path, monkeypatch), "pages/catalog.py")
    assert not at.exception and not at.error
    assert "8 listings in the directory" in markdown_text(at)
    assert any("AFTERCARE_CURATOR_PASSWORD_HASH" in i.value for i in at.info)
    assert not [w for w in at.text_input if w.key == "curator_password"]
    assert curation_controls(at) == []


def test_wrong_password_is_refused(tmp_path, monkeypatch, password_hash):
    """A wrong password shows an error and no curation controls."""
    app = new_app(tmp_path, monkeypatch, env={"AFTERCARE_CURATOR_PASSWORD_HASH": password_hash})
    with Catalog(tmp_path / "catalog.db") as catalog:
        catalog.add_correction("test-1", "generated test report")
    at = open_page(app, "pages/catalog.py")
    assert curation_controls(at) == []
    at.text_input(key="curator_password").input("not-the-password").run()
    at.button(key="curator_sign_in").click().run()
    assert any("not right" in e.value for e in at.error)
    assert curation_controls(at) == []
    assert "curator" not in at.session_state or at.session_state["curator"] is False


def test_curator_resolves_a_correction_request(tmp_path, monkeypatch, password_hash):
    """With the right password the open request is listed, and Resolved closes it in the catalog."""
    app = new_app(tmp_path, monkeypatch, env={"AFTERCARE_CURATOR_PASSWORD_HASH": password_hash})
    with Catalog(tmp_path / "catalog.db") as catalog:
        request_id = catalog.add_correction("test-1", "generated test report")
    at = open_page(app, "pages/catalog.py")
    at.text_input(key="curator_password").input(PASSWORD).run()
    at.button(key="curator_sign_in").click().run()
    assert any(t.value == "generated test report" for t in at.text)
    at.button(key=f"resolve_{request_id}").click().run()
    with Catalog(tmp_path / "catalog.db") as catalog:
        assert catalog.corrections("open") == []
        assert [c["status"] for c in catalog.corrections(None)] == ["resolved"]


def test_sign_in_locks_after_too_many_attempts(tmp_path, monkeypatch, password_hash):
    """After five wrong passwords even the right one is refused for the rest of the session."""
    app = new_app(tmp_path, monkeypatch, env={"AFTERCARE_CURATOR_PASSWORD_HASH": password_hash})
    at = open_page(app, "pages/catalog.py")
    for _ in range(5):
        at.text_input(key="curator_password").input("wrong").run()
        at.button(key="curator_sign_in").click().run()
    at.text_input(key="curator_password").input(PASSWORD).run()
    at.button(key="curator_sign_in").click().run()
    assert any("Too many wrong passwords" in e.value for e in at.error)
    assert curation_controls(at) == []


# --------------------------------------------------------------------------- reports and live feeds

FEED = "na-generated-test"


@pytest.fixture
def feed_server():
    """A local feed server on 127.0.0.1 (tests/feed_server.py); nothing leaves the machine."""
    with FeedServer() as server:
        yield server


def write_sources(folder: Path, url: str) -> Path:
    """A sources registry with one enabled BMLT feed at `url` and one disabled, unverified feed."""
    path = folder / "sources.toml"
    path.write_text(
        f"""
[[source]]
name = "{FEED}"
format = "bmlt"
url = "{url}"
query = {{ switcher = "GetSearchResults" }}
fellowship = "NA"

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


def sign_in(at):
    at.text_input(key="curator_password").input(PASSWORD).run()
    return at.button(key="curator_sign_in").click().run()


def feed_app(tmp_path, monkeypatch, password_hash, url: str, *, online: bool):
    env = {
        "AFTERCARE_CURATOR_PASSWORD_HASH": password_hash,
        "AFTERCARE_SOURCES": str(write_sources(tmp_path, url)),
    }
    if online:
        env["AFTERCARE_ONLINE"] = "1"
    return new_app(tmp_path, monkeypatch, env=env)


def fast_catalog_refresh(db: Path, server: FeedServer, meetings: dict) -> None:
    """Apply a generated BMLT feed to the catalog file with the command-line code path (no app)."""
    url = server.route("/bmlt", json_reply(meetings))
    source = Source(
        name=FEED, format="bmlt", url=url, query={"switcher": "GetSearchResults"}, fellowship="NA"
    )
    with Catalog(db) as catalog:
        refresh_source(catalog, source, force=True, options=FetchOptions(timeout=2, retries=0))


def shown_tables(at) -> list:
    return [d.value for d in at.dataframe]


def test_reports_are_readable_for_everyone(tmp_path, monkeypatch, feed_server):
    """A visitor sees each refresh and import: source, outcome, counts, and changes field by field."""
    app = new_app(tmp_path, monkeypatch)
    db = tmp_path / "catalog.db"
    first = generated_bmlt_meetings(6)
    fast_catalog_refresh(db, feed_server, first)
    second = generated_bmlt_meetings(6)
    second["meetings"] = second["meetings"][:5]  # meeting 6 leaves the feed
    second["meetings"][0]["meeting_name"] = "Generated Test Meeting 1 renamed"
    fast_catalog_refresh(db, feed_server, second)
    with Catalog(db) as catalog:
        extra = replace(app_catalog.test_records()[0], id="test-99", name="Generated test import 99")
        catalog.import_records([extra], source="generated-upload.csv")
    at = open_page(app, "pages/catalog.py")
    assert not at.exception and not at.error
    text = markdown_text(at)
    assert "**na\\-generated\\-test** · Feed refresh" in text
    assert "**generated\\-upload\\.csv** · File import" in text
    assert "Applied" in text
    assert "0 added · 1 changed · 1 no longer listed · 4 unchanged · rows not taken: 0" in text
    assert "6 added · 0 changed · 0 no longer listed · 0 unchanged · rows not taken: 0" in text
    changes = [t for t in shown_tables(at) if list(t.columns) == ["Listing id", "Field", "Before", "After"]]
    rows = {tuple(r) for t in changes for r in t.itertuples(index=False)}
    assert (f"{FEED}-1001", "name", "Generated Test Meeting 1", "Generated Test Meeting 1 renamed") in rows
    gone = [t for t in shown_tables(at) if list(t.columns) == ["Listing id"]]
    assert [list(t["Listing id"]) for t in gone] == [[f"{FEED}-1006"]]
    assert not any(e.value == "Refresh from the live feeds" for e in at.subheader)
    assert not [b for b in at.button if b.key == "refresh_check"]


def test_no_reports_says_so(tmp_path, monkeypatch):
    """A catalog with no saved report says so instead of showing an empty list."""
    at = open_page(new_app(tmp_path, monkeypatch), "pages/catalog.py")
    assert "No imports have been recorded yet." in markdown_text(at)
    assert "Feed refresh" not in markdown_text(at)


def test_feed_refresh_is_for_curators_only(tmp_path, monkeypatch, password_hash, feed_server):
    """Even with the internet allowed, a visitor who has not signed in sees no feeds and no refresh button."""
    url = feed_server.route("/bmlt", json_reply(generated_bmlt_meetings(6)))
    at = open_page(feed_app(tmp_path, monkeypatch, password_hash, url, online=True), "pages/catalog.py")
    assert not [b for b in at.button if b.key in ("refresh_check", "refresh_apply")]
    assert not [w for w in at.toggle if w.key == "set_live_feeds"]
    assert FEED not in "\n".join(str(d.value) for d in at.dataframe)
    assert sign_in(at).button(key="refresh_check")  # signing in is what shows it
    assert feed_server.requests == []


def test_online_off_lists_feeds_but_offers_no_refresh(tmp_path, monkeypatch, password_hash, feed_server):
    """With internet use off a curator sees the feeds and why there is no button; no request is made."""
    url = feed_server.route("/bmlt", json_reply(generated_bmlt_meetings(6)))
    at = sign_in(
        open_page(feed_app(tmp_path, monkeypatch, password_hash, url, online=False), "pages/catalog.py")
    )
    assert not at.exception
    (feeds,) = [d.value for d in at.dataframe if "Feed" in d.value.columns]
    assert list(feeds["Feed"]) == [FEED, "aa-generated-test"]
    assert list(feeds["Switched on"]) == [True, False]
    assert list(feeds["Address unverified"]) == [False, True]
    assert any("Refreshing needs the internet" in i.value for i in at.info)
    assert not [b for b in at.button if b.key in ("refresh_check", "refresh_apply", "refresh_force")]
    assert feed_server.requests == []


def test_switching_internet_on_for_the_visit_offers_the_check(
    tmp_path, monkeypatch, password_hash, feed_server
):
    """The curator's own switch, not only AFTERCARE_ONLINE, allows the check; it fetches only when pressed."""
    url = feed_server.route("/bmlt", json_reply(generated_bmlt_meetings(6)))
    at = sign_in(
        open_page(feed_app(tmp_path, monkeypatch, password_hash, url, online=False), "pages/catalog.py")
    )
    at.toggle(key="set_live_feeds").set_value(True).run()
    assert at.button(key="refresh_check")
    assert feed_server.requests == []


def test_check_then_apply_updates_the_catalog(tmp_path, monkeypatch, password_hash, feed_server):
    """Check shows a dry run and writes nothing; Apply adds the meetings and saves a report."""
    url = feed_server.route("/bmlt", json_reply(generated_bmlt_meetings(6)))
    at = sign_in(
        open_page(feed_app(tmp_path, monkeypatch, password_hash, url, online=True), "pages/catalog.py")
    )
    at.button(key="refresh_check").click().run()
    assert not at.exception and not at.error
    assert "Checked only: nothing written" in markdown_text(at)
    assert "6 added · 0 changed" in markdown_text(at)
    with Catalog(tmp_path / "catalog.db") as catalog:
        assert catalog.count() == 8 and catalog.reports() == []
    at.button(key="refresh_apply").click().run()
    assert not at.exception and not at.error
    assert any("Done: na\\-generated\\-test: 6 added" in s.value for s in at.success)
    assert "14 listings in the directory" in markdown_text(at)
    with Catalog(tmp_path / "catalog.db") as catalog:
        assert catalog.count() == 14
        assert [r["body"]["status"] for r in catalog.reports()] == ["applied"]
    assert not [b for b in at.button if b.key == "refresh_apply"]
    assert len(feed_server.requests) == 1  # Apply used what Check fetched


def test_feed_that_lost_most_records_needs_apply_anyway(tmp_path, monkeypatch, password_hash, feed_server):
    """A feed that lost over half its meetings is refused; Apply anyway needs the confirmation box."""
    fast_catalog_refresh(build_test_catalog(tmp_path / "catalog.db"), feed_server, generated_bmlt_meetings(6))
    shrunk = generated_bmlt_meetings(6)
    shrunk["meetings"] = shrunk["meetings"][:2]
    url = feed_server.route("/bmlt", json_reply(shrunk))
    app = feed_app(tmp_path, monkeypatch, password_hash, url, online=True)
    at = sign_in(open_page(app, "pages/catalog.py"))
    at.button(key="refresh_check").click().run()
    assert any("more than half" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "refresh_apply"]
    assert at.button(key="refresh_force").disabled
    at.checkbox(key="refresh_force_confirm").check().run()
    at.button(key="refresh_force").click().run()
    assert not at.exception and not at.error
    with Catalog(tmp_path / "catalog.db") as catalog:
        statuses = {r.id: r.status for r in catalog.records() if r.source == FEED}
    assert sorted(i for i, s in statuses.items() if s == "inactive") == [
        f"{FEED}-{n}" for n in range(1003, 1007)
    ]
    assert len(statuses) == 6  # kept, never deleted


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            Reply(b"<html><body>Service unavailable</body></html>", content_type="text/html"),
            "web page instead of data",
        ),
        (Reply(b'{"meetings": [', status=200), "could not be checked"),
    ],
)
def test_a_bad_feed_shows_one_line_and_changes_nothing(
    tmp_path, monkeypatch, password_hash, feed_server, reply, message
):
    """An HTML page or truncated JSON gives a one-line message, no traceback, no Apply, and an unchanged store."""
    url = feed_server.route("/bmlt", reply)
    at = sign_in(
        open_page(feed_app(tmp_path, monkeypatch, password_hash, url, online=True), "pages/catalog.py")
    )
    at.button(key="refresh_check").click().run()
    assert not at.exception
    (error,) = at.error
    assert message in error.value and "\n" not in error.value and "Traceback" not in error.value
    assert "The catalog was not changed." in error.value
    assert not [b for b in at.button if b.key in ("refresh_apply", "refresh_force")]
    with Catalog(tmp_path / "catalog.db") as catalog:
        assert catalog.count() == 8 and catalog.reports() == []


def test_no_network_says_so_in_one_line(tmp_path, monkeypatch, password_hash):
    """A feed address where nothing listens reads as 'No network', and the store is unchanged."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again at once: nothing listens there
    at = sign_in(
        open_page(
            feed_app(tmp_path, monkeypatch, password_hash, f"http://127.0.0.1:{port}/bmlt", online=True),
            "pages/catalog.py",
        )
    )
    at.button(key="refresh_check").click().run()
    (error,) = at.error
    assert error.value.startswith("No network:") and "\n" not in error.value
    with Catalog(tmp_path / "catalog.db") as catalog:
        assert catalog.count() == 8 and catalog.reports() == []


def test_a_broken_sources_file_is_a_message(tmp_path, monkeypatch, password_hash):
    """A sources file that is not TOML names the file; the page shows no feeds and no button."""
    app = feed_app(tmp_path, monkeypatch, password_hash, "http://127.0.0.1:9/x", online=True)
    (tmp_path / "sources.toml").write_text("[[source]\nname = ", encoding="utf-8")
    at = sign_in(open_page(app, "pages/catalog.py"))
    assert not at.exception
    assert any("sources.toml: not valid TOML" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "refresh_check"]
