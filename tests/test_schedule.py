"""Tests of directory.schedule: wall-clock meeting times, DST nights, numpy masks, hours text and iCalendar."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.schedule import (
    DEFAULT_DURATION,
    IN_PROGRESS_GRACE,
    PRODID,
    TZ,
    calendar,
    duration_minutes,
    in_progress,
    in_progress_mask,
    minute_of_week,
    minutes_until,
    next_meeting,
    next_occurrence,
    next_start_minutes,
    occurrences,
    occurrences_between,
    parse_hours_text,
    single_event,
    slot_arrays,
    starts_within,
    starts_within_mask,
    time_of_day,
    weekly_event,
)
from directory.schema import Slot, format_schedule, parse_slot

SHARED_RESOURCES = Path(__file__).resolve().parents[2] / "shared" / "data" / "resources"
STAMP = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def ct(year: int, month: int, day: int, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    """A Chicago wall-clock time (fold=1: the second 01:xx of the fall-back night)."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ, fold=fold)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def s(text: str) -> Slot:
    return parse_slot(text)


# --- durations and parts of the day -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slot", "minutes"),
    [
        ("Mon 19:00-20:00", 60),
        ("Mon 19:00", DEFAULT_DURATION),
        ("Tue 17:45-20:15", 150),
        ("Mon 23:30-00:30", 60),
        ("Sun 22:00-01:15", 195),
        ("Mon 19:00-19:00", 1440),
        ("Mon 00:00-23:59", 1439),
    ],
)
def test_duration_minutes(slot: str, minutes: int) -> None:
    """It gives the length in minutes, 60 without an end, and counts an earlier end as the next day."""
    length = duration_minutes(s(slot))
    assert length == minutes
    assert 0 < length <= 1440  # never negative for a meeting past midnight


@pytest.mark.parametrize(
    ("start", "part"),
    [
        ("00:00", "night"),
        ("04:59", "night"),
        ("05:00", "morning"),
        ("11:59", "morning"),
        ("12:00", "afternoon"),
        ("16:59", "afternoon"),
        ("17:00", "evening"),
        ("20:59", "evening"),
        ("21:00", "night"),
        ("23:59", "night"),
    ],
)
def test_time_of_day_boundaries(start: str, part: str) -> None:
    """It puts a start in morning 05–12, afternoon 12–17, evening 17–21, night 21–05."""
    assert time_of_day(start) == part


# --- in progress --------------------------------------------------------------------------------------------
# 2026-11-30 is a Monday; 2026-03-08 and 2026-11-01 are the Sundays DST starts and ends.


