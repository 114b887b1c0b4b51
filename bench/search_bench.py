"""Search benchmark: load time, memory and query latency on generated catalogs of 1k to 1M records, and the
speed-up over the per-row way (pandas apply with geopy distances) on 10k records.

Every catalog here is synthetic, generated inside this script ("Synthetic meeting 123"), placed at real
Illinois ZIP centres from the zipcodes package (GeoNames, CC BY 4.0) with random jitter, and written to a
temporary folder that is deleted afterwards; nothing is written to data/.

    python bench/search_bench.py                       # 1k, 10k, 100k and 1M records (about 4 minutes)
    python bench/search_bench.py --sizes 1000,10000    # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory import schedule  # noqa: E402
from directory.catalog import Catalog  # noqa: E402
from directory.schema import FIELD_NAMES, WEEKDAYS  # noqa: E402
from directory.search import Query, SearchIndex, search  # noqa: E402

NOW = datetime(2025, 6, 10, 19, 5, tzinfo=schedule.TZ)  # a Tuesday evening
QUERIES = [
    Query(place="60614", categories=("support_group",)),
    Query(place="60614", categories=("support_group",), weekdays=(1,), times_of_day=("evening",)),
    Query(place="62701", radius=25, categories=("treatment",), moud_services=("buprenorphine",)),
    Query(place="61820", radius=15, categories=("recovery_housing",), mat_friendly=True),
    Query(place="60505", in_progress=True),
    Query(place="61101", radius=20, starting_within=2, sort="next"),
    Query(place="60614", radius=5, languages=("es",)),
    Query(place="61602", radius=30, categories=("treatment",), payment=("medicaid", "sliding_fee")),
    Query(categories=("crisis_line", "government_program")),
    Query(text="spanish"),
    Query(place="60614", text="women"),
    Query(place="62901", radius=50, categories=("support_group",), fellowships=("NA",), sort="next"),
    Query(place="60085", categories=("support_group",), populations=("women",)),
    Query(place="60614", radius=100),
    Query(place="Chicago", sort="name"),
    Query(place="60614", verified_within_months=12, include_unconfirmed=True),
    Query(formats=("online",), weekdays=(5, 6)),
    Query(place="60614", wheelchair=True, sort="next"),
    Query(place="62701", weekdays=(0, 1, 2, 3, 4), times_of_day=("morning", "night")),
    Query(
        place="60614",
        categories=("treatment",),
        moud_services=("methadone",),
        include_inactive=True,
        sort="verified",
    ),
]
FELLOWSHIPS = ["AA", "NA", "Al-Anon", "SMART", "CA", "CMA", "Celebrate Recovery", "Recovery Dharma"]
WORDS = [
    "newcomers",
    "spanish speaking",
    "women's",
    "big book",
    "speaker",
    "step study",
    "young people",
    "oxford",
]
STARTS = [
    "06:30",
    "07:00",
    "08:00",
    "10:00",
    "12:00",
    "12:10",
    "17:30",
    "18:00",
    "19:00",
    "19:30",
    "20:00",
    "23:30",
]


def _pick_sets(rng: np.random.Generator, values: list[str], n: int, p: float) -> list[str]:
    """For each of n records, a "; "-joined random subset where each value is in with probability p."""
    chosen = rng.random((n, len(values))) < p
    return ["; ".join(v for v, c in zip(values, row) if c) for row in chosen]


def generate_rows(n: int, seed: int = 7) -> list[tuple]:
    """n synthetic catalog rows in FIELD_NAMES order: 60% meetings, 20% treatment, 10% housing, 10% remote."""
    import zipcodes

    rng = np.random.default_rng(seed)
    il = [z for z in zipcodes.filter_by(state="IL") if z["lat"] and z["long"]]
    zlat = np.array([float(z["lat"]) for z in il])
    zlon = np.array([float(z["long"]) for z in il])
    zcode = [z["zip_code"] for z in il]
    zcity = [z["city"] for z in il]
    kind = rng.choice(4, size=n, p=[0.6, 0.2, 0.1, 0.1])
    where = rng.integers(0, len(il), size=n)
    lat = np.round(zlat[where] + rng.normal(0, 0.02, n), 6)
    lon = np.round(zlon[where] + rng.normal(0, 0.02, n), 6)
    slots = rng.integers(1, 4, size=n)
    days = rng.integers(0, 7, size=(n, 3))
    starts = rng.integers(0, len(STARTS), size=(n, 3))
    lengths = rng.choice([0, 60, 90], size=(n, 3))
    populations = _pick_sets(rng, ["women", "men", "lgbtq", "young_adults", "veterans"], n, 0.06)
    payment = _pick_sets(
        rng, ["medicaid", "medicare", "private_insurance", "sliding_fee", "self_pay"], n, 0.4
    )
    moud = _pick_sets(rng, ["methadone", "buprenorphine", "naltrexone"], n, 0.25)
    services = _pick_sets(
        rng, ["substance_use", "outpatient", "intensive_outpatient", "residential", "detox"], n, 0.4
    )
    status = rng.choice(["active", "temporarily_closed", "inactive"], size=n, p=[0.95, 0.03, 0.02])
    verification = rng.choice(["confirmed", "unconfirmed"], size=n, p=[0.85, 0.15])
    as_of = (np.datetime64("2019-01-01") + rng.integers(0, 2350, size=n)).astype(str)
    spanish = rng.random(n) < 0.1
    wheel = rng.random(n) < 0.3
    matf = rng.choice(["yes", "no", "unknown"], size=n, p=[0.2, 0.1, 0.7])
    fellowship = rng.integers(0, len(FELLOWSHIPS), size=n)
    word = rng.integers(0, len(WORDS), size=n)
    remote_kind = rng.integers(0, 3, size=n)
    rows = []
    for i in range(n):
        k = int(kind[i])
        rec = dict.fromkeys(FIELD_NAMES, "")
        rec.update(
            id=f"synthetic-{i}",
            source="synthetic",
            source_url="https://example.org/synthetic",
            as_of=as_of[i],
            coverage="local",
            status=str(status[i]),
            verification=str(verification[i]),
            mat_friendly="unknown",
            geocode_precision="address",
            latitude=float(lat[i]),
            longitude=float(lon[i]),
            zip=zcode[where[i]],
            city=zcity[where[i]],
            state="IL",
            languages="es" if spanish[i] else "en",
            accessibility="wheelchair" if wheel[i] else "",
            description=f"Synthetic record for the benchmark, {WORDS[word[i]]}",
        )
        if k in (0, 3):
            count = int(slots[i])
            picked = sorted(
                {(int(days[i, j]), STARTS[starts[i, j]], int(lengths[i, j])) for j in range(count)}
            )
            parts = []
            for day, start, length in picked:
                end = ""
                if length:
                    minute = (int(start[:2]) * 60 + int(start[3:]) + length) % 1440
                    end = f"-{minute // 60:02d}:{minute % 60:02d}"
                parts.append(f"{WEEKDAYS[day]} {start}{end}")
            rec.update(
                schedule="; ".join(dict.fromkeys(parts)),
                populations=populations[i],
                mat_friendly=str(matf[i]),
            )
        if k == 0:
            rec.update(
                name=f"Synthetic meeting {i}",
                category="support_group",
                subcategory="meeting",
                fellowship=FELLOWSHIPS[fellowship[i]],
                format="hybrid" if i % 7 == 0 else "in_person",
            )
        elif k == 1:
            rec.update(
                name=f"Synthetic clinic {i}",
                category="treatment",
                services=services[i],
                payment=payment[i],
                moud_services=moud[i],
            )
        elif k == 2:
            rec.update(
                name=f"Synthetic home {i}",
                category="recovery_housing",
                subcategory=("sober_living", "oxford_house", "recovery_home")[i % 3],
                populations=populations[i],
                mat_friendly=str(matf[i]),
                payment="self_pay",
            )
        else:
            rec.update(latitude=None, longitude=None, geocode_precision="none", zip="", city="")
            if remote_kind[i] == 0:
                rec.update(name=f"Synthetic online meeting {i}", category="support_group", format="online")
                rec["fellowship"] = FELLOWSHIPS[fellowship[i]]
            elif remote_kind[i] == 1:
                rec.update(
                    name=f"Synthetic line {i}", category="crisis_line", format="phone", coverage="statewide"
                )
                rec["schedule"] = ""
            else:
                rec.update(name=f"Synthetic program {i}", category="government_program", coverage="statewide")
                rec["schedule"] = ""
        rows.append(tuple(rec[f] for f in FIELD_NAMES))
    return rows


def write_catalog(path: Path, rows: list[tuple]) -> None:
    """A catalog with the app's schema; the FTS index is built once at the end instead of per row."""
    Catalog(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER resources_ai")
    cols = ", ".join(f'"{f}"' for f in FIELD_NAMES)
    with conn:
        conn.executemany(f"INSERT INTO resources ({cols}) VALUES ({', '.join('?' * len(FIELD_NAMES))})", rows)
        conn.execute("INSERT INTO resources_fts(resources_fts) VALUES ('rebuild')")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def worker(path: str, repeats: int) -> dict:
    """Load the index in this fresh process and time the queries; returns the figures."""
    import psutil

    process = psutil.Process()
    before = process.memory_info().rss
    catalog = Catalog(path, readonly=True)
    start = time.perf_counter()
    index = SearchIndex.from_catalog(catalog)
    load = time.perf_counter() - start
    rss = process.memory_info().rss
    for query in QUERIES:  # warm-up: the city table of geo, SQLite pages, numpy code paths
        search(index, query, now=NOW, limit=20)
    times, totals = [], []
    for _ in range(repeats):
        for query in QUERIES:
            start = time.perf_counter()
            found = search(index, query, now=NOW, limit=20)
            times.append(time.perf_counter() - start)
            totals.append(found.total)
    per_query = [statistics.median(times[q :: len(QUERIES)]) for q in range(len(QUERIES))]
    return {
        "records": len(index),
        "load_s": load,
        "rss_mb": rss / 2**20,
        "index_mb": (rss - before) / 2**20,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": float(np.percentile(times, 95)) * 1000,
        "per_query_ms": [t * 1000 for t in per_query],
        "totals": totals[: len(QUERIES)],
    }


def naive(path: Path, queries: list[Query]) -> tuple[list[float], list[int]]:
    """The per-row way: a DataFrame of records, pandas apply with geopy distance and Python predicates."""
    import pandas as pd
    from geopy.distance import distance as geopy_distance

    from directory.geo import lookup_place

    with Catalog(path, readonly=True) as catalog:
        records = catalog.records()
    df = pd.DataFrame({"record": records})
    times, totals = [], []
    for query in queries:
        start = time.perf_counter()
        place = lookup_place(query.place) if query.place else None
        months = query.verified_within_months or 0
        cutoff = (pd.Timestamp(NOW.date()) - pd.DateOffset(months=months)).date().isoformat()

        def keep(row, query=query, place=place, cutoff=cutoff):
            r = row["record"]
            if not query.include_inactive and r.status != "active":
                return None
            if not query.include_unconfirmed and r.verification != "confirmed":
                return None
            miles = 0.0
            if place is not None and not r.is_remote:
                if not r.has_location:
                    return None
                miles = geopy_distance((place.latitude, place.longitude), (r.latitude, r.longitude)).miles
                if miles > query.radius:
                    return None
            for group, values in (
                ("category", query.categories),
                ("fellowship", query.fellowships),
                ("format", query.formats),
            ):
                if values and getattr(r, group) not in values:
                    return None
            for group in ("populations", "languages", "payment", "moud_services"):
                wanted = getattr(query, group)
                if wanted and not set(wanted) & set(getattr(r, group)):
                    return None
            if query.verified_within_months and r.as_of < cutoff:
                return None
            if query.mat_friendly and r.mat_friendly != "yes":
                return None
            if query.wheelchair and "wheelchair" not in r.accessibility:
                return None
            if query.text and query.text.lower() not in f"{r.name} {r.description} {r.city}".lower():
                return None
            if query.weekdays or query.times_of_day or query.in_progress or query.starting_within:
                ok = [
                    s
                    for s in r.schedule
                    if (not query.weekdays or s.weekday in query.weekdays)
                    and (not query.times_of_day or schedule.time_of_day(s.start) in query.times_of_day)
                    and (
                        not (query.in_progress or query.starting_within)
                        or (query.in_progress and schedule.in_progress(s, NOW))
                        or (query.starting_within and schedule.starts_within(s, NOW, query.starting_within))
                    )
                ]
                if not ok:
                    return None
            return miles

        miles = df.apply(keep, axis=1)
        kept = miles.dropna().sort_values()
        times.append(time.perf_counter() - start)
        totals.append(len(kept))
    return times, totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="comma-separated record counts")
    parser.add_argument("--worker", nargs=2, metavar=("DB", "REPEATS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], int(args.worker[1]))))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(
        f"{len(QUERIES)} queries, limit 20, now = {NOW:%a %Y-%m-%d %H:%M %Z}; SQLite file warm in the page cache"
    )
    print(f"{'records':>9} {'generate':>9} {'load':>7} {'RSS':>8} {'index':>8} {'median':>9} {'p95':>9}")
    figures: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"catalog-{n}.db"
            start = time.perf_counter()
            write_catalog(path, generate_rows(n))
            made = time.perf_counter() - start
            repeats = 3 if n >= 1_000_000 else 10
            out = subprocess.run(
                [sys.executable, __file__, "--worker", str(path), str(repeats)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            result = figures[n] = json.loads(out.stdout)
            print(
                f"{n:>9} {made:>8.1f}s {result['load_s']:>6.2f}s {result['rss_mb']:>6.0f}MB {result['index_mb']:>6.0f}MB"
                f" {result['median_ms']:>7.2f}ms {result['p95_ms']:>7.2f}ms"
            )
            if n == 10_000:
                slow, slow_totals = naive(path, QUERIES)
                fast = result["per_query_ms"]
                ratios = [s * 1000 / f for s, f in zip(slow, fast)]
                overall = sum(slow) * 1000 / sum(fast)
                agree = sum(a == b for a, b in zip(slow_totals, result["totals"]))
                print(
                    f"{'':>9} per-row (pandas apply + geopy) on 10k: median {statistics.median(slow) * 1000:.0f} ms"
                    f" per query; speed-up: all 20 queries {overall:.0f}x, per-query median {statistics.median(ratios):.0f}x,"
                    f" smallest {min(ratios):.0f}x (#{ratios.index(min(ratios)) + 1});"
                    f" same result count on {agree}/{len(QUERIES)} queries"
                )
            path.unlink(missing_ok=True)
    ordered = sorted(figures)
    for small, large in zip(ordered, ordered[1:]):
        size_ratio = large / small
        time_ratio = figures[large]["median_ms"] / figures[small]["median_ms"]
        print(f"growth {small:>7} -> {large:>7}: records x{size_ratio:.0f}, median latency x{time_ratio:.1f}")
    slowest = {n: max(range(len(QUERIES)), key=lambda q: figures[n]["per_query_ms"][q]) for n in ordered}
    for n, q in slowest.items():
        print(f"slowest query at {n}: #{q + 1} {figures[n]['per_query_ms'][q]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
