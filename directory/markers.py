"""Map markers straight from the search index's arrays: the located results of a query as id, latitude,
longitude and kind arrays, never as full records; above a cap, clusters counted on the server instead.

Remote listings (online, by phone, statewide, national) have no place on a map and are left off. A page
draws `Markers.points` one by one, or, when `Markers.clustered`, draws `Markers.clusters` (a count at the
centre of each grid cell) and shows the "zoom in" note (`zoom_note`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from directory.facets import Selection
from directory.query import Query
from directory.words import t

MAP_CAP = 2000  # more listings in view than this are drawn as server-made clusters
GRID_CELLS = 48  # cells across the longer side of the view when clustering
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
    return t("map.zoom_in", count=markers.in_view) if markers.clustered else ""


def located_rows(index, selection: Selection) -> np.ndarray:
    """The query's results that have a point on the map: remote listings and rows without one left off."""
    rows = selection.final_rows
    return rows[index.has_coordinates[rows] & ~index.remote[rows]]


def markers(
    index,
    query: Query,
    *,
    place=None,
    now: datetime,
    bounds: tuple[float, float, float, float] | None = None,
    cap: int = MAP_CAP,
) -> Markers:
    """The markers of `query` (with `place` already found, as `search` found it) inside `bounds`
    (south, west, north, east; None for everywhere): single points up to `cap`, clusters above it."""
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
    return Markers(rows=rows, in_view=len(rows), clusters=_clusters(lat, lon, kinds, uniques, bounds))


def _clusters(lat, lon, kinds, uniques, bounds) -> Clusters:
    """Listings counted per cell of a grid over the view (over the listings' extent without a view)."""
    if bounds is None:
        bounds = (float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()))
    south, west, north, east = bounds
    # Cells about square on the ground: a degree of longitude is shorter than one of latitude here.
    shrink = max(math.cos(math.radians((south + north) / 2)), 0.01)
    span = max(north - south, (east - west) * shrink, 1e-6)
    size = span / GRID_CELLS
    row = np.floor((lat - south) / size).astype(np.int64)
    col = np.floor((lon - west) * shrink / size).astype(np.int64)
    cell = row * (GRID_CELLS * 4 + 1) + col
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
