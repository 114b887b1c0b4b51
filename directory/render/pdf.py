"""The printed page as PDF: an fpdf2 document in DejaVu Sans (US Letter or A4) with blocks for headings,
facts, resources with their QR codes, and the meeting-code legend.

Text is limited to the glyphs the font has and to PRINT_LIMIT characters per field, so hostile catalog
text can neither break the file nor push the layout off the page. The file states its language and
title (shown in the viewer's title bar), embeds its fonts, and makes websites and phone numbers links
(`tel:` / `sms:`). It is not a tagged PDF: the print view (HTML) is the accessible version, and the
PDF's last line says so.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from fpdf import FPDF, ViewerPreferences
from fpdf.enums import XPos, YPos

from directory import phones
from directory.render import fallback_fonts, qr
from directory.render.facts import PRINT_LIMIT, ItemFacts, clip
from directory.words import language, t

# The document language each printout language states in the PDF's metadata (/Lang).
PDF_LANGUAGE = {"en": "en-US", "es": "es-US"}

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Hebrew, Arabic, Syriac, Thaana, N'Ko and the Hebrew/Arabic presentation forms.
_RTL_RE = re.compile("[\u0590-\u07ff\ufb1d-\ufdff\ufe70-\ufeff]")
_SHAPING = (
    importlib.util.find_spec("uharfbuzz") is not None
)  # without it, right-to-left text prints unordered
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEXT_LINE = {"align": "L", "new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class FontMissing(RuntimeError):
    """The Unicode font the PDF needs is not installed."""


@functools.lru_cache(maxsize=1)
def font_files() -> tuple[str, str]:
    """(regular, bold) DejaVu Sans TTF files: the Debian location, else wherever fontconfig finds them."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        return str(regular), str(bold)
    if shutil.which("fc-match"):
        found = [
            subprocess.run(
                ["fc-match", "-f", "%{file}", pattern],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
            for pattern in ("DejaVu Sans:style=Book", "DejaVu Sans:style=Bold")
        ]
        if all(p.endswith(".ttf") and "DejaVuSans" in Path(p).name and Path(p).is_file() for p in found):
            return found[0], found[1]
    raise FontMissing(
        "Making a PDF needs the DejaVu Sans font, which is not installed. "
        "Install it (Debian/Ubuntu: `apt-get install fonts-dejavu-core`) and try again; "
        "the print view (HTML) works without it."
    )


class PrintDocument(FPDF):
    """A US Letter or A4 PDF in DejaVu Sans with a footer, and blocks for headings, facts and resources."""

    def __init__(self, title: str, *, paper: str = "letter", footer: str = "", lang: str | None = None):
        paper = paper.lower()
        if paper not in ("letter", "a4"):
            raise ValueError(f"paper '{paper}' is not supported; use letter or a4")
        super().__init__(orientation="portrait", unit="mm", format=paper)
        regular, bold = font_files()
        self.add_font("DejaVu", "", regular)
        self.add_font("DejaVu", "B", bold)
        self._glyphs = frozenset(self.fonts["dejavu"].cmap) & frozenset(self.fonts["dejavuB"].cmap)
        self._fallbacks_loaded = False  # CJK and emoji fonts, loaded when a text needs them
        self.doc_title = title
        self.footer_text = footer
        # The printout's language (default: the one its renderer set); every word the document adds uses it.
        self.lang = language(lang)
        self.set_title(self.safe(title))
        self.set_lang(PDF_LANGUAGE.get(self.lang, self.lang))
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.set_subject(t("pdf.accessible_note", self.lang))
        self.set_creator("Illinois Aftercare Directory")
        self._note_written = False
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(True, margin=18)
        self.add_page()

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def safe(self, text: object, limit: int = PRINT_LIMIT) -> str:
        """Text the fonts can draw (DejaVu, then the CJK and emoji fallbacks): other glyphs dropped, length capped."""
        text = _CONTROL_RE.sub("", "" if text is None else str(text))
        if not self._fallbacks_loaded and any(ord(ch) not in self._glyphs for ch in text if ch not in "\n "):
            self._fallbacks_loaded = True
            self._glyphs = self._glyphs | fallback_fonts.install(self)
        return clip("".join(ch for ch in text if ch in "\n " or ord(ch) in self._glyphs), limit)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        left = self.safe(
            f"{self.doc_title} · {self.footer_text}" if self.footer_text else self.doc_title, 160
        )
        room = self.width * 0.8 - 2 * self.c_margin
        page = t("printout.page", self.lang, page=self.page_no(), pages="{nb}")
        if self.get_string_width(left) <= room:
            self.cell(self.width * 0.8, 5, left)
            self.cell(self.width * 0.2, 5, page, align="R")
        else:
            # A longer language (Spanish runs about a fifth longer) takes two smaller lines, never one that
            # runs into the page number; beyond two lines the text is cut with an ellipsis.
            self.set_font("DejaVu", "", 7)
            while self.get_string_width(left) > 2 * room - 10 and len(left) > 1:
                left = left[:-2] + "…"
            self.set_y(-15)
            self.multi_cell(self.width * 0.8, 3.5, left, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.set_font("DejaVu", "", 8)
            self.cell(self.width * 0.2, 5, page, align="R")
        self.set_text_color(0, 0, 0)

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font("DejaVu", "B", 17)
        self.text_lines(self.width, 8, self.safe(title))
        if subtitle:
            self.set_font("DejaVu", "", 10)
            self.text_lines(self.width, 5, self.safe(subtitle))
        self.ln(3)

    def heading(self, text: str) -> None:
        """A section heading that never sits alone at the bottom of a page."""
        self.keep_room(30)
        self.ln(2)
        self.set_font("DejaVu", "B", 13)
        self.text_lines(self.width, 7, self.safe(text))
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.width, self.get_y())
        self.ln(1.5)

    def paragraph(self, text: str, *, size: float = 10, bold: bool = False) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.text_lines(self.width, size * 0.5, self.safe(text))

    def bullet(self, text: str, size: float = 10) -> None:
        self.set_font("DejaVu", "", size)
        self.cell(5, size * 0.5, "•")
        self.text_lines(self.width - 5, size * 0.5, self.safe(text))

    def fact(self, name: str, value: str, *, blank_line: bool = False, width: float | None = None) -> None:
        """'Name: value'; with `blank_line` an empty value prints as a line to write on."""
        width = width or self.width
        if not value and not blank_line:
            return
        value = self.safe(value) if value else "_" * 40
        self.set_font("DejaVu", "B", 10)
        text_label = f"{self.safe(name, 120)}: "
        label_width = self.get_string_width(text_label) + 1
        if label_width > width * 0.6:
            # A long label gets its own line rather than a squeezed column.
            self.text_lines(width, 5, text_label)
            label_width = 0.0
        else:
            with self.shaping_for(text_label):
                self.cell(label_width, 5, text_label)
        self.set_font("DejaVu", "", 10)
        self.text_lines(width - label_width, 5, value)

    def linked_fact(self, name: str, parts: Sequence[tuple[str, str]], *, width: float | None = None) -> None:
        """'Name: a; b' where each part with a link (tel:, sms:, https:) is a clickable link."""
        width = width or self.width
        self.set_font("DejaVu", "B", 10)
        text_label = f"{self.safe(name, 120)}: "
        self.cell(self.get_string_width(text_label) + 1, 5, text_label)
        self.set_font("DejaVu", "", 10)
        right = self.r_margin
        self.set_right_margin(right + self.width - width)  # keep clear of the QR code at the right
        try:
            for n, (text, link) in enumerate(parts):
                if n:
                    self.write(5, "; ")
                if link:
                    self.set_text_color(20, 60, 140)
                    self.write(5, self.safe(text), link=link)
                    self.set_text_color(0, 0, 0)
                else:
                    self.write(5, self.safe(text))
        finally:
            self.set_right_margin(right)
        self.ln(5)

    def output(self, *args, **kwargs):
        """The finished file; its last line names the accessible alternative (the print view)."""
        if not self._note_written:
            self._note_written = True
            self.ln(2)
            self.paragraph(t("pdf.accessible_note", self.lang), size=8)
        return super().output(*args, **kwargs)

    def text_lines(self, width: float, height: float, text: str) -> None:
        """Text wrapped to `width`, then a new line at the left margin; right-to-left runs are reordered."""
        with self.shaping_for(text):
            if "\n" not in text and self.get_string_width(text) < width - 2 * self.c_margin:
                # Most values fit on one line; fpdf2's line breaking re-measures a line at every character,
                # which made it most of a long list's time, so a line that fits is written as one cell.
                self.cell(width, height, text, **_NEXT_LINE)
            else:
                self.multi_cell(width, height, text, **_NEXT_LINE)

    @contextlib.contextmanager
    def shaping_for(self, text: str) -> Iterator[None]:
        """Text shaping (bidi order, Arabic letter joining) while writing `text`, if it has right-to-left
        letters; shaping is slow and most text does not need it."""
        shaped = _SHAPING and bool(_RTL_RE.search(text))
        if shaped:
            self.set_text_shaping(True, direction="ltr")  # a page of labels reads left to right
        try:
            yield
        finally:
            if shaped:
                self.set_text_shaping(False)

    def facts(self, rows: Sequence[tuple[str, str]], *, blank_lines: bool = True) -> None:
        for name, value in rows:
            self.fact(name, value, blank_line=blank_lines)

    def keep_room(self, height: float) -> None:
        """Start a new page unless `height` mm are left, so a label never ends a page alone."""
        if self.get_y() > self.h - self.b_margin - height:
            self.add_page()

    def draw_qr(self, url: str, x: float, y: float, size: float) -> None:
        """A vector QR code: each run of dark modules in a row is one filled rectangle (crisp, cheap)."""
        runs = qr.dark_runs(url)
        if not runs:
            return
        module = size / runs[0]
        self.set_fill_color(0, 0, 0)
        for row, start, length in runs[1]:
            self.rect(x + start * module, y + row * module, length * module, module, "F")

    def resource_block(self, facts: ItemFacts, *, number: int | None = None, qr_size: float = 24) -> None:
        """One resource, kept whole on a page when it fits, with its QR code at the right."""
        text_width = self.width - (qr_size + 4 if facts.qr_url else 0)
        lines = facts.lines()
        height = 6 + self._measure(facts.name, text_width, bold=True) + (10 if facts.large_phone else 0)
        height += sum(self._measure(value, text_width) for _, value in lines if value)
        height = max(height, qr_size + 4 if facts.qr_url else 0)
        room = self.h - self.b_margin - self.get_y()
        if room < height < self.h - self.t_margin - self.b_margin:
            self.add_page()
        top, top_page = self.get_y(), self.page_no()
        # The QR code goes down first, at the block's top right, so a block longer than a page keeps it.
        if facts.qr_url:
            self.draw_qr(facts.qr_url, self.l_margin + self.width - qr_size, top, qr_size)
        title = f"{number}. {facts.name}" if number is not None else facts.name
        self.set_font("DejaVu", "B", 11)
        self.text_lines(text_width, 5.5, self.safe(title))
        if facts.large_phone:
            self.large_phone(facts.large_phone, width=text_width)
        for field, name, value in facts.keyed_lines():
            if field == "phone" and value:
                self.linked_fact(name, [(p, phones.href(p)) for p in value.split("; ")], width=text_width)
            elif field == "website" and value:
                self.linked_fact(name, [(value, qr.safe_url(value))], width=text_width)
            else:
                self.fact(name, value, width=text_width)
        if facts.qr_url and self.page_no() == top_page:
            self.set_y(max(self.get_y(), top + qr_size + 1))
        self.ln(3)

    def large_phone(self, phone: str, *, width: float) -> None:
        """'Call 555-0100' in large bold type, a tap-to-call link: a listing without a QR code (issue 10)."""
        self.set_font("DejaVu", "B", 16)
        text = self.safe(t("printout.call_large", self.lang, phone=phone), 120)
        self.set_text_color(20, 60, 140)
        with self.shaping_for(text):
            self.cell(
                min(self.get_string_width(text) + 2, width),
                9,
                text,
                link=phones.href(phone) or "",
                **_NEXT_LINE,
            )
        self.set_text_color(0, 0, 0)

    def _measure(self, value: str, width: float, *, bold: bool = False) -> float:
        # An estimate from the string width (a dry-run line break costs a quarter of a long list's time);
        # one extra line of slack covers words that wrap early.
        self.set_font("DejaVu", "B" if bold else "", 10)
        lines = self.get_string_width(self.safe(value) + "Source:  ") / max(width, 1.0)
        return 5.0 * (int(lines) + 1 + (1 if lines > 1 else 0))

    def legend_block(self, entries: Sequence[tuple[str, str]]) -> None:
        """What each meeting code used above means, and where the meanings come from."""
        if not entries:
            return
        self.heading(t("printout.legend_title", self.lang))
        for code, meaning in entries:
            self.fact(code, meaning)
        source = t("printout.legend_source_name", self.lang)
        self.paragraph(t("printout.legend_source", self.lang, source=source), size=8)
