"""Checks of our feeds against the standards' own JSON Schemas (shared by the tests and bench/feed_conformance.py).

Nothing here is ours to judge by: the Meeting Guide draft schemas and the HSDS 3 schemas are read from
../shared/data/specs as published, and every row is validated with `jsonschema`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
from referencing import Registry, Resource

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")


def meeting_guide_validator(specs: Path) -> jsonschema.protocols.Validator:
    """A validator of one meeting against the draft meeting schema, its type list resolved locally."""
    folder = specs / "meeting-guide"
    meeting = json.loads((folder / "schema-branch-meeting.schema.json").read_text(encoding="utf-8"))
    types = json.loads((folder / "schema-branch-meeting-type.schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in (meeting, types)])
    cls = jsonschema.validators.validator_for(meeting)
    return cls(meeting, registry=registry, format_checker=cls.FORMAT_CHECKER)


def meeting_guide_errors(entries: list[dict], specs: Path) -> list[tuple[str, str, str]]:
    """(slug, field, message) for every schema error of every entry."""
    validator = meeting_guide_validator(specs)
    found = []
    for entry in entries:
        for error in validator.iter_errors(entry):
            field = str(error.path[0]) if error.path else ",".join(error.validator_value or [])
            found.append((str(entry.get("slug")), field, error.message[:160]))
    return found


def hsds_table_schemas(specs: Path) -> dict[str, dict]:
    """Table name (file stem of its CSV) → the HSDS 3 schema of one row."""
    out = {}
    for path in sorted((specs / "hsds" / "schema").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if "path" in schema and "properties" in schema:
            out[schema["path"].removesuffix(".csv")] = schema
    return out


def _row_schema(schema: dict) -> dict:
    """The schema of one CSV row: the scalar properties, required and tabular_required both required."""
    props = {
        name: {k: v for k, v in prop.items() if k in ("type", "format", "enum")}
        for name, prop in schema["properties"].items()
        if prop.get("type") not in ("array", "object") and "$ref" not in prop
    }
    required = [*schema.get("required", []), *schema.get("tabular_required", [])]
    return {"type": "object", "properties": props, "required": [r for r in required if r in props]}


def _typed(value: str, prop: dict):
    if prop.get("type") == "number":
        try:
            return float(value)
        except ValueError:
            return value
    return value


def hsds_errors(files: dict[str, bytes], specs: Path) -> list[tuple[str, int, str, str]]:
    """(table, row, field, message) for every cell or row of the CSV package the HSDS 3 schemas refuse.

    Cells are typed as the schema says (numbers as numbers; empty cells are absent); `datapackage_type`
    dates, times and date-times are checked for their ISO form; UUIDs, e-mails and dates by the format
    checker.
    """
    schemas = hsds_table_schemas(specs)
    found = []
    for name, data in sorted(files.items()):
        if not name.endswith(".csv"):
            continue
        table = name.removesuffix(".csv")
        schema = schemas.get(table)
        if schema is None:
            found.append((table, 0, "", "not an HSDS 3 table"))
            continue
        row_schema = _row_schema(schema)
        validator = jsonschema.Draft202012Validator(
            row_schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        unknown = [c for c in reader.fieldnames or [] if c not in schema["properties"]]
        if unknown:
            found.append((table, 0, ",".join(unknown), "columns HSDS 3 does not define"))
        for number, row in enumerate(reader, start=2):
            obj = {
                k: _typed(v, row_schema["properties"].get(k, {}))
                for k, v in row.items()
                if k and v not in ("", None)
            }
            for error in validator.iter_errors(obj):
                field = str(error.path[0]) if error.path else str(error.message.split("'")[1])
                found.append((table, number, field, error.message[:160]))
            for field, value in obj.items():
                kind = schema["properties"].get(field, {}).get("datapackage_type")
                pattern = {"date": DATE, "time": TIME, "datetime": DATETIME}.get(kind or "")
                if pattern and not pattern.fullmatch(str(value)):
                    found.append((table, number, field, f"{value!r} is not an ISO {kind}"))
    return found
