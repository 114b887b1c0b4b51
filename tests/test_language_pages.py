"""Every page in the screen language of `?lang=`: no English UI sentence on a Spanish screen and no Spanish
one on an English screen; the browser's language as the default; the spoken-language filter's own parameter."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from google.protobuf.message import Message

from directory.sources import credits_documents
from tests.app_catalog import new_app, open_page

# Proto fields that hold no words for a person: ids, keys, icons, addresses, styles, data.
SKIP_FIELDS = {
    "id", "form_id", "key", "icon", "url", "url_path", "page_script_hash", "page", "mime", "data",
    "deploy_params", "css", "arrow_data", "data_frame", "color", "type", "default", "format", "file_name",
    "query_string", "script_hash", "page_name", "component_name", "json_args", "spec", "theme", "src",
    "delta_path", "main_script_path", "label_visibility", "step", "min", "max", "accept_file",
}  # fmt: skip
# Words that read the same in both languages or are names: the app's name for a language, programme
# names, units, abbreviations, and the catalog's own words (generated test records, AA/NA, cities).
SAME_WORDS = {
    "english", "español", "espanol", "aa", "na", "smart", "moud", "mat", "il", "illinois", "chicago",
    "springfield", "champaign", "mi", "samhsa", "idhs", "supr", "pdf", "csv", "excel", "ics", "html",
    "json", "hsds", "geonames", "cc", "by", "zip", "otp", "fqhc", "lgbtq", "ok", "medicaid", "medicare",
    "a4", "tel", "www", "helpline", "lifeline", "openstreetmap", "leaflet",
}  # fmt: skip
# Common words of each language that the other does not use: one of them in a text is a sentence in it.
ENGLISH_WORDS = {
    "the", "and", "of", "to", "for", "with", "your", "you", "is", "are", "this", "that", "from", "within",
    "miles", "results", "resources", "search", "list", "add", "remove", "nothing", "call", "find", "near",
    "meeting", "meetings", "help", "what", "when", "where", "show", "shown", "here", "open", "close", "day",
    "days", "time", "yes", "no", "not", "or", "be", "it", "its", "these", "those", "will", "can", "has",
    "have", "any", "every", "listing", "listings", "print", "download", "plan", "file", "page", "source",
    "next", "previous", "back", "sort", "name", "filters", "clear", "map", "view", "details", "report",
}  # fmt: skip
# Names that Babel and our vocabularies translate: weekdays, months, times of day, language names.
ENGLISH_WORDS |= {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed",
    "thu", "fri", "sat", "sun", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "morning", "afternoon", "evening", "night",
    "spanish", "polish",
}  # fmt: skip
SPANISH_WORDS = {
    "el", "la", "los", "las", "del", "que", "su", "sus", "usted", "para", "con", "una", "por", "está",
    "están", "buscar", "lista", "reunión", "reuniones", "ayuda", "cerca", "aquí", "llame", "nada",
    "resultados", "vivienda", "tratamiento", "ninguna", "ningún", "también", "según", "día", "días",
    "quitar", "añadir", "agregar", "descargar", "imprimir", "fuente", "página", "mapa", "nombre",
}  # fmt: skip
# "no" is a word in both languages: a Spanish screen may say it.
ENGLISH_ONLY = ENGLISH_WORDS - {"no", "plan", "mi"}
SPANISH_ONLY = SPANISH_WORDS

PAGES = {
    "find": ("app.py", {"near": "60614"}),
    "find-empty": ("app.py", {"near": "60614", "r": "1", "day": "sun"}),
    "find-unknown-place": ("app.py", {"near": "99999"}),
    "details": ("pages/details.py", {"id": "test-1"}),
    "details-treatment": ("pages/details.py", {"id": "test-5"}),
    "referral-list": ("pages/referral_list.py", {"list": "test-1,test-5"}),
    "referral-list-empty": ("pages/referral_list.py", {}),
    "care-plan": ("pages/care_plan.py", {"list": "test-1,test-4,test-5"}),
    "catalog": ("pages/catalog.py", {}),
    "about": ("pages/about.py", {}),
}


@pytest.fixture
def app(tmp_path, monkeypatch):
    return new_app(tmp_path, monkeypatch)


def texts(at) -> list[str]:
    """Every string a person can read on the page: values, labels, help, options, placeholders, HTML."""
    found: list[str] = []

    def walk_proto(message: Message) -> None:
        for field, value in message.ListFields():
            if field.name in SKIP_FIELDS:
                continue
            items = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
            for item in items:
                if isinstance(item, Message):
                    walk_proto(item)
                elif isinstance(item, str) and item.strip():
                    found.append(item)

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            walk_proto(proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    # Not sentences for the screen: the leave-page guard's script, and the data-source notes of
    # data/SOURCES.md and static/SOURCES.md (written in English; a Spanish screen says so above them).
    documents = {d.strip() for d in credits_documents() if d}
    return [x for x in found if not x.lstrip().startswith("<script>") and x.strip() not in documents]


def readable(text: str) -> str:
    """The words of a text with markup, links, numbers, phone numbers and catalog test names taken out."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"https?://\S+|tel:\S+|:material/\w+:|`[^`]*`", " ", text)  # addresses, icons, code
    text = re.sub(r"Generated test[^\n|—·]*", " ", text)  # the generated catalog's names
    text = re.sub(r"generated-test|example\.invalid", " ", text)
    text = text.replace("\\", "")
    return re.sub(r"Meeting\s+Guide|Open\s+Referral|TSML\s+UI", " ", text)  # the standards' own names


def words_of(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", readable(text))} - SAME_WORDS


def run_page(app, page: str, params: dict[str, str], lang: str):
    if page == "app.py":
        app.query_params.update({"lang": lang, **params})
        return app.run()
    return open_page(app, page, lang=lang, **params)


@pytest.mark.parametrize("name", PAGES)
def test_a_spanish_screen_has_no_english_sentence(app, name):
    """With ?lang=es every text on the page (titles, navigation, crisis bar, sidebar, labels, help,
    messages) reads Spanish: no common English word is left outside proper names and catalog text."""
    page, params = PAGES[name]
    at = run_page(app, page, params, "es")
    assert not at.exception
    leaks = [(sorted(words_of(text) & ENGLISH_ONLY), text[:140]) for text in texts(at)]
    assert not [x for x in leaks if x[0]], "\n".join(f"{found} in {text!r}" for found, text in leaks if found)


@pytest.mark.parametrize("name", PAGES)
def test_an_english_screen_has_no_spanish_sentence(app, name):
    """With ?lang=en nothing on the page reads Spanish."""
    page, params = PAGES[name]
    at = run_page(app, page, params, "en")
    assert not at.exception
    leaks = [(sorted(words_of(text) & SPANISH_ONLY), text[:140]) for text in texts(at)]
    assert not [x for x in leaks if x[0]], "\n".join(f"{found} in {text!r}" for found, text in leaks if found)
