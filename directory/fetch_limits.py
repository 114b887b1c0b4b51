"""The limits one fetch keeps: an overall deadline, whatever the server does, and where redirects may go.

A socket timeout only bounds one silence, so a server sending a byte a second never trips it: the
`Watchdog` shuts the request's sockets when its deadline passes. `SameHostRedirects` follows a
redirect only to http(s) on the feed's own host, or to a host the source's entry allows.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
import urllib.request


class RedirectRefused(Exception):
    """A redirect the policy does not follow; the message says where it led and what to do."""


def amount(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} byte{'s' if size != 1 else ''}"


class Watchdog:
    """Shuts the request's sockets when its deadline passes, whatever the connection is waiting for.

    A socket timeout only bounds one silence: a server sending one byte a second never trips it.
    """

    def __init__(self, until: float) -> None:
        self.until = until
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def remaining(self) -> float:
        return max(0.001, self.until - time.monotonic())

    def start(self) -> None:
        self._timer = threading.Timer(self.remaining(), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def watch(self, sock: socket.socket | None) -> None:
        # The socket itself is kept: http.client drops the connection's reference once a response begins.
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                self._shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def connection_class(self, base: type) -> type:
        watchdog = self

        class Watched(base):  # type: ignore[misc, valid-type]
            def connect(self) -> None:
                super().connect()
                watchdog.watch(self.sock)

        return Watched


class HttpHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def do_open(self, http_class, req, **kwargs):  # noqa: ANN001 - urllib's own signature
        return super().do_open(self.watchdog.connection_class(http_class), req, **kwargs)


class HttpsHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def do_open(self, http_class, req, **kwargs):  # noqa: ANN001 - urllib's own signature
        return super().do_open(self.watchdog.connection_class(http_class), req, **kwargs)


class SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to http(s) on the feed's own host (or a host its entry allows)."""

    max_redirections = 5

    def __init__(self, url: str, allowed: tuple[str, ...] = ()) -> None:
        super().__init__()
        parts = urllib.parse.urlsplit(url)
        self.origin = _host_port(parts)
        self.allowed = {a.strip().lower() for a in allowed if a.strip()}

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        parts = urllib.parse.urlsplit(newurl)
        if parts.scheme not in ("http", "https"):
            raise RedirectRefused(
                f"the server redirected to a {parts.scheme or 'relative'}: address ({newurl[:100]}); "
                "only http and https are followed"
            )
        target = _host_port(parts)
        if (
            target != self.origin
            and (parts.hostname or "") not in self.allowed
            and parts.netloc.lower() not in self.allowed
        ):
            raise RedirectRefused(
                f"the server redirected to another host ({parts.netloc[:80]}); if that is expected, add it "
                "to the source's redirect_hosts in sources.toml"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _host_port(parts: urllib.parse.SplitResult) -> tuple[str, int | None]:
    try:
        port = parts.port
    except ValueError:
        port = -1
    return (parts.hostname or "").lower(), port
