"""The Catalog page's figures (issue 12 item 14, issue 15): from the search index, in SQL, and by records.

Prints the seconds and the memory growth of what the page computes (the statistics and the county ×
kind table): from the search index the server holds (now), the same with the index loaded from its cache
file first (a server that does not hold it yet), in SQL (session 3) and by building every record (before
that); then, with `--page`, the Catalog page's first view in Streamlit's AppTest on a server that holds
the index. Synthetic records only, named so. Run: `.venv/bin/python bench/catalog_page_bench.py [N] [--page]`.
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
from directory import catalog_stats, index_cache  # noqa: E402
from directory.catalog import Catalog  # noqa: E402
from directory.schema import Resource  # noqa: E402
from directory.search import SearchIndex  # noqa: E402

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


def sql_way(catalog: Catalog):
    return catalog.stats(), admin.county_kinds(catalog)


HELD: dict = {}


def index_way(catalog: Catalog):
    """The page now: counted from the index the server already holds for this catalog version."""
    figures = catalog_stats.page_figures(catalog, HELD["index"])
    assert isinstance(figures, catalog_stats.IndexFigures)
    return figures.stats(), admin.county_kinds(figures)


def index_load_way(catalog: Catalog):
    """A server that does not hold the index yet: loaded from the cache file beside the catalog, then counted."""
    index_cache.forget()
    index = SearchIndex.from_catalog(catalog)
    figures = catalog_stats.page_figures(catalog, index)
    return figures.stats(), admin.county_kinds(figures)


def page_first_view(path: Path) -> float:
    """Seconds of the Catalog page's first view in AppTest, the app having loaded its index already."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["AFTERCARE_CATALOG"] = str(path)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.run()  # the Find page: the app loads the catalog and its index
    at.switch_page("pages/catalog.py")
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    assert not at.exception, at.exception
    return seconds


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
    import os

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        synthetic_catalog(path, n)
        print(f"built {n:,} synthetic records in {time.perf_counter() - start:.0f} s")
        with Catalog(path, readonly=True) as catalog:
            start = time.perf_counter()
            HELD["index"] = SearchIndex.from_catalog(catalog)  # built from the rows and cached
            print(
                f"index built and cached in {time.perf_counter() - start:.1f} s (the server does this at start)"
            )
            with_index = index_way(catalog)
            assert with_index[0]["total"] == n
            sql = sql_way(catalog)
            shown = ("total", "category", "source", "verification", "status", "as_of_age", "with_coordinates")
            assert {k: with_index[0][k] for k in shown} == {k: sql[0][k] for k in shown}
            assert with_index[1].equals(sql[1]), "county × kind tables differ"
        for _ in range(2):
            measure("from the held index (now)", index_way, path)
        measure("index from its cache file, then counted", index_load_way, path)
        measure("SQL aggregation (session 3)", sql_way, path)
        if "--records" in sys.argv:
            measure("every record built (before)", old_way, path)
        if "--page" in sys.argv:
            times = [page_first_view(path) for _ in range(3)]
            print(f"Catalog page first view (AppTest, index held): {', '.join(f'{t:.2f} s' for t in times)}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
