"""The treatment catalog built from the shared SAMHSA, CMS and crisis-line files (issue 9, items 1–3 and 6).

Each measured case of the issue is checked by record id on a catalog built into tmp_path; the bad-input
cases use small generated files.
"""

from __future__ import annotations

import json
import re

import pytest

from directory import duplicates, geo, phones
from directory.catalog import Catalog
from directory.commands import build_cmd, duplicates_cmd
from directory.importers import cms_otp, crisis_lines, samhsa, samhsa_border

INGESTED = "2026-11-27"


@pytest.fixture(scope="module")
def built(tmp_path_factory, shared_data):
    """A catalog built from ../shared/data, its records by id and its build report."""
    out = tmp_path_factory.mktemp("catalog")
    report = build_cmd.build(shared_data, out, INGESTED)
    with Catalog(out / "catalog.db", readonly=True) as catalog:
        records = catalog.records()
    return {r.id: r for r in records}, report


def at(records, street_start: str, zip5: str):
    return [r for r in records.values() if r.address.startswith(street_start) and r.zip == zip5]


# ---- 1. counted once, kept apart when distinct -------------------------------------------------------


def test_named_duplicates_are_one_record(built):
    """The CTCC clinic at 1849 S Cicero and the three Great Heights listings at 1473 Ring Rd are one record each."""
    records, _ = built
    ctcc = at(records, "1849 South Cicero", "60804")
    assert [r.id for r in ctcc] == ["samhsa-chicago-treatment-1849-s-599e0148a9"]
    assert "samhsa-chicago-treatment-counse-bd7ac1a70d" not in records
    assert ctcc[0].name == "Chicago Treatment and Counseling Centers Inc III (CTCC)"
    heights = at(records, "1473 Ring", "60409")
    assert len(heights) == 1 and heights[0].subcategory == "opioid_treatment_program"
    assert not [r for r in records.values() if r.id.startswith("samhsa-great-heights") and r.zip == "60409"][
        1:
    ]


@pytest.mark.parametrize(
    "street, zip5",
    [
        ("10257 State Route 3", "62278"),
        ("104 Northtown", "62286"),
        ("115 East Stacey", "62233"),
        ("109 West Elm", "62271"),
    ],
)
def test_comwell_keeps_its_new_name_and_human_service_center_as_alias(built, street, zip5):
    """ComWell and its former name Human Service Center are one record at each of their four addresses."""
    records, _ = built
    here = at(records, street, zip5)
    assert len(here) == 1
    assert here[0].name.startswith("ComWell")
    assert "Human Service Center" in here[0].aliases


@pytest.mark.parametrize(
    "street, zip5",
    [("229 North Hammes", "60435"), ("28373 Davis", "60555"), ("11925 South Harlem", "60463"),
     ("1460 Market", "60016"), ("3934 North Lincoln", "60613")],
)  # fmt: skip
def test_symetria_keeps_its_name_and_soft_landing_as_alias(built, street, zip5):
    """Symetria Recovery and Soft Landing Interventions (its operator's name) are one OTP record per site."""
    records, _ = built
    here = at(records, street, zip5)
    assert len(here) == 1
    assert here[0].name.startswith("Symetria Recovery")
    assert any(a.startswith("Soft Landing Interventions") for a in here[0].aliases)
    assert "opioid_treatment_program" in here[0].services


def test_haymarket_programmes_stay_apart(built):
    """Haymarket's residential, detox and women's programmes are separate records, each with its own name."""
    records, _ = built
    haymarket = [r for r in records.values() if r.name.startswith("McDermott Center/Haymarket Ctr")]
    names = {r.name.split(" – ", 1)[1] for r in haymarket}
    assert {"Womens Residential Treatment", "Mens Residential Treatment", "Womens Medical Detox",
            "Mens Medically Monitored Detox", "Womens Integrated Trt (WIT)", "Outpatient"} <= names  # fmt: skip
    assert records["samhsa-mcdermott-ctr-haymarket-672c7196a5"].name.endswith("– Outpatient")
    detox = [r for r in haymarket if "Detox" in r.name]
    assert all("detox" in r.services for r in detox)
    assert not any("residential" in r.services for r in detox)


