"""CMS's list of Medicare-enrolled opioid treatment programmes (Illinois rows, June 2022).

`parse` reads the list into OTP records of their own; `reconcile` matches them by address to the
SAMHSA records: a match confirms the SAMHSA OTP and gives it the phone and the 2022 date, a CMS row
with no match stays an OTP record of its own, and a row matching two records is reported, not guessed.
"""

from __future__ import annotations

import re
from pathlib import Path

from directory import duplicates, geo, guard
from directory.importers import samhsa
from directory.importers.cited_rows import read_rows, source_file
from directory.phones import normalize_phones
from directory.schema import ImportResult, Problem, Resource, make_id, validate

SOURCE = "cms-otp"
SOURCE_URL = (
    "https://data.cms.gov/provider-characteristics/medicare-provider-supplier-enrollment/"
    "opioid-treatment-program-providers"
)
# The snapshot was downloaded in June 2022 (cms_otp_providers_il_2022-06.source.txt): its facts were true then.
AS_OF = "2022-06-01"
FILE = "cms_otp_providers_il_2022-06.csv"
REQUIRED = {"NPI", "PROVIDER NAME", "ADDRESS LINE 1", "ADDRESS LINE 2", "CITY", "STATE", "ZIP", "PHONE"}
_SMALL = {"of", "and", "at", "the", "for", "in"}
_KEEP_UPPER = {"llc", "nfp", "otp", "cap", "ican", "ijegba", "ii", "iii", "iv", "va"}


def title(text: str) -> str:
    """CMS writes names in capitals: 'GREAT HEIGHTS OTP' → 'Great Heights OTP'."""
    out = []
    for i, word in enumerate(text.split()):
        low = word.lower()
        if low.strip(",.") in _KEEP_UPPER:
            out.append(word.upper())
        elif i and low in _SMALL:
            out.append(low)
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(out)


@guard.entry
def parse(source: str | Path | bytes, *, file: str = "") -> ImportResult:
    """Every Illinois CMS OTP row as a record (phone, ZIP-centre point, as of June 2022): from the file,
    the folder holding it, or an uploaded file's bytes (named `file`)."""
    data, file_name = source_file(source, FILE, file)
    result = ImportResult()
    used: set[str] = set()
    for line, row in read_rows(data, file_name, REQUIRED, "CMS OTP", result):
        get = lambda column, row=row: row.get(column) or ""  # noqa: E731
        if get("STATE") != "IL":
            continue
        phones, problems = normalize_phones([get("PHONE")] if get("PHONE") else [])
        for message in problems:
            result.warnings.append(Problem(line, "PHONE", f"{message}; the number was left off", file_name))
        zip5 = re.sub(r"\D", "", get("ZIP"))[:5]
        street, line2 = get("ADDRESS LINE 1"), get("ADDRESS LINE 2")
        # Line 2 holds either a suite ("STE 109") or the site's public name ("SYMETRIA RECOVERY AT JOLIET").
        site = line2 if line2 and not re.match(r"^(ste|suite|fl|floor|unit|rm|room|\d)", line2, re.I) else ""
        suite = line2 if line2 and not site else ""
        name = title(get("PROVIDER NAME"))
        place = geo.locate_offline(zip=zip5, city=get("CITY").title())
        rid = make_id(SOURCE, get("NPI"))
        if rid in used:
            rid = make_id(SOURCE, f"{get('NPI')} {line}")
        used.add(rid)
        notes = [
            f"CMS list of Medicare-enrolled opioid treatment programs (June 2022), NPI {get('NPI')}, "
            f"Medicare enrolment effective {get('MEDICARE ID EFFECTIVE DATE')}."
        ]
        if len(get("PROVIDER NAME")) >= 34:
            notes.append("CMS cuts names at 35 characters; the name may be incomplete.")
        notes.append("Call ahead to confirm services and hours.")
        record = Resource(
            id=rid,
            name=f"{name} ({title(site)})" if site else name,
            category="treatment",
            subcategory="opioid_treatment_program",
            address=title(street),
            address2=title(suite),
            city=get("CITY").title(),
            state="IL",
            zip=zip5,
            county=geo.county_for_zip(zip5).removesuffix(" County"),
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            geocode_precision=place.precision if place else "none",
            phones=phones,
            format="in_person",
            services=("substance_use", "opioid_treatment_program"),
            moud_services=("methadone",),
            source=SOURCE,
            source_url=SOURCE_URL,
            as_of=AS_OF,
            notes=" ".join(notes),
            date_basis="source",
        )
        problems = validate(record, line, file_name)
        if problems:
            result.errors.extend(problems)
        else:
            result.records.append(record)
    return result


