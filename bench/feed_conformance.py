"""Feed conformance figures for the shipped catalog (issue 11): schema violations of the Meeting Guide and HSDS
exports, round-trip field differences, and a year of iCalendar occurrences checked against the schedule.

Validators and engines are other people's: the spec JSON Schemas in ../shared/data/specs, jsonschema,
recurring-ical-events, the `ical` package, and ical.js through node when AFTERCARE_ICALJS names its
dist/ical.es5.cjs. Prints figures only.
Run: .venv/bin/python bench/feed_conformance.py
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from directory import schedule  # noqa: E402
from directory.catalog import Catalog  # noqa: E402
from directory.importers import hsds, meeting_guide  # noqa: E402
from directory.render.exports import export_referral_list  # noqa: E402
from directory.render.hsds_export import REPORT_FILE, export_hsds, export_hsds_json, export_hsds_zip  # noqa: E402
from directory.render.meeting_guide_export import export_meeting_guide, meeting_entries  # noqa: E402
from tests.feed_conformance import hsds_errors, meeting_guide_errors  # noqa: E402
from tests.test_ics_engines import EXPAND_JS, by_ical_package, by_recurring_ical_events  # noqa: E402

SPECS = ROOT.parent / "shared" / "data" / "specs"
CHICAGO = ZoneInfo("America/Chicago")


def main() -> None:
    with Catalog(ROOT / "data" / "catalog.db", readonly=True) as catalog:
        records = catalog.records()
    print(f"catalog: {len(records)} records")

    entries = meeting_entries(records)
    errors = meeting_guide_errors(entries, SPECS)
    print(
        f"\nMeeting Guide: {len(entries)} entries, {len(errors)} schema errors on {len({e[0] for e in errors})}"
    )
    for (field, kind), n in collections.Counter((e[1], e[2].split(" ")[-3]) for e in errors).most_common():
        print(f"  {n:4d}  {field} ({kind} ...)")
    back = {r.id: r for r in meeting_guide.parse(export_meeting_guide(records), source_key="rt").records}
    print(f"  round trip: {len(back)} records read back from {len(entries)} entries")

    files = export_hsds(records)
    violations = hsds_errors(files, SPECS)
    report = files[REPORT_FILE].decode("utf-8").splitlines()
    print(f"\nHSDS 3: {len(violations)} schema violations; export report: {len(report)} lines")
    for (table, field), n in collections.Counter((v[0], v[2]) for v in violations).most_common(10):
        print(f"  {n:4d}  {table}.{field}")
    by_id = {r.id: r for r in records}
    for form, data in (("CSV zip", export_hsds_zip(records)), ("JSON", export_hsds_json(records))):
        result = hsds.parse(data, as_of="2026-01-01")
        diffs = sum(
            getattr(r, f) != getattr(by_id[r.id], f) for r in result.records for f in r.__dataclass_fields__
        )
        print(
            f"  re-import ({form}): {len(result.records)} records, {len(result.errors)} refused, {diffs} field differences"
        )

    meetings = [r for r in records if r.category == "support_group" and r.schedule]
    stamp = datetime(2026, 1, 1, 9, tzinfo=CHICAGO)
    data = export_referral_list(meetings, "ics", generated=stamp)
    end = datetime(2027, 1, 1, tzinfo=UTC)
    want = collections.Counter(
        (s.astimezone(UTC), e.astimezone(UTC))
        for r in meetings
        for _, s, e in schedule.occurrences_between(r.schedule, date(2026, 1, 1), 365)
        if stamp <= s and s.astimezone(UTC) < end
    )
    print(
        f"\niCalendar, {len(meetings)} meetings, 2026 (DST changes 8 March and 1 November): {sum(want.values())} occurrences"
    )
    engines = {"recurring-ical-events": by_recurring_ical_events, "ical": by_ical_package}
    for name, engine in engines.items():
        got = collections.Counter((o[1], o[2]) for o in engine(data) if stamp <= o[1] < end)
        print(f"  {name}: {sum((got & want).values())} match, {sum((got - want).values())} differ")
    icaljs = os.environ.get("AFTERCARE_ICALJS")
    if icaljs and shutil.which("node"):
        run = subprocess.run(["node", "-e", EXPAND_JS, icaljs], input=data, capture_output=True, check=True)
        got = collections.Counter(
            (datetime.fromisoformat(s), datetime.fromisoformat(e))
            for _, s, e in json.loads(run.stdout)
            if stamp <= datetime.fromisoformat(s) < end
        )
        print(
            f"  ical.js (the file's own VTIMEZONE): {sum((got & want).values())} match, {sum((got - want).values())} differ"
        )
    else:
        print("  ical.js: skipped (set AFTERCARE_ICALJS to ical.js's dist/ical.es5.cjs)")


if __name__ == "__main__":
    main()
