"""A tab's Streamlit websocket under the test's control, to replay a slow server or a slow network exactly.

`HeldStream(tab)` passes every message both ways until `hold()`: from then on the server's messages wait
here (the page keeps showing what it had), while the page's own messages still reach the server, until
`release()` delivers the waiting ones in order. The messages are Streamlit's protobufs (BackMsg from the
page, ForwardMsg from the server), read here to wait for a given one and changed in one case only:
`fold_next_rerun()` replays a page that sent a choice made outside a fragment inside that fragment's rerun
and no whole-page rerun after it (seen in Chromium when a click met the map's own report).
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, WebSocketRoute
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STREAM = re.compile(r".*/_stcore/stream$")
# Counts the messages the page's websockets have dispatched (before the app's own handler sees each one).
_COUNT_RECEIVED = """(() => {
  const Native = window.WebSocket;
  window.__heldStreamReceived = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__heldStreamReceived += 1; });
    }
  };
})();"""


def _bytes(message: str | bytes) -> bytes:
    return message if isinstance(message, bytes) else message.encode()


class HeldStream:
    """Routes the tab's `/_stcore/stream` websocket through the test (install before opening the app)."""

    def __init__(self, tab: Page) -> None:
        self.tab = tab
        self.holding = False
        self.waiting: list[str | bytes] = []  # the server's messages not yet delivered to the page
        self.sent: list[BackMsg] = []  # every message the page sent, in order
        self.received: list[ForwardMsg] = []  # every message the server sent, held or not
        self.delivered = 0  # messages handed to the page
        self.fold_into: str | None = (
            None  # a fragment id: the page's next whole-page rerun is sent as its rerun
        )
        self._page: WebSocketRoute | None = None
        tab.add_init_script(_COUNT_RECEIVED)
        tab.route_web_socket(STREAM, self._connect)

    def _connect(self, page_side: WebSocketRoute) -> None:
        self._page = page_side
        server_side = page_side.connect_to_server()

        def from_page(message: str | bytes) -> None:
            sent = BackMsg.FromString(_bytes(message))
            if (
                self.fold_into
                and sent.WhichOneof("type") == "rerun_script"
                and not sent.rerun_script.fragment_id
            ):
                sent.rerun_script.fragment_id, self.fold_into = self.fold_into, None
                message = sent.SerializeToString()
            self.sent.append(sent)
            server_side.send(message)

        def from_server(message: str | bytes) -> None:
            self.received.append(ForwardMsg.FromString(_bytes(message)))
            if self.holding:
                self.waiting.append(message)
            else:
                self._deliver(message)

        page_side.on_message(from_page)
        server_side.on_message(from_server)

    def fold_next_rerun(self) -> None:
        """Send the page's next whole-page rerun as a rerun of the fragment the page last reran (its widget
        values, the new choice included, unchanged): what the page sent when a choice met a fragment's report."""
        reruns = [m.rerun_script.fragment_id for m in self.sent if m.WhichOneof("type") == "rerun_script"]
        fragments = [f for f in reruns if f]
        assert fragments, "the page has rerun no fragment yet"
        self.fold_into = fragments[-1]

    def hold(self) -> None:
        """From now on the server's messages wait until `release()`."""
        self.holding = True

    def release(self) -> None:
        """Deliver the waiting messages in order and pass the next ones straight through."""
        self.holding = False
        waiting, self.waiting = self.waiting, []
        for message in waiting:
            self._deliver(message)

    def _deliver(self, message: str | bytes) -> None:
        self.delivered += 1
        self._page.send(message)

    def wait_until_page_has_everything(self, timeout_s: float = 30.0) -> None:
        """Until the page has dispatched every message delivered to it, then two frames more (its render)."""
        self.wait_until(
            lambda: self.tab.evaluate("() => window.__heldStreamReceived") >= self.delivered,
            "the page to take every message delivered to it",
            timeout_s,
        )
        self.tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def runs_finished(self) -> int:
        """How many script runs (whole page or fragment) the server has reported finished so far."""
        return sum(1 for msg in self.received if msg.WhichOneof("type") == "script_finished")

    def fragment_reruns_sent(self) -> int:
        """How many reruns of a fragment (e.g. the map reporting its view) the page has asked for."""
        return sum(
            1
            for msg in self.sent
            if msg.WhichOneof("type") == "rerun_script" and msg.rerun_script.fragment_id
        )

    def wait_until(self, condition, what: str, timeout_s: float = 30.0) -> None:
        """Let the tab's events run until `condition()` holds; fail naming `what` after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up after {timeout_s:.0f} s waiting for {what}")
            self.tab.wait_for_timeout(50)  # runs Playwright's event loop: the routes above get their turn