def _at_same_address(cms: Resource, other: Resource) -> bool:
    # CMS gives no coordinates and its ZIPs are ZIP+4 of the mail address, so the street key and the
    # town decide: "3420 N ROCHELLE LN, PEORIA 61604" is SAMHSA's "3420 North Rochelle Lane, Peoria 61654".
    if duplicates.street_key(cms.address) != duplicates.street_key(other.address):
        return False
    if not duplicates.numbered(cms.address):
        return False
    return cms.zip == other.zip or duplicates.words(cms.city) == duplicates.words(other.city)


def reconcile(
    samhsa_records: list[Resource], cms: ImportResult
) -> tuple[list[Resource], list[Resource], dict]:
    """(SAMHSA records with confirmations applied, CMS-only OTP records, report)."""
    records = list(samhsa_records)
    index = {r.id: i for i, r in enumerate(records)}
    report = {"matched": [], "added": [], "ambiguous": []}
    confirmed: dict[str, list[Resource]] = {}
    added: list[Resource] = []
    for row in cms.records:
        matches = [r for r in records if r.category == "treatment" and _at_same_address(row, r)]
        otps = [r for r in matches if "opioid_treatment_program" in r.services]
        chosen = otps if otps else matches
        if len(chosen) > 1:
            named = [r for r in chosen if duplicates.names_match(row.name, r.name)]
            if len(named) == 1:
                chosen = named
        if len(chosen) > 1:
            report["ambiguous"].append(
                f"{FILE}: {row.name}, {row.address}, {row.city} ({row.id}) matches {len(chosen)} SAMHSA records "
                f"({', '.join(r.id for r in chosen)}); none was changed — a curator should say which it is"
            )
            continue
        if not chosen:
            added.append(row)
            report["added"].append(
                f"{row.id}: {row.name}, {row.address}, {row.city} (no SAMHSA record at this address)"
            )
            continue
        confirmed.setdefault(chosen[0].id, []).append(row)
    for rid, rows in confirmed.items():
        old = records[index[rid]]
        phones = list(old.phones)
        for row in rows:
            phones.extend(p for p in row.phones if p not in phones)
        npis = ", ".join(re.search(r"NPI (\d+)", r.notes).group(1) for r in rows)
        services = tuple(dict.fromkeys((*old.services, "substance_use", "opioid_treatment_program")))
        moud = old.moud_services if "methadone" in old.moud_services else ("methadone", *old.moud_services)
        note = (
            f"Confirmed as a Medicare-enrolled opioid treatment program by CMS (June 2022, NPI {npis}), "
            "which also gives the phone."
        )
        aliases = list(old.aliases)
        for row in rows:
            if not duplicates.names_match(row.name, old.name) and row.name not in aliases:
                aliases.append(row.name)
        new = old.replace(
            phones=tuple(phones),
            services=tuple(s for s in samhsa.SERVICE_ORDER if s in services),
            moud_services=tuple(m for m in ("methadone", "buprenorphine", "naltrexone") if m in moud),
            subcategory="opioid_treatment_program" if old.category == "treatment" else old.subcategory,
            as_of=max(old.as_of, AS_OF),
            date_basis="source",
            notes=(note + " " + old.notes).strip(),
            aliases=tuple(aliases),
        )
        records[index[rid]] = new
        report["matched"].append(f"{', '.join(r.id for r in rows)} → {rid} ({old.name})")
    return records, added, report
