"""`python -m directory search`: find resources by place, radius, schedule and need, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from directory import catalog as catalog_module
from directory import filters
from directory.freshness import certainty
from directory.query import CARE_FOR, DAY_KEYS, SORTS, TIMES_OF_DAY, Query
from directory.schema import WEEKDAYS, format_schedule, label, resource_to_row
from directory.search import MEETINGS_ENOUGH, SearchIndex, SearchResults, search
from directory.store import DB_HELP, default_target, is_database_url, open_store
from directory.words import t

# Command-line options that map one to one onto a URL parameter of the query.
_LIST_OPTIONS = {
    "category": "cat",
    "subcategory": "sub",
    "fellowship": "fel",
    "format": "fmt",
    "day": "day",
    "time_of_day": "tod",
    "population": "pop",
    "language": "lang",
    "payment": "pay",
    "moud": "moud",
    "county": "county",
}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "search",
        help="search the catalog",
        description="Search the catalog. Several values of one option mean any of them; different options must all match.",
    )
    p.add_argument(
        "--near", default="", help="ZIP code or Illinois city (an address needs --online-geocoding)"
    )
    p.add_argument("--lat", type=float, help="latitude to search from (with --lon)")
    p.add_argument("--lon", type=float, help="longitude to search from (with --lat)")
    p.add_argument("--radius", type=float, default=10, help="miles, 1 to 100 (default 10)")
    p.add_argument("--category", action="append", default=[], help="e.g. support_group, treatment")
    p.add_argument("--subcategory", action="append", default=[])
    p.add_argument("--fellowship", action="append", default=[], help="e.g. AA, NA, SMART")
    p.add_argument("--format", action="append", default=[], help="in_person, online, hybrid or phone")
    p.add_argument("--day", action="append", default=[], help=f"weekday: {', '.join(DAY_KEYS)}")
    p.add_argument("--time-of-day", action="append", default=[], help=", ".join(TIMES_OF_DAY))
    for name in TIMES_OF_DAY:
        p.add_argument(
            f"--{name}",
            action="append_const",
            const=name,
            dest="time_of_day",
            help=f"same as --time-of-day {name}",
        )
    p.add_argument("--now", action="store_true", help="meetings in progress now")
    p.add_argument("--within", type=float, metavar="HOURS", help="meetings starting within HOURS")
    p.add_argument("--at", metavar="YYYY-MM-DDTHH:MM", help="pretend it is this Chicago time (default: now)")
    p.add_argument("--population", action="append", default=[])
    p.add_argument("--language", action="append", default=[], help="two-letter code, e.g. es")
    p.add_argument("--payment", action="append", default=[])
    p.add_argument("--moud", action="append", default=[], help="methadone, buprenorphine or naltrexone")
    p.add_argument(
        "--county",
        action="append",
        default=[],
        help='county, e.g. Peoria; a border county with its state: "Lake (IN)" (statewide and national listings stay)',
    )
    p.add_argument("--mat-friendly", action="store_true", help="welcomes people on MOUD")
    p.add_argument("--wheelchair", action="store_true")
    p.add_argument("--verified-within", type=int, metavar="MONTHS")
    p.add_argument("--include-unconfirmed", action="store_true")
    p.add_argument("--include-inactive", action="store_true")
    p.add_argument(
        "--care-for",
        choices=CARE_FOR,
        help="treatment for substance use (the default), mental health, or both",
    )
    p.add_argument("--text", "-q", default="", help="words to find in names and descriptions")
    p.add_argument("--sort", choices=SORTS, default="distance")
    p.add_argument("--limit", type=int, default=20, help="results to show (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument(
        "--online-geocoding",
        action="store_true",
        help="look up street addresses with OpenStreetMap Nominatim (sends the text to a third party)",
    )
    p.set_defaults(run=run)


def _params(args: argparse.Namespace) -> dict[str, str]:
    params: dict[str, str] = {}
    for option, key in _LIST_OPTIONS.items():
        values = getattr(args, option) or []
        if values:
            params[key] = ",".join(values)
    for option, key in (("near", "near"), ("text", "q"), ("sort", "sort")):
        if getattr(args, option):
            params[key] = getattr(args, option)
    for option, key in (("lat", "lat"), ("lon", "lon"), ("radius", "r"), ("within", "soon")):
        if getattr(args, option) is not None:
            params[key] = repr(getattr(args, option))
    if args.care_for:
        params["care"] = args.care_for
    if args.verified_within is not None:
        params["ver"] = str(args.verified_within)
    for option, key in (
        ("now", "now"),
        ("mat_friendly", "matf"),
        ("wheelchair", "wc"),
        ("include_unconfirmed", "unc"),
        ("include_inactive", "inact"),
    ):
        if getattr(args, option):
            params[key] = "1"
    return params


def _catalog_path(args: argparse.Namespace) -> str:
    return args.db or default_target()


def run(args: argparse.Namespace) -> int:
    query, notes = Query.from_params(_params(args))
    for note in notes:
        print(f"Note: {note}", file=sys.stderr)
    now = None
    if args.at:
        try:
            now = datetime.fromisoformat(args.at)
        except ValueError:
            print(f"--at '{args.at}' is not a time like 2025-03-09T19:30", file=sys.stderr)
            return 2
    path = _catalog_path(args)
    if not is_database_url(path) and not Path(path).exists():
        print(
            f"The catalog {path} does not exist; build it with `python -m directory build`.", file=sys.stderr
        )
        return 1
    geocoder = None
    if args.online_geocoding:
        from directory.geo import OnlineGeocoder

        geocoder = OnlineGeocoder()
    try:
        with open_store(path) as catalog:
            index = SearchIndex.from_catalog(catalog)
            found = search(index, query, now=now, geocoder=geocoder, limit=max(args.limit, 0))
    except catalog_module.CatalogError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if found.message:
        print(found.message, file=sys.stderr)
        return 2
    print(_as_json(found) if args.json else _as_table(found))
    return 0


def _as_json(found: SearchResults) -> str:
    place = found.place
    data = {
        "description": found.description,
        "total": found.total,
        "place": None
        if place is None
        else {"label": place.label, "latitude": place.latitude, "longitude": place.longitude},
        "results": [_json_result(r) for r in found.results],
        "facets": found.facets,
        "relaxed": found.relaxed,  # with no results: how many each filter group would give if cleared
        "confirmed_meetings": found.confirmed_meetings,
        "unconfirmed_meetings": [_json_result(r) for r in found.unconfirmed_meetings],
        "online_meetings": [_json_result(r) for r in found.online_meetings],
        "meeting_finders": [
            {"name": f.name, "fellowship": f.fellowship, "url": f.url, "id": f.resource_id}
            for f in found.meeting_finders
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _json_result(r) -> dict:
    return {
        "distance_miles": None if r.distance_miles is None else round(r.distance_miles, 2),
        "distance_label": r.distance_label,
        "next_start": r.next_start.isoformat() if r.next_start else None,
        "certainty": certainty(r.resource).words,
        **resource_to_row(r.resource),
    }


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _as_table(found: SearchResults) -> str:
    lines = [found.description + "."]
    if not found.results:
        lines.append("No confirmed results. Try a larger radius or fewer filters.")
        if found.unconfirmed_matches and not found.unconfirmed_meetings:
            lines.append(
                f"{found.unconfirmed_matches} unconfirmed listing(s) match: add --include-unconfirmed to see them "
                "(call ahead before referring)."
            )
        lines.extend(filters.relaxed_lines(found.relaxed))
    else:
        shown = len(found.results)
        lines.append(
            f"{found.total} found" + (f", showing the first {shown}" if shown < found.total else "") + "."
        )
        lines.append("")
        lines.extend(_rows(found.results))
    lines.extend(_meeting_help(found))
    return "\n".join(lines)


def _meeting_help(found: SearchResults) -> list[str]:
    """The extra meeting blocks of a search with too few confirmed meetings, as text."""
    lines: list[str] = []
    if found.unconfirmed_meetings:
        lines += ["", t("meetings.unconfirmed_title").upper()]
        lines.append(t("meetings.unconfirmed_intro", count=MEETINGS_ENOUGH))
        lines.extend(_rows(found.unconfirmed_meetings))
    if found.online_meetings:
        lines += ["", t("meetings.online_title").upper()]
        lines.extend(_rows(found.online_meetings))
    if found.meeting_finders:
        place = found.place.label if found.place else t("meetings.no_place")
        lines += ["", t("meetings.finders_title", place=place).upper(), t("meetings.finders_intro")]
        for f in found.meeting_finders:
            lines.append(f"  {_cut(f.fellowship, 14):<14} {_cut(f.name, 56):<56} {f.url}")
    return lines


def _rows(results) -> list[str]:
    lines = [f"{'where':<10} {'name':<44} {'kind':<16} {'city':<16} {'next':<10} phone"]
    for r in results:
        res = r.resource
        next_start = f"{WEEKDAYS[r.next_start.weekday()]} {r.next_start:%H:%M}" if r.next_start else ""
        if not next_start and res.schedule:
            next_start = _cut(format_schedule(res.schedule), 10)
        lines.append(
            f"{_cut(r.distance_label, 10):<10} {_cut(res.name, 44):<44} {_cut(label('category', res.category), 16):<16} "
            f"{_cut(res.city, 16):<16} {next_start:<10} {res.phones[0] if res.phones else ''}"
        )
        lines.append(f"{'':<10} {certainty(res).words}")
    return lines
