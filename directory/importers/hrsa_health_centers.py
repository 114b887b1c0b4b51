"""HRSA health center sites in Illinois (federally qualified health centres and look-alikes, about 2020),
as OEPS (GeoDa Center) cleaned and geocoded them for the US COVID Atlas.

Primary care only: the file states no services, so none is claimed (no MOUD, no behavioural health).
Sites named "Temporary…" were COVID-19 testing sites and are left out, each with a line in the report.
"""

from __future__ import annotations

from pathlib import Path

from directory import geo, guard
from directory.importers.cited_rows import collect, coordinate, phone_list, read_rows, source_file
from directory.schema import ImportResult, Problem, Resource, make_id

SOURCE = "hrsa-health-centers"
SOURCE_URL = (
    "https://github.com/GeoDaCenter/opioid-policy-scan/blob/"
    "6dcef8feef4e89f53486a01dddb0ab1e5c77b385/data_raw/FQHC.csv"
)
# OEPS's metadata for this file (Access_FQHCs_MinDistance.md) was added on this day; the sites are ~2020.
AS_OF = "2021-01-05"
FILE = "hrsa_health_center_sites_il_2020.csv"
REQUIRED = {"name", "st_abbr", "city", "address", "phone", "lon", "lat"}


@guard.entry
def parse(source: str | Path | bytes, *, file: str = "", **_: object) -> ImportResult:
    """Read hrsa_health_center_sites_il_2020.csv (or the folder holding it) into health-centre records."""
    data, name = source_file(source, FILE, file)
    result = ImportResult()
    rows = read_rows(data, name, REQUIRED, "HRSA health center sites", result)
    return collect(result, rows, lambda line, row: _record(row, name, line, result), name)


def _record(row: dict[str, str], file: str, line: int, result: ImportResult) -> Resource | Problem | None:
    name = row["name"]
    if name.lower().startswith("temporary"):
        result.warnings.append(
            Problem(line, "name", f"'{name}' is a temporary COVID-19 testing site; left out", file)
        )
        return None
    if row["st_abbr"] != "IL":
        return Problem(line, "st_abbr", f"'{row['st_abbr']}' is not Illinois; only IL rows are read", file)
    try:
        lat, lon, precision = float(row["lat"]), float(row["lon"]), "address"
    except ValueError:
        lat = lon = None
        precision = "none"
    return Resource(
        id=make_id(SOURCE, f"{name} {row['address']} {row['city']}"),
        name=name,
        category="health_center",
        subcategory="fqhc_site",
        description=(
            "HRSA-funded health center site (primary care). Ask the centre which other services it offers; "
            "this list does not say."
        ),
        address=row["address"],
        city=row["city"],
        state="IL",
        # The file names no county; the city's county when all its ZIPs lie in one (the county filter).
        county=geo.city_county(row["city"]),
        latitude=coordinate(lat),
        longitude=coordinate(lon),
        geocode_precision=precision,
        phones=phone_list(row["phone"], line, file, result),
        source=SOURCE,
        source_url=SOURCE_URL,
        as_of=AS_OF,
        notes="HRSA site list of about 2020 (via OEPS, GeoDa Center): call ahead to confirm.",
    )
