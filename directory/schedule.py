"""Weekly meeting times on the Chicago wall clock: durations, next starts, "in progress", free-text hours
and iCalendar files.

Clock model (the scalar functions and the numpy masks follow it alike):

- Every decision compares the wall-clock reading of `now` in America/Chicago, to the minute (seconds are
  dropped), with the listed wall-clock times, as someone with a watch set to Chicago time would. A 19:00
  meeting is at 19:00 CST in winter and 19:00 CDT in summer; "minutes until" and "minutes since" are
  wall-clock minutes. Aware `now` values are converted to Chicago; naive ones are read as Chicago time.
- Returned datetimes are aware, in `TZ`, and read as the clock does. On the spring-forward night the clock
  skips 02:00–02:59: a meeting listed at 02:30 comes back as 03:30 CDT (zoneinfo's fold=0 reading of the
  missing time uses the offset from before the gap, i.e. it moves forward an hour, as RFC 5545 does). On
  the fall-back night the clock shows 01:00–01:59 twice: a meeting listed at 01:30 comes back as the first
  01:30 (CDT, fold=0), except that `next_occurrence` returns the second one (CST) when `now` is already past
  the first. A 01:30 meeting counts as "in progress" during both passes of 01:30–01:40 that night: the
  listing cannot say which 01:30 the group means. An end the clock skips moves forward the same way; a
  meeting whose moved start would pass its end keeps its listed length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
import numpy as np

from directory.schema import TIMEZONE, Slot

TZ = ZoneInfo(TIMEZONE)
DEFAULT_DURATION = 60  # minutes, for a meeting listed without an end time
IN_PROGRESS_GRACE = 10  # minutes after the start during which a meeting still counts as "in progress"
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
PRODID = "-//Illinois Aftercare Directory//EN"
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# --- one slot ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _minute_of_day(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _start_time(slot: Slot) -> time:
    minute = _minute_of_day(slot.start)
    return time(minute // 60, minute % 60)


def duration_minutes(slot: Slot) -> int:
    """Length of the meeting in minutes: 60 without an end; an end at or before the start is the next day."""
    if not slot.end:
        return DEFAULT_DURATION
    length = (_minute_of_day(slot.end) - _minute_of_day(slot.start)) % MINUTES_PER_DAY
    return length or MINUTES_PER_DAY


def _wall(now: datetime) -> datetime:
    """The naive Chicago wall-clock reading of `now`, to the minute."""
    if now.tzinfo is not None:
        now = now.astimezone(TZ).replace(tzinfo=None)
    return now.replace(second=0, microsecond=0)


def _aware(wall: datetime, not_before: datetime | None = None) -> datetime:
    """The instant a wall-clock reading stands for, as the clock would show it (see the module docstring)."""
    # Going through UTC normalises: astimezone() to the same tzinfo would return the value unchanged.
    first = wall.replace(tzinfo=TZ, fold=0).astimezone(UTC).astimezone(TZ)
    if not_before is not None and first.astimezone(UTC) < not_before.astimezone(UTC):
        second = wall.replace(tzinfo=TZ, fold=1).astimezone(UTC).astimezone(TZ)
        if second.astimezone(UTC) >= not_before.astimezone(UTC):
            return second
    return first


def _meeting(wall: datetime, length: timedelta) -> tuple[datetime, datetime]:
    """Start and end of a meeting starting at a wall-clock reading."""
    start, end = _aware(wall), _aware(wall + length)
    if end.astimezone(UTC) <= start.astimezone(UTC):
        # A start the clock skipped moved an hour forward, past its listed end: keep the length instead.
        end = (start.astimezone(UTC) + length).astimezone(TZ)
    return start, end


def _as_aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment


def _next_wall_start(slot: Slot, wall: datetime) -> datetime:
    start = _start_time(slot)
    for days_ahead in range(8):
        day = wall.date() + timedelta(days=days_ahead)
        candidate = datetime.combine(day, start)
        if day.weekday() == slot.weekday and candidate >= wall:
            return candidate
    raise ValueError(f"weekday {slot.weekday} is not 0 (Monday) … 6 (Sunday)")


def _last_wall_start(slot: Slot, wall: datetime) -> datetime:
    start = _start_time(slot)
    for days_back in range(8):
        day = wall.date() - timedelta(days=days_back)
        candidate = datetime.combine(day, start)
        if day.weekday() == slot.weekday and candidate <= wall:
            return candidate
    raise ValueError(f"weekday {slot.weekday} is not 0 (Monday) … 6 (Sunday)")


def occurrences(slot: Slot, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """(start, end) of each meeting that starts at or after `start` and before `end`, aware in `TZ`."""
    low, high = _as_aware(start).astimezone(UTC), _as_aware(end).astimezone(UTC)
    first_day = low.astimezone(TZ).date() - timedelta(days=1)
    last_day = high.astimezone(TZ).date() + timedelta(days=1)
    length = timedelta(minutes=duration_minutes(slot))
    begins = _start_time(slot)
    found = []
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        if day.weekday() != slot.weekday:
            continue
        meeting_start, meeting_end = _meeting(datetime.combine(day, begins), length)
        if low <= meeting_start.astimezone(UTC) < high:
            found.append((meeting_start, meeting_end))
    return found


def minutes_until(slot: Slot, now: datetime) -> int:
    """Wall-clock minutes from `now` (to the minute) to the next start, 0 … 10079."""
    wall = _wall(now)
    return int((_next_wall_start(slot, wall) - wall).total_seconds()) // 60


def next_occurrence(slot: Slot, now: datetime) -> datetime:
    """The next start at or after `now` (to the minute), aware in `TZ`."""
    wall = _wall(now)
    return _aware(_next_wall_start(slot, wall), not_before=_as_aware(now).replace(second=0, microsecond=0))


def next_meeting(slots: Iterable[Slot], now: datetime) -> tuple[Slot, datetime] | None:
    """The slot that starts next and its start, or None without slots; ties go to the earlier-listed slot."""
    best: tuple[int, Slot] | None = None
    for slot in slots:
        wait = minutes_until(slot, now)
        if best is None or wait < best[0]:
            best = (wait, slot)
    if best is None:
        return None
    return best[1], next_occurrence(best[1], now)


def in_progress(slot: Slot, now: datetime, grace: int | None = IN_PROGRESS_GRACE) -> bool:
    """Whether the meeting started at most `grace` minutes ago and is not over; `grace=None`: any time
    before its end. A meeting started late yesterday and running past midnight counts too."""
    wall = _wall(now)
    elapsed = int((wall - _last_wall_start(slot, wall)).total_seconds()) // 60
    return elapsed < duration_minutes(slot) and (grace is None or elapsed <= grace)


def starts_within(slot: Slot, now: datetime, hours: float) -> bool:
    """Whether the next start is at most `hours` from `now` (a start at `now` counts)."""
    return minutes_until(slot, now) <= hours * 60


def time_of_day(start: str) -> str:
    """The part of the day a "HH:MM" start falls in: morning 05:00–11:59, afternoon 12:00–16:59,
    evening 17:00–20:59, night 21:00–04:59."""
    hour = _minute_of_day(start) // 60
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 21:
        return "evening"
    return "night"


# --- many slots at once (numpy) -------------------------------------------------------------------------


def slot_arrays(
    slots_per_record: Sequence[Sequence[Slot]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Flatten each record's slots into parallel arrays: record index (int32), weekday (int8), start
    minute of the day (int16) and duration in minutes (int16)."""
    record_index: list[int] = []
    weekday: list[int] = []
    start_min: list[int] = []
    duration: list[int] = []
    for index, slots in enumerate(slots_per_record):
        for slot in slots:
            record_index.append(index)
            weekday.append(slot.weekday)
            start_min.append(_minute_of_day(slot.start))
            duration.append(duration_minutes(slot))
    return (
        np.array(record_index, dtype=np.int32),
        np.array(weekday, dtype=np.int8),
        np.array(start_min, dtype=np.int16),
        np.array(duration, dtype=np.int16),
    )


