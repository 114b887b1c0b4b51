"""Filter groups and facet counts: which records each group of a query selects, how many records each
choice would give with the other groups applied, and the order results are listed in.

Everything here works on the numpy columns of a `directory.search.SearchIndex`; nothing runs per record.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import numpy as np

from directory import schedule
from directory.geo import Place, haversine_miles, nearest_zip_place
from directory.query import RADIUS_RANGE, TIMES_OF_DAY, Query
from directory.schema import Category, Format, MoudService, Payment, Population

# Facet groups, named after the Query field they count for; values are the strings the field holds
# (weekdays as "0" … "6", Monday first).
FACET_GROUPS = (
    "categories",
    "subcategories",
    "fellowships",
    "formats",
    "weekdays",
    "times_of_day",
    "populations",
    "languages",
    "payment",
    "moud_services",
    "mat_friendly",
    "wheelchair",
)
SINGLE_GROUPS = {"categories": "category", "subcategories": "subcategory", "formats": "format"}
MULTI_GROUPS = {
    "fellowships": "fellowship",
    "populations": "populations",
    "languages": "languages",
    "payment": "payment",
    "moud_services": "moud_services",
}
KNOWN_VALUES = {
    "categories": Category.values(),
    "formats": Format.values(),
    "populations": Population.values(),
    "payment": Payment.values(),
    "moud_services": MoudService.values(),
}


def expand_rows(offsets: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Positions of the items of `rows` in a flat array whose row r holds offsets[r]:offsets[r + 1]."""
    starts = offsets[rows]
    lengths = offsets[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


def offsets_of(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


_NAME_BITS = 25  # name ranks below 2**25: 33 million records
_MAX_NEXT = 2**14 - 1  # sorts meetings-less records after every weekly start (at most 10079 minutes)


class Selection:
    """The masks of one query over one index: a base every result meets, and one mask per filter group."""

    def __init__(self, index, query: Query, place: Place | None, now: datetime) -> None:
        self.index, self.query, self.place, self.now = index, query, place, now
        n = index.size
        base = np.ones(n, dtype=bool)
        if not query.include_inactive:
            base &= index.is_any("status", ("active",))
        if not query.include_unconfirmed:
            base &= index.is_any("verification", ("confirmed",))
        if query.verified_within_months is not None:
            today = now.astimezone(schedule.TZ).date() if now.tzinfo else now.date()
            base &= index.as_of_days >= _months_before(today, int(query.verified_within_months)).toordinal()
        text = index.text_mask(query.text) if query.text else None
        if text is not None:
            base &= text
        self.distance: np.ndarray | None = None
        if place is not None:
            base &= self._near(base)
        self.base = base
        self.groups: dict[str, np.ndarray] = {}
        for group, column in SINGLE_GROUPS.items():
            wanted = getattr(query, group)
            if wanted:
                self.groups[group] = index.is_any(
                    column, [w.lower() if group != "subcategories" else w for w in wanted]
                )
        for group, multi in index.list_columns.items():
            wanted = getattr(query, group)
            if wanted:
                self.groups[group] = multi.mask(wanted, n)
        care = self.care_mask(query.care_for)
        if care is not None:
            self.groups["care_for"] = care
        if query.mat_friendly:
            self.groups["mat_friendly"] = index.mat_friendly
        if query.wheelchair:
            self.groups["wheelchair"] = index.wheelchair
        self.days = np.array(sorted({d for d in query.weekdays if 0 <= d <= 6}), dtype=np.int8)
        self.tods = np.array(
            sorted({TIMES_OF_DAY.index(t) for t in query.times_of_day if t in TIMES_OF_DAY}), dtype=np.int8
        )
        self.timed = query.in_progress or query.starting_within is not None
        if query.weekdays or query.times_of_day or self.timed:
            self.groups["schedule"] = self._schedule_mask(base)
        self.final = base.copy()
        for mask in self.groups.values():
            self.final &= mask

    def care_mask(self, care_for: str) -> np.ndarray | None:
        """Records a "care for" choice keeps: treatment for that care, and every other kind; None for both.

        Substance use keeps treatment that is not mental-health-only (untagged treatment stays: the source
        did not say); mental health keeps treatment tagged mental_health.
        """
        index = self.index
        if care_for not in ("substance_use", "mental_health"):
            return None
        n = index.size
        treatment = index.is_any("category", ("treatment",))
        mental = index.services.mask(("mental_health",), n)
        if care_for == "mental_health":
            return ~treatment | mental
        substance = index.services.mask(("substance_use",), n)
        return ~(treatment & mental & ~substance)

    def _in_area(self) -> np.ndarray:
        """Regional records whose service area holds the searched place (its county, its city, or a radius)."""
        index, place = self.index, self.place
        county, city = place.county, place.city
        if not county and not city:  # a point ("use my location"): its nearest ZIP's city and county
            nearest = nearest_zip_place(place.latitude, place.longitude)
            county, city = (nearest.county, nearest.city) if nearest else ("", "")
        county, city = _area_key(county), _area_key(city)
        hit_unique = np.zeros(len(index.area_uniques), dtype=bool)
        radius_unique = np.full(len(index.area_uniques), np.nan)
        for i, areas in enumerate(index.area_uniques):
            for area in areas:
                kind, _, value = area.partition(":")
                if (kind == "county" and county and _area_key(value) == county) or (
                    kind == "city" and city and _area_key(value) == city
                ):
                    hit_unique[i] = True
                elif kind == "radius" and value.isdigit():
                    radius_unique[i] = np.fmax(radius_unique[i], float(value))
        hit = hit_unique[index.area_codes] & index.regional if index.size else np.zeros(0, dtype=bool)
        radius = radius_unique[index.area_codes] if index.size else np.zeros(0)
        by_radius = np.flatnonzero(index.regional & ~hit & ~np.isnan(radius) & index.has_coordinates)
        if len(by_radius):
            miles = haversine_miles(
                place.latitude, place.longitude, index.latitude[by_radius], index.longitude[by_radius]
            )
            hit[by_radius[miles <= radius[by_radius]]] = True
        return hit

    def _near(self, base: np.ndarray) -> np.ndarray:
        """Records within the radius, remote ones wherever they are, and regional ones whose area holds
        the place; fills `self.distance`."""
        index, place = self.index, self.place
        radius = min(max(float(self.query.radius), RADIUS_RANGE[0]), RADIUS_RANGE[1])
        # A box a little larger than the circle cuts the candidates before the trigonometry.
        dlat = radius / 68.7 * 1.02
        dlon = radius / (69.17 * max(np.cos(np.radians(place.latitude)), 0.01)) * 1.02
        lat, lon = index.latitude, index.longitude
        box = (
            base
            & ~index.remote
            & ~index.regional
            & (lat >= place.latitude - dlat)
            & (lat <= place.latitude + dlat)
            & (lon >= place.longitude - dlon)
            & (lon <= place.longitude + dlon)
        )
        candidates = np.flatnonzero(box)
        miles = haversine_miles(place.latitude, place.longitude, lat[candidates], lon[candidates])
        inside = miles <= radius
        self.distance = np.full(index.size, np.nan)
        self.distance[candidates[inside]] = miles[inside]
        near = index.remote.copy()
        near[candidates[inside]] = True
        if index.regional.any():
            near |= self._in_area()
        return near

    def _slot_positions(self, rows: np.ndarray | None) -> np.ndarray | slice:
        if rows is None:
            return slice(None)
        return expand_rows(self.index.slot_offsets, rows)

    def _slot_ok(self, positions, *, skip: str = "") -> np.ndarray:
        """Which of these slots meet the schedule filters (all but the `skip` one: "days" or "tods")."""
        index, query = self.index, self.query
        weekday, start = index.slot_weekday[positions], index.slot_start[positions]
        ok = np.ones(len(weekday), dtype=bool)
        if skip != "days" and query.weekdays:
            ok &= np.isin(weekday, self.days)
        if skip != "tods" and query.times_of_day:
            ok &= np.isin(index.slot_tod[positions], self.tods)
        if self.timed:
            when = np.zeros(len(weekday), dtype=bool)
            if query.in_progress:
                when |= schedule.in_progress_mask(weekday, start, index.slot_duration[positions], self.now)
            if query.starting_within is not None:
                when |= schedule.starts_within_mask(weekday, start, self.now, float(query.starting_within))
            ok &= when
        return ok

    def _rows(self, mask: np.ndarray) -> np.ndarray | None:
        """The rows of a mask, or None when it is so dense that whole-column work is cheaper."""
        count = int(np.count_nonzero(mask))
        return None if count > self.index.size // 2 else np.flatnonzero(mask)

    def _schedule_mask(self, base: np.ndarray) -> np.ndarray:
        index = self.index
        positions = self._slot_positions(self._rows(base))
        ok = self._slot_ok(positions)
        hit = np.zeros(index.size, dtype=bool)
        hit[index.slot_record[positions][ok]] = True
        return hit

    def others(self, group: str) -> np.ndarray:
        """The base and every group's mask except `group`'s: what a facet of `group` counts within."""
        if group not in self.groups:
            return self.final
        mask = self.base.copy()
        for name, other in self.groups.items():
            if name != group:
                mask &= other
        return mask

    def facets(self) -> dict[str, dict[str, int]]:
        index = self.index
        out: dict[str, dict[str, int]] = {}
        rows_cache: dict[str, np.ndarray] = {}

        def rows(group: str) -> np.ndarray:
            key = group if group in self.groups else ""
            if key not in rows_cache:
                rows_cache[key] = np.flatnonzero(self.others(group))
            return rows_cache[key]

        for group, column in SINGLE_GROUPS.items():
            codes, uniques, _ = index.single_columns[column]
            counts = np.bincount(codes[rows(group)], minlength=len(uniques))
            values = {u: int(c) for u, c in zip(uniques, counts) if u}
            out[group] = {v: values.get(v, 0) for v in KNOWN_VALUES.get(group, ())} | dict(
                sorted(values.items())
            )
        for group, multi in index.list_columns.items():
            counts = multi.counts(rows(group))
            out[group] = {value: int(c) for value, c in zip(multi.labels, counts)}
        care_rows = rows("care_for")
        out["care_for"] = {
            value: int(np.count_nonzero(mask[care_rows])) if mask is not None else len(care_rows)
            for value, mask in ((v, self.care_mask(v)) for v in ("substance_use", "mental_health", "both"))
        }
        for group in ("mat_friendly", "wheelchair"):
            out[group] = {"yes": int(np.count_nonzero(getattr(index, group)[rows(group)]))}
        schedule_rows = rows("schedule")
        positions = self._slot_positions(schedule_rows)
        records = index.slot_record[positions]
        for group, skip, values, column in (
            ("weekdays", "days", range(7), index.slot_weekday),
            ("times_of_day", "tods", range(4), index.slot_tod),
        ):
            ok = self._slot_ok(positions, skip=skip)
            slot_values = column[positions]
            names = [str(v) for v in values] if group == "weekdays" else list(TIMES_OF_DAY)
            out[group] = {name: _distinct(records[ok & (slot_values == v)]) for name, v in zip(names, values)}
        return out

    def order(self, rows: np.ndarray, limit: int | None) -> np.ndarray:
        """`rows` in the query's sort order; with `limit`, only the first `limit` of them."""
        index, sort = self.index, self.query.sort
        key = index.name_rank[rows].copy()
        if sort == "verified":
            age = (2**20 - 1) - np.clip(index.as_of_days[rows], 0, 2**20 - 1).astype(np.int64)
            key |= age << _NAME_BITS
        elif sort == "next":
            key |= self._next_minutes(rows) << (_NAME_BITS + 11)
            key |= self._quantised_distance(rows, 10, 2**11 - 1) << _NAME_BITS
        elif sort == "distance" and self.place is not None:
            key |= self._quantised_distance(rows, 1000, 2**17 - 1) << _NAME_BITS
        if limit is not None and limit < len(rows):
            if limit <= 0:
                return rows[:0]
            top = np.argpartition(key, limit - 1)[:limit]
            return rows[top[np.argsort(key[top])]]
        return rows[np.argsort(key, kind="stable")]

    def _quantised_distance(self, rows: np.ndarray, scale: int, largest: int) -> np.ndarray:
        if self.distance is None:
            return np.zeros(len(rows), dtype=np.int64)
        miles = self.distance[rows]
        # Remote resources (no distance) sort after everything within the radius.
        return np.where(np.isnan(miles), largest, np.minimum(np.round(miles * scale), largest - 1)).astype(
            np.int64
        )

    def _next_minutes(self, rows: np.ndarray) -> np.ndarray:
        index = self.index
        positions = expand_rows(index.slot_offsets, rows)
        minutes = schedule.next_start_minutes(
            index.slot_weekday[positions], index.slot_start[positions], reference_time(self.now)
        )
        lengths = index.slot_offsets[rows + 1] - index.slot_offsets[rows]
        out = np.full(len(rows), _MAX_NEXT, dtype=np.int64)
        has = lengths > 0
        if has.any():
            starts = (np.cumsum(lengths) - lengths)[has]
            out[has] = np.minimum.reduceat(minutes, starts)
        return out


def _area_key(name: str) -> str:
    """A county or city name compared loosely: "St. Clair", "Saint Clair" and "st clair county" agree."""
    text = re.sub(r"[^a-z]", "", name.casefold().replace("saint", "st"))
    return text[:-6] if text.endswith("county") and len(text) > 6 else text


def _distinct(sorted_records: np.ndarray) -> int:
    """How many different records a sorted array of record numbers holds."""
    if len(sorted_records) == 0:
        return 0
    return 1 + int(np.count_nonzero(sorted_records[1:] != sorted_records[:-1]))


def reference_time(now: datetime) -> datetime:
    # A meeting that started up to the grace period ago can still be joined: it counts as the next one.
    return now - timedelta(minutes=schedule.IN_PROGRESS_GRACE)
