"""Filter groups and facet counts: which records each group of a query selects, how many records each
choice would give with the other groups applied, and the order results are listed in.

Everything here works on the numpy columns of a `directory.search.SearchIndex`; nothing runs per record.
"""

from __future__ import annotations

import math
import re
import weakref
from datetime import date, datetime, timedelta

import numpy as np

from directory import schedule, search_terms
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
    "county",
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
_NAME_STEP = 1 << 16  # the most rows of the name order `Selection.first` reads at once
_MAX_NEXT = 2**14 - 1  # sorts meetings-less records after every weekly start (at most 10079 minutes)


class Selection:
    """The masks of one query over one index: a base every result meets, and one mask per filter group.

    With a place, only the candidates are looked at: records in a box around the circle (found on the
    index's sorted latitude), remote ones and regional ones whose area holds the place (with free text
    typed, possibly only those the text keeps: `distance` is then NaN for the others). Every mask is
    over `rows` (the candidates, ascending); `final`, `base`, `distance` and `others()` give the
    whole-catalog arrays for callers that want them.
    """

    def __init__(self, index, query: Query, place: Place | None, now: datetime) -> None:
        self.index, self.query, self.place, self.now = index, query, place, now
        self.rows: np.ndarray | None = None  # None: every record is a candidate
        self._miles: np.ndarray | None = None  # distance of each candidate (NaN for remote and regional)
        shown = index.shown(query.include_inactive, query.include_unconfirmed)  # one mask, made once
        # Spanish words for kinds of help find what their English words find (issue 13).
        text = search_terms.text_mask(index, query.text) if query.text else None
        if place is not None:
            # With text, the box keeps only the records the text (and the shown mask) keep before any
            # distance is computed: near Chicago a 10-mile circle holds a quarter of a million-record
            # catalog, the word a tenth of that.
            keep = None if text is None else (text if shown is None else text & shown)
            kept = self._near(keep)
        else:
            kept = False
        rows = self.rows
        size = index.size if rows is None else len(rows)
        if kept:  # every candidate is one the text and the shown mask keep
            shown = text = None
        if shown is None:
            base = np.ones(size, dtype=bool)
        else:
            base = shown.copy() if rows is None else shown[rows]
        if query.verified_within_months is not None:
            today = now.astimezone(schedule.TZ).date() if now.tzinfo else now.date()
            cutoff = _months_before(today, int(query.verified_within_months)).toordinal()
            base &= _pick(index.as_of_days, rows) >= cutoff
        if text is not None:
            base &= _pick(text, rows)
        self._base = base
        self._groups: dict[str, np.ndarray] = {}
        for group, column in SINGLE_GROUPS.items():
            wanted = getattr(query, group)
            if wanted:
                self._groups[group] = index.is_any(
                    column, [w.lower() if group != "subcategories" else w for w in wanted], rows
                )
        for group, multi in index.list_columns.items():
            wanted = getattr(query, group)
            if wanted:
                self._groups[group] = multi.mask(wanted, index.size, rows)
        if query.county:
            self._groups["county"] = self.county_mask(query.county, rows)
        care = self.care_mask(query.care_for, rows)
        if care is not None:
            self._groups["care_for"] = care
        if query.mat_friendly:
            self._groups["mat_friendly"] = _pick(index.mat_friendly, rows)
        if query.wheelchair:
            self._groups["wheelchair"] = _pick(index.wheelchair, rows)
        self.days = np.array(sorted({d for d in query.weekdays if 0 <= d <= 6}), dtype=np.int8)
        self.tods = np.array(
            sorted({TIMES_OF_DAY.index(t) for t in query.times_of_day if t in TIMES_OF_DAY}), dtype=np.int8
        )
        self.timed = query.in_progress or query.starting_within is not None
        if query.weekdays or query.times_of_day or self.timed:
            self._groups["schedule"] = self._schedule_mask(base)
        final = base.copy()
        for mask in self._groups.values():
            final &= mask
        self._final = final
        self.total = int(np.count_nonzero(final))
        self._local: np.ndarray | None = None
        self._full: dict[str, np.ndarray] = {}

    @property
    def _final_local(self) -> np.ndarray:
        if self._local is None:
            self._local = np.flatnonzero(self._final)
        return self._local

    @property
    def final_rows(self) -> np.ndarray:
        """Every record the query finds, as ascending rows of the whole catalog (made when first asked)."""
        if "rows" not in self._full:
            local = self._final_local
            self._full["rows"] = local if self.rows is None else self.rows[local]
        return self._full["rows"]

    def first(self, limit: int | None) -> np.ndarray:
        """The first `limit` results in the query's sort order (all of them with None): `order` of
        `final_rows`, or, for many results listed by name alone, the name order read until `limit` are
        found (no list of every result is made: at a million records that list cost 3-8 ms)."""
        index = self.index
        by_name = getattr(index, "name_order", None)
        name_only = self.query.sort not in ("verified", "next") and not (
            self.query.sort == "distance" and self.place is not None
        )
        if limit is None or by_name is None or not name_only or self.rows is not None:
            return self.order(self.final_rows, limit)
        if self.total * 64 <= index.size or limit <= 0:
            return self.order(self.final_rows, limit)
        found: list[np.ndarray] = []
        need, start, step = min(limit, self.total), 0, max(4 * limit, 256)
        while need > 0 and start < index.size:
            chunk = by_name[start : start + step]
            hit = chunk[self._final[chunk]][:need]
            found.append(hit)
            need -= len(hit)
            # Growing steps, but never past _NAME_STEP: results that only begin far down the name order
            # ("meeting" after every "clinic" and "home") would otherwise read the rest of the catalog.
            start, step = start + step, min(step * 4, max(_NAME_STEP, 4 * limit))
        return np.concatenate(found).astype(np.int64, copy=False)

    # whole-catalog views ----------------------------------------------------------------------------

    def _to_rows(self, mask: np.ndarray) -> np.ndarray:
        found = np.flatnonzero(mask)
        return found if self.rows is None else self.rows[found]

    def _spread(self, mask: np.ndarray) -> np.ndarray:
        if self.rows is None:
            return mask
        full = np.zeros(self.index.size, dtype=bool)
        full[self.rows[mask]] = True
        return full

    @property
    def final(self) -> np.ndarray:
        """Every record the query finds, as a mask over the whole catalog."""
        if "final" not in self._full:
            self._full["final"] = self._spread(self._final)
        return self._full["final"]

    @property
    def base(self) -> np.ndarray:
        """What every result meets (place, status, confirmation, age, text), over the whole catalog."""
        if "base" not in self._full:
            self._full["base"] = self._spread(self._base)
        return self._full["base"]

    @property
    def groups(self) -> dict[str, np.ndarray]:
        return {name: self._spread(mask) for name, mask in self._groups.items()}

    @property
    def distance(self) -> np.ndarray | None:
        """Miles from the place for every candidate within the radius (NaN elsewhere: with text, records
        the text leaves out may be NaN too); None without a place."""
        if self._miles is None:
            return None
        if "distance" not in self._full:
            full = np.full(self.index.size, np.nan)
            full[self.rows] = self._miles
            self._full["distance"] = full
        return self._full["distance"]

    def distance_at(self, rows: np.ndarray) -> np.ndarray | None:
        """Miles for these rows (NaN for remote, regional and rows that are not candidates)."""
        if self._miles is None:
            return None
        rows = np.asarray(rows, dtype=np.int64)
        where = np.searchsorted(self.rows, rows)
        where = np.minimum(where, max(len(self.rows) - 1, 0))
        out = np.full(len(rows), np.nan)
        if len(self.rows):
            hit = self.rows[where] == rows
            out[hit] = self._miles[where[hit]]
        return out

    # masks --------------------------------------------------------------------------------------------

    def care_mask(self, care_for: str, rows: np.ndarray | None = None) -> np.ndarray | None:
        """Records a "care for" choice keeps: treatment for that care, and every other kind; None for both.

        Substance use keeps treatment that is not mental-health-only (untagged treatment stays: the source
        did not say); mental health keeps treatment tagged mental_health. Over `rows` when given.
        """
        keep = self.index.care_keep(care_for)  # whole-catalog mask, made once per index
        return None if keep is None else _pick(keep, rows)

    def county_mask(self, wanted, rows: np.ndarray | None = None) -> np.ndarray:
        """Records a county filter keeps: those in one of the counties, regional ones whose area names one
        of them (Illinois counties only: areas are Illinois's), and those that serve everywhere."""
        index = self.index
        counties = county_column(index)
        keys = {_county_key(w) for w in wanted}
        codes = [i for i, value in enumerate(counties.values) if _county_key(value) in keys]
        mask = np.isin(_pick(counties.codes, rows), np.array(codes, dtype=np.int32))
        remote = index.remote
        if all(
            w.endswith(")") for w in wanted
        ):  # only border counties: Illinois's statewide lines do not serve them
            remote = remote & ~index.is_any("coverage", ("statewide",))
        mask |= _pick(remote, rows)
        areas = {_area_key(w) for w in wanted if not w.endswith(")")}
        if areas and len(index.regional_rows):
            hit_unique = np.array(
                [
                    any(a.startswith("county:") and _area_key(a[7:]) in areas for a in u)
                    for u in index.area_uniques
                ],
                dtype=bool,
            )
            regional = np.zeros(index.size, dtype=bool)
            regional[index.regional_rows] = hit_unique[index.area_codes[index.regional_rows]]
            mask |= _pick(regional, rows)
        return mask

    def _in_area(self) -> np.ndarray:
        """Regional rows whose service area holds the searched place (its county, its city, or a radius)."""
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
        regional = index.regional_rows
        codes = index.area_codes[regional]
        hit = hit_unique[codes]
        radius = radius_unique[codes]
        by_radius = np.flatnonzero(~hit & ~np.isnan(radius) & index.has_coordinates[regional])
        if len(by_radius):
            rows = regional[by_radius]
            miles = haversine_miles(
                place.latitude, place.longitude, index.latitude[rows], index.longitude[rows]
            )
            hit[by_radius[miles <= radius[by_radius]]] = True
        return regional[hit]

    def _near(self, keep: np.ndarray | None = None) -> bool:
        """The candidates: records within the radius, remote ones wherever they are, and regional ones
        whose area holds the place; fills `rows` and their distances. With `keep` (a whole-catalog mask
        every result meets, as a text search's words make it), the candidates may be only the records it
        keeps: when it keeps fewer records than the box's latitude band holds, they are looked at alone,
        and True is returned (every candidate then meets `keep`)."""
        index, place = self.index, self.place
        radius = min(max(float(self.query.radius), RADIUS_RANGE[0]), RADIUS_RANGE[1])
        # A box a little larger than the circle cuts the candidates before the trigonometry.
        dlat = radius / 68.7 * 1.02
        dlon = radius / (69.17 * max(math.cos(math.radians(place.latitude)), 0.01)) * 1.02
        low = int(np.searchsorted(index.lat_sorted, place.latitude - dlat, side="left"))
        high = int(np.searchsorted(index.lat_sorted, place.latitude + dlat, side="right"))
        if keep is not None and np.count_nonzero(keep) < high - low:
            self._near_kept(keep, radius, low, high, dlon)
            return True
        # The latitude band is one slice of the latitude-ordered columns: read in order, no gather.
        lon = index.lon_by_lat[low:high]
        box = np.flatnonzero(
            (lon >= place.longitude - dlon) & (lon <= place.longitude + dlon) & index.boxable_by_lat[low:high]
        )
        miles = haversine_miles(place.latitude, place.longitude, index.lat_sorted[low:high][box], lon[box])
        inside = miles <= radius
        near = [index.lat_order[low:high][box[inside]], index.remote_rows]
        if len(index.regional_rows):
            near.append(self._in_area())
        rows = np.concatenate(near).astype(np.int64, copy=False)
        distance = np.concatenate([miles[inside], np.full(len(rows) - len(near[0]), np.nan)])
        # Rows ascending, so every later step reads the columns in order and rows can be looked up.
        if len(rows) * 16 > index.size:
            # Many: marked on the whole catalog and read back in order, one pass instead of a sort.
            chosen = np.zeros(index.size, dtype=bool)
            chosen[rows] = True
            spread = np.empty(index.size)
            spread[rows] = distance
            rows = np.flatnonzero(chosen)
            self.rows, self._miles = rows, spread[rows]
        else:
            # Few: one sort of (row, position) packed in an int64 (cheaper than an argsort).
            packed = (rows << 32) | np.arange(len(rows), dtype=np.int64)
            packed.sort()
            self.rows, self._miles = packed >> 32, distance[packed & 0xFFFFFFFF]
        return False

    def _near_kept(self, keep: np.ndarray, radius: float, low: int, high: int, dlon: float) -> None:
        """`_near` over the records `keep` holds: the same box (a record is in the latitude band when its
        place in the latitude order lies in low:high, then the same longitude comparisons on the same
        values), distances for those in it; remote and regional rows only where `keep` holds."""
        index, place = self.index, self.place
        rows = np.flatnonzero(keep)
        # In the band when its place in the latitude order lies in low:high: one comparison of the
        # offset from low read as unsigned (a place before low wraps round to a huge number).
        offset = index.lat_rank[rows] - np.array(low, dtype=index.lat_rank.dtype)
        band = np.flatnonzero(offset.view(f"u{offset.itemsize}") < high - low)
        at = offset[band] + low
        lon = index.lon_by_lat[at]
        boxed = np.flatnonzero(
            (lon >= place.longitude - dlon) & (lon <= place.longitude + dlon) & index.boxable_by_lat[at]
        )
        at, lon = at[boxed], lon[boxed]
        miles = haversine_miles(place.latitude, place.longitude, index.lat_sorted[at], lon)
        close = miles <= radius
        parts = [rows[band[boxed[close]]], index.remote_rows[keep[index.remote_rows]]]
        if len(index.regional_rows):
            area = self._in_area()
            parts.append(area[keep[area]])
        found = np.concatenate(parts).astype(np.int64, copy=False)
        distance = np.concatenate([miles[close], np.full(len(found) - len(parts[0]), np.nan)])
        # Each part is ascending: a stable sort (a merge of runs) of (row, position) puts them in order.
        packed = (found << 32) | np.arange(len(found), dtype=np.int64)
        packed.sort(kind="stable")
        self.rows, self._miles = packed >> 32, distance[packed & 0xFFFFFFFF]

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
        """Which candidates have a slot meeting the schedule filters (looked at only where `base` holds)."""
        index = self.index
        if not self.timed:  # weekdays and times of day alone: the records' bits answer
            days = self.days.tolist() if self.query.weekdays else range(7)
            tods = self.tods.tolist() if self.query.times_of_day else range(4)
            wanted = np.uint32(sum(1 << (d * 4 + t) for d in days for t in tods))
            return (_pick(index.day_tod_bits, self.rows) & wanted) != 0
        if self.rows is None:
            positions = self._slot_positions(self._rows(base))
            ok = self._slot_ok(positions)
            hit = np.zeros(index.size, dtype=bool)
            hit[index.slot_record[positions][ok]] = True
            return hit
        local = np.flatnonzero(base)
        rows = self.rows[local]
        positions = expand_rows(index.slot_offsets, rows)
        owner = np.repeat(local, index.slot_offsets[rows + 1] - index.slot_offsets[rows])
        hit = np.zeros(len(self.rows), dtype=bool)
        hit[owner[self._slot_ok(positions)]] = True
        return hit

    def _others(self, group: str) -> np.ndarray:
        if group not in self._groups:
            return self._final
        mask = self._base.copy()
        for name, other in self._groups.items():
            if name != group:
                mask &= other
        return mask

    def relaxed(self) -> dict[str, int]:
        """For each filter group in use, how many records would match without it (what an empty result
        can offer to relax); "schedule" stands for the day, time and "now" filters together."""
        return {group: int(np.count_nonzero(self._others(group))) for group in self._groups}

    def others(self, group: str) -> np.ndarray:
        """The base and every group's mask except `group`'s: what a facet of `group` counts within."""
        return self._spread(self._others(group))

    def facets(self, dense: bool | None = None) -> dict[str, dict[str, int]]:
        """For each facet group, how many records each of its values would give with the other groups
        applied (`directory.facet_counts`; `dense` forces bitmaps or rows, which give the same numbers)."""
        from directory.facet_counts import facet_counts

        return facet_counts(self, dense)

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
        if rows is self.final_rows and self._miles is not None:
            miles = self._miles[self._final_local]  # the results' own distances: no lookup
        else:
            miles = self.distance_at(rows)
        if miles is None:
            return np.zeros(len(rows), dtype=np.int64)
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


