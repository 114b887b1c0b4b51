"""Printouts and files in the patient's language, chosen apart from the screen's: the plan and the referral
list as PDF, print view, calendar, CSV and Excel in Spanish (and English), read back with pdftotext,
icalendar and openpyxl."""

import csv
import io
import re
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import icalendar
import pytest
from openpyxl import load_workbook

from directory import words
from directory.__main__ import main
from directory.catalog import Catalog
from directory.plans import plan_to_json
from directory.render import qr, spreadsheet
from directory.render.exports import export_referral_list
from directory.render.plan import render_plan_html, render_plan_ics, render_plan_pdf
from directory.schema import Resource
from directory.translation import language, using
from tests.test_exports import FORMULA, hostile, make_records
from tests.test_render_plan import plan_with_everything

GENERATED = datetime(2026, 12, 1, 9, 0)
STAMP = datetime(2026, 12, 1, 12, 0)
# Catalog text with accents and ñ: it prints as written, in either language.
ACCENTED = "Reunión de prueba Año Nuevo — Peñalosa"


def records() -> list[Resource]:
    """The generated test records, the first renamed with accents and ñ (example.org addresses only)."""
    first, *rest = make_records()
    return [replace(first, name=ACCENTED), *rest]


def spanish_plan():
    """The full test plan, its appointment on Tuesday, December 1, 2026 at 7 p.m."""
    plan = plan_with_everything()
    plan.appointments.items[0].when = "2026-12-01 19:00"
    return plan


