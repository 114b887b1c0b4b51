"""`build`: the embedded catalog in data/, made from the public source files with the project's importers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from directory.catalog import Catalog, CatalogError
from directory.importers import (
    chicago_2011,
    compiled,
    crisis_lines,
    hrsa_health_centers,
    medicine_disposal,
    naloxone_cook,
    naloxone_pages,
    page_leads,
    project_csv,
    samhsa,
)

# The day the compiled rows and crisis lines were ingested: their as_of when a row gives no date of its own.
INGESTED = "2026-11-27"


def add_parser(sub) -> None:
    p = sub.add_parser("build", help="build data/catalog.csv and data/catalog.db from the source files")
    p.add_argument(
        "--shared", default="../shared/data", help="folder of the source data (default ../shared/data)"
    )
    p.add_argument("--out", default="data", help="output folder (default data)")
    p.add_argument("--ingested", default=INGESTED, help="as-of date for rows that give none (YYYY-MM-DD)")
    p.set_defaults(run=run)


def build(shared: Path, out: Path, ingested: str = INGESTED) -> dict:
    """Import every source, write catalog.csv and catalog.db atomically, and return the build report."""
    parts = [
        ("SAMHSA treatment facilities", samhsa.parse(shared / "treatment")),
        ("Crisis and help lines", crisis_lines.parse(shared / "crisis_lines", ingested=ingested)),
        ("Compiled resources", compiled.parse(shared / "resources", ingested=ingested)),
        ("Cook County naloxone", naloxone_cook.parse(shared / "harm_reduction", ingested=ingested)),
        (
            "Naloxone elsewhere in Illinois",
            naloxone_pages.parse(shared / "harm_reduction", ingested=ingested),
        ),
        ("Chicago medicine take-back 2014", medicine_disposal.parse(shared / "harm_reduction")),
        ("HRSA health center sites", hrsa_health_centers.parse(shared / "health_centers")),
        ("Chicago licensed recovery homes 2011", chicago_2011.parse(shared / "resources" / "chicago_2011")),
        (
            "Leads from public pages",
            page_leads.parse(shared / "resources" / "leads_from_pages", ingested=ingested),
        ),
    ]
    records, report = [], {"sources": []}
    for label, result in parts:
        records.extend(result.records)
        report["sources"].append(
            {
                "source": label,
                "rows_read": result.rows_read,
                "records": len(result.records),
                "rejected": [str(p) for p in result.errors],
                "warnings": [str(p) for p in result.warnings],
            }
        )
    out.mkdir(parents=True, exist_ok=True)
    tmp_db = out / "catalog.db.building"
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp_db) + suffix).unlink(missing_ok=True)
    with Catalog(tmp_db) as catalog:
        result = catalog.import_records(records, source="build", save_report=False)
        if not result.applied:
            raise CatalogError("; ".join(str(p) for p in result.rejected[:10]))
        catalog.set_meta("built_on", ingested)
        report["stats"] = catalog.stats()
        catalog.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        catalog.conn.execute("VACUUM")
    project_csv.write(records, out / "catalog.csv")
    tmp_db.replace(out / "catalog.db")
    for suffix in ("-wal", "-shm"):
        Path(str(out / "catalog.db") + suffix).unlink(missing_ok=True)
    (out / "build_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return report


def run(args) -> int:
    shared, out = Path(args.shared), Path(args.out)
    if not shared.is_dir():
        print(f"error: the source folder {shared} does not exist; pass --shared PATH", file=sys.stderr)
        return 2
    report = build(shared, out, args.ingested)
    for part in report["sources"]:
        print(
            f"{part['source']}: {part['rows_read']} rows read, {part['records']} records, "
            f"{len(part['rejected'])} problems"
        )
    print(f"{report['stats']['total']} records written to {out / 'catalog.csv'} and {out / 'catalog.db'}")
    return 0
