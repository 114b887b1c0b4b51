"""Fallback fonts for the PDF: after DejaVu Sans, Noto Sans CJK and Symbola (emoji), from Debian's packages.

DejaVu has no Chinese, Japanese or Korean letters and no emoji, so a name written in them used to print
blank. fpdf2 draws a character the current font lacks from the first fallback font that has it. The
fallbacks are loaded only when a text needs them (Noto CJK takes about a second to read), and only
those installed are used: `.ci/ensure-system-deps` installs `fonts-noto-cjk` and `fonts-symbola`.
"""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

from fpdf import FPDF

# (family name in the PDF, Debian path, face index in a collection, fontconfig pattern if moved)
FALLBACKS: tuple[tuple[str, str, int, str], ...] = (
    # NotoSansCJK-Regular.ttc holds JP, KR, SC, TC, HK faces; each has the Han, kana and Hangul letters.
    ("NotoSansCJK", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, "Noto Sans CJK SC"),
    ("Symbola", "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", 0, "Symbola"),
)
PACKAGES = ("fonts-noto-cjk", "fonts-symbola")


@cache
def _located(path: str, pattern: str) -> str:
    """The font file: the Debian location, else where fontconfig finds the family; "" when absent."""
    if Path(path).is_file():
        return path
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{file}", pattern], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    # fc-match always answers with something; only a file of the asked family will do.
    return found if found and Path(found).is_file() and pattern.split()[0].lower() in found.lower() else ""


def available() -> list[tuple[str, str, int]]:
    """(family, file, face index) of the fallback fonts installed on this machine, in fallback order."""
    out = []
    for family, path, index, pattern in FALLBACKS:
        found = _located(path, pattern)
        if found:
            out.append((family, found, index if found.endswith((".ttc", ".otc")) else 0))
    return out


def install(pdf: FPDF) -> frozenset[int]:
    """Add the installed fallback fonts to `pdf` (regular style, used for bold too); their code points."""
    families: list[str] = []
    glyphs: set[int] = set()
    for family, path, index in available():
        key = family.lower()
        if key not in pdf.fonts:
            pdf.add_font(family, "", path, collection_font_number=index)
        families.append(family)
        glyphs.update(pdf.fonts[key].cmap)
    if families:
        pdf.set_fallback_fonts(families, exact_match=False)
    return frozenset(glyphs)
