"""AppTest of the Find page's meeting help: with too few confirmed meetings, the unconfirmed ones show
inline, badged, with the online meetings and each fellowship's own finder; the empty note says they exist."""

from streamlit.testing.v1 import AppTest

from directory.schema import Resource, Slot
from tests.app_catalog import REPO_ROOT, SOURCE_URL, TEST_SOURCE, build_test_catalog, markdown_text


def make(rid: str, **extra) -> Resource:
    values = dict(
        id=rid,
        name=f"Generated test {rid}",
        category="support_group",
        source=TEST_SOURCE,
        source_url=SOURCE_URL,
        as_of="2026-10-01",
    )
    values.update(extra)
    return Resource(**values)


RECORDS = [
    make(
        "evening",
        verification="unconfirmed",
        fellowship="AA",
        format="in_person",
        schedule=(Slot(1, "19:00", "20:00"),),
        city="Chicago",
        state="IL",
        zip="60614",
        latitude=41.9227,
        longitude=-87.6533,
        geocode_precision="zip",
    ),
    make(
        "zoom",
        fellowship="AA",
        format="online",
        coverage="national",
        schedule=(Slot(2, "12:00", "13:00"),),
        conference_url="https://example.invalid/join",
    ),
    make(
        "office",
        fellowship="AA",
        format="hybrid",
        coverage="national",
        website="https://example.invalid/finder",
    ),
]


def test_unconfirmed_meetings_inline_with_online_and_finders(tmp_path, monkeypatch):
    """A Tuesday-evening search near 60614 with no confirmed meeting still shows what a patient can act on."""
    db = build_test_catalog(tmp_path / "catalog.db", RECORDS)
    monkeypatch.setenv("AFTERCARE_CATALOG", str(db))
    for name in ("AFTERCARE_CURATOR_PASSWORD_HASH", "AFTERCARE_ONLINE"):
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    for key, value in {"near": "60614", "cat": "support_group", "day": "tue", "tod": "evening"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    headers = [h.value for h in at.subheader]
    assert "Not confirmed — check before going" in headers
    assert "Online meetings you can join from anywhere" in headers
    assert any(h.startswith("Find more meetings near 60614") for h in headers)
    text = markdown_text(at)
    assert "Generated test evening" in text and "Generated test zoom" in text
    assert "(https://example.invalid/finder)" in text
    assert any("No confirmed listing matches" in i.value for i in at.info)
    assert not any(i.value.startswith("Nothing matches") for i in at.info)


def test_care_plan_offers_the_nearest_naloxone_of_the_last_search(tmp_path, monkeypatch):
    """After a search near 60614, the care plan's overdose section offers the nearest naloxone point."""
    box = make(
        "box",
        category="harm_reduction",
        subcategory="naloxone_distribution_box",
        city="Chicago",
        state="IL",
        zip="60614",
        latitude=41.9227,
        longitude=-87.6533,
        geocode_precision="zip",
    )
    db = build_test_catalog(tmp_path / "catalog.db", [*RECORDS, box])
    monkeypatch.setenv("AFTERCARE_CATALOG", str(db))
    for name in ("AFTERCARE_CURATOR_PASSWORD_HASH", "AFTERCARE_ONLINE"):
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.query_params["near"] = "60614"
    at.run()
    at.switch_page("pages/care_plan.py")
    at.run()
    assert not at.exception
    offered = [b for b in at.button if b.label.startswith("Nearest free naloxone: Generated test box")]
    assert offered
    offered[0].click().run()
    assert "box" in at.session_state["referral_list"]
