"""Zip files whose bytes depend only on their contents: fixed timestamps and permissions, one order.

Used for the data release (``mfgpolicy.outputs.release``) and for the Excel workbook, which is a
zip that openpyxl stamps with the time of writing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The timestamp of every entry: the earliest a zip can store (the reproducible-builds convention)."""


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, whatever the machine
    info.external_attr = 0o644 << 16
    return info


def write_zip(path: Path, entries: Iterable[tuple[str, bytes]]) -> Path:
    """Write ``entries`` (name, bytes) to the zip ``path`` in the order given, with fixed metadata."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            archive.writestr(_info(name), data, compresslevel=6)
    return Path(path)


def normalise_zip(path: Path, replace: dict[str, bytes] | None = None) -> Path:
    """Rewrite the zip ``path`` in place with fixed timestamps and permissions, keeping its entries' order;
    entries named in ``replace`` get the bytes given there."""
    replace = replace or {}
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, replace.get(info.filename) or archive.read(info)) for info in archive.infolist()]
    return write_zip(path, entries)
