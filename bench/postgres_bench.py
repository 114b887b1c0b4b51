"""Benchmark: the PostgreSQL store beside SQLite at 100,000 generated Meeting Guide meetings.

Prints (1) the import's time and peak memory into PostgreSQL and into SQLite, each in a process of its
own; (2) the search index's load time on app start from PostgreSQL (target <= 2 s) and from SQLite;
(3) search latency (median, p95) and errors of 8 concurrent searching sessions while a second import
(every meeting renamed) runs in another process. The feed is bench/import_bench.py's synthetic one;
nothing leaves this machine. Without --url a throwaway server is started with tests/postgres/pg_ctl.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import directory.geo  # noqa: E402, F401  (loaded before the clock, as in a running app)
from directory import store as stores  # noqa: E402
from directory.importers import meeting_guide  # noqa: E402

TARGET_INDEX_SECONDS = 2.0
SESSIONS = 8
QUERIES = [
    {"text": "bench meeting"},  # each text gets a number appended: "bench meeting 17"
    {"place": "60614", "radius": 25},
    {"text": "generated 12"},
    {"place": "62701", "radius": 50, "weekdays": (2,)},
    {"text": "street", "place": "61820", "radius": 100},
    {"times_of_day": ("evening",)},
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def records(count: int, word: str = "Bench"):
    from import_bench import generated_feed

    body = generated_feed(count)
    if word != "Bench":
        body = body.replace(b"Generated Bench Meeting", f"Generated {word} Meeting".encode())
    result = meeting_guide.parse(body, source_key="bench", source_url="https://example.org/bench.json")
    assert not result.errors, result.errors[:3]
    return result.records


def import_once(target: str, count: int, word: str) -> None:
    """Child process: parse the feed, import it, print one JSON line of figures."""
    items = records(count, word)
    base = peak_mb()
    with stores.open_store(target) as store:
        print("importing", flush=True)  # the parent times searches from here
        t0, c0 = time.perf_counter(), time.process_time()
        report = store.import_records(items, source="bench", save_report=False)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert report.applied and not report.rejected, report.summary()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "before_mb": base}))


def child(target: str, count: int, word: str = "Bench") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--child-import", target, "--count", str(count), "--word", word],
        stdout=subprocess.PIPE,
        text=True,
    )


def figures(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"import child failed ({proc.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def index_load(target: str) -> tuple[float, int]:
    from directory.search import SearchIndex

    with stores.open_store(target, readonly=True) as store:
        t0 = time.perf_counter()
        index = SearchIndex.from_catalog(store)
        return time.perf_counter() - t0, len(index)


def concurrent_searches(url: str, count: int) -> None:
    from directory.query import Query
    from directory.search import SearchIndex, search

    store = stores.open_store(url, readonly=True, pool_size=SESSIONS)
    index = SearchIndex.from_catalog(store)
    latencies: list[tuple[float, float]] = []  # (when it started, how long it took)
    errors: list[str] = []
    done = threading.Event()

    def session(n: int) -> None:
        i = n
        while not done.is_set():
            fields = dict(QUERIES[i % len(QUERIES)])
            if (
                "text" in fields
            ):  # a new text each time, so the index's text cache never answers for the store
                fields["text"] += f" {i % 9973}"
            query = Query(**fields)
            i += 1
            t0 = time.perf_counter()
            try:
                found = search(index, query, limit=20)
                assert found.total >= 0
                # A page shows its 20 cards: the records come from the store.
                _ = [r.resource.name for r in found.results]
            except Exception as exc:  # noqa: BLE001 - counted, not raised
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append((t0, time.perf_counter() - t0))

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    quiet_start = time.perf_counter()
    time.sleep(10)  # the same sessions with no import running, to compare
    quiet_end = time.perf_counter()
    importer = child(url, count, word="Renamed")
    assert importer.stdout.readline().strip() == "importing"
    start = time.perf_counter()
    result = figures(importer)
    end = time.perf_counter()
    done.set()
    for thread in threads:
        thread.join()
    store.close()
    window = end - start
    quiet = sorted(took * 1000 for began, took in latencies if quiet_start <= began <= quiet_end)
    print(
        f"{SESSIONS} concurrent sessions, no import running ({quiet_end - quiet_start:.0f} s): "
        f"{len(quiet):,} searches, latency median {statistics.median(quiet):.0f} ms, "
        f"p95 {quiet[int(0.95 * (len(quiet) - 1))]:.0f} ms"
    )
    ms = sorted(took * 1000 for began, took in latencies if start <= began <= end)
    p95 = ms[int(0.95 * (len(ms) - 1))] if ms else float("nan")
    print(
        f"{SESSIONS} concurrent sessions during a {count:,}-meeting re-import into PostgreSQL "
        f"(import {result['seconds']:.1f} s, window {window:.1f} s): {len(ms):,} searches, "
        f"latency median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, errors {len(errors)}"
        + (f" (first: {errors[0]})" if errors else "")
    )


def throwaway_server(tmp: str):
    import port_for
    from pytest_postgresql.executors import PostgreSQLExecutor

    port = port_for.select_random()
    server = PostgreSQLExecutor(
        executable=str(ROOT / "tests" / "postgres" / "pg_ctl"),
        host="127.0.0.1",
        port=port,
        datadir=str(Path(tmp) / "data"),
        unixsocketdir=tempfile.gettempdir(),
        logfile=str(Path(tmp) / "postgresql.log"),
        startparams="-w",
        dbname="bench",
    )
    server.start()
    return server, f"postgresql://postgres@127.0.0.1:{port}/postgres"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--url", help="an empty PostgreSQL database to use (default: a throwaway server)")
    parser.add_argument("--child-import", help=argparse.SUPPRESS)
    parser.add_argument("--word", default="Bench", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        import_once(args.child_import, args.count, args.word)
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        server = None
        url = args.url
        if not url:
            server, url = throwaway_server(tmp)
        try:
            stores.upgrade(url)
            db = str(Path(tmp) / "catalog.db")
            for label, target in (("SQLite", db), ("PostgreSQL", url)):
                f = figures(child(target, args.count))
                print(
                    f"import of {args.count:,} meetings into {label}: {f['seconds']:.1f} s "
                    f"(CPU {f['cpu']:.1f} s), peak RSS {f['peak_mb']:.0f} MB "
                    f"({f['before_mb']:.0f} MB before the import, records parsed)"
                )
            for label, target in (("SQLite", db), ("PostgreSQL", url)):
                seconds, size = index_load(target)
                verdict = "OK" if seconds <= TARGET_INDEX_SECONDS else "OVER"
                print(
                    f"index load on app start from {label}: {seconds:.2f} s for {size:,} records"
                    + (
                        f" [target <= {TARGET_INDEX_SECONDS:.0f} s] {verdict}"
                        if label == "PostgreSQL"
                        else ""
                    )
                )
            concurrent_searches(url, args.count)
        finally:
            if server is not None:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
