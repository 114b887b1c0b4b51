"""The Catalog page's figures at 200,000 records (issue 12, item 14): SQL aggregation against building records.

Prints the seconds and the memory growth of what the page computes (`Catalog.stats()` and the county ×
kind table), once the old way (every record built, counted in Python) and once in SQL. Synthetic
records only, named so. Run: `.venv/bin/python bench/catalog_page_bench.py [N]`.
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory import catalog_admin as admin  # noqa: E402
from directory.catalog import Catalog  # noqa: E402
from directory.schema import Resource  # noqa: E402

COUNTIES = ("Cook", "DuPage", "Lake", "Will", "Kane", "Sangamon", "Champaign", "Peoria", "Madison", "")


def synthetic_catalog(path: Path, n: int) -> Path:
    rng = random.Random(12)
    kinds = ("support_group", "treatment", "recovery_housing", "harm_reduction")
    records = (
        Resource(
            id=f"bench-{i}",
            name=f"Synthetic bench record {i}",
            category=kinds[i % 4],
            source="bench-synthetic",
            source_url="https://example.invalid/bench",
            as_of=f"20{18 + i % 8}-01-01",
            county=COUNTIES[i % len(COUNTIES)],
            city="Springfield",
            latitude=round(rng.uniform(37.2, 42.3), 5) if i % 5 else None,
            longitude=round(rng.uniform(-91.2, -87.6), 5) if i % 5 else None,
            geocode_precision="zip" if i % 5 else "none",
        )
        for i in range(n)
    )
    with Catalog(path) as catalog:
        batch: list[Resource] = []
        for record in records:
            batch.append(record)
            if len(batch) == 50_000:
                catalog.import_records(batch, source="bench-synthetic", save_report=False)
                batch = []
        if batch:
            catalog.import_records(batch, source="bench-synthetic", save_report=False)
    return path


def old_way(catalog: Catalog):
    """What the page did before: every record built, then counted in Python."""
    records = catalog.records()
    stats = {"total": len(records)}
    for name in (
        "category",
        "subcategory",
        "source",
        "county",
        "status",
        "verification",
        "geocode_precision",
    ):
        stats[name] = dict(sorted(Counter(getattr(r, name) or "(blank)" for r in records).items()))
    return stats, admin.county_kinds(records)


def new_way(catalog: Catalog):
    return catalog.stats(), admin.county_kinds(catalog)


def measure(label: str, compute, path: Path) -> None:
    gc.collect()
    process = psutil.Process()
    before = process.memory_info().rss
    peak = before
    start = time.perf_counter()
    with Catalog(path, readonly=True) as catalog:
        result = compute(catalog)
        peak = max(peak, process.memory_info().rss)
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:6.2f} s   +{(peak - before) / 2**20:6.0f} MB   total={result[0]['total']}")


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        synthetic_catalog(path, n)
        print(f"built {n:,} synthetic records in {time.perf_counter() - start:.0f} s")
        measure("SQL aggregation (now)", new_way, path)
        measure("every record built (before)", old_way, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
