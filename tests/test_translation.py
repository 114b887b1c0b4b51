"""The Spanish catalog: every key and label translated, placeholders and links kept, lookups by language."""

import json
import logging
import re
import shutil
import threading

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from babel.support import Translations

from directory import translation, words
from directory.render.legend import MEETING_TYPES
from directory.schema import VOCABULARY_FIELDS

PAIRS = translation.plural_pairs(words.ENGLISH)  # "find.count" -> "find.count_one"
SINGULARS = set(PAIRS.values())
SENTENCE_KEYS = sorted(k for k in words.ENGLISH if k not in SINGULARS)
PO_PATH = translation.catalog_path("es")
# Sentences that are the same words in both languages: a value alone, a product or paper name.
SAME_IN_SPANISH = {
    "card.distance",
    "card.certainty",
    "meetings.finder_link",
    "export.xlsx",
    "plan.paper_a4",
    "plan.file_error",
    "subcategory.crisis",
}


@pytest.fixture(scope="module")
def spanish():
    """The committed Spanish catalog as Babel reads it, by msgctxt."""
    with PO_PATH.open("rb") as handle:
        catalog = read_po(handle)
    return {m.context: m for m in catalog if m.id}


def names(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)", text))


def link_targets(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text)


def code_spans(text: str) -> list[str]:
    return re.findall(r"`[^`]+`", text)


def bold_count(text: str) -> int:
    return text.count("**")


@pytest.mark.parametrize("key", SENTENCE_KEYS)
def test_every_key_has_a_spanish_entry_keeping_placeholders_and_markdown(key, spanish):
    """Each English sentence has a Spanish one for that very English, with the same {placeholders},
    link targets, `code` and bold marks; plural pairs have both forms."""
    message = spanish.get(key)
    assert message is not None, f"{key} has no entry in {PO_PATH.name}: run make i18n-update and translate it"
    assert not message.fuzzy, f"{key} is marked fuzzy: check the Spanish and remove the fuzzy flag"
    if key in PAIRS:
        english_forms = (words.ENGLISH[PAIRS[key]], words.ENGLISH[key])
        assert message.id == english_forms
        spanish_forms = message.string
    else:
        english_forms = (words.ENGLISH[key],)
        assert message.id == english_forms[0], f"{key}: the English changed since it was translated"
        spanish_forms = (message.string,)
    assert all(spanish_forms), f"{key} is not translated"
    for english, text in zip(english_forms, spanish_forms):
        assert names(text) == names(english), key
        assert link_targets(text) == link_targets(english), key
        assert code_spans(text) == code_spans(english), key
        assert bold_count(text) == bold_count(english), key
    for text in spanish_forms[len(english_forms) :]:  # further plural forms keep the plural's placeholders
        assert names(text) == names(english_forms[-1]), key


@pytest.mark.parametrize("key", SENTENCE_KEYS)
def test_t_speaks_spanish_for_every_key(key):
    """t(key, "es") reads the catalog (strict mode: a missing entry would raise) and never the English."""
    values = {name: "X" for name in words.placeholders(key)}
    spanish = words.t(key, "es", **values)
    assert spanish
    english = words.t(key, "en", **values)
    if key not in SAME_IN_SPANISH:
        assert spanish != english, (
            f"{key} reads the same in Spanish: translate it (or list it in SAME_IN_SPANISH)"
        )


@pytest.mark.parametrize(
    ("field_name", "value"),
    [(name, value) for name, vocabulary in VOCABULARY_FIELDS.items() for value in vocabulary.values()],
)
def test_every_vocabulary_value_has_a_spanish_label(field_name, value, spanish):
    """Every value of every vocabulary in schema.py has a Spanish label for its current English label."""
    message = spanish.get(f"{field_name}.{value}")
    assert message is not None and message.string and not message.fuzzy
    assert message.id == VOCABULARY_FIELDS[field_name](value).label
    assert words.vocab(field_name, value, "es") == message.string


def test_vocabulary_labels_in_english_are_unchanged():
    """vocab() without a language reads the schema's English labels, as before."""
    for name, vocabulary in VOCABULARY_FIELDS.items():
        for member in vocabulary:
            assert words.vocab(name, member.value) == member.label


@pytest.mark.parametrize("code", sorted(MEETING_TYPES))
def test_meeting_types_use_the_spanish_names_the_spec_ships(code, shared_data):
    """Meeting type names in Spanish are the Meeting Guide spec's own (types.json), code matched in any case."""
    types = json.loads((shared_data / "specs" / "meeting-guide" / "types.json").read_text(encoding="utf-8"))
    assert words.vocab("meeting_types", code, "es") == types[code]["es"]
    assert words.vocab("meeting_types", code.lower(), "es") == types[code]["es"]
    assert words.vocab("meeting_types", code, "en") == MEETING_TYPES[code]


