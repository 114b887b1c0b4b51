"""The project's own CSV format: one row per record, the columns of `directory.schema.Resource`.

This is what a clinic edits in a spreadsheet, so the reader is forgiving about encoding and blank
lines and strict about everything that would put a wrong fact in front of a patient.

Cells are written through the project's one formula rule (`directory.render.spreadsheet.neutralise`:
text a spreadsheet would run gets a leading apostrophe) and read back through `restore`, which removes
exactly that apostrophe, so write → read gives back the original text. A cell typed with a leading "="
is still refused: that is a formula someone meant to enter, not text we wrote.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from directory import guard
from directory.render.spreadsheet import neutralise, restore
from directory.schema import (
    FIELD_NAMES,
    REQUIRED_FIELDS,
    ImportResult,
    Problem,
    Resource,
    resource_from_row,
    resource_to_row,
    validate,
)

FORMAT = "csv"
MAX_BYTES = 20 * 1024 * 1024
FORMULA_PREFIXES = ("=",)


def decode_text(data: bytes, file: str) -> tuple[str | None, list[Problem], list[Problem]]:
    """Bytes of a text file → (text, errors, warnings): UTF-8 with or without BOM, else Windows-1252.

    The text is checked by the input guard (line length, number of lines) before any CSV reader sees it.
    """
    text, errors, warnings = _decode_text(data, file)
    if text is not None:
        try:
            guard.check_csv_text(text, file)
        except guard.Breach as exc:
            return None, [exc.problem(file)], warnings
    return text, errors, warnings


def _decode_text(data: bytes, file: str) -> tuple[str | None, list[Problem], list[Problem]]:
    if not data.strip():
        return (
            None,
            [Problem(None, "", "the file is empty; export the sheet again with its header row", file)],
            [],
        )
    if len(data) > MAX_BYTES:
        mb = len(data) / 1024 / 1024
        limit = MAX_BYTES // 1024 // 1024
        return (
            None,
            [Problem(None, "", f"the file is {mb:.0f} MB; the limit is {limit} MB: split it", file)],
            [],
        )
    if b"\x00" in data[:65536]:
        return (
            None,
            [Problem(None, "", "this is not a text file (it holds binary data); choose a .csv file", file)],
            [],
        )
    try:
        return data.decode("utf-8-sig"), [], []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            msg = f"the file is not UTF-8 text (bad byte on line {line}); save it as 'CSV UTF-8'"
            return None, [Problem(line, "", msg, file)], []
        warning = Problem(
            line,
            "",
            "the file is not UTF-8; it was read as Windows-1252 (Latin-1). Check accented letters, "
            "or save it as 'CSV UTF-8' next time",
            file,
        )
        return text, [], [warning]


@guard.entry
def parse(source: str | Path | bytes, file: str = "") -> ImportResult:
    """Read a project CSV into records and row problems; a row with any problem is left out whole."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        file = file or path.name
        data = guard.read_file(path, file)
    else:
        data = source
    result = ImportResult()
    text, errors, warnings = decode_text(data, file)
    result.warnings.extend(warnings)
    if text is None:
        result.errors.extend(errors)
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        result.errors.append(Problem(1, "", f"the header row cannot be read ({exc})", file))
        return result
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED_FIELDS if c not in header]
    if missing:
        result.errors.append(
            Problem(
                1,
                ", ".join(missing),
                f"missing column(s) {', '.join(missing)}; the header must name at least "
                f"{', '.join(REQUIRED_FIELDS)} (see the project CSV format in the README)",
                file,
            )
        )
        return result
    unknown = [h for h in header if h and h not in FIELD_NAMES]
    if unknown:
        result.warnings.append(
            Problem(1, ", ".join(unknown), "these columns are not part of the format and were ignored", file)
        )
    duplicates = {h for h in header if header.count(h) > 1 and h}
    if duplicates:
        result.errors.append(
            Problem(1, ", ".join(sorted(duplicates)), "the header names a column twice; keep one", file)
        )
        return result
    seen: dict[str, int] = {}
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            result.rows_read += 1
            if len(cells) > len(header):
                result.errors.append(
                    Problem(
                        line,
                        "",
                        f"the row has {len(cells)} cells but the header {len(header)}; "
                        "check for an unquoted comma",
                        file,
                    )
                )
                continue
            row = dict(zip(header, cells))
            problems = [
                Problem(
                    line,
                    name,
                    f"'{value[:40]}' starts with '=' like a spreadsheet formula; remove the leading '='",
                    file,
                )
                for name, value in row.items()
                if name in FIELD_NAMES and value.lstrip().startswith(FORMULA_PREFIXES)
            ]
            row = {name: restore(value) for name, value in row.items()}
            record, parse_errors = resource_from_row(row)
            problems += [Problem(line, f, m, file) for f, m in parse_errors]
            if not parse_errors:
                problems += validate(record, line, file)
            if record.id:
                if record.id in seen:
                    problems.append(
                        Problem(
                            line,
                            "id",
                            f"'{record.id}' is already used on row {seen[record.id]}; ids must be unique",
                            file,
                        )
                    )
                else:
                    seen[record.id] = line
            if problems:
                result.errors.extend(problems)
            else:
                result.records.append(record)
    except csv.Error as exc:
        result.errors.append(Problem(line + 1, "", f"the file cannot be read as CSV here ({exc})", file))
    return result


def write(records: list[Resource], path: str | Path | None = None) -> str:
    """Records as project CSV text (sorted by id, "\\n" line ends); written to path when given."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(FIELD_NAMES), lineterminator="\n")
    writer.writeheader()
    for record in sorted(records, key=lambda r: r.id):
        writer.writerow({name: neutralise(value) for name, value in resource_to_row(record).items()})
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8", newline="")
    return text
