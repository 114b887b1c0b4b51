"""Fetching within bounds (issue 12, items 5 and 6): overall deadlines, honest messages, same-host redirects."""

from __future__ import annotations

import pytest

from directory import feeds, refresh
from tests.feed_server import FeedServer, Reply, json_reply

FAST = dict(timeout=2.0, backoff=0.0, retries=0)


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


@pytest.fixture
def other():
    with FeedServer() as s:
        yield s


def test_a_body_trickling_one_byte_at_a_time_hits_the_request_deadline(server):
    """A server that never goes silent for `timeout` is still cut off, and the message says how much came."""
    url = server.route("/slow", Reply(b"[" + b" " * 4000 + b"]", trickle=0.01))
    with pytest.raises(feeds.FeedError) as caught:
        feeds.fetch(url, total_timeout=1.0, **FAST)
    assert "too slow" in caught.value.message and "sent only" in caught.value.message
    assert "empty" not in caught.value.message


def test_headers_trickling_hit_the_request_deadline_and_do_not_say_empty(server):
    """Headers sent one byte at a time end at the deadline with a message about the wait, not 'empty'."""
    url = server.route("/slow-head", Reply(b"[]", header_trickle=0.01))
    with pytest.raises(feeds.FeedError) as caught:
        feeds.fetch(url, total_timeout=1.0, **FAST)
    assert "did not send its answer within 1 seconds" in caught.value.message
    assert "empty" not in caught.value.message


def test_retries_stop_at_the_overall_deadline(server):
    """With `until` already near, no further attempt starts: the refresh's deadline bounds all retries."""
    import time

    url = server.route("/down", Reply(b"boom", status=503, content_type="text/plain"))
    with pytest.raises(feeds.FeedError):
        feeds.fetch(
            url, timeout=2.0, backoff=5.0, retries=5, until=time.monotonic() + 1.0, sleep=lambda s: None
        )
    assert server.hits("/down") == 1  # the 5-second backoff would pass the deadline: no second try


def test_a_redirect_to_another_port_of_the_same_machine_is_refused(server, other):
    """A redirect to another port (another service on localhost) is not followed."""
    target = other.route("/secret", json_reply({"secret": True}))
    url = server.route("/feed", Reply(b"", status=302, headers={"Location": target}))
    with pytest.raises(feeds.FeedError) as caught:
        feeds.fetch(url, **FAST)
    assert "redirected to another host" in caught.value.message
    assert other.hits("/secret") == 0


def test_a_redirect_to_ftp_is_refused(server):
    """Only http and https redirects are followed."""
    url = server.route("/feed", Reply(b"", status=301, headers={"Location": "ftp://127.0.0.1/etc/passwd"}))
    with pytest.raises(feeds.FeedError) as caught:
        feeds.fetch(url, **FAST)
    assert "only http and https are followed" in caught.value.message


def test_a_redirect_on_the_same_host_is_followed(server):
    """A feed that moved on its own server is still read."""
    server.route("/new", json_reply([{"ok": 1}]))
    url = server.route("/old", Reply(b"", status=301, headers={"Location": "/new"}))
    assert feeds.decode_json(feeds.fetch(url, **FAST).body) == [{"ok": 1}]


def test_a_redirect_to_a_host_the_entry_allows_is_followed(server, other):
    """`redirect_hosts` in a source's entry lets a redirect go to the named host."""
    target = other.route("/feed", json_reply([1]))
    url = server.route("/feed", Reply(b"", status=302, headers={"Location": target}))
    host = target.split("/")[2]
    assert feeds.fetch(url, redirect_hosts=(host,), **FAST).body == b"[1]"


def test_refresh_reads_redirect_hosts_from_sources_toml(tmp_path):
    """The registry entry's redirect_hosts reach the Source; a wrong type names the field."""
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "x"\nformat = "bmlt"\nurl = "http://127.0.0.1/"\nredirect_hosts = ["a.example"]\n'
    )
    assert refresh.load_sources(path)[0].redirect_hosts == ("a.example",)
    path.write_text(
        '[[source]]\nname = "x"\nformat = "bmlt"\nurl = "http://127.0.0.1/"\nredirect_hosts = 3\n'
    )
    with pytest.raises(refresh.SourcesError, match="redirect_hosts"):
        refresh.load_sources(path)


def test_refresh_of_a_trickling_feed_fails_within_its_deadline(server, tmp_path):
    """fetch_source gives up at the source's deadline and keeps the honest message."""
    url = server.route("/slow", Reply(b"[" + b" " * 4000 + b"]", trickle=0.01))
    source = refresh.Source(name="slow", format="meeting-guide", url=url)
    options = refresh.FetchOptions(timeout=2.0, retries=3, backoff=0.0, request_deadline=1.0, deadline=1.5)
    fetched = refresh.fetch_source(source, options=options)
    assert fetched.error is not None and "too slow" in fetched.error.message
    assert server.hits("/slow") == 1
