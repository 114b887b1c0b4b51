"""App speed: server time of a Find-page filter change (AppTest), time to a healthy server, and how long a
visitor waits for 5,000 map markers in Chromium (synthetic records generated here, never shipped).

The map figure is the honest one: a freshly started `streamlit run` (so Python imports, the search index and
the first folium render all happen during the visit), a fresh browser profile (nothing cached), no request
interception, offline (other hosts do not resolve); the clock starts at navigation and stops when every
marker is in its cluster. It is split into milestones, with the server's own steps timed in a fresh
process, and repeated for the second visitor of the same server.
Targets (issue 6): filter change <= 300 ms, 5,000 markers <= 3 s, health check <= 2 s. Prints figures only.
Run: .venv/bin/python bench/app_bench.py [--skip-browser]
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from directory.catalog import DEFAULT_DB, Catalog  # noqa: E402
from directory.schema import Resource, Slot  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
MARKERS = 5000
COLD_RUNS = 3


def filter_change_ms(db: Path, repeats: int = 7, near: str = "60614") -> dict[str, float]:
    """Median AppTest run time of the Find page after a filter change, list and map view."""
    from streamlit.testing.v1 import AppTest

    os.environ["AFTERCARE_CATALOG"] = str(db)
    out = {}
    for view in ("list", "map"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if near:
            at.query_params["near"] = near
            at.query_params["r"] = "25"
        if view == "map":
            at.query_params["view"] = "map"
        at.run()
        at.run()  # warm: catalog, index and imports cached
        times = []
        choices = [["support_group"], ["treatment"], ["recovery_housing"], []]
        for n in range(repeats):
            widget = at.button_group(key="f_categories")
            start = time.perf_counter()
            widget.set_value(choices[n % len(choices)]).run()
            times.append((time.perf_counter() - start) * 1000)
            assert not at.exception, at.exception
        out[view] = statistics.median(times)
    return out


def synthetic_catalog(path: Path, n: int = MARKERS) -> Path:
    """n synthetic records spread over Illinois (bench only; names say so)."""
    rng = random.Random(7)
    kinds = ("support_group", "treatment", "recovery_housing")
    records = [
        Resource(
            id=f"bench-{i}",
            name=f"Synthetic bench record {i}",
            category=kinds[i % 3],
            source="bench-synthetic",
            source_url="https://example.invalid/bench",
            as_of="2026-01-01",
            latitude=round(rng.uniform(37.2, 42.3), 5),
            longitude=round(rng.uniform(-91.2, -87.6), 5),
            geocode_precision="zip",
            schedule=(Slot(i % 7, "19:00", "20:00"),) if i % 3 == 0 else (),
        )
        for i in range(n)
    ]
    with Catalog(path) as catalog:
        catalog.import_records(records, source="bench-synthetic", save_report=False)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str, float]:
    """Start the app as `make run` does, offline; return the process, base URL and seconds until it is healthy."""
    port = free_port()
    env = {**os.environ, "AFTERCARE_CATALOG": str(db), "AFTERCARE_ONLINE": "0"}
    cmd = [
        sys.executable,
        "-m",
        "components.serve",  # what `make run` starts: `streamlit run app.py` with the libraries imported
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    start = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - start < 60:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return process, url, time.perf_counter() - start
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("the server did not become healthy in 60 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


# Every host but this machine fails to resolve: offline like a clinic without internet, and unlike
# request interception (page.route), it adds no round trip to each of the app's ~150 requests.
OFFLINE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MILESTONES = (
    ("frontend", "Streamlit's page loaded, websocket open"),
    ("map_data", "map data received (script ran up to the map)"),
    ("assets", "map frame loaded Leaflet and markercluster"),
    ("first_cluster", "first cluster drawn"),
    ("all_markers", "every marker in its cluster"),
)


def map_visit(url: str, expected: int) -> dict[str, float]:
    """One visit of the map view in a fresh browser profile: seconds from navigation to each milestone.

    Also returns `markers` (how many the map holds), `frame` (seconds from the map frame's own start to its
    first cluster) and `external` (requests to other hosts: must be 0).
    """
    from playwright.sync_api import sync_playwright

    times: dict[str, float] = {}
    external: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        start = time.perf_counter()

        def mark(name: str) -> None:
            times.setdefault(name, time.perf_counter() - start)

        def on_frame(payload) -> None:
            if b"result_cluster" in (payload if isinstance(payload, bytes) else payload.encode()):
                mark("map_data")

        def on_request(request) -> None:
            if not request.url.startswith(url) and not request.url.startswith(("data:", "blob:", "about:")):
                external.append(request.url)

        def on_finished(request) -> None:
            if "/app/static/vendor/" in request.url:
                times["assets"] = time.perf_counter() - start  # the last one wins

        page.on("websocket", lambda ws: (mark("frontend"), ws.on("framereceived", on_frame)))
        page.on("request", on_request)
        page.on("requestfinished", on_finished)
        page.goto(f"{url}/?view=map")
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        frame.locator(".aftercare-cluster").first.wait_for(timeout=60_000)
        mark("first_cluster")
        handle = next(f for f in page.frames if "streamlit_folium" in f.url)
        times["frame"] = handle.evaluate("() => performance.now()") / 1000
        count = (
            "() => (window.feature_group || []).reduce((n, g) => n + g.getLayers()"
            ".reduce((m, c) => m + (c.getLayers ? c.getLayers().length : 0), 0), 0)"
        )
        handle.wait_for_function(f"() => ({count})() >= {expected}", timeout=60_000)
        mark("all_markers")
        times["markers"] = handle.evaluate(count)
        browser.close()
    times["external"] = len(external)
    return times


def server_steps(db: Path) -> dict[str, float]:
    """Milliseconds of each server step of a first map view, in a fresh Python process (imports cold)."""
    code = f"""