class Counties:
    """The county of every record as the county filter names it, and the names in the order it lists them."""

    def __init__(self, codes: np.ndarray, values: list[str]) -> None:
        self.codes, self.values = codes, values  # codes: index into values, -1 for a record without a county


_COUNTIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def county_value(county: str, state: str) -> str:
    """The county filter's value for a record: "Peoria" in Illinois, "Lake (IN)" across the border, "" without."""
    county, state = (county or "").strip(), (state or "").strip().upper()
    if not county:
        return ""
    return county if state in ("", "IL") else f"{county} ({state})"


def county_column(index) -> Counties:
    """Every record's county value (computed once per index from its county and state columns): Illinois
    counties first in alphabetical order, then the border states' counties by state."""
    found = _COUNTIES.get(index)
    if found is not None:
        return found
    c_codes, c_uniques, _ = index.single_columns["county"]
    s_codes, s_uniques, _ = index.single_columns["state"]
    width = max(len(s_uniques), 1)
    pairs, inverse = np.unique(c_codes.astype(np.int64) * width + s_codes, return_inverse=True)
    names = [county_value(c_uniques[p // width], s_uniques[p % width]) for p in pairs.tolist()]
    values = sorted(
        {n for n in names if n},
        key=lambda v: (v.endswith(")"), v[-3:-1] if v.endswith(")") else "", v.casefold()),
    )
    position = {v: i for i, v in enumerate(values)}
    per_pair = np.array([position.get(n, -1) for n in names], dtype=np.int32)
    found = Counties(per_pair[inverse.reshape(-1)] if len(pairs) else np.zeros(0, dtype=np.int32), values)
    _COUNTIES[index] = found
    return found


def _county_key(value: str) -> str:
    """A county value compared loosely ("St. Clair" = "saint clair"), keeping its state apart."""
    name, _, state = value.partition(" (")
    return f"{_area_key(name)}|{state.rstrip(')').upper()}"


def _pick(mask: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """A whole-catalog column at the candidate rows (the column itself when every row is a candidate)."""
    return mask if rows is None else mask[rows]


def _area_key(name: str) -> str:
    """A county or city name compared loosely: "St. Clair", "Saint Clair" and "st clair county" agree."""
    text = re.sub(r"[^a-z]", "", name.casefold().replace("saint", "st"))
    return text[:-6] if text.endswith("county") and len(text) > 6 else text


def reference_time(now: datetime) -> datetime:
    # A meeting that started up to the grace period ago can still be joined: it counts as the next one.
    return now - timedelta(minutes=schedule.IN_PROGRESS_GRACE)
