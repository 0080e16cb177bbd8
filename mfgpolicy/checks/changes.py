"""What changed in a curated table since the record of the last clean run, found without parsing it whole.

``change_of`` compares a table's size and mtime with the record; when they differ it reads the
file chunk by chunk from the start and from the end, hashing each chunk, up to the first chunk
that differs on each side (``span_of``). Only the span between is parsed. A change the record
cannot bound raises ``Fallback`` (the run is then a full one).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from mfgpolicy import schema
from mfgpolicy.checks import cache
from mfgpolicy.checks.cache import Layout
from mfgpolicy.errors import InputTooLargeError, ReadError
from mfgpolicy.read.curated import parse_csv
from mfgpolicy.read.limits import max_input_bytes


class Fallback(Exception):
    """This run cannot be incremental (the message says why); a full run follows."""


@dataclass
class Change:
    """A curated table whose file is not as recorded (maybe only its mtime)."""

    path: Path
    layout: Layout
    """The table as it is now."""
    first: int = 0
    """First row of the changed span."""
    old_rows: int = 0
    """Rows the span held at the last clean run."""
    span: pl.DataFrame | None = None
    """The span's rows as text; None when the bytes are as recorded."""


def change_of(curated: Path, name: str, old: Layout) -> Change | None:
    """Return how the table differs from the record (None: same size and mtime).

    The file is read chunk by chunk, from the start and from the end, up to the first chunk
    that differs from the record on each side; only the span between is parsed.
    """
    table = schema.CURATED[name]
    path = curated / table.path
    try:
        stat = os.stat(path)
    except OSError:
        raise Fallback(f"{table.path} cannot be read") from None
    if (stat.st_size, stat.st_mtime_ns) == (old.size, old.mtime_ns):
        return None
    if stat.st_size > max_input_bytes():
        raise Fallback(f"{table.path} is larger than the input limit")
    with File(path) as read:
        head = cache.header_end(read(0, min(stat.st_size, 1 << 20)))
        header = read(0, head)
        if head != old.bounds[0] or hashlib.sha1(header).hexdigest() != old.header:
            raise Fallback(f"the header of {table.path} changed")
        found = span_of(old, read, stat.st_size)
        if found is None:
            return Change(path, replace(old, size=stat.st_size, mtime_ns=stat.st_mtime_ns))
        i, j, start, end = found
        piece = read(start, end)
        before, after = read(start - 1, start), read(end - 1, end) if end else b""
    if len(piece) != end - start:
        raise Fallback(f"{table.path} changed while it was read")
    whole = (start == head or before == b"\n") and (end == stat.st_size or after == b"\n")
    if not whole or piece.count(b'"') % 2:
        raise Fallback(f"the change to {table.path} does not end on a whole record")
    try:
        span = parse_csv(header + piece, str(path))
    except (ReadError, InputTooLargeError):
        raise Fallback(f"{table.path} cannot be read as CSV") from None
    bounds, rows, digests = cache.cut(piece, 0, len(piece), span.height)
    shift = stat.st_size - old.bounds[-1]
    layout = Layout(stat.st_size, stat.st_mtime_ns, old.header,
                    old.bounds[:i] + [b + start for b in bounds] + [b + shift for b in old.bounds[j + 1:]],
                    old.rows[:i] + rows + old.rows[j:], old.digests[:i] + digests + old.digests[j:])
    return Change(path, layout, sum(old.rows[:i]), sum(old.rows[i:j]), span)


class File:
    """A file opened for reading byte ranges: ``with File(path) as read: read(start, end)``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Callable[[int, int], bytes]:
        try:
            self.fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            raise Fallback(f"{self.path.name} cannot be read") from None
        return self.read

    def read(self, start: int, end: int) -> bytes:
        if end <= start:
            return b""
        try:
            return os.pread(self.fd, end - start, start)
        except OSError:
            raise Fallback(f"{self.path.name} cannot be read") from None

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


def span_of(old: Layout, read: Callable[[int, int], bytes], size: int) -> tuple[int, int, int, int] | None:
    """Return ``(i, j, start, end)``: the recorded chunks ``i:j`` are now bytes ``start:end`` (None: unchanged).

    Chunks are compared from the start at their recorded offsets, then from the end at offsets
    shifted by the change in size, each pass stopping at its first difference.
    """
    n = len(old.rows)
    i = 0
    while i < n and _sha1(read(old.bounds[i], old.bounds[i + 1])) == old.digests[i]:
        i += 1
    shift = size - old.bounds[-1]
    if i == n and shift == 0:
        return None
    start, j = old.bounds[i], n
    while j > i:
        a, b = old.bounds[j - 1] + shift, old.bounds[j] + shift
        if a < start or _sha1(read(a, b)) != old.digests[j - 1]:
            break
        j -= 1
    return i, j, start, old.bounds[j] + shift


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()
