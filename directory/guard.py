"""The input guard: the limits every importer and refresh apply to a file, a feed body or an archive.

What a file or a feed holds is untrusted. Before a parser sees it, the guard checks its size, the
members and decompressed size of an archive (counted from the archive's directory, before anything is
extracted), how deep its JSON nests, how long its numbers and strings are and how many rows it has.
Each breach is a `Breach` naming file, row, field and fix, which the importers turn into a `Problem`.
A parser never takes a path from data: only a `Path` (or a path string given by a caller) is read,
and only when it names a regular file.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory.schema import ImportResult, Problem


@dataclass(frozen=True)
class Limits:
    """How much of anything one input may hold. The defaults leave room for every real source ×10."""

    file_bytes: int = 100 * 1024 * 1024  # one file or feed body as read
    decompressed_bytes: int = 200 * 1024 * 1024  # all members of an archive together, uncompressed
    members: int = 200  # files in one archive
    depth: int = 64  # JSON nesting (the deepest real feed, HSDS 3 nested, is about 8)
    number_digits: int = 40  # digits in one JSON integer (int() of a long one is slow, then overflows)
    float_chars: int = 1000  # characters in one JSON decimal (real feeds write 50-digit coordinates)
    string_chars: int = 131_072  # one text value (the CSV module's own field limit)
    rows: int = 1_000_000  # items of one feed or rows of one file


LIMITS = Limits()
_MB = 1024 * 1024


def _size(n: int) -> str:
    if n >= _MB:
        return f"{n / _MB:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


class Breach(ValueError):
    """An input over a limit or of the wrong shape: where (file, row, field), what, and how to fix it."""

    def __init__(self, message: str, *, file: str = "", row: int | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.field = field

    def problem(self, file: str = "") -> Problem:
        return Problem(self.row, self.field, self.message, self.file or file)


# Files
def is_path(source: Any) -> bool:
    """Whether a source names a file: a Path, or a string that does not start like JSON data."""
    if isinstance(source, Path):
        return True
    return isinstance(source, str) and not source.lstrip().startswith(("{", "[", '"'))


def read_file(path: str | Path, file: str = "", *, limits: Limits = LIMITS) -> bytes:
    """The bytes of a regular file no larger than the limit; Breach for a device, a folder or a huge file."""
    path = Path(path)
    label = file or path.name
    check_file(path, label, limits=limits)
    with path.open("rb") as handle:
        data = handle.read(limits.file_bytes + 1)
    check_size(data, label, limits=limits)
    return data


def check_file(path: Path, label: str, *, limits: Limits = LIMITS) -> None:
    """Breach unless the path is a regular file within the size limit."""
    try:
        info = path.stat()
    except OSError as exc:
        raise Breach(f"the file cannot be read ({exc.strerror or exc}); check the path", file=label) from None
    if not stat.S_ISREG(info.st_mode):
        raise Breach("this is not a regular file (a folder or a device); give the path of a file", file=label)
    if info.st_size > limits.file_bytes:
        raise Breach(
            f"the file is {_size(info.st_size)}, over the {_size(limits.file_bytes)} limit; "
            "split it into smaller files",
            file=label,
        )


def check_size(data: bytes | str, file: str, *, limits: Limits = LIMITS) -> None:
    """Breach when a body in memory is over the file limit."""
    if len(data) > limits.file_bytes:
        raise Breach(
            f"the data is over the {_size(limits.file_bytes)} limit; split it into smaller files", file=file
        )


def zip_members(data: bytes, file: str, *, suffix: str = "", limits: Limits = LIMITS) -> dict[str, bytes]:
    """name → bytes of an archive's members (ending in `suffix`), counted and sized before extraction."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Breach(f"the archive cannot be opened ({exc}); save it again as a .zip", file=file) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(suffix)]
        if len(archive.infolist()) > limits.members:
            raise Breach(
                f"the archive holds {len(archive.infolist())} files, over the limit of {limits.members}; "
                "keep only the tables",
                file=file,
            )
        total = sum(i.file_size for i in infos)
        if total > limits.decompressed_bytes:
            raise Breach(
                f"the archive unpacks to {_size(total)}, over the {_size(limits.decompressed_bytes)} limit "
                "(a zip bomb, or tables too large to import at once); split it",
                file=file,
            )
        members: dict[str, bytes] = {}
        for info in infos:
            name = Path(info.filename).name
            try:
                # ZipExtFile stops at the size the directory announced, so the count above holds.
                members[name] = archive.read(info)
            except (
                zipfile.BadZipFile,
                zlib.error,
                NotImplementedError,
                RuntimeError,
                OSError,
                EOFError,
            ) as exc:
                raise Breach(
                    f"the archive member {name} cannot be read ({exc}); save the archive again", file=file
                ) from None
    return members


# JSON
_STRING_RE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)


