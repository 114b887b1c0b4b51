"""Human names of the data sets behind the catalog's `source` keys, for pages and printouts."""

from __future__ import annotations

SOURCE_NAMES = {
    "samhsa": "SAMHSA treatment directory (via OEPS)",
    "il-crisis-lines": "Illinois crisis and help lines (compiled from cited pages)",
    "il-statewide": "Statewide and online resources (compiled from cited pages)",
    "il-housing": "Illinois recovery homes (compiled from cited pages)",
    "il-meetings": "Illinois meetings (compiled from cited pages)",
    "findtreatment": "FindTreatment.gov (SAMHSA)",
}


def source_name(key: str) -> str:
    """The data set's name for a source key; an unknown key (a clinic's own import) is shown as it is."""
    return SOURCE_NAMES.get(key, key)
