"""AppTest: the About page offers the published feeds for download and says where the app serves one."""

from tests.app_catalog import markdown_text, new_app, open_page


def test_about_page_offers_both_feeds(tmp_path, monkeypatch):
    """Two download buttons (Meeting Guide JSON, HSDS ZIP) and the feed's URL on this server."""
    at = open_page(new_app(tmp_path, monkeypatch), "pages/about.py")
    assert not at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert "Download the Meeting Guide feed (JSON)" in labels
    assert "Download the HSDS 3 package (ZIP)" in labels
    assert "/app/static/meeting-guide.json" in markdown_text(at)
