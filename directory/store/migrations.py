"""Versioned migrations of the PostgreSQL catalog, applied in order by `python -m directory db upgrade`.

Each migration runs once, in one transaction, under an advisory lock (two servers upgrading at once
wait for each other), and is recorded in `schema_migrations`. The listing columns come from
`directory.schema.FIELD_NAMES` as in the SQLite store: a field added to the schema becomes a column
at the next upgrade, without a migration of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from directory.schema import FIELD_NAMES, FLOAT_FIELDS

# The four columns the text index covers, as in the SQLite store's FTS5 table.
TEXT_FIELDS = ("name", "organization", "description", "city")
# Punctuation becomes a space before PostgreSQL's parser sees the text, so that, as with FTS5's
# unicode61 tokenizer, "www.example.org", "e-mail" or "Mary's" index as separate words.
_PUNCTUATION = "[!-/:-@[-`{-~‘’“”–—]+"
_ADVISORY_LOCK = 1_475_014  # any fixed number: "the aftercare schema"


def column_type(name: str) -> str:
    """The PostgreSQL column of a schema field, with the same defaults as the SQLite store."""
    if name == "id":
        return "TEXT PRIMARY KEY"
    if name in FLOAT_FIELDS:
        return "DOUBLE PRECISION"
    return "TEXT NOT NULL DEFAULT ''"


def document(config: str, table: str = "") -> str:
    """The SQL of a listing's text as a tsvector in one of the three configurations."""
    text = " || ' ' || ".join(f'{table}"{n}"' for n in TEXT_FIELDS)
    return f"to_tsvector('{config}'::regconfig, regexp_replace({text}, '{_PUNCTUATION}', ' ', 'g'))"


def _v1(cur) -> None:
    """Listings, meta, reports, correction requests; text search with unaccent in three configurations.

    Only the accent-free `simple` vector is stored and indexed (it matches as FTS5 does); the English
    and Spanish stems are computed for the matching rows when `text_search` ranks them, which keeps
    a 100,000-listing import about a third cheaper than storing all three.
    """
    cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for config, dictionary in (
        ("aftercare_simple", "simple"),
        ("aftercare_en", "english_stem"),
        ("aftercare_es", "spanish_stem"),
    ):
        parent = {"simple": "simple", "english_stem": "english", "spanish_stem": "spanish"}[dictionary]
        cur.execute(f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = {parent})")
        cur.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {config} "
            f"ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part "
            f"WITH unaccent, {dictionary}"
        )
    columns = ", ".join(f'"{n}" {column_type(n)}' for n in FIELD_NAMES)
    cur.execute(
        f"""
        CREATE TABLE resources (
            rowid BIGINT NOT NULL UNIQUE,
            {columns},
            search tsvector GENERATED ALWAYS AS ({document("aftercare_simple")}) STORED
        )"""
    )
    cur.execute("CREATE INDEX resources_source ON resources(source)")
    cur.execute("CREATE INDEX resources_category ON resources(category)")
    cur.execute("CREATE INDEX resources_search ON resources USING gin(search)")
    cur.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    cur.execute(
        """CREATE TABLE reports (
            id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, source TEXT NOT NULL,
            created_at TEXT NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL)"""
    )
    cur.execute(
        """CREATE TABLE correction_requests (
            id BIGSERIAL PRIMARY KEY, resource_id TEXT NOT NULL, created_at TEXT NOT NULL,
            problem TEXT NOT NULL, contact TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'open',
            resolved_at TEXT NOT NULL DEFAULT '')"""
    )


# (version, what it does, the step); append only, never edit one that has shipped.
MIGRATIONS: tuple[tuple[int, str, Callable], ...] = ((1, "the catalog tables and text search", _v1),)
LATEST = MIGRATIONS[-1][0]


def _applied(conn) -> int:
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def current_version(store) -> int:
    """The newest migration this database has had (0 for an empty database)."""
    with store.pool.connection() as conn:
        return _applied(conn)


def _columns(conn) -> set[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'resources'"
    ).fetchall()
    return {r[0] for r in rows}


def missing_columns(store) -> list[str]:
    """Schema fields the resources table has no column for yet (added to schema.py since the last upgrade)."""
    with store.pool.connection() as conn:
        have = _columns(conn)
    return [n for n in FIELD_NAMES if n not in have]


def upgrade(store) -> list[str]:
    """Apply every migration the database lacks, then add columns for new schema fields; what was done."""
    done: list[str] = []
    with store.pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        have = _applied(conn)
        if have > LATEST:
            raise RuntimeError(
                f"the database has schema version {have}, newer than this code ({LATEST}): update the code"
            )
        with conn.cursor() as cur:
            for version, description, step in MIGRATIONS:
                if version <= have:
                    continue
                step(cur)
                cur.execute(
                    "INSERT INTO schema_migrations(version, description) VALUES (%s, %s)",
                    (version, description),
                )
                done.append(f"{version}: {description}")
            present = _columns(conn)
            for name in FIELD_NAMES:
                if name not in present:
                    cur.execute(f'ALTER TABLE resources ADD COLUMN "{name}" {column_type(name)}')
                    done.append(f"column {name} (new in the schema)")
    return done
