"""The record of the last clean validation, kept in ``<output>/validation/`` for incremental runs.

A ``Record`` holds what a later run needs to tell what changed: a fingerprint of the checks
(sources, schema, versions), a digest of the raw folder (names, sizes, mtimes), the sha1 of the
``documents.csv`` the sidecars generate, which raw file holds each document's text, and per
curated table its size and mtime, its ``Layout`` (the file cut into chunks of whole records,
each with its row count and sha1) and an index (one row per CSV row: primary key, foreign keys
and a hash of the row; a clean incremental run adds its changed span as a patch). Files are
parquet, each written atomically under a fresh name, the manifest last; a record that cannot be
read is no record. Deleting the folder is always safe: the next run is a full one.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from mfgpolicy import schema

FOLDER = "validation"
MANIFEST = "manifest.json"
FORMAT = 1
MAX_PATCHES = 16
"""An incremental run adds the changed span's index as a patch; a table's index is rewritten whole
when it has this many."""
CHUNK_BYTES = 1 << 17
"""Chunks are cut at the first record boundary after this many bytes (about 400 targets)."""

_SOURCES = ("checks", "read", "schema.py", "vocab.py", "numerals.py", "errors.py")
"""The package files (or folders of them) whose text the fingerprint covers: any change there invalidates."""


@dataclass
class Layout:
    """One curated CSV as last validated: stat, header, and its records in chunks."""

    size: int
    mtime_ns: int
    header: str
    """sha1 of the header line (its bytes, line end included)."""
    bounds: list[int]
    """Byte offsets: chunk ``k`` is ``bounds[k]:bounds[k + 1]``; ``bounds[0]`` ends the header, the last is the size."""
    rows: list[int]
    """Records in each chunk."""
    digests: list[str]
    """sha1 of each chunk's bytes."""

    @property
    def height(self) -> int:
        """Rows in the table."""
        return sum(self.rows)


