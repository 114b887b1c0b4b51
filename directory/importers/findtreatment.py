"""FindTreatment.gov locator JSON (SAMHSA): `{page, totalPages, recordCount, rows}` pages of facilities.

Each row's `services` groups (f1 name, f2 code, f3 "; "-joined values) are mapped onto type of care,
MOUD services, payment, populations and languages. The API gives no per-row date, so the ingest date
is the `as_of`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from directory import feeds, guard
from directory.importers import feed_rows
from directory.importers.feed_rows import RowError
from directory.schema import ImportResult, Resource, clean_text, make_id

FORMAT = "findtreatment"
SOURCE = "findtreatment"
SOURCE_URL = "https://findtreatment.gov/"

# f2 group code → {value text, lower-cased → our value}. Values are SAMHSA's wording as the locator
# returns it (see ../shared/data/feeds/findtreatment/); unlisted values are not mapped.
SERVICES = {
    "substance use treatment": "substance_use",
    "mental health treatment": "mental_health",
    "detoxification": "detox",
    "outpatient": "outpatient",
    "regular outpatient treatment": "outpatient",
    "outpatient methadone/buprenorphine or naltrexone treatment": "outpatient",
    "intensive outpatient treatment": "intensive_outpatient",
    "residential": "residential",
    "short-term residential": "residential",
    "long-term residential": "residential",
    "residential detoxification": "detox",
    "outpatient detoxification": "detox",
    "hospital inpatient detoxification": "detox",
    "hospital inpatient": "hospital_inpatient",
    "hospital inpatient treatment": "hospital_inpatient",
    "samhsa-certified opioid treatment program": "opioid_treatment_program",
}
PAYMENT = {
    "medicaid": "medicaid",
    "medicare": "medicare",
    "private health insurance": "private_insurance",
    "cash or self-payment": "self_pay",
    "military insurance (e.g., tricare)": "military",
    "u.s. department of va funds": "military",
    "no payment accepted": "free",
    "sliding fee scale (fee is based on income and other factors)": "sliding_fee",
    "sliding fee scale": "sliding_fee",
}
POPULATIONS = {
    "adult women": "women",
    "adult men": "men",
    "pregnant/postpartum women": "pregnant_postpartum",
    "seniors or older adults": "seniors",
    "lesbian, gay, bisexual, or transgender (lgbt) clients": "lgbtq",
    "veterans": "veterans",
    "clients referred from the court/judicial system": "justice_involved",
    "criminal justice (other than dui/dwi)": "justice_involved",
    "adolescents": "youth",
    "transitional age young adults": "young_adults",
    "young adults": "young_adults",
    "services for the deaf and hard of hearing": "deaf_hoh",
}
LANGUAGES = {
    "spanish": "es",
    "polish": "pl",
    "german": "de",
    "french": "fr",
    "russian": "ru",
    "korean": "ko",
    "chinese": "zh",
    "arabic": "ar",
    "vietnamese": "vi",
    "tagalog": "tl",
    "hindi": "hi",
    "urdu": "ur",
    "italian": "it",
    "greek": "el",
    "portuguese": "pt",
    "japanese": "ja",
    "hmong": "hm",
    "ukrainian": "uk",
    "gujarati": "gu",
    "serbian": "sr",
    "bosnian": "bs",
    "croatian": "hr",
    "lithuanian": "lt",
}
ACCEPTS_MOUD = "accepts clients on opioid medication"
_MOUD = ("methadone", "buprenorphine", "naltrexone")
# "… for pain management or emergency dosing" is not treatment for addiction.
_NOT_MOUD = re.compile(r"pain management|do not use|does not treat", re.I)


@guard.entry
def parse(
    source: str | Path | bytes | Any,
    *,
    as_of: str | None = None,
    source_key: str = SOURCE,
    source_url: str = SOURCE_URL,
    file: str = "",
    region: bool = True,
) -> ImportResult:
    """Read locator pages (one page, a list of pages, or a list of rows); `as_of` defaults to today."""
    return feed_rows.read(
        rows, source, file=file, region=region, as_of=as_of, source_key=source_key, source_url=source_url
    )


def page_rows(data: Any) -> list[Any] | None:
    """The rows of one page, of a list of pages, or a plain list of rows; None when it is none of these."""
    if isinstance(data, dict):
        return data.get("rows") if isinstance(data.get("rows"), list) else None
    if isinstance(data, list):
        if data and all(isinstance(p, dict) and "rows" in p for p in data):
            return [r for p in data for r in guard.items(p.get("rows"))]
        return data
    return None


def rows(
    data: Any,
    *,
    as_of: str | None = None,
    source_key: str = SOURCE,
    source_url: str = SOURCE_URL,
    file: str = "the feed",
    release: bool = False,
) -> Iterator[feed_rows.Row]:
    """Each facility as (row number, record or None, mapping problems); records are not yet validated."""
    items = page_rows(data)
    if items is None:
        return feed_rows.not_a_feed("this is not a FindTreatment.gov locator response: no 'rows'", file)
    to_record = partial(
        facility_to_resource,
        as_of=as_of or date.today().isoformat(),
        source_key=source_key,
        source_url=source_url,
    )
    return feed_rows.item_rows(items, to_record, file=file, noun="facility", release=release)


def _groups(item: dict[str, Any]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    services = item.get("services")
    if services is not None and not isinstance(services, list):
        raise RowError("services", "'services' must be a list of service groups; the row was left out")
    for group in services or []:
        if not isinstance(group, dict):
            continue
        code = str(group.get("f2") or "").strip().upper()
        values = [clean_text(v) for v in str(group.get("f3") or "").split(";")]
        groups.setdefault(code, []).extend(v for v in values if v)
    return groups


def _add(out: list[str], value: str | None) -> None:
    if value and value not in out:
        out.append(value)


def record_id(item: Any, source_key: str = SOURCE) -> str:
    """The id a locator row gets (from frid, else name, street and ZIP); "" when it has none of them."""
    if not isinstance(item, dict):
        return ""
    key = clean_text(item.get("frid")) or "|".join(
        clean_text(item.get(k)).lower() for k in ("name1", "street1", "zip")
    )
    return make_id(source_key, key) if key.strip("|") else ""


def facility_to_resource(
    item: dict[str, Any], *, as_of: str, source_key: str = SOURCE, source_url: str = SOURCE_URL
) -> Resource:
    """One locator row as a treatment record; raises a row error when it has no name or no address."""
    name = clean_text(item.get("name1"))
    if not name:
        raise RowError("name1", "the facility has no name; it was left out")
    street, city = clean_text(item.get("street1")), clean_text(item.get("city"))
    if not (street or city):
        raise RowError("street1", "the facility has no address; it was left out")
    groups = _groups(item)
    services: list[str] = []
    for code in ("TC", "SET", "OT"):
        for value in groups.get(code, []):
            _add(services, SERVICES.get(value.lower()))
    moud: list[str] = []
    accepts = "unknown"
    for code in ("OT", "OM", "PHR"):
        for value in groups.get(code, []):
            low = value.lower()
            if low == ACCEPTS_MOUD:
                accepts = "yes"
            if _NOT_MOUD.search(value):
                continue
            for drug in _MOUD:
                if drug in low:
                    _add(moud, drug)
    payment: list[str] = []
    for code in ("PAY", "PYAS"):
        for value in groups.get(code, []):
            _add(payment, PAYMENT.get(value.lower()))
    populations: list[str] = []
    for code in ("SG", "SL"):
        for value in groups.get(code, []):
            _add(populations, POPULATIONS.get(value.lower()))
    genders = [g.lower() for g in groups.get("GN", [])]
    if genders == ["female"]:
        _add(populations, "women")
    elif genders == ["male"]:
        _add(populations, "men")
    languages: list[str] = []
    for code in ("OL", "SL"):
        for value in groups.get(code, []):
            _add(languages, LANGUAGES.get(value.lower()))
    accessibility = ["asl"] if any("sign language" in v.lower() for v in groups.get("SL", [])) else []
    if "opioid_treatment_program" in services:
        subcategory = "opioid_treatment_program"
    elif "substance_use" in services or item.get("typeFacility") in ("SA", "BUPREN", "OTP"):
        subcategory = "substance_use_treatment"
    else:
        subcategory = "mental_health"
    phones: list[str] = []
    for key in ("phone", "intake1", "intake2", "hotline1"):
        _add(phones, clean_text(item.get(key)))
    lat, lon = feeds.point(item.get("latitude"), item.get("longitude"))
    kind = "; ".join(groups.get("FT", []))
    pay_help = [v for v in groups.get("PYAS", []) if v.lower() not in PAYMENT]
    key = clean_text(item.get("frid")) or "|".join(
        clean_text(item.get(k)).lower() for k in ("name1", "street1", "zip")
    )
    zip_code = feeds.zip5(item.get("zip"))
    state = clean_text(item.get("state")).upper()[:2]
    where = feeds.located(
        zip=zip_code, city=city, state=state, county="", latitude=lat, longitude=lon, online=False
    )
    return Resource(
        id=make_id(source_key, key),
        name=name[:300],
        category="treatment",
        subcategory=subcategory,
        source=source_key,
        source_url=source_url,
        as_of=as_of,
        organization=clean_text(item.get("name2"))[:300],
        description=f"Facility type: {kind}." if kind else "",
        address=street,
        address2=clean_text(item.get("street2")),
        city=city,
        state=state,
        zip=zip_code,
        **where,
        phones=tuple(phones),
        website=feeds.web_address(item.get("website")),
        format="in_person",
        services=tuple(services),
        moud_services=tuple(moud),
        mat_friendly=accepts,
        populations=tuple(populations),
        languages=tuple(languages),
        accessibility=tuple(accessibility),
        payment=tuple(payment),
        cost="; ".join(pay_help),
        license="; ".join(groups.get("LCA", []))[:1000],
        notes="Call ahead to confirm services, hours and payment.",
    )