def minute_of_week(now: datetime) -> int:
    """The Chicago wall-clock minute of the week of `now`: 0 is Monday 00:00, 10079 is Sunday 23:59."""
    wall = _wall(now)
    return wall.weekday() * MINUTES_PER_DAY + wall.hour * 60 + wall.minute


def _start_of_week_minute(weekday: np.ndarray, start_min: np.ndarray) -> np.ndarray:
    return weekday.astype(np.int32) * MINUTES_PER_DAY + start_min.astype(np.int32)


def next_start_minutes(weekday: np.ndarray, start_min: np.ndarray, now: datetime) -> np.ndarray:
    """Wall-clock minutes from `now` to each slot's next start (int32, 0 … 10079); see `minutes_until`."""
    return (_start_of_week_minute(weekday, start_min) - minute_of_week(now)) % MINUTES_PER_WEEK


def in_progress_mask(
    weekday: np.ndarray,
    start_min: np.ndarray,
    duration: np.ndarray,
    now: datetime,
    grace: int | None = IN_PROGRESS_GRACE,
) -> np.ndarray:
    """`in_progress` for every slot at once."""
    # Minutes since the latest start; the week wraps, so Sunday 23:55 is 8 minutes before Monday 00:03.
    elapsed = (minute_of_week(now) - _start_of_week_minute(weekday, start_min)) % MINUTES_PER_WEEK
    mask = elapsed < duration.astype(np.int32)
    if grace is not None:
        mask &= elapsed <= grace
    return mask


