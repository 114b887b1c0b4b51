"""AppTest of the Catalog page: statistics for everyone; curation only behind the curator password."""

import pytest

from directory.catalog import Catalog
from directory.curation import hash_password
from tests.app_catalog import markdown_text, new_app, open_page

PASSWORD = "generated-test-password"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD, n=2**10)


def curation_controls(at) -> list:
    return [b for b in at.button if b.key and b.key.startswith(("resolve_", "dismiss_", "import_"))]


def test_stats_show_for_everyone_and_curation_is_off_without_a_hash(tmp_path, monkeypatch):
    """Without a hash the stats show, the page says how to switch curation on, and there is no password box."""
    at = open_page(new_app(tmp_path, monkeypatch), "pages/catalog.py")
    assert not at.exception and not at.error
    assert "8 listings in the directory" in markdown_text(at)
    assert any("AFTERCARE_CURATOR_PASSWORD_HASH" in i.value for i in at.info)
    assert not [w for w in at.text_input if w.key == "curator_password"]
    assert curation_controls(at) == []


def test_wrong_password_is_refused(tmp_path, monkeypatch, password_hash):
    """A wrong password shows an error and no curation controls."""
    app = new_app(tmp_path, monkeypatch, env={"AFTERCARE_CURATOR_PASSWORD_HASH": password_hash})
    with Catalog(tmp_path / "catalog.db") as catalog:
        catalog.add_correction("test-1", "generated test report")
    at = open_page(app, "pages/catalog.py")
    assert curation_controls(at) == []
    at.text_input(key="curator_password").input("not-the-password").run()
    at.button(key="curator_sign_in").click().run()
    assert any("not right" in e.value for e in at.error)
    assert curation_controls(at) == []
    assert "curator" not in at.session_state or at.session_state["curator"] is False


def test_curator_resolves_a_correction_request(tmp_path, monkeypatch, password_hash):
    """With the right password the open request is listed, and Resolved closes it in the catalog."""
    app = new_app(tmp_path, monkeypatch, env={"AFTERCARE_CURATOR_PASSWORD_HASH": password_hash})
    with Catalog(tmp_path / "catalog.db") as catalog:
        request_id = catalog.add_correction("test-1", "generated test report")
    at = open_page(app, "pages/catalog.py")
    at.text_input(key="curator_password").input(PASSWORD).run()
    at.button(key="curator_sign_in").click().run()
    assert any(t.value == "generated test report" for t in at.text)
    at.button(key=f"resolve_{request_id}").click().run()
    with Catalog(tmp_path / "catalog.db") as catalog:
        assert catalog.corrections("open") == []
        assert [c["status"] for c in catalog.corrections(None)] == ["resolved"]


def test_sign_in_locks_after_too_many_attempts(tmp_path, monkeypatch, password_hash):
    """After five wrong passwords even the right one is refused for the rest of the session."""
    app = new_app(tmp_path, monkeypatch, env={"AFTERCARE_CURATOR_PASSWORD_HASH": password_hash})
    at = open_page(app, "pages/catalog.py")
    for _ in range(5):
        at.text_input(key="curator_password").input("wrong").run()
        at.button(key="curator_sign_in").click().run()
    at.text_input(key="curator_password").input(PASSWORD).run()
    at.button(key="curator_sign_in").click().run()
    assert any("Too many wrong passwords" in e.value for e in at.error)
    assert curation_controls(at) == []
