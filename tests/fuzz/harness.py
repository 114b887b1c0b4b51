"""A seeded mutation fuzzer for every importer, refresh's reading of a feed body, and the Find page's URL.

Each target starts from a real or generated input (generated ones say so), mutates it (bytes flipped,
cut, repeated; JSON values swapped for hostile ones: deep nesting, 5,000-digit numbers, Infinity, wrong
types, huge strings, paths such as /dev/zero; CSV fields over the limit, stray quotes, NUL bytes) and
runs the importer. A finding is an uncaught exception, a case over the time limit (a hang), memory past
the ceiling, or a refused import that changed the store.

`make test` runs a short pass (tests/fuzz/test_fuzz.py); `make fuzz` runs `python -m tests.fuzz.harness
--seconds N` (FUZZ_SECONDS, default 600), which prints the counts and exits 1 on any finding.
The same file runs against an older tree (PYTHONPATH) to give before/after counts.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("AFTERCARE_SHARED_DATA") or REPO.parent / "shared" / "data")


SAMPLE_BYTES = 1 << 20  # of an input that found something, kept to reproduce it


class Hang(BaseException):
    """Raised by the alarm inside a case that ran over its time limit (BaseException: nothing swallows it)."""


@dataclass
class Finding:
    target: str
    kind: str  # uncaught | hang | memory | store_changed
    detail: str
    sample: bytes = b""


@dataclass
class Tally:
    cases: int = 0
    findings: list[Finding] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    slowest: tuple[float, str] = (0.0, "")
    by_target: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    def summary(self) -> str:
        kinds = ("uncaught", "hang", "memory", "store_changed")
        counts = ", ".join(f"{k} {self.count(k)}" for k in kinds)
        return (
            f"{self.cases} cases: {counts}; peak RSS {self.peak_rss_mb:.0f} MB; "
            f"slowest case {self.slowest[0]:.2f} s ({self.slowest[1]})"
        )


# --- hostile values --------------------------------------------------------------------------------------
HOSTILE_VALUES: list[Any] = [
    None,
    0,
    -1,
    7,
    10**30,
    1.5e308,
    "",
    " ",
    "²",
    "①",
    "99:99",
    "25:00",
    "/dev/zero",
    "/etc/passwd",
    "../../../../etc/passwd",
    '=HYPERLINK("https://evil.example","x")',
    "![p](https://tracker.example/p.png)",
    "<script>alert(1)</script>",
    "\x00\x01\x02",
    "\ud800" if False else "\u202e",
    "北京 😀",
    [],
    [1, 2, 3],
    {},
    {"a": {"b": {"c": 1}}},
    True,
]
RAW_JSON_TOKENS = [
    b"Infinity",
    b"-Infinity",
    b"NaN",
    b"9" * 5000,
    b"1e999",
    b"[" * 1200 + b"]" * 1200,
    b"{" + b'"a":{' * 300 + b"}" * 301,
    b'"' + b"x" * 200_000 + b'"',
    b'"/dev/zero"',
]
CSV_NASTIES = [
    "x" * 140_000,
    '"unclosed',
    'a""b"',
    "\x00",
    "\ufeff",
    "=1+1",
    "+cmd|' /C calc'!A0",
    "\r",
    ";;;;;;;;",
    "2026-13-45",
    "Mon 99:99-25:00",
]


def _rng_choice(rng: random.Random, items: list) -> Any:
    return items[rng.randrange(len(items))]


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        if not data:
            data = bytearray(b"{")
        i = rng.randrange(len(data))
        if op == 0:
            data[i] = rng.randrange(256)
        elif op == 1:
            del data[i : i + rng.randint(1, 64)]
        elif op == 2:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 3:
            data = data[: rng.randrange(len(data) + 1)]
        elif op == 4:
            j = rng.randrange(len(data))
            chunk = data[min(i, j) : max(i, j)][:4096]
            data[i:i] = chunk * rng.randint(1, 8)
        else:
            data[i:i] = _rng_choice(rng, RAW_JSON_TOKENS)[:4096] if rng.random() < 0.7 else b"\xff\xfe"
    return bytes(data)


def mutate_json(value: Any, rng: random.Random, depth: int = 0) -> Any:
    """A copy of decoded JSON with a few values swapped for hostile ones."""
    if isinstance(value, list) and value:
        out = list(value)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(out))
            out[i] = (
                mutate_json(out[i], rng, depth + 1)
                if rng.random() < 0.8
                else _rng_choice(rng, HOSTILE_VALUES)
            )
        return out
    if isinstance(value, dict) and value:
        out = dict(value)
        for _ in range(rng.randint(1, 3)):
            key = _rng_choice(rng, list(out))
            if rng.random() < 0.6 and depth < 6:
                out[key] = mutate_json(out[key], rng, depth + 1)
            else:
                out[key] = _rng_choice(rng, HOSTILE_VALUES)
        return out
    return _rng_choice(rng, HOSTILE_VALUES) if rng.random() < 0.7 else value


def json_case(seed: Any, rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.6:
        return json.dumps(mutate_json(seed, rng), ensure_ascii=rng.random() < 0.5).encode(
            "utf-8", "surrogatepass"
        )
    text = json.dumps(seed).encode()
    if roll < 0.8:
        # a hostile raw token where a value was (numbers and constants json.dumps cannot write)
        spots = [i for i in range(len(text)) if text[i : i + 1] == b":"]
        if spots:
            i = _rng_choice(rng, spots) + 1
            end = i
            while end < len(text) and text[end : end + 1] not in (b",", b"}"):
                end += 1
            return text[:i] + _rng_choice(rng, RAW_JSON_TOKENS) + text[end:]
    return mutate_bytes(text, rng)


def csv_case(seed: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.3:
        return mutate_bytes(seed, rng)
    lines = seed.decode("utf-8", "replace").splitlines()
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        cells = lines[i].split(",")
        j = rng.randrange(len(cells))
        cells[j] = _rng_choice(rng, CSV_NASTIES)
        lines[i] = ",".join(cells)
    if rng.random() < 0.1:
        lines = lines[:1] + lines[1:] * rng.randint(10, 40)
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def zip_case(seed: bytes, rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.3:
        return mutate_bytes(seed, rng)
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name.endswith(".csv") and rng.random() < 0.5:
                data = csv_case(data, rng)
            archive.writestr(name, data)
        if roll > 0.9:  # a small bomb: 300 MB of one byte packs into ~300 KB
            with archive.open("organizations.csv", "w") as member:
                member.write(b"id,name\n")
                block = b"a" * (1024 * 1024)
                for _ in range(300):
                    member.write(block)
        elif roll > 0.85:
            for n in range(300):
                archive.writestr(f"extra{n}.csv", b"x")
    return buffer.getvalue()


# --- targets -----------------------------------------------------------------------------------------------
def _seeds() -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from directory.importers import project_csv
    from directory.render.hsds_export import export_hsds_zip
    from tests.app_catalog import test_records
    from tests.feed_server import generated_bmlt_meetings, generated_findtreatment_pages

    records = test_records()
    seeds: dict[str, Any] = {
        "bmlt": generated_bmlt_meetings(6),
        "findtreatment": generated_findtreatment_pages(6, 4),
        "hsds-zip": export_hsds_zip(records),
        "project-csv": project_csv.write(records).encode(),
    }
    with zipfile.ZipFile(io.BytesIO(seeds["hsds-zip"])) as archive:
        seeds["hsds-json"] = {
            n: list(__import__("csv").DictReader(io.StringIO(archive.read(n).decode("utf-8-sig"))))
            for n in archive.namelist()
            if n.endswith(".csv")
        }
    mg = SHARED / "feeds" / "meeting-guide" / "kansas-city-aa.json"
    seeds["meeting-guide"] = json.loads(mg.read_bytes())[:25] if mg.exists() else generated_bmlt_meetings(1)
    for name, rel in (
        ("compiled", "resources/statewide_and_online.csv"),
        ("crisis", "crisis_lines/il_crisis_help_lines.csv"),
        ("samhsa", "treatment/il_samhsa_opioid_treatment_programs.csv"),
    ):
        path = SHARED / rel
        if path.exists():
            seeds[name] = b"\n".join(path.read_bytes().splitlines()[:25])
    return seeds


def _targets(
    seeds: dict[str, Any], workdir: Path
) -> dict[str, tuple[Callable[[random.Random], bytes], Callable]]:
    from directory.importers import (
        bmlt,
        compiled,
        crisis_lines,
        findtreatment,
        hsds,
        meeting_guide,
        project_csv,
        samhsa,
    )

    def on_file(parse: Callable, name: str) -> Callable:
        def run(data: bytes):
            path = workdir / name
            path.write_bytes(data)
            return parse(path)

        return run

    targets: dict[str, tuple[Callable, Callable]] = {
        "meeting-guide": (
            lambda r: json_case(seeds["meeting-guide"], r),
            lambda d: meeting_guide.parse(d, file="f.json"),
        ),
        "bmlt": (lambda r: json_case(seeds["bmlt"], r), lambda d: bmlt.parse(d, file="f.json")),
        "findtreatment": (
            lambda r: json_case(seeds["findtreatment"], r),
            lambda d: findtreatment.parse(d, file="f.json"),
        ),
        "hsds-json": (lambda r: json_case(seeds["hsds-json"], r), lambda d: hsds.parse(d, file="f.json")),
        "hsds-zip": (lambda r: zip_case(seeds["hsds-zip"], r), lambda d: hsds.parse(d, file="f.zip")),
        "project-csv": (
            lambda r: csv_case(seeds["project-csv"], r),
            lambda d: project_csv.parse(d, file="f.csv"),
        ),
        "refresh-mg": (lambda r: json_case(seeds["meeting-guide"], r), "refresh:meeting-guide"),
        "refresh-hsds": (lambda r: json_case(seeds["hsds-json"], r), "refresh:hsds"),
        "refresh-ft": (lambda r: json_case(seeds["findtreatment"], r), "refresh:findtreatment"),
    }
    for name, parse, file in (
        ("compiled", compiled.parse, "statewide_and_online.csv"),
        ("crisis", crisis_lines.parse, "il_crisis_help_lines.csv"),
        ("samhsa", samhsa.parse, "il_samhsa_opioid_treatment_programs.csv"),
    ):
        if name in seeds:
            targets[name] = (lambda r, s=seeds[name]: csv_case(s, r), on_file(parse, file))
    return targets


def _fingerprint(catalog) -> str:
    rows = catalog.conn.execute("SELECT * FROM resources ORDER BY id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _refresh(fmt: str, data: bytes, catalog) -> None:
    from directory import feeds, refresh

    source = refresh.Source(name="fuzz", format=fmt, url="http://127.0.0.1/fuzz")
    fetched = refresh.Fetched(source=source, url=source.url, fetched_at="2026-01-01T00:00:00+00:00")
    try:
        decoded = feeds.decode_json(data, "fuzz")
        fetched.data = [decoded] if fmt == "findtreatment" and isinstance(decoded, dict) else decoded
    except feeds.FeedError as exc:
        fetched.error = exc
    refresh.apply_fetched(catalog, fetched, dry_run=True, today="2026-01-05")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    seconds: float,
    *,
    seed: int = 12,
    case_limit: float = 10.0,
    memory_mb: float = 2048,
    targets: list[str] | None = None,
    log: Callable[[str], None] | None = None,
) -> Tally:
    """Fuzz for about `seconds`, round-robin over the targets; every case within `case_limit` seconds."""
    import warnings

    from directory.catalog import Catalog

    warnings.simplefilter("ignore")  # duplicate zip member names and the like are on purpose
    tally = Tally()
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        seeds = _seeds()
        all_targets = _targets(seeds, workdir)
        names = [n for n in all_targets if targets is None or n in targets]
        store = Catalog(workdir / "store.db")
        from tests.app_catalog import test_records

        store.import_records(test_records(), source="fuzz-seed", save_report=False)
        before = _fingerprint(store)

        def alarm(signum, frame):  # noqa: ANN001 - signal handler signature
            raise Hang

        previous = signal.signal(signal.SIGALRM, alarm)
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                for name in names:
                    make, parse = all_targets[name]
                    case_rng = random.Random(rng.getrandbits(64))
                    data = make(case_rng)
                    tally.cases += 1
                    tally.by_target[name] = tally.by_target.get(name, 0) + 1
                    start = time.perf_counter()
                    signal.setitimer(signal.ITIMER_REAL, case_limit)
                    try:
                        if isinstance(parse, str):
                            _refresh(parse.split(":", 1)[1], data, store)
                        else:
                            result = parse(data)
                            if result.errors:
                                store.import_records(result.records, source="fuzz", rejected=result.errors)
                    except Hang:
                        tally.findings.append(
                            Finding(name, "hang", f"over {case_limit:g} s", data[:SAMPLE_BYTES])
                        )
                    except MemoryError:
                        tally.findings.append(Finding(name, "memory", "MemoryError", data[:SAMPLE_BYTES]))
                    except Exception as exc:  # noqa: BLE001 - every uncaught exception is a finding
                        where = traceback.extract_tb(exc.__traceback__)[-1]
                        detail = f"{type(exc).__name__}: {str(exc)[:160]} at {Path(where.filename).name}:{where.lineno}"
                        tally.findings.append(Finding(name, "uncaught", detail, data[:SAMPLE_BYTES]))
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                    took = time.perf_counter() - start
                    if took > tally.slowest[0]:
                        tally.slowest = (took, name)
                    rss = _rss_mb()
                    tally.peak_rss_mb = max(tally.peak_rss_mb, rss)
                    if rss > memory_mb and not any(f.kind == "memory" for f in tally.findings):
                        tally.findings.append(
                            Finding(name, "memory", f"peak RSS {rss:.0f} MB", data[:SAMPLE_BYTES])
                        )
                    if time.monotonic() >= deadline:
                        break
                if _fingerprint(store) != before:
                    tally.findings.append(
                        Finding("store", "store_changed", "a refused import changed the store")
                    )
                    before = _fingerprint(store)
                if log:
                    log(tally.summary())
        finally:
            signal.signal(signal.SIGALRM, previous)
            store.close()
    return tally


def fuzz_url(examples: int, seed: int = 12) -> list[str]:
    """Hypothesis over the Find page's URL parameters: Query.from_params and the page number never raise."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from directory.query import PARAM_KEYS, Query

    try:
        from directory.query import page_number
    except ImportError:  # an older tree: the page's own parsing, as it was

        def page_number(value):  # noqa: ANN001
            return int(value) if str(value).isdigit() else 1

    problems: list[str] = []
    text = st.text(st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
        ["²", "③", "①", "1" * 4301, "9" * 45_000, "nan", "inf", "-0", "1e999"]
    )

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.dictionaries(
            st.sampled_from([*PARAM_KEYS, "page", "view", "x"]) | st.text(max_size=10), text, max_size=6
        )
    )
    def check(params: dict[str, str]) -> None:
        try:
            Query.from_params(params)
            page_number(params.get("page", ""))
        except Exception as exc:  # noqa: BLE001 - a finding
            problems.append(f"{type(exc).__name__}: {str(exc)[:100]} for {list(params)[:3]}")

    check()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fuzz the importers, refresh's reading and the URL")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--case-limit", type=float, default=20.0, help="seconds one case may take (a hang)")
    parser.add_argument("--memory-mb", type=float, default=2048, help="memory ceiling of the process")
    parser.add_argument("--url-examples", type=int, default=2000)
    parser.add_argument("--out", help="folder for the inputs that found something")
    args = parser.parse_args(argv)
    # A hard ceiling, so a blow-up ends in MemoryError instead of taking the machine's memory.
    limit = int(args.memory_mb * 2 * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    tally = run(
        args.seconds,
        seed=args.seed,
        case_limit=args.case_limit,
        memory_mb=args.memory_mb,
        log=lambda line: print(line, flush=True),
    )
    url_problems = fuzz_url(args.url_examples, args.seed)
    print("\n== result:", tally.summary())
    print("cases per target:", json.dumps(tally.by_target))
    print(f"URL parameters: {args.url_examples} examples, {len(url_problems)} uncaught")
    seen: set[tuple[str, str]] = set()
    for finding in tally.findings:
        key = (finding.target, finding.detail[:80])
        if key not in seen:
            seen.add(key)
            print(f"  {finding.kind:<13} {finding.target:<14} {finding.detail}")
    for problem in sorted(set(url_problems))[:20]:
        print(f"  uncaught      url            {problem}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for n, finding in enumerate(tally.findings[:200]):
            (out / f"{n:03d}-{finding.target}-{finding.kind}.bin").write_bytes(finding.sample)
    return 1 if tally.findings or url_problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
