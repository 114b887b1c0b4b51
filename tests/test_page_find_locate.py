"""AppTest of "Use my location" on the Find page (components/locate.py), driven as the browser drives it:
the button's element sets its state to the answer and the page runs again."""

import json
import math

import pytest

from components.locate import NAME, answer
from directory.words import t
from tests.app_catalog import PLACES, markdown_text, new_app, press_locate, result_cards

SPRINGFIELD = PLACES["62701"][:2]


@pytest.fixture
def app(tmp_path, monkeypatch):
    return new_app(tmp_path, monkeypatch)


def buttons(at) -> list[dict]:
    """The data of each "Use my location" element the page drew."""
    return [json.loads(e.proto.json) for e in at.get("bidi_component") if e.proto.component_name == NAME]


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def infos(at) -> str:
    return "\n".join(i.value for i in at.info)


def test_the_button_is_one_in_page_element_with_its_label(app):
    """One button, labelled in the screen's language, and nothing located until it is pressed."""
    at = app.run()
    assert not at.exception
    assert buttons(at) == [{"label": "Use my location"}]
    assert t("find.located") not in captions(at)
    assert at.session_state["f_latitude"] is None
    app.query_params["lang"] = "es"
    at = app.run()
    assert not at.exception
    assert buttons(at) == [{"label": t("find.locate", "es")}]
    assert t("find.locate", "es") != "Use my location"


def test_a_position_moves_the_search_to_the_point(app):
    """Pressed near Springfield: the search is centred there (rounded to about 100 m), the page says so,
    the Springfield meetings are listed with a distance and the Chicago ones are not."""
    at = press_locate(app.run(), lat=SPRINGFIELD[0] + 0.00012, lon=SPRINGFIELD[1] - 0.00021)
    assert not at.exception and not at.error
    assert (at.session_state["f_latitude"], at.session_state["f_longitude"]) == (39.802, -89.644)
    assert t("find.located") in captions(at)
    assert not infos(at)
    text = markdown_text(at)
    assert "Generated test support group 6" in text
    assert "Generated test support group 1" not in text  # Chicago, about 180 miles away
    assert all(card["distance"] for card in result_cards(at))


def test_the_same_answer_is_used_once(app):
    """The element keeps its last answer; a later run with it (the same ts) does not move the search back
    after the person typed a place."""
    at = press_locate(app.run(), lat=SPRINGFIELD[0], lon=SPRINGFIELD[1], ts=1_700_000_000_000)
    assert at.session_state["f_latitude"] == pytest.approx(SPRINGFIELD[0], abs=0.001)
    at.text_input(key="f_place").set_value("60614").run()
    at.run()
    assert not at.exception
    assert at.session_state["f_latitude"] is None
    assert "Generated test support group 1" in markdown_text(at)
    assert t("find.located") not in captions(at)


@pytest.mark.parametrize(
    ("error", "key"),
    [
        ("denied", "find.locate_denied"),
        ("unavailable", "find.locate_failed"),
        ("unsupported", "find.locate_failed"),
    ],
)
def test_a_refusal_says_so_and_keeps_the_search(app, error, key):
    """Each of the browser's three errors: its message, no exception, and the search stays where it was."""
    at = app.run()
    before = [c["id"] for c in result_cards(at)]
    at = press_locate(at, error=error)
    assert not at.exception and not at.error
    assert infos(at) == t(key)
    assert at.session_state["f_latitude"] is None
    assert t("find.located") not in captions(at)
    assert [c["id"] for c in result_cards(at)] == before


@pytest.mark.parametrize(
    "value",
    [
        {"lat": "39.8", "lon": "-89.6", "ts": 1},
        {"lat": float("nan"), "lon": -89.6, "ts": 2},
        {"lat": 39.8, "lon": float("inf"), "ts": 3},
        {"lat": 91.0, "lon": -89.6, "ts": 4},
        {"lat": 39.8, "lon": -181, "ts": 5},
        {"lat": True, "lon": False, "ts": 6},
        {"lat": 39.8, "ts": 7},
        {"error": "boom", "ts": 8},
        {"error": ["denied"], "ts": 9},
        {"lat": 39.8, "lon": -89.6, "error": "denied", "ts": 10},
        {},
        "39.8,-89.6",
        [39.8, -89.6],
        12,
    ],
    ids=repr,
)
def test_a_malformed_answer_is_a_failure_not_a_crash(app, value):
    """Strings, NaN, infinity, out of range, booleans, a missing half, an unknown error, not an object at
    all: the "could not be found" message, no exception or error box, and the search does not move."""
    at = press_locate(app.run(), value=value)
    assert not at.exception and not at.error
    assert infos(at) == t("find.locate_failed")
    assert at.session_state["f_latitude"] is None
    assert t("find.located") not in captions(at)
    at.run()  # the element keeps the value: the next run does not report it again
    assert not at.exception and not infos(at)


def test_answer_passes_only_checked_values():
    """The check itself: exact shapes out, floats for coordinates, a whole-number ts kept."""
    assert answer(None) is None
    assert answer({"lat": 41, "lon": -87.5, "ts": 5}) == {"lat": 41.0, "lon": -87.5, "ts": 5}
    assert answer({"lat": -90, "lon": 180, "ts": 1}) == {"lat": -90.0, "lon": 180.0, "ts": 1}
    assert answer({"error": "denied", "ts": 6}) == {"error": "denied", "ts": 6}
    extra = answer({"lat": 41.0, "lon": -87.0, "ts": 7, "address": "anything"})
    assert extra == {"lat": 41.0, "lon": -87.0, "ts": 7}  # nothing else is passed on
    bad = answer({"lat": math.nan, "lon": 0})
    assert bad["error"] == "unavailable" and isinstance(bad["ts"], int)
    assert answer({"lat": math.nan, "lon": 0}) == bad  # the same malformed value, the same ts
    assert answer({"error": "denied", "ts": True})["ts"] != True  # noqa: E712 - a bool is not a ts