def starts_within_mask(weekday: np.ndarray, start_min: np.ndarray, now: datetime, hours: float) -> np.ndarray:
    """`starts_within` for every slot at once."""
    return next_start_minutes(weekday, start_min, now) <= hours * 60


# --- free-text hours ------------------------------------------------------------------------------------

_DAY = r"(?:mon(?:day)?|tue(?:sday|s)?|wed(?:nesday|s)?|thu(?:rsday|rs|r)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?(?![a-z])\.?"
_DASH = r"(?:-|–|—|‐|\bto\b|\bthrough\b|\bthru\b|\buntil\b)"
_DAY_TERM = rf"{_DAY}(?:\s*{_DASH}\s*{_DAY})?"
_DAYS = rf"(?:daily|every\s*day|weekdays?|weekends?|{_DAY_TERM}(?:\s*(?:,|/|&|\+|\band\b)\s*{_DAY_TERM})*)(?![a-z])"
_TIME = r"(?:noon|midnight|\d{1,2}(?::[0-5]\d)?(?:\s*[ap]\.?\s?m\b\.?)?)"
_RANGE = rf"{_TIME}(?:\s*{_DASH}\s*{_TIME})?"
_TIMES = rf"{_RANGE}(?:\s*(?:,|&|\band\b)\s*{_RANGE})*"
_HOURS_RE = re.compile(
    rf"(?<![a-z])(?P<days>{_DAYS})\s*(?:,\s*|\bat\s+|@\s*|\bfrom\s+)?(?P<times>{_TIMES})(?![\d:/])", re.I
)
_DAY_TERM_RE = re.compile(rf"(?P<first>{_DAY})(?:\s*{_DASH}\s*(?P<last>{_DAY}))?", re.I)
_RANGE_RE = re.compile(rf"(?P<start>{_TIME})(?:\s*{_DASH}\s*(?P<end>{_TIME}))?", re.I)
_TIME_RE = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?:(?P<half>[ap])\.?\s?m\.?)?", re.I)
_DAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_CONNECTORS = re.compile(r"^(?:and|also|plus|or)\b\s*|\s*\b(?:and|also|plus|or)$", re.I)


def _days(text: str) -> list[int]:
    lowered = text.lower()
    if lowered.startswith(("daily", "every")):
        return list(range(7))
    if lowered.startswith("weekday"):
        return [0, 1, 2, 3, 4]
    if lowered.startswith("weekend"):
        return [5, 6]
    days: list[int] = []
    for term in _DAY_TERM_RE.finditer(text):
        first = _DAY_INDEX[term["first"][:3].lower()]
        last = _DAY_INDEX[term["last"][:3].lower()] if term["last"] else first
        days.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
    return days


