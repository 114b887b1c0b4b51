"""Clearly generated test records (not real places or services) and a catalog file built from them.

Shared by the AppTest page tests, the browser tests and bench/app_bench.py. Every name says "Generated
test"; phone numbers use the 555-01xx range reserved for fiction; web addresses use the .invalid domain.
"""

from __future__ import annotations

import json
from pathlib import Path

from directory.catalog import Catalog
from directory.schema import Resource, Slot

TEST_SOURCE = "generated-test"
SOURCE_URL = "https://example.invalid/generated-test"
# (id suffix, kind, latitude, longitude, zip, city): points around real ZIP centres, no addresses.
PLACES = {
    "60614": (41.9227, -87.6533, "Chicago"),
    "62701": (39.8017, -89.6436, "Springfield"),
    "61820": (40.1106, -88.2073, "Champaign"),
}


def test_records() -> list[Resource]:
    """Eight generated listings: meetings in Chicago and Springfield, housing, treatment, an online meeting."""

    def make(n: int, kind: str, zip_code: str, **extra) -> Resource:
        lat, lon, city = PLACES[zip_code]
        offset = n * 0.002
        return Resource(
            id=f"test-{n}",
            name=extra.pop("name", f"Generated test {kind.replace('_', ' ')} {n}"),
            category=kind,
            source=TEST_SOURCE,
            source_url=SOURCE_URL,
            as_of="2026-01-15",
            city=city,
            state="IL",
            zip=zip_code,
            county="Cook" if zip_code == "60614" else "Sangamon" if zip_code == "62701" else "Champaign",
            latitude=round(lat + offset, 6),
            longitude=round(lon - offset, 6),
            geocode_precision="zip",
            phones=(f"312-555-01{n:02d}",),
            website=f"https://example.invalid/test-{n}",
            **extra,
        )

    return [
        make(
            1,
            "support_group",
            "60614",
            format="in_person",
            fellowship="AA",
            schedule=(Slot(1, "19:00", "20:00"),),
            languages=("en",),
        ),
        make(
            2,
            "support_group",
            "60614",
            format="in_person",
            fellowship="NA",
            schedule=(Slot(3, "10:00", "11:00"),),
            languages=("es",),
        ),
        make(
            3,
            "support_group",
            "60614",
            format="hybrid",
            fellowship="AA",
            schedule=(Slot(5, "18:30", "19:30"),),
            languages=("en",),
            accessibility=("wheelchair",),
        ),
        make(4, "recovery_housing", "60614", mat_friendly="yes", verification="unconfirmed"),
        make(
            5,
            "treatment",
            "60614",
            services=("outpatient",),
            moud_services=("buprenorphine",),
            payment=("medicaid",),
        ),
        make(
            6,
            "support_group",
            "62701",
            format="in_person",
            fellowship="AA",
            schedule=(Slot(0, "12:00", "13:00"),),
        ),
        make(7, "treatment", "61820", services=("residential",), payment=("private_insurance",)),
        make(
            8,
            "support_group",
            "62701",
            format="in_person",
            fellowship="SMART",
            schedule=(Slot(2, "20:00", "21:00"),),
            name="Generated test 8 & 5 < 7 [link](https://x.invalid) *stars*",
        ),
    ]


def build_test_catalog(path: Path, records: list[Resource] | None = None) -> Path:
    """Write the generated records into a fresh SQLite catalog at `path` and return the path."""
    with Catalog(path) as catalog:
        report = catalog.import_records(records or test_records(), source=TEST_SOURCE, save_report=False)
        assert report.ok, report.rejected
        catalog.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


REPO_ROOT = Path(__file__).resolve().parent.parent


