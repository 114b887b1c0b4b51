"""The reader's language and the gettext catalogs that hold every language but English.

English is the source: the `ENGLISH` table of `directory/words.py`, the vocabulary labels of
`directory/schema.py` and the Meeting Guide type names of `directory/render/legend.py`. Each other
language is one standard catalog, `directory/locales/<lang>/LC_MESSAGES/messages.po`, with one entry per
key: the key is the msgctxt and the English sentence the msgid, so an entry whose English has since
changed is no longer used (it reads English until a translator checks it). The catalogs are read with
Babel's `read_po` when first needed; no compiled .mo file is needed to run.

The Babel extraction methods at the end make `pybabel extract -F babel.cfg` (`make i18n-extract`) list
those English sources in `directory/locales/messages.pot`.
"""

from __future__ import annotations

import ast
import functools
import gettext
import logging
import os
import re
import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

ENGLISH = "en"
LANGUAGES = ("en", "es")  # the languages the app speaks; English first
LANGUAGE_NAMES = {"en": "English", "es": "Español"}  # each language in its own words, for the switch
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
# Set to 1 (the tests do) to make a missing or unusable translation raise instead of reading English.
STRICT_ENV = "AFTERCARE_STRICT_TRANSLATIONS"

# A page sets the language for its run (each Streamlit session runs its script in a thread of its own,
# and a thread starts with its own context); renderers take it as an argument instead.
_current: ContextVar[str] = ContextVar("aftercare_language", default=ENGLISH)


class MissingTranslation(LookupError):
    """A sentence has no usable entry in a language's catalog (raised only in strict mode)."""


def normalize(lang: object) -> str:
    """The app's code for a language tag: "es", "ES", "es-MX", "es_US" → "es"; anything unknown → "en"."""
    if lang in LANGUAGES:
        return lang
    code = re.split(r"[-_]", str(lang or "").strip(), maxsplit=1)[0].lower()
    return code if code in LANGUAGES else ENGLISH


def choose(asked: object = None, accept_language: object = None) -> str:
    """The language for a visit: the link's `?lang=` when the app speaks it, else the browser's first
    language the app speaks (an Accept-Language header or a locale such as "es-US"), else English."""
    if asked and normalize(asked) == str(asked).strip().lower()[:2]:
        return normalize(asked)
    tags = []
    for position, part in enumerate(str(accept_language or "").split(",")):
        tag, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            quality = 0.0
        if tag and quality > 0:
            tags.append((-quality, position, tag))
    for _, _, tag in sorted(tags):
        if tag.split("-")[0].split("_")[0].lower() in LANGUAGES:
            return normalize(tag)
    return ENGLISH


def language(lang: object = None) -> str:
    """The language to use: `lang` when given (normalized), else the one the running page set."""
    return normalize(lang) if lang else _current.get()


def set_language(lang: object) -> Token:
    """Make `lang` the language of everything that follows in this context (a page calls it first)."""
    return _current.set(normalize(lang))


@contextmanager
def using(lang: object) -> Iterator[str]:
    """`with using("es"): ...` speaks Spanish inside the block and restores the language after it."""
    token = set_language(lang)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


_strict_override: bool | None = None


def strict() -> bool:
    """Whether a missing translation raises `MissingTranslation` (tests) or logs and reads English."""
    if _strict_override is not None:
        return _strict_override
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


@contextmanager
def lenient() -> Iterator[None]:
    """Within the block a missing translation only logs a warning, even when strict mode is on."""
    global _strict_override
    before, _strict_override = _strict_override, False
    try:
        yield
    finally:
        _strict_override = before


_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def missing(lang: str, key: str, why: str) -> None:
    """Say once per key that `lang` has no usable words for it; raise instead in strict mode."""
    message = f"no {lang} words for key {key} ({why}); reading English"
    if strict():
        raise MissingTranslation(message)
    with _warned_lock:
        if (lang, key) in _warned:
            return
        _warned.add((lang, key))
    log.warning(message)


# catalogs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One translated entry: the English it translates, and its words (a tuple for plural forms)."""

    english: str
    words: str | tuple[str, ...]
    english_plural: str = ""


@dataclass(frozen=True)
class Messages:
    """A language's usable entries by (key, English) and its plural rule (count → form index)."""

    entries: dict[tuple[str, str], Entry]
    plural_index: Any

    def lookup(self, key: str, english: str) -> Entry | None:
        return self.entries.get((key, english))


def catalog_path(lang: str, root: Path = LOCALES_DIR) -> Path:
    """Where the gettext catalog of a language lives."""
    return root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


_loaded: dict[tuple[str, Path], Messages] = {}
_load_lock = threading.Lock()


def messages(lang: str, root: Path = LOCALES_DIR) -> Messages:
    """The usable entries of a language's catalog, read once: fuzzy and untranslated entries are left out."""
    key = (lang, root)
    found = _loaded.get(key)
    if found is not None:
        return found
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = _read(catalog_path(lang, root))
        return _loaded[key]


def reload() -> None:
    """Forget the catalogs read so far (after a translator edited a .po file in a running process)."""
    with _load_lock:
        _loaded.clear()
    with _warned_lock:
        _warned.clear()


def _read(path: Path) -> Messages:
    if not path.is_file():
        log.warning("no catalog at %s: that language reads English", path)
        return Messages({}, lambda n: 0 if n == 1 else 1)
    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    entries: dict[tuple[str, str], Entry] = {}
    for message in catalog:
        if not message.id or message.fuzzy or not message.context:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(message.string or ())
            if forms and all(forms):
                entries[(message.context, message.id[0])] = Entry(message.id[0], forms, message.id[1])
        elif message.string:
            entries[(message.context, message.id)] = Entry(message.id, message.string)
    return Messages(entries, gettext.c2py(catalog.plural_expr))


