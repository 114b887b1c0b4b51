"""PDF font fallback (issue 12, item 12): Chinese, Japanese, Korean and emoji in a name are drawn, not dropped."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from directory.render import fallback_fonts
from directory.render.exports import export_referral_list
from tests.app_catalog import test_records as generated_records

NAMES = ("北京互助小组", "日本語のミーティング", "한국어 모임", "Hope 🙏 Group 😀", "Łódź – café ✓ Año")

needs_tools = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="poppler-utils is not installed"
)
needs_fonts = pytest.mark.skipif(
    len(fallback_fonts.available()) < len(fallback_fonts.FALLBACKS),
    reason=f"install {' '.join(fallback_fonts.PACKAGES)} (.ci/ensure-system-deps does as root)",
)


def pdf_of_names(tmp_path):
    records = [r.replace(name=f"Generated test {name}") for r, name in zip(generated_records(), NAMES)]
    path = tmp_path / "list.pdf"
    path.write_bytes(export_referral_list(records, "pdf", generated=date(2026, 1, 15)))
    return path


@needs_tools
@needs_fonts
def test_every_character_of_a_cjk_or_emoji_name_reaches_the_printout(tmp_path):
    path = pdf_of_names(tmp_path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for name in NAMES:
        assert name in text, name
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts and "Symbola" in fonts and "DejaVuSans" in fonts


@needs_tools
def test_a_latin_only_printout_does_not_load_the_fallbacks(tmp_path):
    """The fallback fonts are read only when a text needs them (Noto CJK takes a second to read)."""
    path = tmp_path / "latin.pdf"
    path.write_bytes(export_referral_list(generated_records()[:2], "pdf", generated=date(2026, 1, 15)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" not in fonts and "Symbola" not in fonts
