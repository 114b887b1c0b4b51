"""When two facility listings are one facility: the matching rule the SAMHSA merge applies and the
`duplicates` command measures.

Two listings are one facility when they sit at the same address (same house number and street name,
and the same ZIP or points within a quarter mile when a file mistyped the ZIP) and their names match
after normalisation (the same first two words, or one name's words inside the other's) or they
share a phone, or one is a known former name of the other. They stay apart, even then, when both
names say which programme they are and the programmes differ (a residential unit and a detox unit
of one centre), because a patient is referred to the programme, not to the building.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from directory.geo import distance_miles

_ABBREVIATIONS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "suite": "ste",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "route": "rt",
    "rte": "rt",
    "floor": "fl",
    "saint": "st",
    "center": "ctr",
    "centre": "ctr",
    "centers": "ctr",
    "centres": "ctr",
    "services": "servs",
    "service": "servs",
    "treatment": "trt",
    "counseling": "csl",
    "behavioral": "behav",
    "womens": "women",
    "mens": "men",
    "hlth": "health",
    "ctrs": "ctr",
    "behavior": "behav",
    "alc": "alcohol",
    "behavioural": "behav",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
NAME_NOISE = frozenset(
    {
        "inc",
        "llc",
        "ltd",
        "corp",
        "corporation",
        "the",
        "of",
        "and",
        "pc",
        "sc",
        "nfp",
        "dba",
        "at",
        "a",
        "co",
    }
)
_DIRECTIONS = frozenset({"n", "s", "e", "w", "ne", "nw", "se", "sw"})
_UNIT_WORDS = ("ste", "unit", "fl", "rm", "room", "bldg", "building", "apt")

# Words that say which programme a listing is: two listings at one address whose names carry
# different sets of these are distinct programmes. (The kinds of care and the people served.)
_PROGRAMME_WORDS = {
    "residential": "residential",
    "home": "residential",
    "homes": "residential",
    "halfway": "residential",
    "detox": "detox",
    "detoxification": "detox",
    "outpatient": "outpatient",
    "iop": "intensive_outpatient",
    "intensive": "intensive_outpatient",
    "inpatient": "inpatient",
    "unit": "inpatient",
    "women": "women",
    "woman": "women",
    "men": "men",
    "man": "men",
    "parenting": "parenting",
    "stabilization": "stabilization",
    "integrated": "integrated",
    "mit": "integrated",
    "wit": "integrated",
    "adolescent": "youth",
    "adol": "youth",
    "adolescents": "youth",
    "youth": "youth",
    "children": "youth",
    "adults": "adults",
    "adult": "adults",
    "child": "youth",
    "addiction": "substance_use",
    "methadone": "substance_use",
    "psychiatric": "mental_health",
    "psychiatry": "mental_health",
}
_PROGRAMME_PHRASES = (
    ("behav health", "mental_health"),
    ("mental health", "mental_health"),
    ("recovery home", "residential"),
    ("substance abuse", "substance_use"),
    ("chemical dependency", "substance_use"),
    ("alcohol", "substance_use"),
    ("recovery res", "residential"),
)
# Renamed providers, old name → new name (normalised), each with the evidence that it is one provider.
RENAMES = {
    # CMS's June 2022 OTP list names the operator "Soft Landing Interventions, LLC" with the site line
    # "Symetria Recovery at Joliet" (and Naperville, Lakeview, Des Plaines, Palos Heights, Vernon Hills).
    "soft landing interventions": (
        "symetria recovery",
        "CMS OTP list (June 2022): Soft Landing Interventions, LLC operates as Symetria Recovery",
    ),
    # SAMHSA's 2021 substance-use list gives ComWell at the four addresses where its 2020 MOUD list and
    # its January 2021 mental-health list give Human Service Center (Red Bud, Sparta, Chester, Okawville).
    "human servs ctr": (
        "comwell",
        "SAMHSA 2021 substance-use list: ComWell at the same addresses as Human Service Center in the older lists",
    ),
    # SAMHSA's 2021 substance-use and mental-health lists give Pilsen Wellness Center at both addresses
    # (3113 W Cermak Rd, Chicago; 1546 N Mannheim Rd, Stone Park) where the OTP directory and CMS still
    # give the older Pilsen-Little Village Community Mental Health Center.
    "pilsen little village community mental health": (
        "pilsen wellness ctr",
        "SAMHSA 2021 lists: Pilsen Wellness Center at the addresses of Pilsen-Little Village Community Mental Health Center",
    ),
}


def words(text: str) -> list[str]:
    text = (text or "").lower().replace("&", " and ").replace("'", "")
    text = re.sub(r"\b(vet|veterans)\.? affairs\b", "va", text)
    text = re.sub(r"\b(university|univ)\.? of chicago\b", "uchicago", text)
    raw = re.sub(r"[^a-z0-9 ]+", " ", text).split()
    return [_ABBREVIATIONS.get(w, w) for w in raw]


def name_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in NAME_NOISE]


def normalise_name(text: str) -> str:
    return " ".join(name_words(text))


def normalise_street(text: str) -> str:
    """The street line up to any suite or unit, so '123 Main St, Suite 4' matches '123 Main Street'."""
    ws = words(text)
    for stop in _UNIT_WORDS:
        if stop in ws:
            ws = ws[: ws.index(stop)]
    return " ".join(ws)


def street_key(text: str) -> str:
    """House number and the first word of the street name: '3420 N. Rochelle' and '3420 North Rochelle
    Lane' are both '3420 rochelle'; a street line without a number keeps all its words."""
    ws = normalise_street(text).split()
    if not numbered(text):
        return " ".join(ws)
    rest = [w for w in ws[1:] if w not in _DIRECTIONS]
    return f"{ws[0]} {rest[0]}" if rest else ws[0]


