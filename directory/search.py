"""The search engine: a `SearchIndex` of numpy columns built once from the catalog, and `search()`, which
turns a `Query` into ranked results with distances, next meeting times and facet counts.

Every filter is a boolean mask over the columns; no Python runs per record while searching. Resources
themselves are only built for the page of results returned.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from directory import facet_bitmaps, index_cache, schedule, wordlist
from directory.columns import (
    _COLUMNS,
    _NO_DATE,
    _add_chunk,
    _day_number,
    _Factor,
    _floats,
    _Multi,
    _new_columns,
    _record_row,
)
from directory.facets import (
    FACET_GROUPS,
    KNOWN_VALUES,
    MULTI_GROUPS,
    Selection,
    expand_rows,
    offsets_of,
    reference_time,
)
from directory.geo import Place, PlaceNotFound, lookup_place
from directory.meetings import MEETINGS_ENOUGH, Finder, add_meeting_help, asks_for_meetings
from directory.query import (
    DAY_KEYS,
    LANGUAGE_NAMES,
    PARAM_KEYS,
    SORTS,
    TIMES_OF_DAY,
    Query,
    describe,
)
from directory.schema import (
    Resource,
    Slot,
    parse_slot,
    split_list,
)

__all__ = [
    "DAY_KEYS",
    "LANGUAGE_NAMES",
    "PARAM_KEYS",
    "SORTS",
    "TIMES_OF_DAY",
    "FACET_GROUPS",
    "Query",
    "Finder",
    "MEETINGS_ENOUGH",
    "Result",
    "SearchIndex",
    "SearchResults",
    "describe",
    "fts_expression",
    "search",
]

_TEXT_COLUMNS = ("name", "organization", "description", "city")
_REMOTE_LABELS = ("", "online", "by phone", "statewide", "national", "serves this area")
REGIONAL_KIND = 5  # remote_kind of a regional resource: it matches where its service area holds the place
_CHUNK = 50_000
_MAX_TOKENS = 12


@dataclass(frozen=True)
class Result:
    """One found resource, its distance from the searched place and, for meetings, the next start."""

    resource: Resource
    distance_miles: float | None
    distance_label: str
    next_start: datetime | None


@dataclass
class SearchResults:
    """A page of results, how many matched in all, facet counts, the place searched from and the sentence."""

    results: list[Result] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    place: Place | None = None
    message: str = ""
    description: str = ""
    # With no results: how many unconfirmed listings would match, so the page can offer to include them.
    unconfirmed_matches: int = 0
    # With no results: for each filter group in use, how many would match without it (directory.facets).
    relaxed: dict[str, int] = field(default_factory=dict)
    # A meeting search with fewer than MEETINGS_ENOUGH confirmed meetings also carries what a patient can
    # still act on: the unconfirmed meetings that match (shown inline, badged), online meetings and
    # directories, and each fellowship's own meeting finder (links the catalog's cited rows hold).
    confirmed_meetings: int = 0
    unconfirmed_meetings: list[Result] = field(default_factory=list)
    online_meetings: list[Result] = field(default_factory=list)
    meeting_finders: list[Finder] = field(default_factory=list)

    @property
    def needs_more_meetings(self) -> bool:
        """Whether the extra meeting blocks were filled (a meeting search with too few confirmed meetings)."""
        return bool(self.unconfirmed_meetings or self.online_meetings or self.meeting_finders)


def _fold(text: str) -> str:
    """Lower case without accents, as FTS5's unicode61 remove_diacritics 2 compares."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def fts_expression(text: str) -> str:
    """A safe FTS5 expression for what a person typed: every word quoted, prefix-matched, all required.

    "café recov" becomes '"café"* "recov"*'. Operators, quotes and brackets lose their meaning; text
    without a word gives "".
    """
    tokens = _TOKEN_RE.findall(str(text or ""))[:_MAX_TOKENS]
    return " ".join(f'"{t}"*' for t in tokens if t.strip("_"))


