"""Leads copied from public pages: Oxford Houses, recovery community centres, a mental-health drop-in and
medicine take-back sites, each with its page and the date the page gives. All are unconfirmed leads."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from directory import guard
from directory.importers.cited_rows import collect, coordinate, read_rows, source_date, source_file
from directory.importers.cited_rows import place as locate
from directory.schema import ImportResult, Problem, Resource, make_id

SOURCE = "il-leads-pages"
FILE = "il_recovery_sites_from_pages.csv"
REQUIRED = {"kind", "name", "address", "city", "state", "source_url", "source_date", "note"}
# kind -> (category, subcategory, description)
KINDS = {
    "oxford_house": (
        "recovery_housing",
        "oxford_house",
        "Oxford House (self-run, self-supporting recovery home).",
    ),
    "recovery_community_center": (
        "support_group",
        "recovery_community_center",
        "Recovery community centre: peer support and meetings.",
    ),
    "mental_health_dropin": ("support_group", "mental_health_dropin", "Peer-based mental-health drop-in."),
    "rx_takeback": (
        "harm_reduction",
        "medication_disposal",
        "Medicine take-back: drop off unused medicines.",
    ),
}
_NO_ADDRESS = re.compile(r"not given|no street number|no number given", re.I)


@guard.entry
def parse(source: str | Path | bytes, *, ingested: str | None = None, file: str = "") -> ImportResult:
    """Read il_recovery_sites_from_pages.csv (or the folder holding it) into unconfirmed leads."""
    data, name = source_file(source, FILE, file)
    ingested = ingested or date.today().isoformat()
    result = ImportResult()
    rows = read_rows(data, name, REQUIRED, "leads-from-pages", result)
    return collect(result, rows, lambda line, row: _record(row, ingested, name, line), name)


def _record(row: dict[str, str], ingested: str, file: str, line: int) -> Resource | Problem:
    urls = [u for u in re.split(r"\s*;\s*|\s+", row["source_url"]) if u.startswith("http")]
    if not urls:
        return Problem(
            line, "source_url", "no source web address; a record without provenance is left out", file
        )
    if row["kind"] not in KINDS:
        return Problem(line, "kind", f"'{row['kind']}' is not a known kind of lead", file)
    category, subcategory, description = KINDS[row["kind"]]
    address = "" if _NO_ADDRESS.search(row["address"]) or row["address"].startswith("(") else row["address"]
    lat, lon, precision, county = locate("", row["city"])
    as_of = source_date(row["source_date"])
    notes = [f"Page date: {row['source_date']}."]
    if address != row["address"]:
        notes.append(f"Where, as the page says: {row['address']}.")
    if row["note"]:
        notes.append(f"Page note: {row['note']}.")
    if len(urls) > 1:
        notes.append("Other sources: " + " ; ".join(urls[1:]))
    notes.append("A lead from a public page, not a registry: check before going.")
    return Resource(
        id=make_id(SOURCE, f"{row['name']} {row['address']} {row['city']}"),
        name=row["name"],
        category=category,
        subcategory=subcategory,
        description=description,
        address=address,
        city=row["city"],
        state=row["state"] or "IL",
        county=county,
        latitude=coordinate(lat),
        longitude=coordinate(lon),
        geocode_precision=precision,
        source=SOURCE,
        source_url=urls[0],
        as_of=as_of or ingested,
        date_basis="source" if as_of else "added",
        verification="unconfirmed",
        notes=" ".join(notes),
    )
