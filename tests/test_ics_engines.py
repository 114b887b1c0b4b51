"""The iCalendar export expanded by calendar engines we did not write, compared with the catalog's schedule
for a whole year, across both daylight-saving changes; and its VTIMEZONE read on its own terms."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream

from directory import schedule
from directory.catalog import Catalog
from directory.render.exports import export_referral_list
from directory.schema import Resource, Slot

ROOT = Path(__file__).resolve().parent.parent
CHICAGO = ZoneInfo("America/Chicago")
STAMP = datetime(2026, 1, 1, 9, 0, tzinfo=CHICAGO)
YEAR_START, YEAR_END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
# 2026: clocks go forward on 8 March (02:00 → 03:00) and back on 1 November (02:00 → 01:00).
EDGE_CASES = Resource(
    id="gen-ics-edges",
    name="Generated Test Meeting At Awkward Hours",
    category="support_group",
    source="gen-test",
    source_url="https://example.org/generated-test/ics",
    as_of="2025-12-01",
    schedule=(
        Slot(6, "01:30", "02:30"),  # the fall-back night shows 01:30 twice
        Slot(6, "02:30", "03:30"),  # the spring-forward night has no 02:30
        Slot(1, "19:00", "20:00"),
        Slot(5, "23:30", "00:30"),
    ),
)


def _meetings() -> list[Resource]:
    with Catalog(ROOT / "data" / "catalog.db", readonly=True) as catalog:
        shipped = [r for r in catalog.records() if r.category == "support_group" and r.schedule]
    return [EDGE_CASES, *shipped]


def _uid(resource: Resource, slot: Slot) -> str:
    n = sorted(s for s in resource.schedule if s.weekday == slot.weekday).index(slot) + 1
    return f"{resource.id}-{slot.weekday}-{n}@illinois-aftercare-directory"


def expected(resources: list[Resource]) -> set[tuple[str, datetime, datetime]]:
    """(uid, start, end) in UTC of every meeting in 2026 by the catalog's own clock rules."""
    found = set()
    for r in resources:
        for slot, start, end in schedule.occurrences_between(r.schedule, date(2026, 1, 1), 365):
            found.add((_uid(r, slot), start.astimezone(UTC), end.astimezone(UTC)))
    return found