def json_depth(data: bytes) -> int:
    """How deep the brackets of a JSON text nest (brackets inside strings do not count)."""
    import numpy as np  # loaded on first use: the store imports feeds, which imports this module

    bare = _STRING_RE.sub(b"", data)
    codes = np.frombuffer(bare, dtype=np.uint8)
    brackets = codes[(codes == 91) | (codes == 123) | (codes == 93) | (codes == 125)]
    if not len(brackets):
        return 0
    steps = np.where((brackets == 91) | (brackets == 123), 1, -1).astype(np.int32)
    return int(np.cumsum(steps).max())


def loads(text: str | bytes, file: str, *, limits: Limits = LIMITS) -> Any:
    """JSON decoded within the limits: depth, number length, no NaN/Infinity; JSONDecodeError as json's."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    check_size(raw, file, limits=limits)
    depth = json_depth(raw)
    if depth > limits.depth:
        raise Breach(
            f"the data nests {depth} levels deep, over the limit of {limits.depth}; this is not a feed we read",
            file=file,
        )

    def number(kind: Callable[[str], Any], most: int) -> Callable[[str], Any]:
        def parse(token: str) -> Any:
            if len(token) > most:
                raise Breach(
                    f"a number has {len(token)} digits (over {most}): '{token[:20]}…'; "
                    "numbers in a feed are days, times, counts or coordinates",
                    file=file,
                )
            value = kind(token)
            if isinstance(value, float) and not math.isfinite(value):
                raise Breach(f"the number {token[:20]} is too large; fix it at the source", file=file)
            return value

        return parse

    def constant(token: str) -> Any:
        raise Breach(f"the data holds {token}, which is not valid JSON; fix it at the source", file=file)

    try:
        return json.loads(
            text,
            parse_int=number(int, limits.number_digits),
            parse_float=number(float, limits.float_chars),
            parse_constant=constant,
        )
    except RecursionError:
        raise Breach(f"the data nests too deep to read; the limit is {limits.depth}", file=file) from None


def check_item(item: dict, row: int, file: str, *, limits: Limits = LIMITS) -> None:
    """Breach naming the field when one value of a feed item is a string over the length limit."""
    for key, value in item.items():
        values = value if isinstance(value, list) else [value]
        for one in values:
            if isinstance(one, str) and len(one) > limits.string_chars:
                raise Breach(
                    f"the value has {len(one):,} characters, over the limit of {limits.string_chars:,}; "
                    "shorten it at the source",
                    file=file,
                    row=row,
                    field=str(key)[:60],
                )


def check_rows(count: int, file: str, *, limits: Limits = LIMITS) -> None:
    """Breach when a feed or file has more rows than the limit."""
    if count > limits.rows:
        raise Breach(
            f"it has {count:,} rows, over the limit of {limits.rows:,}; split it into smaller files",
            file=file,
        )


def items(value: Any) -> list:
    """A list value as it is; anything else (a number, a string, an object) as no items at all."""
    return value if isinstance(value, list) else []


# CSV
def _long_line(chars: int) -> re.Pattern[str]:
    return re.compile(rf"[^\r\n]{{{chars + 1}}}")


_LONG_LINE = _long_line(LIMITS.string_chars)


def check_csv_text(text: str, file: str, *, limits: Limits = LIMITS) -> None:
    """Breach naming the line of a field over the CSV limit, and when the file has too many lines."""
    lines = text.count("\n")
    check_rows(lines, file, limits=limits)
    pattern = _LONG_LINE if limits.string_chars == LIMITS.string_chars else _long_line(limits.string_chars)
    found = pattern.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise Breach(
            f"this line is longer than {limits.string_chars:,} characters; a field that long is not a "
            "listing (split the text, or check that every quote is closed)",
            file=file,
            row=line,
        )


def csv_problem(exc: csv.Error, file: str, line: int | None = None) -> Problem:
    """One row-level problem for what the CSV reader could not read."""
    return Problem(line, "", f"the file cannot be read as CSV here ({exc}); check the quotes", file)


# The importers' entry points
def _is_file_or_device(path: Path) -> bool:
    try:
        return path.exists() and not path.is_dir()
    except OSError:
        return False


def entry(parse: Callable[..., ImportResult]) -> Callable[..., ImportResult]:
    """An importer's `parse` whose breaches and unreadable CSV come back as problems, never raised."""

    @functools.wraps(parse)
    def guarded(source: Any, *args: Any, **kwargs: Any) -> ImportResult:
        file = kwargs.get("file") or (Path(source).name if is_path(source) else "the file")
        try:
            if is_path(source) and _is_file_or_device(Path(source)):
                check_file(Path(source), file)
            return parse(source, *args, **kwargs)
        except Breach as exc:
            return ImportResult(errors=[exc.problem(file)])
        except csv.Error as exc:
            return ImportResult(errors=[csv_problem(exc, file)])
        except RecursionError:
            return ImportResult(errors=[Problem(None, "", "the data nests too deep to read", file)])
        except (UnicodeError, zipfile.BadZipFile, zlib.error) as exc:
            return ImportResult(errors=[Problem(None, "", f"the file cannot be read ({exc})", file)])

    return guarded
