"""AppTest of the Find page on a generated catalog: URL state, filters, messages, the referral-list button."""

import pytest

from tests.app_catalog import markdown_text, new_app, open_filters, press_card, result_cards


@pytest.fixture
def app(tmp_path, monkeypatch):
    return new_app(tmp_path, monkeypatch)


def names(at) -> str:
    return markdown_text(at)


def test_find_page_loads_with_results_and_crisis_lines(app):
    """The home page runs without an exception, lists results and shows the three crisis lines as tel: links."""
    at = app.run()
    assert not at.exception and not at.error
    text = names(at)
    assert "Generated test support group 1" in text
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    for link in ("tel:988", "tel:+18332346343", "tel:+18006624357"):
        assert link in sidebar
    assert "Generated test recovery housing 4" not in text  # unconfirmed listings stay hidden by default


def test_url_parameters_seed_the_search(app):
    """near=62701&cat=support_group fills the place box and lists only the Springfield meetings."""
    app.query_params["near"] = "62701"
    app.query_params["cat"] = "support_group"
    at = app.run()
    assert at.text_input(key="f_place").value == "62701"
    text = names(at)
    assert "Generated test support group 6" in text
    assert "Generated test treatment 7" not in text


def test_filter_change_changes_results_and_url(app):
    """Choosing the NA fellowship leaves only the NA meeting, and the URL records the filter."""
    at = open_filters(app.run())
    at.multiselect(key="f_fellowships").set_value(["NA"]).run()
    text = names(at)
    assert "Generated test support group 2" in text
    assert "Generated test support group 1" not in text
    assert at.query_params["fel"] == "NA"


def test_clear_filters_restores_all_results(app):
    """After a filter, "Clear filters" brings every result back and keeps the place."""
    app.query_params["near"] = "60614"
    app.query_params["fel"] = "NA"
    at = open_filters(app.run())
    assert "Generated test support group 1" not in names(at)
    next(b for b in at.button if b.label == "Clear filters").click().run()
    assert "Generated test support group 1" in names(at)
    assert at.text_input(key="f_place").value == "60614"


def test_invalid_zip_shows_the_message_not_a_traceback(app):
    """An unknown ZIP gives the plain "We couldn't find" message and no exception."""
    app.query_params["near"] = "99999"
    at = app.run()
    assert not at.exception
    assert any("couldn't find '99999'" in w.value for w in at.warning)
    assert "Generated test" not in names(at)


def test_empty_result_suggests_widening(app):
    """A search that matches nothing says to widen the radius or clear a filter and offers a wider radius."""
    app.query_params["near"] = "60614"
    app.query_params["r"] = "1"
    app.query_params["day"] = "sun"
    at = app.run()
    assert any("Try a larger distance" in i.value for i in at.info)
    assert any(b.label == "Search up to 2 miles" for b in at.button)
    assert "Generated test support group" not in names(at)


def test_add_to_referral_list_from_a_card(app):
    """A card's "Add" adds the listing to the session's referral list; the card then says it is on the list,
    and the others do not."""
    at = app.run()
    before = {c["id"]: c["added"] for c in result_cards(at)}
    assert before["test-1"] is False and before["test-2"] is False
    press_card(at, "test-1")
    assert not at.exception
    assert at.session_state["referral_list"].ids == ["test-1"]
    after = {c["id"]: c["added"] for c in result_cards(at)}
    assert after["test-1"] is True and after["test-2"] is False
    at.run()  # a trigger lasts one run: the next run adds nothing again
    assert at.session_state["referral_list"].ids == ["test-1"]


def test_details_on_a_card_opens_that_listing(app):
    """A card's "Details" opens the details page of that listing in the same session."""
    at = app.run()
    press_card(at, "test-2", "details")
    assert not at.exception
    assert at.title[0].value == "Generated test support group 2"
    assert not result_cards(at)  # the details page, not the results


def test_an_unknown_id_pressed_does_nothing(app):
    """A trigger naming a listing the page did not show (a stale or forged event) opens and adds nothing."""
    at = app.run()
    title = at.title[0].value
    press_card(at, "not-shown", "details", shown=False)
    assert not at.exception
    assert result_cards(at) and at.title[0].value == title  # still the results, no details page
    press_card(at, "test-9999", "add", shown=False)
    assert not at.exception
    assert len(at.session_state["referral_list"]) == 0


def test_catalog_text_is_escaped_in_cards(app):
    """A name with markdown link syntax and HTML travels as plain words in the card's data (the browser sets
    it as text) and never becomes a link: a card's links are only its phone, website and directions."""
    at = app.run()
    card = next(c for c in result_cards(at) if c["id"] == "test-8")
    assert card["name"] == "Generated test 8 & 5 < 7 [link](https://x.invalid) *stars*"
    assert all(url != "https://x.invalid" for _, url in card["links"])
    assert all(url.startswith(("https://", "tel:", "sms:", "geo:")) for _, url in card["links"])


def test_map_view_draws_without_exception(app):
    """view=map shows the map legend and the hint, and no result cards."""
    app.query_params["view"] = "map"
    at = app.run()
    assert not at.exception
    text = names(at)
    assert "Colours on the map" in text
    assert "Generated test support group 1" not in text


def test_ignored_url_parameters_are_explained(app):
    """A bad radius in the link is reported in plain words, and the page still works."""
    app.query_params["r"] = "lots"
    at = app.run()
    assert any("radius" in i.value for i in at.info)
    assert not at.exception