def test_loretto_hospital_units_stay_apart(built):
    """Loretto's behavioural-health unit and its addiction centre at 645 S Central are two records."""
    records, _ = built
    here = at(records, "645 South Central", "60644")
    assert sorted(r.name for r in here) == [
        "Loretto Hospital – Addiction Center",
        "Loretto Hospital – Behavioral Health Unit",
    ]


def test_surplus_duplicates_at_most_one_percent(built):
    """The duplicates command's figure on the built catalog is at most 1 %."""
    records, report = built
    figure = duplicates_cmd.measure(list(records.values()))
    assert figure["percent"] <= 1.0
    assert report["duplicates"]["surplus"] == figure["surplus"]


def test_every_merge_and_near_miss_is_reported_with_a_reason(built):
    """The build report lists the merged rows and the pairs kept apart, each with why."""
    _, report = built
    samhsa_part = report["sources"][0]
    assert len(samhsa_part["merges"]) > 200 and all(m["reasons"] for m in samhsa_part["merges"])
    renamed = [m for m in samhsa_part["merges"] if any(r.startswith("renamed") for r in m["reasons"])]
    assert len(renamed) >= 9  # ComWell 4, Symetria 5 (and Pilsen Wellness)
    kept_apart = [m for m in samhsa_part["near_misses"] if "different programme" in m["reason"]]
    assert any("Womens Medical Detox" in " ".join(m["names"]) for m in kept_apart)


def test_ids_of_existing_records_stay(built):
    """Records that existed keep their ids (plans and share links hold them)."""
    records, _ = built
    for rid in ("samhsa-2nd-story-counseling-655-87073b0c70", "samhsa-a-bridge-back-314-mchenry-rd-60089",
                "samhsa-preferred-family-healthc-6cf4376983", "samhsa-mcdermott-ctr-haymarket-672c7196a5"):  # fmt: skip
        assert rid in records


# ---- 2. the right kind ---------------------------------------------------------------------------------


def test_every_treatment_record_says_substance_use_or_mental_health(built):
    """Mental-health-only clinics are recognisable: every SAMHSA record names one or both kinds of care."""
    records, _ = built
    samhsa_records = [r for r in records.values() if r.source in ("samhsa", "cms-otp")]
    assert all({"substance_use", "mental_health"} & set(r.services) for r in samhsa_records)
    mh_only = [
        r for r in samhsa_records if "mental_health" in r.services and "substance_use" not in r.services
    ]
    assert len(mh_only) > 200 and all(r.subcategory == "mental_health" for r in mh_only)


def test_quincy_recovery_residence_is_housing(built):
    """The Great River recovery residence in Quincy is recovery housing, not treatment."""
    records, _ = built
    home = records["samhsa-preferred-family-healthc-6cf4376983"]
    assert home.category == "recovery_housing" and home.city == "Quincy"
    assert "Great River Recovery" in home.name
    assert not [
        r
        for r in records.values()
        if r.source == "samhsa" and r.category == "treatment" and "Recovery Home" in r.name
    ]


def test_dui_evaluation_sites_say_so(built):
    """A site named for DUI services only says it is a DUI evaluation site."""
    records, _ = built
    dui = [r for r in records.values() if r.subcategory == "dui_evaluation"]
    assert dui and all("DUI" in r.name and "DUI evaluation" in r.description for r in dui)
    assert not any(r.subcategory == "dui_evaluation" for r in records.values() if "Treatment" in r.name)


def test_custody_only_programme_is_left_out_with_a_reason(built):
    """Cook County Jail's methadone programme (Cermak Health Services) is not in the catalog; the report says why."""
    records, report = built
    assert not [r for r in records.values() if "Cermak" in r.name]
    assert any("Cermak" in line and "custody" in line for line in report["sources"][0]["left_out"])