def pdf_text(data: bytes, tmp_path: Path, name: str = "out.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def english_sentences() -> list[str]:
    """The fixed parts (15 characters or more) of every English sentence of the words table that has
    Spanish words of its own: none may show in a Spanish printout."""
    parts = []
    for key, english in words.ENGLISH.items():
        if words.t(key, "es", **{n: "\x00" for n in words.placeholders(key)}) == english:
            continue
        for part in re.split(r"\{\w+\}|\[|\]\([^)]*\)|\*\*|`", english):
            part = part.strip(" .,:;()—–-")
            if len(part) >= 15:
                parts.append(part)
    return parts


def assert_no_english(flat: str) -> None:
    found = [part for part in english_sentences() if part in flat]
    assert not found, f"English words-table sentences in a Spanish printout: {found[:5]}"


# --- the care plan ----------------------------------------------------------------------------------------


def test_spanish_plan_pdf_reads_spanish_with_accents_dates_crisis_lines_and_consent(tmp_path):
    """The Spanish plan PDF: Spanish headings, "martes 1 de diciembre de 2026, 7:00 p. m.", weekday
    names, the crisis lines and consent note in Spanish, catalog text as written, no English UI sentence."""
    data = render_plan_pdf(spanish_plan(), records(), lang="es")
    flat = pdf_text(data, tmp_path)
    assert flat.startswith("Plan de cuidado continuo para Test Patient")
    assert "¿Está en crisis? Llame al 988." in flat
    for heading in ("Datos del plan", "Próximas citas confirmadas", "Plan de seguridad", "Líneas de crisis"):
        assert heading in flat
    assert "martes 1 de diciembre de 2026, 7:00 p. m." in flat  # the appointment
    assert "Martes" in flat and "7:00 p. m.–8:00 p. m." in flat  # the weekly schedule
    assert "Viernes" in flat and "12:00 p. m." in flat
    assert ACCENTED in flat  # accents, ñ and the dash intact
    assert "señales de alerta" in flat
    # Crisis lines: Spanish service only where a cited source says so (988 and SAMHSA), never the Helpline.
    assert "988 Línea de Prevención del Suicidio y Crisis" in flat and "tiene opción en español" in flat
    assert "Línea Nacional de Ayuda de SAMHSA" in flat and "atiende en español" in flat
    helpline = flat.split("Línea de ayuda de Illinois para opioides y otras sustancias", 1)[1][:40]
    assert "833-234-6343" in helpline and "español" not in helpline
    for number in ("911", "988", "833-234-6343", "1-800-662-4357"):
        assert number in flat
    assert "42 CFR Parte 2" in flat and "consentimiento por escrito del paciente" in flat
    assert "Buen Samaritano" in flat
    assert "Llame antes de ir para confirmar" in flat
    assert "Página 1 de" in flat
    assert_no_english(flat)
    assert "Page 1 of" not in flat and "Tuesday" not in flat and "PM" not in flat


def test_spanish_plan_pdf_states_its_language():
    """The PDF's document language (/Lang) follows the printout's language."""
    assert b"/Lang (es-US)" in render_plan_pdf(spanish_plan(), records(), lang="es")
    assert b"/Lang (en-US)" in render_plan_pdf(spanish_plan(), records())


def test_spanish_plan_print_view_is_marked_spanish_and_escapes_catalog_text():
    """The print view says lang="es", reads Spanish and still escapes hostile catalog text."""
    page = render_plan_html(spanish_plan(), [*records(), hostile("<script>alert(1)</script>")], lang="es")
    assert '<html lang="es">' in page
    assert "<th>Día</th><th>Hora</th><th>Reunión</th><th>Dónde</th>" in page
    assert "Plan de seguridad" in page and "martes 1 de diciembre de 2026, 7:00 p. m." in page
    assert "<script>" not in page
    flat = re.sub(r"<[^>]+>", " ", page)
    assert_no_english(" ".join(flat.split()))


def test_an_english_printout_from_a_spanish_screen_and_the_other_way_round(tmp_path):
    """The printout's language is its argument, never the screen's: the same output from either screen,
    and the screen's language is back as it was afterwards."""
    plan, resources = spanish_plan(), records()
    english_pdf = pdf_text(render_plan_pdf(plan, resources), tmp_path, "en.pdf")
    spanish_pdf = pdf_text(render_plan_pdf(plan, resources, lang="es"), tmp_path, "es.pdf")
    english_html = render_plan_html(plan, resources)
    spanish_html = render_plan_html(plan, resources, lang="es")
    with using("es"):
        assert pdf_text(render_plan_pdf(plan, resources, lang="en"), tmp_path, "a.pdf") == english_pdf
        assert render_plan_html(plan, resources, lang="en") == english_html
        assert render_plan_html(plan, resources) == english_html  # no lang given: English, not the screen's
        assert language() == "es"
    with using("en"):
        assert pdf_text(render_plan_pdf(plan, resources, lang="es"), tmp_path, "b.pdf") == spanish_pdf
        assert render_plan_html(plan, resources, lang="es") == spanish_html
        assert language() == "en"
    assert "Continuing-care plan" in english_pdf and "Tuesday, December 1, 2026, 7:00 PM" in english_pdf
    assert "Plan de cuidado continuo" not in english_pdf
    assert any(part in english_pdf for part in english_sentences())  # so the Spanish check can fail
    assert "Continuing-care plan" not in spanish_pdf


def test_spanish_plan_calendar_has_spanish_event_text():
    """The first-30-days calendar in Spanish: SUMMARY, DESCRIPTION and the calendar's name in Spanish,
    marked LANGUAGE=es; the English calendar carries no LANGUAGE parameter."""
    cal = icalendar.Calendar.from_ical(render_plan_ics(spanish_plan(), records(), stamp=STAMP, lang="es"))
    assert str(cal["X-WR-CALNAME"]) == "Primeros 30 días"
    events = cal.walk("VEVENT")
    appointment = next(e for e in events if str(e["UID"]).startswith("appointment-"))
    assert str(appointment["SUMMARY"]) == "Cita: Test clinic"
    assert "Qué llevar: ID" in str(appointment["DESCRIPTION"])
    meeting = next(e for e in events if str(e["UID"]).startswith("test-meeting-a-"))
    assert str(meeting["SUMMARY"]) == ACCENTED
    description = str(meeting["DESCRIPTION"])
    assert "Grupo de apoyo" in description and "Conectarse: https://example.org/join/a" in description
    assert "Fuente: test-fixture" in description and "Llame antes de ir para confirmar" in description
    assert "Source:" not in description and "Call ahead" not in description
    assert meeting["SUMMARY"].params["LANGUAGE"] == "es"
    assert meeting["DESCRIPTION"].params["LANGUAGE"] == "es"
    english = render_plan_ics(spanish_plan(), records(), stamp=STAMP)
    assert b"LANGUAGE=" not in english and b"Appointment: Test clinic" in english


# --- the referral list ------------------------------------------------------------------------------------


def test_spanish_referral_list_pdf_reads_spanish(tmp_path):
    """The Spanish referral list PDF: title, count, date, labels, schedule, legend and footer in Spanish;
    catalog text as written; no English UI sentence."""
    data = export_referral_list(
        records(),
        "pdf",
        generated=GENERATED,
        lang="es",
        distances={"test-meeting-a": 2.345},
        origin_label="60000",
    )
    flat = pdf_text(data, tmp_path)
    assert flat.startswith("Lista de referencias")
    assert "3 recursos; lista hecha el 1 de diciembre de 2026." in flat
    assert "Distancias desde 60000." in flat and "a 2.3 millas de 60000" in flat
    assert "Horario: martes 7:00 p. m.–8:00 p. m.; viernes 12:00 p. m." in flat
    assert "Dónde: 1 Example Street, Testville, IL 60000 · también en línea" in flat
    assert ACCENTED in flat
    assert "Códigos de reunión usados arriba" in flat and "Abierta" in flat
    assert "Página 1 de 1" in flat
    # The longer Spanish footer wraps instead of running into the page number or being cut.
    assert (
        flat.count("Llame antes de ir para confirmar: los horarios, las direcciones y los teléfonos cambian.")
        == 2
    )
    assert b"/Lang (es-US)" in data
    assert_no_english(flat)
    assert "Schedule:" not in flat and "Tuesday" not in flat


def test_one_resource_is_counted_in_the_singular(tmp_path):
    """ "1 recurso" and "1 resource": the count's plural form follows the number."""
    one = records()[:1]
    assert "1 recurso;" in pdf_text(
        export_referral_list(one, "pdf", generated=GENERATED, lang="es"), tmp_path
    )
    html = export_referral_list(one, "html", generated=GENERATED).decode()
    assert "1 resource, made December 1, 2026." in html


def test_spanish_referral_list_print_view(tmp_path):
    """The print view of the list is marked lang="es" and reads Spanish."""
    page = export_referral_list(records(), "html", generated=GENERATED, lang="es").decode()
    assert '<html lang="es">' in page and "<h1>Lista de referencias</h1>" in page
    assert "<dt>Horario</dt>" in page and "<dt>Fuente</dt>" in page
    assert "datos del 1 de mayo de 2026" in page
    assert_no_english(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def test_spanish_referral_list_calendar():
    """The list's calendar file: Spanish event text and calendar name."""
    cal = icalendar.Calendar.from_ical(export_referral_list(records(), "ics", generated=GENERATED, lang="es"))
    assert str(cal["X-WR-CALNAME"]) == "Reuniones de la lista de referencias"
    description = str(cal.walk("VEVENT")[0]["DESCRIPTION"])
    assert "Códigos: O = Abierta" in description and "Teléfono: 555-0100" in description


def old_record() -> Resource:
    """A generated listing dated 2021: five years old on the export's date."""
    return Resource(
        id="test-old",
        name=FORMULA,
        category="treatment",
        source="samhsa",
        source_url="https://example.org/listing/old",
        as_of="2021-03-01",
        city='=HYPERLINK("https://example.org")',
        services=("outpatient", "detox"),
        payment=("medicaid", "sliding_fee"),
        phones=("555-0103",),
    )


def test_spanish_csv_has_spanish_headers_vocabulary_and_age_words_with_formulas_neutralised():
    """The Spanish CSV: Spanish header line and vocabulary, the verification column in freshness words,
    and every formula-looking cell still starts with an apostrophe."""
    data = export_referral_list([*records(), old_record()], "csv", generated=GENERATED, lang="es")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    assert header == list(spreadsheet.columns("es"))
    assert header[:3] == ["Nombre", "Tipo", "Subcategoría"] and "Confirmación" in header
    old = dict(zip(header, rows[-1]))
    assert old["Nombre"] == "'" + FORMULA
    assert old["Ciudad"].startswith("'=")
    assert old["Tipo"] == "Tratamiento"
    assert old["Confirmación"] == words.t("age.listing", "es", source="SAMHSA", year=2021, age="5 años")
    assert "5 años" in old["Confirmación"]
    assert "Medicaid" in old["Pago"] and "Ambulatorio" in old["Tipo de atención"]
    meeting = dict(zip(header, rows[1]))
    assert meeting["Horario"] == "martes 7:00 p. m.–8:00 p. m.; viernes 12:00 p. m."
    assert meeting["Confirmación"] == "Confirmado por test-fixture, mayo de 2026"
    assert ACCENTED == meeting["Nombre"]


def test_english_csv_verification_column_states_the_listings_age():
    """Issue 9: the English CSV's verification column says how old the listing is, as of the export's date."""
    data = export_referral_list([old_record()], "csv", generated=GENERATED)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(spreadsheet.COLUMNS)
    cell = dict(zip(rows[0], rows[1]))["Verification"]
    assert cell == "SAMHSA listing from 2021, 5 years old — not re-checked since; call ahead"


def test_spanish_excel_has_spanish_headers_and_only_text_cells():
    """The Spanish workbook: Spanish sheet name and header row, formulas neutralised, string cells only."""
    data = export_referral_list([*records(), old_record()], "xlsx", generated=GENERATED, lang="es")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Lista de referencias"
    header = [c.value for c in sheet[1]]
    assert header == list(spreadsheet.columns("es"))
    cells = [c for row in sheet.iter_rows() for c in row if c.value]
    assert all(c.data_type == "s" for c in cells)
    assert not [c.value for c in cells if str(c.value).startswith(("=", "+", "@"))]
    old = dict(zip(header, [c.value for c in sheet[sheet.max_row]]))
    assert old["Nombre"] == "'" + FORMULA and "años" in old["Confirmación"]


def test_english_files_from_a_spanish_screen_stay_english():
    """A clinician on the Spanish screen exporting in English gets the English headers and words."""
    with using("es"):
        data = export_referral_list(records(), "csv", generated=GENERATED)
    assert data == export_referral_list(records(), "csv", generated=GENERATED, lang="en")
    assert data.decode("utf-8-sig").startswith(",".join(spreadsheet.COLUMNS[:3]))


# --- issue 10: the phone in large type when there is no QR code -------------------------------------------


def no_qr_record() -> Resource:
    """A generated listing with a phone but no website and no join link: no QR code unless the app's
    public address is set."""
    return Resource(
        id="test-phone-only",
        name="Test phone-only clinic",
        category="treatment",
        source="test-fixture",
        source_url="https://example.org/listing/phone",
        as_of="2026-11-01",
        city="Testville",
        state="IL",
        phones=("(312) 555-0104", "555-0105"),  # 555-01xx: reserved for fiction
    )


def test_a_listing_without_a_qr_code_prints_its_phone_in_large_type(tmp_path, monkeypatch):
    """No AFTERCARE_PUBLIC_URL, no website or join link: the PDF and the print view carry "Call 555-0104"
    in large type (a tap-to-call link); a listing with a QR code does not."""
    monkeypatch.delenv(qr.PUBLIC_URL_ENV, raising=False)
    listing = [no_qr_record(), make_records()[0]]
    flat = pdf_text(export_referral_list(listing, "pdf", generated=GENERATED), tmp_path)
    assert "Call (312) 555-0104" in flat and "Call 555-0100" not in flat and "Call 555-0105" not in flat
    page = export_referral_list(listing, "html", generated=GENERATED).decode()
    assert page.count('class="call-large"') == 1
    assert '<p class="call-large"><a href="tel:+13125550104">Call <bdi>(312) 555-0104</bdi></a></p>' in page
    spanish = pdf_text(export_referral_list(listing, "pdf", generated=GENERATED, lang="es"), tmp_path)
    assert "Llame al (312) 555-0104" in spanish


def test_with_a_public_address_the_qr_code_replaces_the_large_phone(tmp_path, monkeypatch):
    """With AFTERCARE_PUBLIC_URL set every listing has a QR code, so no phone prints in large type."""
    monkeypatch.setenv(qr.PUBLIC_URL_ENV, "https://aftercare.example.org")
    page = export_referral_list([no_qr_record()], "html", generated=GENERATED).decode()
    assert 'class="call-large"' not in page and "<svg" in page
    assert "Call (312) 555-0104" not in pdf_text(
        export_referral_list([no_qr_record()], "pdf", generated=GENERATED), tmp_path
    )


def test_a_listing_without_qr_code_or_phone_prints_no_large_line(monkeypatch):
    """No phone and no QR code: the next-step words print as before, and nothing in large type."""
    monkeypatch.delenv(qr.PUBLIC_URL_ENV, raising=False)
    page = export_referral_list([replace(no_qr_record(), phones=())], "html", generated=GENERATED).decode()
    assert 'class="call-large"' not in page and "No phone listed" in page


# --- the command line -------------------------------------------------------------------------------------


def test_export_and_plan_commands_take_lang(tmp_db, tmp_path, capsys):
    """`export --lang es` and `plan render --lang es` write Spanish files; English stays the default."""
    with Catalog(tmp_db) as catalog:
        assert catalog.import_records(make_records(), source="test").ok
    ids = ",".join(r.id for r in make_records())
    out = tmp_path / "list.csv"
    assert (
        main(
            [
                "export",
                "--ids",
                ids,
                "--format",
                "csv",
                "--lang",
                "es",
                "--out",
                str(out),
                "--db",
                str(tmp_db),
            ]
        )
        == 0
    )
    assert out.read_bytes().decode("utf-8-sig").startswith("Nombre,Tipo,")
    assert main(["export", "--ids", ids, "--format", "csv", "--out", str(out), "--db", str(tmp_db)]) == 0
    assert out.read_bytes().decode("utf-8-sig").startswith("Name,Kind,")
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(plan_to_json(spanish_plan()))
    pdf, ics = tmp_path / "plan.pdf", tmp_path / "plan.ics"
    code = main(
        [
            "plan",
            "render",
            str(plan_file),
            "--pdf",
            str(pdf),
            "--ics",
            str(ics),
            "--lang",
            "es",
            "--db",
            str(tmp_db),
        ]
    )
    assert code == 0
    assert "Plan de cuidado continuo" in pdf_text(pdf.read_bytes(), tmp_path, "cli.pdf")
    assert b"SUMMARY;LANGUAGE=es:Cita: Test clinic" in ics.read_bytes()
    with pytest.raises(SystemExit):
        main(
            [
                "export",
                "--ids",
                ids,
                "--format",
                "csv",
                "--lang",
                "fr",
                "--out",
                str(out),
                "--db",
                str(tmp_db),
            ]
        )
    assert "invalid choice: 'fr'" in capsys.readouterr().err
