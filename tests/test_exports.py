"""Referral-list exports: exact CSV and ICS bytes, formula neutralisation, hostile catalog text in every format."""

import re
import subprocess
from datetime import datetime
from io import BytesIO

import icalendar
import pytest
import zxingcpp
from openpyxl import load_workbook
from PIL import Image

from directory.__main__ import main
from directory.catalog import Catalog
from directory.referrals import ReferralList
from directory.render import legend, qr
from directory.render.exports import EXPORT_FORMATS, export_referral_list, neutralise
from directory.schema import Resource, Slot

GOLDEN = __import__("pathlib").Path(__file__).parent / "golden"
GENERATED = datetime(2026, 6, 1, 9, 0)
FORMULA = "=cmd|' /C calc'!A0"
HOSTILE_NAMES = {
    "html": "<script>alert('x')</script><b>Test</b>",
    "formula": FORMULA,
    "rtl": "\u05e7\u05d1\u05d5\u05e6\u05ea \u05d1\u05d3\u05d9\u05e7\u05d4 \u0645\u062c\u0645\u0648\u0639\u0629",
    "emoji": "Test meeting \U0001f600\U0001f9ea\U0001f3f3\ufe0f\u200d\U0001f308",
    "long": "Test" + "W" * 1996,
    "empty": "",
}


def make_records() -> list[Resource]:
    """Clearly generated test records (example.org addresses), never real places."""
    return [
        Resource(
            id="test-meeting-a",
            name="Test meeting A",
            category="support_group",
            source="test-fixture",
            source_url="https://example.org/listing/a",
            as_of="2026-05-01",
            address="1 Example Street",
            city="Testville",
            state="IL",
            zip="60000",
            format="hybrid",
            conference_url="https://example.org/join/a",
            phones=("555-0100",),
            website="https://example.org/a",
            schedule=(Slot(1, "19:00", "20:00"), Slot(4, "12:00")),
            fellowship="AA",
            meeting_types=("O", "BE"),
        ),
        Resource(
            id="test-meeting-b",
            name="Test meeting B, online",
            category="support_group",
            source="test-fixture",
            source_url="https://example.org/listing/b",
            as_of="2026-05-02",
            format="online",
            conference_url="https://example.org/join/b",
            schedule=(Slot(0, "07:00", "08:00"),),
            meeting_types=("C", "W"),
        ),
        Resource(
            id="test-home-c",
            name="Test recovery home C",
            category="recovery_housing",
            subcategory="sober_living",
            source="test-fixture",
            source_url="https://example.org/listing/c",
            as_of="2026-05-03",
            address="3 Example Avenue",
            city="Testville",
            state="IL",
            zip="60000",
            phones=("555-0101",),
            mat_friendly="yes",
        ),
    ]


def hostile(name: str) -> Resource:
    return Resource(
        id="test-hostile",
        name=name,
        category="treatment",
        source="test-fixture",
        source_url="https://example.org/listing/hostile",
        as_of="2026-05-04",
        city='=HYPERLINK("https://example.org")',
        website="javascript:alert(1)",
        phones=("+1 555 0199",),
        schedule=(Slot(2, "18:00", "19:00"),),
        meeting_types=("<i>X</i>",),
    )