def test_methadone_only_on_opioid_treatment_programmes(built):
    """Methadone is on OTP records; anywhere else the record warns that no OTP list names the address."""
    records, _ = built
    for r in records.values():
        if "methadone" in r.moud_services and "opioid_treatment_program" not in r.services:
            assert "no opioid treatment program list names this address" in r.notes, r.id
    others = [
        r
        for r in records.values()
        if "methadone" in r.moud_services and "opioid_treatment_program" not in r.services
    ]
    assert len(others) <= 8


def test_names_are_whole(built):
    """No Illinois name stops mid-phrase ("Chicago Treatment and") or leaves a bracket open.

    (One Wisconsin row of the national file is itself cut, "Clinical Psychology Associates of", with
    nothing to continue it; it keeps the name its source gives.)"""
    records, _ = built
    for r in records.values():
        if r.source == "samhsa" and r.state == "IL":
            assert not re.search(r"\b(and|of|for|at)$", r.name), r.name
            assert r.name.count("(") == r.name.count(")"), r.name


# ---- 3. a number to call -------------------------------------------------------------------------------


def test_crisis_lines_each_once_with_a_dialable_number(built):
    """Every crisis-line card has a number that dials or texts, and no line appears twice."""
    records, report = built
    lines = [r for r in records.values() if r.category == "crisis_line"]
    assert len(lines) >= 8
    seen = {}
    for r in lines:
        parsed = [phones.try_parse(p) for p in r.phones]
        assert parsed and all(parsed), (r.id, r.phones)
        for p in parsed:
            if p.kind == "voice":
                key = (p.number, p.press)
                assert key not in seen, (r.id, seen.get(key))
                seen[key] = r.id
    by_number = {p: rid for rid, r in records.items() for p in r.phones if r.category == "crisis_line"}
    assert by_number["988, press 1"] and by_number["988"] != by_number["988, press 1"]
    assert "(833) 234-6343" in by_number and "(800) 662-4357" in by_number
    assert len(report["sources"][3]["merged_lines"]) == 5


def test_cms_confirms_otps_with_phone_and_2022_date(built):
    """A CMS match gives the OTP its phone and the June 2022 date; a CMS-only OTP is a record of its own."""
    records, report = built
    heights = at(records, "1473 Ring", "60409")[0]
    assert (
        "(708) 862-8156" in heights.phones
        and heights.as_of == "2022-06-01"
        and heights.date_basis == "source"
    )
    assert "CMS" in heights.notes
    fox_lake = records["cms-otp-1922543461"]
    assert fox_lake.source == "cms-otp" and fox_lake.phones == ("(224) 908-3005",)
    assert fox_lake.geocode_precision == "zip"
    cms = report["sources"][2]
    assert len(cms["matched_samhsa"]) >= 50 and len(cms["added"]) == 1


def test_samhsa_dates_are_source_dates(built):
    """SAMHSA records say the year the source gives (2021; 2020 for MOUD), never a commit date."""
    records, _ = built
    dates = {r.as_of for r in records.values() if r.source == "samhsa"}
    assert "2022-04-25" not in dates and "2021-07-23" not in dates
    assert dates <= {"2021-01-01", "2020-09-01", "2022-06-01"}


def test_more_treatment_records_have_a_phone(built):
    """OTPs confirmed by CMS and mental-health rows carry phones in their display form."""
    records, _ = built
    treatment = [r for r in records.values() if r.category == "treatment"]
    otp = [r for r in treatment if r.subcategory == "opioid_treatment_program" and r.state == "IL"]
    assert sum(1 for r in otp if r.phones) >= 50
    for r in treatment:
        for p in r.phones:
            assert phones.try_parse(p) is not None and phones.display(p) == p, (r.id, p)


# ---- 6. across the border ------------------------------------------------------------------------------