def programmes(name: str) -> frozenset[str]:
    """The programme words of a name ("Womens Medical Detox" → women, detox)."""
    text = " ".join(words(name))
    found = {kind for phrase, kind in _PROGRAMME_PHRASES if phrase in text}
    found |= {_PROGRAMME_WORDS[w] for w in text.split() if w in _PROGRAMME_WORDS}
    return frozenset(found)


def renamed_to(name: str) -> tuple[str, str] | None:
    """(new normalised name, evidence) when the name is a known former name, else None."""
    norm = normalise_name(name)
    for old, (new, why) in RENAMES.items():
        if norm == old or norm.startswith(old + " "):
            return new, why
    return None


def phone_digits(phones: Iterable[str]) -> set[str]:
    out = set()
    for p in phones:
        d = re.sub(r"\D", "", p.split("ext")[0].split(" x")[0])
        d = d[1:] if len(d) == 11 and d.startswith("1") else d
        if len(d) == 10:
            out.add(d)
    return out


@dataclass(frozen=True)
class Listing:
    """What the matching rule looks at: a name (brand and programme part), where it is, its phones."""

    ref: object  # the caller's handle (a record id, a row)
    brand: str  # the provider's name, without the programme or site part
    programme: str  # the programme or site part ("Outpatient", "Calumet City"), may be empty
    street: str
    zip: str
    latitude: float | None = None
    longitude: float | None = None
    phones: tuple[str, ...] = ()
    city: str = ""

    @property
    def full(self) -> str:
        if self.programme.startswith(self.brand):
            return self.programme
        return f"{self.brand} {self.programme}".strip()


def numbered(street: str) -> bool:
    """Whether the street line starts with a house number ("41W400 Silver Glen Rd"; not "5th Avenue")."""
    ws = normalise_street(street).split()
    return bool(ws) and bool(re.match(r"^\d", ws[0])) and not re.match(r"^\d+(st|nd|rd|th)$", ws[0])


def _miles(a: Listing, b: Listing) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return distance_miles(a.latitude, a.longitude, b.latitude, b.longitude)


def same_place(a: Listing, b: Listing) -> bool:
    """Same house number and street name, and the same ZIP or points within a quarter mile; a street
    line without a house number ("5th Avenue and Roosevelt Road") matches a point within half a mile."""
    miles = _miles(a, b)
    if not (numbered(a.street) and numbered(b.street)):
        return bool(a.street and b.street) and miles is not None and miles <= 0.5
    if street_key(a.street) != street_key(b.street):
        return False
    return a.zip == b.zip or (miles is not None and miles <= 0.25)


def _initials(ws: list[str]) -> str:
    return "".join(w[0] for w in ws) if len(ws) >= 3 else ""


def names_match(a: str, b: str) -> bool:
    """The same first two words, one name's words inside the other's, or one holds the other's initials
    ("NEXA/HAS" and "Healthcare Alternative Systems")."""
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    if wa[:2] == wb[:2]:
        return True
    sa, sb = set(wa), set(wb)
    if sa <= sb or sb <= sa:
        return True
    ia, ib = _initials(wa[:4]), _initials(wb[:4])
    return bool(ia and ia in sb) or bool(ib and ib in sa)


