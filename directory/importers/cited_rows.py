"""Cited rows: what the small public-list importers share (naloxone points, take-back sites, health
centres, old licence lists and page leads): reading a CSV whole, reading the dates their rows give,
placing a row offline, and sorting checked records from row problems.

Each of those importers maps one row onto a `Resource` and says what is wrong with the rows it cannot
take; imports stay all-or-nothing because the store rejects a batch with any problem.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from directory import geo, phones
from directory.importers.project_csv import decode_text
from directory.schema import ImportResult, Problem, Resource, clean_text, validate

_FULL_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_ZIP_TAIL = re.compile(r",?\s*(?:IL|Illinois)?\s*(\d{5})(?:-\d{4})?\s*$")


def source_file(source: str | Path | bytes, default_name: str, file: str = "") -> tuple[bytes, str]:
    """The bytes and name of what an importer was given: a file, a folder holding `default_name`, or the
    bytes of an upload (named `file`)."""
    if isinstance(source, bytes):
        return source, file or default_name
    path = Path(source)
    if path.is_dir():
        path = path / default_name
    return path.read_bytes(), file or path.name


def read_rows(
    data: bytes, name: str, required: set[str], layout: str, result: ImportResult
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row with trimmed text) for every non-empty row; problems of the file go to `result`."""
    text, errors, warnings = decode_text(data, name)
    result.errors.extend(errors)
    result.warnings.extend(warnings)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = required - set(reader.fieldnames or ())
    if missing:
        result.errors.append(
            Problem(1, ", ".join(sorted(missing)), f"missing columns of the {layout} layout", name)
        )
        return
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        result.rows_read += 1
        yield reader.line_num, {k: clean_text(v) for k, v in row.items() if k is not None}


def source_date(text: str) -> str:
    """The date a row's own text gives, as YYYY-MM-DD: the latest full date it names, else its first
    year-month or year (as the first of that month or year); "" when it gives none ("n.d.", "undated")."""
    text = text or ""
    full = []
    for year, month, day in _FULL_DATE.findall(text):
        try:
            full.append(date(int(year), int(month), int(day)))
        except ValueError:
            continue
    if full:
        return max(full).isoformat()
    m = _MONTH.search(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}-01"
    m = _YEAR.search(text)
    return f"{m.group(1)}-01-01" if m else ""


def split_zip(address: str) -> tuple[str, str]:
    """'8900 Northwest Hwy, IL 60012' -> ('8900 Northwest Hwy', '60012'); an address without a ZIP as is."""
    m = _ZIP_TAIL.search(address or "")
    if not m:
        return address, ""
    return address[: m.start()].rstrip(" ,"), m.group(1)


def place(zip_code: str = "", city: str = "") -> tuple[float | None, float | None, str, str]:
    """(latitude, longitude, precision, county) from the ZIP or else the city, offline; no place gives Nones."""
    found = geo.locate_offline(zip=zip_code, city=city, state="IL")
    if found is None:
        return None, None, "none", ""
    return round(found.latitude, 6), round(found.longitude, 6), found.precision, found.county


def phone_list(text: str, line: int, file: str, result: ImportResult) -> tuple[str, ...]:
    """The row's phones in display form; a phone that does not parse is a warning naming the row, not a guess."""
    kept, problems = phones.normalize_phones([p for p in re.split(r"\s*;\s*", text or "") if p])
    for message in problems:
        result.warnings.append(Problem(line, "phone", f"{message}; the listing is kept without it", file))
    return kept


def collect(
    result: ImportResult,
    rows: Iterator[tuple[int, dict[str, str]]],
    to_record: Callable[[int, dict[str, str]], Resource | Problem | None],
    file: str,
) -> ImportResult:
    """Map every row; a Problem from `to_record` is a row left out (with its reason), None skips quietly
    (already reported), and each record is validated before it is kept."""
    for line, row in rows:
        outcome = to_record(line, row)
        if outcome is None:
            continue
        if isinstance(outcome, Problem):
            result.errors.append(outcome)
            continue
        problems = validate(outcome, line, file)
        if problems:
            result.errors.extend(problems)
        else:
            result.records.append(outcome)
    return result


def coordinate(value: float | None) -> float | None:
    """A latitude or longitude at the catalog's precision (six decimals, about 10 cm), as the CSV keeps it."""
    return None if value is None else round(value, 6)
