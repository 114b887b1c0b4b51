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
from datetime import date, datetime

from directory import dates
from directory.freshness import certainty
from directory.render.facts import distance_text, subcategory_words
from directory.schema import Resource, format_schedule
from directory.words import language, t, vocab

# The English headers (what the words table says); `columns()` gives them in the current language.
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
# The words-table key of each column, in the order of COLUMNS.
COLUMN_KEYS = (
    "name",
    "kind",
    "subcategory",
    "fellowship",
    "format",
    "address",
    "city",
    "state",
    "zip",
    "phone",
    "website",
    "join_link",
    "join_phone",
    "schedule",
    "hours",
    "meeting_types",
    "distance",
    "note",
    "status",
    "verification",
    "source",
    "source_url",
    "as_of",
    "id",
    "county",
    "care",
    "moud",
    "payment",
)
XLSX_CELL_LIMIT = 32_000  # Excel refuses cells over 32,767 characters
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIDE_COLUMNS = {
    "name": 40,
    "address": 30,
    "schedule": 30,
    "note": 30,
    "website": 30,
    "source_url": 30,
    "verification": 40,
}


def columns(lang: str | None = None) -> tuple[str, ...]:
    """The header line in `lang` (default: the current language); in English exactly COLUMNS."""
    return tuple(t(f"printout.col_{key}", lang) for key in COLUMN_KEYS)


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


def _schedule_words(resource: Resource) -> str:
    # English keeps the project notation ("Tue 19:00-20:00"); another language reads "martes 7:00 p. m.–…".
    if language() == "en":
        return format_schedule(resource.schedule)
    return "; ".join(dates.slot_words(s, language()) for s in resource.schedule)


def spreadsheet_rows(
    resources: Sequence[Resource],
    notes: Mapping[str, str],
    distances: Mapping[str, float | str | None],
    origin_label: str = "",
    today: date | datetime | None = None,
) -> list[list[str]]:
    """One neutralised row of COLUMNS per resource, in the order given, in the current language.

    The verification cell says how sure and how old the listing is as of `today` (default: now), in the
    words of directory/freshness.py ("SAMHSA listing from 2021, 5 years old — not re-checked since; call
    ahead"). Vocabulary cells are labels in the current language; catalog text stays as written.
    """
    rows = []
    english = language() == "en"
    for r in resources:
        rows.append(
            [
                r.name,
                vocab("category", r.category),
                r.subcategory if english else subcategory_words(r.subcategory),
                r.fellowship,
                vocab("format", r.format) if r.format else "",
                ", ".join(p for p in (r.address, r.address2) if p),
                r.city,
                r.state,
                r.zip,
                "; ".join(r.phones),
                r.website,
                r.conference_url,
                r.conference_phone,
                _schedule_words(r),
                r.hours,
                "; ".join(r.meeting_types),
                distance_text(distances.get(r.id), origin_label),
                notes.get(r.id, ""),
                vocab("status", r.status),
                certainty(r, today).words,
                r.source,
                r.source_url,
                r.as_of,
                r.id,
                r.county,
                "; ".join(s.replace("_", " ") if english else vocab("services", s) for s in r.services),
                "; ".join(vocab("moud_services", m) for m in r.moud_services),
                "; ".join(vocab("payment", p) for p in r.payment),
            ]
        )
    return [[neutralise(cell) for cell in row] for row in rows]


def csv_bytes(rows: list[list[str]], header: Sequence[str] | None = None) -> bytes:
    """The rows under a header line (default: the current language's), as CSV bytes Excel opens correctly."""
    # CRLF line ends (RFC 4180, what Excel writes) and a BOM so Excel reads UTF-8 instead of the ANSI code page.
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in (header or columns())])
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[str]], generated: datetime, header: Sequence[str] | None = None) -> bytes:
    """The rows as an .xlsx workbook: bold frozen header (default: the current language's), filters,
    wrapped text, string cells only."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header = [neutralise(h) for h in (header or columns())]
    book = Workbook()
    sheet = book.active
    sheet.title = t("printout.sheet_title")[:31]
    book.properties.creator = "Illinois Aftercare Directory"
    book.properties.created = generated.replace(tzinfo=None)
    for row_index, row in enumerate([header, *rows], start=1):
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
    for col_index, key in enumerate(COLUMN_KEYS, start=1):
        sheet.column_dimensions[get_column_letter(col_index)].width = _WIDE_COLUMNS.get(key, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
