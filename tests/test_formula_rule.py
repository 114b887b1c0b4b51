"""One formula rule for every CSV and spreadsheet we write, tried with the OWASP CSV-injection payloads."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from directory.catalog import Catalog, csv_to_sqlite, sqlite_to_csv
from directory.importers import project_csv
from directory.render.exports import export_referral_list
from directory.render.hsds_export import export_hsds_zip
from directory.render.spreadsheet import neutralise, restore
from directory.schema import Resource

# OWASP "CSV Injection" (owasp.org/www-community/attacks/CSV_Injection) payloads and their variants:
# formula starts, sign-digit forms, DDE, leading whitespace, tab and carriage return.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "+9+cmd|' /C calc'!A0",
    "=2+5+cmd|' /C calc'!A0",
    '=HYPERLINK("https://example.org/generated-test","click")',
    '=DDE("cmd";"/C calc";"!A0")A0',
    '=1+2";=1+2',
    "  =1+1",
    "\t=1+1",
    "\r=1+1",
    "-1+1",
    "+1-1",
]
# Text that must come back exactly and, where it cannot run, be left alone.
SAFE = ["-87.62", "+18332346343", "'Tis the season", "'=already quoted", "''", "a = b", ""]


@pytest.mark.parametrize("value", PAYLOADS)
def test_every_payload_is_neutralised(value):
    """The cell starts with an apostrophe, so a spreadsheet shows it as text; restore gives it back."""
    assert neutralise(value).startswith("'") and restore(neutralise(value)) == value


@pytest.mark.parametrize("value", SAFE)
def test_plain_values_come_back_exactly(value):
    """Plain numbers and ordinary text round-trip; only an apostrophe restore would eat is doubled."""
    assert restore(neutralise(value)) == value
    if not value.startswith("'"):
        assert neutralise(value) == value


def _hostile(n: int, text: str) -> Resource:
    return Resource(
        id=f"gen-formula-{n}",
        name=f"Generated Test {n}",
        description=text,
        city=text.strip() or "Springfield",
        category="treatment",
        source="gen-test",
        source_url="https://example.org/generated-test/formula",
        as_of="2025-01-01",
    )


RECORDS = [_hostile(n, text) for n, text in enumerate(PAYLOADS)]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_no_live_formula(cells: list[str]) -> None:
    for payload in PAYLOADS:
        assert payload not in cells and payload.strip() not in cells, payload


def test_referral_list_csv_and_xlsx():
    """Neither the referral CSV nor the workbook holds a cell that starts a formula."""
    _assert_no_live_formula(_cells(export_referral_list(RECORDS, "csv").decode("utf-8-sig")))
    book = load_workbook(io.BytesIO(export_referral_list(RECORDS, "xlsx")))
    cells = [str(c.value or "") for row in book.active.iter_rows() for c in row]
    _assert_no_live_formula(cells)
    assert all(c.data_type == "s" for row in book.active.iter_rows() for c in row if c.value)


def test_hsds_package():
    """Every CSV of the HSDS package follows the rule (the sign-digit form included)."""
    with zipfile.ZipFile(io.BytesIO(export_hsds_zip(RECORDS))) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                _assert_no_live_formula(_cells(archive.read(name).decode("utf-8")))


def test_project_csv_and_catalog_csv_round_trip_the_original_text(tmp_path):
    """project_csv.write and catalog.sqlite_to_csv neutralise; reading back gives the original text.

    (Payloads with leading whitespace are left out here: catalog text never holds it, since every
    importer trims cells, the project CSV's reader included.)
    """
    records = [r for r in RECORDS if r.description == r.description.strip()]
    text = project_csv.write(records)
    _assert_no_live_formula(_cells(text))
    back = project_csv.parse(text.encode("utf-8"), file="x.csv")
    assert back.errors == []
    assert sorted(back.records, key=lambda r: r.id) == sorted(records, key=lambda r: r.id)
    (tmp_path / "in.csv").write_text(text, encoding="utf-8", newline="")
    assert csv_to_sqlite(tmp_path / "in.csv", tmp_path / "c.db").applied
    again = sqlite_to_csv(tmp_path / "c.db")
    assert again == text  # CSV → SQLite → CSV stays byte-identical
    with Catalog(tmp_path / "c.db", readonly=True) as catalog:
        assert {r.description for r in catalog.records()} == {r.description for r in records}


def test_a_formula_typed_into_the_project_csv_is_still_refused():
    """Our apostrophe is undone on reading; a bare '=' someone typed is still an error naming the cell."""
    text = project_csv.write(RECORDS[:1]).replace("'=cmd", "=cmd")
    result = project_csv.parse(text.encode("utf-8"), file="typed.csv")
    assert result.records == [] and any("formula" in p.message for p in result.errors)