@pytest.mark.parametrize(
    ("slot", "now", "grace", "expected"),
    [
        ("Mon 19:00-20:00", ct(2026, 11, 30, 19, 0), IN_PROGRESS_GRACE, True),
        ("Mon 19:00-20:00", ct(2026, 11, 30, 19, 10), IN_PROGRESS_GRACE, True),
        ("Mon 19:00-20:00", ct(2026, 11, 30, 19, 11), IN_PROGRESS_GRACE, False),
        ("Mon 19:00-20:00", ct(2026, 11, 30, 18, 59), IN_PROGRESS_GRACE, False),
        ("Mon 19:00-20:00", ct(2026, 12, 1, 19, 5), IN_PROGRESS_GRACE, False),  # Tuesday
        ("Mon 19:00-19:05", ct(2026, 11, 30, 19, 7), IN_PROGRESS_GRACE, False),  # over within the grace
        # Without an end a meeting lasts 60 minutes.
        ("Mon 19:00", ct(2026, 11, 30, 19, 59), None, True),
        ("Mon 19:00", ct(2026, 11, 30, 20, 0), None, False),
        # The 23:30–00:30 meeting runs on after midnight.
        ("Mon 23:30-00:30", ct(2026, 11, 30, 23, 35), IN_PROGRESS_GRACE, True),
        ("Mon 23:30-00:30", ct(2026, 12, 1, 0, 10), None, True),
        ("Mon 23:30-00:30", ct(2026, 12, 1, 0, 10), IN_PROGRESS_GRACE, False),  # 40 minutes in
        ("Mon 23:30-00:30", ct(2026, 12, 1, 0, 40), None, False),
        ("Mon 23:55-00:30", ct(2026, 12, 1, 0, 3), IN_PROGRESS_GRACE, True),
        # Sunday night into Monday wraps the week.
        ("Sun 23:55-00:30", ct(2026, 11, 30, 0, 3), IN_PROGRESS_GRACE, True),
        ("Sun 23:55-00:30", ct(2026, 11, 30, 0, 6), IN_PROGRESS_GRACE, False),
        # Spring forward: 19:05 CDT is 00:05 UTC the next day; at -06:00 that instant would read 18:05.
        ("Sun 19:00-20:00", utc(2026, 3, 9, 0, 5), IN_PROGRESS_GRACE, True),
        ("Sun 19:00-20:00", utc(2026, 3, 9, 1, 5), None, False),  # 20:05 CDT (19:05 only at -06:00)
        ("Sat 19:00-20:00", utc(2026, 3, 8, 1, 5), IN_PROGRESS_GRACE, True),  # 19:05 CST the day before
        # Fall back: 01:30 shows twice; the listing cannot say which, so both count.
        ("Sun 01:30", ct(2026, 11, 1, 1, 35, fold=0), IN_PROGRESS_GRACE, True),
        ("Sun 01:30", utc(2026, 11, 1, 6, 35), IN_PROGRESS_GRACE, True),  # 01:35 CDT
        ("Sun 01:30", utc(2026, 11, 1, 7, 35), IN_PROGRESS_GRACE, True),  # 01:35 CST
        ("Sun 01:30", utc(2026, 11, 1, 7, 41), IN_PROGRESS_GRACE, False),
        ("Sun 01:30", datetime(2026, 11, 1, 1, 35), IN_PROGRESS_GRACE, True),  # naive = Chicago
        ("Sun 01:30", datetime(2026, 11, 1, 7, 35), IN_PROGRESS_GRACE, False),  # naive is not UTC
    ],
)
def test_in_progress(slot: str, now: datetime, grace: int | None, expected: bool) -> None:
    """It says a meeting is in progress from its start until `grace` minutes later, while not over."""
    assert in_progress(s(slot), now, grace) is expected
    _, weekday, start_min, duration = slot_arrays([(s(slot),)])
    assert in_progress_mask(weekday, start_min, duration, now, grace).tolist() == [expected]


def test_in_progress_ignores_seconds() -> None:
    """It reads `now` to the minute: 19:10:59 is still within ten minutes of 19:00."""
    slot = s("Mon 19:00-20:00")
    assert in_progress(slot, ct(2026, 11, 30, 19, 10).replace(second=59))
    assert not in_progress(slot, ct(2026, 11, 30, 19, 11))


# --- next occurrence, next meeting, starts within --------------------------------------------------------


