"""Coverage as a figure: for each Illinois county, how many listings a person sees by default (confirmed,
active, substance-use treatment) lie within 25 miles of the county seat, by kind, and the state totals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np

from directory import schedule
from directory.counties import SEATS_SOURCE, county_seats
from directory.facets import Selection
from directory.geo import Place
from directory.query import Query

RADIUS_MILES = 25.0
# What is counted near each seat, in table order.
KINDS = (
    "treatment",
    "moud",
    "moud_with_phone",
    "support_group",
    "meeting",
    "recovery_housing",
    "harm_reduction",
    "naloxone",
    "health_center",
)
# The state totals: counties with at least one listing of the kind.
TOTALS = {
    "counties_with_treatment": "treatment",
    "counties_with_moud": "moud",
    "counties_with_moud_and_phone": "moud_with_phone",
    "counties_with_meeting": "meeting",
    "counties_with_housing": "recovery_housing",
    "counties_with_naloxone": "naloxone",
}


@dataclass(frozen=True)
class CountyCoverage:
    county: str
    seat: str
    counts: dict[str, int]


@dataclass
class Coverage:
    radius_miles: float
    counties: list[CountyCoverage] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    seats_source: str = SEATS_SOURCE

    def as_dict(self) -> dict:
        return asdict(self)


def kind_masks(index, phones: np.ndarray) -> dict[str, np.ndarray]:
    """One mask over the index per counted kind; `phones` says which records have a phone."""
    category = {c: index.is_any("category", (c,)) for c in ("treatment", "support_group", "recovery_housing")}
    n = index.size
    moud = category["treatment"] & (
        index.list_columns["moud_services"].mask(("methadone", "buprenorphine", "naltrexone"), n)
        | index.services.mask(("opioid_treatment_program",), n)
    )
    _, subcategories, _ = index.single_columns["subcategory"]
    naloxone_values = [s for s in subcategories if s.startswith("naloxone_")]
    harm = index.is_any("category", ("harm_reduction",))
    return {
        "treatment": category["treatment"],
        "moud": moud,
        "moud_with_phone": moud & phones,
        "support_group": category["support_group"],
        "meeting": category["support_group"] & index.has_slots,
        "recovery_housing": category["recovery_housing"],
        "harm_reduction": harm,
        "naloxone": harm & index.is_any("subcategory", naloxone_values),
        "health_center": index.is_any("category", ("health_center",)),
    }


def measure(
    index, phones: np.ndarray, *, radius: float = RADIUS_MILES, now: datetime | None = None
) -> Coverage:
    """Count, for every county seat, the default-visible listings with a point within `radius` miles."""
    now = now or datetime.now(schedule.TZ)
    masks = kind_masks(index, phones)
    out = Coverage(radius)
    for seat in county_seats():
        place = Place(seat.latitude, seat.longitude, f"{seat.seat} ({seat.county} County)", "city")
        plan = Selection(
            index, Query(latitude=seat.latitude, longitude=seat.longitude, radius=radius), place, now
        )
        near = plan.final & ~np.isnan(plan.distance)  # a point within the radius: not remote, not regional
        counts = {kind: int(np.count_nonzero(near & mask)) for kind, mask in masks.items()}
        out.counties.append(CountyCoverage(seat.county, seat.seat, counts))
    out.totals = {"counties": len(out.counties)} | {
        name: sum(1 for c in out.counties if c.counts[kind] > 0) for name, kind in TOTALS.items()
    }
    return out


def phones_of(catalog, index) -> np.ndarray:
    """Which records of the index have at least one phone (read from the catalog)."""
    with_phone = {row[0] for row in catalog.conn.execute("SELECT id FROM resources WHERE phones != ''")}
    return np.array([i in with_phone for i in index.ids], dtype=bool)
