"""SAMHSA facilities in the states around Illinois, within 25 miles of it, from OEPS's national files.

A patient in Calhoun County or Cairo is often closest to care in Missouri or Kentucky. "Within 25
miles of Illinois" is tested as: within 25 miles of the centre of some Illinois ZIP code (the
`zipcodes` package's points, GeoNames). ZIP centres lie inside Illinois, so a facility that passes is
truly within 25 miles of the state; a few just inside the line may be missed, none wrongly added.
The rows are merged into facilities by the same rule as the Illinois files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import zipcodes

from directory import geo, guard
from directory.importers import samhsa

NEIGHBOURS = ("MO", "KY", "IN", "IA", "WI")
MILES = 25.0
LAYOUTS = {
    "SubstanceUseTreatment_Geocoded.csv": ("sud", samhsa.AS_OF_2021, "SAMHSA substance use facilities, national file (as of 2021)"),
    "MentalHealthProviders_Geocoded.csv": ("mh", samhsa.AS_OF_2021, "SAMHSA mental health facilities, national file (as of 2021)"),
    "OpioidTreatmentProgram_Geocoded.csv": ("otp", samhsa.AS_OF_2021, "SAMHSA opioid treatment program directory, national file (as of 2021)"),
}  # fmt: skip


@cache
def illinois_zip_points() -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of every Illinois ZIP centre in the `zipcodes` package."""
    rows = [r for r in zipcodes.filter_by(state="IL") if r.get("lat") and r.get("long")]
    return np.array([float(r["lat"]) for r in rows]), np.array([float(r["long"]) for r in rows])


def miles_from_illinois(latitude: float, longitude: float) -> float:
    """Miles to the nearest Illinois ZIP centre (an upper bound of the distance to the state line)."""
    lats, lons = illinois_zip_points()
    return float(geo.haversine_miles(latitude, longitude, lats, lons).min())


@guard.entry
def parse(
    source: str | Path, *, states: tuple[str, ...] = NEIGHBOURS, miles: float = MILES
) -> samhsa.MergeResult:
    """Facilities of the national files in `states` within `miles` of Illinois, merged, with their state."""
    path = Path(source)
    files = [path] if path.is_file() else sorted(p for p in path.glob("*.csv") if p.name in LAYOUTS)
    result = samhsa.MergeResult()
    rows = samhsa.read_rows(files, result, layouts=LAYOUTS, states=states)
    near = []
    for row in rows:
        if row.latitude is None or row.longitude is None:
            continue
        if not geo.in_region(row.latitude, row.longitude):
            continue
        if miles_from_illinois(row.latitude, row.longitude) > miles:
            continue
        near.append(row)
    samhsa.build_records(near, result)
    result.replaced_ids = {}  # these records are new: no earlier id to map
    for record in result.records:
        if not record.county:
            result.warnings.append(
                samhsa.Problem(
                    None,
                    "county",
                    f"{record.id} ({record.name}, {record.city}, {record.state}): no file gives its county; "
                    "listed without one (no county is guessed for a facility outside Illinois)",
                    "national files",
                )
            )
    return result