def test_an_unknown_meeting_type_stays_as_written():
    """A code the spec does not define is shown as the code, in both languages, without a warning."""
    assert words.vocab("meeting_types", "ZZQ", "es") == "ZZQ"


def test_weekdays_and_languages_are_named_in_spanish():
    """Weekday labels come from CLDR ("Lunes"…"Domingo"); language codes are named in the reader's language."""
    spanish_days = [words.vocab("weekday", d, "es") for d in range(7)]
    assert spanish_days == ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"]
    assert [words.vocab("weekday", d) for d in range(7)][:2] == ["Monday", "Tuesday"]
    assert words.vocab("languages", "pl", "es") == "Polaco"
    assert words.vocab("languages", "es", "en") == "Spanish"


def test_subcategory_labels_in_english_read_as_cards_always_showed_them():
    """The English label of a kind of place is the value with spaces, as the cards printed it before."""
    for key, english in words.ENGLISH.items():
        if key.startswith("subcategory."):
            assert english == key.split(".", 1)[1].replace("_", " ")
    assert words.vocab("subcategory", "never_named_before") == "never named before"
    assert words.vocab("subcategory", "oxford_house", "es") == "Oxford House"


def test_crisis_lines_claim_spanish_only_where_a_source_says_so(spanish):
    """988 and SAMHSA's helpline say they offer Spanish, each with its source noted; the Illinois Helpline does not."""
    for key in ("crisis.988", "crisis.samhsa"):
        assert "español" in spanish[key].string
        assert any("Source" in c for c in spanish[key].user_comments), key
    assert "español" not in spanish["crisis.illinois"].string.lower()
    assert "espanol" not in spanish["crisis.illinois"].string.lower()


def test_plural_forms_follow_the_count():
    """count_words and t pick the singular or plural form by count in both languages."""
    assert words.count_words("find.count", 1) == "1 result"
    assert words.count_words("find.count", 3) == "3 results"
    assert words.count_words("find.count", 1, "es") == "1 resultado"
    assert words.count_words("find.count", 3, "es") == "3 resultados"
    assert words.count_words("find.count", 0, "es") == "0 resultados"
    assert words.t("find.count", "es", count=1) == "1 resultado"
    assert words.t("find.count_one", "es") == "1 resultado"
    assert words.t("find.count", count=1) == "1 results"  # English t() is byte-identical to before
    assert words.t("find.soon_hours", "es", hours="1") == "1 hora"  # the only placeholder is the count
    assert words.t("find.soon_hours", "es", hours="4") == "4 horas"
    assert words.count_words("find.soon_hours", 1) == "1 hour"
    assert words.count_words("find.soon_hours", 4, "es") == "4 horas"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", "es"),
        ("ES", "es"),
        ("es-MX", "es"),
        ("es_US", "es"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
        ("en-GB", "en"),
    ],
)
def test_language_tags_are_normalized(lang, expected):
    """A language tag reads as its base language; one the app does not speak reads as English."""
    assert translation.normalize(lang) == expected


def test_an_unknown_language_reads_english_without_a_warning(caplog):
    """t(key, "fr") is the English sentence and is not a missing translation."""
    with caplog.at_level(logging.WARNING):
        assert words.t("find.title", "fr") == words.ENGLISH["find.title"]
    assert not caplog.records


def test_the_page_language_applies_until_the_block_ends_and_an_explicit_one_wins():
    """using("es") makes t() speak Spanish, nests and restores; a renderer's explicit lang beats it."""
    english = words.ENGLISH["find.title"]
    assert words.t("find.title") == english
    with words.using("es") as lang:
        assert lang == "es"
        assert words.t("find.title") != english
        assert words.t("find.title", "en") == english
        with words.using("en"):
            assert words.t("find.title") == english
        assert words.language() == "es"
    assert words.t("find.title") == english
    assert words.language() == "en"


