"""Dates, times, weekdays and numbers by language: Spanish from CLDR, English exactly as the app always printed."""

from datetime import date, datetime, timedelta

import pytest

from directory import dates, words
from directory.render import facts
from directory.schedule import TZ
from directory.schema import WEEKDAY_NAMES, Slot

ALL_MINUTES = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]


def test_english_times_are_byte_identical_to_the_printouts_for_every_minute():
    """time_words(…, "en") and words.clock print every minute of the day as the renderers' clock does."""
    for hhmm in ALL_MINUTES:
        assert dates.time_words(hhmm, "en") == facts.clock(hhmm)
        assert words.clock(hhmm) == facts.clock(hhmm)


@pytest.mark.parametrize(
    ("hhmm", "english", "spanish"),
    [
        ("19:00", "7:00 PM", "7:00 p. m."),
        ("09:05", "9:05 AM", "9:05 a. m."),
        ("12:00", "12:00 PM", "12:00 p. m."),
        ("00:30", "12:30 AM", "12:30 a. m."),
    ],
)
def test_times_by_language(hhmm, english, spanish):
    """7:00 PM in English, 7:00 p. m. in Spanish, with plain spaces."""
    assert dates.time_words(hhmm, "en") == english
    assert dates.time_words(hhmm, "es") == spanish
    assert "\u202f" not in dates.time_words(hhmm, "es") and "\xa0" not in dates.time_words(hhmm, "es")


@pytest.mark.parametrize("text", ["", "7pm", "25", "noon"])
def test_text_that_is_not_a_time_is_returned_as_given(text):
    """A time that cannot be read is shown as written, in both languages."""
    assert dates.time_words(text, "es") == text
    assert words.clock(text) == text


def test_dates_by_language():
    """'martes 2 de diciembre' / 'Tuesday, December 2'; with the year '2 de diciembre de 2025' / 'December 2, 2025'."""
    day = date(2025, 12, 2)
    assert dates.date_words(day, "es") == "martes 2 de diciembre"
    assert dates.date_words(day, "en") == "Tuesday, December 2"
    assert dates.long_date(day, "es") == "2 de diciembre de 2025"
    assert dates.long_date(day, "en") == "December 2, 2025"
    moment = datetime(2026, 6, 1, 19, 0, tzinfo=TZ)
    assert dates.datetime_words(moment, "es") == "1 de junio de 2026, 7:00 p. m."
    assert dates.datetime_words(moment, "en") == "June 1, 2026, 7:00 PM"


def test_english_long_dates_are_byte_identical_to_the_printouts():
    """long_date(…, "en") matches the renderers' 'June 1, 2026' for every day of two years."""
    day = date(2026, 1, 1)
    for _ in range(731):
        assert dates.long_date(day, "en") == facts.long_date(day)
        day += timedelta(days=1)


def test_weekday_names_by_language():
    """English keeps WEEKDAY_NAMES and its three-letter short form; Spanish has CLDR's names, lower case in a sentence."""
    assert [dates.weekday_name(d, "en") for d in range(7)] == list(WEEKDAY_NAMES)
    assert [dates.weekday_name(d, "en", "short") for d in range(7)] == [n[:3] for n in WEEKDAY_NAMES]
    assert [dates.weekday_name(d, "es") for d in range(7)] == [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ]
    assert dates.weekday_name(2, "es", "short") == "mié"
    assert dates.weekday_label(5, "es") == "Sábado"


def test_slots_by_language():
    """A weekly time reads 'Tuesday 7:00 PM–8:00 PM' / 'martes 7:00 p. m.–8:00 p. m.'; English as before."""
    slot = Slot(1, "19:00", "20:00")
    assert words.slot_words(slot) == "Tuesday 7:00 PM–8:00 PM"
    assert words.slot_words(slot, "es") == "martes 7:00 p. m.–8:00 p. m."
    assert words.slot_words(Slot(6, "09:30"), "es") == "domingo 9:30 a. m."
    for weekday in range(7):
        for start, end in (("07:15", "08:00"), ("18:00", ""), ("23:30", "00:30")):
            slot = Slot(weekday, start, end)
            assert words.slot_words(slot) == facts.slot_text(slot)


NOW = datetime(2026, 3, 3, 18, 0, tzinfo=TZ)  # a Tuesday


@pytest.mark.parametrize(
    ("start", "spanish"),
    [
        (datetime(2026, 3, 3, 19, 0, tzinfo=TZ), "hoy, 7:00 p. m."),
        (datetime(2026, 3, 4, 9, 30, tzinfo=TZ), "mañana, 9:30 a. m."),
        (datetime(2026, 3, 6, 12, 0, tzinfo=TZ), "viernes, 12:00 p. m."),
        (datetime(2026, 3, 3, 17, 45, tzinfo=TZ), "en curso (empezó: 5:45 p. m.)"),
    ],
)
def test_next_meeting_words_in_spanish(start, spanish):
    """The next start in Spanish, by argument or by the page's language; English stays as it was."""
    assert words.next_words(start, NOW, "es") == spanish
    with words.using("es"):
        assert words.next_words(start, NOW) == spanish
    assert "PM" in words.next_words(start, NOW) or "AM" in words.next_words(start, NOW)


def test_card_time_line_in_spanish():
    """when_text in Spanish: 'Próxima: hoy, 7:00 p. m.', 'Se reúne: martes …'."""
    from directory.schema import Resource

    base = Resource(
        id="test-1",
        name="Generated test",
        category="support_group",
        source="s",
        source_url="https://example.invalid",
        as_of="2026-01-01",
    )
    meeting = base.replace(schedule=(Slot(1, "19:00", "20:00"),))
    assert (
        words.when_text(meeting, datetime(2026, 3, 3, 19, 0, tzinfo=TZ), NOW, "es")
        == "Próxima: hoy, 7:00 p. m."
    )
    assert words.when_text(meeting, None, NOW, "es") == "Se reúne: martes 7:00 p. m.–8:00 p. m."
    assert words.kind_text(base.replace(subcategory="meeting"), "es") == "Grupo de apoyo · reunión"
    assert (
        words.kind_text(base.replace(subcategory="meeting")) == "Support group · Meeting"
    )  # subcategory_text


@pytest.mark.parametrize(("number", "text"), [(1234, "1,234"), (1234.5, "1,234.5"), (7, "7")])
def test_numbers_use_us_grouping_in_both_languages(number, text):
    """Readers live in Illinois: 1,234.5 in English and in Spanish (es_US), never 1.234,5."""
    assert dates.number_words(number, "en") == text
    assert dates.number_words(number, "es") == text


def test_language_names():
    """ISO 639-1 codes are named by CLDR in the reader's language; an unknown code stays as given."""
    assert dates.language_name("pl", "es") == "Polaco"
    assert dates.language_name("es", "es") == "Español"
    assert dates.language_name("pl", "en") == "Polish"
    assert dates.language_name("qq", "es") == "qq"
