"""App speed: server time of a Find-page filter change (AppTest, shipped catalog), time to draw 5,000 map
markers in Chromium (synthetic records generated here, never shipped), and time to a healthy server.

Targets (issue 6): filter change <= 300 ms, 5,000 markers <= 3 s, health check <= 2 s. Prints figures only.
Run: .venv/bin/python bench/app_bench.py [--skip-browser]
"""

from __future__ import annotations

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


def synthetic_catalog(path: Path, n: int = 5000) -> Path:
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
    """Start `streamlit run app.py`; return the process, base URL and seconds until /_stcore/health said ok."""
    port = free_port()
    env = {**os.environ, "AFTERCARE_CATALOG": str(db)}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
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


def markers_seconds(url: str) -> tuple[float, float, int, float]:
    """Seconds from opening the map view to the first marker cluster, and to the whole map script having run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        start = time.perf_counter()
        page.goto(f"{url}/?view=map")
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        frame.locator(".aftercare-cluster").first.wait_for(timeout=60_000)
        first = time.perf_counter() - start
        handle = next(f for f in page.frames if "streamlit_folium" in f.url)
        in_frame = handle.evaluate("() => performance.now()") / 1000
        handle.wait_for_function("() => (window.feature_group || []).length >= 3", timeout=60_000)
        total = handle.evaluate(
            "() => window.feature_group.reduce((n, g) => n + g.getLayers()"
            ".reduce((m, c) => m + (c.getLayers ? c.getLayers().length : 0), 0), 0)"
        )
        done = time.perf_counter() - start
        browser.close()
    return first, done, total, in_frame


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
        synthetic = synthetic_catalog(Path(tmp) / "bench.db")
        ms = filter_change_ms(synthetic, near="")
        print(
            f"filter change, 5,000 synthetic records, no place (map shows all): list {ms['list']:.0f} ms, "
            f"map {ms['map']:.0f} ms"
        )
        process, url, healthy = start_server(synthetic if not shipped.is_file() else shipped)
        print(f"health check answered 'ok' {healthy:.2f} s after start (target <= 2 s)")
        stop(process)
        if "--skip-browser" in sys.argv or not Path(CHROMIUM).exists():
            print("browser figures skipped")
            return 0
        process, url, _ = start_server(synthetic)
        try:
            first, done, total, in_frame = markers_seconds(url)
        finally:
            stop(process)
        print(
            f"map view with {total} markers: first cluster drawn {first:.2f} s after opening the page, "
            f"all layers in {done:.2f} s; the map frame drew them {in_frame:.2f} s after it began loading "
            "(target <= 3 s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
