"""Human names of the data sets behind the catalog's `source` keys, for pages and printouts."""

from __future__ import annotations

from pathlib import Path

SOURCE_NAMES = {
    "samhsa": "SAMHSA treatment directory (via OEPS)",
    "cms-otp": "CMS list of Medicare-enrolled opioid treatment programs (June 2022)",
    "il-crisis-lines": "Illinois crisis and help lines (compiled from cited pages)",
    "il-statewide": "Statewide and online resources (compiled from cited pages)",
    "il-housing": "Illinois recovery homes (compiled from cited pages)",
    "il-meetings": "Illinois meetings (compiled from cited pages)",
    "findtreatment": "FindTreatment.gov (SAMHSA)",
    "cook-county-naloxone": "Cook County free naloxone points (SaveSpots compilation of county and city sources)",
    "il-naloxone-pages": "Illinois naloxone points (from county and news pages)",
    "chicago-disposal-2014": "City of Chicago medicine take-back sites (2014)",
    "hrsa-health-centers": "HRSA health center sites (via OEPS, about 2020)",
    "chicago-2011": "City of Chicago licensed recovery homes (2011 list)",
    "il-leads-pages": "Leads from public pages (unconfirmed)",
    # the live feeds of data/sources.toml
    "findtreatment-il": "FindTreatment.gov locator (SAMHSA), Illinois",
    "na-greater-illinois": "Greater Illinois Region of NA (meeting list)",
    "na-chicagoland": "Chicagoland Region of NA (meeting list)",
    "aa-chicago": "Chicago Area Service Office, AA (meeting list)",
    "aa-springfield-il": "Springfield, IL AA (meeting list)",
}


def source_name(key: str) -> str:
    """The data set's name for a source key; an unknown key (a clinic's own import) is shown as it is."""
    return SOURCE_NAMES.get(key, key)


def credits_documents() -> tuple[str, str]:
    """The catalog's provenance (data/SOURCES.md) and the map assets' credits (static/SOURCES.md); "" when absent."""
    root = Path(__file__).resolve().parent.parent
    return tuple(  # type: ignore[return-value]
        p.read_text(encoding="utf-8") if p.is_file() else ""
        for p in (root / "data" / "SOURCES.md", root / "static" / "SOURCES.md")
    )
