"""Free naloxone points, a syringe programme and a take-back kiosk elsewhere in Illinois, each copied from
a public page (county health department releases, news reports) with that page's address and date.

Rows without a street address, and boxes only approved, are kept as unconfirmed; an undated page's
row is marked undated (date_basis "added").
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from directory import guard
from directory.importers.cited_rows import collect, coordinate, read_rows, source_date, source_file, split_zip
from directory.importers.cited_rows import place as locate
from directory.schema import ImportResult, Problem, Resource, make_id

SOURCE = "il-naloxone-pages"
FILE = "il_naloxone_sites_from_pages.csv"
REQUIRED = {
    "site_name",
    "address",
    "city",
    "county",
    "kind",
    "operator_or_partner",
    "access_notes",
    "source_url",
    "source_date",
}
SUBCATEGORIES = {
    "vending_machine": "naloxone_vending_machine",
    "distribution_box": "naloxone_distribution_box",
    "pickup": "naloxone_pickup",
    "newsstand": "naloxone_newsstand",
    "medication_disposal": "medication_disposal",
    "syringe_service_program": "syringe_service_program",
}
DESCRIPTIONS = {
    "naloxone_vending_machine": "Free naloxone vending machine.",
    "naloxone_distribution_box": "Free naloxone distribution box.",
    "naloxone_pickup": "Free naloxone pickup.",
    "naloxone_newsstand": "Free naloxone newsstand.",
    "medication_disposal": "Medicine take-back: drop off unused or expired medicines.",
    "syringe_service_program": "Syringe services programme with naloxone and training.",
}


@guard.entry
def parse(source: str | Path | bytes, *, ingested: str | None = None, file: str = "") -> ImportResult:
    """Read il_naloxone_sites_from_pages.csv (or the folder holding it) into harm-reduction records."""
    data, name = source_file(source, FILE, file)
    ingested = ingested or date.today().isoformat()
    result = ImportResult()
    rows = read_rows(data, name, REQUIRED, "naloxone-from-pages", result)
    return collect(result, rows, lambda line, row: _record(row, ingested, name, line), name)


def _city(text: str) -> str:
    """'Chicago (Uptown)' -> 'Chicago', 'Urbana/Champaign' -> 'Urbana', '(Jersey County)' -> ''."""
    text = re.sub(r"\(.*?\)", "", text).strip()
    return text.split("/")[0].strip()


def _record(row: dict[str, str], ingested: str, file: str, line: int) -> Resource | Problem:
    urls = [u for u in re.split(r"\s*[;\s]\s*", row["source_url"]) if u.startswith("http")]
    if not urls:
        return Problem(
            line, "source_url", "no source web address; a record without provenance is left out", file
        )
    kind_text = row["kind"]
    base = kind_text.split()[0]
    subcategory = SUBCATEGORIES.get(base)
    if subcategory is None:
        return Problem(line, "kind", f"'{kind_text}' is not a known kind of site", file)
    address, zip_code = split_zip(row["address"])
    city = _city(row["city"])
    county = row["county"].replace("County", "").strip()
    lat, lon, precision, _ = locate(zip_code, city)
    as_of = source_date(row["source_date"])
    doubt = []
    if not address:
        doubt.append("the page gives no street address")
    if "approved" in kind_text:
        doubt.append("the page says the site was approved, not that it is open")
    notes = [f"Page date: {row['source_date']}."]
    if "+" in kind_text:
        notes.append(f"Also: {kind_text.split('+', 1)[1].strip()}.")
    if doubt:
        notes.append("Not confirmed: " + "; ".join(doubt) + ".")
    if len(urls) > 1:
        notes.append("Other sources: " + " ; ".join(urls[1:]))
    description = DESCRIPTIONS[subcategory]
    if row["access_notes"]:
        description += f" {row['access_notes'][0].upper()}{row['access_notes'][1:]}."
    return Resource(
        id=make_id(SOURCE, f"{row['site_name']} {row['address']} {row['city']}"),
        name=row["site_name"],
        category="harm_reduction",
        subcategory=subcategory,
        organization=row["operator_or_partner"],
        description=description,
        address=address,
        city=city,
        state="IL",
        zip=zip_code,
        county=county,
        latitude=coordinate(lat),
        longitude=coordinate(lon),
        geocode_precision=precision,
        payment=("free",) if subcategory.startswith("naloxone") else (),
        source=SOURCE,
        source_url=urls[0],
        as_of=as_of or ingested,
        date_basis="source" if as_of else "added",
        verification="unconfirmed" if doubt else "confirmed",
        notes=" ".join(notes),
    )
