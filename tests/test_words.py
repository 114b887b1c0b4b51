"""The translation layer and the card wording: every key the pages use exists, text is escaped."""

import re
from datetime import datetime
from pathlib import Path

import pytest

from directory import words
from directory.schedule import TZ
from directory.schema import Resource, Slot

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = [
    "app.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")),
]


def literal_keys(source: str) -> set[str]:
    return set(re.findall(r"\bt\(\s*\"([a-z_]+\.[a-z0-9_]+)\"", source))


@pytest.mark.parametrize("path", PAGE_FILES)
def test_every_literal_key_in_the_pages_has_words(path):
    """Each t("…") key written in a page exists in the English table."""
    keys = literal_keys((ROOT / path).read_text())
    assert keys, f"{path} uses no words at all"
    assert sorted(k for k in keys if k not in words.ENGLISH) == []


@pytest.mark.parametrize(
    "name",
    [
        "categories",
        "weekdays",
        "times_of_day",
        "starting_within",
        "formats",
        "fellowships",
        "subcategories",
        "populations",
        "languages",
        "payment",
        "moud_services",
        "verified_within_months",
    ],
)
def test_every_filter_has_a_label(name):
    """The Find page labels filters as find.<Query field>; each has words."""
    assert f"find.{name}" in words.ENGLISH


def test_placeholders_are_filled_and_unknown_keys_fall_back():
    """t() fills placeholders; an unknown key returns the key instead of failing."""
    assert words.t("find.count", count=3) == "3 results"
    assert words.placeholders("find.count") == {"count"}
    assert words.t("no.such_key") == "no.such_key"
    assert words.t("find.count") == "{count} results"


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("[x](https://evil.invalid)", "](https"),
        ("![img](https://evil.invalid/a.png)", "!["),
        ("*bold*", "*bold*"),
        (":red[alarm]", ":red["),
        ("<b>tag</b>", "<b>"),
        ("$x$", "$x$"),
    ],
)
def test_md_escapes_markdown(text, forbidden):
    """Catalog text cannot make links, images, emphasis, colour or HTML in markdown."""
    assert forbidden not in words.md(text)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.invalid/a_(b)", True),
        ("tel:+13125550101", True),
        ("javascript:alert(1)", False),
        ("https://example.invalid/a b", False),
        ("", False),
    ],
)
def test_md_link_accepts_only_safe_schemes(url, ok):
    """Links are made only for http(s), tel: and geo: URLs without spaces or quotes."""
    link = words.md_link("label", url)
    assert bool(link) is ok
    if ok:
        assert "(" not in link.split("](", 1)[1][:-1]


NOW = datetime(2026, 3, 3, 18, 0, tzinfo=TZ)  # a Tuesday


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime(2026, 3, 3, 19, 0, tzinfo=TZ), "today 7:00 PM"),
        (datetime(2026, 3, 4, 9, 30, tzinfo=TZ), "tomorrow 9:30 AM"),
        (datetime(2026, 3, 6, 12, 0, tzinfo=TZ), "Friday 12:00 PM"),
        (datetime(2026, 3, 3, 17, 45, tzinfo=TZ), "happening now (started 5:45 PM)"),
    ],
)
def test_next_meeting_words(start, expected):
    """The next start is said as today / tomorrow / a weekday, or as happening now."""
    assert words.next_words(start, NOW) == expected


def test_when_text_prefers_next_meeting_then_schedule_then_hours():
    """A card shows the next meeting, else the weekly times, else the opening hours."""
    base = Resource(
        id="test-1",
        name="Generated test",
        category="treatment",
        source="s",
        source_url="https://example.invalid",
        as_of="2026-01-01",
    )
    meeting = base.replace(schedule=(Slot(1, "19:00", "20:00"),))
    assert words.when_text(meeting, datetime(2026, 3, 3, 19, 0, tzinfo=TZ), NOW) == "Next: today 7:00 PM"
    assert words.when_text(meeting, None, NOW) == "Meets: Tuesday 7:00 PM–8:00 PM"
    assert words.when_text(base.replace(hours="Mon-Fri 9-5"), None, NOW) == "Hours: Mon-Fri 9-5"
    assert words.when_text(base, None, NOW) == ""


def test_a_count_is_written_with_digit_grouping_in_both_languages():
    t = words.t
    """ "100,000 results", not "100000 results"; small counts and other numbers are left as they are."""
    assert t("find.count", count=100_000) == "100,000 results"
    assert t("find.count", "es", count=100_000).startswith("100,000 ")
    assert t("find.count", count=12) == "12 results"
    assert "2026" in t("card.source", source="X", as_of="2026-01-15")
