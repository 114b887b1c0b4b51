"""Map markers straight from the search index's arrays: the located results of a query as id, latitude,
longitude and kind arrays, never as full records; above a cap, clusters counted on the server instead.

Remote listings (online, by phone, statewide, national) have no place on a map and are left off. A page
draws `Markers.points` one by one, or, when `Markers.clustered`, draws `Markers.clusters` (a count at the
centre of each grid cell) and shows the "zoom in" note (`zoom_note`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from directory import freshness, geo
from directory.facets import Selection, reference_time
from directory.query import Query
from directory.schedule import next_meeting
from directory.schema import parse_schedule
from directory.search import Result
from directory.words import next_words, slot_words, t

MAP_CAP = 2000  # more listings in view than this are drawn as server-made clusters
GRID_CELLS = 48  # cells across the longer side of the view when clustering without a zoom level
CLUSTER_PX = 64  # with a zoom level: one cell about this many screen pixels wide, so badges do not overlap


def cell_degrees(zoom: float, pixels: int = CLUSTER_PX) -> float:
    """Degrees of longitude that `pixels` screen pixels span at a Web-Mercator zoom level."""
    return pixels * 360.0 / (256.0 * 2.0 ** float(zoom))


_NAME_CHUNK = 900  # SQLite's bound-parameter limit is 999


@dataclass(frozen=True)
class Clusters:
    """Pre-counted groups: the mean point of each grid cell's listings, how many, and the commonest kind."""

    latitude: np.ndarray
    longitude: np.ndarray
    count: np.ndarray
    kind: list[str]


@dataclass
class Markers:
    """The located results of one query inside a view (or everywhere)."""

    ids: list[str] = field(default_factory=list)
    latitude: np.ndarray = field(default_factory=lambda: np.zeros(0))
    longitude: np.ndarray = field(default_factory=lambda: np.zeros(0))
    kind: list[str] = field(default_factory=list)  # each marker's category ("support_group", …)
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # index positions
    in_view: int = 0  # located results inside the view, drawn or not
    clusters: Clusters | None = None  # set instead of single points above the cap

    @property
    def clustered(self) -> bool:
        return self.clusters is not None

    def __len__(self) -> int:
        return len(self.ids)


def zoom_note(markers: Markers) -> str:
    """The sentence under a clustered map ("…zoom in to see every listing"), or "" when every one is drawn."""
    return t("map.zoom_in", count=f"{markers.in_view:,}") if markers.clustered else ""


def located_rows(index, selection: Selection) -> np.ndarray:
    """The query's results that have a point on the map: remote listings and rows without one left off."""
    rows = selection.final_rows
    return rows[index.has_coordinates[rows] & ~index.remote[rows]]


def query_rows(index, query: Query, *, place=None, now: datetime) -> np.ndarray:
    """The located rows of `query` (remote listings and rows without a point left off), for `markers(rows=...)`."""
    return located_rows(index, Selection(index, query, place, now))


def markers(
    index,
    query: Query,
    *,
    place=None,
    now: datetime,
    bounds: tuple[float, float, float, float] | None = None,
    cap: int = MAP_CAP,
    rows: np.ndarray | None = None,
    zoom: float | None = None,
) -> Markers:
    """The markers of `query` (with `place` already found, as `search` found it) inside `bounds`
    (south, west, north, east; None for everywhere): single points up to `cap`, clusters above it.

    `rows` are the query's located rows when the caller has them already (`located_rows`, or the `rows`
    of an earlier `Markers` of the same query without bounds), so the query is not run again. With the
    map's `zoom`, a cluster cell is about CLUSTER_PX screen pixels wide; without, GRID_CELLS span the view.
    """
    if rows is None:
        rows = located_rows(index, Selection(index, query, place, now))
    lat, lon = index.latitude[rows], index.longitude[rows]
    if bounds is not None:
        south, west, north, east = bounds
        inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        rows, lat, lon = rows[inside], lat[inside], lon[inside]
    codes, uniques, _ = index.single_columns["category"]
    kinds = codes[rows]
    if len(rows) <= cap:
        return Markers(
            ids=[index.ids[i] for i in rows.tolist()],
            latitude=lat,
            longitude=lon,
            kind=[uniques[k] for k in kinds.tolist()],
            rows=rows,
            in_view=len(rows),
        )
    return Markers(rows=rows, in_view=len(rows), clusters=_clusters(lat, lon, kinds, uniques, bounds, zoom))


def _clusters(lat, lon, kinds, uniques, bounds, zoom=None) -> Clusters:
    """Listings counted per cell of a grid over the view (over the listings' extent without a view)."""
    if bounds is None:
        bounds = (float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()))
    south, west, north, east = bounds
    # Cells about square on the ground: a degree of longitude is shorter than one of latitude here.
    shrink = max(math.cos(math.radians((south + north) / 2)), 0.01)
    span = max(north - south, (east - west) * shrink, 1e-6)
    if zoom is None:
        size, origin = span / GRID_CELLS, (south, west)
    else:  # a grid fixed to the ground, so that panning does not move the groups about
        size, origin = cell_degrees(zoom) * shrink, (0.0, 0.0)
    row = np.floor((lat - origin[0]) / size).astype(np.int64)
    col = np.floor((lon - origin[1]) * shrink / size).astype(np.int64)
    row, col = row - row.min(), col - col.min()
    cell = row * (int(col.max()) + 1) + col
    unique, inverse, count = np.unique(cell, return_inverse=True, return_counts=True)
    mean_lat = np.bincount(inverse, weights=lat) / count
    mean_lon = np.bincount(inverse, weights=lon) / count
    # The commonest kind per cell: count (cell, kind) pairs and keep the largest per cell.
    pair = inverse * len(uniques) + kinds
    pairs, pair_count = np.unique(pair, return_counts=True)
    pair_cell, pair_kind = pairs // len(uniques), pairs % len(uniques)
    order = np.lexsort((-pair_count, pair_cell))
    first = np.r_[True, pair_cell[order][1:] != pair_cell[order][:-1]]
    top_kind = np.empty(len(unique), dtype=np.int64)
    top_kind[pair_cell[order][first]] = pair_kind[order][first]
    return Clusters(mean_lat, mean_lon, count, [uniques[k] for k in top_kind.tolist()])


