"""AppTest of the Find page's filter panel, drawn only while "Filters (n)" is open (components/disclosure.py):
closed, its widgets are left out of the page, and every filter value stays in force and comes back when
the panel is drawn again (issue 10, first page load)."""

import pytest

from tests.app_catalog import markdown_text, new_app, open_filters

PANEL_WIDGETS = ("f_fellowships", "f_categories", "f_text", "f_sort")


@pytest.fixture
def app(tmp_path, monkeypatch):
    return new_app(tmp_path, monkeypatch)


def drawn_keys(at) -> set[str]:
    """The keys of every widget the run drew."""
    return {w.key for kind in ("multiselect", "button_group", "text_input", "selectbox", "checkbox", "toggle")
            for w in getattr(at, kind) if w.key}  # fmt: skip


def panel(at):
    return next(e for e in at.expander if e.label.startswith("Filters ("))


def test_closed_the_panel_draws_no_filter_and_says_it_is_loading_when_opened(app):
    """A first visit: the expander is there with its count, its filters are not drawn, and its one line is
    the "Loading the filters…" a person sees for the moment after opening it."""
    app.query_params["fel"] = "NA"
    at = app.run()
    assert not at.exception
    assert panel(at).label == "Filters (1)"
    assert not drawn_keys(at) & set(PANEL_WIDGETS)
    assert [c.value for c in panel(at).caption] == ["Loading the filters…"]
    assert "f_place" in drawn_keys(at) and "f_radius" in drawn_keys(at)  # the place row is not in the panel
    text = markdown_text(at)
    assert "Generated test support group 2" in text  # the NA meeting
    assert "Generated test support group 1" not in text  # the URL's filter applies while undrawn


def test_opened_the_panel_shows_the_values_the_url_gave(app):
    app.query_params.update({"fel": "NA", "q": "group"})
    at = open_filters(app.run())
    assert not at.exception
    assert set(PANEL_WIDGETS) <= drawn_keys(at)
    assert at.multiselect(key="f_fellowships").value == ["NA"]
    assert at.text_input(key="f_text").value == "group"
    assert not panel(at).caption or "Loading the filters…" not in [c.value for c in panel(at).caption]


def test_values_chosen_then_closed_stay_in_force_and_come_back(app):
    """Choose a fellowship and type words, close the panel, search another place twice: the filters still
    narrow the results and the URL; opened again, the widgets are given them to show (in the browser:
    tests/browser/test_filter_panel_browser.py)."""
    at = open_filters(app.run())
    at.multiselect(key="f_fellowships").set_value(["NA"]).run()
    at.text_input(key="f_text").set_value("support").run()
    at = open_filters(at, is_open=False)
    assert not drawn_keys(at) & set(PANEL_WIDGETS)
    for place in ("60614", "Chicago"):
        at.text_input(key="f_place").set_value(place).run()
        assert not at.exception
        assert at.query_params["fel"] in ("NA", ["NA"])
        assert at.query_params["q"] in ("support", ["support"])
        assert panel(at).label == "Filters (2)"
    text = markdown_text(at)
    assert "Generated test support group 2" in text
    assert "Generated test support group 1" not in text
    at = open_filters(at)
    assert at.multiselect(key="f_fellowships").value == ["NA"]
    assert at.text_input(key="f_text").value == "support"
    assert at.text_input(key="f_text").proto.value == "support"


def test_the_count_changes_while_open_and_the_panel_stays_drawn(app):
    """A choice inside the open panel changes the label's count; the panel's widgets are drawn on that run
    too (the expander's identity is its key, not its label)."""
    at = open_filters(app.run())
    assert panel(at).label == "Filters (0)"
    at.multiselect(key="f_fellowships").set_value(["NA"]).run()
    assert panel(at).label == "Filters (1)"
    assert set(PANEL_WIDGETS) <= drawn_keys(at)
    next(b for b in at.button if b.label == "Clear filters").click().run()
    assert panel(at).label == "Filters (0)"
    assert at.multiselect(key="f_fellowships").value == []


def test_the_panel_opens_and_closes_in_spanish(app):
    app.query_params.update({"lang": "es", "fel": "NA"})
    at = app.run()
    label = next(e for e in at.expander if e.label.startswith("Filtros (")).label
    assert label == "Filtros (1)"
    assert "Cargando los filtros…" in [c.value for c in at.caption]
    at = open_filters(at)
    assert at.multiselect(key="f_fellowships").value == ["NA"]
