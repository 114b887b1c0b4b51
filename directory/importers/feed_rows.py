"""Feed rows: the walk every feed importer shares, from a decoded feed to checked records and row problems.

Each format module only maps one item onto a `Resource` (raising `RowError` naming the field when it
cannot); here the items are numbered, freed once read, and sorted into records and problems.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from directory import feeds, guard
from directory.schema import ImportResult, Problem, Resource

# (row number, record or None, mapping problems): what an importer's `rows()` yields, before validation.
Row = tuple[int, Resource | None, list[Problem]]


class RowError(ValueError):
    """A feed item that cannot become a record: the field to blame and a message saying why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def not_a_feed(message: str, file: str) -> Iterator[Row]:
    """The one problem of a payload that is not the kind of feed the importer reads."""
    yield 0, None, [Problem(None, "", message, file)]


def item_rows(
    items: list[Any],
    to_record: Callable[[dict[str, Any]], Resource],
    *,
    file: str,
    noun: str,
    release: bool = False,
) -> Iterator[Row]:
    """Each item as (row number from 1, record or None, problems); `noun` names an item in messages.

    With `release` the caller hands the decoded feed over, and each item is dropped from `items` as
    soon as it is mapped, so a large feed is not held twice (as JSON objects and as records). The
    cycle collector stays paused until the walk ends or the caller drops it (see `_collector_paused`).
    """
    try:
        guard.check_rows(len(items), file)
    except guard.Breach as exc:
        yield 0, None, [exc.problem(file)]
        return
    with _collector_paused():
        for index, item in enumerate(items, start=1):
            if release:
                items[index - 1] = None
            if not isinstance(item, dict):
                problem = Problem(index, "", f"the entry is not a {noun} object; it was left out", file)
                yield index, None, [problem]
                continue
            try:
                guard.check_item(item, index, file)
                record = to_record(item)
            except guard.Breach as exc:
                yield index, None, [exc.problem(file)]
                continue
            except RowError as exc:
                yield index, None, [Problem(index, exc.field, exc.message, file)]
                continue
            except (TypeError, ValueError, OverflowError, AttributeError, KeyError, IndexError) as exc:
                # A value of a type the format does not allow (a number where a list belongs, ...).
                message = f"the {noun} has a value of the wrong type ({exc}); it was left out"
                yield index, None, [Problem(index, "", message[:300], file)]
                continue
            yield index, record, []


def collect(rows: Iterable[Row], file: str, *, region: bool = True) -> ImportResult:
    """Validate each mapped record; keep the valid ones and every problem (`region` as in `feeds.check`)."""
    result = ImportResult()
    with _collector_paused():
        for row, record, problems in rows:
            result.rows_read += 1
            if record is not None:
                problems = problems + feeds.check(record, row, file, region=region)
            if problems:
                result.errors.extend(problems)
            else:
                result.records.append(record)
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for a feed's decoding and walk, and running as before afterwards.

    A large feed is millions of objects that stay alive (the decoded feed, the records made so far)
    and hold no reference cycles, so each full collection meanwhile walks all of them for nothing:
    four such collections were a tenth of a 100,000-meeting import. Garbage with cycles made
    meanwhile, by any thread, is collected as usual once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read(
    rows: Callable[..., Iterable[Row]],
    source: str | Path | bytes | Any,
    *,
    file: str = "",
    region: bool = True,
    **options: Any,
) -> ImportResult:
    """Decode a JSON feed (path, bytes or decoded JSON) and `collect` what `rows(data, **options)` yields.

    A feed that cannot be read at all is one problem naming the file. A feed decoded here is released
    item by item as it is read; one passed in already decoded is left as it was.
    """
    with _collector_paused():
        try:
            data, file = feeds.load_json(source, file)
        except feeds.FeedError as exc:
            return ImportResult(errors=[Problem(None, "", exc.message, feeds.source_label(source, file))])
        return collect(rows(data, file=file, release=data is not source, **options), file, region=region)