def export(fmt: str, records=None, **kwargs) -> bytes:
    return export_referral_list(records or make_records(), fmt, generated=GENERATED, **kwargs)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def normalise_ics(data: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:19700101T000000Z", data)


def test_csv_matches_golden_bytes():
    """The CSV is byte-for-byte the pinned file: UTF-8 BOM, CRLF line ends, neutralised note."""
    data = export(
        "csv",
        notes={"test-meeting-a": "=1+1 bring ID"},
        distances={"test-meeting-a": 2.345},
        origin_label="60000",
    )
    assert data == (GOLDEN / "referral_list.csv").read_bytes()


def test_csv_has_bom_and_only_crlf_line_ends():
    """Every line ends in CRLF and the file starts with a BOM; no bare LF line end."""
    data = export("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 4
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_ics_matches_golden_after_normalising_stamps():
    """The iCalendar export equals the pinned file once DTSTAMP is normalised."""
    assert normalise_ics(export("ics")) == normalise_ics((GOLDEN / "referral_list.ics").read_bytes())


def test_ics_has_one_weekly_event_per_meeting_slot():
    """Each weekly slot is a recurring event in America/Chicago; the recovery home (no schedule) is not."""
    cal = icalendar.Calendar.from_ical(export("ics"))
    events = cal.walk("VEVENT")
    assert len(events) == 3
    assert all(e.get("RRULE")["FREQ"] == ["WEEKLY"] for e in events)
    assert all(e.decoded("DTSTART").tzinfo.key == "America/Chicago" for e in events)
    assert all("Source: test-fixture" in str(e.get("DESCRIPTION")) for e in events)
    assert not any("recovery home" in str(e.get("SUMMARY")) for e in events)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1555+0100", "'+1555+0100"),
        ("+15550100", "+15550100"),  # a plain number runs nothing; E.164 phones stay readable
        ("-87.62", "-87.62"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        ("Test meeting A", "Test meeting A"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_only_formula_starts(value, expected):
    """Cells that a spreadsheet would read as a formula get a leading apostrophe; others are unchanged."""
    assert neutralise(value) == expected


def test_xlsx_cells_are_text_and_formulas_neutralised():
    """Every cell is a string cell; the formula name is stored with its apostrophe, never as a formula."""
    data = export("xlsx", records=[*make_records(), hostile(FORMULA)])
    sheet = load_workbook(BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)
    assert sheet.cell(row=5, column=1).value == "'" + FORMULA
    assert not any(str(c.value).startswith("=") for c in cells)


def test_pdf_lists_every_item_with_source_as_of_and_legend(tmp_path):
    """Each item prints its name, where, schedule, source and as-of date; the legend explains the codes."""
    text = pdf_text(export("pdf", distances={"test-meeting-a": 1.25}, origin_label="60000"), tmp_path)
    for expected in (
        "Test meeting A",
        "Test meeting B, online",
        "Test recovery home C",
        "1 Example Street",
        "Tuesday 7:00 PM–8:00 PM",
        "1.2 mi from 60000",
        "test-fixture, as of 2026-05-01",
        "as of 2026-05-03",
        "Online",
        "BE: Newcomer",
        "W: Women",
    ):
        assert expected in text
    assert "M: Men" not in text


def test_html_print_view_has_print_css_and_qr_codes():
    """The print view keeps items whole across pages and carries one QR code per item, and no scripts."""
    page = export("html").decode()
    assert "break-inside: avoid" in page
    assert page.count("<svg") == 2  # the third record has neither a website nor a join link: no code
    assert "<script" not in page


@pytest.mark.parametrize("case", sorted(HOSTILE_NAMES))
@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_hostile_text_renders_in_every_format(case, fmt, tmp_path):
    """Hostile names render without error; nothing becomes markup, a formula or a javascript: link."""
    record = hostile(HOSTILE_NAMES[case])
    data = export(fmt, records=[*make_records(), record])
    if fmt == "html":
        page = data.decode()
        assert "<script>alert" not in page and "<i>X</i>" not in page and "javascript:" not in page
        if case == "html":
            assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    elif fmt == "pdf":
        text = pdf_text(data, tmp_path)
        assert "Test recovery home C" in text and "as of 2026-05-04" in text
        assert "javascript:" not in text
    elif fmt == "csv":
        rows = data.decode("utf-8-sig").split("\r\n")
        assert not any(cell.startswith("=") for row in rows for cell in row.split(","))
    elif fmt == "xlsx":
        sheet = load_workbook(BytesIO(data)).active
        assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value is not None)
    else:
        events = icalendar.Calendar.from_ical(data).walk("VEVENT")
        assert len(events) == 4
        assert not any("javascript:" in str(e.get("URL", "")) for e in events)


def test_right_to_left_name_prints_in_reading_order(tmp_path):
    """Hebrew and Arabic names are laid out right to left, so the PDF's text reads in the right order."""
    text = pdf_text(export("pdf", records=[hostile(HOSTILE_NAMES["rtl"])]), tmp_path)
    assert "\u05e7\u05d1\u05d5\u05e6\u05ea \u05d1\u05d3\u05d9\u05e7\u05d4" in text
    assert "\u05d4\u05e7\u05d9\u05d3\u05d1" not in text  # the same word with its letters reversed
    assert "1 resource," in text


def test_long_name_pdf_stays_within_page_width(tmp_path):
    """A 2,000-character name wraps inside the page instead of running off it (no text beyond the margin)."""
    data = export("pdf", records=[hostile(HOSTILE_NAMES["long"])])
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert right_edges and max(right_edges) <= 612 - 16 * 72 / 25.4 + 1


def test_unknown_format_is_refused():
    """An unknown format raises ValueError naming the formats there are."""
    with pytest.raises(ValueError, match="csv, xlsx, pdf, html, ics"):
        export_referral_list(make_records(), "docx")


def test_share_link_carries_ids_but_no_note_text():
    """The share link holds the resource ids in order and none of the notes."""
    referrals = ReferralList()
    for record in make_records():
        referrals.add(record.id)
    referrals.set_note("test-meeting-a", "patient prefers evenings")
    params = referrals.share_params()
    assert params == {"ids": "test-meeting-a,test-meeting-b,test-home-c"}
    assert "evenings" not in str(params)
    assert ReferralList.from_share_params(params).ids == referrals.ids


def test_legend_lists_used_codes_once_with_meanings():
    """The legend holds each code used once, with its Meeting Guide meaning, and flags unknown codes."""
    records = [*make_records(), make_records()[0].replace(id="test-meeting-d", meeting_types=("o", "ZZTEST"))]
    entries = dict(legend.legend(records))
    assert entries["BE"] == "Newcomer" and entries["W"] == "Women" and entries["O"] == "Open"
    assert entries["ZZTEST"] == legend.UNKNOWN
    assert "o" not in entries


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "https://example.org/a b", ""])
def test_qr_codes_refuse_non_web_addresses(url):
    """Only http(s) addresses become QR codes."""
    assert qr.qr_svg(url) == "" and qr.qr_png(url) == b""


def test_pdf_qr_codes_scan_to_each_resource_link(tmp_path):
    """Every QR code on the printed list, read back by a barcode reader, opens its resource's link."""
    path = tmp_path / "list.pdf"
    path.write_bytes(export("pdf"))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    read = [
        b.text
        for page in sorted(tmp_path.glob("page*.png"))
        for b in zxingcpp.read_barcodes(Image.open(page))
    ]
    assert read == [u for u in (qr.resource_url(r) for r in make_records()) if u]
    assert read == ["https://example.org/a", "https://example.org/join/b"]  # C has no site: no code


@pytest.mark.parametrize("length", [20, 60, 120, 250, qr.MAX_URL])
def test_qr_codes_with_the_fixed_mask_decode(length):
    """Codes drawn with one fixed mask pattern still decode, from short links to the longest allowed."""
    url = "https://example.org/" + "a1-b2" * 100
    url = url[:length]
    image = Image.open(BytesIO(qr.qr_png(url, scale=4)))
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [url]


def test_qr_png_is_a_png():
    """A web address yields a PNG image."""
    assert qr.qr_png("https://example.org/a").startswith(b"\x89PNG\r\n\x1a\n")


def test_export_command_writes_the_file(tmp_db, tmp_path, capsys):
    """`python -m directory export` writes the chosen format from a catalog, in the order of --ids."""
    with Catalog(tmp_db) as catalog:
        assert catalog.import_records(make_records(), source="test").ok
    out = tmp_path / "list.csv"
    code = main(
        [
            "export",
            "--ids",
            "test-home-c,test-meeting-a",
            "--format",
            "csv",
            "--out",
            str(out),
            "--db",
            str(tmp_db),
        ]
    )
    assert code == 0
    lines = out.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith("Test recovery home C") and lines[2].startswith("Test meeting A")
    assert "Test meeting B" not in out.read_text(encoding="utf-8-sig")


def test_export_command_names_unknown_ids(tmp_db, tmp_path, capsys):
    """An unknown id stops the export with a message naming it, and no file is written."""
    with Catalog(tmp_db) as catalog:
        catalog.import_records(make_records(), source="test")
    out = tmp_path / "list.pdf"
    code = main(
        [
            "export",
            "--ids",
            "test-meeting-a,no-such-id",
            "--format",
            "pdf",
            "--out",
            str(out),
            "--db",
            str(tmp_db),
        ]
    )
    assert code == 1
    assert "no-such-id" in capsys.readouterr().err
    assert not out.exists()
