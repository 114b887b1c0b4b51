"""One importer per source format, all of one shape: `parse(source) -> ImportResult(records, errors)`.

Adding a format means one new module and one line in `FORMATS`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# format name -> module under directory.importers; modules are imported on first use.
FORMATS: dict[str, str] = {
    "csv": "project_csv",
    "samhsa": "samhsa",
    "compiled": "compiled",
    "crisis": "crisis_lines",
    "meeting-guide": "meeting_guide",
    "bmlt": "bmlt",
    "findtreatment": "findtreatment",
    "hsds": "hsds",
    "cook-naloxone": "naloxone_cook",
    "naloxone-pages": "naloxone_pages",
    "chicago-disposal": "medicine_disposal",
    "hrsa": "hrsa_health_centers",
    "chicago-2011": "chicago_2011",
    "page-leads": "page_leads",
    "cms-otp": "cms_otp",
}


def importer(name: str) -> ModuleType:
    """The importer module for a format name; ValueError naming the known formats otherwise."""
    if name not in FORMATS:
        raise ValueError(f"unknown format '{name}'; use one of: {', '.join(FORMATS)}")
    return importlib.import_module(f"directory.importers.{FORMATS[name]}")
