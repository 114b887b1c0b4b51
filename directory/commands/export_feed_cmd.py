"""`export-feed meeting-guide|hsds`: the catalog as a Meeting Guide feed or an HSDS 3 package (and JSON)."""

from __future__ import annotations

import sys
from pathlib import Path

from directory.catalog import CatalogError
from directory.commands.export_cmd import open_catalog
from directory.render.hsds_export import REPORT_FILE, export_hsds, export_hsds_json
from directory.render.meeting_guide_export import export_meeting_guide


def add_parser(sub) -> None:
    p = sub.add_parser("export-feed", help="publish the catalog as a Meeting Guide feed or an HSDS 3 package")
    p.add_argument("format", choices=("meeting-guide", "hsds"))
    p.add_argument("--out", required=True, help="meeting-guide: the .json file; hsds: the package folder")
    p.add_argument("--json", help="hsds only: also write the HSDS JSON form (a paged list of services) here")
    p.add_argument("--db", help="catalog database (default data/catalog.db or $AFTERCARE_CATALOG)")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.json and args.format != "hsds":
        print("error: --json is for the hsds format only", file=sys.stderr)
        return 2
    try:
        with open_catalog(args.db) as catalog:
            records = catalog.records()
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    try:
        if args.format == "meeting-guide":
            data = export_meeting_guide(records)
            out.write_bytes(data)
            count = data.count(b'"slug"')
            print(f"Wrote the Meeting Guide feed to {out} ({count} entries, one per meeting time).")
            return 0
        files = export_hsds(records, out)
        report = files[REPORT_FILE].decode("utf-8").splitlines()
        print(
            f"Wrote the HSDS 3 package ({len(files) - 1} files) to {out}/; {len(report)} rows left out or noted "
            f"(see {out / REPORT_FILE})."
        )
        if args.json:
            Path(args.json).write_bytes(export_hsds_json(records))
            print(f"Wrote the HSDS 3 JSON form to {args.json}.")
    except OSError as exc:
        print(f"error: cannot write {exc.filename or out}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0