def translate(key: str, english: str, lang: str) -> str | None:
    """The words of `key` in `lang` when its catalog translates this very English; None otherwise."""
    entry = messages(lang).lookup(key, english)
    if entry is None or not isinstance(entry.words, str):
        return None
    return entry.words


def translate_plural(key: str, english_one: str, count: int, lang: str) -> str | None:
    """The plural form of `key` for `count` in `lang` (gettext plural rules); None when not translated."""
    table = messages(lang)
    entry = table.lookup(key, english_one)
    if entry is None or isinstance(entry.words, str):
        return None
    index = int(table.plural_index(abs(int(count))))
    return entry.words[min(index, len(entry.words) - 1)]


def sentence(key: str, table: dict[str, str], lang: str, count: object = None) -> str:
    """`table[key]` in `lang`: the catalog's words for this very English, else the English (see `missing`).

    A pair "x" / "x_one" is one plural entry: "x_one" is its form for 1, "x" its form for `count`.
    A plural form may leave out {count} ("1 resultado"); no form may ask for a value the English lacks.
    """
    english = table[key]
    base = (
        key[: -len(PLURAL_SUFFIX)]
        if key.endswith(PLURAL_SUFFIX) and key[: -len(PLURAL_SUFFIX)] in table
        else key
    )
    one = base + PLURAL_SUFFIX
    plural = one in table
    if plural:
        found = translate_plural(base, table[one], 1 if key == one else _as_count(count), lang)
    else:
        found = translate(key, english, lang)
    if found is None:
        missing(lang, key, "no entry for this English in the catalog")
        return english
    expected = placeholder_names(english)
    if not (placeholder_names(found) <= expected if plural else placeholder_names(found) == expected):
        missing(lang, key, "its placeholders differ from the English")
        return english
    return found


@functools.lru_cache(maxsize=4096)
def placeholder_names(text: str) -> frozenset[str]:
    """The {names} a sentence expects."""
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)
    except ValueError:
        return frozenset({"(unreadable braces)"})


def _as_count(value: object) -> int:
    try:
        return int(str(value).replace(",", ""))
    except ValueError:
        return 2  # no count given: the plural form


# Babel extraction methods (named in babel.cfg) -----------------------------------------------------

PLURAL_SUFFIX = "_one"


def plural_pairs(table: dict[str, str]) -> dict[str, str]:
    """{"find.count": "find.count_one"}: keys whose `_one` sibling is the singular of the same sentence."""
    return {
        key[: -len(PLURAL_SUFFIX)]: key
        for key in table
        if key.endswith(PLURAL_SUFFIX) and key[: -len(PLURAL_SUFFIX)] in table
    }


def _dict_literal(source: str, name: str) -> list[tuple[int, str, str]]:
    """(line, key, English) of every entry of the module-level dict `name` in Python source."""
    tree = ast.parse(source)
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == name and isinstance(node.value, ast.Dict):
            return [
                (k.lineno, ast.literal_eval(k), ast.literal_eval(v))
                for k, v in zip(node.value.keys, node.value.values)
                if k is not None
            ]
    raise ValueError(f"no dict literal named {name} in this file")


def _section_comments(source: str) -> dict[int, str]:
    """Line → the last `# comment` line above it inside the table (the section a key belongs to)."""
    current, found = "", {}
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            current = stripped.lstrip("#").strip(" -")
        found[number] = current
    return found


def _placeholder_note(*texts: str) -> list[str]:
    names = sorted({m for text in texts for m in re.findall(r"\{(\w+)", text)})
    return [f"Keep the placeholders exactly: {', '.join('{' + n + '}' for n in names)}"] if names else []


def extract_english(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for words.py: each ENGLISH entry as pgettext(key, English).

    A pair "x" / "x_one" is one plural entry, npgettext("x", English of x_one, English of x).
    """
    source = fileobj.read().decode("utf-8")
    entries = _dict_literal(source, "ENGLISH")
    table = {key: english for _, key, english in entries}
    pairs = plural_pairs(table)
    singulars = set(pairs.values())
    sections = _section_comments(source)
    for lineno, key, english in entries:
        if key in singulars:
            continue
        comments = [c for c in (sections.get(lineno, ""),) if c]
        if key in pairs:
            one = table[pairs[key]]
            comments.append(f"Plural: the first form is {pairs[key]}")
            yield lineno, "npgettext", (key, one, english), comments + _placeholder_note(one, english)
        else:
            yield lineno, "pgettext", (key, english), comments + _placeholder_note(english)


def extract_vocabularies(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for schema.py: each vocabulary label as pgettext("<field>.<value>", label)."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    fields: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "VOCABULARY_FIELDS":
            for k, v in zip(node.value.keys, node.value.values):
                fields.setdefault(v.id, []).append(ast.literal_eval(k))
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name not in fields:
            continue
        for item in node.body:
            if isinstance(item, ast.Assign) and isinstance(item.value, ast.Tuple):
                value, label = (ast.literal_eval(e) for e in item.value.elts)
                for field_name in fields[node.name]:
                    note = f"A {field_name} value, shown as a label or filter choice"
                    yield item.lineno, "pgettext", (f"{field_name}.{value}", label), [note]


def extract_meeting_types(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for render/legend.py: each Meeting Guide type as pgettext("meeting_type.<code>", name)."""
    source = fileobj.read().decode("utf-8")
    for lineno, code, english in _dict_literal(source, "MEETING_TYPES"):
        note = "Meeting Guide type name; the Meeting Guide spec's types.json has a Spanish name for it"
        yield lineno, "pgettext", (f"meeting_type.{code}", english), [note]
