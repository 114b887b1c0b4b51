"""Referral-list exports (CSV, Excel, PDF, print HTML, iCalendar) and the resource blocks every printout shares.

Catalog text is untrusted: spreadsheet cells that could start a formula are neutralised with a leading
apostrophe, HTML is escaped, PDF text is limited to characters the font can draw, and links must be http(s).
"""

from __future__ import annotations

import csv
import functools
import html
import io
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from directory import schedule
from directory.render import legend as meeting_legend
from directory.render import qr
from directory.schema import WEEKDAY_NAMES, Resource, Slot, format_schedule, label

EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", "referral-list.csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "referral-list.xlsx"),
    "pdf": ("application/pdf", "referral-list.pdf"),
    "html": ("text/html", "referral-list.html"),
    "ics": ("text/calendar", "referral-list.ics"),
}
CALL_AHEAD = "Call ahead to confirm: times, addresses and phone numbers change."
UID_DOMAIN = "illinois-aftercare-directory"
# Longest text a printout shows from one catalog field; beyond this a hostile value would only push layout.
PRINT_LIMIT = 600
XLSX_CELL_LIMIT = 32_000  # Excel refuses cells over 32,767 characters
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FontMissing(RuntimeError):
    """The Unicode font the PDF needs is not installed."""


# --- facts shown for one resource -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFacts:
    """What a printout says about one resource, as plain (still untrusted) text."""

    name: str
    kind: str
    where: str
    phones: str
    website: str
    join: str
    schedule: str
    distance: str
    note: str
    status: str
    source: str
    source_url: str
    as_of: str
    qr_url: str


def long_date(day: date | datetime) -> str:
    """'June 1, 2026'."""
    return f"{day:%B} {day.day}, {day.year}"


