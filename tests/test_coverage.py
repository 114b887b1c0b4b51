"""Coverage as a figure: default-visible listings within 25 miles of each of the 102 county seats."""

import json
from pathlib import Path

import numpy as np
import zipcodes

from directory.__main__ import main
from directory.counties import COUNTY_SEATS, county_seats
from directory.coverage import KINDS, measure
from directory.schema import Resource, Slot
from directory.search import SearchIndex

ROOT = Path(__file__).resolve().parent.parent


def test_every_county_has_its_seat_placed_in_that_county():
    """102 counties; each seat is a town of its own county in the zipcodes data (or placed there)."""
    assert len(COUNTY_SEATS) == 102 and len({c for c, _ in COUNTY_SEATS}) == 102
    by_county = {s.county: s for s in county_seats()}
    assert by_county["Alexander"].seat == "Cairo" and by_county["Calhoun"].seat == "Hardin"
    for county, seat in COUNTY_SEATS:
        counties = {r["county"].replace(" County", "") for r in zipcodes.filter_by(city=seat, state="IL")}
        if counties:  # "McLeansboro" is spelt "Mc Leansboro" there
            assert any(
                county.replace(".", "").replace(" ", "").lower()
                == c.replace(".", "").replace(" ", "").lower()
                for c in counties
            ), (county, seat, counties)


def make(rid: str, **extra) -> Resource:
    values = dict(
        id=rid,
        name=f"Generated test {rid}",
        category="treatment",
        source="generated-test",
        source_url="https://example.invalid/generated-test",
        as_of="2026-10-01",
        latitude=37.0123,
        longitude=-89.1811,
        geocode_precision="city",
    )  # Cairo
    values.update(extra)
    return Resource(**values)


def test_counts_near_a_seat_and_what_is_not_counted():
    """A listing counts where it lies; unconfirmed, mental-health-only and statewide ones do not."""
    records = [
        make("otp", services=("substance_use", "opioid_treatment_program"), phones=("(618) 555-0101",)),
        make("mh", services=("mental_health",)),
        make("doubt", verification="unconfirmed"),
        make("meeting", category="support_group", schedule=(Slot(1, "19:00"),)),
        make("box", category="harm_reduction", subcategory="naloxone_distribution_box"),
        make(
            "line",
            category="crisis_line",
            coverage="statewide",
            latitude=None,
            longitude=None,
            geocode_precision="none",
        ),
    ]
    index = SearchIndex.from_records(records)
    phones = np.array([bool(r.phones) for r in records])
    result = measure(index, phones)
    cairo = next(c for c in result.counties if c.county == "Alexander")
    assert cairo.counts["treatment"] == 1 and cairo.counts["moud_with_phone"] == 1
    assert cairo.counts["meeting"] == 1 and cairo.counts["naloxone"] == 1
    cook = next(c for c in result.counties if c.county == "Cook")
    assert all(v == 0 for v in cook.counts.values())
    assert result.totals["counties_with_naloxone"] >= 1 and result.totals["counties"] == 102


def test_coverage_json_on_the_shipped_catalog(capsys):
    """`coverage --json` gives all 102 counties with every kind, and the totals of today's catalog."""
    assert main(["coverage", "--json", "--db", str(ROOT / "data" / "catalog.db")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["counties"]) == 102 and set(data["counties"][0]["counts"]) == set(KINDS)
    totals = data["totals"]
    assert totals["counties_with_naloxone"] >= 21  # the Cook County and other naloxone points
    assert (
        totals["counties_with_moud_and_phone"]
        <= totals["counties_with_moud"]
        <= totals["counties_with_treatment"]
    )
    assert "NACo" in data["seats_source"]
