"""Issue 9 item 8 in the care plan: with fewer than five confirmed meetings near the patient's place, the
plan's meeting picks show the unconfirmed ones badged "not confirmed — check before going", online
meetings, and each fellowship's own finder; with five or more, only confirmed meetings."""

from __future__ import annotations

import dataclasses

from streamlit.testing.v1 import AppTest

from directory import geo, nearby, plan_form
from directory.schema import Slot
from directory.search import SearchIndex
from tests.app_catalog import REPO_ROOT, build_test_catalog, markdown_text
from tests.test_page_find_meetings import RECORDS, make


def sentences(index, place) -> list[str]:
    return [p.sentence for p in nearby.picks_for_section(index, place, "schedule")]


def test_few_confirmed_meetings_bring_unconfirmed_online_and_finders():
    index = SearchIndex.from_records(RECORDS)
    place = geo.lookup_place("60614")
    picks = sentences(index, place)
    assert any(
        s.startswith("Meeting nearby, not confirmed — check before going: Generated test evening")
        for s in picks
    )
    assert any("Generated test zoom" in s for s in picks)  # an online meeting one can join from anywhere
    assert [f.url for f in nearby.meeting_finders(index, place)] == ["https://example.invalid/finder"]
    text = nearby.finders_text(index, place)
    assert text.startswith("**Find more meetings near 60614") and "(https://example.invalid/finder)" in text


def test_five_confirmed_meetings_need_no_unconfirmed_ones_or_finders():
    confirmed = [
        dataclasses.replace(RECORDS[0], id=f"c{n}", name=f"Generated test confirmed {n}", verification="confirmed",
                            schedule=(Slot(n, "19:00", "20:00"),))
        for n in range(5)
    ]  # fmt: skip
    index = SearchIndex.from_records([*RECORDS, *confirmed])
    place = geo.lookup_place("60614")
    picks = sentences(index, place)
    assert picks and not any("not confirmed" in s for s in picks)
    assert nearby.meeting_finders(index, place) == [] and nearby.finders_text(index, place) == ""


def test_no_place_no_finders():
    assert nearby.finders_text(SearchIndex.from_records(RECORDS), None) == ""
    assert nearby.meeting_finders(None, geo.lookup_place("60614")) == []


def test_the_picker_badges_an_unconfirmed_meeting():
    names = plan_form.resource_names([RECORDS[0], RECORDS[1]])
    assert names["evening"] == "Generated test evening (not confirmed — check before going)"
    assert names["zoom"] == "Generated test zoom"


def test_the_care_plan_page_shows_the_badged_picks_and_the_finders(tmp_path, monkeypatch):
    """After a search near 60614, the plan's weekly schedule offers the unconfirmed meeting (badged) and the
    fellowship's finder link; picking it puts it on the referral list, and the picker badges it too."""
    db = build_test_catalog(tmp_path / "catalog.db", [*RECORDS, make("other", category="treatment")])
    monkeypatch.setenv("AFTERCARE_CATALOG", str(db))
    for name in ("AFTERCARE_CURATOR_PASSWORD_HASH", "AFTERCARE_ONLINE"):
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.query_params["near"] = "60614"
    at.run()
    at.switch_page("pages/care_plan.py")
    at.run()
    assert not at.exception
    assert "(https://example.invalid/finder)" in markdown_text(at)
    badged = [
        b for b in at.button if b.label.startswith("Meeting nearby, not confirmed — check before going")
    ]
    assert badged
    badged[0].click().run()
    assert "evening" in at.session_state["referral_list"]
    picker = at.multiselect(
        key=next(f for f in plan_form.FORM["schedule"] if f.kind == "meetings").widget_key
    )
    assert "Generated test evening (not confirmed — check before going)" in picker.options
