"""City of Chicago medicine take-back sites (Chicago Police headquarters and district stations, and the
City's household-chemicals facility), as the HealthNear.Me project copied them in January 2014."""

from __future__ import annotations

from pathlib import Path

from directory import guard
from directory.importers.cited_rows import collect, coordinate, phone_list, read_rows, source_file
from directory.schema import ImportResult, Resource, make_id

SOURCE = "chicago-disposal-2014"
SOURCE_URL = (
    "https://github.com/cgansen/health-near-me/blob/6052fa13da27b531a0ee73ac3a7600550d074b22/"
    "data/medication-disposal-locations.json"
)
AS_OF = "2014-01-29"  # the commit that added the list (author Chris Gansen)
FILE = "chicago_medication_disposal_2014.csv"
REQUIRED = {
    "name",
    "address",
    "city",
    "state",
    "zip_code",
    "phone",
    "hours_of_operation",
    "latitude",
    "longitude",
}


@guard.entry
def parse(source: str | Path | bytes, *, file: str = "", **_: object) -> ImportResult:
    """Read chicago_medication_disposal_2014.csv (or the folder holding it) into harm-reduction records."""
    data, name = source_file(source, FILE, file)
    result = ImportResult()
    rows = read_rows(data, name, REQUIRED, "Chicago medicine take-back", result)
    return collect(result, rows, lambda line, row: _record(row, name, line, result), name)


def _record(row: dict[str, str], file: str, line: int, result: ImportResult) -> Resource:
    try:
        lat, lon, precision = float(row["latitude"]), float(row["longitude"]), "address"
    except ValueError:
        lat = lon = None
        precision = "none"
    return Resource(
        id=make_id(SOURCE, f"{row['name']} {row['address']}"),
        name=row["name"],
        category="harm_reduction",
        subcategory="medication_disposal",
        description="Medicine take-back: drop off unused or expired medicines (drug drop-off box).",
        address=row["address"],
        city=row["city"],
        state=row["state"] or "IL",
        zip=row["zip_code"],
        county="Cook",
        latitude=coordinate(lat),
        longitude=coordinate(lon),
        geocode_precision=precision,
        phones=phone_list(row["phone"], line, file, result),
        website=row.get("website", ""),
        hours=row["hours_of_operation"],
        source=SOURCE,
        source_url=SOURCE_URL,
        as_of=AS_OF,
        notes="City of Chicago list of 2014: stations are stable, hours may have changed.",
    )
