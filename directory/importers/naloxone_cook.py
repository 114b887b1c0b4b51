"""Free naloxone access points in Cook County (vending machines, boxes, libraries, newsstands), as the
SaveSpots research project compiled them from Cook County Health, CDPH and City of Chicago sources.

The compiler's own source for each row is kept in the notes; a row whose source names no date is
marked undated (date_basis "added") rather than given the build date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from directory import guard
from directory.importers.cited_rows import collect, coordinate, read_rows, source_date
from directory.importers.cited_rows import place as locate
from directory.schema import ImportResult, Problem, Resource, make_id

SOURCE = "cook-county-naloxone"
SOURCE_URL = (
    "https://github.com/Ilyas1434/SaveSpots-research-exploration/blob/"
    "45e6f1b9eb84dcb280e6552a0e3df2a1f5a0b5f0/data/clean/naloxone_locations.geojson"
)
FILES = ("cook_county_naloxone_2025.csv", "cook_county_naloxone_2025_not_geocoded.csv")
REQUIRED = {"name", "address", "city", "zip", "type", "operator", "source"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# The compiler's CPL claim, dated by the page that corroborates it (hpherald.com, December 2022).
_CPL_DATE = "2022-12-01"
KINDS = {
    "library": "Free naloxone at the library desk",
    "distribution_box": "Free naloxone distribution box",
    "vending_machine": "Free naloxone vending machine",
    "newsstand": "Free naloxone newsstand",
    "government": "Free naloxone pickup",
    "harm_reduction_org": "Free naloxone from a harm-reduction organisation",
    "pharmacy": "Free naloxone pickup (pharmacy)",
}


def row_date(source: str) -> str:
    """'CCH press release Sep 2025' -> 2025-09-01, 'CCH website 2025' -> 2025-01-01, no year -> ''."""
    words = source.lower().split()
    for i, word in enumerate(words[:-1]):
        if word[:3] in _MONTHS and words[i + 1].isdigit() and len(words[i + 1]) == 4:
            return f"{words[i + 1]}-{_MONTHS[word[:3]]:02d}-01"
    if "chicago public library" in source.lower() or "cpl branches" in source.lower():
        return _CPL_DATE
    return source_date(source)


@guard.entry
def parse(source: str | Path | bytes, *, ingested: str | None = None, file: str = "") -> ImportResult:
    """Read the Cook County naloxone CSVs in a folder (or one of them, or an upload's bytes) into records."""
    if isinstance(source, bytes):
        files = [(source, file or FILES[0])]
    else:
        path = Path(source)
        paths = [path] if path.is_file() else [path / f for f in FILES if (path / f).is_file()]
        files = [(p.read_bytes(), p.name) for p in paths]
    ingested = ingested or date.today().isoformat()
    result = ImportResult()
    for data, name in files:
        rows = read_rows(data, name, REQUIRED, "Cook County naloxone", result)
        collect(result, rows, lambda line, row, f=name: _record(row, ingested, f, line), name)
    return result


def _record(row: dict[str, str], ingested: str, file: str, line: int) -> Resource | Problem:
    kind = row["type"].lower().replace(" ", "_")
    if kind not in KINDS:
        return Problem(line, "type", f"'{row['type']}' is not a known kind of naloxone point", file)
    address = row["address"].split(",")[0].strip()  # "1969 W Ogden Ave, Chicago, IL 60612"
    city, zip_code = row["city"], row["zip"]
    name = row["name"]
    if name == "Chicago Public Library":
        name = f"Chicago Public Library – {address}"  # the compilation lost the branch names
    try:
        lat, lon = float(row.get("lat") or ""), float(row.get("lon") or "")
        precision = "address"
    except ValueError:
        lat, lon, precision, _ = locate(zip_code, city)
    as_of = row_date(row["source"])
    notes = f"Compiler's source: {row['source']}."
    if file.endswith("not_geocoded.csv"):
        notes += " Not geocoded by the compiler: placed at its ZIP code's centre."
    return Resource(
        id=make_id(SOURCE, f"{name} {address} {city}"),
        name=name,
        category="harm_reduction",
        subcategory=f"naloxone_{kind}",
        organization=row["operator"],
        description=KINDS[kind] + ".",
        address=address,
        city=city,
        state="IL",
        zip=zip_code,
        county="Cook",
        latitude=coordinate(lat),
        longitude=coordinate(lon),
        geocode_precision=precision,
        payment=("free",),
        source=SOURCE,
        source_url=SOURCE_URL,
        as_of=as_of or ingested,
        date_basis="source" if as_of else "added",
        notes=notes + " Host sites change often: check before going.",
    )