def by_recurring_ical_events(data: bytes) -> set[tuple[str, datetime, datetime]]:
    calendar = icalendar.Calendar.from_ical(data)
    return {
        (str(e["UID"]), e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
        for e in recurring_ical_events.of(calendar).between(YEAR_START, YEAR_END)
    }


def by_ical_package(data: bytes) -> set[tuple[str, datetime, datetime]]:
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return {
        (e.uid, e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in itertools.takewhile(
            lambda e: e.dtstart < YEAR_END, calendar.timeline.overlapping(YEAR_START, YEAR_END)
        )
    }


@pytest.fixture(scope="module")
def export() -> tuple[list[Resource], bytes]:
    meetings = _meetings()
    return meetings, export_referral_list(meetings, "ics", generated=STAMP)


def _on_a_changing_hour(moment: datetime) -> bool:
    """True for an instant in the hour the clock skips or repeats (2026-03-08 and 2026-11-01, 01:00-03:00)."""
    local = moment.astimezone(CHICAGO)
    return local.date() in (date(2026, 3, 8), date(2026, 11, 1)) and 1 <= local.hour <= 3


def compare(got: set, want: set) -> None:
    """Equal sets, except where a meeting starts or ends inside the skipped or repeated hour.

    There RFC 5545 leaves engines room (the wall time does not exist, or exists twice) and they differ
    from each other: those occurrences must be only the generated edge-case slots, at one of the two
    readings of their wall time; every other occurrence must match exactly.
    """
    window = STAMP.astimezone(UTC), YEAR_END
    got = {o for o in got if window[0] <= o[1] < window[1]}
    want = {o for o in want if window[0] <= o[1] < window[1]}
    edge = {o for o in got ^ want if _on_a_changing_hour(o[1]) or _on_a_changing_hour(o[2])}
    assert got - edge == want - edge
    assert all(o[0].startswith("gen-ics-edges-6-") for o in edge)
    assert len({(o[0], o[1].astimezone(CHICAGO).date()) for o in edge}) <= 4  # two slots on two nights


@pytest.mark.parametrize("engine", [by_recurring_ical_events, by_ical_package], ids=lambda f: f.__name__)
def test_a_year_of_occurrences_equals_the_catalog_schedule(export, engine):
    """Every 2026 occurrence the engine expands is one the schedule gives, at the same instant, and none is missing."""
    meetings, data = export
    got = engine(data)
    compare(got, expected(meetings))
    assert len(got) > 52 * len(meetings) // 2
    summer = [o for o in got if o[0].startswith("gen-ics-edges-1-") and o[1].month == 7]
    assert summer and all(o[1].hour == 0 for o in summer)  # 19:00 CDT is 00:00 UTC
    winter = [o for o in got if o[0].startswith("gen-ics-edges-1-") and o[1].month == 12]
    assert winter and all(o[1].hour == 1 for o in winter)  # 19:00 CST is 01:00 UTC


def test_the_files_own_vtimezone_agrees_with_zoneinfo_in_every_year(export):
    """Read on its own (as ical.js and Outlook do), the VTIMEZONE gives zoneinfo's offset, 2026 and 2099 alike."""
    _, data = export
    (component,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert "RDATE" not in data.decode() and "COMMENT:This timezone only works" not in data.decode()
    own = component.to_tz(lookup_tzid=False)
    assert not isinstance(own, ZoneInfo)
    for year in (2026, 2027, 2045, 2099):
        moment = datetime(year, 1, 1, 0, 30, tzinfo=UTC)
        while moment.year == year:
            assert moment.astimezone(own).utcoffset() == moment.astimezone(CHICAGO).utcoffset(), moment
            moment += timedelta(hours=1)


def test_a_re_export_updates_the_same_events():
    """A later export keeps every UID and raises SEQUENCE and DTSTAMP, so calendar apps update, not duplicate."""
    first = icalendar.Calendar.from_ical(export_referral_list([EDGE_CASES], "ics", generated=STAMP))
    later_stamp = STAMP + timedelta(days=9)
    later = icalendar.Calendar.from_ical(export_referral_list([EDGE_CASES], "ics", generated=later_stamp))
    before = {str(e["UID"]): e for e in first.walk("VEVENT")}
    after = {str(e["UID"]): e for e in later.walk("VEVENT")}
    assert before.keys() == after.keys() and len(before) == 4
    for uid, event in after.items():
        assert event["SEQUENCE"] > before[uid]["SEQUENCE"]
        assert event["DTSTAMP"].dt > before[uid]["DTSTAMP"].dt
    moved = EDGE_CASES.replace(
        schedule=(Slot(6, "01:30"), Slot(6, "02:30"), Slot(1, "19:30"), Slot(5, "23:30"))
    )
    again = icalendar.Calendar.from_ical(export_referral_list([moved], "ics", generated=later_stamp))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == before.keys()  # a moved time is an update


ICALJS = os.environ.get("AFTERCARE_ICALJS", "")
EXPAND_JS = """
const ICAL = require(process.argv[1]);
const comp = new ICAL.Component(ICAL.parse(require('fs').readFileSync(0, 'utf8')));
for (const vtz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
const from = ICAL.Time.fromDateTimeString('2026-01-01T00:00:00Z'), until = ICAL.Time.fromDateTimeString('2027-01-01T00:00:00Z');
const out = [];
for (const ve of comp.getAllSubcomponents('vevent')) {
  const ev = new ICAL.Event(ve), it = ev.iterator(); let next;
  while ((next = it.next()) && next.compare(until) < 0) {
    const o = ev.getOccurrenceDetails(next);
    out.push([ev.uid, o.startDate.toJSDate().toISOString(), o.endDate.toJSDate().toISOString()]);
  }
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(
    not (ICALJS and shutil.which("node")),
    reason="set AFTERCARE_ICALJS to ical.js's dist/ical.es5.cjs (npm pack ical.js@2.2.1) and install node",
)
def test_icaljs_trusting_the_files_vtimezone_gives_the_same_year(export):
    """ical.js, which uses the file's own VTIMEZONE, expands the same occurrences as the schedule."""
    import json

    meetings, data = export
    run = subprocess.run(
        ["node", "-e", EXPAND_JS, ICALJS], input=data, capture_output=True, check=True, timeout=120
    )
    got = {
        (uid, datetime.fromisoformat(start), datetime.fromisoformat(end))
        for uid, start, end in json.loads(run.stdout)
    }
    compare(got, expected(meetings))
