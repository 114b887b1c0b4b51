"""Spanish words for kinds of help, so that a text search typed in Spanish finds what its English words find.

The catalog's text (names, organizations, descriptions) is English as its sources wrote it. `expand`
turns "reunión en Aurora" into the typed text plus variants with the Spanish words replaced by the
English terms the catalog uses ("meeting en Aurora"); a search matches any of them. Accents and case
never matter: "reunion", "Reunión" and "REUNIÓN" are the same word, and so are "Elgín" and "Elgin".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """Spanish forms of one kind of help, the English terms for it, and the vocabulary value it names."""

    spanish: tuple[str, ...]
    english: tuple[str, ...]
    meaning: tuple[str, str] | None = None  # (field, value) of directory/schema.py, when it names one


# Written for this app: the words a patient or family member types. English terms are those the
# catalog's names and descriptions use (checked against data/catalog.db).
TERMS: tuple[Term, ...] = (
    Term(("reunion", "reuniones", "junta", "juntas"), ("meeting",), ("category", "support_group")),
    Term(("grupo de apoyo", "grupos de apoyo"), ("support group",), ("category", "support_group")),
    Term(("alcoholicos anonimos",), ("alcoholics anonymous",), None),
    Term(("narcoticos anonimos",), ("narcotics anonymous",), None),
    Term(("metadona",), ("methadone",), ("moud_services", "methadone")),
    Term(("buprenorfina", "suboxona"), ("buprenorphine", "suboxone"), ("moud_services", "buprenorphine")),
    Term(("naltrexona",), ("naltrexone", "vivitrol"), ("moud_services", "naltrexone")),
    Term(
        (
            "vivienda de recuperacion",
            "viviendas de recuperacion",
            "casa de recuperacion",
            "casas de recuperacion",
            "hogar de recuperacion",
            "hogares de recuperacion",
            "vivienda sobria",
            "casa sobria",
            "vivienda",
            "viviendas",
        ),
        ("recovery home", "sober living", "housing", "recovery residence"),
        ("category", "recovery_housing"),
    ),
    Term(("tratamiento", "tratamientos"), ("treatment",), ("category", "treatment")),
    Term(("desintoxicacion", "desintoxicar"), ("detox", "withdrawal management"), ("services", "detox")),
    Term(("ambulatorio", "ambulatoria", "ambulatorios"), ("outpatient",), ("services", "outpatient")),
    Term(("residencial", "residenciales"), ("residential",), ("services", "residential")),
    Term(("salud mental",), ("mental health",), ("services", "mental_health")),
    Term(("consejeria", "terapia", "asesoramiento"), ("counseling", "therapy"), None),
    Term(("naloxona",), ("naloxone", "narcan"), ("category", "harm_reduction")),
    Term(("reduccion de danos",), ("harm reduction",), ("category", "harm_reduction")),
    Term(("linea de crisis", "lineas de crisis"), ("crisis",), ("category", "crisis_line")),
    Term(("linea de ayuda", "lineas de ayuda"), ("helpline", "hotline"), None),
    Term(("centro de salud", "centros de salud"), ("health center",), ("category", "health_center")),
    Term(("clinica", "clinicas"), ("clinic",), None),
    Term(("mujeres", "mujer"), ("women",), ("populations", "women")),
    Term(("hombres", "hombre"), ("men",), ("populations", "men")),
    Term(("jovenes", "juventud", "adolescentes"), ("youth", "young"), ("populations", "youth")),
    Term(("veteranos", "veterano"), ("veterans",), ("populations", "veterans")),
    Term(("familia", "familias", "familiares"), ("family", "families"), ("populations", "families")),
    Term(
        ("espanol", "hispano", "hispana", "hispanos", "latino", "latina", "latinos"),
        ("spanish", "latino"),
        ("languages", "es"),
    ),
    Term(("medicamentos", "medicamento", "medicacion"), ("medication",), None),
    Term(("opioides", "opioide", "opiaceos"), ("opioid",), None),
    Term(("drogas", "droga"), ("drug",), None),
    Term(("recuperacion",), ("recovery",), None),
    Term(("gratis", "gratuito", "gratuita"), ("free",), ("payment", "free")),
)

# Little Spanish words that join the others ("reunión en Aurora para mujeres"); an English variant leaves
# them out, because every word of a text search must match and the catalog's English has none of them.
JOINING_WORDS = frozenset(
    "a al cerca con de del el en la las los para por que un una unos unas y o mi me".split()
)
MAX_VARIANTS = 8  # each variant is one more text search; a long Spanish sentence must not multiply them
_LONGEST = max(len(form.split()) for term in TERMS for form in term.spanish)
_BY_FORM = {form: term for term in TERMS for form in term.spanish}
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def accent_free(text: str) -> str:
    """Lower case without accents or ñ's tilde, as the search compares: "Reunión en Elgín" → "reunion en elgin"."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _spans(words: list[str]) -> list[tuple[int, int, Term]]:
    """(start, end, term) of each Spanish form in the words, longest forms first, never overlapping."""
    found, i = [], 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            term = _BY_FORM.get(" ".join(words[i : i + size]))
            if term is not None:
                found.append((i, i + size, term))
                i += size
                break
        else:
            i += 1
    return found


def expand(text: str, limit: int = MAX_VARIANTS) -> list[str]:
    """The typed text first, then up to `limit` - 1 variants with its Spanish words in English.

    expand("metadona") == ["metadona", "methadone"]; text without a Spanish term gives [text].
    """
    text = str(text or "")
    words = _WORD_RE.findall(accent_free(text))
    spans = _spans(words)
    if not spans:
        return [text]
    variants = [text]
    for choice in itertools.product(*(span[2].english for span in spans)):
        parts, last = [], 0
        for (start, end, _), english in zip(spans, choice):
            parts.extend(w for w in words[last:start] if w not in JOINING_WORDS)
            parts.append(english)
            last = end
        parts.extend(w for w in words[last:] if w not in JOINING_WORDS)
        variant = " ".join(parts)
        if variant not in variants:
            variants.append(variant)
        if len(variants) >= limit:
            break
    return variants


def meanings(text: str) -> list[tuple[str, str]]:
    """The vocabulary values the Spanish words name, in order: "metadona para mujeres" →
    [("moud_services", "methadone"), ("populations", "women")]. A search may offer them as filters."""
    seen: list[tuple[str, str]] = []
    for _, _, term in _spans(_WORD_RE.findall(accent_free(text))):
        if term.meaning and term.meaning not in seen:
            seen.append(term.meaning)
    return seen


def text_mask(index, text: str):
    """What `index.text_mask(text)` finds, or what any English variant of it finds (None: no word typed).

    `index` is a `directory.search.SearchIndex`; the search's filter masks call this in place of
    `index.text_mask` so that Spanish words find the listings their English words find.
    """
    masks = [m for m in (index.text_mask(v) for v in expand(text)) if m is not None]
    if not masks:
        return None
    combined = masks[0].copy()
    for mask in masks[1:]:
        combined |= mask
    return combined


def spanish_forms() -> Iterable[str]:
    """Every Spanish form the expansion knows (accent-free), for tests and documentation."""
    return tuple(_BY_FORM)
