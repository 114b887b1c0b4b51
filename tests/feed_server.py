"""A local HTTP server for feed tests: serves scripted replies on 127.0.0.1 from a background thread.

Each path has a list of replies used in order (the last one repeats): a status, a body, headers,
a delay before answering (for timeouts), a body cut short (for truncated downloads), and an ETag
that turns a matching If-None-Match into 304 Not Modified. Requests are recorded for assertions.

It also builds the GENERATED TEST FIXTURES in feed formats that have no real sample on disk (BMLT)
or whose real sample lies outside the region our validator accepts (FindTreatment in Illinois).
Every name, address and phone number in them is made up and says so ("Generated Test ...", 555-01xx).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Reply:
    """One scripted answer."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate_to: int | None = None  # send only this many bytes of the body, but announce all of it
    etag: str = ""
    trickle: float = 0.0  # seconds between body bytes (a server that never goes quite silent)
    header_trickle: float = 0.0  # seconds between bytes of the status line and headers


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class FeedServer:
    """Start with `with FeedServer() as server:`; `server.url(path)` is the address of a scripted path."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.counts: dict[str, int] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                server._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *replies: Reply) -> str:
        """Script the replies for a path (query strings are matched too when the path has one)."""
        with self._lock:
            self.routes[path] = list(replies)
            self.counts[path] = 0
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path.split("?")[0] == path or r.path == path)

    def _match(self, path: str) -> str | None:
        """The exact path and query, else a route whose query parameters the request all has, else the path."""
        if path in self.routes:
            return path
        base, _, query = path.partition("?")
        params = set(parse_qsl(query))
        for key in self.routes:
            key_base, _, key_query = key.partition("?")
            if key_query and key_base == base and set(parse_qsl(key_query)) <= params:
                return key
        return base if base in self.routes else None

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.requests.append(Seen(path, {k.lower(): v for k, v in handler.headers.items()}))
            key = self._match(path)
            replies = self.routes.get(key) if key else None
            if replies is None:
                reply = Reply(b"not found", status=404, content_type="text/plain")
            else:
                index = min(self.counts[key], len(replies) - 1)
                self.counts[key] += 1
                reply = replies[index]
        if reply.delay:
            time.sleep(reply.delay)
        try:
            if reply.header_trickle:
                head = f"HTTP/1.1 {reply.status} OK\r\nContent-Type: {reply.content_type}\r\n"
                for byte in (head * 200).encode():
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(reply.header_trickle)
                return
            if reply.etag and handler.headers.get("If-None-Match") == reply.etag:
                handler.send_response(304)
                handler.send_header("ETag", reply.etag)
                handler.end_headers()
                return
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(reply.body)))
            if reply.etag:
                handler.send_header("ETag", reply.etag)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            body = reply.body if reply.truncate_to is None else reply.body[: reply.truncate_to]
            if reply.trickle:
                for byte in body:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(reply.trickle)
            else:
                handler.wfile.write(body)
            handler.wfile.flush()
            if reply.truncate_to is not None:
                handler.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to do


def json_reply(data: Any, **kwargs: Any) -> Reply:
    return Reply(json.dumps(data).encode("utf-8"), **kwargs)


# GENERATED TEST FIXTURES: synthetic records, never real meetings or facilities.
def generated_bmlt_meetings(count: int = 6) -> dict[str, Any]:
    """A BMLT GetSearchResults envelope ({meetings, formats}) of made-up meetings in central Illinois.

    Built from the field list of the BMLT semantic API (../shared/data/specs/bmlt/) and DESIGN.md.
    """
    formats = [
        {"key_string": "O", "name_string": "Open", "world_id": "OPEN", "id": "17"},
        {"key_string": "W", "name_string": "Women", "world_id": "W", "id": "32"},
        {"key_string": "WC", "name_string": "Wheelchair Accessible", "world_id": "WCHR", "id": "33"},
        {"key_string": "VM", "name_string": "Virtual Meeting", "world_id": "VM", "id": "54"},
        {"key_string": "HY", "name_string": "Hybrid", "world_id": "HYBR", "id": "56"},
        {"key_string": "ES", "name_string": "Spanish", "world_id": "LANG", "id": "60"},
        {"key_string": "TC", "name_string": "Temporarily Closed", "world_id": "TC", "id": "55"},
    ]
    meetings = []
    for n in range(1, count + 1):
        venue = "2" if n % 3 == 0 else ("3" if n % 3 == 2 else "1")
        codes = (
            ["O"]
            + (["W", "WC"] if n % 2 else ["ES"])
            + (["VM"] if venue == "2" else ["HY"] if venue == "3" else [])
        )
        meetings.append(
            {
                "id_bigint": str(1000 + n),
                "meeting_name": f"Generated Test Meeting {n}",
                "weekday_tinyint": str((n % 7) + 1),
                "venue_type": venue,
                "start_time": f"{18 + n % 3:02d}:30:00",
                "duration_time": "01:30:00",
                "formats": ",".join(codes),
                "latitude": f"{39.80 + n * 0.01:.4f}",
                "longitude": f"{-89.65 - n * 0.01:.4f}",
                "location_text": f"Generated Test Hall {n}",
                "location_street": f"{100 + n} Test Street",
                "location_municipality": "Testville",
                "location_province": "IL",
                "location_postal_code_1": "",
                "location_sub_province": "",
                "location_info": "Generated test record, not a real meeting.",
                "virtual_meeting_link": f"https://example.org/generated-test-{n}" if venue != "1" else "",
                "phone_meeting_number": "",
                "comments": "",
            }
        )
    return {"meetings": meetings, "formats": formats}


def generated_findtreatment_pages(
    count: int = 6, per_page: int = 4, phone_suffix: int = 0
) -> list[dict[str, Any]]:
    """FindTreatment locator pages of made-up Illinois facilities (555-01xx phone numbers)."""
    rows = []
    for n in range(1, count + 1):
        rows.append(
            {
                "_irow": n,
                "frid": f"generated-test-facility-{n:03d}",
                "name1": f"Generated Test Facility {n}",
                "name2": "",
                "street1": f"{200 + n} Example Avenue",
                "street2": "",
                "city": "Testville",
                "state": "IL",
                "zip": "",
                "phone": f"217-555-01{(n + phone_suffix) % 100:02d}",
                "intake1": None,
                "hotline1": None,
                "typeFacility": "SA",
                "website": "",
                "latitude": f"{40.10 + n * 0.01:.4f}",
                "longitude": f"{-88.20 - n * 0.01:.4f}",
                "services": [
                    {"f1": "Type of Care", "f2": "TC", "f3": "Substance use treatment"},
                    {
                        "f1": "Service Settings",
                        "f2": "SET",
                        "f3": "Outpatient; Intensive outpatient treatment",
                    },
                    {"f1": "Type of Opioid Treatment", "f2": "OT", "f3": "Buprenorphine used in Treatment"},
                    {
                        "f1": "Payment/Insurance/Funding Accepted",
                        "f2": "PAY",
                        "f3": "Medicaid; Cash or self-payment",
                    },
                ],
            }
        )
    pages = []
    total = (len(rows) + per_page - 1) // per_page
    for p in range(total):
        pages.append(
            {
                "page": p + 1,
                "totalPages": total,
                "recordCount": len(rows),
                "rows": rows[p * per_page : (p + 1) * per_page],
            }
        )
    return pages
