"""The PDFs we write, checked as files: qpdf finds no error, language and title are set, fonts are
embedded, websites and phone numbers are links, and the file names its accessible alternative."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from directory.plans import CarePlan
from directory.render.exports import export_referral_list
from directory.render.plan import render_plan_pdf
from directory.schema import Resource

needs_tools = pytest.mark.skipif(
    not (shutil.which("qpdf") and shutil.which("pdffonts")),
    reason="qpdf and poppler-utils are needed (.ci/ensure-system-deps installs them)",
)

RECORDS = [
    Resource(
        id="gen-pdf-1",
        name="Generated Test Clinic",
        category="treatment",
        source="gen-test",
        source_url="https://example.org/generated-test/clinic",
        as_of="2025-06-30",
        phones=("(217) 555-0100 ext. 12", "text HOME to 741741", "call the front desk"),
        website="https://example.org/generated-test/clinic-site",
    ),
    Resource(
        id="gen-pdf-2",
        name="Generated Test Hotline – Año ✓",
        category="crisis_line",
        source="gen-test",
        source_url="https://example.org/generated-test/hotline",
        as_of="2025-06-30",
        phones=("1-800-662-HELP",),
        website="javascript:alert(1)",
    ),
]


@pytest.fixture(params=["referral list", "care plan"])
def pdf(request, tmp_path):
    if request.param == "referral list":
        data = export_referral_list(RECORDS, "pdf")
    else:
        data = render_plan_pdf(CarePlan(), RECORDS)
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return path


@needs_tools
def test_qpdf_finds_no_error(pdf):
    """`qpdf --check` exits 0 and reports no syntax or stream error."""
    run = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors found" in run.stdout


@needs_tools
def test_every_font_is_embedded(pdf):
    """pdffonts lists only embedded fonts (no viewer substitutes its own)."""
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert lines and all(line.split()[-5] == "yes" for line in lines), lines


def test_language_and_title_are_set(pdf):
    """The catalog has /Lang and the viewer shows the document title, not the file name."""
    data = pdf.read_bytes()
    assert re.search(rb"/Lang \(en-US\)", data)
    assert re.search(rb"/DisplayDocTitle true", data)
    assert re.search(rb"/Title \(", data)


def test_websites_and_phones_are_links_and_hostile_ones_are_not(tmp_path):
    """Phones become tel:/sms: links (vanity numbers too), websites https: links; javascript: never."""
    data = export_referral_list(RECORDS, "pdf")
    links = set(re.findall(rb"/URI \(([^)]*)\)", data))
    assert b"tel:+12175550100;ext=12" in links
    assert b"sms:741741?&body=HOME" in links
    assert b"tel:+18006624357" in links
    assert b"https://example.org/generated-test/clinic-site" in links
    assert not any(link.startswith(b"javascript") for link in links)


@needs_tools
def test_the_pdf_names_its_accessible_alternative(pdf):
    """The last line points to the print view (HTML), which is the accessible version."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "accessible version of this document is its print view (HTML)" in " ".join(text.split())