def why_same(a: Listing, b: Listing) -> str:
    """The reason two listings at one place are one facility, or "" when they are not."""
    ra, rb = renamed_to(a.brand), renamed_to(b.brand)
    if ra and names_match(ra[0], b.brand):
        return f"renamed: {ra[1]}"
    if rb and names_match(rb[0], a.brand):
        return f"renamed: {rb[1]}"
    if names_match(a.brand, b.brand) or names_match(a.full, b.full):
        return "same address and matching names"
    if phone_digits(a.phones) & phone_digits(b.phones):
        return "same address and a shared phone"
    return ""


def distinct_programmes(a: Listing, b: Listing) -> bool:
    """Both names say which programme they are, in the words they do not share, and the programmes differ."""
    wa, wb = words(a.programme), words(b.programme)
    pa = programmes(" ".join(w for w in wa if w not in wb))
    pb = programmes(" ".join(w for w in wb if w not in wa))
    return bool(pa) and bool(pb) and pa != pb


@dataclass
class Cluster:
    members: list[Listing]
    reasons: list[str]


@dataclass
class NearMiss:
    a: Listing
    b: Listing
    reason: str


def cluster(listings: Sequence[Listing]) -> tuple[list[Cluster], list[NearMiss]]:
    """Group listings into facilities by the rule above; also return the pairs kept apart and why.

    A listing that names no programme joins the one programme its place holds; when the place holds
    several distinct programmes of that provider, it is kept on its own and reported, never guessed.
    """
    by_town: dict[str, list[int]] = {}
    for i, item in enumerate(listings):
        # Compared within a ZIP's first three digits: towns are misnamed ("Lynwood" / "Chicago Heights")
        # more often than the ZIP region is.
        by_town.setdefault(item.zip[:3] or " ".join(words(item.city)) or f"#{i}", []).append(i)
    clusters: list[Cluster] = []
    misses: list[NearMiss] = []
    for idxs in by_town.values():
        groups: list[Cluster] = []
        # Listings that name a programme first, so a plain listing can see every programme it might join.
        ordered = sorted(idxs, key=lambda i: (not programmes(listings[i].programme), i))
        for i in ordered:
            item = listings[i]
            candidates = []
            for g in groups:
                head = g.members[0]
                if not same_place(item, head):
                    continue
                reason = why_same(item, head)
                if not reason:
                    if not any(m.brand == item.brand for m in g.members):
                        misses.append(
                            NearMiss(item, head, "same address, but the names do not match; kept apart")
                        )
                    continue
                if any(distinct_programmes(item, m) for m in g.members):
                    misses.append(
                        NearMiss(item, head, "same address and provider, but a different programme")
                    )
                    continue
                candidates.append((g, reason))
            plain = not programmes(item.programme)
            distinct = [g for g, _ in candidates if programmes(_programme_of(g))]
            if plain and len(distinct) > 1:
                names = "; ".join(g.members[0].full for g in distinct)
                misses.append(
                    NearMiss(
                        item,
                        distinct[0].members[0],
                        f"could be any of several programmes here ({names}); kept on its own",
                    )
                )
                groups.append(Cluster([item], []))
                continue
            if candidates:
                g, reason = candidates[0]
                g.members.append(item)
                g.reasons.append(reason)
            else:
                groups.append(Cluster([item], []))
        clusters.extend(groups)
    return clusters, misses


def _programme_of(group: Cluster) -> str:
    return " ".join(m.programme for m in group.members if programmes(m.programme))


def surplus(listings: Sequence[Listing]) -> dict:
    """The surplus-duplicate figure: listings beyond one per facility, with the groups that make it."""
    clusters, _ = cluster(listings)
    groups = [c for c in clusters if len(c.members) > 1]
    extra = sum(len(c.members) - 1 for c in groups)
    total = len(listings)
    return {
        "listings": total,
        "facilities": len(clusters),
        "surplus": extra,
        "percent": round(100 * extra / total, 2) if total else 0.0,
        "groups": [
            {
                "ids": [str(m.ref) for m in c.members],
                "names": [m.full for m in c.members],
                "reasons": c.reasons,
            }
            for c in groups
        ],
    }


def listing_of(record) -> Listing:
    """A catalog record as the rule sees it: its whole name (name and organization) and its place."""
    full = " ".join(p for p in (record.name, record.organization) if p)
    return Listing(
        record.id, record.name, full, record.address, record.zip, record.latitude, record.longitude,
        tuple(record.phones), record.city,
    )  # fmt: skip
