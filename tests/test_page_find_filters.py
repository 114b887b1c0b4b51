"""AppTest of every multiple-choice filter on the Find page through a rerun that changes its counts.

Streamlit sends a chosen option back as the text it was drawn with; when that text carried a count
("Buprenorphine (5)") the choice came back as the label once the counts changed, and the search answered
nothing. Each filter here is chosen statewide, then the place narrows to Chicago so every count drops.
"""

import dataclasses

import pytest

from directory.filters import FILTERS, PREFIX
from directory.schema import Slot
from tests.app_catalog import REPO_ROOT, build_test_catalog, markdown_text, open_filters
from tests.app_catalog import test_records as generated_records

# (filter, value chosen, a Chicago listing that must stay in the results)
CHOICES = [
    ("categories", "treatment", "Generated test treatment 5"),
    ("weekdays", 1, "Generated test support group 1"),
    ("times_of_day", "evening", "Generated test support group 1"),
    ("formats", "in_person", "Generated test support group 1"),
    ("fellowships", "AA", "Generated test support group 1"),
    ("subcategories", "outpatient_clinic", "Generated test treatment 5"),
    ("populations", "women", "Generated test treatment 5"),
    ("languages", "en", "Generated test support group 1"),
    ("payment", "medicaid", "Generated test treatment 5"),
    ("moud_services", "buprenorphine", "Generated test treatment 5"),
    ("county", "Cook", "Generated test support group 1"),
]
MULTI = {f.name for f in FILTERS if f.widget in ("pills", "multiselect")}


def records():
    """The generated catalog, plus a Springfield twin of the Chicago meeting and treatment listing."""
    base = generated_records()
    by_id = {r.id: r for r in base}
    treatment = dataclasses.replace(by_id["test-5"], subcategory="outpatient_clinic", populations=("women",))
    twin_meeting = dataclasses.replace(
        by_id["test-1"], id="test-91", name="Generated test twin meeting 91", zip="62701", city="Springfield",
        county="Sangamon", latitude=39.80, longitude=-89.64, schedule=(Slot(1, "19:30", "20:30"),),
    )  # fmt: skip
    twin_treatment = dataclasses.replace(
        treatment, id="test-92", name="Generated test twin treatment 92", zip="62701", city="Springfield",
        county="Sangamon", latitude=39.81, longitude=-89.65,
    )  # fmt: skip
    return [treatment if r.id == "test-5" else r for r in base] + [twin_meeting, twin_treatment]


@pytest.fixture
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db = build_test_catalog(tmp_path / "catalog.db", records())
    monkeypatch.setenv("AFTERCARE_CATALOG", str(db))
    monkeypatch.delenv("AFTERCARE_ONLINE", raising=False)
    return AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)


def test_the_table_covers_every_multiple_choice_filter():
    """A new multiple-choice filter must be added to CHOICES (so it is driven through a rerun too)."""
    assert {name for name, _, _ in CHOICES} == MULTI


def widget(at, name):
    key = PREFIX + name
    item = next(f for f in FILTERS if f.name == name)
    return at.button_group(key=key) if item.widget == "pills" else at.multiselect(key=key)


@pytest.mark.parametrize(("name", "value", "kept"), CHOICES)
def test_a_choice_survives_a_rerun_that_changes_its_counts(app, name, value, kept):
    """The chosen vocabulary value, not its label, stays chosen after the counts change, and results remain."""
    at = open_filters(app.run())
    widget(at, name).set_value([value]).run()
    assert not at.exception
    at.text_input(key="f_place").set_value("60614").run()
    at.selectbox(key="f_radius").set_value(5.0).run()
    assert not at.exception
    assert at.session_state[PREFIX + name] == [value]
    assert all("(" not in str(v) for v in at.session_state[PREFIX + name])
    text = markdown_text(at)
    assert kept in text
    assert "Generated test twin" not in text  # the place did narrow the search
    assert "0 results" not in text


def test_a_california_zip_says_where_it_is(app):
    """90210 is named as California, outside Illinois; no "within 10 miles" sentence."""
    app.query_params["near"] = "90210"
    at = app.run()
    text = markdown_text(at) + "\n".join(w.value for w in at.warning)
    assert "outside Illinois" in text and "CA" in text
    assert "within 10 miles" not in text


def test_a_misspelt_city_gets_a_suggestion_that_searches(app):
    """ "Chicgo" offers "Chicago"; pressing it searches Chicago."""
    app.query_params["near"] = "Chicgo"
    at = app.run()
    suggestion = next(b for b in at.button if b.label == "Chicago")
    suggestion.click().run()
    assert at.text_input(key="f_place").value == "Chicago"
    assert "Generated test support group 1" in markdown_text(at)


def test_an_address_offline_names_the_setting(app):
    """A street address with online lookups off says which switch turns them on."""
    app.query_params["near"] = "123 Main St, Peoria"
    at = app.run()
    assert any("Search street addresses online" in i.value for i in at.info)


def test_a_blank_place_prints_no_asterisks_and_a_far_page_clamps(app):
    """A blank place searches statewide without literal asterisks; ?page=999 shows the last page."""
    app.query_params["near"] = "   "
    app.query_params["page"] = "999"
    at = app.run()
    text = markdown_text(at)
    assert "of    " not in text
    assert "Generated test" in text


def test_add_all_results_puts_every_result_on_the_list(app):
    """ "Add all N results" names N first, then puts all N (not only the first page) on the list."""
    app.query_params["near"] = "60614"
    at = app.run()
    button = next(b for b in at.button if b.label.startswith("Add all "))
    count = int(button.label.split()[2])
    button.click().run()
    assert len(at.session_state["referral_list"]) == count
    assert count == 4  # the four Chicago listings of the generated catalog, on one page or more
