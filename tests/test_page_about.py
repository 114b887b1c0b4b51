"""AppTest of the About the data page."""

from tests.app_catalog import markdown_text, new_app, open_page


def test_about_page_explains_sources_and_unconfirmed(tmp_path, monkeypatch):
    """The page runs without an exception and explains "unconfirmed" and the GeoNames credit."""
    at = open_page(new_app(tmp_path, monkeypatch), "pages/about.py")
    assert not at.exception and not at.error
    text = markdown_text(at)
    assert "**unconfirmed**" in text
    assert "GeoNames" in text
    assert "Traceback" not in text
