"""Facet counts: for each facet group of a query, how many records each value would give with the other
groups applied, counted from the index's bitmaps (`directory.facet_bitmaps`) when a selection holds many
records and from its rows when it holds few; both ways give the same numbers.

At a million records a text search matching 600,000 of them spent about 40 ms here gathering the matches'
codes and list values; from the bitmaps the same counts take a few milliseconds.
"""

from __future__ import annotations

import numpy as np

from directory.facet_bitmaps import ANY_DAY, ANY_TIME, DAY_TOD, Scratch, pack
from directory.facets import KNOWN_VALUES, SINGLE_GROUPS, Selection, county_column
from directory.query import TIMES_OF_DAY

DENSE_SHARE = 64  # bitmaps count a selection holding more than 1/64 of the catalog; rows count smaller ones


class _Within:
    """One selection a facet counts within: its mask over the candidates, and lazily its whole-catalog
    rows or its packed bitmap (`directory.facet_bitmaps.pack`), whichever way it is counted."""

    def __init__(self, selection: Selection, mask: np.ndarray, dense: bool | None, bitmaps) -> None:
        self.selection, self.mask, self._rows = selection, mask, None
        self.total = int(np.count_nonzero(mask))
        if bitmaps is None:
            dense = False
        self.dense = dense if dense is not None else self.total * DENSE_SHARE > selection.index.size
        self._packed: np.ndarray | None = None

    @property
    def rows(self) -> np.ndarray:
        if self._rows is None:  # the results' own rows when it is their selection (made once, shared)
            final = self.mask is self.selection._final
            self._rows = self.selection.final_rows if final else self.selection._to_rows(self.mask)
        return self._rows

    @property
    def packed(self) -> np.ndarray:
        if self._packed is None:
            candidates = self.selection.rows
            if candidates is None:
                full = self.mask
            else:  # the candidates' mask written at their rows: no list of the selected rows is made
                full = np.zeros(self.selection.index.size, dtype=bool)
                full[candidates] = self.mask
            self._packed = pack(full)
        return self._packed


