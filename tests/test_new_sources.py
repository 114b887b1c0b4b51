"""The new real sources, each through its own importer on the real files: counts, provenance, and what
must not be claimed (no Temporary COVID sites, no MOUD or behavioural health on health centres)."""

import collections

import pytest

from directory.importers import (
    chicago_2011,
    cited_rows,
    hrsa_health_centers,
    medicine_disposal,
    naloxone_cook,
    naloxone_pages,
    page_leads,
)


@pytest.fixture(scope="module")
def parsed(shared_data):
    return {
        "cook": naloxone_cook.parse(shared_data / "harm_reduction", ingested="2026-11-27"),
        "pages": naloxone_pages.parse(shared_data / "harm_reduction", ingested="2026-11-27"),
        "disposal": medicine_disposal.parse(shared_data / "harm_reduction"),
        "hrsa": hrsa_health_centers.parse(shared_data / "health_centers"),
        "chicago2011": chicago_2011.parse(shared_data / "resources" / "chicago_2011"),
        "leads": page_leads.parse(shared_data / "resources" / "leads_from_pages", ingested="2026-11-27"),
    }


@pytest.mark.parametrize(
    ("name", "records", "category"),
    [
        ("cook", 152, "harm_reduction"),  # the 148 geocoded + the 4 the compiler could not geocode
        ("pages", 55, "harm_reduction"),
        ("disposal", 24, "harm_reduction"),
        ("hrsa", 439, "health_center"),  # 455 sites less the 16 "Temporary" ones
        ("chicago2011", 34, "recovery_housing"),  # the licensed recovery homes of the 204 providers
    ],
)
def test_counts_and_kind(parsed, name, records, category):
    """Each importer reads every row of its file and keeps the expected records, all of one kind."""
    result = parsed[name]
    assert not result.errors
    assert len(result.records) == records
    assert {r.category for r in result.records} == {category}
    assert len({r.id for r in result.records}) == records


def test_every_record_has_provenance(parsed):
    """Every new record names its source, an http(s) source address and a date."""
    for result in parsed.values():
        for r in result.records:
            assert r.source and r.source_url.startswith(("https://", "http://")) and len(r.as_of) == 10


def test_no_temporary_covid_sites_and_no_claimed_services(parsed):
    """Health centres: no "Temporary" site, no MOUD, no services the file does not state; each left-out
    site has its line in the report."""
    records = parsed["hrsa"].records
    assert not [r for r in records if r.name.lower().startswith("temporary")]
    assert all(r.moud_services == () and r.services == () for r in records)
    assert sum("temporary COVID-19 testing site" in str(w) for w in parsed["hrsa"].warnings) == 16


def test_cook_naloxone_kinds_and_dates(parsed):
    """Cook County points keep their kind; rows whose source names no date are undated, not build-dated."""
    records = parsed["cook"].records
    kinds = collections.Counter(r.subcategory for r in records)
    assert kinds["naloxone_library"] == 90 and kinds["naloxone_vending_machine"] == 23
    undated = [r for r in records if r.date_basis == "added"]
    assert undated and all("Cook County map" in r.notes for r in undated)
    stroger = next(r for r in records if r.name == "Stroger Hospital Lobby")
    assert stroger.as_of == "2025-01-01" and stroger.date_basis == "source" and stroger.payment == ("free",)


def test_page_rows_without_a_street_are_unconfirmed(parsed):
    """A naloxone point whose page gives no street address is kept, but as unconfirmed."""
    records = parsed["pages"].records
    no_street = [r for r in records if not r.address]
    assert len(no_street) == 17 and all(r.verification == "unconfirmed" for r in no_street)
    assert any(r.subcategory == "syringe_service_program" for r in records)


def test_2011_homes_and_page_leads_are_unconfirmed_and_say_their_year(parsed):
    """The 2011 recovery homes and the page leads are unconfirmed leads dated by their sources."""
    homes = parsed["chicago2011"].records
    assert all(r.verification == "unconfirmed" and r.as_of.startswith("2011") for r in homes)
    leads = parsed["leads"].records
    assert len(leads) == 17 and all(r.verification == "unconfirmed" for r in leads)
    palatine = next(r for r in leads if "Palatine" in r.name)
    assert palatine.as_of == "1995-10-22"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-11", "2024-03-11"),
        ("2022-10-12 (still in use per WIFR 2023-02-22)", "2023-02-22"),
        ("2023 (May-June 2023 launch)", "2023-01-01"),
        ("n.d.", ""),
        ("undated (after Oct 2023)", "2023-01-01"),
    ],
)
def test_source_date(text, expected):
    """The date a row's text gives: its latest full date, else its year; none for "n.d."."""
    assert cited_rows.source_date(text) == expected


def test_a_bad_row_is_named_and_nothing_is_invented(tmp_path):
    """A row of an unknown kind is rejected with its row and column; a bad phone is dropped with a warning."""
    path = tmp_path / "hrsa_health_center_sites_il_2020.csv"
    path.write_text(
        "name,st_abbr,city,address,phone,testing_status,lon,lat\n"
        "Generated test site,IL,Quincy,1 Test St,999-999-9999,No,-91.4,39.9\n"
        "Generated test site 2,MO,Hannibal,2 Test St,,No,-91.4,39.7\n",
        encoding="utf-8",
    )
    result = hrsa_health_centers.parse(path)
    assert [r.phones for r in result.records] == [()]
    assert "row 2, column phone" in str(result.warnings[0])
    assert "row 3, column st_abbr" in str(result.errors[0])


def test_uploaded_bytes_are_read_like_the_file(shared_data):
    """The Catalog page hands an importer the upload's bytes and name: the same records come out."""
    path = shared_data / "harm_reduction" / "chicago_medication_disposal_2014.csv"
    from_bytes = medicine_disposal.parse(path.read_bytes(), file="upload.csv")
    assert [r.id for r in from_bytes.records] == [r.id for r in medicine_disposal.parse(path).records]
    broken = naloxone_cook.parse(b"name,address\nGenerated test,1 Test St\n", file="upload.csv")
    assert not broken.records and "upload.csv, row 1" in str(broken.errors[0])
