"""Every page in the screen language of `?lang=`: no English UI sentence on a Spanish screen and no Spanish
one on an English screen; the browser's language as the default; the spoken-language filter's own parameter."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import pytest
from google.protobuf.message import Message

from directory import words
from directory.sources import credits_documents
from tests.app_catalog import markdown_text, new_app, open_filters, open_page
from tests.test_page_care_plan import PAGE as PLAN_PAGE
from tests.test_page_care_plan import RecordingStorage, downloaded

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
    "referral-list": ("pages/referral_list.py", {"ids": "test-1,test-5"}),
    "referral-list-empty": ("pages/referral_list.py", {}),
    "care-plan": ("pages/care_plan.py", {"list": "test-1,test-4,test-5"}),
    "catalog": ("pages/catalog.py", {}),
    "about": ("pages/about.py", {}),
}


@pytest.fixture
def app(tmp_path, monkeypatch):
    return new_app(tmp_path, monkeypatch)


COMPONENT_CODE = {"js_content", "css_content", "html_content", "js_source_path", "css_source_path"}


def json_words(value) -> list[str]:
    """The strings of a component's data a person reads (its ids left out)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, dict):
        return [w for k, v in value.items() if k != "id" for w in json_words(v)]
    if isinstance(value, list):
        return [w for v in value for w in json_words(v)]
    return []


