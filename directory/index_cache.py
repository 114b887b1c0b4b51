"""The search index's columns saved beside the catalog file, so a start or a reload reads a few arrays
instead of every row; keyed by the catalog's version (or the file's identity), never served stale.

The cache is one uncompressed `.npz` next to the catalog ("catalog.db.index.npz"): every numpy column
of a `SearchIndex`, and in one JSON entry the few small Python values (value labels, area lists). It
holds nothing but what the catalog holds. A cache that is missing, damaged, from other code or for
another catalog state is rebuilt; a folder that cannot be written to simply goes without one.

Each array's data starts on a 64-byte boundary of the file (padding in the zip entry's extra field), so
a load reads the file once into one buffer and every column is a view of it: no copy per array and no
checksum pass (at a million records 0.45 s of the 0.96 s `np.load` took). The file is read, not memory
mapped: a cache file overwritten in place while mapped would crash the server that maps it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import sqlite3
import struct
import tempfile
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

FORMAT = "search-index-14"  # bump whenever SearchIndex's columns change: older caches are then rebuilt
SUFFIX = ".index.npz"
_SKIP = {"_lock", "_fts_cache", "_catalog", "_records", "_haystack", "_haystack_offsets", "_constant"}
_log = logging.getLogger(__name__)


def cache_path(catalog) -> Path | None:
    """Where the cache of this catalog lives, or None for a store that is not one file."""
    path = getattr(catalog, "path", None)
    if path is None or not getattr(catalog, "conn", None):
        return None
    return Path(str(path) + SUFFIX)


def catalog_key(catalog) -> str | None:
    """What identifies the catalog's current contents: the store's version row when it has one, the
    file's identity (inode, size and modification time of the file and its write-ahead log) when it
    does not, and in both cases the meta table and the newest rowid. None when no key can be had."""
    path = Path(str(getattr(catalog, "path", "") or ""))
    try:
        stat = path.stat()
        parts: list = [FORMAT, str(path.resolve()), stat.st_ino]
        version = getattr(catalog, "version", None)
        if callable(version):
            parts.append(("version", version()))
        else:
            parts.append((stat.st_size, stat.st_mtime_ns))
            wal = Path(str(path) + "-wal")
            # An empty log (a reader opening the file makes one) adds nothing to the contents.
            if wal.exists() and wal.stat().st_size:
                parts.append((wal.stat().st_size, wal.stat().st_mtime_ns))
        parts.append(catalog.conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall())
        # The newest rowid (one b-tree step; a count(*) would read the whole table: 0.9 s at 1M rows).
        parts.append(catalog.conn.execute("SELECT coalesce(max(rowid), 0) FROM resources").fetchone())
    except (OSError, sqlite3.Error, AttributeError, ValueError):
        return None
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --- in memory: one index per catalog file and version in this process ----------------------------------

_loaded: dict[str, tuple[str, object]] = {}  # cache file → (key, index): the newest index of each catalog
_loaded_lock = threading.Lock()


def recall(catalog, key: str):
    """The index this process already holds for this catalog file under exactly `key`, or None."""
    path = cache_path(catalog)
    with _loaded_lock:
        held = _loaded.get(str(path)) if path is not None else None
    return held[1] if held is not None and held[0] == key else None


def remember(catalog, key: str, index) -> None:
    """Hold `index` as this process's index of the catalog file under `key`, in place of an older one."""
    path = cache_path(catalog)
    if path is not None:
        with _loaded_lock:
            _loaded[str(path)] = (key, index)


def forget() -> None:
    """Hold no index in memory any more (the next load reads the cache file or the rows)."""
    with _loaded_lock:
        _loaded.clear()


# --- writing --------------------------------------------------------------------------------------------


def _flat(prefix: str, obj, arrays: dict, meta: dict) -> None:
    """The attributes of `obj`: arrays into `arrays` under "prefix.name", the rest into `meta`."""
    for name, value in vars(obj).items():
        if name in _SKIP:
            continue
        key = f"{prefix}{name}"
        if isinstance(value, np.ndarray):
            arrays[key] = value
        elif hasattr(value, "by_value"):  # a list column
            meta[key] = {"kind": "multi"}
            _flat(f"{key}.", value, arrays, meta)
        elif name == "list_columns":
            meta[key] = {"kind": "multis", "groups": list(value)}
            for group, multi in value.items():
                _flat(f"{key}.{group}.", multi, arrays, meta)
        elif name == "single_columns":
            meta[key] = {"kind": "singles", "uniques": {c: u for c, (_, u, _) in value.items()}}
            for column, (codes, _, _) in value.items():
                arrays[f"{key}.{column}"] = codes
        elif name == "ids":
            joined = "\n".join(value)
            if joined.count("\n") != max(len(value) - 1, 0):
                raise ValueError("an id holds a line break")
            arrays[key] = np.frombuffer(joined.encode(), dtype=np.uint8)
            meta[key] = {"kind": "ids"}
        elif name == "lookup":
            meta[key] = {"kind": "value", "value": list(value.items())}
        else:
            meta[key] = {"kind": "value", "value": value}