@pytest.mark.parametrize(
    ("slot", "now", "expected"),
    [
        ("Mon 19:00", ct(2026, 11, 30, 18, 0), "2026-11-30T19:00:00-06:00"),
        ("Mon 19:00", ct(2026, 11, 30, 19, 0), "2026-11-30T19:00:00-06:00"),  # at now counts
        ("Mon 19:00", ct(2026, 11, 30, 19, 1), "2026-12-07T19:00:00-06:00"),
        ("Mon 09:00", ct(2026, 12, 6, 23, 0), "2026-12-07T09:00:00-06:00"),  # Sunday → Monday
        ("Sun 09:00", ct(2026, 11, 30, 9, 0), "2026-12-06T09:00:00-06:00"),  # Monday → Sunday
        ("Sun 09:00", ct(2026, 12, 6, 9, 1), "2026-12-13T09:00:00-06:00"),  # a full week on
        ("Mon 20:00", utc(2026, 12, 1, 1, 30), "2026-11-30T20:00:00-06:00"),  # 19:30 CST Monday
        ("Mon 19:00", utc(2026, 12, 1, 1, 30), "2026-12-07T19:00:00-06:00"),
        ("Mon 19:00", datetime(2026, 11, 30, 18, 0), "2026-11-30T19:00:00-06:00"),  # naive = Chicago
        # Wall-clock times keep their reading across DST; the UTC offset changes.
        ("Sun 19:00", ct(2026, 3, 7, 12, 0), "2026-03-08T19:00:00-05:00"),
        ("Sat 19:00", ct(2026, 3, 1, 12, 0), "2026-03-07T19:00:00-06:00"),
        ("Sun 19:00", ct(2026, 10, 31, 12, 0), "2026-11-01T19:00:00-06:00"),
        ("Sat 19:00", ct(2026, 10, 25, 12, 0), "2026-10-31T19:00:00-05:00"),
        # 02:30 does not exist on 2026-03-08: it moves forward an hour.
        ("Sun 02:30", ct(2026, 3, 8, 1, 50), "2026-03-08T03:30:00-05:00"),
        ("Sun 02:30", ct(2026, 3, 8, 3, 5), "2026-03-15T02:30:00-05:00"),
        # 01:45 shows twice on 2026-11-01: the first, unless now is already past it.
        ("Sun 01:45", ct(2026, 11, 1, 1, 35, fold=0), "2026-11-01T01:45:00-05:00"),
        ("Sun 01:45", ct(2026, 11, 1, 1, 35, fold=1), "2026-11-01T01:45:00-06:00"),
        ("Sun 01:30", ct(2026, 11, 1, 1, 35, fold=1), "2026-11-08T01:30:00-06:00"),
    ],
)
def test_next_occurrence(slot: str, now: datetime, expected: str) -> None:
    """It returns the next start at or after now, in Chicago time with that day's UTC offset."""
    found = next_occurrence(s(slot), now)
    assert found.isoformat() == expected
    assert found.tzinfo is TZ
    assert found.astimezone(UTC) >= now.replace(tzinfo=now.tzinfo or TZ).replace(second=0).astimezone(UTC)


@pytest.mark.parametrize(
    ("slots", "now", "expected"),
    [
        (("Mon 19:00", "Thu 12:00"), ct(2026, 12, 1, 9, 0), ("Thu 12:00", "2026-12-03T12:00:00-06:00")),
        (("Mon 19:00", "Thu 12:00"), ct(2026, 12, 4, 9, 0), ("Mon 19:00", "2026-12-07T19:00:00-06:00")),
        (("Thu 12:00", "Mon 19:00"), ct(2026, 11, 30, 19, 0), ("Mon 19:00", "2026-11-30T19:00:00-06:00")),
        (("Mon 23:30-00:30",), ct(2026, 12, 1, 0, 10), ("Mon 23:30-00:30", "2026-12-07T23:30:00-06:00")),
    ],
)
def test_next_meeting(slots: tuple[str, ...], now: datetime, expected: tuple[str, str]) -> None:
    """It picks the slot that starts soonest, wrapping the week."""
    slot, start = next_meeting([s(t) for t in slots], now)
    assert (str(slot), start.isoformat()) == expected


def test_next_meeting_without_slots() -> None:
    """It returns None, not an error, when there is no slot."""
    assert next_meeting([], ct(2026, 11, 30, 12, 0)) is None


@pytest.mark.parametrize(
    ("slot", "now", "hours", "expected"),
    [
        ("Mon 19:00", ct(2026, 11, 30, 17, 0), 2, True),  # exactly two hours away counts
        ("Mon 19:00", ct(2026, 11, 30, 17, 0), 1.5, False),
        ("Mon 19:00", ct(2026, 11, 30, 19, 0), 0, True),
        ("Mon 19:00", ct(2026, 11, 30, 16, 59), 2, False),
        ("Mon 19:00", ct(2026, 11, 30, 19, 1), 24, False),  # next one is a week away
        ("Mon 00:30", ct(2026, 11, 29, 23, 0), 2, True),  # Sunday night → Monday
        ("Sun 02:00", ct(2026, 11, 1, 0, 30), 1.5, True),  # 90 wall-clock minutes (150 real)
        ("Sun 19:00", ct(2026, 3, 8, 17, 30), 1.5, True),
    ],
)
def test_starts_within(slot: str, now: datetime, hours: float, expected: bool) -> None:
    """It says whether the next start is at most `hours` away on the wall clock."""
    assert starts_within(s(slot), now, hours) is expected
    _, weekday, start_min, _ = slot_arrays([(s(slot),)])
    assert starts_within_mask(weekday, start_min, now, hours).tolist() == [expected]


# --- occurrences --------------------------------------------------------------------------------------------


