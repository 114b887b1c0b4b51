"""AppTest of the Resource details page: facts, provenance, add to list, and bounded problem reports."""

import pytest

from directory.catalog import Catalog
from tests.app_catalog import markdown_text, new_app, open_page


@pytest.fixture
def app(tmp_path, monkeypatch):
    return new_app(tmp_path, monkeypatch)


def test_details_show_the_listing_and_its_provenance(app):
    """id=test-1 shows the name, a tel: link, the schedule and the source page link."""
    at = open_page(app, "pages/details.py", id="test-1")
    assert not at.exception and not at.error
    assert at.title[0].value == "Generated test support group 1"
    text = markdown_text(at)
    assert "tel:+13125550101" in text
    assert "https://example.invalid/generated-test" in text
    assert any("Tuesday" in str(table.value) for table in at.table)


@pytest.mark.parametrize(
    ("params", "message"), [({"id": "no-such-id"}, "not in the directory"), ({}, "No listing")]
)
def test_unknown_or_missing_id_explains(app, params, message):
    """An unknown or missing id gives a plain message and no title of a listing."""
    at = open_page(app, "pages/details.py", **params)
    assert any(message in m.value for m in [*at.info, *at.warning])
    assert not at.title and not at.exception


def test_add_to_referral_list_from_details(app):
    """The details page button adds the listing once; the button then shows it is on the list."""
    at = open_page(app, "pages/details.py", id="test-5")
    at.button(key="details_add").click().run()
    assert at.session_state["referral_list"].ids == ["test-5"]
    assert at.button(key="details_add").disabled


def test_problem_reports_are_stored_and_limited(app, tmp_path):
    """Three reports are stored as correction requests; the fourth and an empty one are refused."""
    at = open_page(app, "pages/details.py", id="test-2")
    at.button(key="report_send").click().run()
    assert any("Say what is wrong" in w.value for w in at.warning)
    for n in range(4):
        at.text_area(key="report_problem").input(f"generated test report {n}").run()
        at.button(key="report_send").click().run()
    with Catalog(tmp_path / "catalog.db") as catalog:
        stored = catalog.corrections()
    assert [c["problem"] for c in stored] == [f"generated test report {n}" for n in range(3)]
    assert any("the most we accept" in w.value for w in at.warning)


def test_details_of_a_listing_without_a_phone_say_where_to_find_one(tmp_path, monkeypatch):
    """A SAMHSA listing without a phone says so and links FindTreatment.gov instead of leaving a blank."""
    from streamlit.testing.v1 import AppTest

    from tests.app_catalog import REPO_ROOT, build_test_catalog, test_records

    records = [r.replace(phones=(), source="samhsa") if r.id == "test-5" else r for r in test_records()]
    monkeypatch.setenv("AFTERCARE_CATALOG", str(build_test_catalog(tmp_path / "c.db", records)))
    monkeypatch.delenv("AFTERCARE_CURATOR_PASSWORD_HASH", raising=False)
    at = open_page(
        AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60), "pages/details.py", id="test-5"
    )
    text = markdown_text(at)
    assert "No phone listed" in text and "(https://findtreatment.gov/)" in text
    other = open_page(
        AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60), "pages/details.py", id="test-1"
    )
    assert "No phone listed" not in markdown_text(other)  # a listing with a phone needs no next step
    assert not at.exception and not other.exception


def test_a_busy_catalog_gives_the_busy_sentence_not_an_error(app, tmp_path, monkeypatch):
    """A report sent while another writer holds the SQLite lock says "try again in a moment"; nothing is
    stored, no Streamlit error or exception shows, and the typed text stays for the next try."""
    import sqlite3

    from directory import catalog as store

    monkeypatch.setattr(store, "BUSY_WAIT", 0.05)
    at = open_page(app, "pages/details.py", id="test-1")
    writer = sqlite3.connect(tmp_path / "catalog.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        at.text_area(key="report_problem").input("generated test report while busy").run()
        at.button(key="report_send").click().run()
        assert not at.exception and not at.error
        assert any("try again in a moment" in w.value for w in at.warning)
        assert not any("Thank" in s.value for s in at.success)
        assert at.text_area(key="report_problem").value == "generated test report while busy"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with Catalog(tmp_path / "catalog.db") as catalog:
        assert catalog.corrections("open") == []
    at.button(key="report_send").click().run()
    assert any("Thank" in s.value for s in at.success)