def save(index, catalog, key: str) -> bool:
    """Write the index's columns beside the catalog under `key`; False when it could not be written."""
    path = cache_path(catalog)
    if path is None:
        return False
    arrays: dict[str, np.ndarray] = {}
    meta: dict = {}
    try:
        _flat("", index, arrays, meta)
        arrays["__meta__"] = np.frombuffer(json.dumps({"key": key, "fields": meta}).encode(), dtype=np.uint8)
        handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                _write_aligned(out, arrays)
            os.chmod(temporary, 0o644)  # readable like the catalog beside it (mkstemp makes it private)
            os.replace(temporary, path)  # readers see the old file or the new one, never half of one
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except (OSError, ValueError, TypeError) as exc:
        _log.info("search index cache not written beside %s: %s", path, exc)
        return False
    return True


# --- reading --------------------------------------------------------------------------------------------


def load(cls, catalog, key: str):
    """The index saved beside the catalog under exactly `key`, or None (missing, damaged, other key)."""
    path = cache_path(catalog)
    if path is None or not path.exists():
        return None
    try:
        found = _read_aligned(path, key)
        if found is None:
            return None
        header, arrays = found
        index = cls.__new__(cls)
        _restore(index, "", header["fields"], arrays)
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        json.JSONDecodeError,
        zipfile.BadZipFile,
        struct.error,
    ) as exc:
        _log.info("search index cache beside %s not used: %s", path, exc)
        return None
    index._lock = threading.Lock()
    index._fts_cache = OrderedDict()
    index._catalog = catalog
    index._records = None
    index._haystack = ""
    index._haystack_offsets = np.zeros(1, dtype=np.int64)
    index._constant = {}
    return index


_ALIGN = 64
_EXTRA_ID = 0xA11C  # the padding's extra-field id: zip readers skip ids they do not know


def _write_aligned(out, arrays: dict[str, np.ndarray]) -> None:
    """An uncompressed .npz (np.load reads it) whose arrays' data each start on a 64-byte boundary."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            data = buffer.getvalue()
            member = f"{name}.npy"
            start = out.tell() + 30 + len(member.encode()) + (len(data) - array.nbytes)
            padding = 4 + (-(start + 4)) % _ALIGN
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.extra = struct.pack("<HH", _EXTRA_ID, padding - 4) + bytes(padding - 4)
            archive.writestr(info, data)


def _read_aligned(path: Path, key: str) -> tuple[dict, dict[str, np.ndarray]] | None:
    """The header and arrays of a cache file under exactly `key` (None for another key): the file read
    once into one buffer, each array a read-only view of it (a copy only for an entry not aligned)."""
    with open(path, "rb") as handle:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
            header = json.loads(np.lib.format.read_array(archive.open("__meta__.npy")).tobytes())
        if header.get("key") != key:
            return None
        size = os.fstat(handle.fileno()).st_size
        buffer = np.empty(size, dtype=np.uint8)
        handle.seek(0)
        if handle.readinto(memoryview(buffer)) != size:
            raise ValueError("the cache file changed while it was read")
    buffer.setflags(write=False)
    raw = buffer.data
    arrays: dict[str, np.ndarray] = {}
    for entry in entries:
        name = entry.filename.removesuffix(".npy")
        if name == "__meta__":
            continue
        if entry.compress_type != zipfile.ZIP_STORED:
            raise ValueError(f"compressed entry {entry.filename}")
        names, extras = struct.unpack("<HH", raw[entry.header_offset + 26 : entry.header_offset + 30])
        start = entry.header_offset + 30 + names + extras
        stream = io.BytesIO(raw[start : start + min(entry.file_size, 65536)])
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"entry {entry.filename} is in .npy format {version}")
        if dtype.hasobject:
            raise ValueError(f"entry {entry.filename} holds Python objects")
        offset = start + stream.tell()
        count = int(np.prod(shape, dtype=np.int64))
        if offset + count * dtype.itemsize > start + entry.file_size:
            raise ValueError(f"entry {entry.filename} is cut short")
        array = np.frombuffer(raw, dtype=dtype, count=count, offset=offset)
        if offset % _ALIGN:
            array = array.copy()  # a file written some other way: still read, at the cost of a copy
        arrays[name] = array.reshape(shape, order="F" if fortran else "C")
    return header, arrays


def _restore(obj, prefix: str, fields: dict, arrays: dict) -> None:
    from directory.columns import _Multi

    names = {k[len(prefix) :].split(".")[0] for k in list(fields) + list(arrays) if k.startswith(prefix)}
    for name in names:
        key = f"{prefix}{name}"
        field = fields.get(key)
        if field is None:
            setattr(obj, name, arrays[key])
        elif field["kind"] == "multi":
            multi = _Multi.__new__(_Multi)
            _restore(multi, f"{key}.", fields, arrays)
            setattr(obj, name, multi)
        elif field["kind"] == "multis":
            columns = {}
            for group in field["groups"]:
                multi = _Multi.__new__(_Multi)
                _restore(multi, f"{key}.{group}.", fields, arrays)
                columns[group] = multi
            setattr(obj, name, columns)
        elif field["kind"] == "singles":
            setattr(
                obj,
                name,
                {
                    column: (arrays[f"{key}.{column}"], uniques, {u: i for i, u in enumerate(uniques)})
                    for column, uniques in field["uniques"].items()
                },
            )
        elif field["kind"] == "ids":
            text = arrays[key].tobytes().decode()
            setattr(obj, name, text.split("\n") if text else [])
        elif name == "lookup":
            setattr(obj, name, dict(field["value"]))
        elif name == "area_uniques":
            setattr(obj, name, [tuple(v) for v in field["value"]])
        else:
            setattr(obj, name, field["value"])
