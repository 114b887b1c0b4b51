"""The SQLite catalog's text index (FTS5 over name, organization, description and city): its table and
triggers, the one-pass indexing of an import's new rows, and the three ways search reads it.

`directory.catalog.Catalog` keeps `text_search`, `text_rowids` and `text_postings` as its methods; they
call the functions here with the catalog's connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

FIELDS = ("name", "organization", "description", "city")
_NAMES = ", ".join(FIELDS)
_NEW = ", ".join("new." + f for f in FIELDS)
_OLD = ", ".join("old." + f for f in FIELDS)
# Part of the catalog's schema (directory.catalog's DDL): the index follows the resources table through
# its triggers, so every insert, update and delete keeps it current inside the same transaction.
DDL = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS resources_fts USING fts5(
    {_NAMES}, content='resources', content_rowid='rowid',
    tokenize="unicode61 remove_diacritics 2");
CREATE TRIGGER IF NOT EXISTS resources_ai AFTER INSERT ON resources BEGIN
  INSERT INTO resources_fts(rowid, {_NAMES})
  VALUES (new.rowid, {_NEW});
END;
CREATE TRIGGER IF NOT EXISTS resources_ad AFTER DELETE ON resources BEGIN
  INSERT INTO resources_fts(resources_fts, rowid, {_NAMES})
  VALUES ('delete', old.rowid, {_OLD});
END;
CREATE TRIGGER IF NOT EXISTS resources_au AFTER UPDATE ON resources BEGIN
  INSERT INTO resources_fts(resources_fts, rowid, {_NAMES})
  VALUES ('delete', old.rowid, {_OLD});
  INSERT INTO resources_fts(rowid, {_NAMES})
  VALUES (new.rowid, {_NEW});
END;
"""


@contextmanager
def indexed_in_one_pass(conn: sqlite3.Connection) -> Iterator[int]:
    """Inside: rows inserted with rowids above the one yielded (the old largest) skip the insert trigger;
    on leaving, they are indexed with one INSERT ... SELECT and the trigger is put back as it was.

    That takes less than half the time of the trigger firing row by row. Both happen inside the caller's
    transaction, so a rollback restores the trigger too; an error inside leaves the rollback to the caller.
    """
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'resources_ai'"
    ).fetchone()
    last = conn.execute("SELECT coalesce(max(rowid), 0) FROM resources").fetchone()[0]
    if trigger:
        conn.execute("DROP TRIGGER resources_ai")
    yield last
    if trigger:
        conn.execute(
            f"INSERT INTO resources_fts(rowid, {_NAMES}) SELECT rowid, {_NAMES} FROM resources WHERE rowid > ?",
            (last,),
        )
        conn.execute(trigger[0])


def matching_ids(conn: sqlite3.Connection, match: str, limit: int | None = None) -> list[str]:
    """Ids whose name, organization, description or city match an FTS5 expression, best first (bm25);
    [] when FTS5 rejects the expression."""
    sql = (
        "SELECT r.id FROM resources_fts f JOIN resources r ON r.rowid = f.rowid "
        "WHERE resources_fts MATCH ? ORDER BY bm25(resources_fts)"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    try:
        return [r[0] for r in conn.execute(sql, (match,))]
    except sqlite3.OperationalError:
        return []


def matching_rowids(conn: sqlite3.Connection, expression: str) -> np.ndarray:
    """Rowids of the records matching an FTS5 expression (empty when FTS5 rejects it), as int64.

    SQLite joins them into one string that numpy parses: no Python object per match.
    """
    try:
        sql = "SELECT group_concat(rowid, ',') FROM resources_fts WHERE resources_fts MATCH ?"
        (joined,) = conn.execute(sql, (expression,)).fetchone()
    except sqlite3.Error:
        return np.empty(0, dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.empty(0, dtype=np.int64)


def postings(conn: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """FTS5's own word list, for a search index that matches words without asking SQLite again.

    Every term the FTS5 index holds (as its tokenizer made it: lower case, accents removed), in
    its byte order as a numpy bytes array, the offsets of each term's rows, and the rowids holding
    each term (ascending, each once). Read from `fts5vocab`, so the words are exactly the ones a
    MATCH would compare. None when the FTS5 index cannot be read that way.
    """
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.resources_vocab_rows "
            "USING fts5vocab(main, resources_fts, 'row')"
        )
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.resources_vocab_instances "
            "USING fts5vocab(main, resources_fts, 'instance')"
        )
        # Every column comes from one ordered scan: no Python object per term or per row.
        terms, counts = conn.execute(
            "SELECT group_concat(term, char(10)), group_concat(cnt) "
            "FROM (SELECT term, cnt FROM temp.resources_vocab_rows ORDER BY term)"
        ).fetchone()
        (docs,) = conn.execute("SELECT group_concat(doc) FROM temp.resources_vocab_instances").fetchone()
    except sqlite3.Error:
        return None
    if not terms:
        return np.zeros(0, dtype="S1"), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    words = np.array(terms.encode().split(b"\n"))
    per_term = np.fromstring(counts, dtype=np.int64, sep=",")
    rowids = np.fromstring(docs, dtype=np.int64, sep=",") if docs else np.zeros(0, dtype=np.int64)
    if len(words) != len(per_term) or int(per_term.sum()) != len(rowids):
        return None  # the two scans disagree (a write between them): no word list this time
    term = np.repeat(np.arange(len(words), dtype=np.int64), per_term)
    if not np.all((term[1:] != term[:-1]) | (rowids[1:] >= rowids[:-1])):
        order = np.lexsort((rowids, term))  # instances come by term and rowid; this makes sure
        term, rowids = term[order], rowids[order]
    first = np.ones(len(rowids), dtype=bool)  # a row holding a word twice counts once
    first[1:] = (term[1:] != term[:-1]) | (rowids[1:] != rowids[:-1])
    term, rowids = term[first], rowids[first]
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term, minlength=len(words)), out=offsets[1:])
    return words, offsets, rowids
