"""Dates, times, weekdays, numbers and language names said in the reader's language, from Babel's CLDR data.

English keeps the exact forms the app has always printed ("7:00 PM", "Tuesday", "June 1, 2026"), so
the English screens, exports and golden files do not change. Spanish follows CLDR's "es" patterns
("martes 2 de diciembre", "7:00 p. m."), with the United States' digit grouping ("1,234") because the
readers live in Illinois, where prices and counts are written that way.
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_decimal

from directory.schema import WEEKDAY_NAMES, Slot

# The Babel locale behind each language: words and patterns, and numbers.
_WORDS_LOCALE = {"en": "en_US", "es": "es"}
_NUMBER_LOCALE = {"en": "en_US", "es": "es_US"}
_DATE_PATTERN = {"en": "EEEE, MMMM d", "es": "EEEE d 'de' MMMM"}
_LONG_DATE_PATTERN = {"en": "MMMM d, y", "es": "d 'de' MMMM 'de' y"}
# CLDR writes "p.\u202fm." with a narrow no-break space; plain spaces keep the text the same in every
# output (CSV, calendar, PDF fonts without that character) and in tests.
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def _lang(lang: str | None) -> str:
    return lang if lang in _WORDS_LOCALE else "en"


def time_words(hhmm: str, lang: str | None = "en") -> str:
    """'19:00' → '7:00 PM' (en), '7:00 p. m.' (es); text that is not HH:MM is returned as given."""
    try:
        hours, minutes = (int(x) for x in str(hhmm).split(":"))
        moment = time(hours, minutes)
    except ValueError:
        return hhmm
    if _lang(lang) == "en":
        return f"{(hours % 12) or 12}:{minutes:02d} {'AM' if hours < 12 else 'PM'}"
    return format_time(moment, "h:mm a", locale=_WORDS_LOCALE[_lang(lang)]).translate(_SPACES)


def weekday_name(weekday: int, lang: str | None = "en", width: str = "wide") -> str:
    """Day 0 = Monday as it reads inside a sentence: 'Tuesday' / 'martes'; width "short": 'Tue' / 'mar'."""
    if _lang(lang) == "en":
        name = WEEKDAY_NAMES[weekday]
        return name[:3] if width == "short" else name
    names = get_day_names("abbreviated" if width == "short" else "wide", locale=_WORDS_LOCALE[_lang(lang)])
    return names[weekday]


def weekday_label(weekday: int, lang: str | None = "en", width: str = "wide") -> str:
    """The weekday standing alone (a filter choice, a table cell): 'Tuesday' / 'Martes'."""
    name = weekday_name(weekday, lang, width)
    return name[:1].upper() + name[1:]


def slot_words(slot: Slot, lang: str | None = "en") -> str:
    """'Tuesday 7:00 PM–8:00 PM' (en), 'martes 7:00 p. m.–8:00 p. m.' (es)."""
    end = f"–{time_words(slot.end, lang)}" if slot.end else ""
    return f"{weekday_name(slot.weekday, lang)} {time_words(slot.start, lang)}{end}"


def date_words(day: date | datetime, lang: str | None = "en") -> str:
    """The day with its weekday: 'Tuesday, December 1' (en), 'martes 1 de diciembre' (es)."""
    code = _lang(lang)
    return format_date(day, _DATE_PATTERN[code], locale=_WORDS_LOCALE[code])


def long_date(day: date | datetime, lang: str | None = "en") -> str:
    """The day with its year: 'June 1, 2026' (en), '1 de junio de 2026' (es)."""
    code = _lang(lang)
    return format_date(day, _LONG_DATE_PATTERN[code], locale=_WORDS_LOCALE[code])


_FULL_DATE_PATTERN = {"en": "EEEE, MMMM d, y", "es": "EEEE d 'de' MMMM 'de' y"}


def full_date(day: date | datetime, lang: str | None = "en") -> str:
    """The day with its weekday and year: 'Tuesday, December 1, 2026' (en), 'martes 1 de diciembre de 2026' (es)."""
    code = _lang(lang)
    return format_date(day, _FULL_DATE_PATTERN[code], locale=_WORDS_LOCALE[code])


def month_year(day: date | datetime, lang: str | None = "en") -> str:
    """The month with its year: 'June 2026' (en), 'junio de 2026' (es)."""
    code = _lang(lang)
    if code == "en":
        return f"{day:%B %Y}"
    return format_date(day, "MMMM 'de' y", locale=_WORDS_LOCALE[code])


def datetime_words(moment: datetime, lang: str | None = "en") -> str:
    """'June 1, 2026, 7:00 PM' (en), '1 de junio de 2026, 7:00 p. m.' (es)."""
    return f"{long_date(moment, lang)}, {time_words(f'{moment:%H:%M}', lang)}"


def number_words(number: float, lang: str | None = "en") -> str:
    """A number with digit grouping: 1234.5 → '1,234.5' in both languages (US usage)."""
    return format_decimal(number, locale=_NUMBER_LOCALE[_lang(lang)])


def language_name(code: str, lang: str | None = "en") -> str:
    """An ISO 639-1 code named in `lang`: 'pl' → 'Polish' / 'Polaco'; an unknown code stays as given."""
    name = Locale.parse(_WORDS_LOCALE[_lang(lang)]).languages.get(str(code).lower())
    if not name:
        return str(code)
    return name[:1].upper() + name[1:]


def language_in_sentence(code: str, lang: str | None = "en") -> str:
    """An ISO 639-1 code named as it reads inside a sentence, in the case CLDR writes it there: 'pl' →
    'Polish' (en), 'polaco' (es); an unknown code stays as given."""
    return Locale.parse(_WORDS_LOCALE[_lang(lang)]).languages.get(str(code).lower()) or str(code)
