"""`import FORMAT FILE --source --source-url --fellowship` and `export-feed`, and the published feed file."""

from __future__ import annotations

import json

import pytest

from directory.__main__ import main
from directory.catalog import Catalog
from directory.render import feed_file

FEED_URL = "https://example.org/generated-test/intergroup/meetings.json"


@pytest.fixture
def kc_without_urls(shared_data, tmp_path):
    """The real Kansas City AA feed with every meeting's own `url` removed (as many real feeds have it)."""
    meetings = json.loads((shared_data / "feeds" / "meeting-guide" / "kansas-city-aa.json").read_bytes())
    for meeting in meetings:
        meeting.pop("url", None)
    path = tmp_path / "meetings.json"
    path.write_text(json.dumps(meetings), encoding="utf-8")
    return path, len(meetings)


def test_a_feed_without_urls_says_which_option_supplies_the_source_url(kc_without_urls, tmp_path, capsys):
    """Without --source-url nothing is imported and each row's message names the option."""
    path, _ = kc_without_urls
    db = tmp_path / "c.db"
    assert main(["import", "meeting-guide", str(path), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "give it with --source-url URL" in out
    with Catalog(db) as catalog:
        assert catalog.records() == []


def test_source_url_and_fellowship_fill_every_record(kc_without_urls, tmp_path, capsys):
    """With the options every meeting is imported, with the feed URL as source_url and the fellowship."""
    path, count = kc_without_urls
    db = tmp_path / "c.db"
    args = ["import", "meeting-guide", str(path), "--db", str(db), "--source", "aa-kc"]
    assert main([*args, "--source-url", FEED_URL, "--fellowship", "AA"]) == 0
    with Catalog(db) as catalog:
        records = catalog.records()
    assert len(records) == count
    assert {r.source_url for r in records} == {FEED_URL}
    assert {r.fellowship for r in records} == {"AA"} and {r.source for r in records} == {"aa-kc"}
    assert all(r.id.startswith("aa-kc-") for r in records)


def test_two_feeds_with_the_same_slugs_stay_two_sets_of_records(shared_data, tmp_path, capsys):
    """The same slugs under two source names are two sets of records, not one overwriting the other."""
    path = shared_data / "feeds" / "meeting-guide" / "kansas-city-aa.json"
    db = tmp_path / "c.db"
    for name in ("intergroup-one", "intergroup-two"):
        assert main(["import", "meeting-guide", str(path), "--db", str(db), "--source", name]) == 0
    with Catalog(db) as catalog:
        records = catalog.records()
    one = {r.id.removeprefix("intergroup-one-") for r in records if r.source == "intergroup-one"}
    two = {r.id.removeprefix("intergroup-two-") for r in records if r.source == "intergroup-two"}
    assert one == two and len(one) + len(two) == len(records)


def test_an_option_the_format_cannot_take_is_refused(tmp_path, capsys):
    """The project CSV has its own source columns: --fellowship is refused, not silently ignored."""
    path = tmp_path / "x.csv"
    path.write_text("id,name\n", encoding="utf-8")
    assert main(["import", "csv", str(path), "--db", str(tmp_path / "c.db"), "--fellowship", "AA"]) == 2
    assert "takes no --fellowship" in capsys.readouterr().err


def test_export_feed_writes_meeting_guide_and_hsds(tmp_path, capsys, shared_data):
    """Both feeds are written from the catalog; the HSDS package reports what it left out."""
    db = tmp_path / "c.db"
    path = shared_data / "feeds" / "meeting-guide" / "kansas-city-aa.json"
    assert main(["import", "meeting-guide", str(path), "--db", str(db), "--source", "aa-kc"]) == 0
    assert main(["export-feed", "meeting-guide", "--db", str(db), "--out", str(tmp_path / "mg.json")]) == 0
    entries = json.loads((tmp_path / "mg.json").read_bytes())
    assert entries and all(e["timezone"] == "America/Chicago" for e in entries)
    out = tmp_path / "hsds"
    args = ["export-feed", "hsds", "--db", str(db), "--out", str(out), "--json", str(tmp_path / "h.json")]
    assert main(args) == 0
    assert (out / "datapackage.json").exists() and (out / "services.csv").exists()
    assert json.loads((tmp_path / "h.json").read_bytes())["total_items"] > 0
    assert main(["export-feed", "meeting-guide", "--db", str(db), "--out", "x", "--json", "y"]) == 2


def test_an_import_republishes_the_feed_file(shared_data, tmp_path, monkeypatch, capsys):
    """After an import that changes the catalog, the published feed file holds its meetings."""
    target = tmp_path / "published.json"
    monkeypatch.setenv("AFTERCARE_FEED_FILE", str(target))
    path = shared_data / "feeds" / "meeting-guide" / "kansas-city-aa.json"
    assert main(["import", "meeting-guide", str(path), "--db", str(tmp_path / "c.db"), "--source", "kc"]) == 0
    assert len(json.loads(target.read_bytes())) >= 206


def test_a_catalog_that_is_not_the_apps_leaves_the_published_feed_alone(tmp_path, monkeypatch):
    """Tests and copies import into other catalogs: the app's static feed is not rewritten by them."""
    monkeypatch.delenv("AFTERCARE_FEED_FILE", raising=False)
    monkeypatch.delenv("AFTERCARE_CATALOG", raising=False)
    with Catalog(tmp_path / "other.db") as catalog:
        assert feed_file.publish(catalog) is None


def test_the_published_feed_file_is_the_shipped_catalogs_feed():
    """static/meeting-guide.json (served at /app/static/meeting-guide.json) matches data/catalog.db.

    After rebuilding the catalog run `python -m directory export-feed meeting-guide --out
    static/meeting-guide.json` (imports and refreshes of data/catalog.db rewrite it themselves).
    """
    from pathlib import Path

    from directory.render.meeting_guide_export import export_meeting_guide

    root = Path(__file__).resolve().parent.parent
    with Catalog(root / "data" / "catalog.db", readonly=True) as catalog:
        expected = export_meeting_guide(catalog.records())
    assert (root / "static" / "meeting-guide.json").read_bytes() == expected
