"""The Find page's map at scale: server time of a map rerun, memory per map session, the full map at 200k.

On generated catalogs (synthetic records made here by bench/app_bench.py's generator, a third of them
around Chicago; never shipped) of 100,000 and 200,000 records. Figures printed, nothing asserted:

1. Map rerun, server time (target <= 300 ms at 100k for any place, issue 15): the work the map fragment of
   pages/find.py does on every pan, zoom or filter: the query's located rows from the index, the fitted
   view, markers or server-made groups of the view, popup texts, the folium layers and the strings
   st_folium sends (`_get_map_string`, `_get_feature_group_string`). For places across the state, with no
   place, and for zoomed-in views of Chicago where single markers with popups are drawn. Median of 5 runs.
2. The whole Find page with `view=map` (AppTest, one script run), first run and rerun, for comparison.
3. Memory growth per map session (target <= 20 MB): RSS after 1 and after 6 AppTest sessions of the map.
4. The full map at 200k (target < 3 s and +200 MB, issue 12): the Find page with `view=map` and no place,
   its first run once the index is loaded, and the RSS it added.

Run: .venv/bin/python bench/map_bench.py [--records 100000] [--big 200000] [--catalog PATH]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app_bench import synthetic_catalog  # noqa: E402

PLACES = [("no place", "", 10), ("60614 (Chicago)", "60614", 25), ("62701 (Springfield)", "62701", 25),
          ("61602 (Peoria)", "61602", 10), ("62914 (Cairo)", "62914", 50), ("Rockford", "Rockford", 100)]  # fmt: skip
# Zoomed-in views of Chicago (south, west, north, east, zoom): single markers with popups.
VIEWS = [("Chicago zoom 11", (41.72, -88.03, 41.98, -87.47), 11),
         ("Chicago zoom 13", (41.86, -87.72, 41.93, -87.58), 13),
         ("Chicago zoom 15", (41.89, -87.66, 41.91, -87.62), 15)]  # fmt: skip
RUNS = 5


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def map_rerun(index, query, place, now, bounds=None, zoom=None) -> tuple[int, bool, int]:
    """The map fragment's server work (pages/find.py `result_map`), without Streamlit: returns
    (listings in view, clustered, bytes st_folium would send)."""
    from streamlit_folium import _get_feature_group_string, _get_map_string

    from directory import map_groups, maps, markers
    from directory.words import t, vocab

    located = markers.query_rows(index, query, place=place, now=now)
    radius = query.radius if place else None
    origin = (place.latitude, place.longitude, "search") if place else None
    center, fitted = maps.fit_view(markers.extent(index, located), place=origin and origin[:2],
                                   radius_miles=radius)  # fmt: skip
    drawn = markers.markers(index, query, now=now, bounds=bounds, rows=located, zoom=zoom or fitted)
    kind_names = {k: vocab("category", k) for k in maps.KIND_COLOURS}
    points: list = []
    layers = []
    if drawn.clustered:
        c = drawn.clusters
        layers = [
            map_groups.cluster_layer(
                c.latitude, c.longitude, c.count, name="groups", title=t("map.group_title")
            )
        ]
    else:
        texts = markers.popups(index, drawn.rows, now)
        points = maps.marker_points(drawn.ids, drawn.latitude, drawn.longitude, drawn.kind, texts,
                                    kind_names=kind_names)  # fmt: skip
    layers += maps.result_layers(points, kind_names=kind_names, place=origin, radius_miles=radius)
    base = maps.base_map()
    sent = len(_get_map_string(base))
    sent += sum(len(_get_feature_group_string(layer, base, i)) for i, layer in enumerate(layers))
    return drawn.in_view, drawn.clustered, sent


def server_times(db: Path) -> None:
    from directory import schedule
    from directory.catalog import Catalog
    from directory.geo import lookup_place
    from directory.search import Query, SearchIndex

    now = datetime.now(schedule.TZ)
    with Catalog(str(db), readonly=True) as catalog:
        start = time.perf_counter()
        index = SearchIndex.from_catalog(catalog)
        print(f"  index load {time.perf_counter() - start:.2f} s")
        map_rerun(index, Query(), None, now)  # warm-up: imports, the basemap files
        cases = []
        for label, near, radius in PLACES:
            place = lookup_place(near) if near else None
            query = Query(place=near, radius=radius) if near else Query()
            cases.append((f"{label}, {radius} mi" if near else label, query, place, None, None))
        for label, bounds, zoom in VIEWS:
            cases.append((label, Query(), None, bounds, zoom))
        print(f"  {'map rerun, server time':34s} {'median':>8s} {'max':>8s}  in view  drawn as   sent")
        for label, query, place, bounds, zoom in cases:
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                in_view, clustered, sent = map_rerun(index, query, place, now, bounds, zoom)
                times.append(time.perf_counter() - start)
            print(f"  {label:34s} {statistics.median(times) * 1000:6.0f} ms {max(times) * 1000:6.0f} ms"
                  f"  {in_view:7,d}  {'groups' if clustered else 'markers':8s} {sent / 1000:5.0f} kB")  # fmt: skip


def new_map_session(near: str = "", radius: int = 25):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["view"] = "map"
    if near:
        at.query_params["near"], at.query_params["r"] = near, str(radius)
    return at


def page_times(db: Path, label: str, sessions: int = 6) -> None:
    """AppTest runs of the Find page's map: first run, rerun, and RSS per session."""
    os.environ.update(AFTERCARE_CATALOG=str(db), AFTERCARE_ONLINE="0")
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    at = new_map_session()
    at.run()
    first = time.perf_counter() - start  # includes loading the index into the server's cache
    loaded = rss_mb()
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    start = time.perf_counter()
    at.run()
    rerun = time.perf_counter() - start
    gc.collect()
    after_one = rss_mb()
    keep = [at]
    for n in range(sessions - 1):
        other = new_map_session(("60614", "62701", "61602", "", "62914")[n % 5])
        other.run()
        keep.append(other)
    gc.collect()
    after_all = rss_mb()
    print(f"  {label}: Find page view=map, no place: first run {first:.2f} s (index load included, "
          f"+{loaded - before:.0f} MB), rerun {rerun:.2f} s{'  PROBLEMS: ' + str(problems) if problems else ''}")  # fmt: skip
    print(f"  {label}: RSS {after_one:.0f} MB after 1 map session, {after_all:.0f} MB after {sessions}: "
          f"{(after_all - after_one) / (sessions - 1):.1f} MB per map session (target <= 20)")  # fmt: skip


