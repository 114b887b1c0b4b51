"""The column types of the search index: codes for a text column, built chunk by chunk, and list columns
("AA; NA") as (record, value) pairs with record lists per value and, for few values, one bit set per record;
and the reading of catalog rows (or records) into them, chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from directory.facets import expand_rows, offsets_of
from directory.schema import Resource, format_schedule, join_list, split_list

# The catalog columns the search index reads, in the order `_add_chunk` takes them.
_COLUMNS = (
    "id",
    "name",
    "category",
    "subcategory",
    "fellowship",
    "format",
    "coverage",
    "latitude",
    "longitude",
    "populations",
    "languages",
    "payment",
    "moud_services",
    "mat_friendly",
    "accessibility",
    "status",
    "verification",
    "as_of",
    "schedule",
    "services",
    "service_area",
    "date_basis",
    "county",
    "state",
    "source",  # for the Catalog page's figures (directory.catalog_stats.IndexFigures)
)
_NO_DATE = -(10**6)  # day number of an unreadable as_of: older than any "verified within"


class _Factor:
    """Codes for one text column, built chunk by chunk so that per-row strings can be freed early."""

    def __init__(self) -> None:
        self.uniques: list[str] = []
        self.lookup: dict[str, int] = {}
        self.parts: list[np.ndarray] = []

    def add(self, values: Sequence) -> None:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
        mapping = np.empty(len(uniques), dtype=np.int32)
        for i, value in enumerate(uniques):
            text = value if isinstance(value, str) else ""
            mapping[i] = self.lookup.setdefault(text, len(self.lookup))
            if mapping[i] == len(self.uniques):
                self.uniques.append(text)
        self.parts.append(mapping[codes] if len(codes) else np.empty(0, dtype=np.int32))

    def codes(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.empty(0, dtype=np.int32)


class _Multi:
    """A list column: (record, value) pairs sorted by record, and record lists per value."""

    def __init__(self, factor: _Factor, n: int, known: Sequence[str] = ()) -> None:
        codes = factor.codes()
        values: dict[str, int] = {}
        self.labels: list[str] = []
        for value in known:
            values[value.casefold()] = len(self.labels)
            self.labels.append(value)
        per_unique: list[list[int]] = []
        for text in factor.uniques:
            items = []
            for value in split_list(text):
                key = value.casefold()
                if key not in values:
                    values[key] = len(self.labels)
                    self.labels.append(value)
                if values[key] not in items:
                    items.append(values[key])
            per_unique.append(items)
        self.lookup = values
        unique_offsets = offsets_of(np.array([len(v) for v in per_unique], dtype=np.int64))
        flat = np.array([c for items in per_unique for c in items], dtype=np.int32)
        counts = np.diff(unique_offsets)[codes] if n else np.empty(0, dtype=np.int64)
        self.offsets = offsets_of(counts)
        self.values = flat[expand_rows(unique_offsets, codes)] if n else np.empty(0, dtype=np.int32)
        self.records = np.repeat(np.arange(n, dtype=np.int32), counts)
        order = np.argsort(self.values, kind="stable")
        self.by_value = self.records[order]
        self.value_offsets = offsets_of(np.bincount(self.values, minlength=len(self.labels)))
        # With at most 64 distinct values, one integer per record holds its set: a filter is one AND.
        self.bits: np.ndarray | None = None
        if len(self.labels) <= 64:
            bits = np.zeros(n, dtype=np.uint64)
            pair_bits = np.left_shift(np.uint64(1), self.values.astype(np.uint64))
            filled = np.flatnonzero(counts > 0) if n else np.zeros(0, dtype=np.int64)
            if len(filled):  # a record's values are distinct, so their sum is their union
                bits[filled] = np.add.reduceat(pair_bits, self.offsets[filled])
            # The narrowest integer that holds every value's bit: a language set is one byte per record.
            width = next(
                t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if len(self.labels) <= t(0).nbytes * 8
            )
            self.bits = bits.astype(width)

    def codes_for(self, wanted: Iterable[str]) -> list[int]:
        return [self.lookup[w.casefold()] for w in wanted if w.casefold() in self.lookup]

    def mask(self, wanted: Iterable[str], n: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Which records (or which of `rows`) hold any of `wanted`."""
        codes = self.codes_for(wanted)
        if self.bits is not None:
            want = self.bits.dtype.type(sum(1 << c for c in set(codes)))
            bits = self.bits if rows is None else self.bits[rows]
            return (bits & want) != 0
        if rows is not None:
            return self.mask(wanted, n)[rows]
        hit = np.zeros(n, dtype=bool)
        for code in self.codes_for(wanted):
            hit[self.by_value[self.value_offsets[code] : self.value_offsets[code + 1]]] = True
        return hit

    def counts(self, rows: np.ndarray) -> np.ndarray:
        """How many of `rows` (distinct record positions) hold each value."""
        n = len(self.offsets) - 1
        if len(rows) * 4 > n:  # many rows: one pass over every pair beats listing the rows' pairs
            chosen = np.zeros(n, dtype=bool)
            chosen[rows] = True
            return np.bincount(self.values[chosen[self.records]], minlength=len(self.labels))
        return np.bincount(self.values[expand_rows(self.offsets, rows)], minlength=len(self.labels))


# --- building columns -----------------------------------------------------------------------------------


def _new_columns() -> dict:
    columns: dict = {name: _Factor() for name in _COLUMNS}
    columns.update(id=[], name=None, latitude=[], longitude=[], folded_names=[])
    return columns


def _add_chunk(columns: dict, values: Sequence[Sequence]) -> None:
    """Add one chunk of rows, given column by column in `_COLUMNS` order."""
    for name, column in zip(_COLUMNS, values):
        if name == "id":
            columns["id"].extend(column)
        elif name == "name":
            columns["folded_names"].extend(str(v or "").casefold() for v in column)
        elif name in ("latitude", "longitude"):
            columns[name].append(np.array(column, dtype=float))
        else:
            columns[name].add(column)
    for name in ("latitude", "longitude"):
        if len(columns[name]) > 1:
            columns[name] = [np.concatenate(columns[name])]


def _floats(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(float) if parts else np.zeros(0, dtype=float)


def _record_row(record: Resource) -> tuple:
    """A record as the strings the SQLite catalog stores, in `_COLUMNS` order."""
    out = []
    for name in _COLUMNS:
        value = getattr(record, name)
        if name == "schedule":
            out.append(format_schedule(value))
        elif isinstance(value, tuple):
            out.append(join_list(value))
        else:
            out.append(value)
    return tuple(out)


def _day_number(text: str) -> int:
    try:
        return date.fromisoformat(text).toordinal()
    except (TypeError, ValueError):
        return _NO_DATE
