"""The CMS OTP, crisis-line, compiled and SAMHSA importers read an uploaded file's bytes as they read its
path (the Catalog page passes bytes; these importers used to open paths only and raised a TypeError)."""

from __future__ import annotations

import pytest

from directory import catalog_admin as admin
from directory.catalog import Catalog
from directory.importers import cms_otp, compiled, crisis_lines, importer, samhsa
from tests.app_catalog import build_test_catalog

INGESTED = "2026-01-05"
# (importer, file under the shared data folder, keyword arguments)
FILES = [
    (cms_otp, "treatment/cms_otp_2022/cms_otp_providers_il_2022-06.csv", {}),
    (crisis_lines, "crisis_lines/il_crisis_help_lines.csv", {"ingested": INGESTED}),
    (compiled, "resources/statewide_and_online.csv", {"ingested": INGESTED}),
    (samhsa, "treatment/il_samhsa_opioid_treatment_programs.csv", {}),
]


@pytest.mark.parametrize(("module", "relative", "kwargs"), FILES, ids=lambda v: getattr(v, "__name__", ""))
def test_bytes_and_path_give_the_same_records(shared_data, module, relative, kwargs):
    """The shipped file read from its path and from its bytes (named as uploaded) gives the same result."""
    path = shared_data / relative
    from_path = module.parse(path, **kwargs)
    from_bytes = module.parse(path.read_bytes(), file=path.name, **kwargs)
    assert from_path.records and from_bytes.records == from_path.records
    assert from_bytes.errors == from_path.errors and from_bytes.warnings == from_path.warnings
    assert from_bytes.rows_read == from_path.rows_read


BAD_HEADERS = [
    (cms_otp, b"NPI,PROVIDER NAME,CITY\n1,X,Y\n", "ADDRESS LINE 1", "CMS OTP"),
    (crisis_lines, b"id,name,phone\nx,y,988\n", "audience", "crisis-lines"),
    (compiled, b"id,name\nx,y\n", "category", "compiled-resources"),
]


@pytest.mark.parametrize(
    ("module", "data", "column", "layout"), BAD_HEADERS, ids=["cms", "crisis", "compiled"]
)
def test_a_file_of_another_layout_names_the_file_the_missing_columns_and_the_layout(
    module, data, column, layout
):
    result = module.parse(data, file="upload.csv")
    assert not result.records
    (problem,) = result.errors
    assert problem.file == "upload.csv" and problem.row == 1 and column in problem.field
    assert f"missing columns of the {layout} layout" in problem.message


def test_a_bad_crisis_row_is_named_by_file_row_and_field(shared_data):
    """A crisis line without a source web address is left out with its row and field; the others stay."""
    path = shared_data / "crisis_lines" / "il_crisis_help_lines.csv"
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert "source_urls" in header
    good = crisis_lines.parse(path, ingested=INGESTED)
    # Row 3 (the 988 line) with every web address removed from it: it has no provenance.
    lines[2] = lines[2].replace("https://", "").replace("http://", "")
    result = crisis_lines.parse(("\n".join(lines) + "\n").encode(), file="lines.csv", ingested=INGESTED)
    assert any(
        p.file == "lines.csv" and p.row == 3 and p.field == "source_urls" and "provenance" in p.message
        for p in result.errors
    )
    assert len(result.records) == len(good.records) - 1


def test_the_catalog_page_checks_an_uploaded_compiled_file(tmp_path, shared_data):
    """An upload of a compiled file is checked (a preview of what it adds, nothing written): no TypeError."""
    path = shared_data / "resources" / "statewide_and_online.csv"
    assert "compiled" in admin.UPLOAD_FORMATS
    with Catalog(build_test_catalog(tmp_path / "catalog.db")) as catalog:
        check = admin.check_file(catalog, path.read_bytes(), path.name, "compiled")
        assert check.can_apply and len(check.report.added) == len(check.result.records) > 0
        assert catalog.count() == 8  # a check writes nothing


def test_the_catalog_page_checks_an_uploaded_crisis_file_and_names_its_refused_rows(tmp_path, shared_data):
    """The shipped crisis file holds rows the importer leaves out (911 has no source page; one number the
    sources disagree on): an upload is refused as a whole, each reason naming file, row and column."""
    path = shared_data / "crisis_lines" / "il_crisis_help_lines.csv"
    assert "crisis" in admin.UPLOAD_FORMATS
    with Catalog(build_test_catalog(tmp_path / "catalog.db")) as catalog:
        check = admin.check_file(catalog, path.read_bytes(), path.name, "crisis")
        view = admin.view_import(check.report)
        assert view.status == "refused" and not check.can_apply
        assert any(p.startswith("il_crisis_help_lines.csv, row 2, column source_urls") for p in view.rejected)
        assert catalog.count() == 8


def test_cms_otp_is_a_format_of_the_import_command():
    assert importer("cms-otp") is cms_otp
