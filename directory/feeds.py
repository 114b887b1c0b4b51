"""Live feeds: fetching them politely and defensively, and reading their JSON into checked records.

Fetching uses timeouts, a few retries with backoff on server errors and timeouts, a real User-Agent,
conditional requests (ETag / Last-Modified), a size cap, and checks that what came back is data and
not an HTML error page or a download cut short. The importers of feed formats share the reading
helpers at the bottom (payload decoding, offline placing, validation).
"""

from __future__ import annotations

import errno
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from directory import fetch_limits, guard
from directory.schema import Problem, Resource, clean_text, remember_valid, validate

if TYPE_CHECKING:
    from directory import geo

USER_AGENT = (
    "IllinoisAftercareDirectory/0.1 (Illinois recovery-resource directory; weekly refresh of public "
    "meeting and treatment listings; Python urllib)"
)
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024


class FeedError(Exception):
    """A feed could not be fetched or read; `str()` is one sentence naming the feed and the fix."""

    kind = "failed"

    def __init__(self, url: str, message: str):
        self.url = url
        self.message = message
        super().__init__(f"{_host(url) or url}: {message}")


class NetworkUnavailable(FeedError):
    """No route to the server at all (no network, unknown host, nothing listening): nothing was fetched."""

    kind = "no_network"


