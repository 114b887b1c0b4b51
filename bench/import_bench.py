"""Benchmark: import a 100,000-meeting Meeting Guide feed, then refresh it unchanged.

The feed is generated here (synthetic meetings at random points inside Illinois, real Illinois ZIP
codes); nothing leaves this script. Prints import time and peak memory against the targets (10 s,
500 MB) and checks that an identical second refresh writes nothing to the catalog. Times are wall
clock, with this process's CPU seconds beside them: on a shared machine the CPU figure is the steadier.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zipcodes  # noqa: E402

# Loaded before the clock starts, as it is in a running app: the offline place lookup (numpy, the ZIP
# table) costs about 0.3 s once per process, whatever the size of the feed.
import directory.geo  # noqa: E402, F401
from directory.catalog import Catalog  # noqa: E402
from directory.importers import meeting_guide  # noqa: E402
from directory.progress import TextProgressBar  # noqa: E402
from directory.refresh import Fetched, Source, apply_fetched  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_MB = 500.0
TYPES = ["O", "C", "W", "M", "S", "X", "LGBTQ", "BE", "D", "SP", "ONL", "Y"]


def generated_feed(count: int, seed: int = 7) -> bytes:
    """A synthetic Meeting Guide feed: generated names and streets, points and ZIPs inside Illinois.

    Written meeting by meeting, so generating the feed does not itself dominate peak memory.
    """
    rng = random.Random(seed)
    zips = [z["zip_code"] for z in zipcodes.filter_by(state="IL") if z.get("zip_code_type") == "STANDARD"]

    def meeting(n: int) -> str:
        online = n % 7 == 0
        return json.dumps(
            {
                "slug": f"bench-{n}",
                "name": f"Generated Bench Meeting {n}",
                "day": rng.randrange(7) if n % 5 else [rng.randrange(7), rng.randrange(7)],
                "time": f"{rng.randrange(6, 22):02d}:{rng.choice(['00', '15', '30', '45'])}",
                "end_time": "",
                "types": rng.sample(TYPES, 3),
                "address": f"{rng.randrange(1, 9999)} Generated Bench Street",
                "city": "Benchville",
                "state": "IL",
                "postal_code": rng.choice(zips),
                "latitude": round(rng.uniform(37.2, 42.4), 6),
                "longitude": round(rng.uniform(-91.3, -87.7), 6),
                "conference_url": f"https://example.org/bench/{n}" if online else "",
                "notes": "Generated benchmark record.",
                "updated": "2025-12-01 10:00:00",
            }
        )

    return ("[" + ",".join(meeting(n) for n in range(count)) + "]").encode("utf-8")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--progress", action="store_true", help="show the progress bar on stderr")
    args = parser.parse_args()

    t0 = time.perf_counter()
    body = generated_feed(args.count)
    print(
        f"generated feed: {args.count:,} meetings, {len(body) / 1e6:.1f} MB JSON in {time.perf_counter() - t0:.1f} s"
    )
    base_mb = peak_mb()
    source = Source(
        name="bench", format="meeting-guide", url="https://example.org/bench.json", fellowship="AA"
    )
    progress = TextProgressBar() if args.progress else None

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.db"
        with Catalog(db) as catalog:
            t0, c0 = time.perf_counter(), time.process_time()
            result = meeting_guide.parse(body, source_key="bench", source_url=source.url, fellowship="AA")
            t_parse, c_parse = time.perf_counter() - t0, time.process_time() - c0
            report = catalog.import_records(result.records, source="bench", save_report=False)
            t_import, c_import = time.perf_counter() - t0, time.process_time() - c0
            assert len(report.added) == args.count and not report.rejected, report.summary()
            del result, report
            print(
                f"import (parse {t_parse:.1f} s + store {t_import - t_parse:.1f} s): {t_import:.1f} s for "
                f"{args.count:,} meetings [target <= {TARGET_SECONDS:.0f} s] "
                f"{'OK' if t_import <= TARGET_SECONDS else 'OVER'}; CPU {c_import:.1f} s "
                f"(parse {c_parse:.1f} s + store {c_import - c_parse:.1f} s)"
            )

            peak_import = peak_mb()
            fetched = Fetched(source=source, url=source.url, fetched_at="bench", data=json.loads(body))
            catalog.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            stat = db.stat(), Path(str(db) + "-wal").stat().st_size
            changes = catalog.conn.total_changes
            resources_before = catalog.conn.execute("SELECT count(*), max(rowid) FROM resources").fetchone()
            t0, c0 = time.perf_counter(), time.process_time()
            again = apply_fetched(catalog, fetched, progress=progress, today="2026-01-05")
            t_refresh, c_refresh = time.perf_counter() - t0, time.process_time() - c0
            changes_after = catalog.conn.total_changes - changes
            resource_writes = changes_after - 1  # one small "no changes" report row is kept
            assert again.status == "applied" and not again.has_changes, again.summary()
            assert (
                catalog.conn.execute("SELECT count(*), max(rowid) FROM resources").fetchone()
                == resources_before
            )
        wal_after = Path(str(db) + "-wal")
        print(
            f"identical second refresh: {t_refresh:.1f} s (CPU {c_refresh:.1f} s), {again.unchanged:,} unchanged, "
            f"resource rows written: {resource_writes} (report rows: 1), "
            f"db file size {stat[0].st_size:,} -> {db.stat().st_size:,} bytes, "
            f"WAL before {stat[1]:,} bytes, after {wal_after.stat().st_size if wal_after.exists() else 0:,}"
        )
    peak = peak_mb()
    print(
        f"peak RSS: {peak:.0f} MB overall, {peak_import:.0f} MB by the end of the import "
        f"(after generating the feed: {base_mb:.0f} MB) [target <= {TARGET_MB:.0f} MB] "
        f"{'OK' if peak <= TARGET_MB else 'OVER'}"
    )
    return 0 if resource_writes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
