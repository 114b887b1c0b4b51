"""The importers for the Illinois source files, and the project CSV reader on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from directory.catalog import Catalog, load_csv_into
from directory.importers import compiled, crisis_lines, project_csv, samhsa
from directory.schema import FIELD_NAMES, Resource, Slot

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")


def record(n: int = 1, **changes) -> Resource:
    """A clearly generated test record."""
    return Resource(
        id=f"test-{n}",
        name=f"Test home {n}",
        category="recovery_housing",
        source="test",
        source_url="https://example.org/test",
        as_of="2026-01-15",
        city="Peoria",
        state="IL",
    ).replace(**changes)


def good_csv(n: int = 2) -> str:
    return project_csv.write([record(i) for i in range(1, n + 1)])


# ---- the SAMHSA files ----------------------------------------------------------------------------------


@needs_shared
def test_samhsa_merges_duplicates_and_keeps_every_service():
    """Facilities listed in several files become one record with all their services."""
    result = samhsa.parse(SHARED / "treatment")
    assert result.rows_read == 1571 and not result.errors
    assert 900 <= len(result.records) < 1571
    ids = [r.id for r in result.records]
    assert len(ids) == len(set(ids))
    merged = [r for r in result.records if r.notes.count(";") >= 1]
    assert merged, "no facility was merged across files"
    with_moud = [r for r in result.records if r.moud_services]
    assert any("substance_use" in r.services and r.moud_services for r in with_moud)
    otp = [r for r in result.records if "opioid_treatment_program" in r.services]
    assert len(otp) >= 85 and all("methadone" in r.moud_services for r in otp)
    assert all(r.geocode_precision == "address" and r.has_location for r in result.records)
    assert {r.source for r in result.records} == {"samhsa"}


@pytest.mark.parametrize(
    "a, b",
    [
        ("123 North Main Street, Suite 4", "123 N Main St"),
        ("731 Sabrina Drive", "731 SABRINA DR."),
        ("1 South Avenue Floor 2", "1 S Ave"),
    ],
)
def test_street_normalisation_matches_variants(a, b):
    """Street lines that differ only in abbreviations or suites normalise alike."""
    assert samhsa.normalise_street(a) == samhsa.normalise_street(b)


def test_street_normalisation_keeps_different_numbers_apart():
    """Different house numbers never merge."""
    assert samhsa.normalise_street("123 Main St") != samhsa.normalise_street("125 Main St")


def test_samhsa_merge_on_a_small_generated_folder(tmp_path):
    """Two layouts naming one facility merge; a row without a name is reported."""
    (tmp_path / "il_samhsa_substance_use_treatment_facilities.csv").write_text(
        "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude\n"
        "Test Clinic Inc,,10 Test Street,Suite 2,Peoria,IL,61602,,Peoria,40.69,-89.59\n"
        ",,11 Test Street,,Peoria,IL,61602,,Peoria,40.69,-89.59\n"
    )
    (tmp_path / "il_samhsa_moud_providers_2020.csv").write_text(
        "name1,name2,street1,street2,city,state,zip,zip4,category,county_geoid,county,source,latitude,longitude\n"
        "Test Clinic,,10 Test St,,Peoria,IL,61602,,buprenorphine,17143,Peoria,SAMHSA,40.69,-89.59\n"
    )
    result = samhsa.parse(tmp_path)
    assert len(result.records) == 1
    merged = result.records[0]
    assert merged.moud_services == ("buprenorphine",) and merged.services == ("substance_use",)
    assert merged.as_of == "2021-01-01"  # "SAMHSA directory, as of 2021"
    assert [e.row for e in result.errors] == [3] and "no name" in result.errors[0].message


# ---- compiled rows -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "notes, expected",
    [
        (
            "NOT yet open as of July 2025 source – do not refer until confirmed open.",
            ("inactive", "unconfirmed"),
        ),
        ("third-party listing; confirm before referral", ("active", "unconfirmed")),
        ("2014 report; status unknown – verify.", ("active", "unconfirmed")),
        ("Planned to open Feb 2026; street number not published.", ("active", "unconfirmed")),
        ("Venue row.", ("active", "confirmed")),
        ("", ("active", "confirmed")),
    ],
)
def test_notes_set_status_and_verification(notes, expected):
    """Doubt in the notes means unconfirmed; 'do not refer' means inactive."""
    assert compiled.status_from_notes(notes) == expected


@pytest.mark.parametrize(
    "text, payment, cost",
    [
        ("free (voluntary contributions)", ("free",), "free (voluntary contributions)"),
        ("$125/week (2021)", ("self_pay",), "$125/week (2021)"),
        ("", (), ""),
        ("free", ("free",), ""),
    ],
)
def test_payment_words_map_onto_the_vocabulary(text, payment, cost):
    """Payment text becomes vocabulary values, and the wording is kept as cost."""
    assert compiled.map_payment(text) == (payment, cost)


@needs_shared
def test_compiled_rows_import_with_schedules_and_never_show_doubtful_homes_as_confirmed():
    """Every compiled row imports; meetings get slots; doubtful homes are not active and confirmed."""
    result = compiled.parse(SHARED / "resources", ingested="2026-11-27")
    assert result.rows_read == 110 and len(result.records) == 110, [str(e) for e in result.errors]
    by_id = {r.id: r for r in result.records}
    assert by_id["il-meetings-mt-001"].schedule == (Slot(0, "18:00", "19:00"),)
    assert len(by_id["il-meetings-mt-016"].schedule) == 7  # "Daily 19:00"
    assert by_id["il-housing-rh-021"].status == "inactive"  # "do not refer until confirmed open"
    assert by_id["il-housing-rh-015"].verification == "unconfirmed"  # "status unknown – verify"
    for r in result.records:
        if "do not refer" in r.notes.lower():
            assert r.status == "inactive"
        if "confirm before referral" in r.notes.lower():
            assert r.verification == "unconfirmed"
        assert r.source and r.source_url.startswith("http") and r.as_of
        if r.coverage == "local" and (r.city or r.zip) and r.state == "IL" and r.geocode_precision == "none":
            assert r.status == "inactive" or r.city in ("Crete Township",), r.id


# ---- crisis lines --------------------------------------------------------------------------------------


@needs_shared
def test_crisis_lines_leave_out_the_disputed_number():
    """The CARES line (sources disagree) is left out and Call4Calm is unconfirmed."""
    result = crisis_lines.parse(SHARED / "crisis_lines", ingested="2026-11-27")
    ids = {r.id for r in result.records}
    assert "il-crisis-lines-il-cares-line" not in ids
    assert not any("345-9049" in p or "349-9049" in p for r in result.records for p in r.phones)
    assert "il-crisis-lines-988-lifeline" in ids
    call4calm = next(r for r in result.records if r.id == "il-crisis-lines-il-call4calm")
    assert call4calm.verification == "unconfirmed"
    assert any("disagree" in e.message for e in result.errors)


# ---- the project CSV on bad input ---------------------------------------------------------------------


def test_good_csv_reads_clean():
    """A valid file gives its records and no problems."""
    result = project_csv.parse(good_csv().encode(), file="ok.csv")
    assert len(result.records) == 2 and not result.errors and not result.warnings


def _set_cell(text: str, row: int, column: str, value: str) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


BAD_INPUTS = [
    (
        "missing column",
        lambda: good_csv().replace("source_url,", "", 1).encode(),
        1,
        "source_url",
        "missing column",
    ),
    ("empty file", lambda: b"", None, "", "empty"),
    ("binary file", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 50, None, "", "not a text file"),
    ("50 MB file", lambda: b"x" * (50 * 1024 * 1024), None, "", "50 MB"),
    ("4-digit ZIP", lambda: _set_cell(good_csv(), 1, "zip", "6061").encode(), 2, "zip", "5-digit"),
    (
        "outside Illinois",
        lambda: (
            _set_cell(_set_cell(good_csv(), 2, "latitude", "34.05"), 2, "longitude", "-118.2")
            .replace(",none,local", ",zip,local")
            .encode()
        ),
        3,
        "latitude",
        "outside Illinois",
    ),
    (
        "duplicate id",
        lambda: _set_cell(good_csv(), 2, "id", "test-1").encode(),
        3,
        "id",
        "already used on row 2",
    ),
    (
        "HTML in name",
        lambda: _set_cell(good_csv(), 1, "name", "<script>alert(1)</script>").encode(),
        2,
        "name",
        "HTML",
    ),
    (
        "formula cell",
        lambda: _set_cell(good_csv(), 1, "name", '=HYPERLINK("x")').encode(),
        2,
        "name",
        "formula",
    ),
    ("bad as_of", lambda: _set_cell(good_csv(), 2, "as_of", "last week").encode(), 3, "as_of", "YYYY-MM-DD"),
    ("extra cell", lambda: (good_csv() + "a,b" + ",x" * len(FIELD_NAMES) + "\n").encode(), 4, "", "cells"),
]


@pytest.mark.parametrize("label, make, row, field, words", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_names_file_row_field_and_leaves_store_unchanged(tmp_path, label, make, row, field, words):
    """Each kind of bad file gets a clear message naming file, row and field, and the store is unchanged."""
    path = tmp_path / "upload.csv"
    path.write_bytes(make())
    result = project_csv.parse(path)
    assert result.errors, label
    problem = next((p for p in result.errors if words in p.message), None)
    assert problem is not None, [str(p) for p in result.errors]
    assert problem.file == "upload.csv" and problem.row == row and field in problem.field
    assert "upload.csv" in str(problem)
    with Catalog(tmp_path / "c.db") as catalog:
        catalog.import_records([record(7)], source="seed")
        before = catalog.records()
        report = load_csv_into(catalog, path)
        assert not report.applied
        assert catalog.records() == before


def test_utf8_bom_is_accepted():
    """A UTF-8 BOM (as Excel writes) is read without a stray character in the first column name."""
    data = b"\xef\xbb\xbf" + _set_cell(good_csv(), 1, "name", "Casa de recuperación").encode()
    result = project_csv.parse(data, file="bom.csv")
    assert not result.errors and result.records[0].name == "Casa de recuperación"


def test_latin1_file_is_read_with_a_warning():
    """A Windows-1252 file is read, accented letters intact, with a warning saying so."""
    data = _set_cell(good_csv(), 1, "name", "Casa de recuperación").encode("cp1252")
    result = project_csv.parse(data, file="latin.csv")
    assert not result.errors and result.records[0].name == "Casa de recuperación"
    assert result.warnings and "Windows-1252" in result.warnings[0].message


def test_blank_lines_are_skipped_and_rows_keep_their_numbers():
    """Blank lines do not count as rows, and problems name the spreadsheet row."""
    text = good_csv()
    lines = text.splitlines()
    text = "\n".join([lines[0], "", lines[1], ",,,", lines[2]]) + "\n"
    result = project_csv.parse(text.encode(), file="gaps.csv")
    assert len(result.records) == 2 and not result.errors and result.rows_read == 2


# ---- the command line ----------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "directory", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_validate_exits_1_with_row_report(tmp_path):
    """`validate` lists each problem by row and column and exits 1."""
    path = tmp_path / "bad.csv"
    path.write_text(_set_cell(good_csv(), 2, "zip", "6061"))
    done = run_cli("validate", str(path))
    assert done.returncode == 1
    assert "bad.csv, row 3, column zip" in done.stdout and "Traceback" not in done.stderr
    path.write_text(good_csv())
    assert run_cli("validate", str(path)).returncode == 0


def test_cli_import_is_all_or_nothing(tmp_path):
    """`import csv` refuses a file with a bad row and changes nothing; a good file goes in."""
    db = tmp_path / "c.db"
    bad = tmp_path / "bad.csv"
    bad.write_text(_set_cell(good_csv(), 2, "zip", "6061"))
    done = run_cli("import", "csv", str(bad), "--db", str(db))
    assert done.returncode == 1 and "not applied" in done.stdout
    with Catalog(db) as catalog:
        assert catalog.count() == 0
    good = tmp_path / "good.csv"
    good.write_text(good_csv())
    assert run_cli("import", "csv", str(good), "--db", str(db)).returncode == 0
    with Catalog(db) as catalog:
        assert catalog.count() == 2


def test_cli_stats_on_the_shipped_catalog():
    """The shipped catalog meets the issue's counts, every record with provenance."""
    done = run_cli("stats", "--json")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["category"]["treatment"] >= 900
    for kind in (
        "crisis_line",
        "recovery_housing",
        "support_group",
        "government_program",
        "national_resource",
    ):
        assert stats["category"].get(kind, 0) > 0, kind
    assert stats["active_without_coordinates"] == []
    with Catalog(ROOT / "data" / "catalog.db", readonly=True) as catalog:
        records = catalog.records()
    assert all(r.source and r.source_url and r.as_of for r in records)
    assert sum(1 for r in records if r.category == "treatment" and r.moud_services) > 100
    for r in records:
        if r.status == "active" and r.coverage == "local" and (r.city or r.zip):
            assert r.has_location and r.geocode_precision in ("address", "zip", "city"), r.id


@needs_shared
def test_build_reproduces_the_shipped_catalog(tmp_path):
    """`build` from ../shared/data gives exactly the committed data/catalog.csv."""
    done = run_cli("build", "--shared", str(SHARED), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "catalog.csv").read_bytes() == (ROOT / "data" / "catalog.csv").read_bytes()
    report = json.loads((tmp_path / "build_report.json").read_text())
    assert sum(len(s["rejected"]) for s in report["sources"]) == 2
