"""The compiled list of crisis and help lines for Illinois residents.

A line whose number the sources disagree on is left out until someone confirms it; a line the
sources say may have ended is imported as unconfirmed.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from directory import guard
from directory.importers.project_csv import decode_text
from directory.schema import ImportResult, Problem, Resource, clean_text, make_id, slug, validate

SOURCE = "il-crisis-lines"
REQUIRED = {
    "id",
    "name",
    "phone",
    "text",
    "web",
    "hours",
    "scope",
    "audience",
    "category",
    "source_urls",
    "verify_note",
}
_DISAGREE = re.compile(r"sources disagree", re.I)
_MAY_HAVE_ENDED = re.compile(r"confirm it still operates|may (no longer|have ended)", re.I)


@guard.entry
def parse(source: str | Path, *, ingested: str | None = None) -> ImportResult:
    path = Path(source)
    if path.is_dir():
        path = path / "il_crisis_help_lines.csv"
    ingested = ingested or date.today().isoformat()
    result = ImportResult()
    text, errors, warnings = decode_text(path.read_bytes(), path.name)
    result.errors.extend(errors)
    result.warnings.extend(warnings)
    if text is None:
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = REQUIRED - set(reader.fieldnames or ())
    if missing:
        result.errors.append(
            Problem(1, ", ".join(sorted(missing)), "missing columns of the crisis-lines layout", path.name)
        )
        return result
    for row in reader:
        line = reader.line_num
        result.rows_read += 1
        get = lambda name, row=row: clean_text(row.get(name))  # noqa: E731
        note = get("verify_note")
        if _DISAGREE.search(note):
            result.errors.append(
                Problem(
                    line,
                    "phone",
                    "the sources disagree on this number; left out until it is confirmed",
                    path.name,
                )
            )
            continue
        urls = [u.strip() for u in get("source_urls").split(" ; ") if u.strip().startswith("http")]
        if not urls:
            result.errors.append(
                Problem(
                    line,
                    "source_urls",
                    "no source web address; a record without provenance is left out",
                    path.name,
                )
            )
            continue
        scope = get("scope")
        notes = "" if note.lower() == "none" else f"Source note: {note}"
        if len(urls) > 1:
            notes = (notes + " " if notes else "") + "Other sources: " + " ; ".join(urls[1:])
        record = Resource(
            id=make_id(SOURCE, get("id")),
            name=get("name"),
            category="crisis_line",
            subcategory=slug(get("category")).replace("-", "_"),
            description=get("audience"),
            phones=tuple(p for p in (get("phone"), get("text")) if p),
            website=get("web"),
            format="phone",
            coverage="national" if scope.startswith("US") else "statewide",
            hours=get("hours"),
            source=SOURCE,
            source_url=urls[0],
            as_of=ingested,
            verification="unconfirmed" if _MAY_HAVE_ENDED.search(note) else "confirmed",
            notes=(f"Scope: {scope}. " if scope not in ("US", "Illinois") else "") + notes,
        )
        problems = validate(record, line, path.name)
        if problems:
            result.errors.extend(problems)
        else:
            result.records.append(record)
    return result