def test_occurrences_keep_wall_clock_across_spring_forward() -> None:
    """It lists every Monday 19:00 in March 2026 at 19:00, CST before 8 March and CDT after."""
    found = occurrences(s("Mon 19:00-20:30"), ct(2026, 3, 1, 0), ct(2026, 4, 1, 0))
    assert [(a.isoformat(), b.isoformat()) for a, b in found] == [
        ("2026-03-02T19:00:00-06:00", "2026-03-02T20:30:00-06:00"),
        ("2026-03-09T19:00:00-05:00", "2026-03-09T20:30:00-05:00"),
        ("2026-03-16T19:00:00-05:00", "2026-03-16T20:30:00-05:00"),
        ("2026-03-23T19:00:00-05:00", "2026-03-23T20:30:00-05:00"),
        ("2026-03-30T19:00:00-05:00", "2026-03-30T20:30:00-05:00"),
    ]


@pytest.mark.parametrize(
    ("slot", "start", "end", "expected"),
    [
        (
            "Mon 23:30-00:30",
            ct(2026, 11, 30, 0),
            ct(2026, 12, 1, 0),
            [("2026-11-30T23:30:00-06:00", "2026-12-01T00:30:00-06:00")],
        ),
        (
            "Sun 01:30",
            ct(2026, 11, 1, 0),
            ct(2026, 11, 2, 0),
            [("2026-11-01T01:30:00-05:00", "2026-11-01T02:30:00-06:00")],
        ),
        (
            "Sun 02:30-03:00",
            ct(2026, 3, 8, 0),
            ct(2026, 3, 9, 0),
            [("2026-03-08T03:30:00-05:00", "2026-03-08T04:00:00-05:00")],
        ),
        (
            "Mon 19:00",
            ct(2026, 11, 30, 19, 0),
            ct(2026, 11, 30, 19, 1),
            [("2026-11-30T19:00:00-06:00", "2026-11-30T20:00:00-06:00")],
        ),
        ("Mon 19:00", ct(2026, 11, 30, 18, 0), ct(2026, 11, 30, 19, 0), []),  # the end is exclusive
        ("Mon 19:00", utc(2026, 12, 1, 1, 1), utc(2026, 12, 7, 0, 0), []),  # 19:00 CST was 01:00 UTC
    ],
)
def test_occurrences_edges(
    slot: str, start: datetime, end: datetime, expected: list[tuple[str, str]]
) -> None:
    """It lists meetings starting in [start, end), past midnight and on both DST nights."""
    found = occurrences(s(slot), start, end)
    assert [(a.isoformat(), b.isoformat()) for a, b in found] == expected
    assert all(b.astimezone(UTC) > a.astimezone(UTC) for a, b in found)  # never ends before it starts


def test_occurrences_between_thirty_days() -> None:
    """It lists the first 30 days of meetings in start order, and nothing on day 31."""
    slots = [s("Thu 12:00"), s("Mon 19:00-20:00")]
    found = occurrences_between(slots, date(2026, 12, 1), 30)  # Tue 1 Dec … Wed 30 Dec
    assert [(str(slot), start.date().isoformat()) for slot, start, _ in found] == [
        ("Thu 12:00", "2026-12-03"),
        ("Mon 19:00-20:00", "2026-12-07"),
        ("Thu 12:00", "2026-12-10"),
        ("Mon 19:00-20:00", "2026-12-14"),
        ("Thu 12:00", "2026-12-17"),
        ("Mon 19:00-20:00", "2026-12-21"),
        ("Thu 12:00", "2026-12-24"),
        ("Mon 19:00-20:00", "2026-12-28"),
    ]
    assert all(end - start == timedelta(minutes=60) for _, start, end in found)
    assert date(2026, 12, 31) not in {
        start.date() for _, start, _ in occurrences_between(slots, date(2026, 12, 1), 30)
    }


# --- numpy masks ----------------------------------------------------------------------------------------------


