"""The City of Chicago's 2011 list of IDHS-licensed substance-use providers: its licensed recovery homes
("RH" in the service modalities) become recovery-housing leads, unconfirmed and dated 2011.

Fifteen years old, so never a confirmed listing; the other providers of the list (outpatient,
residential, methadone, DUI) are not imported: the SAMHSA lists are newer for those.
"""

from __future__ import annotations

from pathlib import Path

from directory import guard
from directory.importers.cited_rows import collect, coordinate, phone_list, read_rows, source_file
from directory.schema import ImportResult, Resource, make_id

SOURCE = "chicago-2011"
SOURCE_URL = "https://data.cityofchicago.org/resource/9zqv-3uhs.json"
AS_OF = "2011-01-01"  # the list is "Licensed Substance Abuse Treatment Providers in Chicago, 2011"
FILE = "chicago_licensed_sud_providers_2011.csv"
REQUIRED = {
    "name",
    "address",
    "suite_floor_number",
    "city",
    "zip_code",
    "phone",
    "service_modalities",
    "population_served",
    "payment_method",
    "latitude",
    "longitude",
    "is_recovery_home",
}


@guard.entry
def parse(source: str | Path | bytes, *, file: str = "", **_: object) -> ImportResult:
    """Read the 2011 list (or the folder holding it); only its recovery homes become records."""
    data, name = source_file(source, FILE, file)
    result = ImportResult()
    rows = (
        (line, row)
        for line, row in read_rows(data, name, REQUIRED, "Chicago 2011 licensed providers", result)
        if row["is_recovery_home"].lower() == "yes"
    )
    return collect(result, rows, lambda line, row: _record(row, name, line, result), name)


def _record(row: dict[str, str], file: str, line: int, result: ImportResult) -> Resource:
    try:
        lat, lon, precision = float(row["latitude"]), float(row["longitude"]), "address"
    except ValueError:
        lat = lon = None
        precision = "none"
    sliding = "sliding" in row["payment_method"].lower()
    return Resource(
        id=make_id(SOURCE, f"{row['name']} {row['address']} {row['suite_floor_number']}"),
        name=row["name"],
        category="recovery_housing",
        subcategory="licensed_recovery_home",
        description=(
            f"Listed in 2011 as an IDHS-licensed recovery home. Services then: {row['service_modalities']}. "
            f"Served: {row['population_served']}."
        ),
        address=row["address"],
        address2=row["suite_floor_number"],
        city=row["city"],
        state="IL",
        zip=row["zip_code"],
        county="Cook",
        latitude=coordinate(lat),
        longitude=coordinate(lon),
        geocode_precision=precision,
        phones=phone_list(row["phone"], line, file, result),
        payment=("sliding_fee",) if sliding else (),
        cost=row["payment_method"],
        license="IDHS licensed recovery home (2011)",
        source=SOURCE,
        source_url=SOURCE_URL,
        as_of=AS_OF,
        verification="unconfirmed",
        notes="A lead from the City of Chicago's 2011 list: it may have closed or moved. Check before referring.",
    )
