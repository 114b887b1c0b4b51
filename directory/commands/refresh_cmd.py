"""`refresh [--source NAME] [--dry-run] [--force]`: update the catalog from the live feeds in sources.toml.

Every feed is fetched before anything is written, so without a network the command says so in one
line, leaves the catalog untouched (it is only opened read-only) and exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from directory.catalog import CatalogError
from directory.progress import TextProgressBar
from directory.refresh import (
    FetchOptions,
    SourcesError,
    apply_fetched,
    fetch_source,
    load_sources,
    sources_path,
    validators,
)
from directory.store import DB_HELP, default_target, is_database_url, open_store

MAX_CHANGES_SHOWN = 20


def add_parser(sub) -> None:
    p = sub.add_parser("refresh", help="update the catalog from the live feeds (needs a network)")
    p.add_argument("--source", action="append", metavar="NAME", help="refresh only this source (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="fetch and report what would change; write nothing")
    p.add_argument(
        "--force", action="store_true", help="apply even when a feed lost more than half its records"
    )
    p.add_argument("--db", help=DB_HELP)
    p.add_argument(
        "--sources",
        default=str(sources_path()),
        help="sources registry (default $AFTERCARE_SOURCES or data/sources.toml)",
    )
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a server (default 20)")
    p.add_argument(
        "--retries", type=int, default=3, help="retries after a server error or timeout (default 3)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        sources = load_sources(args.sources)
    except SourcesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.source:
        known = {s.name: s for s in sources}
        unknown = [n for n in args.source if n not in known]
        if unknown:
            print(f"error: unknown source {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
            return 1
        chosen = [known[n] for n in args.source]
        disabled = [s.name for s in chosen if not s.enabled]
        if disabled:
            print(
                f"error: {', '.join(disabled)} is disabled in {args.sources} (see its note); "
                "set enabled = true there once its use is confirmed",
                file=sys.stderr,
            )
            return 1
    else:
        chosen = [s for s in sources if s.enabled]
    if not chosen:
        print("Nothing to refresh: no source is enabled.")
        return 0
    target = args.db or default_target()
    exists = is_database_url(target) or Path(target).exists()
    options = FetchOptions(timeout=args.timeout, retries=args.retries)
    bar = None if args.quiet else TextProgressBar()

    # Fetch everything first, reading validators from a read-only catalog, so a run without a
    # network never opens the catalog for writing.
    fetched_all = []
    try:
        reader = open_store(target, readonly=True) if exists else None
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        for source in chosen:
            etag, modified = validators(reader, source) if not args.force else ("", "")
            fetched = fetch_source(source, etag=etag, last_modified=modified, options=options, progress=bar)
            if bar and fetched.no_network:
                bar.clear()
            elif bar:
                bar.finish()
            if fetched.no_network:
                print(f"No network: {fetched.error}. The catalog was not changed.", file=sys.stderr)
                return 2
            fetched_all.append(fetched)
    finally:
        if reader is not None:
            reader.close()

    status = 0
    try:
        # A dry run reads the catalog only; without a catalog file it compares with an empty one.
        catalog = (
            open_store(target, readonly=True)
            if args.dry_run and exists
            else open_store(":memory:" if args.dry_run else target)
        )
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    with catalog:
        for fetched in fetched_all:
            report = apply_fetched(catalog, fetched, dry_run=args.dry_run, force=args.force, progress=bar)
            if bar:
                bar.finish()
            print(report.summary())
            for rid, fields in list(report.changed.items())[:MAX_CHANGES_SHOWN]:
                for name, (old, new) in fields.items():
                    print(f"  {rid}: {name}: {old!r} -> {new!r}")
            if len(report.changed) > MAX_CHANGES_SHOWN:
                print(f"  ... and {len(report.changed) - MAX_CHANGES_SHOWN} more changed records")
            if report.status in ("failed", "refused"):
                status = 1
    return status