def test_slot_arrays_flatten_records() -> None:
    """It gives one row per slot with its record index, weekday, start minute and duration."""
    record_index, weekday, start_min, duration = slot_arrays(
        [(s("Mon 19:00-20:00"), s("Thu 12:00")), (), (s("Sun 23:30-00:30"),)]
    )
    assert record_index.tolist() == [0, 0, 2]  # the record without slots adds no row
    assert weekday.tolist() == [0, 3, 6]
    assert start_min.tolist() == [1140, 720, 1410]
    assert duration.tolist() == [60, 60, 60]
    assert (record_index.dtype, weekday.dtype, start_min.dtype, duration.dtype) == (
        np.int32,
        np.int8,
        np.int16,
        np.int16,
    )


def test_slot_arrays_empty() -> None:
    """It returns empty arrays, not an error, without any slot."""
    arrays = slot_arrays([])
    assert [a.size for a in arrays] == [0, 0, 0, 0]
    assert in_progress_mask(*arrays[1:], ct(2026, 11, 30, 19, 0)).size == 0


@pytest.mark.parametrize(
    ("now", "minute"),
    [
        (ct(2026, 11, 30, 0, 0), 0),
        (ct(2026, 12, 6, 23, 59), 10079),
        (utc(2026, 3, 8, 8, 0), 6 * 1440 + 3 * 60),  # the first CDT minute
        (utc(2026, 3, 8, 7, 59), 6 * 1440 + 1 * 60 + 59),  # the last CST minute
        (utc(2026, 11, 1, 7, 30), 6 * 1440 + 1 * 60 + 30),  # the second 01:30
    ],
)
def test_minute_of_week(now: datetime, minute: int) -> None:
    """It reads the Chicago wall clock, Monday 00:00 = 0, whatever zone `now` is in."""
    assert minute_of_week(now) == minute


DST_EDGES = (utc(2026, 3, 8, 8, 0), utc(2026, 11, 1, 7, 0), utc(2026, 6, 14, 12, 0), utc(2027, 3, 14, 8, 0))

near_dst = st.builds(
    lambda edge, minutes, seconds: edge + timedelta(minutes=minutes, seconds=seconds),
    st.sampled_from(DST_EDGES),
    st.integers(-3 * 1440, 3 * 1440),
    st.integers(0, 59),
)
anytime = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@st.composite
def nows(draw: st.DrawFn) -> datetime:
    instant = draw(near_dst | anytime)
    view = draw(st.sampled_from(["utc", "chicago", "naive"]))
    if view == "utc":
        return instant
    local = instant.astimezone(TZ)
    return local if view == "chicago" else local.replace(tzinfo=None)


@st.composite
def slots(draw: st.DrawFn) -> Slot:
    start = draw(st.integers(0, 1439))
    end = draw(st.none() | st.integers(0, 1439))
    end_text = "" if end is None else f"{end // 60:02d}:{end % 60:02d}"
    return Slot(draw(st.integers(0, 6)), f"{start // 60:02d}:{start % 60:02d}", end_text)


@settings(max_examples=400, deadline=None)
@given(st.lists(slots(), min_size=1, max_size=12), nows(), st.floats(0, 200, allow_nan=False))
def test_masks_equal_scalar_functions(slot_list: list[Slot], now: datetime, hours: float) -> None:
    """The numpy masks give the same answers as the one-slot functions, near DST changes too."""
    _, weekday, start_min, duration = slot_arrays([tuple(slot_list)])
    assert in_progress_mask(weekday, start_min, duration, now).tolist() == [
        in_progress(x, now) for x in slot_list
    ]
    assert in_progress_mask(weekday, start_min, duration, now, None).tolist() == [
        in_progress(x, now, None) for x in slot_list
    ]
    assert starts_within_mask(weekday, start_min, now, hours).tolist() == [
        starts_within(x, now, hours) for x in slot_list
    ]
    waits = next_start_minutes(weekday, start_min, now)
    assert waits.tolist() == [minutes_until(x, now) for x in slot_list]
    assert ((waits >= 0) & (waits < 10080)).all()