def clock(hhmm: str) -> str:
    """'19:30' -> '7:30 PM', the way people in Illinois read times."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    return f"{(hour % 12) or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def slot_text(slot: Slot) -> str:
    """'Tuesday 7:00 PM–8:30 PM'."""
    text = f"{WEEKDAY_NAMES[slot.weekday]} {clock(slot.start)}"
    return f"{text}–{clock(slot.end)}" if slot.end else text


def kind_text(resource: Resource) -> str:
    parts = [label("category", resource.category)]
    if resource.subcategory:
        parts.append(resource.subcategory.replace("_", " "))
    if resource.fellowship:
        parts.append(resource.fellowship)
    if resource.format:
        parts.append(label("format", resource.format))
    return " · ".join(p for p in parts if p)


def where_text(resource: Resource) -> str:
    """The street address, or 'Online' / 'By phone' / 'Statewide' when the resource has no place to go."""
    street = ", ".join(p for p in (resource.address, resource.address2, resource.city) if p)
    region = " ".join(p for p in (resource.state, resource.zip) if p)
    address = ", ".join(p for p in (street, region) if p)
    if resource.format == "online":
        return "Online"
    if resource.format == "phone":
        return "By phone"
    if resource.format == "hybrid":
        return f"{address} · also online" if address else "Online"
    if address:
        return address
    return label("coverage", resource.coverage) if resource.coverage != "local" else ""


def distance_text(value: float | str | None, origin_label: str = "") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)):
        text = f"{value:.1f} mi"
        return f"{text} from {origin_label}" if origin_label else text
    return str(value)


def resource_facts(
    resource: Resource, *, distance: float | str | None = None, note: str = "", origin_label: str = ""
) -> ItemFacts:
    status = ""
    if resource.status != "active":
        status = label("status", resource.status)
    if resource.verification == "unconfirmed":
        status = "; ".join(p for p in (status, label("verification", resource.verification)) if p)
    join = qr.safe_url(resource.conference_url)
    if resource.conference_phone:
        join = "; ".join(p for p in (join, f"by phone {resource.conference_phone}") if p)
    return ItemFacts(
        name=resource.name.strip() or "(no name given)",
        kind=kind_text(resource),
        where=where_text(resource),
        phones="; ".join(resource.phones),
        website=qr.safe_url(resource.website),
        join=join,
        schedule="; ".join(slot_text(s) for s in resource.schedule) or resource.hours,
        distance=distance_text(distance, origin_label),
        note=note,
        status=status,
        source=resource.source,
        source_url=qr.safe_url(resource.source_url),
        as_of=resource.as_of,
        qr_url=qr.resource_url(resource),
    )


# --- spreadsheets -----------------------------------------------------------------------------------------

COLUMNS = (
    "Name",
    "Kind",
    "Subcategory",
    "Fellowship",
    "Format",
    "Address",
    "City",
    "State",
    "ZIP",
    "Phone",
    "Website",
    "Join link",
    "Join by phone",
    "Schedule",
    "Hours",
    "Meeting types",
    "Distance",
    "Note",
    "Status",
    "Verification",
    "Source",
    "Source URL",
    "As of",
    "ID",
)


def neutralise(value: str) -> str:
    """A cell a spreadsheet will show as text: a leading = + - @ tab or CR (even after spaces) gets a `'`."""
    value = "" if value is None else str(value)
    if value.startswith(_FORMULA_START) or value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def _rows(resources, notes, distances, origin_label) -> list[list[str]]:
    rows = []
    for r in resources:
        address = ", ".join(p for p in (r.address, r.address2) if p)
        rows.append(
            [
                r.name,
                label("category", r.category),
                r.subcategory,
                r.fellowship,
                label("format", r.format) if r.format else "",
                address,
                r.city,
                r.state,
                r.zip,
                "; ".join(r.phones),
                r.website,
                r.conference_url,
                r.conference_phone,
                format_schedule(r.schedule),
                r.hours,
                "; ".join(r.meeting_types),
                distance_text(distances.get(r.id), origin_label),
                notes.get(r.id, ""),
                label("status", r.status),
                label("verification", r.verification),
                r.source,
                r.source_url,
                r.as_of,
                r.id,
            ]
        )
    return [[neutralise(cell) for cell in row] for row in rows]


def _csv(rows: list[list[str]]) -> bytes:
    # CRLF line ends (RFC 4180, what Excel writes) and a BOM so Excel reads UTF-8 instead of the ANSI code page.
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _xlsx(rows: list[list[str]], generated: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Referral list"
    book.properties.creator = "Illinois Aftercare Directory"
    book.properties.created = generated.replace(tzinfo=None)
    for row_index, row in enumerate([list(COLUMNS), *rows], start=1):
        for col_index, value in enumerate(row, start=1):
            text = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
            cell = sheet.cell(row=row_index, column=col_index)
            cell.value = text
            # Every cell is a string cell: openpyxl would otherwise store a leading "=" as a formula.
            cell.data_type = "s"
            cell.number_format = "@"
            if row_index == 1:
                cell.font = Font(bold=True)
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"Name": 40, "Address": 30, "Schedule": 30, "Note": 30, "Website": 30, "Source URL": 30}
    for col_index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(col_index)].width = widths.get(name, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def font_files() -> tuple[str, str]:
    """(regular, bold) DejaVu Sans TTF files: the Debian location, else wherever fontconfig finds them."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        return str(regular), str(bold)
    if shutil.which("fc-match"):
        found = []
        for pattern in ("DejaVu Sans:style=Book", "DejaVu Sans:style=Bold"):
            out = subprocess.run(
                ["fc-match", "-f", "%{file}", pattern],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
            found.append(out)
        if all(p.endswith(".ttf") and "DejaVuSans" in Path(p).name and Path(p).is_file() for p in found):
            return found[0], found[1]
    raise FontMissing(
        "Making a PDF needs the DejaVu Sans font, which is not installed. "
        "Install it (Debian/Ubuntu: `apt-get install fonts-dejavu-core`) and try again; "
        "the print view (HTML) works without it."
    )


class PrintDocument(FPDF):
    """A US Letter or A4 PDF in DejaVu Sans with a footer, and blocks for headings, facts and resources."""

    def __init__(self, title: str, *, paper: str = "letter", footer: str = ""):
        paper = paper.lower()
        if paper not in ("letter", "a4"):
            raise ValueError(f"paper '{paper}' is not supported; use letter or a4")
        super().__init__(orientation="portrait", unit="mm", format=paper)
        regular, bold = font_files()
        self.add_font("DejaVu", "", regular)
        self.add_font("DejaVu", "B", bold)
        self._glyphs = frozenset(self.fonts["dejavu"].cmap) & frozenset(self.fonts["dejavuB"].cmap)
        self.doc_title = title
        self.footer_text = footer
        self.set_title(self.safe(title))
        self.set_creator("Illinois Aftercare Directory")
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(True, margin=18)
        self.add_page()

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def safe(self, text: object, limit: int = PRINT_LIMIT) -> str:
        """Text the font can draw: control characters and glyphs DejaVu lacks are dropped, length capped."""
        text = _CONTROL_RE.sub("", "" if text is None else str(text))
        text = "".join(ch for ch in text if ch in "\n " or ord(ch) in self._glyphs)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        left = self.safe(
            f"{self.doc_title} · {self.footer_text}" if self.footer_text else self.doc_title, 160
        )
        self.cell(self.width * 0.8, 5, left)
        self.cell(self.width * 0.2, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font("DejaVu", "B", 17)
        self.multi_cell(self.width, 8, self.safe(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font("DejaVu", "", 10)
            self.multi_cell(
                self.width, 5, self.safe(subtitle), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.ln(3)

    def heading(self, text: str) -> None:
        """A section heading that never sits alone at the bottom of a page."""
        self.keep_room(30)
        self.ln(2)
        self.set_font("DejaVu", "B", 13)
        self.multi_cell(self.width, 7, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.width, self.get_y())
        self.ln(1.5)

    def paragraph(
        self, text: str, *, size: float = 10, bold: bool = False, width: float | None = None
    ) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.multi_cell(
            width or self.width, size * 0.5, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def bullet(self, text: str, size: float = 10) -> None:
        self.set_font("DejaVu", "", size)
        self.cell(5, size * 0.5, "•")
        self.multi_cell(
            self.width - 5, size * 0.5, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def fact(self, name: str, value: str, *, blank_line: bool = False, width: float | None = None) -> None:
        """'Name: value'; with `blank_line` an empty value prints as a line to write on."""
        width = width or self.width
        if not value and not blank_line:
            return
        value = self.safe(value) if value else "_" * 40
        self.set_font("DejaVu", "B", 10)
        text_label = f"{self.safe(name, 120)}: "
        label_width = self.get_string_width(text_label) + 1
        if label_width > width * 0.45:
            # A long label gets its own line rather than a squeezed column.
            self.multi_cell(width, 5, text_label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            label_width = 0.0
        else:
            self.cell(label_width, 5, text_label)
        self.set_font("DejaVu", "", 10)
        if label_width == 0.0:
            self.set_x(self.l_margin)
        self.multi_cell(width - label_width, 5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def keep_room(self, height: float) -> None:
        """Start a new page unless `height` mm are left, so a label never ends a page alone."""
        if self.get_y() > self.h - self.b_margin - height:
            self.add_page()

    def draw_qr(self, url: str, x: float, y: float, size: float) -> None:
        """A vector QR code (runs of dark modules as filled rectangles: crisp on paper, cheap to draw)."""
        matrix = qr.qr_matrix(url)
        if not matrix:
            return
        module = size / len(matrix)
        self.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(matrix):
            col = 0
            while col < len(row):
                if row[col]:
                    start = col
                    while col < len(row) and row[col]:
                        col += 1
                    self.rect(x + start * module, y + row_index * module, (col - start) * module, module, "F")
                else:
                    col += 1

    def resource_block(self, facts: ItemFacts, *, number: int | None = None, qr_size: float = 24) -> None:
        """One resource, kept whole on a page when it fits, with its QR code at the right."""
        text_width = self.width - (qr_size + 4 if facts.qr_url else 0)
        lines = _fact_lines(facts)
        height = 6 + self._measure(facts.name, text_width, bold=True)
        height += sum(self._measure(value, text_width) for _, value in lines if value)
        height = max(height, qr_size + 4 if facts.qr_url else 0)
        room = self.h - self.b_margin - self.get_y()
        if height > room and height < self.h - self.t_margin - self.b_margin:
            self.add_page()
        top, top_page = self.get_y(), self.page_no()
        # The QR code goes down first, at the block's top right, so a block longer than a page keeps it.
        if facts.qr_url:
            self.draw_qr(facts.qr_url, self.l_margin + self.width - qr_size, top, qr_size)
        title = f"{number}. {facts.name}" if number is not None else facts.name
        self.set_font("DejaVu", "B", 11)
        self.multi_cell(text_width, 5.5, self.safe(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for name, value in lines:
            self.fact(name, value, width=text_width)
        if facts.qr_url and self.page_no() == top_page:
            self.set_y(max(self.get_y(), top + qr_size + 1))
        self.ln(3)

    def _measure(self, value: str, width: float, *, bold: bool = False) -> float:
        # An estimate from the string width (a dry-run line break costs a quarter of a long list's time);
        # one extra line of slack covers words that wrap early.
        self.set_font("DejaVu", "B" if bold else "", 10)
        lines = self.get_string_width(self.safe(value) + "Source:  ") / max(width, 1.0)
        return 5.0 * (int(lines) + 1 + (1 if lines > 1 else 0))

    def legend_block(self, entries: Sequence[tuple[str, str]]) -> None:
        if not entries:
            return
        self.heading("Meeting codes used above")
        for code, meaning in entries:
            self.fact(code, meaning)
        self.paragraph(f"Source: {meeting_legend.SOURCE}.", size=8)


def _fact_lines(facts: ItemFacts) -> list[tuple[str, str]]:
    return [
        ("Kind", facts.kind),
        ("Where", facts.where),
        ("Distance", facts.distance),
        ("Phone", facts.phones),
        ("Website", facts.website),
        ("Join", facts.join),
        ("Schedule", facts.schedule),
        ("Status", facts.status),
        ("Note", facts.note),
        (
            "Source",
            f"{facts.source}, as of {facts.as_of}" + (f" ({facts.source_url})" if facts.source_url else ""),
        ),
    ]


def _pdf(resources, notes, distances, origin_label, generated: datetime) -> bytes:
    doc = PrintDocument("Referral list", footer=f"made {long_date(generated)}. {CALL_AHEAD}")
    subtitle = f"{len(resources)} resources, made {long_date(generated)}."
    if origin_label:
        subtitle += f" Distances from {origin_label}."
    doc.title_block("Referral list", subtitle + " " + CALL_AHEAD)
    for number, resource in enumerate(resources, start=1):
        facts = resource_facts(
            resource,
            distance=distances.get(resource.id),
            note=notes.get(resource.id, ""),
            origin_label=origin_label,
        )
        doc.resource_block(facts, number=number)
    doc.legend_block(meeting_legend.legend(resources))
    return bytes(doc.output())


# --- print HTML -------------------------------------------------------------------------------------------

PRINT_CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 11pt; line-height: 1.4;
       color: #111; max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #999;
     margin-top: 1.5rem; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
p, dd, dt, li, td, th, h1, h2, h3 { overflow-wrap: anywhere; word-break: break-word; }
.item { display: flex; gap: 1rem; justify-content: space-between; border-top: 1px solid #ccc;
        padding: .6rem 0; break-inside: avoid; page-break-inside: avoid; }
.item .facts { flex: 1 1 auto; min-width: 0; }
.item .qr { flex: 0 0 auto; width: 7rem; } .item .qr svg { width: 100%; height: auto; }
dl { margin: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .1rem .6rem; }
dt { font-weight: bold; } dd { margin: 0; min-width: 0; }
.meta, .small { color: #444; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { text-align: left; vertical-align: top; padding: .2rem .4rem; border-bottom: 1px solid #ddd; }
.write-in { display: inline-block; min-width: 16rem; border-bottom: 1px solid #333; }
.section { break-inside: auto; }
@page { size: auto; margin: 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  .no-print { display: none; }
}
"""


def esc(text: object) -> str:
    """HTML-escaped text (quotes included, so it is safe inside attributes too)."""
    return html.escape("" if text is None else str(text), quote=True)


def bdi(text: object) -> str:
    # <bdi> isolates right-to-left catalog text so it cannot reorder the labels around it.
    text = "" if text is None else str(text)
    text = text if len(text) <= PRINT_LIMIT else text[: PRINT_LIMIT - 1] + "…"
    return f"<bdi>{esc(text)}</bdi>"


def html_document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No scripts, no remote loads: the page is a document, and hostile text can't run.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">\n'
        f"<title>{esc(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def html_link(url: str) -> str:
    url = qr.safe_url(url)
    return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>' if url else ""


def html_resource_block(facts: ItemFacts, *, number: int | None = None) -> str:
    title = f"{number}. " if number is not None else ""
    rows = []
    for name, value in _fact_lines(facts):
        if not value:
            continue
        if name in ("Website",):
            shown = html_link(value)
        elif name == "Source":
            shown = f"{bdi(facts.source)}, as of {esc(facts.as_of)}"
            if facts.source_url:
                shown += f" ({html_link(facts.source_url)})"
        else:
            shown = bdi(value)
        rows.append(f"<dt>{esc(name)}</dt><dd>{shown}</dd>")
    code = qr.qr_svg(facts.qr_url)
    qr_html = f'<div class="qr" aria-label="QR code to {esc(facts.qr_url)}">{code}</div>' if code else ""
    return (
        f'<article class="item"><div class="facts"><h3>{esc(title)}{bdi(facts.name)}</h3>'
        f"<dl>{''.join(rows)}</dl></div>{qr_html}</article>"
    )


def html_legend(entries: Sequence[tuple[str, str]]) -> str:
    if not entries:
        return ""
    rows = "".join(f"<dt>{esc(code)}</dt><dd>{esc(meaning)}</dd>" for code, meaning in entries)
    return (
        f'<section class="section"><h2>Meeting codes used above</h2><dl>{rows}</dl>'
        f'<p class="small">Source: {esc(meeting_legend.SOURCE)}.</p></section>'
    )


def _html(resources, notes, distances, origin_label, generated: datetime) -> bytes:
    blocks = "\n".join(
        html_resource_block(
            resource_facts(
                r, distance=distances.get(r.id), note=notes.get(r.id, ""), origin_label=origin_label
            ),
            number=n,
        )
        for n, r in enumerate(resources, start=1)
    )
    origin = f" Distances from {bdi(origin_label)}." if origin_label else ""
    body = (
        f'<h1>Referral list</h1><p class="meta">{len(resources)} resources, made {long_date(generated)}.'
        f"{origin} {esc(CALL_AHEAD)}</p>\n{blocks}\n{html_legend(meeting_legend.legend(resources))}"
    )
    return html_document("Referral list", body).encode("utf-8")


# --- iCalendar --------------------------------------------------------------------------------------------


def meeting_description(resource: Resource) -> str:
    """The text of a calendar event: kind, how to join, source and as-of date, and a reminder to call ahead."""
    lines = [kind_text(resource)]
    if resource.format in ("online", "hybrid") and qr.safe_url(resource.conference_url):
        lines.append(f"Join: {resource.conference_url}")
    if resource.conference_phone:
        lines.append(f"Join by phone: {resource.conference_phone}")
    if resource.phones:
        lines.append(f"Phone: {'; '.join(resource.phones)}")
    if resource.meeting_types:
        codes = ", ".join(
            c if meeting_legend.meaning(c) == c else f"{c} = {meeting_legend.meaning(c)}"
            for c in resource.meeting_types
        )
        lines.append(f"Codes: {codes}")
    lines.append(f"Source: {resource.source} ({resource.source_url}), as of {resource.as_of}.")
    lines.append(CALL_AHEAD)
    return "\n".join(lines)


def meeting_location(resource: Resource) -> str:
    where = where_text(resource)
    if resource.format == "online":
        return qr.safe_url(resource.conference_url) or "Online"
    return where


def _ics(resources, generated: datetime) -> bytes:
    events = []
    for resource in resources:
        for slot in resource.schedule:
            uid = f"{resource.id}-{slot.weekday}-{slot.start.replace(':', '')}@{UID_DOMAIN}"
            events.append(
                schedule.weekly_event(
                    uid,
                    resource.name.strip() or "Meeting",
                    slot,
                    first_date=generated.date(),
                    location=meeting_location(resource),
                    url=qr.safe_url(resource.conference_url) or qr.safe_url(resource.website),
                    description=meeting_description(resource),
                    stamp=generated,
                )
            )
    return schedule.calendar(events, "Referral list meetings")


# --- the one entry point ----------------------------------------------------------------------------------


def export_referral_list(
    resources: Iterable[Resource],
    fmt: str,
    *,
    notes: Mapping[str, str] | None = None,
    distances: Mapping[str, float | str | None] | None = None,
    origin_label: str = "",
    generated: datetime | date | None = None,
) -> bytes:
    """The referral list as a file in `fmt` (a key of EXPORT_FORMATS), resources in the order given.

    `notes` and `distances` are keyed by resource id; a distance is miles or a label such as "online".
    `generated` stamps the file (default: now in America/Chicago), which makes output reproducible in tests.
    Raises ValueError for an unknown format and FontMissing when a PDF cannot be made.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"'{fmt}' is not an export format; use one of: {', '.join(EXPORT_FORMATS)}")
    resources = list(resources)
    notes = dict(notes or {})
    distances = dict(distances or {})
    if generated is None:
        generated = datetime.now(schedule.TZ)
    elif not isinstance(generated, datetime):
        generated = datetime.combine(generated, datetime.min.time(), tzinfo=schedule.TZ)
    elif generated.tzinfo is None:
        generated = generated.replace(tzinfo=schedule.TZ)
    if fmt == "csv":
        return _csv(_rows(resources, notes, distances, origin_label))
    if fmt == "xlsx":
        return _xlsx(_rows(resources, notes, distances, origin_label), generated)
    if fmt == "pdf":
        return _pdf(resources, notes, distances, origin_label, generated)
    if fmt == "html":
        return _html(resources, notes, distances, origin_label, generated)
    return _ics(resources, generated)
