"""QR codes that take a reader of a printout to a resource's website or listing (segno, drawn offline).

A QR code is made from a web address only; anything else yields nothing, so a hostile record cannot
smuggle a `javascript:` link onto paper.
"""

from __future__ import annotations

import functools
import io
import os
import re
from urllib.parse import quote

import segno

from directory.schema import Resource

_WEB_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
# A QR code holds at most ~2,300 bytes at level M; beyond ~500 it is too dense to scan from paper.
MAX_URL = 500
# Every mask pattern gives a valid code that readers decode. Letting segno score all eight took a quarter
# of a 200-item PDF's time, so one fixed pattern is used (decoding is checked in tests/test_exports.py).
MASK = 0
ERROR_LEVEL = "m"  # at least ~15% recoverable (segno raises it when the code size allows)


def safe_url(url: str) -> str:
    """The address when it is a plain http(s) link of reasonable length, else an empty string."""
    url = (url or "").strip()
    return url if _WEB_RE.match(url) and len(url) <= MAX_URL else ""


# Where the app is published (e.g. https://aftercare.example.org): QR codes then open its own details page.
PUBLIC_URL_ENV = "AFTERCARE_PUBLIC_URL"


def details_url(resource: Resource, public_url: str | None = None) -> str:
    """The app's own details page of the resource, when the app's public address is known ("" otherwise)."""
    base = (os.environ.get(PUBLIC_URL_ENV, "") if public_url is None else public_url).strip().rstrip("/")
    return safe_url(f"{base}/details?id={quote(resource.id, safe='')}") if safe_url(base) else ""


def resource_url(resource: Resource, public_url: str | None = None) -> str:
    """Where the QR code of a resource points: the listing itself, never the data set it came from.

    The app's details page when AFTERCARE_PUBLIC_URL is set, else the resource's own website, else its
    join link (an online meeting), else nothing (no QR code). The source address is never used: for
    SAMHSA sites it is a research data set's DOI, for some meetings a newspaper article.
    """
    for candidate in (details_url(resource, public_url), resource.website, resource.conference_url):
        url = safe_url(candidate)
        if url:
            return url
    return ""


@functools.lru_cache(maxsize=1024)
def _code(url: str) -> segno.QRCode | None:
    # Cached per address: a list's PDF and print view, and a plan's, draw the same codes again.
    if not safe_url(url):
        return None
    return segno.make(url, error=ERROR_LEVEL, micro=False, mask=MASK)


@functools.lru_cache(maxsize=1024)
def dark_runs(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]] | None:
    """(modules per side, (row, first column, length) of every horizontal run of dark modules), or None
    when the address is not a web link: what a vector drawing of the code needs."""
    code = _code(url)
    if code is None:
        return None
    runs = []
    for row_index, row in enumerate(code.matrix):
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                runs.append((row_index, start, col - start))
            else:
                col += 1
    return len(code.matrix), tuple(runs)


def qr_png(url: str, *, scale: int = 4) -> bytes:
    """A PNG image of the QR code (empty bytes when the address is not a web link)."""
    code = _code(url)
    if code is None:
        return b""
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 3) -> str:
    """An inline SVG element of the QR code, safe to embed in HTML (empty when not a web link)."""
    code = _code(url)
    return code.svg_inline(scale=scale, border=2, title="QR code") if code else ""
