"""Writes tests/golden/describe_english.json: generated queries and the English sentence `describe` gave them.

Run once, against the `describe` that wrote English by hand (commit 78bfce5, before the one sentence
builder), so that tests/test_describe_golden.py holds the builder to those very sentences. The queries are
generated: every filter alone with each of its values, every pair of filters, and seeded random mixes, each
with and without a place, a county, text and another radius. Re-running it against newer code only copies
that code's output: it is the record of the old sentences, not a fixture to refresh.

    .venv/bin/python tests/golden/make_describe_golden.py
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
from pathlib import Path

from directory.query import TIMES_OF_DAY, Query, describe
from directory.schema import Category, Format, MoudService, Payment, Population

OUT = Path(__file__).with_name("describe_english.json")

# One field's values to try; lists hold the values a field may take one or several of.
VALUES: dict[str, list] = {
    "categories": [(c,) for c in Category.values()]
    + [("support_group", "treatment"), tuple(Category.values())],
    "subcategories": [
        ("oxford_house",),
        ("substance_use_treatment", "moud_provider"),
        ("never_named_before",),
    ],
    "fellowships": [("AA",), ("NA", "Al-Anon"), ("SMART Recovery",)],
    "formats": [(f,) for f in Format.values()] + [("in_person", "online"), tuple(Format.values())],
    "weekdays": [(d,) for d in range(7)] + [(1, 3), (0, 5, 6)],
    "times_of_day": [(x,) for x in TIMES_OF_DAY] + [("morning", "evening"), TIMES_OF_DAY],
    "in_progress": [True],
    "starting_within": [1.0, 2.0, 0.5, 168.0],
    "populations": [(p,) for p in Population.values()] + [("women", "lgbtq")],
    "languages": [("es",), ("pl",), ("es", "pl"), ("en", "zh", "ht"), ("xx",), ("nl",)],
    "payment": [(p,) for p in Payment.values()] + [("medicaid", "sliding_fee")],
    "moud_services": [(m,) for m in MoudService.values()] + [tuple(MoudService.values())],
    "mat_friendly": [True],
    "wheelchair": [True],
    "verified_within_months": [1, 6, 12, 240],
    "include_unconfirmed": [True],
    "include_inactive": [True],
    "text": ["café", 'big book "step"', "Łódź – 60614"],
    "care_for": ["mental_health", "both", "substance_use"],
    "county": [
        ("Peoria",),
        ("St. Clair",),
        ("Cook", "Lake (IN)"),
        ("Saint Louis City (MO)",),
        ("Cook County",),
    ],
    "radius": [1.0, 2.5, 25.0, 100.0],
}
# Where: nothing, a place looked up (its label), a place typed, a point.
WHERES = [
    {},
    {"place": "60614", "_label": "60614 (Chicago)"},
    {"place": "Cicero"},
    {"latitude": 41.8781136, "longitude": -87.6297982},
    {"place": "Peoria, IL", "latitude": 40.69, "longitude": -89.59, "_label": "Peoria, IL"},
]


@dataclasses.dataclass(frozen=True)
class Place:
    label: str


def case(fields: dict) -> dict:
    fields = dict(fields)
    label = fields.pop("_label", None)
    query = Query(**fields)
    place = Place(label) if label is not None else None
    return {"query": fields, "place_label": label, "english": describe(query, place)}


def cases() -> list[dict]:
    out = [case({})]
    names = list(VALUES)
    for name in names:  # every filter alone, with every value, everywhere
        for value in VALUES[name]:
            for where in WHERES:
                out.append(case({**where, name: value}))
    for a, b in itertools.combinations(names, 2):  # every pair of filters
        for i, (va, vb) in enumerate(zip(VALUES[a], itertools.cycle(VALUES[b]))):
            if i >= 2:
                break
            out.append(case({**WHERES[(i + len(a)) % len(WHERES)], a: va, b: vb}))
    rng = random.Random(20261201)
    for _ in range(400):  # mixes of three to eight filters
        chosen = rng.sample(names, rng.randint(3, 8))
        fields = {name: rng.choice(VALUES[name]) for name in chosen}
        out.append(case({**rng.choice(WHERES), **fields}))
    return out


def jsonable(value):
    if isinstance(value, tuple):
        return list(value)
    return value


if __name__ == "__main__":
    data = [{**c, "query": {k: jsonable(v) for k, v in c["query"].items()}} for c in cases()]
    lines = ",\n".join(json.dumps(c, ensure_ascii=False, sort_keys=True) for c in data)
    OUT.write_text(f"[\n{lines}\n]\n", encoding="utf-8")  # one sentence a line: diffs stay readable
    print(f"{len(data)} sentences written to {OUT}")
