"""Progress reporting for long jobs (a feed refresh, a large import): one callback shape for every front end.

A job calls `progress(done, total, label)`; the command line draws a text bar on stderr and the app
wraps `st.progress` around the same callback. `total` 0 means "not known yet".
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[int, int, str], None]


def silent(done: int, total: int, label: str) -> None:
    """The callback for callers that want no progress shown."""


class TextProgressBar:
    """A one-line text bar, redrawn in place: `[#########-----------]  45%  label`.

    Redraws at most every `interval` seconds (always on the last step), so a job reporting every
    record does not spend its time writing to the terminal. When the stream is not a terminal (a
    log file, a cron job) it writes nothing: the command's own summary lines say what happened.
    """

    def __init__(self, stream: TextIO | None = None, width: int = 30, interval: float = 0.1):
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.interval = interval
        self._last_draw = 0.0
        self._last_label = ""
        self._open_line = False
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        finished = total > 0 and done >= total
        if not self._tty:
            return
        if not finished and label == self._last_label and now - self._last_draw < self.interval:
            return
        self._last_draw, self._last_label = now, label
        if total > 0:
            share = min(max(done / total, 0.0), 1.0)
            filled = int(round(share * self.width))
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"\r[{bar}] {share * 100:3.0f}%  {label}"
        else:
            line = f"\r[{'.' * self.width}]       {label}"
        self.stream.write(line[:160].ljust(60))
        self._open_line = True
        if finished:
            self.finish()
        self.stream.flush()

    def clear(self) -> None:
        """Remove the bar's line, for when a one-line message replaces it."""
        if self._open_line:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()
            self._open_line = False

    def finish(self) -> None:
        """End the bar's line so the next output starts on a fresh one."""
        if self._open_line:
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False