import json, sys, time
from datetime import datetime
sys.path.insert(0, {str(ROOT)!r})
out, t = {{}}, time.perf_counter()
def lap(name):
    global t
    now = time.perf_counter(); out[name] = (now - t) * 1000; t = now
from directory import catalog, schedule
from directory.search import Query, SearchIndex, search
lap("import numpy, pandas, directory.search")
import folium, streamlit_folium
from directory import maps
lap("import folium, streamlit_folium")
index = SearchIndex.from_catalog(catalog.Catalog({str(db)!r}, readonly=True))
lap("SearchIndex.from_catalog")
now = datetime.now(schedule.TZ)
found = search(index, Query.from_params({{}})[0], now=now, limit=None)
lap("search, every result built as a Resource")
points = maps.map_points([(x.resource, x.resource.category, "") for x in found.results])
lap("map_points")
base = maps.base_map()
layers = maps.result_layers(points, kind_names={{}})
base.get_root().render()
script = streamlit_folium._get_map_string(base)
layers_js = "".join(streamlit_folium._get_feature_group_string(g, base, i) for i, g in enumerate(layers))
lap("map script (folium render, {{:.2f}} MB of layers)".format(len(layers_js) / 1e6))
print(json.dumps(out))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_visits(label: str, visits: list[dict[str, float]]) -> None:
    print(label)
    for key, words in MILESTONES:
        values = [v[key] for v in visits if key in v]
        if values:
            each = ", ".join(f"{x:.2f}" for x in values)
            print(f"  {words:48s} median {statistics.median(values):.2f} s  ({each})")
    print(
        f"  map frame: first cluster {statistics.median(v['frame'] for v in visits):.2f} s after it started"
    )
    print(
        f"  markers on the map: {int(visits[0]['markers'])}; requests to other hosts: "
        f"{sum(int(v['external']) for v in visits)}"
    )


def main() -> int:
    shipped = Path(os.environ.get("AFTERCARE_CATALOG") or DEFAULT_DB)
    if shipped.is_file():
        with Catalog(shipped, readonly=True) as catalog:
            count = catalog.count()
        ms = filter_change_ms(shipped)
        print(f"filter change, shipped catalog ({count} records), server time (median of 7 AppTest reruns):")
        print(f"  list view {ms['list']:.0f} ms, map view {ms['map']:.0f} ms (target <= 300 ms)")
    else:
        print(f"no shipped catalog at {shipped}: build it with `make build-catalog`; filter change skipped")
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = synthetic_catalog(Path(tmp) / "bench.db", MARKERS)
        ms = filter_change_ms(synthetic, near="")
        print(
            f"filter change, {MARKERS:,} synthetic records, no place (map shows all): "
            f"list {ms['list']:.0f} ms, map {ms['map']:.0f} ms"
        )
        process, url, healthy = start_server(synthetic if not shipped.is_file() else shipped)
        print(f"health check answered 'ok' {healthy:.2f} s after start (target <= 2 s)")
        stop(process)
        print(f"server steps of a first map view of {MARKERS:,} records, fresh process (ms):")
        for step, ms_taken in server_steps(synthetic).items():
            print(f"  {step:60s} {ms_taken:6.0f}")
        if "--skip-browser" in sys.argv or not Path(CHROMIUM).exists():
            print("browser figures skipped")
            return 0
        cold, warm = [], []
        for _ in range(COLD_RUNS):
            process, url, _ = start_server(synthetic)
            try:
                cold.append(map_visit(url, MARKERS))
                warm.append(map_visit(url, MARKERS))
            finally:
                stop(process)
        print_visits(
            f"map view with {MARKERS:,} markers, first visitor of a freshly started server, fresh browser "
            f"(seconds after navigation; target <= 3 s to every marker; {COLD_RUNS} servers):",
            cold,
        )
        print_visits("the same, second visitor of each server (imports done, index cached):", warm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