class SearchIndex:
    """Columns of the whole catalog prepared once; build with `from_catalog` or `from_records`.

    An index made from a catalog keeps using it for free-text search and to build the page of
    results, so keep the catalog open while the index is in use.
    """

    def __init__(self, columns: dict[str, _Factor | list], *, rowids: np.ndarray | None = None) -> None:
        self._lock = threading.Lock()
        self.from_cache = False  # True when the columns were read from the cache beside the catalog
        self.catalog_version: int | None = None  # the store's version the index was read at (from_catalog)
        self._fts_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._catalog = None
        self._records: list[Resource] | None = None
        self._haystack: str = ""
        self._haystack_offsets = np.zeros(1, dtype=np.int64)
        self.rowids = rowids
        # The catalog's word list (`Catalog.text_postings`), when it has one: sorted terms, offsets
        # and the index positions holding each term. Free text is then matched here, in numpy.
        self.text_terms: np.ndarray | None = None
        self.text_offsets: np.ndarray | None = None
        self.text_rows: np.ndarray | None = None
        self.ids: list[str] = columns["id"]
        n = self.size = len(self.ids)
        self.latitude = _floats(columns["latitude"])
        self.longitude = _floats(columns["longitude"])
        self.has_coordinates = ~(np.isnan(self.latitude) | np.isnan(self.longitude))
        self.single_columns: dict[str, tuple[np.ndarray, list[str], dict[str, int]]] = {}
        for name in (
            "category",
            "subcategory",
            "format",
            "coverage",
            "status",
            "verification",
            "mat_friendly",
            "date_basis",
            "county",  # with "state", the county filter's values (directory.facets.county_value)
            "state",
            "source",
        ):
            factor: _Factor = columns[name]
            self.single_columns[name] = (
                factor.codes(),
                factor.uniques,
                {u: i for i, u in enumerate(factor.uniques)},
            )
        self.list_columns = {
            group: _Multi(columns[column], n, KNOWN_VALUES.get(group, ()))
            for group, column in MULTI_GROUPS.items()
        }
        self.mat_friendly = self.is_any("mat_friendly", ("yes",))
        access: _Factor = columns["accessibility"]
        has_wheelchair = np.array(["wheelchair" in split_list(u) for u in access.uniques], dtype=bool)
        self.wheelchair = has_wheelchair[access.codes()] if n else np.zeros(0, dtype=bool)
        remote_kind = np.zeros(n, dtype=np.int8)
        for kind, (column, value) in enumerate(
            (("coverage", "national"), ("coverage", "statewide"), ("format", "phone"), ("format", "online"))
        ):
            remote_kind[self.is_any(column, (value,))] = 4 - kind  # format wins over coverage for the label
        # A regional resource serves its area whatever its format: 211 Metro Chicago is a phone line
        # that still does not serve Cairo.
        self.regional = self.is_any("coverage", ("regional",))
        remote_kind[self.regional] = REGIONAL_KIND
        self.remote_kind = remote_kind
        self.remote = (remote_kind > 0) & ~self.regional
        area: _Factor = columns["service_area"]
        self.area_codes = area.codes() if n else np.zeros(0, dtype=np.int32)
        self.area_uniques = [tuple(split_list(u)) for u in area.uniques]
        self.services = _Multi(columns["services"], n, ("substance_use", "mental_health"))
        as_of: _Factor = columns["as_of"]
        days = np.array([_day_number(u) for u in as_of.uniques], dtype=np.int32)
        self.as_of_days = days[as_of.codes()] if n else np.zeros(0, dtype=np.int32)
        # The date as written, whatever its basis: the Catalog page counts the ages of every record.
        self.as_of_written_days = self.as_of_days.copy()
        # An undated row's as_of is the day it was added, not a confirmation: "verified within" and the
        # "most recently verified" sort treat it as having no date.
        self.as_of_days[self.is_any("date_basis", ("added",))] = _NO_DATE
        folded = columns["folded_names"]
        order = sorted(range(n), key=folded.__getitem__)
        self.name_rank = np.empty(n, dtype=np.int64)
        self.name_rank[np.array(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
        self.name_order = np.array(order, dtype=np.int32 if n < 2**31 else np.int64)  # rows by name
        self._build_slots(columns["schedule"], n)
        self._prepare()
        # Which records hold each facet value, as bitmaps: facets over many matches count from these.
        self.facet_words, self.facet_groups, self.facet_labels = facet_bitmaps.build(self)

    def _build_slots(self, factor: _Factor, n: int) -> None:
        parsed = []
        known: dict[str, Slot] = {}  # few distinct "Tue 19:00-20:00" pieces, many combinations of them
        for text in factor.uniques:
            try:
                slots = []
                for part in split_list(text):
                    if part not in known:
                        known[part] = parse_slot(part)
                    slots.append(known[part])
                parsed.append(tuple(slots))
            except ValueError:
                parsed.append(())  # a damaged schedule cannot match a time filter, but the record stays
        u_rec, u_day, u_start, u_length = schedule.slot_arrays(parsed)
        unique_offsets = offsets_of(np.bincount(u_rec, minlength=len(parsed)))
        codes = factor.codes()
        counts = np.diff(unique_offsets)[codes] if n else np.empty(0, dtype=np.int64)
        positions = expand_rows(unique_offsets, codes) if n else np.empty(0, dtype=np.int64)
        self.slot_offsets = offsets_of(counts)
        self.slot_record = np.repeat(np.arange(n, dtype=np.int32), counts)
        self.slot_weekday = u_day[positions]
        self.slot_start = u_start[positions]
        self.slot_duration = u_length[positions]
        hour = self.slot_start // 60
        self.slot_tod = np.select(
            [(hour >= 5) & (hour < 12), (hour >= 12) & (hour < 17), (hour >= 17) & (hour < 21)], [0, 1, 2], 3
        ).astype(np.int8)
        self.has_slots = counts > 0
        # Each record's (weekday, time of day) pairs as bits (weekday * 4 + time of day): a weekday or
        # time-of-day filter is then one AND per candidate instead of a pass over its slots.
        self.day_tod_bits = np.zeros(n, dtype=np.uint32)
        filled = np.flatnonzero(self.has_slots)
        if len(filled):
            slot_bits = np.left_shift(
                np.uint32(1), (self.slot_weekday.astype(np.uint32) * 4 + self.slot_tod.astype(np.uint32))
            )
            self.day_tod_bits[filled] = np.bitwise_or.reduceat(slot_bits, self.slot_offsets[filled])

    def _prepare(self) -> None:
        """What every query needs and no query changes: latitude sorted for the box, the remote and
        regional rows, and the masks of constant conditions (computed once here, never per query)."""
        order = np.argsort(self.latitude, kind="stable")  # NaN (no point) sorts last
        self.lat_order = order.astype(np.int64)
        self.lat_sorted = self.latitude[order]
        # Each row's place in that order: a few rows (a text search's) find their band without their
        # coordinates (4 bytes a row read instead of 16).
        self.lat_rank = np.empty(self.size, dtype=np.int32 if self.size < 2**31 else np.int64)
        self.lat_rank[order] = np.arange(self.size, dtype=self.lat_rank.dtype)
        self.remote_rows = np.flatnonzero(self.remote)
        self.regional_rows = np.flatnonzero(self.regional)
        self.boxable = ~self.remote & ~self.regional
        # The box's columns in latitude order too: a box is then one contiguous slice of each, read
        # in order, instead of a gather at scattered rows.
        self.lon_by_lat = self.longitude[order]
        self.boxable_by_lat = self.boxable[order]
        self._constant: dict[tuple, np.ndarray] = {}
        self.contiguous = self.rowids is not None and (
            len(self.rowids) == 0 or int(self.rowids[-1]) - int(self.rowids[0]) == len(self.rowids) - 1
        )

    def facet_bitmaps(self) -> facet_bitmaps.FacetBitmaps | None:
        """The facet values' bitmaps (None for an index made without them)."""
        words = getattr(self, "facet_words", None)
        return (
            None if words is None else facet_bitmaps.from_parts(words, self.facet_groups, self.facet_labels)
        )

    def constant(self, column: str, values: tuple[str, ...]) -> np.ndarray:
        """`is_any` for a condition queries repeat ("active", "confirmed"): computed once, read-only."""
        return self._remembered((column, values), lambda: self.is_any(column, values))

    def shown(self, include_inactive: bool, include_unconfirmed: bool) -> np.ndarray | None:
        """Active and confirmed (or what the two choices leave of that) as one mask, computed once;
        None when both are included."""
        if include_inactive and include_unconfirmed:
            return None

        def build() -> np.ndarray:
            mask = np.ones(self.size, dtype=bool)
            if not include_inactive:
                mask &= self.constant("status", ("active",))
            if not include_unconfirmed:
                mask &= self.constant("verification", ("confirmed",))
            return mask

        return self._remembered(("shown", include_inactive, include_unconfirmed), build)

    def care_keep(self, care_for: str) -> np.ndarray | None:
        """What a "care for" choice keeps over the whole catalog, computed once (None for "both")."""
        if care_for not in ("substance_use", "mental_health"):
            return None

        def build() -> np.ndarray:
            treatment = self.is_any("category", ("treatment",))
            mental = self.services.mask(("mental_health",), self.size)
            if care_for == "mental_health":
                return ~treatment | mental
            return ~(treatment & mental & ~self.services.mask(("substance_use",), self.size))

        return self._remembered(("care", care_for), build)

    def _remembered(self, key: tuple, build) -> np.ndarray:
        mask = self._constant.get(key)
        if mask is None:
            mask = build()
            mask.setflags(write=False)
            with self._lock:
                if len(self._constant) < 64:
                    self._constant[key] = mask
        return mask

    def is_any(self, column: str, values: Iterable[str], rows: np.ndarray | None = None) -> np.ndarray:
        """Which records (or which of `rows`) hold one of `values` in a single-valued column."""
        codes, _, lookup = self.single_columns[column]
        if rows is not None:
            codes = codes[rows]
        wanted = [lookup[v] for v in values if v in lookup]
        if not wanted:
            return np.zeros(len(codes), dtype=bool)
        hit = codes == wanted[0]  # a few comparisons: far cheaper than np.isin's sort
        for code in wanted[1:]:
            hit |= codes == code
        return hit

    def __len__(self) -> int:
        return self.size

    # building ------------------------------------------------------------------------------------------

    @classmethod
    def from_records(cls, records: Iterable[Resource]) -> SearchIndex:
        """An index over records in memory; free text is matched as accent-free substrings."""
        records = list(records)
        columns = _new_columns()
        rows = [_record_row(r) for r in records]
        _add_chunk(columns, list(zip(*rows)) if rows else [[] for _ in _COLUMNS])
        index = cls(columns)
        index._records = records
        texts = [_fold(" ".join(getattr(r, c) for c in _TEXT_COLUMNS)) for r in records]
        index._haystack = "\x00".join(texts)
        index._haystack_offsets = offsets_of(np.array([len(t) + 1 for t in texts], dtype=np.int64))
        return index

    @classmethod
    def from_catalog(cls, catalog, *, cache: bool = True, shared: bool = True) -> SearchIndex:
        """An index over a `directory.catalog.Catalog`, read straight from SQLite in one pass.

        With `cache`, the columns saved beside the catalog file are used when they were made from the
        catalog as it is now (`directory.index_cache`), and saved there after a fresh build. With
        `shared` too, an index this process already holds for the catalog as it is now is reused
        (its columns, not a copy of them), so a server keeps one index per catalog version however
        many times it is asked (a warm-up at start, then the app).
        """
        key = index_cache.catalog_key(catalog) if cache else None
        version = catalog.version() if callable(getattr(catalog, "version", None)) else None
        if key and shared:
            held = index_cache.recall(catalog, key)
            if held is not None:
                return held._bound_to(catalog)
        index = index_cache.load(cls, catalog, key) if key else None
        if index is not None:
            index.from_cache = True
        else:
            index = cls._read_catalog(catalog)
            index.catalog_version = (
                version  # read before the rows: an import in between makes them newer, never older
            )
            if key:
                index_cache.save(index, catalog, key)
        if key and shared:
            index_cache.remember(catalog, key, index)
        return index

    def _bound_to(self, catalog) -> SearchIndex:
        """This index's columns (shared, not copied) reading pages and text through `catalog`."""
        if catalog is self._catalog:
            return self
        view = copy.copy(self)
        view._catalog = catalog
        view._lock = threading.Lock()
        view._fts_cache = OrderedDict()
        view._constant = self._constant  # read-only masks: safe to share, computed once for all
        return view

    @classmethod
    def _read_catalog(cls, catalog) -> SearchIndex:
        columns = _new_columns()
        rowids: list[np.ndarray] = []
        names = ", ".join(f'"{c}"' for c in _COLUMNS)
        cursor = catalog.conn.execute(f"SELECT rowid, {names} FROM resources ORDER BY rowid")
        while True:
            chunk = cursor.fetchmany(_CHUNK)
            if not chunk:
                break
            values = list(zip(*chunk))
            rowids.append(np.array(values[0], dtype=np.int64))
            _add_chunk(columns, values[1:])
        index = cls(columns, rowids=np.concatenate(rowids) if rowids else np.zeros(0, dtype=np.int64))
        index._catalog = catalog
        index._add_words(catalog)
        return index

    def _add_words(self, catalog) -> None:
        """Keep the catalog's word list with the columns (`directory.wordlist`), when it has one."""
        found = wordlist.read(catalog, self.rowids, self.contiguous, self.size)
        if found is not None:
            self.text_terms, self.text_offsets, self.text_rows = found

    # free text ----------------------------------------------------------------------------------------

    def text_mask(self, text: str) -> np.ndarray | None:
        """Records matching every word of `text` (prefixes, accents ignored); None when there is no word."""
        expression = fts_expression(text)
        if not expression:
            return None
        with self._lock:
            cached = self._fts_cache.get(expression)
            if cached is not None:
                self._fts_cache.move_to_end(expression)
                return cached
        if self._catalog is not None:
            mask = self._word_mask(expression) if self.text_terms is not None else None
            if mask is None:  # a word the list cannot answer for certain: FTS5 (or PostgreSQL) does
                mask = self._fts_mask(expression)
        else:
            mask = self._substring_mask(expression)
        with self._lock:
            self._fts_cache[expression] = mask
            while len(self._fts_cache) > 16:
                self._fts_cache.popitem(last=False)
        return mask

    def _word_mask(self, expression: str) -> np.ndarray | None:
        """FTS5's answer to `expression` from the word list, or None when only FTS5 can be sure."""
        return wordlist.match(expression, self.text_terms, self.text_offsets, self.text_rows, self.size)

    def _fts_mask(self, expression: str) -> np.ndarray:
        # SQLite joins the matching row ids into one string and numpy parses it: no Python object per
        # match, so a word found in most of a million records still costs milliseconds.
        mask = np.zeros(self.size, dtype=bool)
        # The store runs the expression (FTS5 or PostgreSQL text search); one it rejects matches nothing.
        found = self._catalog.text_rowids(expression)
        if not len(found):
            return mask
        if self.contiguous and self.size:
            where = found - int(self.rowids[0])
            mask[where[(where >= 0) & (where < self.size)]] = True
            return mask
        where = np.searchsorted(self.rowids, found)
        inside = where < self.size
        where, found = where[inside], found[inside]
        # Rows added to the catalog after the index was built are not in it; they are skipped.
        mask[where[self.rowids[where] == found]] = True
        return mask

    def _substring_mask(self, expression: str) -> np.ndarray:
        mask = np.ones(self.size, dtype=bool)
        for token in re.findall(r'"([^"]*)"', expression):
            hit = np.zeros(self.size, dtype=bool)
            found = [m.start() for m in re.finditer(re.escape(_fold(token)), self._haystack)]
            if found:
                hit[np.searchsorted(self._haystack_offsets, np.array(found), side="right") - 1] = True
            mask &= hit
        return mask

    # records ------------------------------------------------------------------------------------------

    def resources(self, rows: Sequence[int]) -> list[Resource]:
        """The records at these positions, built now (from the catalog or the stored list)."""
        if self._records is not None:
            return [self._records[i] for i in rows]
        found = {r.id: r for r in self._catalog.get_many([self.ids[i] for i in rows])}
        return [found[self.ids[i]] for i in rows if self.ids[i] in found]


# --- searching ------------------------------------------------------------------------------------------


def _resolve_place(query: Query, geocoder) -> tuple[Place | None, str]:
    if query.has_location:
        lat, lon = float(query.latitude), float(query.longitude)
        return Place(lat, lon, query.place or f"{lat:.4f}, {lon:.4f}", "address"), ""
    if query.place.strip():
        try:
            return lookup_place(query.place, geocoder=geocoder), ""
        except PlaceNotFound as exc:
            return None, str(exc)
    return None, ""


def _chicago_now(now: datetime | None) -> datetime:
    return datetime.now(schedule.TZ) if now is None else now


def search(
    index: SearchIndex,
    query: Query,
    *,
    now: datetime | None = None,
    geocoder=None,
    offset: int = 0,
    limit: int | None = None,
) -> SearchResults:
    """Run a query: results ranked by `query.sort`, `offset`/`limit` paging, facet counts and the sentence.

    Several values in one group match any of them; different groups must all match. Online, phone,
    statewide and national resources match wherever the person is; other resources without coordinates
    are left out when a place is given. A place that cannot be found gives no results and its message.
    Without `include_inactive` only active resources are shown (temporarily closed ones are hidden too);
    without `include_unconfirmed` only those the source confirmed. `now` defaults to the current time.
    """
    if not isinstance(index, SearchIndex):
        index = SearchIndex.from_catalog(index) if hasattr(index, "conn") else SearchIndex.from_records(index)
    now = _chicago_now(now)
    place, message = _resolve_place(query, geocoder)
    description = describe(query, place)
    if message:
        return SearchResults(message=message, description=description)
    plan = Selection(index, query, place, now)
    offset = max(int(offset or 0), 0)
    ordered = plan.first(None if limit is None else offset + max(int(limit), 0))
    results = _results(plan, ordered[offset:], now)
    unconfirmed = 0
    if not plan.total and not query.include_unconfirmed:
        wider = dataclasses.replace(query, include_unconfirmed=True)
        unconfirmed = Selection(index, wider, place, now).total
    found = SearchResults(
        results=results,
        total=plan.total,
        facets=plan.facets(),
        place=place,
        message="",
        description=description,
        unconfirmed_matches=unconfirmed,
        relaxed=plan.relaxed() if not plan.total else {},
    )
    if asks_for_meetings(query):
        add_meeting_help(found, plan, _results)
    return found


def _results(plan: Selection, page: np.ndarray, now: datetime) -> list[Result]:
    """The Result of each row of `page`, with its distance (or remote label) and next meeting time."""
    index = plan.index
    resources = index.resources(page.tolist())
    results = []
    reference = reference_time(now)
    distance = plan.distance_at(page)
    for i, (row, resource) in enumerate(zip(page.tolist(), resources)):
        kind = int(index.remote_kind[row])
        miles = None if distance is None or kind else float(distance[i])
        if kind:
            label = _REMOTE_LABELS[kind]
        else:
            label = f"{miles:.1f} mi" if miles is not None else ""
        found = schedule.next_meeting(resource.schedule, reference) if resource.schedule else None
        results.append(Result(resource, miles, label, found[1] if found else None))
    return results
