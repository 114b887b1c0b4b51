"""AppTest of the Referral list page: reorder, note, remove, loading a share link, export buttons."""

import pytest

from tests.app_catalog import markdown_text, new_app, open_page, press_card


@pytest.fixture
def app(tmp_path, monkeypatch):
    return new_app(tmp_path, monkeypatch)


def test_empty_list_says_how_to_fill_it(app):
    """With nothing picked the page says the list is empty and shows no remove buttons."""
    at = open_page(app, "pages/referral_list.py")
    assert any("Your list is empty" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Remove"]


def test_share_link_loads_known_ids_only(app):
    """ids=test-2,test-3,unknown-id adds the two listings in the catalog, in link order, and says so."""
    at = open_page(app, "pages/referral_list.py", ids="test-2,test-3,unknown-id")
    assert at.session_state["referral_list"].ids == ["test-2", "test-3"]
    assert "1. Generated test support group 2" in markdown_text(at)
    assert [s.value for s in at.success] == ["Loaded 2 listings from the link."]


def test_share_link_updates_the_sidebar_count(app):
    """After a share link loads, the sidebar's list count shows the loaded listings, not the old zero."""
    at = open_page(app, "pages/referral_list.py", ids="test-2,test-3")
    labels = [link.label for link in at.sidebar.get("page_link")]
    assert "Referral list (2)" in labels and "Referral list (0)" not in labels


def test_export_buttons_offer_every_format(app):
    """The list offers CSV, Excel, PDF, print view and calendar downloads, and no other."""
    at = open_page(app, "pages/referral_list.py", ids="test-1")
    labels = sorted(b.label for b in at.get("download_button"))  # listed column by column
    assert labels == sorted(
        [
            "Spreadsheet (CSV)",
            "Excel",
            "PDF to print",
            "Print view (web page)",
            "Calendar of meetings",
        ]
    )


def test_reorder_note_and_remove(app):
    """Moving down swaps two items, a note is kept, and Remove takes an item off the list."""
    at = open_page(app, "pages/referral_list.py", ids="test-1,test-5")
    at.button(key="down_test-1").click().run()
    assert at.session_state["referral_list"].ids == ["test-5", "test-1"]
    at.text_input(key="note_test-1").input("bring photo ID").run()
    assert at.session_state["referral_list"].notes() == {"test-1": "bring photo ID"}
    at.button(key="remove_test-5").click().run()
    assert at.session_state["referral_list"].ids == ["test-1"]
    assert "Generated test treatment 5" not in markdown_text(at)


def test_add_then_remove_through_the_find_page(app):
    """A listing added on Find appears on the Referral list page and is gone after Remove."""
    at = app.run()
    press_card(at, "test-3")
    at.switch_page("pages/referral_list.py").run()
    assert "Generated test support group 3" in markdown_text(at)
    at.button(key="remove_test-3").click().run()
    assert len(at.session_state["referral_list"]) == 0
    assert any("Your list is empty" in i.value for i in at.info)


def test_share_link_holds_ids_not_notes(app):
    """The share link shown on the page carries the ids and never the note text."""
    at = open_page(app, "pages/referral_list.py", ids="test-1")
    at.text_input(key="note_test-1").input("private note").run()
    link = at.code[0].value
    assert "ids=test-1" in link
    assert "private" not in link
