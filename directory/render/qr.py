"""QR codes that take a reader of a printout to a resource's website or listing (segno, drawn offline).

A QR code is made from a web address only; anything else yields nothing, so a hostile record cannot
smuggle a `javascript:` link onto paper.
"""

from __future__ import annotations

import io
import re

import segno

from directory.schema import Resource

_WEB_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
# A QR code holds at most ~2,300 bytes at level M; beyond ~500 it is too dense to scan from paper.
MAX_URL = 500


def safe_url(url: str) -> str:
    """The address when it is a plain http(s) link of reasonable length, else an empty string."""
    url = (url or "").strip()
    return url if _WEB_RE.match(url) and len(url) <= MAX_URL else ""


def resource_url(resource: Resource) -> str:
    """Where the QR code of a resource points: its website, else its join link, else its source listing."""
    for candidate in (resource.website, resource.conference_url, resource.source_url):
        url = safe_url(candidate)
        if url:
            return url
    return ""


def qr_matrix(url: str) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code of a web address, without the quiet zone."""
    if not safe_url(url):
        return []
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m", micro=False).matrix]


def qr_png(url: str, *, scale: int = 4) -> bytes:
    """A PNG image of the QR code (empty bytes when the address is not a web link)."""
    if not safe_url(url):
        return b""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 3) -> str:
    """An inline SVG element of the QR code, safe to embed in HTML (empty when not a web link)."""
    if not safe_url(url):
        return ""
    return segno.make(url, error="m", micro=False).svg_inline(scale=scale, border=2, title="QR code")