def texts(at) -> list[str]:
    """Every string a person can read on the page: values, labels, help, options, placeholders, HTML."""
    found: list[str] = []

    def walk_proto(message: Message) -> None:
        for field, value in message.ListFields():
            if field.name in SKIP_FIELDS or field.name in COMPONENT_CODE:
                continue
            if field.name == "json" and isinstance(value, str):  # a component's data: the result cards
                found.extend(json_words(json.loads(value)))
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
    text = re.sub(r"<(style|script)>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"https?://\S+|tel:\S+|:material/\w+:|`[^`]*`", " ", text)  # addresses, icons, code
    text = re.sub(r"Generated test[^\n|—·]*", " ", text)  # the generated catalog's names
    text = re.sub(r"generated-test|example\.invalid|\b[0-9a-f]{16,}\b", " ", text)  # and hex ids
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


# --- the screen language and the spoken-language filter in the URL ---


@pytest.mark.parametrize(
    ("params", "languages"),
    [
        ({"speaks": "es"}, ("es",)),  # the filter's own parameter
        ({"speaks": "es,pl"}, ("es", "pl")),
        ({"speaks": "Polish"}, ("pl",)),  # a language's English name, as people type it
        ({"lang": "es"}, ()),  # the screen language: no filter
        ({"lang": "EN"}, ()),
        ({"lang": "pl"}, ("pl",)),  # an old link's filter that no screen speaks keeps its meaning
        ({"lang": "es,pl"}, ("es", "pl")),
        ({"lang": "Spanish"}, ("es",)),
        ({"lang": "es", "speaks": "pl"}, ("pl",)),  # both: Spanish screen, Polish-speaking listings
    ],
)
def test_lang_is_the_screen_and_speaks_the_filter(params, languages):
    """`speaks=` filters by spoken language; `lang=` with a screen language is no filter, any other
    value an old link carried stays the filter; nothing is noted as ignored."""
    from directory.search import Query

    query, notes = Query.from_params(params)
    assert query.languages == languages
    assert notes == []
    assert "lang" not in query.to_params()
    assert query.to_params().get("speaks", "") == ",".join(languages)


def find_page(app, **params):
    app.query_params.update(params)
    return app.run()


def test_the_filter_parameter_filters_the_find_page_and_keeps_the_screen_language(app):
    """?lang=es&speaks=es: a Spanish screen listing only the Spanish-speaking meeting; the URL keeps both."""
    at = find_page(app, lang="es", near="60614", speaks="es")
    text = markdown_text(at)
    assert "Generated test support group 2" in text
    assert "Generated test support group 1" not in text  # an English-speaking meeting is filtered out
    assert at.title[0].value == words.t("find.title", "es")
    assert at.query_params["lang"] == ["es"] or at.query_params["lang"] == "es"
    open_filters(at)
    assert at.multiselect(key="f_languages").value == ["es"]


def test_an_old_filter_link_keeps_its_meaning(app):
    """An old shared link ?lang=Spanish still lists Spanish-speaking meetings, now as speaks=es, on a
    screen in the browser's language."""
    at = find_page(app, near="60614", lang="Spanish")
    text = markdown_text(at)
    assert "Generated test support group 2" in text
    assert "Generated test support group 1" not in text
    assert at.title[0].value == words.t("find.title", "en")
    assert "speaks" in at.query_params and "lang" not in at.query_params


@pytest.mark.parametrize(
    ("header", "expected"),
    [("es-MX,es;q=0.9,en;q=0.8", "es"), ("en-US,en;q=0.9", "en"), ("fr-FR,es;q=0.5", "es"), ("", "en")],
)
def test_the_default_follows_the_browser(app, monkeypatch, header, expected):
    """With no ?lang=, the screen speaks the browser's first language the app speaks (Accept-Language)."""
    import streamlit as st

    class Headers(dict):
        def get(self, name, default=None):
            return super().get(name.lower(), default)

    real = type(st.context).headers
    monkeypatch.setattr(
        type(st.context), "headers", property(lambda self: Headers({"accept-language": header}))
    )
    at = app.run()
    monkeypatch.setattr(type(st.context), "headers", real)
    assert at.title[0].value == words.t("find.title", expected)
    assert "lang" not in at.query_params  # a default is not written into links the visitor shares


def test_the_sidebar_switch_changes_the_language_and_keeps_the_search_and_the_list(app):
    """Choosing Español in the sidebar reruns in Spanish with the same search and referral list, and puts
    lang=es in the address bar (AppTest keeps the sidebar's elements for a session's first run only, so
    the way back is in tests/browser/test_language_browser.py)."""
    at = find_page(app, near="60614", fel="NA", list="test-2")
    assert at.title[0].value == words.t("find.title", "en")
    at.segmented_control(key="lang_switch").set_value("es").run()
    assert at.session_state["screen_lang"] == "es"
    assert at.title[0].value == words.t("find.title", "es")
    assert at.query_params["lang"] in ("es", ["es"])
    assert at.text_input(key="f_place").value == "60614"
    open_filters(at)
    assert at.multiselect(key="f_fellowships").value == ["NA"]
    assert "test-2" in at.session_state["referral_list"].ids
    assert dict(at.query_params).get("list") in ("test-2", ["test-2"])


@pytest.mark.parametrize(
    ("query", "spanish"),
    [
        ({}, "Recursos"),
        ({"categories": ("support_group",), "place": "60614"}, "Grupos de apoyo a menos de 10 millas de 60614"),
        ({"categories": ("support_group",), "fellowships": ("NA",), "radius": 1, "place": "Cicero"},
         "Grupos de apoyo de NA a menos de 1 milla de Cicero"),
        ({"weekdays": (1, 3), "times_of_day": ("evening",)}, "Recursos, los martes o jueves, por la noche"),
        ({"languages": ("es", "pl")}, "Recursos, en español o polaco"),
        ({"payment": ("medicaid",), "mat_friendly": True, "verified_within_months": 6},
         "Recursos, que aceptan medicaid, que aceptan a personas que toman medicamentos para el trastorno "
         "por consumo de opioides, verificados en los últimos 6 meses"),
        ({"text": "café", "starting_within": 2.0}, "Recursos, que empiezan dentro de 2 horas, que contienen «café»"),
    ],
)  # fmt: skip
def test_the_search_sentence_in_spanish(query, spanish):
    """The sentence over the results reads Spanish, fields in the English sentence's order; English is unchanged."""
    from directory.query import describe_in
    from directory.search import Query, describe

    assert describe_in(Query(**query), lang="es") == spanish
    assert describe_in(Query(**query), lang="en") == describe(Query(**query))  # English as it always was


# --- the printout's language, chosen apart from the screen's (needs trrender's lang= on every renderer) ---


@pytest.fixture
def plan_page(tmp_db, monkeypatch):
    """The Care plan page alone over generated test records on the referral list, downloads recorded
    (as tests/test_page_care_plan.py's `page`)."""
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    from directory.catalog import Catalog
    from directory.referrals import ReferralList
    from tests.test_exports import make_records

    with Catalog(tmp_db) as catalog:
        assert catalog.import_records(make_records(), source="test").ok
    monkeypatch.setenv("AFTERCARE_CATALOG", str(tmp_db))
    RecordingStorage.files = {}
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    at = AppTest.from_file(PLAN_PAGE, default_timeout=30)
    picked = ReferralList()
    for record in make_records():
        picked.add(record.id)
    at.session_state["referral_list"] = picked
    return at.run()


def test_the_care_plan_prints_in_the_language_chosen_not_the_screens(plan_page):
    """An English screen prints the plan in Spanish when "Print in" says Español (Tuesday is "Martes" on
    the printout's schedule), and back in English; the screen stays English throughout."""
    at = plan_page
    assert at.radio(key="plan_print_lang").value == "en"  # default: the screen's language
    at.radio(key="plan_print_lang").set_value("es").run()
    at.button(key="make_printouts").click().run()
    assert not at.exception and not at.error
    html = downloaded(".html").decode("utf-8")
    assert "Martes" in html and "Tuesday" not in html
    assert at.title[0].value == words.t("plan.title", "en")
    at.radio(key="plan_print_lang").set_value("en").run()
    assert any(c.value == words.t("plan.stale", "en") for c in at.caption)  # Spanish printouts are now stale
    at.button(key="make_printouts").click().run()
    html = downloaded(".html").decode("utf-8")
    assert "Tuesday" in html and "Martes" not in html


def test_a_spanish_screen_prints_in_spanish_unless_told_otherwise(plan_page):
    """On a Spanish screen the printout's language starts as Spanish; English can be chosen for it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PLAN_PAGE, default_timeout=30)  # a new visit, on the fixture's catalog and list
    at.session_state["referral_list"] = plan_page.session_state["referral_list"]
    at.query_params["lang"] = "es"
    at.run()
    assert at.title[0].value == words.t("plan.title", "es")
    assert at.radio(key="plan_print_lang").value == "es"
    at.radio(key="plan_print_lang").set_value("en").run()
    at.button(key="make_printouts").click().run()
    assert not at.exception
    assert "Tuesday" in downloaded(".html").decode("utf-8")
    assert at.title[0].value == words.t("plan.title", "es")


def test_the_referral_list_offers_print_in_with_the_screen_language_first(app):
    """The Referral list page's "Print in" starts at the screen's language and can be changed without
    touching the screen's or the list."""
    at = open_page(app, "pages/referral_list.py", lang="es", ids="test-1,test-5")
    assert at.radio(key="list_print_lang").value == "es"
    at.radio(key="list_print_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == words.t("list.title", "es")
    assert list(at.session_state["referral_list"].ids) == ["test-1", "test-5"]


def test_an_old_filter_link_in_a_session_with_a_chosen_language(app):
    """A session that chose Spanish, then given an old link's lang=pl: the search filters by Polish
    (speaks=pl) and the screen stays Spanish."""
    at = find_page(app, lang="es")
    at.query_params.clear()
    at.query_params.update({"near": "60614", "lang": "pl"})
    at.run()
    assert at.title[0].value == words.t("find.title", "es")
    open_filters(at)
    assert at.multiselect(key="f_languages").value == ["pl"]
    assert at.query_params["speaks"] in ("pl", ["pl"])
