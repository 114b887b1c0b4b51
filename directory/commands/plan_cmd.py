"""`plan render`: a saved care-plan file as PDF, print HTML and a first-30-days calendar.

Nothing from the plan is printed to the terminal: only file names and counts, so logs hold no patient data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from directory.catalog import CatalogError
from directory.commands.export_cmd import LANG_HELP, open_catalog
from directory.plans import MAX_BYTES, PlanFileError, plan_from_json
from directory.render.exports import FontMissing
from directory.render.plan import catalog_crisis_lines, render_plan_html, render_plan_ics, render_plan_pdf
from directory.store import DB_HELP
from directory.translation import LANGUAGES


def add_parser(sub) -> None:
    p = sub.add_parser("plan", help="work with saved care-plan files")
    plan_sub = p.add_subparsers(dest="plan_command", required=True)
    r = plan_sub.add_parser("render", help="render a plan file to PDF, HTML and/or iCalendar")
    r.add_argument("plan", help="plan file (.json) saved from the Care plan page")
    r.add_argument("--pdf", help="PDF file to write")
    r.add_argument("--html", help="print HTML file to write")
    r.add_argument("--ics", help="iCalendar file (first 30 days) to write")
    r.add_argument(
        "--paper", choices=("letter", "a4"), default="letter", help="PDF paper size (default letter)"
    )
    r.add_argument("--lang", choices=LANGUAGES, default="en", help=LANG_HELP)
    r.add_argument("--db", help=DB_HELP)
    r.set_defaults(run=run)


def run(args) -> int:
    if not (args.pdf or args.html or args.ics):
        print("error: nothing to write; give --pdf FILE, --html FILE and/or --ics FILE", file=sys.stderr)
        return 2
    path = Path(args.plan)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise PlanFileError("the file is over 1 MB; a plan file is a few kilobytes")
        plan = plan_from_json(path.read_bytes())
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    except PlanFileError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 1
    try:
        with open_catalog(args.db) as catalog:
            resources = catalog.get_many(plan.resource_ids)
            lines = catalog_crisis_lines(catalog)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    missing = len(set(plan.resource_ids) - {r.id for r in resources})
    if missing:
        print(
            f"warning: {missing} resource(s) of the plan are no longer in the catalog; printing without them",
            file=sys.stderr,
        )
    outputs = []
    try:
        if args.pdf:
            pdf = render_plan_pdf(plan, resources, args.paper, catalog_lines=lines, lang=args.lang)
            outputs.append((args.pdf, pdf))
        if args.html:
            html = render_plan_html(plan, resources, catalog_lines=lines, lang=args.lang)
            outputs.append((args.html, html.encode("utf-8")))
        if args.ics:
            outputs.append((args.ics, render_plan_ics(plan, resources, lang=args.lang)))
    except FontMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, data in outputs:
        try:
            Path(name).write_bytes(data)
        except OSError as exc:
            print(f"error: cannot write {name}: {exc.strerror}", file=sys.stderr)
            return 1
        print(f"Wrote {name} ({len(data):,} bytes).")
    return 0