def names(index, rows: np.ndarray) -> list[str]:
    """The names of the listings at these index positions, read in one query (for popups), in order."""
    rows = np.asarray(rows, dtype=np.int64)
    if index._records is not None:
        return [index._records[i].name for i in rows.tolist()]
    found: dict[int, str] = {}
    rowids = index.rowids[rows].tolist()
    for start in range(0, len(rowids), _NAME_CHUNK):
        chunk = rowids[start : start + _NAME_CHUNK]
        sql = f"SELECT rowid, name FROM resources WHERE rowid IN ({', '.join('?' * len(chunk))})"
        found.update(index._catalog.conn.execute(sql, chunk).fetchall())
    return [found.get(r, "") for r in rowids]


@dataclass(frozen=True)
class _Dated:
    """The four fields `freshness.certainty` reads, so the age words need no full record."""

    as_of: str
    source: str
    verification: str
    date_basis: str


@dataclass(frozen=True)
class Popup:
    """What one marker's popup says, as plain (unescaped) catalog text: name, next meeting or hours, age."""

    name: str
    when: str
    age: str


_POPUP_COLUMNS = "rowid, " + ", ".join(
    f"IFNULL({c}, '')" for c in ("name", "schedule", "hours", "as_of", "source", "verification", "date_basis")
)


def popups(index, rows: np.ndarray, now: datetime) -> list[Popup]:
    """The popup text of the listings at these index positions, in order, read in one query per 900 rows
    (only the columns a popup shows; no full record is built): the name, the next meeting (or the weekly
    times, or the hours) and how old and how sure the listing is (`freshness.certainty`)."""
    rows = np.asarray(rows, dtype=np.int64)
    if index._records is not None:
        picked = [index._records[i] for i in rows.tolist()]
        fields = [
            (r.name, r.schedule, r.hours, r.as_of, r.source, r.verification, r.date_basis) for r in picked
        ]
    else:
        found: dict[int, tuple] = {}
        rowids = index.rowids[rows].tolist()
        for start in range(0, len(rowids), _NAME_CHUNK):
            chunk = rowids[start : start + _NAME_CHUNK]
            sql = f"SELECT {_POPUP_COLUMNS} FROM resources WHERE rowid IN ({', '.join('?' * len(chunk))})"
            found.update((row[0], row[1:]) for row in index._catalog.conn.execute(sql, chunk))
        empty = ("", "", "", "", "", "", "")
        fields = [found.get(r, empty) for r in rowids]
    reference = reference_time(now)
    # Thousands of markers share a few dozen (date, source) pairs and far fewer weekly times than rows:
    # each age and each time line is worked out once.
    ages: dict[tuple, str] = {}
    whens: dict[tuple, str] = {}
    out = []
    for name, slots, hours, as_of, source, verification, date_basis in fields:
        key = (as_of, source, verification, date_basis)
        if key not in ages:
            ages[key] = freshness.certainty(_Dated(*key), now).words
        if (slots, hours) not in whens:
            whens[slots, hours] = _when(slots, hours, reference, now)
        out.append(Popup(name, whens[slots, hours], ages[key]))
    return out


def _when(slots: tuple | str, hours: str, reference: datetime, now: datetime) -> str:
    """The card's time line, as `words.when_text` writes it, from the weekly times (as slots or as the
    stored text) and the hours."""
    if isinstance(slots, str):
        slots = parse_schedule(slots) if slots else ()
    if slots:
        found = next_meeting(slots, reference)
        if found:
            return t("card.next", when=next_words(found[1], now))
        shown = "; ".join(slot_words(s) for s in slots[:3])
        return t("card.meets", schedule=shown + ("; …" if len(slots) > 3 else ""))
    return t("card.hours", hours=hours) if hours else ""


def extent(index, rows: np.ndarray) -> list[tuple[float, float]]:
    """The south-west and north-east corners around these rows' points ([] for none), for fitting a view."""
    if not len(rows):
        return []
    lat, lon = index.latitude[rows], index.longitude[rows]
    return [(float(lat.min()), float(lon.min())), (float(lat.max()), float(lon.max()))]


def selected(index, rows: Sequence[int], *, place=None, now: datetime) -> list[Result]:
    """The search results of the listings chosen on the map (a handful): full records, the distance from
    `place` and the next meeting, as the result list shows them."""
    reference = reference_time(now)
    out = []
    for resource in index.resources(list(rows)):
        miles = None
        if place is not None and resource.has_location:
            miles = geo.distance_miles(place.latitude, place.longitude, resource.latitude, resource.longitude)
        found = next_meeting(resource.schedule, reference) if resource.schedule else None
        out.append(
            Result(
                resource, miles, f"{miles:.1f} mi" if miles is not None else "", found[1] if found else None
            )
        )
    return out