def _clock(text: str) -> tuple[int, str | None, bool] | None:
    """(minutes past 00:00 as written, "a"/"p"/None, whether minutes were written) of one written time."""
    lowered = text.lower().strip()
    if lowered == "noon":
        return 720, "p", True
    if lowered == "midnight":
        return 720, "a", True
    m = _TIME_RE.fullmatch(lowered)
    if not m:
        return None
    return int(m["hour"]) * 60 + int(m["minute"] or 0), (m["half"] or None), m["minute"] is not None


def _to_24h(minute: int, half: str | None) -> int | None:
    if half is None:
        return minute if minute <= MINUTES_PER_DAY else None  # "24:00" may end a range
    if not 1 <= minute // 60 <= 12:
        return None
    return minute % 720 + (720 if half == "p" else 0)


def _range(text: str) -> tuple[str, str] | None:
    """("HH:MM", "HH:MM" or "") of a written start or start–end, or None when it is not one."""
    m = _RANGE_RE.fullmatch(text.strip())
    if not m:
        return None
    start = _clock(m["start"])
    end = _clock(m["end"]) if m["end"] else None
    if start is None or (m["end"] and end is None):
        return None
    start_minute, start_half, start_exact = start
    if start_half is None and not start_exact:
        # "7-8:30pm": a bare hour borrows the end's am/pm; without one it is not a time ("Mon 8-5").
        if end is None or end[1] is None:
            return None
    if start_half is None and end is not None and end[1] is not None and start_minute < 13 * 60:
        start_half = end[1]
        end_24 = _to_24h(end[0], end[1])
        borrowed = _to_24h(start_minute, start_half)
        if borrowed is not None and end_24 is not None and borrowed > end_24:
            start_half = "a" if start_half == "p" else "p"  # "11:30-1pm" is 11:30 am
    if end is not None and end[1] is None and not end[2]:
        return None
    begin = _to_24h(start_minute, start_half)
    finish = _to_24h(end[0], end[1]) if end is not None else None
    if begin is None or begin >= MINUTES_PER_DAY or (end is not None and finish is None):
        return None
    end_text = "" if finish is None else f"{finish // 60 % 24:02d}:{finish % 60:02d}"
    return f"{begin // 60:02d}:{begin % 60:02d}", end_text


def _ranges(text: str) -> list[tuple[str, str]] | None:
    parts = []
    for m in _RANGE_RE.finditer(text):
        parsed = _range(m.group())
        if parsed is None:
            return None
        parts.append(parsed)
    return parts or None


def _tidy(text: str) -> str:
    text = re.sub(r"\(\s*\)", " ", re.sub(r"\s+", " ", text)).strip(" ,;:-–—&/+.")
    previous = None
    while previous != text:
        previous = text
        text = _CONNECTORS.sub("", text).strip(" ,;:-–—&/+.")
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:-1] and ")" not in text[1:-1]:
        text = text[1:-1].strip()
    return text


def parse_hours_text(text: str) -> tuple[tuple[Slot, ...], str]:
    """Turn written hours such as "Mon-Fri 8am-5pm" or "Wed 19:00-20:30 (most weeks)" into slots, and
    return what could not be turned into slots ("" when everything was): ("most weeks"). Text with no
    weekday and time, such as "24/7" or "18:00 (day not listed)", gives no slots and comes back whole.
    Never raises."""
    if not isinstance(text, str):
        return (), ""
    slots: set[Slot] = set()
    leftovers: list[str] = []
    for segment in re.split(r"[;\n]", text):
        kept, cursor = [], 0
        for m in _HOURS_RE.finditer(segment):
            days, ranges = _days(m["days"]), _ranges(m["times"])
            if not days or not ranges:
                continue
            slots.update(Slot(day, start, end) for day in days for start, end in ranges)
            kept.append(segment[cursor : m.start()])
            cursor = m.end()
        kept.append(segment[cursor:])
        rest = _tidy(" ".join(kept))
        if rest:
            leftovers.append(rest)
    if not slots:
        return (), text.strip()
    return tuple(sorted(slots)), "; ".join(leftovers)