@settings(max_examples=300, deadline=None)
@given(slots(), nows())
def test_next_occurrence_is_next(slot: Slot, now: datetime) -> None:
    """The next start is at or after now, on the slot's weekday and time, at most a week (± the DST hour) on."""
    found = next_occurrence(slot, now)
    floor = (now if now.tzinfo else now.replace(tzinfo=TZ)).replace(second=0, microsecond=0)
    real_wait = (found.astimezone(UTC) - floor.astimezone(UTC)).total_seconds() / 60
    assert real_wait >= 0
    assert real_wait - minutes_until(slot, now) in (-60, 0, 60)  # only DST nights differ, by their hour
    assert found.weekday() == slot.weekday
    listed = datetime.combine(found.date(), time.fromisoformat(slot.start))
    exists = listed.replace(tzinfo=TZ).astimezone(UTC).astimezone(TZ).replace(tzinfo=None) == listed
    # A start the clock skips (spring-forward night) reads an hour later; any other reads as listed.
    assert found.strftime("%H:%M") == (
        slot.start if exists else (listed + timedelta(hours=1)).strftime("%H:%M")
    )


# --- free-text hours -------------------------------------------------------------------------------------

WEEK = range(7)
OFFICE = range(5)


@pytest.mark.parametrize(
    ("text", "expected_slots", "leftover"),
    [
        ("Mon 19:00-20:00", ["Mon 19:00-20:00"], ""),
        ("Mon 12:00", ["Mon 12:00"], ""),
        ("Daily 19:00", [Slot(d, "19:00") for d in WEEK], ""),
        ("Daily 12:00", [Slot(d, "12:00") for d in WEEK], ""),
        ("Wed 19:00-20:30 (most weeks)", ["Wed 19:00-20:30"], "most weeks"),
        ("Tue 17:45-20:15", ["Tue 17:45-20:15"], ""),
        ("Thu 17:30-19:00", ["Thu 17:30-19:00"], ""),
        ("18:00 (day not listed)", [], "18:00 (day not listed)"),
        (
            "18:00 and 20:00; also 10:00 (days not listed)",
            [],
            "18:00 and 20:00; also 10:00 (days not listed)",
        ),
        ("Daily (see club schedule)", [], "Daily (see club schedule)"),
        (
            "Multiple daily; open speaker meeting Sunday morning",
            [],
            "Multiple daily; open speaker meeting Sunday morning",
        ),
        ("See individual rows", [], "See individual rows"),
        ("Mon-Fri 8:00-17:00", [Slot(d, "08:00", "17:00") for d in OFFICE], ""),
        ("24/7", [], "24/7"),
        ("Mon-Fri 8am-5pm", [Slot(d, "08:00", "17:00") for d in OFFICE], ""),
        (
            "Phone answered 24/7 (volunteers answer after office hours)",
            [],
            "Phone answered 24/7 (volunteers answer after office hours)",
        ),
        (
            "Mental Health Intake walk-in Mon-Fri 8:00-16:30; ED 24/7",
            [Slot(d, "08:00", "16:30") for d in OFFICE],
            "Mental Health Intake walk-in; ED 24/7",
        ),
        ("Mon 19:00; Thu 19:00-20:00", ["Mon 19:00", "Thu 19:00-20:00"], ""),
        ("Tuesday 7pm", ["Tue 19:00"], ""),
        ("Sat 7:30 PM", ["Sat 19:30"], ""),
        ("Sundays at noon", ["Sun 12:00"], ""),
        ("Mon, Wed & Fri 7-8:30pm", ["Mon 19:00-20:30", "Wed 19:00-20:30", "Fri 19:00-20:30"], ""),
        ("Sat 10:00 and 19:00", ["Sat 10:00", "Sat 19:00"], ""),
        ("Fri-Sun 11:30-1pm", ["Fri 11:30-13:00", "Sat 11:30-13:00", "Sun 11:30-13:00"], ""),
        ("Weekdays 7 a.m.", [Slot(d, "07:00") for d in OFFICE], ""),
        ("Mon 23:30-00:30", ["Mon 23:30-00:30"], ""),
        ("Mon 8-5", [], "Mon 8-5"),  # no am/pm, no minutes: not a time
        ("Mon 25:00", [], "Mon 25:00"),
        ("Mon 13pm", [], "Mon 13pm"),
        ("Monitor 19:00", [], "Monitor 19:00"),  # "Mon" inside a word is not a day
        ("", [], ""),
    ],
)
def test_parse_hours_text(text: str, expected_slots: list, leftover: str) -> None:
    """It turns written hours into slots and hands back the words it could not use."""
    parsed, rest = parse_hours_text(text)
    want = tuple(sorted(x if isinstance(x, Slot) else s(x) for x in expected_slots))
    assert parsed == want
    assert rest == leftover


