"""Fetching feeds against a local server: retries, timeouts, truncation, error pages, 304, size cap, no network."""

from __future__ import annotations

import json
import socket

import pytest

from directory import feeds
from tests.feed_server import FeedServer, Reply, json_reply

FAST = dict(timeout=2.0, backoff=0.0)


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_fetch_sends_a_real_user_agent_and_accepts_json(server):
    """It identifies the directory in the User-Agent instead of the library default."""
    url = server.route("/feed", json_reply([]))
    feeds.fetch(url, **FAST)
    headers = server.requests[0].headers
    assert headers["user-agent"].startswith("IllinoisAftercareDirectory/")
    assert "Python-urllib/" not in headers["user-agent"]
    assert "application/json" in headers["accept"]


def test_fetch_retries_a_server_error_then_succeeds(server):
    """An HTTP 500 is retried and the second answer is used."""
    url = server.route("/feed", Reply(b"boom", status=500, content_type="text/plain"), json_reply([{"a": 1}]))
    response = feeds.fetch(url, retries=2, **FAST)
    assert response.status == 200 and response.attempts == 2
    assert json.loads(response.body) == [{"a": 1}]
    assert server.hits("/feed") == 2


def test_fetch_gives_up_after_the_retries(server):
    """A server that keeps failing ends in a FeedError after retries + 1 tries, not an endless loop."""
    url = server.route("/feed", Reply(b"down", status=503, content_type="text/plain"))
    waits: list[float] = []
    with pytest.raises(feeds.FeedError, match="503") as caught:
        feeds.fetch(url, retries=2, timeout=2.0, backoff=0.5, sleep=waits.append)
    assert not isinstance(caught.value, feeds.NetworkUnavailable)
    assert server.hits("/feed") == 3
    assert waits == [0.5, 1.0]  # doubling backoff


def test_fetch_does_not_retry_a_client_error(server):
    """A 404 is the address's fault: it fails at once and says to check the address."""
    url = server.route("/feed", Reply(b"no", status=404, content_type="text/plain"))
    with pytest.raises(feeds.FeedError, match="check the address"):
        feeds.fetch(url, retries=3, **FAST)
    assert server.hits("/feed") == 1


def test_fetch_times_out_and_says_so(server):
    """A server slower than the timeout is retried, then reported as not answering in time."""
    url = server.route("/feed", Reply(b"[]", delay=1.0))
    with pytest.raises(feeds.FeedError, match="no answer within 0.2 seconds") as caught:
        feeds.fetch(url, timeout=0.2, retries=1, backoff=0.0)
    assert not isinstance(caught.value, feeds.NetworkUnavailable)
    assert server.hits("/feed") == 2


def test_fetch_detects_a_download_cut_short(server):
    """A body shorter than its Content-Length is reported as truncated, never returned as data."""
    url = server.route("/feed", Reply(json.dumps([{"x": i} for i in range(200)]).encode(), truncate_to=300))
    with pytest.raises(feeds.FeedError, match="truncated"):
        feeds.fetch(url, retries=0, **FAST)


def test_fetch_enforces_the_size_cap(server):
    """A response over max_bytes is refused, whether announced or streamed."""
    url = server.route("/feed", json_reply([{"x": "y" * 100}] * 50))
    with pytest.raises(feeds.FeedError, match="limit"):
        feeds.fetch(url, max_bytes=1000, **FAST)
    small = feeds.fetch(url, max_bytes=100_000, **FAST)
    assert len(small.body) > 1000


def test_fetch_sends_validators_and_returns_not_modified(server):
    """With the ETag of the last fetch, an unchanged feed answers 304 and no body."""
    url = server.route("/feed", json_reply([1, 2], etag='"v7"'))
    first = feeds.fetch(url, **FAST)
    assert first.etag == '"v7"' and not first.not_modified
    second = feeds.fetch(url, etag=first.etag, last_modified="Tue, 01 Apr 2025 10:00:00 GMT", **FAST)
    assert second.not_modified and second.body == b""
    assert server.requests[1].headers["if-none-match"] == '"v7"'
    assert "if-modified-since" in server.requests[1].headers


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("closed", id="closed-port"),
        pytest.param("http://feeds.invalid/meetings.json", id="unresolvable"),
    ],
)
def test_fetch_without_a_network_fails_fast_as_network_unavailable(url):
    """No route to the host raises NetworkUnavailable after one try (no pointless retries)."""
    if url == "closed":
        url = f"http://127.0.0.1:{_closed_port()}/feed"
    waits: list[float] = []
    with pytest.raises(feeds.NetworkUnavailable, match="cannot reach"):
        feeds.fetch(url, retries=3, timeout=2.0, sleep=waits.append)
    assert waits == []


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            b"<!DOCTYPE html><html><head><title>Site Maintenance</title></head><body>x</body></html>",
            "text/html",
            "web page instead of data.*Site Maintenance",
        ),
        (b"<html><body>Error</body></html>", "application/json", "web page instead of data"),
        (b'[{"slug": "a", "name": "Generated', "application/json", "stops part-way"),
        (b'[{"slug": "a",, "x": 1}]', "application/json", "not valid JSON"),
        (b"   ", "application/json", "empty"),
    ],
    ids=["html-page", "html-labelled-json", "truncated-json", "broken-json", "empty"],
)
def test_decode_json_rejects_what_is_not_data(body, content_type, message):
    """Error pages served with status 200, cut-short and broken JSON are errors naming the problem."""
    with pytest.raises(feeds.FeedError, match=message):
        feeds.decode_json(body, "http://127.0.0.1/feed", content_type)


def test_decode_json_reads_valid_json_with_a_byte_order_mark():
    """A UTF-8 BOM in front of valid JSON is not an error."""
    assert feeds.decode_json(b"\xef\xbb\xbf[1, 2]", "feed", "application/json") == [1, 2]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("19:30", "19:30"), ("9:05", "09:05"), ("07:00:00", "07:00"), ("23:59", "23:59")],
)
def test_clock_normalises_times(value, expected):
    """Feed times in several spellings become HH:MM."""
    assert feeds.clock(value) == expected


@pytest.mark.parametrize("value", ["24:00", "7pm", "", None, "12:60"])
def test_clock_rejects_what_is_not_a_time(value):
    """Impossible or unparseable times raise ValueError instead of becoming a wrong slot."""
    with pytest.raises(ValueError):
        feeds.clock(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(64113, "64113"), (2138, "02138"), ("62701-1234", "62701"), ("", ""), ("ABC 1234", "")],
)
def test_zip5_keeps_five_digits(value, expected):
    """ZIPs lose their +4 part and regain a leading zero an integer dropped; junk becomes blank."""
    assert feeds.zip5(value) == expected
