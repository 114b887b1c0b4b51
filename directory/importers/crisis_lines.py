"""The compiled list of crisis and help lines for Illinois residents.

A line whose number the sources disagree on is left out until someone confirms it; a line the
sources say may have ended is imported as unconfirmed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from directory import guard
from directory.importers.cited_rows import read_rows, source_file
from directory.phones import normalize_phones
from directory.schema import ImportResult, Problem, Resource, make_id, slug, validate

SOURCE = "il-crisis-lines"
FILE = "il_crisis_help_lines.csv"
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
# An aside that is an instruction, not a spelling of the number: "(menu: option 2, then option 5)".
_INSTRUCTION = re.compile(r"\s*\(([^()]*(?::|option)[^()]*)\)")


def phone_lines(phone: str, text: str) -> tuple[list[str], list[str]]:
    """(phone texts for `normalize_phones`, sentences for the description) from the two phone columns.

    TTY lines and menu instructions go to the description, since a stored phone is one dialable line.
    """
    lines: list[str] = []
    said: list[str] = []
    for part in [p.strip() for p in re.split(r";", phone or "") if p.strip()] + [
        p.strip() for p in re.split(r";", text or "") if p.strip()
    ]:
        low = part.lower()
        if low.startswith("tty"):
            said.append(f"TTY: {part[3:].strip()}.")
            continue
        for aside in _INSTRUCTION.findall(part):
            # Several menu keys in a row cannot be one "press" key: they are said in words instead.
            aside = re.sub(r"^menu:\s*", "", aside.strip(), flags=re.I)
            said.append(f"Phone menu: {aside}." if "option" in aside.lower() else f"{aside}.")
        part = _INSTRUCTION.sub("", part).strip()
        call_text = re.match(r"^call or text\s+(.+)$", part, re.I)
        if call_text:
            lines += [call_text.group(1), f"text {call_text.group(1)}"]
            continue
        zip_text = re.match(r"^text (?:your\s+)?zip code to\s+(\d{4,6})\b", part, re.I)
        if zip_text:
            lines.append(f"text {zip_text.group(1)}")
            said.append(f"Text your ZIP code to {zip_text.group(1)}.")
            continue
        if low.startswith("text ") or re.match(r"^[\d(+]", part):
            if low.startswith("text ") and not re.match(r"^text\s+(\w+\s+to\s+)?[\d ()+.-]+$", part, re.I):
                said.append(part[:1].upper() + part[1:] + ".")
            lines.append(part)
        elif part:
            said.append(part[:1].upper() + part[1:] + ".")
    return lines, said


@guard.entry
def parse(source: str | Path | bytes, *, ingested: str | None = None, file: str = "") -> ImportResult:
    """The crisis and help lines of il_crisis_help_lines.csv: from the file, the folder holding it, or an
    uploaded file's bytes (named `file`)."""
    data, name = source_file(source, FILE, file)
    ingested = ingested or date.today().isoformat()
    result = ImportResult()
    for line, row in read_rows(data, name, REQUIRED, "crisis-lines", result):
        get = lambda column, row=row: row.get(column) or ""  # noqa: E731
        note = get("verify_note")
        if _DISAGREE.search(note):
            result.errors.append(
                Problem(
                    line,
                    "phone",
                    "the sources disagree on this number; left out until it is confirmed",
                    name,
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
                    name,
                )
            )
            continue
        scope = get("scope")
        texts, said = phone_lines(get("phone"), get("text"))
        phones, phone_problems = normalize_phones(texts)
        for message in phone_problems:
            result.warnings.append(
                Problem(line, "phone", f"{message}; the number was left off and nothing was guessed", name)
            )
        if not phones:
            result.errors.append(
                Problem(
                    line,
                    "phone",
                    "no number in this row can be dialled or texted; left out until the source gives one",
                    name,
                )
            )
            continue
        notes = "" if note.lower() == "none" else f"Source note: {note}"
        if len(urls) > 1:
            notes = (notes + " " if notes else "") + "Other sources: " + " ; ".join(urls[1:])
        record = Resource(
            id=make_id(SOURCE, get("id")),
            name=get("name"),
            category="crisis_line",
            subcategory=slug(get("category")).replace("-", "_"),
            description=" ".join(
                [get("audience")[:1].upper() + get("audience")[1:] + "." if get("audience") else "", *said]
            ).strip(),
            phones=phones,
            website=get("web"),
            format="phone",
            coverage="national" if scope.startswith("US") else "statewide",
            hours=get("hours"),
            source=SOURCE,
            source_url=urls[0],
            as_of=ingested,
            date_basis="added",
            verification="unconfirmed" if _MAY_HAVE_ENDED.search(note) else "confirmed",
            notes=(f"Scope: {scope}. " if scope not in ("US", "Illinois") else "") + notes,
        )
        problems = validate(record, line, name)
        if problems:
            result.errors.extend(problems)
        else:
            result.records.append(record)
    return result
