"""`export`: a referral list (resource ids in order) as CSV, Excel, PDF, print HTML or iCalendar."""

from __future__ import annotations

import sys
from pathlib import Path

from directory.catalog import CatalogError
from directory.render.exports import EXPORT_FORMATS, FontMissing, export_referral_list
from directory.store import DB_HELP, Store, open_store
from directory.translation import LANGUAGES

LANG_HELP = (
    "language of the file's words, dates and times: en or es (default en); catalog text stays as written"
)


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="write a referral list as csv, xlsx, pdf, html or ics")
    p.add_argument("--ids", required=True, help="resource ids, comma-separated, in the order to print")
    p.add_argument("--format", required=True, choices=sorted(EXPORT_FORMATS), help="file format")
    p.add_argument("--out", required=True, help="file to write")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help=LANG_HELP)
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(run=run)


def open_catalog(db: str | None) -> Store:
    """The catalog, read-only: an export never changes it (and never creates an empty one by mistake)."""
    return open_store(db, readonly=True)


def run(args) -> int:
    ids = [part.strip() for part in args.ids.split(",") if part.strip()]
    if not ids:
        print("error: --ids is empty; give resource ids separated by commas", file=sys.stderr)
        return 2
    try:
        with open_catalog(args.db) as catalog:
            resources = catalog.get_many(ids)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    found = {r.id for r in resources}
    missing = [i for i in ids if i not in found]
    if missing:
        print(
            f"error: {len(missing)} id(s) are not in the catalog: {', '.join(missing[:10])}"
            f"{' …' if len(missing) > 10 else ''}; check them with `python -m directory search`",
            file=sys.stderr,
        )
        return 1
    try:
        data = export_referral_list(resources, args.format, lang=args.lang)
    except FontMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote {len(resources)} resources to {out} ({args.format}, {len(data):,} bytes).")
    return 0
