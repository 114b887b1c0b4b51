"""Meeting Guide type codes and their plain-English meanings, for the legend under printed meeting lists.

The meanings are the English strings of the Meeting Guide spec's `types.json` (Code for Recovery, MIT licence),
copied from /work/shared/data/specs/meeting-guide/types.json; a code we do not know prints as itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from directory.schema import Resource

SOURCE = "Meeting Guide type codes (Code for Recovery, types.json, MIT licence)"

MEETING_TYPES: dict[str, str] = {
    "11": "11th Step Meditation",
    "12x12": "12 Steps & 12 Traditions",
    "A": "Secular",
    "ABSI": "As Bill Sees It",
    "AF": "Afrikaans",
    "AL": "Concurrent with Alateen",
    "AL-AN": "Concurrent with Al-Anon",
    "AM": "Amharic",
    "AR": "Arabic",
    "ASL": "American Sign Language",
    "B": "Big Book",
    "BA": "Babysitting Available",
    "BE": "Newcomer",
    "BG": "Bulgarian",
    "BI": "Bisexual",
    "BRK": "Breakfast",
    "C": "Closed",
    "CAN": "Candlelight",
    "CF": "Child-Friendly",
    "D": "Discussion",
    "DA": "Danish",
    "DB": "Digital Basket",
    "DD": "Dual Diagnosis",
    "DE": "German",
    "DR": "Daily Reflections",
    "EL": "Greek",
    "EN": "English",
    "FA": "Persian",
    "FF": "Fragrance Free",
    "FI": "Finnish",
    "FR": "French",
    "G": "Gay",
    "GR": "Grapevine",
    "H": "Birthday",
    "HE": "Hebrew",
    "HI": "Hindi",
    "HR": "Croatian",
    "HU": "Hungarian",
    "IS": "Icelandic",
    "ITA": "Italian",
    "JA": "Japanese",
    "KA": "Georgian",
    "KOR": "Korean",
    "L": "Lesbian",
    "LGBTQ": "LGBTQ",
    "LIT": "Literature",
    "LS": "Living Sober",
    "LT": "Lithuanian",
    "M": "Men",
    "MED": "Meditation",
    "ML": "Malayalam",
    "MT": "Maltese",
    "N": "Native American",
    "NB": "Non-Binary",
    "NDG": "Indigenous",
    "NE": "Nepali",
    "NL": "Dutch",
    "NO": "Norwegian",
    "O": "Open",
    "OUT": "Outdoor",
    "P": "Professionals",
    "POA": "Proof of Attendance",
    "POC": "People of Color",
    "POL": "Polish",
    "POR": "Portuguese",
    "PUN": "Punjabi",
    "RUS": "Russian",
    "S": "Spanish",
    "SEN": "Seniors",
    "SK": "Slovak",
    "SL": "Slovenian",
    "SM": "Smoking Permitted",
    "SP": "Speaker",
    "ST": "Step Study",
    "SV": "Swedish",
    "T": "Transgender",
    "TC": "Location Temporarily Closed",
    "TH": "Thai",
    "TL": "Tagalog",
    "TR": "Tradition Study",
    "TUR": "Turkish",
    "UK": "Ukrainian",
    "W": "Women",
    "X": "Wheelchair Access",
    "XB": "Wheelchair-Accessible Bathroom",
    "XT": "Cross Talk Permitted",
    "Y": "Young People",
}

UNKNOWN = "not a Meeting Guide code: ask the group what it means"

# Codes are matched without regard to case because feeds disagree ("lgbtq" vs "LGBTQ").
_BY_UPPER = {code.upper(): meaning for code, meaning in MEETING_TYPES.items()}


def meaning(code: str) -> str:
    """The English meaning of one type code, or the code itself when the spec does not define it."""
    return _BY_UPPER.get(code.strip().upper(), code)


def legend(resources: Iterable[Resource]) -> list[tuple[str, str]]:
    """(code, meaning) for every meeting type code the resources use, each once, sorted by code."""
    codes: dict[str, str] = {}
    for resource in resources:
        for code in resource.meeting_types:
            code = code.strip()
            if code and code.upper() not in codes:
                codes[code.upper()] = code
    return [(codes[key], _BY_UPPER.get(key, UNKNOWN)) for key in sorted(codes)]
