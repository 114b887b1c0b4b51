"""Rendering speed: a 30-resource care plan to PDF (target 500 ms) and a 200-item referral list to PDF (2 s).

Each run starts with empty QR-code caches ("cold"), as the first printout of a new list does; the cached
figure ("warm", the same list printed again) is printed for the PDFs too. Records are synthetic, generated here ("Bench resource N", example.org addresses); they never leave this script.
Run: .venv/bin/python bench/render_bench.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory.plans import Appointment, SupportPerson, new_plan  # noqa: E402
from directory.render import qr  # noqa: E402
from directory.render.exports import export_referral_list  # noqa: E402
from directory.render.plan import render_plan_html, render_plan_ics, render_plan_pdf  # noqa: E402
from directory.schema import Resource, Slot  # noqa: E402

CATEGORIES = ("support_group", "support_group", "recovery_housing", "treatment")
CODES = (("O", "BE"), ("C", "W"), ("O", "X", "S"), ("LGBTQ",))


def synthetic(n: int) -> list[Resource]:
    records = []
    for i in range(n):
        category = CATEGORIES[i % len(CATEGORIES)]
        meeting = category == "support_group"
        records.append(
            Resource(
                id=f"bench-{i}",
                name=f"Bench resource {i} – synthetic record with a longer name ✓",
                category=category,
                source="bench-synthetic",
                source_url=f"https://example.org/bench/{i}",
                as_of="2026-05-01",
                address=f"{100 + i} Example Street",
                city="Benchville",
                state="IL",
                zip="60000",
                format="hybrid" if i % 5 == 0 else "in_person",
                conference_url=f"https://example.org/join/{i}" if i % 5 == 0 else "",
                phones=(f"555-01{i % 100:02d}",),
                website=f"https://example.org/site/{i}",
                schedule=(Slot(i % 7, "19:00", "20:00"), Slot((i + 3) % 7, "12:00", "13:00"))
                if meeting
                else (),
                meeting_types=CODES[i % len(CODES)] if meeting else (),
                fellowship="AA" if meeting else "",
            )
        )
    return records


def forget_qr_codes() -> None:
    qr.dark_runs.cache_clear()
    qr._code.cache_clear()


def timed(label: str, target_ms: float, fn, runs: int = 5, *, warm: bool = False) -> None:
    fn()  # warm-up: imports, font parsing caches
    times = []
    for _ in range(runs):
        if not warm:
            forget_qr_codes()
        start = time.perf_counter()
        size = len(fn())
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    verdict = "ok" if median <= target_ms else "SLOWER THAN TARGET"
    print(
        f"{label:<44} median {median:7.1f} ms  (min {min(times):.1f}, max {max(times):.1f}; "
        f"{size:,} bytes; target {target_ms:.0f} ms: {verdict}; {median / target_ms:.2f} of target)"
    )


def main() -> None:
    plan_records = synthetic(30)
    plan = new_plan(plan_records)
    plan.header.patient_initials, plan.header.transition_date = "B.R.", "2026-06-01"
    plan.appointments.items = [Appointment(f"Bench clinic {i}", f"2026-06-0{i + 2} 10:00") for i in range(3)]
    plan.support_network.people = [SupportPerson(f"Person {i}", "friend", "555-0100") for i in range(4)]
    plan.safety_plan.include = True
    list_records = synthetic(200)
    timed("care plan, 30 resources -> PDF", 500, lambda: render_plan_pdf(plan, plan_records))
    timed("care plan, 30 resources -> HTML", 500, lambda: render_plan_html(plan, plan_records).encode())
    timed("care plan, 30 resources -> ICS (30 days)", 500, lambda: render_plan_ics(plan, plan_records))
    timed(
        "care plan, 30 resources -> PDF (warm)", 500, lambda: render_plan_pdf(plan, plan_records), warm=True
    )
    timed("referral list, 200 items -> PDF", 2000, lambda: export_referral_list(list_records, "pdf"))
    timed(
        "referral list, 200 items -> PDF (warm)",
        2000,
        lambda: export_referral_list(list_records, "pdf"),
        warm=True,
    )
    timed("referral list, 200 items -> HTML", 2000, lambda: export_referral_list(list_records, "html"))
    timed("referral list, 200 items -> XLSX", 2000, lambda: export_referral_list(list_records, "xlsx"))
    timed("referral list, 200 items -> CSV", 2000, lambda: export_referral_list(list_records, "csv"))


if __name__ == "__main__":
    main()
