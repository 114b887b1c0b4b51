"""The referral list as a spreadsheet (CSV with BOM and CRLF, and Excel), and the one formula rule for
every CSV and spreadsheet the project writes.

The rule (OWASP "CSV Injection"): a cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
tab or CR first, even after spaces) gets a leading apostrophe, so hostile catalog text cannot run
anything when the file is opened. A plain number ("-87.62", "+18332346343") is left as it is: it cannot
call anything, and E.164 phones and coordinates must stay readable by other programs. The referral
list, the HSDS package, the project CSV and the catalog CSV all call `neutralise`; readers of our own
files call `restore`, which undoes exactly what `neutralise` added (a cell that already starts with an
apostrophe that `restore` would eat gets one more), so a round trip gives back the original text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from directory.render.facts import distance_text
from directory.schema import Resource, format_schedule, label

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
    # issue 10: what a clinician sorts a referral list by
    "County",
    "Kind of care",
    "Medications (MOUD)",
    "Payment",
)
XLSX_CELL_LIMIT = 32_000  # Excel refuses cells over 32,767 characters
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIDE_COLUMNS = {"Name": 40, "Address": 30, "Schedule": 30, "Note": 30, "Website": 30, "Source URL": 30}


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _runs_as_formula(value: str) -> bool:
    if _PLAIN_NUMBER.fullmatch(value):
        return False
    return value.startswith(_FORMULA_START) or value.lstrip(" ").startswith(_FORMULA_START)


def neutralise(value: object) -> str:
    """A cell a spreadsheet will show as text: a leading = + - @ tab or CR (even after spaces) gets a `'`.

    Plain numbers stay as they are; a value `restore` would otherwise shorten gets an apostrophe too.
    """
    value = "" if value is None else str(value)
    if _runs_as_formula(value) or restore(value) != value:
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text `neutralise` was given: its added apostrophe removed, anything else left unchanged."""
    if value.startswith("'"):
        rest = value[1:]
        if _runs_as_formula(rest) or rest.startswith("'"):
            return rest
    return value


def spreadsheet_rows(
    resources: Sequence[Resource],
    notes: Mapping[str, str],
    distances: Mapping[str, float | str | None],
    origin_label: str = "",
) -> list[list[str]]:
    """One neutralised row of COLUMNS per resource, in the order given."""
    rows = []
    for r in resources:
        rows.append(
            [
                r.name,
                label("category", r.category),
                r.subcategory,
                r.fellowship,
                label("format", r.format) if r.format else "",
                ", ".join(p for p in (r.address, r.address2) if p),
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
                r.county,
                "; ".join(s.replace("_", " ") for s in r.services),
                "; ".join(label("moud_services", m) for m in r.moud_services),
                "; ".join(label("payment", p) for p in r.payment),
            ]
        )
    return [[neutralise(cell) for cell in row] for row in rows]


def csv_bytes(rows: list[list[str]]) -> bytes:
    """The rows under a header line, as CSV bytes Excel opens correctly."""
    # CRLF line ends (RFC 4180, what Excel writes) and a BOM so Excel reads UTF-8 instead of the ANSI code page.
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[str]], generated: datetime) -> bytes:
    """The rows as an .xlsx workbook: bold frozen header, filters, wrapped text, string cells only."""
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
            cell = sheet.cell(row=row_index, column=col_index)
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
            # Every cell is a string cell: openpyxl would otherwise store a leading "=" as a formula.
            cell.data_type = "s"
            cell.number_format = "@"
            if row_index == 1:
                cell.font = Font(bold=True)
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col_index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(col_index)].width = _WIDE_COLUMNS.get(name, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