def new_app(tmp_path: Path, monkeypatch, *, env: dict[str, str] | None = None):
    """An AppTest of app.py on a fresh generated catalog, offline, with curation off unless `env` sets it."""
    from streamlit.testing.v1 import AppTest

    db = build_test_catalog(tmp_path / "catalog.db")
    monkeypatch.setenv("AFTERCARE_CATALOG", str(db))
    for name in ("AFTERCARE_CURATOR_PASSWORD_HASH", "AFTERCARE_ONLINE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    return AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)


def card_lists(at) -> list[tuple[object, list[dict]]]:
    """Each group of result cards the page drew (components/result_list.py): its element and its cards, each
    card as the data the browser draws."""
    from components.result_list import NAME

    return [
        (element, json.loads(element.proto.json)["cards"])
        for element in at.get("bidi_component")
        if element.proto.component_name == NAME
    ]


def result_cards(at) -> list[dict]:
    """The result cards the page drew, every group's in order."""
    return [card for _, cards in card_lists(at) for card in cards]


def card_words(card: dict) -> str:
    """A card's words as one string: name, kind, distance, badges, lines, link labels and addresses, caption."""
    links = [f"{label} <{url}>" for label, url in card["links"]]
    badges = [text for text, _ in card["badges"]]
    return "\n".join(
        [card["name"], card["kind"], card["distance"], *badges, *card["lines"], *links, card["caption"]]
    )


def markdown_text(at) -> str:
    """Everything the page wrote as markdown or captions, and the result cards' words, one string (for `in`
    checks)."""
    return "\n".join([*(e.value for e in [*at.markdown, *at.caption]), *map(card_words, result_cards(at))])


def press_card(at, resource_id: str, action: str = "add", *, shown: bool = True):
    """Press "Add" (or follow "Details") on a result card, as the browser reports it: the cards' element
    sends a trigger event ({"event": action, "value": id}) with the next run. Returns the app after that run.
    `shown=False` sends it from the first cards element whatever the id (a stale or forged event)."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    for element, cards in card_lists(at):
        if resource_id in {c["id"] for c in cards} or (not shown and cards):
            states = at._tree.get_widget_states()
            trigger = states.widgets.add()
            trigger.id = _make_trigger_id(element.proto.id, "events")
            trigger.json_trigger_value = json.dumps([{"event": action, "value": resource_id}])
            return at._run(widget_state=states)
    raise AssertionError(f"no result card for {resource_id}")


def open_page(at, page: str, **params: str):
    """Run the app once, switch to `page` (e.g. "pages/details.py") with URL parameters, and run it."""
    at.run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def send_state(at, name: str, value: dict, missing: str):
    """Set the state of the page's first element of component `name` to `value`, as its browser side does
    with `setStateValue`, and run the page again. Returns the app after that run; `missing` is the failure
    message when the page drew no such element."""
    for element in at.get("bidi_component"):
        if element.proto.component_name == name:
            states = at._tree.get_widget_states()
            widget = next((w for w in states.widgets if w.id == element.proto.id), None)
            if widget is None:
                widget = states.widgets.add()
                widget.id = element.proto.id
            widget.json_value = json.dumps(value)
            return at._run(widget_state=states)
    raise AssertionError(missing)


def open_filters(at, is_open: bool = True):
    """Open (or with `is_open=False` close) the Find page's "Filters (n)" as the browser reports it: the
    element inside the expander (components/disclosure.py) sends {"open": ...} with the next run. Returns
    the app after that run; open, the filter panel is drawn."""
    from components.disclosure import NAME

    return send_state(at, NAME, {"open": is_open}, "no filter panel on this page")


def press_locate(at, *, lat=None, lon=None, error=None, value=None, ts: int | None = None):
    """Press "Use my location" as the browser reports the answer (components/locate.js): the button's element
    sets its state {"answer": {"lat", "lon", "ts"}} or {"answer": {"error", "ts"}} and the page runs again.
    `value` sends that answer as it is (a malformed one). Returns the app after that run."""
    import time

    from components.locate import NAME, STATE

    if value is None:
        value = {"error": error} if error is not None else {"lat": lat, "lon": lon}
        value["ts"] = ts if ts is not None else time.time_ns() // 1_000_000
    return send_state(at, NAME, {STATE: value}, 'no "Use my location" button on the page')
