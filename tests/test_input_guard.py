"""The input guard (issue 12, items 1, 3, 4 and 8): no local file read, no bomb, no traceback, no false 'gone'."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from directory import feeds, guard
from directory.catalog import Catalog
from directory.importers import bmlt, compiled, crisis_lines, findtreatment, hsds, meeting_guide, project_csv
from directory.refresh import FetchOptions, Source, refresh_source
from directory.render.hsds_export import export_hsds, export_hsds_zip
from directory.schema import Resource
from tests.feed_server import FeedServer, Reply, json_reply

FAST = FetchOptions(timeout=2.0, retries=0, backoff=0.0)
# GENERATED TEST RECORD: made up, and says so.
GENERATED = Resource(
    id="hsds-generated-test-1",
    name="Generated Test Service",
    category="treatment",
    source="hsds",
    source_url="https://example.org/generated-test",
    as_of="2025-01-01",
    city="Springfield",
    state="IL",
    zip="62701",
)


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


@pytest.fixture
def hsds_folder(tmp_path: Path) -> Path:
    """A folder of HSDS CSV tables holding one generated service."""
    folder = tmp_path / "local-hsds"
    export_hsds([GENERATED], folder)
    return folder


# Item 1: a feed never makes the server read a local path
@pytest.mark.parametrize("body", ['"{folder}"', '"/dev/zero"', '"/etc/passwd"'])
def test_an_hsds_feed_that_is_a_bare_json_string_reads_no_local_file(server, tmp_db, hsds_folder, body):
    """A feed body naming a local folder or device is refused as not HSDS; nothing is read or imported."""
    url = server.route("/hsds", Reply(body.replace("{folder}", str(hsds_folder)).encode()))
    with Catalog(tmp_db) as catalog:
        report = refresh_source(
            catalog, Source(name="h", format="hsds", url=url), options=FAST, today="2026-01-05"
        )
        assert report.status == "failed" and "not an object or a list" in report.message
        assert catalog.count() == 0


def test_hsds_read_tables_treats_decoded_json_as_data(hsds_folder):
    """read_tables of JSON bytes holding a path string refuses; tables_from_data refuses any string."""
    with pytest.raises(guard.Breach):
        hsds.read_tables(json.dumps(str(hsds_folder)).encode())
    with pytest.raises(guard.Breach):
        hsds.tables_from_data(str(hsds_folder))
    assert hsds.parse(json.dumps(str(hsds_folder)).encode()).records == []


def test_a_device_given_as_a_file_is_refused_without_reading_it():
    """/dev/zero as a JSON or CSV file is a one-line problem, not gigabytes of zeros."""
    for parse in (meeting_guide.parse, project_csv.parse, hsds.parse):
        result = parse(Path("/dev/zero"))
        assert result.records == [] and "not a regular file" in result.errors[0].message


# Item 3: archives are counted before anything is extracted
def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("services.csv", b"id,name\n" + b"a" * size)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory():
    """An archive that unpacks past the limit is refused with a file-level message, before extraction."""
    data = _bomb(guard.LIMITS.decompressed_bytes + 1)
    assert len(data) < 1024 * 1024
    result = hsds.parse(data, file="bomb.zip")
    assert result.records == []
    (problem,) = result.errors
    assert problem.file == "bomb.zip" and "unpacks to" in problem.message


def test_an_archive_with_too_many_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(guard.LIMITS.members + 1):
            archive.writestr(f"t{n}.csv", b"x")
    result = hsds.parse(buffer.getvalue(), file="many.zip")
    assert "holds" in result.errors[0].message and result.records == []


def test_an_archive_whose_compressed_data_is_damaged_is_a_message(tmp_path):
    """Found by `make fuzz`: a damaged deflate stream raised zlib.error out of the importer."""
    good = export_hsds_zip([GENERATED])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo("services.csv")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(good)
    damaged[start : start + 8] = b"\xff" * 8
    result = hsds.parse(bytes(damaged), file="damaged.zip")
    assert result.records == [] and result.errors
    assert result.errors[0].file == "damaged.zip"


def test_a_real_sized_hsds_zip_still_imports():
    """The guard lets a normal package through (the round trip of our own export)."""
    result = hsds.parse(export_hsds_zip([GENERATED]), file="ok.zip")
    assert [r.name for r in result.records] == ["Generated Test Service"]


# Item 4: row- and file-level messages instead of tracebacks
@pytest.mark.parametrize(
    ("parse", "body", "words"),
    [
        (meeting_guide.parse, b"[" * 2000 + b"]" * 2000, "nests 2000 levels"),
        (bmlt.parse, b"[" * 70 + b"]" * 70, "nests 70 levels"),
        (meeting_guide.parse, b'[{"slug": "a", "day": ' + b"9" * 5000 + b"}]", "5000 digits"),
        (meeting_guide.parse, b'[{"slug": "a", "name": "x", "day": Infinity}]', "Infinity"),
        (meeting_guide.parse, b'[{"slug": "a", "name": "x", "day": 1e999}]', "too large"),
        (findtreatment.parse, b'{"rows": 5}', "no 'rows'"),
        (hsds.parse, b'{"services": 5, "name": "x"}', "no services"),
    ],
)
def test_hostile_json_is_a_message_not_a_traceback(parse, body, words):
    result = parse(body, file="hostile.json")
    assert result.records == []
    assert any(words in p.message for p in result.errors), result.errors


def test_findtreatment_services_as_a_number_is_a_row_problem_naming_the_field():
    row = {"name1": "Generated Test Clinic", "street1": "1 Test St", "city": "Springfield", "zip": "62701"}
    result = findtreatment.parse(json.dumps({"rows": [{**row, "services": 7}]}).encode(), file="ft.json")
    (problem,) = result.errors
    assert (problem.row, problem.field) == (1, "services")


def test_a_string_over_the_limit_is_a_row_problem_naming_the_field():
    meetings = [{"slug": "a", "name": "x" * (guard.LIMITS.string_chars + 1), "day": 1, "time": "19:00"}]
    (problem,) = meeting_guide.parse(json.dumps(meetings).encode(), file="mg.json").errors
    assert (problem.row, problem.field, problem.file) == (1, "name", "mg.json")


def test_a_csv_field_over_the_limit_names_its_line(tmp_path):
    header = "id,name,category,source,source_url,as_of\n"
    text = header + "a,b,treatment,x,https://example.org,2025-01-01\n" + "c," + "d" * 140_000 + "\n"
    for parse, name in ((project_csv.parse, "p.csv"), (compiled.parse, "il_compiled_resources.csv")):
        path = tmp_path / name
        path.write_text(text)
        result = parse(path)
        assert result.records == []
        assert any(p.row == 3 and "longer than" in p.message for p in result.errors), result.errors
    path = tmp_path / "il_crisis_help_lines.csv"
    path.write_text(text)
    assert "longer than" in crisis_lines.parse(path).errors[0].message


def test_feeds_decode_json_wraps_breaches_as_feed_errors():
    with pytest.raises(feeds.FeedError, match="nests"):
        feeds.decode_json(b"[" * 100 + b"]" * 100, "x")


# Item 8: a bad field never makes a listed record 'gone'
def test_refresh_keeps_meetings_the_feed_still_lists_with_a_bad_time(server, tmp_db, shared_data):
    """20 meetings given an invalid time stay active and are not reported gone; the rows are rejected."""
    body = (shared_data / "feeds" / "meeting-guide" / "kansas-city-aa.json").read_bytes()
    url = server.route("/kc.json", Reply(body))
    source = Source(name="aa-test", format="meeting-guide", url=url, fellowship="AA")
    with Catalog(tmp_db) as catalog:
        first = refresh_source(catalog, source, options=FAST, today="2026-01-05")
        assert first.status == "applied"
        meetings = json.loads(body)
        for meeting in meetings[:20]:
            meeting["time"] = "99:99"
        server.route("/kc.json", json_reply(meetings))
        second = refresh_source(catalog, source, options=FAST, today="2026-01-06", force=True)
        assert second.disappeared == []
        assert len(second.rejected) >= 20
        inactive = catalog.conn.execute("SELECT count(*) FROM resources WHERE status = 'inactive'").fetchone()
        assert inactive[0] == 0