@settings(max_examples=300, deadline=None)
@given(st.lists(slots(), max_size=8))
def test_parse_hours_text_reads_canonical_schedules(slot_list: list[Slot]) -> None:
    """It reads back any schedule the catalog writes, with nothing left over."""
    canonical = tuple(sorted(set(slot_list)))
    assert parse_hours_text(format_schedule(canonical)) == (canonical, "")


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("MonTuesdaily 0123456789:-–;,()&/apm.")), max_size=60) | st.text()
)
def test_parse_hours_text_never_raises(text: str) -> None:
    """It never raises, and every slot it returns is a valid canonical slot."""
    parsed, rest = parse_hours_text(text)
    assert all(parse_slot(str(slot)) == slot for slot in parsed)
    assert isinstance(rest, str)


def test_parse_hours_text_on_shared_catalog() -> None:
    """It reads every `hours` value of the shared resource files without raising or inventing days."""
    files = sorted(SHARED_RESOURCES.glob("*.csv"))
    if not files:
        pytest.skip(f"{SHARED_RESOURCES} is not present on this machine")
    for path in files:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = row.get("hours", "")
                parsed, rest = parse_hours_text(text)
                assert all(parse_slot(str(slot)) == slot for slot in parsed), (path.name, text)
                if "24/7" in text:
                    assert "24/7" in rest  # round-the-clock is never turned into weekly slots


# --- iCalendar ----------------------------------------------------------------------------------------------


def _events(ics: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))