# --- iCalendar ------------------------------------------------------------------------------------------


def _event(
    uid: str,
    summary: str,
    start: datetime,
    end: datetime,
    location: str,
    url: str,
    description: str,
    stamp: datetime | None,
    lang: str = "en",
) -> icalendar.Event:
    stamp = stamp if stamp is not None else datetime.now(UTC)
    event = icalendar.Event.new(
        uid=_one_line(uid),
        summary=summary,
        start=start,
        end=end,
        stamp=stamp,
        sequence=sequence(stamp),
        location=location or None,
        url=_one_line(url) or None,
        description=description or None,
    )
    _mark_language(event, lang)
    return event


def _mark_language(component, lang: str) -> None:
    """RFC 5545 LANGUAGE on the text a person reads, when it is not English (English files stay as they were)."""
    if not lang or lang == "en":
        return
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION", "NAME", "X-WR-CALNAME"):
        if name in component:
            component[name].params["LANGUAGE"] = lang


def sequence(stamp: datetime) -> int:
    """The event's SEQUENCE: minutes from 2020 to the export, so every later export of a UID is a newer
    revision (calendar apps update the event they have instead of adding a second one)."""
    return max(0, int((_as_aware(stamp) - datetime(2020, 1, 1, tzinfo=UTC)).total_seconds() // 60))


def _one_line(text: str) -> str:
    # icalendar escapes line breaks in TEXT values but refuses them in a UID or URI: catalog text may hold them.
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


def weekly_event(
    uid: str,
    summary: str,
    slot: Slot,
    *,
    first_date: date | None = None,
    location: str = "",
    url: str = "",
    description: str = "",
    stamp: datetime | None = None,
    lang: str = "en",
) -> icalendar.Event:
    """A VEVENT repeating every week (RRULE FREQ=WEEKLY;BYDAY=..) from the slot's first day on or after
    `first_date` (default: today in Chicago), with DTSTART/DTEND in America/Chicago. `lang` is the
    language of its text (summary, description, location), marked with RFC 5545 LANGUAGE when not English."""
    first_date = first_date if first_date is not None else datetime.now(TZ).date()
    day = first_date + timedelta(days=(slot.weekday - first_date.weekday()) % 7)
    wall = datetime.combine(day, _start_time(slot))
    # The listed wall time, not normalised: every later week repeats this reading, and RFC 5545 reads a
    # time skipped by the clock the way zoneinfo's fold=0 does.
    start = wall.replace(tzinfo=TZ)
    end = (wall + timedelta(minutes=duration_minutes(slot))).replace(tzinfo=TZ)
    event = _event(uid, summary, start, end, location, url, description, stamp, lang)
    event.add("rrule", {"freq": "weekly", "byday": _ICAL_DAYS[slot.weekday]})
    return event


def single_event(
    uid: str,
    summary: str,
    start: datetime,
    end: datetime | None = None,
    *,
    location: str = "",
    url: str = "",
    description: str = "",
    stamp: datetime | None = None,
    lang: str = "en",
) -> icalendar.Event:
    """A one-off VEVENT in America/Chicago; without `end` it lasts 60 minutes. Naive times are Chicago.
    `lang` as for `weekly_event`."""
    start = _as_aware(start).astimezone(TZ)
    end = _as_aware(end).astimezone(TZ) if end is not None else start + timedelta(minutes=DEFAULT_DURATION)
    return _event(uid, summary, start, end, location, url, description, stamp, lang)


def calendar(events: Iterable[icalendar.Event], name: str, *, lang: str = "en") -> bytes:
    """An iCalendar file of the events with PRODID, the calendar's name (in `lang`) and a VTIMEZONE for
    America/Chicago."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # As vText so that line breaks, commas and semicolons in the name are escaped (plain X- values are not).
    cal.add("name", icalendar.vText(name))
    cal.add("x-wr-calname", icalendar.vText(name))
    _mark_language(cal, lang)
    cal.add("x-wr-timezone", TIMEZONE)
    cal.add_component(vtimezone(TIMEZONE))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


# Transitions are read from zoneinfo from this year on; America/Chicago's rule has not changed since 2007.
_RULE_FROM = date(2007, 1, 1)


def _nth_weekday(moment: datetime) -> int:
    """Which weekday of its month the day is: 1..4 from the start, or -1 when it is the month's last."""
    if (moment + timedelta(days=7)).month != moment.month and moment.day > 28 - 7:
        return -1 if moment.day > 28 else (moment.day - 1) // 7 + 1
    return (moment.day - 1) // 7 + 1


def _onset(tzid: str, day: date, offset_from: timedelta, offset_to: timedelta) -> datetime | None:
    """The wall time, in the offset before it, at which the zone changes from one offset to the other."""
    zone = ZoneInfo(tzid)
    start = datetime.combine(day - timedelta(days=1), time(), tzinfo=UTC)
    for quarter in range(3 * 24 * 4):
        moment = start + timedelta(minutes=15 * quarter)
        before = (moment - timedelta(minutes=15)).astimezone(zone).utcoffset()
        if before == offset_from and moment.astimezone(zone).utcoffset() == offset_to:
            return (moment + offset_from).replace(tzinfo=None)
    return None


@lru_cache(maxsize=4)
def _vtimezone_ical(tzid: str) -> bytes:
    zone = icalendar.Timezone.from_tzid(tzid, first_date=_RULE_FROM, last_date=date(2038, 1, 1))
    out = icalendar.Timezone()
    out.add("tzid", tzid)
    for observance in zone.subcomponents:
        rdates = observance.get("RDATE")
        moments = [observance["DTSTART"].dt]
        for group in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
            moments.extend(d.dt for d in group.dts)
        offset_from = observance["TZOFFSETFROM"].td
        offset_to = observance["TZOFFSETTO"].td
        # RFC 5545 writes an onset in the wall time before the change (02:00 CST, 02:00 CDT), taken
        # here from the instant zoneinfo changes the offset on that day.
        if offset_from == offset_to:
            walls = moments  # the zone's first observance: no change of offset to place
        else:
            walls = [_onset(tzid, m.date(), offset_from, offset_to) or m for m in moments]
        rule = {(w.month, w.weekday(), _nth_weekday(w), w.time()) for w in walls}
        kind = icalendar.TimezoneDaylight if observance.name == "DAYLIGHT" else icalendar.TimezoneStandard
        part = kind()
        part.add("tzname", str(observance["TZNAME"]))
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("dtstart", walls[0])
        if len(walls) > 1 and len(rule) == 1:
            ((month, weekday, nth, _),) = rule
            day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekday]
            part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": f"{nth}{day}"})
        elif len(walls) > 1:
            part.add("rdate", walls[1:])  # no yearly rule fits: every change as a date of its own
        out.add_component(part)
    return out.to_ical()


def vtimezone(tzid: str = TIMEZONE) -> icalendar.Timezone:
    """The zone as a VTIMEZONE with yearly RRULEs, so it is right in every year (not only up to 2038).

    The observances (names, offsets, change dates) come from zoneinfo through icalendar's
    `Timezone.from_tzid`; a run of changes on the same nth weekday of a month becomes one RRULE.
    """
    return icalendar.Timezone.from_ical(_vtimezone_ical(tzid))


def occurrences_between(
    slots: Iterable[Slot], start_date: date, days: int
) -> list[tuple[Slot, datetime, datetime]]:
    """(slot, start, end) of every meeting on the `days` calendar days from `start_date`, by start."""
    found = []
    for slot in slots:
        length = timedelta(minutes=duration_minutes(slot))
        for offset in range(max(days, 0)):
            day = start_date + timedelta(days=offset)
            if day.weekday() == slot.weekday:
                found.append((slot, *_meeting(datetime.combine(day, _start_time(slot)), length)))
    found.sort(key=lambda item: (item[1].astimezone(UTC), item[0]))
    return found
