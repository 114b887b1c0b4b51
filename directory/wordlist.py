"""The search index's word list: FTS5's own terms, kept beside the columns, so free text is matched in
numpy instead of asking SQLite again.

The list is read once per catalog version from `Catalog.text_postings` (the `fts5vocab` view of the
FTS5 index): every term as its tokenizer made it (lower case, accents removed) in byte order, the
offsets of each term's rows, and the index positions holding it. A typed prefix is then two binary
searches and one slice. A word whose tokenizing the list cannot be sure of goes to FTS5 itself.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np


def read(catalog, rowids: np.ndarray | None, contiguous: bool, size: int):
    """(terms, offsets, positions) for an index over `catalog` whose rows have these rowids, or None
    when the store has no word list (PostgreSQL matches in SQL) or the catalog changed in between."""
    postings = getattr(catalog, "text_postings", None)
    found = postings() if callable(postings) else None
    if found is None or rowids is None:
        return None
    terms, offsets, found_rowids = found
    if contiguous and size:
        positions = found_rowids - int(rowids[0])
        known = (positions >= 0) & (positions < size)
    else:
        positions = np.minimum(np.searchsorted(rowids, found_rowids), max(size - 1, 0))
        known = rowids[positions] == found_rowids if size else np.zeros(len(found_rowids), dtype=bool)
    if not known.all():
        return None  # a row the columns do not have: match in SQL rather than guess
    return terms, offsets, positions.astype(np.int32)


def plain_word(token: str) -> bytes | None:
    """A typed word as FTS5's unicode61 tokenizer (remove_diacritics 2) indexes it, when that is certain:
    ASCII letters and digits lowered, and Latin-1 or Latin Extended-A letters that are a plain letter
    with accents ("é", "ñ", "Ő") reduced to that letter. None for anything else (other scripts,
    underscores, ligatures, "ß"): such a word is left to FTS5 itself."""
    out = []
    for ch in token:
        if ch.isascii():
            if not ch.isalnum():
                return None
            out.append(ch.lower())
        elif 0xC0 <= ord(ch) <= 0x17F:
            parts = unicodedata.normalize("NFD", ch)
            base = parts[0]
            if not (base.isascii() and base.isalpha() and len(parts) > 1):
                return None
            if not all(unicodedata.combining(c) for c in parts[1:]):
                return None
            out.append(base.lower())
        else:
            return None
    return "".join(out).encode() if out else None


def match(
    expression: str, terms: np.ndarray, offsets: np.ndarray, rows: np.ndarray, size: int
) -> np.ndarray | None:
    """The records holding a prefix of every quoted word of an FTS5 expression ('"cafe"* "rec"*'), as
    a mask of `size`: FTS5's answer without asking it. None when a word is one `plain_word` refuses."""
    words = []
    for token in re.findall(r'"([^"]*)"', expression):
        word = plain_word(token)
        if word is None:
            return None
        words.append(word)
    mask: np.ndarray | None = None
    for word in words:
        hit = np.zeros(size, dtype=bool)
        if len(word) <= terms.dtype.itemsize:
            # Every term starting with `word` lies between it and the next word of that length.
            after = word[:-1] + bytes([word[-1] + 1])
            low, high = np.searchsorted(terms, np.array([word, after], dtype=terms.dtype))
            # Positions are stored as int32; numpy scatters through intp indices about three times
            # faster than through int32 ones (it converts them piece by piece), so they are widened first.
            hit[rows[offsets[low] : offsets[high]].astype(np.intp)] = True
        mask = hit if mask is None else mask & hit
    return mask
