"""Facet values as bitmaps: for every value a facet counts, which records hold it, one bit per record in
64-bit words, made once per index and kept in its cache file.

A facet count over many matches is then an AND of two bitmaps and a popcount, whatever the number of
matches: at a million records and 600,000 matches, counting every facet this way takes a few
milliseconds, where gathering the matches' codes and their list values took about 40 ms. For few matches
the rows themselves are cheaper (`directory.facet_counts` chooses).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_VALUES = 256  # a group with more values (a catalog of odd subcategories) is counted from its rows
_BLOCK = 1 << 16  # words ANDed at once for a whole group; above that, value by value (less memory)
DAY_TOD = "day_tod"  # the group of (weekday, time of day) pairs: label "d*4+t", as SearchIndex.day_tod_bits
# The unions of those pairs a facet without a day or time filter counts: each weekday at any time of day
# (label "0" … "6") and each time of day on any weekday (label "0" … "3"), so such a count reads one
# bitmap instead of joining four or seven.
ANY_TIME = "day_any_time"
ANY_DAY = "time_any_day"


def pack(mask: np.ndarray) -> np.ndarray:
    """A boolean mask over the catalog as 64-bit words: record r is bit r % 64 of word r // 64 (bit order
    within a word does not matter: every bitmap is packed the same way)."""
    words = np.zeros((len(mask) + 63) // 64, dtype=np.uint64)
    words.view(np.uint8)[: (len(mask) + 7) // 8] = np.packbits(mask, bitorder="little")
    return words


class FacetBitmaps:
    """The bitmaps of the values of each facet group, and their labels in the order the facets list them.

    `words` holds one row of 64-bit words per value; `groups` maps a group to its first and last row and
    `labels` names the rows.
    """

    def __init__(self, words: np.ndarray, groups: dict[str, tuple[int, int]], labels: list[str]) -> None:
        self.words, self.groups, self.labels = words, groups, labels

    def __contains__(self, group: str) -> bool:
        return group in self.groups

    def labels_of(self, group: str) -> list[str]:
        start, end = self.groups[group]
        return self.labels[start:end]

    def counts(self, group: str, selection: np.ndarray, scratch: Scratch | None = None) -> list[int]:
        """How many records of `selection` (packed with `pack`) hold each value of `group`."""
        start, end = self.groups[group]
        if (end - start) * len(selection) <= _BLOCK:  # a small catalog: one AND for the whole group
            both = np.bitwise_and(self.words[start:end], selection)
            return np.bitwise_count(both).sum(axis=1, dtype=np.int64).tolist()
        scratch = scratch or Scratch(len(selection))
        return [self.count(row, selection, scratch) for row in range(start, end)]

    def count(self, row: int, selection: np.ndarray, scratch: Scratch | None = None) -> int:
        scratch = scratch or Scratch(len(selection))
        np.bitwise_and(self.words[row], selection, out=scratch.words)
        return scratch.popcount()

    def count_any(self, rows: Sequence[int], selection: np.ndarray, scratch: Scratch | None = None) -> int:
        """How many records of `selection` hold at least one of the values at `rows`."""
        if not len(rows):
            return 0
        scratch = scratch or Scratch(len(selection))
        union = scratch.words
        np.copyto(union, self.words[rows[0]])
        for row in rows[1:]:
            union |= self.words[row]
        union &= selection
        return scratch.popcount()


class Scratch:
    """Buffers one facet count reuses for every value (a fresh array per value cost more than the AND
    itself at a million records). One per count, never shared between threads."""

    def __init__(self, size: int) -> None:
        self.words = np.empty(size, dtype=np.uint64)
        self.bits = np.empty(size, dtype=np.uint8)

    def popcount(self) -> int:
        np.bitwise_count(self.words, out=self.bits)
        return int(self.bits.sum(dtype=np.int64))


def build(index) -> tuple[np.ndarray, list[list], list[str]]:
    """The bitmaps of an index (a `directory.search.SearchIndex` being made): its words, its groups as
    [group, start, end] and its labels, in the plain form the index cache stores."""
    from directory.facets import SINGLE_GROUPS, county_column

    n = index.size
    rows: list[np.ndarray] = []
    groups: list[list] = []
    labels: list[str] = []

    def add(group: str, values: Sequence[str], masks) -> None:
        if len(values) > MAX_VALUES:
            return
        groups.append([group, len(labels), len(labels) + len(values)])
        labels.extend(values)
        rows.extend(pack(mask) for mask in masks)

    for group, column in SINGLE_GROUPS.items():
        codes, uniques, _ = index.single_columns[column]
        kept = [(u, i) for i, u in enumerate(uniques) if u]
        add(group, [u for u, _ in kept], (codes == i for _, i in kept))

    def listed(rows_of_value: np.ndarray) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        mask[rows_of_value] = True
        return mask

    for group, multi in index.list_columns.items():
        offsets = multi.value_offsets
        add(
            group,
            list(multi.labels),
            (listed(multi.by_value[offsets[v] : offsets[v + 1]]) for v in range(len(multi.labels))),
        )
    counties = county_column(index)
    add("county", list(counties.values), (counties.codes == i for i in range(len(counties.values))))
    cares = ("substance_use", "mental_health")
    add("care_for", list(cares), (index.care_keep(c) for c in cares))
    add("mat_friendly", ["yes"], [index.mat_friendly])
    add("wheelchair", ["yes"], [index.wheelchair])
    bits = index.day_tod_bits
    add(
        DAY_TOD,
        [str(b) for b in range(28)],
        (((bits >> np.uint32(b)) & np.uint32(1)) != 0 for b in range(28)),
    )
    day_masks = [np.uint32(0b1111 << (d * 4)) for d in range(7)]
    add(ANY_TIME, [str(d) for d in range(7)], ((bits & m) != 0 for m in day_masks))
    tod_masks = [np.uint32(sum(1 << (d * 4 + t) for d in range(7))) for t in range(4)]
    add(ANY_DAY, [str(t) for t in range(4)], ((bits & m) != 0 for m in tod_masks))
    words = np.stack(rows) if rows else np.zeros((0, (n + 63) // 64), dtype=np.uint64)
    return words, groups, labels


def from_parts(words: np.ndarray, groups: list[list], labels: list[str]) -> FacetBitmaps:
    return FacetBitmaps(words, {g: (int(a), int(b)) for g, a, b in groups}, list(labels))
