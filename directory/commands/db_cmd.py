"""`db`: the catalog database itself: `upgrade` its schema, `copy` it between stores, `check` it."""

from __future__ import annotations

import json
import sys

from directory import store as stores
from directory.catalog import CatalogError
from directory.store import DB_HELP


def add_parser(sub) -> None:
    p = sub.add_parser("db", help="upgrade, copy or check the catalog database (SQLite file or PostgreSQL)")
    db_sub = p.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply the schema migrations the database lacks")
    up.add_argument("--db", help=DB_HELP)
    up.set_defaults(run=run_upgrade)
    cp = db_sub.add_parser("copy", help="copy a whole catalog into an empty store, e.g. SQLite to PostgreSQL")
    cp.add_argument("--from", dest="source", required=True, help="path or postgresql:// URL to copy from")
    cp.add_argument("--to", dest="target", required=True, help="new file or empty postgresql:// database")
    cp.set_defaults(run=run_copy)
    ck = db_sub.add_parser("check", help="health check: reachable, schema current; exit 0 when ready")
    ck.add_argument("--db", help=DB_HELP)
    ck.add_argument("--json", action="store_true", help="print JSON")
    ck.set_defaults(run=run_check)


def run_upgrade(args) -> int:
    target = args.db or stores.default_target()
    try:
        done = stores.upgrade(target)
    except (CatalogError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    where = stores.display_target(target)
    print(f"{where}: " + ("applied " + "; ".join(done) if done else "schema already current"))
    return 0


def run_copy(args) -> int:
    from directory.store import transfer

    try:
        snapshot = transfer.copy(args.source, args.target)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"Copied {snapshot.summary()} from {stores.display_target(args.source)} "
        f"to {stores.display_target(args.target)}."
    )
    return 0


def run_check(args) -> int:
    target = args.db or stores.default_target()
    try:
        with stores.open_store(target, readonly=True) as store:
            state = {
                "store": stores.display_target(target),
                "schema_version": stores.schema_versions(store)[0],
                "catalog_version": store.version(),
                "listings": store.count(),
                "open_correction_requests": len(store.corrections()),
            }
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(state, indent=2))
    else:
        print(", ".join(f"{k}: {v}" for k, v in state.items()))
    return 0