def full_map(db: Path, label: str) -> None:
    """The full map once the index is in memory: time and RSS of the first map run of a new session."""
    from directory.catalog import Catalog
    from directory.search import SearchIndex

    os.environ.update(AFTERCARE_CATALOG=str(db), AFTERCARE_ONLINE="0")
    # Load the index the way app.py does (its cache), through a list-view session first.
    from streamlit.testing.v1 import AppTest

    start = time.perf_counter()
    warm = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    warm.run()
    load = time.perf_counter() - start
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    at = new_map_session()
    at.run()
    took = time.perf_counter() - start
    gc.collect()
    grew = rss_mb() - before
    notes = [i.value for i in at.info]
    with Catalog(str(db), readonly=True) as catalog:
        size = SearchIndex.from_catalog(catalog).size
    print(f"  {label} ({size:,} records): list page with the index load {load:.2f} s; then the full map "
          f"{took:.2f} s, +{grew:.0f} MB (target < 3 s, +200 MB)")  # fmt: skip
    print(f"    note shown: {notes[0][:90] + '…' if notes else '(none)'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=200_000)
    parser.add_argument("--catalog", help="an existing generated catalog of --records records")
    parser.add_argument("--big-catalog", help="an existing generated catalog of --big records")
    parser.add_argument("--part", choices=["server", "page", "full", "all"], default="all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.part in ("server", "page", "all"):
            db = Path(args.catalog) if args.catalog else synthetic_catalog(folder / "map.db", args.records)
            print(f"generated catalog ({args.records:,} synthetic records):")
            if args.part in ("server", "all"):
                server_times(db)
            if args.part in ("page", "all"):
                page_times(db, f"{args.records // 1000}k")
        if args.part in ("full", "all"):
            big = (
                Path(args.big_catalog) if args.big_catalog else synthetic_catalog(folder / "big.db", args.big)
            )
            print(f"generated catalog ({args.big:,} synthetic records):")
            full_map(big, f"{args.big // 1000}k")
    return 0


if __name__ == "__main__":
    sys.exit(main())