def test_two_sessions_in_two_threads_keep_their_own_language():
    """Each Streamlit session runs its script in a thread: one session's language never changes another's."""
    barrier = threading.Barrier(2)
    seen = {}

    def session(lang):
        words.set_language(lang)
        barrier.wait()  # both have set their language before either reads it
        seen[lang] = words.t("find.title")

    threads = [threading.Thread(target=session, args=(lang,)) for lang in ("es", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"es": words.t("find.title", "es"), "en": words.ENGLISH["find.title"]}
    assert words.language() == "en"


def test_a_missing_spanish_entry_reads_english_with_a_warning_and_fails_in_tests(monkeypatch, caplog):
    """A key without Spanish reads English and logs once; strict mode (the tests) raises instead."""
    monkeypatch.setitem(words.ENGLISH, "test.only_english", "Only in English, {name}")
    with pytest.raises(translation.MissingTranslation, match="test.only_english"):
        words.t("test.only_english", "es", name="A")
    with translation.lenient(), caplog.at_level(logging.WARNING):
        assert words.t("test.only_english", "es", name="A") == "Only in English, A"
        assert words.t("test.only_english", "es", name="B") == "Only in English, B"
    assert [r.getMessage() for r in caplog.records if "test.only_english" in r.getMessage()] == [
        "no es words for key test.only_english (no entry for this English in the catalog); reading English"
    ]


def test_a_changed_english_sentence_is_not_translated_by_its_old_spanish(monkeypatch):
    """The Spanish entry belongs to the English it translated: new English reads English until translated."""
    monkeypatch.setitem(words.ENGLISH, "find.title", "Find help near you")
    with translation.lenient():
        assert words.t("find.title", "es") == "Find help near you"


def test_unknown_keys_still_fall_back_to_the_key():
    """An unknown key is shown as itself in every language, as before."""
    assert words.t("no.such_key", "es") == "no.such_key"


def run_pybabel(*args: str) -> None:
    status = CommandLineInterface().run(["pybabel", "-q", *args])
    assert not status


def test_babel_extract_update_compile_cycle(tmp_path, repo_root):
    """pybabel extract lists every key; update of the committed catalog leaves nothing new, fuzzy or obsolete;
    compile makes a .mo whose gettext lookups give the Spanish."""
    pot = tmp_path / "messages.pot"
    run_pybabel("extract", "-F", str(repo_root / "babel.cfg"), "-o", str(pot), "--no-wrap", str(repo_root))
    with pot.open("rb") as handle:
        template = read_po(handle)
    contexts = {m.context for m in template if m.id}
    assert set(SENTENCE_KEYS) <= contexts
    assert not SINGULARS & contexts  # a singular is the first form of its pair's entry
    assert {f"{n}.{v}" for n, vocab in VOCABULARY_FIELDS.items() for v in vocab.values()} <= contexts
    assert {f"meeting_type.{code}" for code in MEETING_TYPES} <= contexts

    locales = tmp_path / "locales"
    target = locales / "es" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True)
    shutil.copy(PO_PATH, target)
    run_pybabel("update", "-i", str(pot), "-d", str(locales), "-D", "messages", "--no-wrap")
    with target.open("rb") as handle:
        updated = read_po(handle)
    untranslated = [
        m.context
        for m in updated
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    ]
    assert untranslated == [], "translate these in directory/locales/es/LC_MESSAGES/messages.po"
    assert not updated.obsolete, "these entries no longer match any English: remove or re-translate them"

    run_pybabel("compile", "-d", str(locales), "-D", "messages")
    compiled = Translations.load(str(locales), ["es"], "messages")
    assert compiled.pgettext("find.title", words.ENGLISH["find.title"]) == words.t("find.title", "es")
    assert compiled.npgettext("find.count", "1 result", "{count} results", 3) == "{count} resultados"
    assert compiled.npgettext("find.count", "1 result", "{count} results", 1) == "1 resultado"


def test_the_extraction_method_yields_key_as_context_and_english_as_msgid(repo_root):
    """extract_english gives (line, "pgettext", (key, English), comments) with the table's section as a comment."""
    with (repo_root / "directory" / "words.py").open("rb") as handle:
        found = list(translation.extract_english(handle, (), (), {}))
    by_key = {messages[0]: (funcname, messages, comments) for _, funcname, messages, comments in found}
    assert by_key["find.title"][:2] == ("pgettext", ("find.title", words.ENGLISH["find.title"]))
    assert "find page" in by_key["find.title"][2]
    assert by_key["find.count"][:2] == ("npgettext", ("find.count", "1 result", "{count} results"))
    assert "find.count_one" not in by_key


@pytest.mark.parametrize(
    ("asked", "browser", "expected"),
    [
        ("es", None, "es"),
        ("en", "es-MX,es;q=0.9", "en"),  # the link wins over the browser
        (None, "es-MX,es;q=0.9,en;q=0.8", "es"),
        (None, "fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4", "es"),  # the first language the app speaks
        (None, "en-US,en;q=0.9,es;q=0.8", "en"),
        (None, "es;q=0,en", "en"),  # q=0 means "not this one"
        ("fr", "es-US", "es"),  # a language the app does not speak falls back to the browser's
        (None, "es_US", "es"),  # a locale as Streamlit reports it
        (None, "", "en"),
        ("zz", "garbage;;q=x", "en"),
    ],
)
def test_the_visit_language_comes_from_the_link_then_the_browser(asked, browser, expected):
    """choose() takes ?lang= when the app speaks it, else the browser's preferred language it speaks, else English."""
    assert translation.choose(asked, browser) == expected


def test_language_names_in_english_match_the_search_sentence():
    """CLDR's English names agree with the names the search sentence uses for every code it knows."""
    from directory.query import LANGUAGE_NAMES

    assert {code: words.vocab("languages", code) for code in LANGUAGE_NAMES} == LANGUAGE_NAMES
