"""Issue 10, item 11: with curation off, the Catalog page says that correction requests are waiting."""

from directory.catalog import Catalog
from tests.app_catalog import new_app, open_page


def test_waiting_corrections_are_announced_when_nobody_can_read_them(tmp_path, monkeypatch):
    """One stored request and no curator password: the page says one request waits, and why."""
    at = new_app(tmp_path, monkeypatch)
    with Catalog(str(tmp_path / "catalog.db")) as catalog:
        catalog.add_correction("test-1", "Generated test report: moved", "")
    at = open_page(at, "pages/catalog.py")
    warnings = " ".join(w.value for w in at.warning)
    assert "1 correction requests" in warnings and "curator password" in warnings


def test_no_waiting_note_without_requests(tmp_path, monkeypatch):
    """No stored request: no note about waiting requests."""
    at = open_page(new_app(tmp_path, monkeypatch), "pages/catalog.py")
    assert not any("correction requests" in w.value for w in at.warning)