def test_border_facilities_near_calhoun_county(built):
    """Missouri facilities within 25 miles of Calhoun County's seat (Hardin) are in the catalog, marked MO."""
    records, _ = built
    hardin = geo.locate_offline(city="Hardin", state="IL")
    near = [
        r
        for r in records.values()
        if r.category == "treatment" and r.has_location
        and geo.distance_miles(hardin.latitude, hardin.longitude, r.latitude, r.longitude) <= 25
    ]  # fmt: skip
    assert near and all(r.state == "MO" for r in near)
    border = [r for r in records.values() if r.source == "samhsa" and r.state != "IL"]
    assert {r.state for r in border} <= set(samhsa_border.NEIGHBOURS)
    assert all(samhsa_border.miles_from_illinois(r.latitude, r.longitude) <= 25 for r in border)


def test_border_facility_without_county_is_reported(built):
    """A border OTP that no file gives a county for is listed without one, with a report line."""
    records, report = built
    warnings = report["sources"][1]["warnings"]
    assert any("no file gives its county" in w and ", KY)" in w for w in warnings)
    assert any(r.state == "KY" and not r.county for r in records.values())


# ---- bad input -----------------------------------------------------------------------------------------

SUD_HEADER = "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude\n"
MH_HEADER = "name1,name2,street1,street2,city,state,zip,zip4,county,phone,intake_prompt,intake1,intake2,website,latitude,longitude,type_facility\n"


def test_a_row_that_could_be_two_programmes_is_kept_on_its_own_and_reported(tmp_path):
    """A plain row at an address with two distinct programmes of its provider joins neither; the report says so."""
    (tmp_path / "il_samhsa_substance_use_treatment_facilities.csv").write_text(
        SUD_HEADER
        + "Test Center,Womens Residential,10 Test Street,,Peoria,IL,61602,,Peoria,40.69,-89.59\n"
        + "Test Center,Mens Detox,10 Test Street,,Peoria,IL,61602,,Peoria,40.69,-89.59\n"
        + "Test Center,,10 Test Street,,Peoria,IL,61602,,Peoria,40.69,-89.59\n"
    )
    result = samhsa.parse(tmp_path)
    assert len(result.records) == 3
    assert any("could be any of several programmes" in m["reason"] for m in result.near_misses)


def test_an_extension_alone_is_reported_not_guessed(tmp_path):
    """A phone of "ext. 12" alone is a report line, and the record carries only the real number."""
    (tmp_path / "il_samhsa_mental_health_facilities.csv").write_text(
        MH_HEADER
        + "Test Clinic,,10 Test Street,,Peoria,IL,61602,,Peoria,(309) 555-0100,,ext. 12,,,40.69,-89.59,MH\n"
    )
    result = samhsa.parse(tmp_path)
    assert result.records[0].phones == ("(309) 555-0100",)
    assert any(w.field == "phone" and "ext. 12" in w.message and w.row == 2 for w in result.warnings)


def test_an_unmappable_vanity_number_is_reported(tmp_path):
    """A vanity number that does not map to ten digits is left off with a reason; a row with no number left is out."""
    (tmp_path / "il_crisis_help_lines.csv").write_text(
        "id,name,phone,text,web,hours,scope,audience,category,source_urls,verify_note\n"
        "test-line,Test line,1-800-HELP,,,24/7,Illinois,anyone,crisis,https://example.org/test,none\n"
        "test-two,Test two,1-800-HELP; (217) 555-0100,,,24/7,Illinois,anyone,crisis,https://example.org/test,none\n"
    )
    result = crisis_lines.parse(tmp_path, ingested=INGESTED)
    assert [r.id for r in result.records] == ["il-crisis-lines-test-two"]
    assert result.records[0].phones == ("(217) 555-0100",)
    assert any("1-800-HELP" in w.message for w in result.warnings)
    assert any(e.row == 2 and e.field == "phone" for e in result.errors)