@pytest.mark.parametrize(
    ("slot", "first_date", "start", "end"),
    [
        ("Tue 19:00-20:00", date(2026, 12, 1), datetime(2026, 12, 1, 19, 0), datetime(2026, 12, 1, 20, 0)),
        ("Mon 19:00", date(2026, 12, 1), datetime(2026, 12, 7, 19, 0), datetime(2026, 12, 7, 20, 0)),
        ("Sun 23:30-00:30", date(2026, 11, 30), datetime(2026, 12, 6, 23, 30), datetime(2026, 12, 7, 0, 30)),
        ("Sat 10:00-11:30", date(2026, 3, 1), datetime(2026, 3, 7, 10, 0), datetime(2026, 3, 7, 11, 30)),
    ],
)
def test_weekly_event_round_trips(slot: str, first_date: date, start: datetime, end: datetime) -> None:
    """It writes a weekly RRULE from the first matching day, with TZID America/Chicago and a VTIMEZONE."""
    event = weekly_event(
        "generated-1@example.test", "Generated test meeting", s(slot), first_date=first_date, stamp=STAMP
    )
    ics = calendar([event], "Generated test plan")
    parsed = icalendar.Calendar.from_ical(ics)
    (back,) = _events(ics)
    assert back.start.replace(tzinfo=None) == start
    assert back.end.replace(tzinfo=None) == end
    assert str(back.start.tzinfo) == "America/Chicago"
    assert b"DTSTART;TZID=America/Chicago:" in ics
    assert back.start.weekday() == s(slot).weekday
    assert back.start.date() >= first_date > back.start.date() - timedelta(days=7)
    rule = back["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == [("MO", "TU", "WE", "TH", "FR", "SA", "SU")[s(slot).weekday]]
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["America/Chicago"]
    assert parsed["PRODID"] == PRODID
    assert "COUNT" not in rule and "UNTIL" not in rule  # weekly with no end date


def test_weekly_event_golden() -> None:
    """It writes exactly this VEVENT, CRLF line endings and escaped commas included."""
    event = weekly_event(
        "generated-1@example.test",
        "Generated test meeting",
        s("Tue 23:30-00:30"),
        first_date=date(2026, 12, 1),
        location="Generated test hall, Springfield",
        url="https://example.test/m",
        description="Generated test record",
        stamp=STAMP,
    )
    assert event.to_ical() == (
        b"BEGIN:VEVENT\r\n"
        b"SUMMARY:Generated test meeting\r\n"
        b"DTSTART;TZID=America/Chicago:20261201T233000\r\n"
        b"DTEND;TZID=America/Chicago:20261202T003000\r\n"
        b"DTSTAMP:20261127T120000Z\r\n"
        b"UID:generated-1@example.test\r\n"
        b"SEQUENCE:3632400\r\n"
        b"RRULE:FREQ=WEEKLY;BYDAY=TU\r\n"
        b"DESCRIPTION:Generated test record\r\n"
        b"LOCATION:Generated test hall\\, Springfield\r\n"
        b"URL:https://example.test/m\r\n"
        b"END:VEVENT\r\n"
    )


def test_weekly_event_leaves_out_empty_fields() -> None:
    """It writes no empty LOCATION, URL or DESCRIPTION lines."""
    ics = weekly_event(
        "generated-2@example.test", "Generated", s("Mon 19:00"), first_date=date(2026, 12, 1), stamp=STAMP
    ).to_ical()
    assert b"LOCATION" not in ics and b"URL" not in ics and b"DESCRIPTION" not in ics
    assert b"DTSTART;TZID=America/Chicago:20261207T190000" in ics


@pytest.mark.parametrize(
    ("start", "end", "dtstart", "dtend"),
    [
        (ct(2026, 12, 3, 14, 0), None, "20261203T140000", "20261203T150000"),
        (datetime(2026, 12, 3, 14, 0), datetime(2026, 12, 3, 14, 45), "20261203T140000", "20261203T144500"),
        (utc(2026, 7, 1, 18, 0), None, "20260701T130000", "20260701T140000"),  # UTC shown as CDT
    ],
)
def test_single_event(start: datetime, end: datetime | None, dtstart: str, dtend: str) -> None:
    """It writes a one-off event in Chicago time, 60 minutes long without an end."""
    ics = single_event("generated-3@example.test", "Generated intake", start, end, stamp=STAMP).to_ical()
    assert f"DTSTART;TZID=America/Chicago:{dtstart}\r\n".encode() in ics
    assert f"DTEND;TZID=America/Chicago:{dtend}\r\n".encode() in ics
    assert b"RRULE" not in ics


def test_calendar_escapes_text() -> None:
    """It keeps catalog text with commas, semicolons and line breaks inside its own property."""
    tricky = "Step, Tradition; and\nBEGIN:VEVENT"
    event = single_event(
        "generated-4@example.test\r\n",
        tricky,
        ct(2026, 12, 3, 14),
        location=tricky,
        description=tricky,
        url="https://example.test/a\nb",
        stamp=STAMP,
    )
    ics = calendar([event], "Plan; 30 days\nEND:VCALENDAR")
    (back,) = _events(ics)
    assert [str(back[key]) for key in ("SUMMARY", "LOCATION", "DESCRIPTION")] == [tricky] * 3
    assert str(back["UID"]) == "generated-4@example.test"
    lines = ics.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1 and lines.count(b"END:VCALENDAR") == 1  # no injected lines
    assert b"X-WR-CALNAME:Plan\\; 30 days\\nEND:VCALENDAR\r\n" in ics


def test_calendar_always_has_timezone() -> None:
    """It includes the America/Chicago VTIMEZONE and PRODID even without events."""
    empty = icalendar.Calendar.from_ical(calendar([], "Empty"))
    assert [tz["TZID"] for tz in empty.walk("VTIMEZONE")] == ["America/Chicago"]
    assert empty["PRODID"] == PRODID
    assert empty.walk("VEVENT") == []


def test_first_thirty_days_calendar() -> None:
    """The first-30-days calendar has one event per meeting, each on its weekday, none after day 30."""
    found = occurrences_between([s("Mon 19:00-20:00"), s("Sat 10:00")], date(2027, 3, 1), 30)
    events = [
        single_event(f"generated-{i}@example.test", str(slot), a, b, stamp=STAMP)
        for i, (slot, a, b) in enumerate(found)
    ]
    back = _events(calendar(events, "First 30 days"))
    assert len(back) == 9  # Mondays 1, 8, 15, 22, 29 March; Saturdays 6, 13, 20, 27 March
    assert [e.start.strftime("%a %H:%M") for e in back].count("Mon 19:00") == 5
    assert all(e.start.date() < date(2027, 3, 31) for e in back)
    march_15 = next(e for e in back if e.start.date() == date(2027, 3, 15))
    assert march_15.start.utcoffset() == timedelta(hours=-5)  # after 14 March 2027 Chicago is on CDT