@dataclass
class IndexFiles:
    """The files of one table's index: a base and patches, each ``[first row, rows replaced, file]``."""

    base: str
    patches: list[list] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Every file named."""
        return [self.base, *(patch[2] for patch in self.patches)]


@dataclass
class Record:
    """What the last clean run saw; ``indexes`` and ``texts`` name files beside the manifest."""

    fingerprint: str
    raw: str
    documents: str
    texts: str
    tables: dict[str, Layout]
    indexes: dict[str, IndexFiles]


@dataclass
class Seen:
    """What a full run read, kept to write the record when the run is clean."""

    layouts: dict[str, Layout] = field(default_factory=dict)
    strings: dict[str, pl.DataFrame] = field(default_factory=dict)
    """Each curated table as text (as parsed)."""
    raw: str = ""
    """``raw_digest`` of the raw folder, taken before it was read."""
    texts: dict[str, str] = field(default_factory=dict)
    """doc_id → the raw file holding its text."""
    documents: str = ""
    """sha1 of ``documents.csv`` (which a clean run found equal to what the sidecars generate)."""


def fingerprint() -> str:
    """Return a digest of everything the checks' results depend on besides the data.

    The package and polars versions (row hashes are stable within one polars version), and the
    text of the modules that read and check the data, so any change to a check invalidates.
    """
    from mfgpolicy import __version__

    digest = hashlib.sha1(f"{FORMAT}|{__version__}|{pl.__version__}|{sys.version_info[:2]}".encode())
    package = Path(__file__).resolve().parent.parent
    for name in _SOURCES:
        path = package / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(package).as_posix().encode() + b"\0")
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"<unreadable>")
    digest.update(repr(schema.CURATED).encode())
    return digest.hexdigest()


def raw_digest(raw: Path) -> str:
    """Return a digest of the raw folder's file names, sizes and mtimes ('' when it cannot be listed)."""
    try:
        fd = os.open(raw, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return ""
    try:
        names = sorted(os.listdir(fd))
        lines = []
        for name in names:
            st = os.stat(name, dir_fd=fd, follow_symlinks=True)
            lines.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}")
    except OSError:
        return ""
    finally:
        os.close(fd)
    return hashlib.sha1("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def header_end(data: bytes | memoryview) -> int:
    """Return the offset just past the header line (a newline outside quotes), or the length."""
    data = bytes(data[: 1 << 20]) if isinstance(data, memoryview) else data
    end = data.find(b"\n")
    while end >= 0 and data.count(b'"', 0, end) % 2:
        end = data.find(b"\n", end + 1)
    return len(data) if end < 0 else end + 1


def cut(data: bytes, start: int, end: int, height: int) -> tuple[list[int], list[int], list[str]]:
    """Cut ``data[start:end]`` (whole records) into chunks: return their bounds, row counts and sha1s.

    A chunk ends at the first newline outside quotes after ``CHUNK_BYTES``. When the counted
    records do not add up to ``height`` (the rows polars parsed), the span is one chunk.
    """
    bounds, rows = [start], []
    pos = start
    while pos < end:
        stop = data.find(b"\n", min(pos + CHUNK_BYTES, end) - 1, end)
        while stop >= 0 and data.count(b'"', pos, stop) % 2:
            stop = data.find(b"\n", stop + 1, end)
        nxt = end if stop < 0 else stop + 1
        rows.append(_records(data, pos, nxt))
        bounds.append(nxt)
        pos = nxt
    if sum(rows) != height:
        bounds, rows = ([start, end], [height]) if end > start else ([start], [])
    digests = [hashlib.sha1(memoryview(data)[a:b]).hexdigest() for a, b in itertools.pairwise(bounds)]
    return bounds, rows, digests


def _records(data: bytes, start: int, end: int) -> int:
    """Count the records in ``data[start:end]``: newlines outside quotes (plus an unterminated last line)."""
    count = data.count(b"\n", start, end)
    at = data.find(b'"', start, end)
    while at >= 0:  # quoted spans: pairs of quotes ("" inside a field makes an empty pair)
        close = data.find(b'"', at + 1, end)
        if close < 0:
            break
        count -= data.count(b"\n", at, close)
        at = data.find(b'"', close + 1, end)
    if end > start and data[end - 1:end] != b"\n":
        count += 1
    return count


def layout_of(data: bytes, stat: os.stat_result, height: int) -> Layout:
    """Return the layout of a curated CSV's bytes (``stat`` taken before they were read)."""
    head = header_end(data)
    bounds, rows, digests = cut(data, head, len(data), height)
    return Layout(stat.st_size, stat.st_mtime_ns, hashlib.sha1(data[:head]).hexdigest(), bounds, rows, digests)


def index_of(table: schema.Table, strings: pl.DataFrame) -> pl.DataFrame:
    """Return one row per CSV row: the primary key, the foreign keys (as text) and ``_hash`` of the row."""
    columns = [c for c in dict.fromkeys([table.primary_key, *table.foreign_keys]) if c in strings.columns]
    return strings.select(columns).with_columns(_hash=row_hashes(strings))


def row_hashes(strings: pl.DataFrame) -> pl.Series:
    """Return a hash of every row of a table read as text (stable within one polars version)."""
    frame = strings.drop("_line", strict=False)
    if frame.width == 0:
        return pl.Series("_hash", [0] * frame.height, dtype=pl.UInt64)
    return frame.hash_rows(seed=20240512).alias("_hash")


def folder_of(output: Path) -> Path:
    """Return the folder the record lives in."""
    return Path(output) / FOLDER


def load(folder: Path) -> Record | None:
    """Return the record in ``folder``, or None when there is none or it cannot be read."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        tables = {name: Layout(**layout) for name, layout in data["tables"].items()}
        indexes = {name: IndexFiles(**files) for name, files in data["indexes"].items()}
        return Record(data["fingerprint"], data["raw"], data["documents"], data["texts"], tables, indexes)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def save(folder: Path, record: Record, files: dict[str, pl.DataFrame]) -> None:
    """Write ``files`` (name → frame, as parquet) and then the manifest, atomically; drop unnamed files.

    Raises ``OSError`` or ``mfgpolicy.errors.OutputError`` when the folder cannot be written.
    """
    from mfgpolicy._io import atomic_path, atomic_write_text

    for name, frame in files.items():
        with atomic_path(folder / name) as tmp:
            frame.write_parquet(tmp, compression="lz4", statistics=False)
    manifest = {"format": FORMAT, **asdict(record)}
    atomic_write_text(folder / MANIFEST, json.dumps(manifest, separators=(",", ":")) + "\n")
    keep = {record.texts, *(name for files in record.indexes.values() for name in files.names)}
    for entry in folder.iterdir():
        if entry.suffix == ".parquet" and entry.name not in keep:
            entry.unlink(missing_ok=True)


def file_name(stem: str) -> str:
    """Return a fresh file name for ``stem`` (so a reader of the old manifest never sees a new file)."""
    return f"{stem}.{os.urandom(6).hex()}.parquet"