def test_a_cms_row_matching_two_records_changes_neither(tmp_path):
    """A CMS row whose address holds two SAMHSA OTPs is reported; neither record gets its phone."""
    (tmp_path / "il_samhsa_opioid_treatment_programs.csv").write_text(
        "program_name,address,city,state,zip,latitude,longitude\n"
        "Alpha Test Clinic,10 Test Street,Peoria,IL,61602,40.69,-89.59\n"
        "Beta Test Clinic,10 Test Street,Peoria,IL,61602,40.69,-89.59\n"
    )
    (tmp_path / "cms.csv").write_text(
        "NPI,PROVIDER NAME,ADDRESS LINE 1,ADDRESS LINE 2,CITY,STATE,ZIP,MEDICARE ID EFFECTIVE DATE,PHONE\n"
        "1234567890,GAMMA TEST CLINIC,10 TEST ST,,PEORIA,IL,61602-1234,01/01/2020,3095550100\n"
    )
    found = samhsa.parse(tmp_path)
    assert len(found.records) == 2
    records, added, report = cms_otp.reconcile(found.records, cms_otp.parse(tmp_path / "cms.csv"))
    assert (
        not added and len(report["ambiguous"]) == 1 and "matches 2 SAMHSA records" in report["ambiguous"][0]
    )
    assert all(not r.phones for r in records)


def test_a_border_facility_without_county_gets_a_report_line(tmp_path):
    """A neighbouring-state facility with no county is listed, county empty, with a report line."""
    (tmp_path / "SubstanceUseTreatment_Geocoded.csv").write_text(
        SUD_HEADER
        + "Test Border Clinic,,10 Test Street,,Saint Louis,MO,63102,,,38.6270,-90.1994\n"
        + "Far Test Clinic,,10 Test Street,,Kansas City,MO,64105,,Jackson,39.0997,-94.5786\n"
    )
    result = samhsa_border.parse(tmp_path)
    assert [r.name for r in result.records] == ["Test Border Clinic"]
    assert result.records[0].state == "MO" and result.records[0].county == ""
    assert any(w.field == "county" and "no file gives its county" in w.message for w in result.warnings)


# ---- the matching rule itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, same",
    [
        (("Great Heights OTP", "Calumet City", "1473 Ring Road", "60409"), ("Great Heights Family Medicine Ltd", "", "1473 Ring Rd", "60409"), True),
        (("Haymarket", "Womens Medical Detox", "124 N Sangamon St", "60607"), ("Haymarket", "Mens Residential", "124 North Sangamon Street", "60607"), False),
        (("Human Resources Center", "", "3420 N. Rochelle", "61604"), ("Human Resources Center", "", "3420 North Rochelle Lane", "61654"), False),
        (("NEXA/HAS", "", "210 N. Ashland Ave.", "60607"), ("Healthcare Alternative Systems Inc", "", "210 North Ashland Avenue", "60607"), True),
        (("Test Clinic", "", "10 Main St", "61602"), ("Test Clinic", "", "12 Main St", "61602"), False),
    ],
)  # fmt: skip
def test_matching_rule(a, b, same):
    """Same address and matching names merge; different programmes, numbers or far-apart ZIPs do not."""
    la = duplicates.Listing("a", a[0], a[1], a[2], a[3])
    lb = duplicates.Listing("b", b[0], b[1], b[2], b[3])
    clusters, _ = duplicates.cluster([la, lb])
    assert (len(clusters) == 1) is same


def test_duplicates_command_prints_the_figure(built, tmp_path, capsys):
    """`duplicates --json` prints the figure of a catalog."""
    from directory.__main__ import main

    records, _ = built
    db = tmp_path / "c.db"
    with Catalog(db) as catalog:
        catalog.import_records(list(records.values()), source="test", save_report=False)
    assert main(["duplicates", "--db", str(db), "--json"]) == 0
    figure = json.loads(capsys.readouterr().out)
    assert figure["category"] == "treatment" and figure["percent"] <= 1.0 and figure["listings"] > 1000
