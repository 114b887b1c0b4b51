"""`build`: the embedded catalog in data/, made from the public source files with the project's importers."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from directory import phones as phone_lib
from directory.catalog import Catalog, CatalogError
from directory.commands import duplicates_cmd
from directory.importers import (
    chicago_2011,
    cms_otp,
    compiled,
    crisis_lines,
    hrsa_health_centers,
    medicine_disposal,
    naloxone_cook,
    naloxone_pages,
    page_leads,
    project_csv,
    samhsa,
    samhsa_border,
)
from directory.schema import Resource

# The day the compiled rows and crisis lines were ingested: their as_of when a row gives no date of its own.
INGESTED = "2026-11-27"
_LINE_KINDS = ("crisis_line", "government_program", "national_resource")


def add_parser(sub) -> None:
    p = sub.add_parser("build", help="build data/catalog.csv and data/catalog.db from the source files")
    p.add_argument(
        "--shared", default="../shared/data", help="folder of the source data (default ../shared/data)"
    )
    p.add_argument("--out", default="data", help="output folder (default data)")
    p.add_argument("--ingested", default=INGESTED, help="as-of date for rows that give none (YYYY-MM-DD)")
    p.set_defaults(run=run)


def _line_keys(record: Resource) -> set[tuple[str, str, str]]:
    """The dialable lines of a record: (number, menu key of a short code, voice/sms). A full number's
    menu key is left out ("option 2, then option 5" is one line however it is written)."""
    texts, _ = crisis_lines.phone_lines("; ".join(record.phones), "")
    # A number written twice, "1-833-2FINDHELP (833-234-6343)": each spelling is tried on its own.
    texts += [p for t in texts for p in re.split(r"[()]", t) if p.strip()]
    keys = set()
    for text in texts:
        phone = phone_lib.try_parse(text.strip())
        if phone:
            keys.add((phone.number, phone.press if phone.is_short_code else "", phone.kind))
    return keys


def _dialable(phones: tuple[str, ...]) -> list[str]:
    """Display forms of every line in `phones` that can be dialled or texted (each spelling tried)."""
    texts, _ = crisis_lines.phone_lines("; ".join(phones), "")
    out: list[str] = []
    for text in texts:
        for candidate in [text, *[p for p in re.split(r"[()]", text) if p.strip()]]:
            phone = phone_lib.try_parse(candidate.strip())
            if phone:
                if phone.display() not in out:
                    out.append(phone.display())
                break
    return out


def _sourcing(record: Resource) -> tuple:
    """How well a record is sourced: confirmed, dated by its source, number of pages cited."""
    cited = (
        1 + len(re.findall(r"https?://", record.notes.split("Other sources:", 1)[-1]))
        if "Other sources:" in record.notes
        else 1
    )
    return (record.verification == "confirmed", record.date_basis == "source", cited)


def one_record_per_line(
    lines: list[Resource], others: list[Resource]
) -> tuple[list[Resource], list[Resource], list[str]]:
    """The crisis-lines file and the compiled statewide rows list some lines twice: keep the
    best-sourced record of each line (its own fields, plus the other's extra numbers) and report the other."""
    report: list[str] = []
    kept_lines = list(lines)
    kept_others = []
    for other in others:
        keys = _line_keys(other) if other.category in _LINE_KINDS else set()
        voice = {k for k in keys if k[2] == "voice"}
        match = next((i for i, r in enumerate(kept_lines) if voice and voice & _line_keys(r)), None)
        if match is None:
            kept_others.append(other)
            continue
        line = kept_lines[match]
        best, rest = (other, line) if _sourcing(other) > _sourcing(line) else (line, other)
        kept: list[str] = []
        for p in _dialable(best.phones) + _dialable(rest.phones):
            if not _line_keys(best.replace(phones=(p,))) & _line_keys(best.replace(phones=tuple(kept))):
                kept.append(p)
        merged = best.replace(
            phones=tuple(kept),
            category="crisis_line" if "crisis_line" in (best.category, rest.category) else best.category,
            subcategory=best.subcategory or rest.subcategory,
            notes=(best.notes + f" Also listed by {rest.source}: {rest.source_url}").strip(),
        )
        kept_lines[match] = merged
        report.append(
            f"{rest.id} ({rest.name}) merged into {best.id}: the same line"
            f" ({', '.join(merged.phones)}); {best.id} is the better-sourced (confirmed, dated, pages cited)"
        )
    return kept_lines, kept_others, report


def build(shared: Path, out: Path, ingested: str = INGESTED) -> dict:
    """Import every source, write catalog.csv and catalog.db atomically, and return the build report."""
    il = samhsa.parse(shared / "treatment")
    border = samhsa_border.parse(shared / "treatment" / "national")
    cms = cms_otp.parse(shared / "treatment" / "cms_otp_2022")
    il.records, cms_added, cms_report = cms_otp.reconcile(il.records, cms)
    cms.records = cms_added
    lines = crisis_lines.parse(shared / "crisis_lines", ingested=ingested)
    rows = compiled.parse(shared / "resources", ingested=ingested)
    lines.records, rows.records, line_merges = one_record_per_line(lines.records, rows.records)
    parts = [
        ("SAMHSA treatment facilities", il),
        ("SAMHSA facilities within 25 miles of Illinois (MO, KY, IN, IA, WI)", border),
        ("CMS Medicare-enrolled opioid treatment programs (June 2022)", cms),
        ("Crisis and help lines", lines),
        ("Compiled resources", rows),
        ("Cook County naloxone", naloxone_cook.parse(shared / "harm_reduction", ingested=ingested)),
        (
            "Naloxone elsewhere in Illinois",
            naloxone_pages.parse(shared / "harm_reduction", ingested=ingested),
        ),
        ("Chicago medicine take-back 2014", medicine_disposal.parse(shared / "harm_reduction")),
        ("HRSA health center sites", hrsa_health_centers.parse(shared / "health_centers")),
        ("Chicago licensed recovery homes 2011", chicago_2011.parse(shared / "resources" / "chicago_2011")),
        (
            "Leads from public pages",
            page_leads.parse(shared / "resources" / "leads_from_pages", ingested=ingested),
        ),
    ]
    records, report = [], {"sources": []}
    for label, result in parts:
        records.extend(result.records)
        entry = {
            "source": label,
            "rows_read": result.rows_read,
            "records": len(result.records),
            "rejected": [str(p) for p in result.errors],
            "warnings": [str(p) for p in result.warnings],
        }
        for key in ("left_out", "replaced_ids", "merges", "near_misses"):
            if getattr(result, key, None):
                entry[key] = getattr(result, key)
        report["sources"].append(entry)
    report["sources"][2]["matched_samhsa"] = cms_report["matched"]
    report["sources"][2]["ambiguous"] = cms_report["ambiguous"]
    report["sources"][2]["added"] = cms_report["added"]
    report["sources"][3]["merged_lines"] = line_merges
    figure = duplicates_cmd.measure(records)
    report["duplicates"] = {
        k: figure[k] for k in ("category", "listings", "facilities", "surplus", "percent")
    }
    report["duplicates"]["groups"] = figure["groups"]
    out.mkdir(parents=True, exist_ok=True)
    tmp_db = out / "catalog.db.building"
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp_db) + suffix).unlink(missing_ok=True)
    with Catalog(tmp_db) as catalog:
        result = catalog.import_records(records, source="build", save_report=False)
        if not result.applied:
            raise CatalogError("; ".join(str(p) for p in result.rejected[:10]))
        catalog.set_meta("built_on", ingested)
        report["stats"] = catalog.stats()
        catalog.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        catalog.conn.execute("VACUUM")
    project_csv.write(records, out / "catalog.csv")
    tmp_db.replace(out / "catalog.db")
    for suffix in ("-wal", "-shm"):
        Path(str(out / "catalog.db") + suffix).unlink(missing_ok=True)
    (out / "build_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return report


def run(args) -> int:
    shared, out = Path(args.shared), Path(args.out)
    if not shared.is_dir():
        print(f"error: the source folder {shared} does not exist; pass --shared PATH", file=sys.stderr)
        return 2
    report = build(shared, out, args.ingested)
    for part in report["sources"]:
        print(
            f"{part['source']}: {part['rows_read']} rows read, {part['records']} records, "
            f"{len(part['rejected'])} problems"
        )
    d = report["duplicates"]
    print(f"Surplus duplicate {d['category']} listings: {d['surplus']} of {d['listings']} ({d['percent']}%)")
    print(f"{report['stats']['total']} records written to {out / 'catalog.csv'} and {out / 'catalog.db'}")
    return 0