@dataclass
class Response:
    """What a fetch brought back. `not_modified` means the server answered 304 and `body` is empty."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    attempts: int = 1
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc


def build_url(url: str, query: dict[str, Any] | str | None = None) -> str:
    """The URL with the query appended (a dict is encoded; list values repeat the key)."""
    if not query:
        return url
    text = query if isinstance(query, str) else urllib.parse.urlencode(query, doseq=True)
    return f"{url}{'&' if '?' in url else '?'}{text.lstrip('?&')}"


def fetch(
    url: str,
    *,
    query: dict[str, Any] | str | None = None,
    etag: str = "",
    last_modified: str = "",
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    max_bytes: int = DEFAULT_MAX_BYTES,
    user_agent: str = USER_AGENT,
    accept: str = "application/json",
    sleep: Callable[[float], None] = time.sleep,
    total_timeout: float | None = None,
    until: float | None = None,
    redirect_hosts: tuple[str, ...] = (),
) -> Response:
    """GET a URL; retry server errors (5xx, 429) and timeouts `retries` times with doubling waits.

    Every wait is bounded: `timeout` for connecting and for each silence of the server; one request,
    headers and whole body, within `total_timeout` (default four times `timeout`); and everything,
    retries included, before `until` (a `time.monotonic()` value: a refresh's overall deadline).
    Redirects are followed only to http(s) on the same host, or to a host in `redirect_hosts`.

    Raises NetworkUnavailable when the host cannot be reached at all (no retries: there is no point),
    FeedError for anything else that ends without data. A 304 answer comes back as a Response.
    """
    full = build_url(url, query)
    if urllib.parse.urlsplit(full).scheme not in ("http", "https"):
        raise FeedError(full, "the address must start with http:// or https://")
    headers = {"User-Agent": user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    per_request = total_timeout if total_timeout is not None else 4 * timeout
    last_problem = ""
    for attempt in range(1, retries + 2):
        if attempt > 1:
            wait = backoff * 2 ** (attempt - 2)
            if until is not None and time.monotonic() + wait >= until:
                break
            sleep(wait)
        request_until = time.monotonic() + per_request
        if until is not None:
            request_until = min(request_until, until)
        if request_until <= time.monotonic():
            break
        watchdog = fetch_limits.Watchdog(request_until)
        opener = urllib.request.build_opener(
            fetch_limits.HttpHandler(watchdog),
            fetch_limits.HttpsHandler(watchdog),
            fetch_limits.SameHostRedirects(full, redirect_hosts),
        )
        request = urllib.request.Request(full, headers=headers, method="GET")
        received = [0]
        try:
            watchdog.start()
            with opener.open(request, timeout=min(timeout, watchdog.remaining())) as resp:
                body = _read_capped(resp, full, max_bytes, received)
                if watchdog.fired:  # the deadline cut the answer short, wherever it was
                    raise TimeoutError
                return _response(full, resp.status, body, resp.headers, attempt)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return _response(full, 304, b"", exc.headers, attempt)
            exc.close()
            if exc.code in _RETRY_STATUSES:
                last_problem = f"the server answered {exc.code} {exc.reason}"
                continue
            raise FeedError(full, f"the server answered {exc.code} {exc.reason}; check the address") from exc
        except Exception as exc:  # noqa: BLE001 - sorted into honest messages below
            problem = _fetch_problem(exc, full, timeout, per_request, watchdog, received[0])
            if problem is None:
                raise
            if isinstance(problem, FeedError):
                raise problem from exc
            last_problem = problem
        finally:
            watchdog.cancel()
    tries = retries + 1
    if not last_problem:
        raise FeedError(
            full, "the refresh ran out of time before this feed could be fetched; try again later"
        )
    raise FeedError(full, f"{last_problem} ({tries} {'try' if tries == 1 else 'tries'}); try again later")


def _fetch_problem(
    exc: BaseException,
    url: str,
    timeout: float,
    per_request: float,
    watchdog: fetch_limits.Watchdog,
    received: int,
) -> FeedError | str | None:
    """What went wrong, as a FeedError to raise, a retryable problem, or None to let it propagate."""
    if isinstance(exc, FeedError) and not watchdog.fired:
        return exc
    if isinstance(exc, fetch_limits.RedirectRefused):
        return FeedError(url, str(exc))
    if watchdog.fired:
        # Our deadline closed the connection: the server was too slow, whatever it was doing.
        if received:
            return FeedError(
                url,
                f"the server sent only {fetch_limits.amount(received)} in {per_request:g} seconds (too slow); "
                "try again later",
            )
        return FeedError(
            url,
            f"the server did not send its answer within {per_request:g} seconds; try again later",
        )
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return f"no answer within {timeout:g} seconds"
        if _unreachable(reason):
            return NetworkUnavailable(url, f"cannot reach the server ({_reason_text(reason)})")
        return FeedError(url, f"the connection failed ({_reason_text(reason)})")
    if isinstance(exc, TimeoutError):
        if received:
            return f"the server stopped sending after {fetch_limits.amount(received)}"
        return f"no answer within {timeout:g} seconds"
    if isinstance(exc, (ConnectionResetError, http.client.RemoteDisconnected, http.client.BadStatusLine)):
        return f"the connection broke off ({exc.__class__.__name__})"
    if isinstance(exc, http.client.IncompleteRead):
        return FeedError(
            url,
            f"the download stopped after {fetch_limits.amount(len(exc.partial))} (truncated); try again later",
        )
    if isinstance(exc, (http.client.HTTPException, ValueError)):
        return FeedError(
            url, f"the server's answer is not valid HTTP ({exc.__class__.__name__}); check the address"
        )
    if isinstance(exc, OSError):
        if _unreachable(exc):
            return NetworkUnavailable(url, f"cannot reach the server ({_reason_text(exc)})")
        return FeedError(url, f"the connection failed ({_reason_text(exc)})")
    return None


def _unreachable(reason: object) -> bool:
    """Whether an error means the host cannot be reached at all, as opposed to a server misbehaving."""
    if isinstance(reason, (socket.gaierror, ConnectionRefusedError)):
        return True
    if isinstance(reason, OSError) and reason.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.ECONNREFUSED,
        errno.EADDRNOTAVAIL,
    ):
        return True
    return False


def _reason_text(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return "the host name cannot be resolved: no network, or a wrong address"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return str(getattr(reason, "strerror", None) or reason)


def _read_capped(
    resp: http.client.HTTPResponse, url: str, max_bytes: int, received_box: list[int] | None = None
) -> bytes:
    """Read the body, decompressing gzip/deflate, and stop as soon as it passes `max_bytes`."""
    too_big = f"the response is larger than the {max_bytes // (1024 * 1024) or max_bytes} " + (
        "MB limit" if max_bytes >= 1024 * 1024 else "byte limit"
    )
    length = resp.headers.get("Content-Length", "") or ""
    length = length.strip() if length.strip().isascii() and len(length.strip()) <= 18 else ""
    if length.isdigit() and int(length) > max_bytes:
        raise FeedError(url, f"{too_big} ({int(length)} bytes announced); raise max_bytes if it is expected")
    encoding = (resp.headers.get("Content-Encoding") or "").lower()
    inflater = (
        zlib.decompressobj(16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS)
        if encoding
        in (
            "gzip",
            "deflate",
        )
        else None
    )
    parts: list[bytes] = []
    size = received = 0
    while True:
        chunk = resp.read1(_CHUNK) if hasattr(resp, "read1") else resp.read(_CHUNK)
        if not chunk:
            break
        received += len(chunk)
        if received_box is not None:
            received_box[0] = received
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as exc:
                raise FeedError(url, f"the compressed response is damaged ({exc})") from exc
        size += len(chunk)
        if size > max_bytes:
            raise FeedError(url, f"{too_big}; raise max_bytes if it is expected")
        parts.append(chunk)
    # http.client stops quietly when the server closes early; the announced length tells us.
    if length.isdigit() and received < int(length):
        raise FeedError(
            url, f"the download stopped after {received} of {int(length)} bytes (truncated); try again later"
        )
    return b"".join(parts)


def _response(url: str, status: int, body: bytes, headers: Any, attempts: int) -> Response:
    get = headers.get if headers is not None else (lambda k, d="": d)
    return Response(
        url=url,
        status=status,
        body=body,
        content_type=(get("Content-Type", "") or "").lower(),
        etag=get("ETag", "") or "",
        last_modified=get("Last-Modified", "") or "",
        attempts=attempts,
        headers={k.lower(): v for k, v in headers.items()} if headers is not None else {},
    )


# Reading payloads
_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def decode_json(body: bytes, where: str = "", content_type: str = "") -> Any:
    """Parse a JSON payload; FeedError for an empty body, an HTML page, or JSON cut short or broken."""
    where = where or "the feed"
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise FeedError(where, "the response is empty; the feed may be down, try again later")
    if "html" in content_type or text[:1] == b"<":
        title = _TITLE_RE.search(text[:20000])
        hint = (
            f" (page title: '{clean_text(title.group(1).decode('utf-8', 'replace'))[:80]}')" if title else ""
        )
        raise FeedError(
            where, f"the server sent a web page instead of data{hint}; the feed address may have changed"
        )
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        decoded = text.decode("cp1252", errors="replace")
    try:
        return guard.loads(decoded, where)
    except guard.Breach as exc:
        raise FeedError(where, exc.message) from None
    except json.JSONDecodeError as exc:
        stripped = decoded.rstrip()
        opened_not_closed = stripped[:1] in "[{" and stripped[-1:] not in ("]", "}")
        if opened_not_closed or exc.pos >= len(stripped) - 1:
            raise FeedError(
                where,
                f"the data stops part-way (after {len(body)} bytes): the download was cut short or the "
                "feed is broken; try again later",
            ) from exc
        raise FeedError(
            where, f"the data is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc


def source_label(source: Any, file: str = "") -> str:
    """How problems name the input: the given label, else a file's name, else "the feed"."""
    if file:
        return file
    if guard.is_path(source):
        return Path(source).name
    return "the feed"


def load_json(source: str | Path | bytes | Any, file: str = "") -> tuple[Any, str]:
    """A path, bytes or already-decoded JSON → (decoded JSON, a file label for problems)."""
    if guard.is_path(source):
        path = Path(source)
        try:
            data = guard.read_file(path, file)
        except guard.Breach as exc:
            raise FeedError(str(path), exc.message) from None
        return decode_json(data, file or path.name), file or path.name
    if isinstance(source, str):
        source = source.encode("utf-8")
    if isinstance(source, (bytes, bytearray)):
        return decode_json(bytes(source), file or "the feed"), file or "the feed"
    return source, file or "the feed"


@lru_cache(maxsize=4096)
def _place(zip_code: str, city: str, state: str) -> geo.Place | None:
    # geo (numpy, the ZIP table) is loaded on first use, so the store can import this module cheaply.
    from directory import geo

    return geo.locate_offline(zip=zip_code, city=city, state=state or "IL")


def located(
    *,
    zip: str,
    city: str,
    state: str,
    county: str,
    latitude: float | None,
    longitude: float | None,
    online: bool,
) -> dict[str, Any]:
    """Location fields for a new record: the feed's point, else the ZIP or city centre (offline), and the county.

    Online meetings get no point: they are found by format, not by distance.
    """
    fields: dict[str, Any] = {
        "county": county,
        "latitude": None,
        "longitude": None,
        "geocode_precision": "none",
    }
    if latitude is not None and longitude is not None and not online:
        fields.update(latitude=latitude, longitude=longitude, geocode_precision="address")
    if (fields["latitude"] is not None and county) or not (zip or city):
        return fields
    found = _place(zip, city, state)
    if found is None:
        return fields
    if fields["latitude"] is None and not online:
        fields.update(
            latitude=round(found.latitude, 6),
            longitude=round(found.longitude, 6),
            geocode_precision=found.precision,
        )
    if not county and found.county:
        fields["county"] = found.county
    return fields


def place(record: Resource) -> Resource:
    """A record with coordinates from its ZIP or city when it has none, and the county when it lacks one."""
    if record.has_location and record.county:
        return record
    fields = located(
        zip=record.zip,
        city=record.city,
        state=record.state,
        county=record.county,
        latitude=record.latitude,
        longitude=record.longitude,
        online=record.format == "online",
    )
    if record.has_location:
        fields.update(
            latitude=record.latitude, longitude=record.longitude, geocode_precision=record.geocode_precision
        )
    changes = {k: v for k, v in fields.items() if getattr(record, k) != v}
    return record.replace(**changes) if changes else record


def check(record: Resource, row: int, file: str, *, region: bool = True) -> list[Problem]:
    """The record's problems; `region=False` skips the Illinois-and-neighbours box (for out-of-state samples).

    A record with no problem under the full check (region included) is remembered, so that the store
    can take it without validating it a second time (see `schema.is_validated`).
    """
    if not region and record.has_location:
        return validate(record.replace(latitude=None, longitude=None, geocode_precision="none"), row, file)
    problems = validate(record, row, file)
    if not problems:
        remember_valid(record)
    return problems


_DATE_PREFIX_RE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


def iso_date(text: Any, default: str = "") -> str:
    """The date part of "2021-05-26 19:03:46" or "2023-03-15T10:30:45Z"; `default` when there is none."""
    m = _DATE_PREFIX_RE.match(str(text or ""))
    if not m:
        return default
    try:
        return date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return default


_CLOCK_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*$")


def clock(text: Any) -> str:
    """ "9:05", "09:05" or "19:30:00" → "HH:MM"; ValueError for anything else."""
    m = _CLOCK_RE.match(str(text or ""))
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(f"'{str(text)[:20]}' is not a time like 19:30")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def add_minutes(start: str, minutes: int) -> str:
    """The clock time `minutes` after `start`, wrapping past midnight."""
    h, m = (int(p) for p in start.split(":"))
    total = (h * 60 + m + minutes) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


_NOT_DIGIT_RE = re.compile(r"\D")
_SHORT_ZIP_RE = re.compile(r"\d{3,4}")


def zip5(value: Any) -> str:
    """A 5-digit ZIP from "62701", "62701-1234" or the integer 2138 (a lost leading zero)."""
    if isinstance(value, str) and len(value) == 5 and value.isascii() and value.isdigit():
        return value  # the usual case, once per row of a large feed
    text = str(value if value is not None else "").strip()
    digits = _NOT_DIGIT_RE.sub("", text)
    if isinstance(value, int) or _SHORT_ZIP_RE.fullmatch(text):
        digits = digits.zfill(5)
    return digits[:5] if len(digits) >= 5 else ""


def coordinate(value: Any) -> float | None:
    """A float from a number or numeric text, rounded to six decimals; None for blanks and zeros."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or number == 0 or abs(number) > 180:  # NaN, 0 for "unknown", not on Earth
        return None
    return round(number, 6)


def point(latitude: Any, longitude: Any) -> tuple[float | None, float | None]:
    """Both coordinates, or neither when either is missing or not a place on Earth."""
    lat, lon = coordinate(latitude), coordinate(longitude)
    if lat is None or lon is None or abs(lat) > 90:
        return None, None
    return lat, lon


def web_address(value: Any) -> str:
    """A website as http(s) URL: bare host names get https://; anything unusable becomes ""."""
    address = clean_text(value)
    if not address or " " in address:
        return ""
    if not address.lower().startswith(("http://", "https://")):
        address = "https://" + address
    return address if "." in address[8:] else ""


_HTTP_URL_RE = re.compile(r"^https?://\S+$")
_COUNTY_WORD_RE = re.compile(r"\s+County$", re.I)
# Full state names some feeds write, for Illinois and its neighbours.
STATE_NAMES = {
    "illinois": "IL",
    "indiana": "IN",
    "wisconsin": "WI",
    "iowa": "IA",
    "missouri": "MO",
    "kentucky": "KY",
}


def http_url(value: Any) -> str:
    """The text when it is a whole http(s) address without spaces, else "" (a feed's link is not fixed up)."""
    address = clean_text(value)
    return address if _HTTP_URL_RE.match(address) else ""


def state_code(value: Any) -> str:
    """A two-letter state code from "IL", "il" or "Illinois" (neighbours too); "" for anything else."""
    name = clean_text(value)
    code = STATE_NAMES.get(name.lower(), name.upper())
    return code if len(code) == 2 and code.isascii() and code.isalpha() else ""


def county_name(value: Any) -> str:
    """A county without the word "County" ("Cook County" → "Cook"), as the store keeps it."""
    return _COUNTY_WORD_RE.sub("", clean_text(value))