def facet_counts(selection: Selection, dense: bool | None = None) -> dict[str, dict[str, int]]:
    """For each facet group, how many records each of its values would give with the other groups
    applied. Selections holding more than 1/`DENSE_SHARE` of the catalog are counted from the index's
    bitmaps (`directory.facet_bitmaps`), smaller ones from their rows; `dense` forces one way (the
    tests compare them). Both give the same numbers."""
    index = selection.index
    bitmaps = index.facet_bitmaps()
    out: dict[str, dict[str, int]] = {}
    selections: dict[str, _Within] = {}
    scratch = Scratch((index.size + 63) // 64) if bitmaps is not None else None

    def within(group: str) -> _Within:
        key = group if group in selection._groups else ""
        if key not in selections:
            mask = selection._others(group) if key else selection._final
            selections[key] = _Within(selection, mask, dense, bitmaps)
        return selections[key]

    def counted(group: str, sel: _Within) -> list[int] | None:
        return bitmaps.counts(group, sel.packed, scratch) if sel.dense and group in bitmaps else None

    for group, column in SINGLE_GROUPS.items():
        sel = within(group)
        found = counted(group, sel)
        if found is not None:
            values = dict(zip(bitmaps.labels_of(group), found))
        else:
            codes, uniques, _ = index.single_columns[column]
            counts = np.bincount(codes[sel.rows], minlength=len(uniques))
            values = {u: int(c) for u, c in zip(uniques, counts) if u}
        out[group] = {v: values.get(v, 0) for v in KNOWN_VALUES.get(group, ())} | dict(sorted(values.items()))
    for group, multi in index.list_columns.items():
        sel = within(group)
        counts = counted(group, sel)
        if counts is None:
            counts = multi.counts(sel.rows)
        out[group] = {value: int(c) for value, c in zip(multi.labels, counts)}
    counties = county_column(index)
    sel = within("county")
    counts = counted("county", sel)
    if counts is None:
        county_codes = counties.codes[sel.rows]
        counts = np.bincount(county_codes[county_codes >= 0], minlength=len(counties.values))
    out["county"] = {value: int(c) for value, c in zip(counties.values, counts)}
    sel = within("care_for")
    counts = counted("care_for", sel)
    if counts is None:
        counts = [
            int(np.count_nonzero(selection.care_mask(v, sel.rows)))
            for v in ("substance_use", "mental_health")
        ]
    out["care_for"] = {"substance_use": counts[0], "mental_health": counts[1], "both": sel.total}
    for group in ("mat_friendly", "wheelchair"):
        sel = within(group)
        counts = counted(group, sel)
        if counts is None:
            counts = [np.count_nonzero(getattr(index, group)[sel.rows])]
        out[group] = {"yes": int(counts[0])}
    sel = within("schedule")
    if sel.dense and not selection.timed and DAY_TOD in bitmaps:
        out.update(_schedule_from_bits(selection, bitmaps, sel.packed, scratch))
    else:
        out.update(_schedule_from_slots(selection, sel.rows))
    return out


def _schedule_from_bits(
    selection: Selection, bitmaps, packed: np.ndarray, scratch: Scratch | None = None
) -> dict[str, dict[str, int]]:
    """The weekday and time-of-day facets from the (weekday, time of day) bitmaps (no "now" filter):
    a record counts for a weekday when it has a slot that day at one of the chosen times of day."""
    query = selection.query
    if not query.weekdays and not query.times_of_day and ANY_TIME in bitmaps and ANY_DAY in bitmaps:
        # No day or time chosen: each weekday at any time and each time on any day, one bitmap each.
        by_day = bitmaps.counts(ANY_TIME, packed, scratch)
        by_time = bitmaps.counts(ANY_DAY, packed, scratch)
        return {
            "weekdays": {str(d): by_day[d] for d in range(7)},
            "times_of_day": dict(zip(TIMES_OF_DAY, by_time)),
        }
    start = bitmaps.groups[DAY_TOD][0]
    days = selection.days.tolist() if query.weekdays else list(range(7))
    tods = selection.tods.tolist() if query.times_of_day else list(range(4))
    weekdays = {
        str(d): bitmaps.count_any([start + d * 4 + t for t in tods], packed, scratch) for d in range(7)
    }
    times = {
        name: bitmaps.count_any([start + d * 4 + t for d in days], packed, scratch)
        for t, name in enumerate(TIMES_OF_DAY)
    }
    return {"weekdays": weekdays, "times_of_day": times}


def _schedule_from_slots(selection: Selection, schedule_rows: np.ndarray) -> dict[str, dict[str, int]]:
    """The weekday and time-of-day facets from the slots of these rows, every schedule filter but the
    facet's own applied (the "now" filters too)."""
    index = selection.index
    out: dict[str, dict[str, int]] = {}
    positions = selection._slot_positions(schedule_rows)
    lengths = index.slot_offsets[schedule_rows + 1] - index.slot_offsets[schedule_rows]
    starts = (np.cumsum(lengths) - lengths)[lengths > 0]
    for group, skip, values, column in (
        ("weekdays", "days", range(7), index.slot_weekday),
        ("times_of_day", "tods", range(4), index.slot_tod),
    ):
        ok = selection._slot_ok(positions, skip=skip)
        # One bit per value for each slot that counts, joined per record (its slots lie together): a
        # record counts once for a value however many of its slots have it.
        bits = np.where(ok, np.left_shift(1, column[positions].astype(np.int16)), 0).astype(np.int16)
        per_record = np.bitwise_or.reduceat(bits, starts) if len(starts) else bits[:0]
        names = [str(v) for v in values] if group == "weekdays" else list(TIMES_OF_DAY)
        out[group] = {name: int(np.count_nonzero(per_record & (1 << v))) for name, v in zip(names, values)}
    return out
