"""Reading raw plan texts exactly as stored: the offsets in the curated tables depend on it."""

from __future__ import annotations

from pathlib import Path


def decode_raw(data: bytes) -> str:
    r"""Return the text of a raw file's bytes: UTF-8, no newline translation.

    Offsets in the curated tables are Python string offsets into this text.

    Examples
    --------
    >>> decode_raw("到2020年\r\n".encode())
    '到2020年\r\n'
    """
    return data.decode("utf-8")


def read_raw(path: Path) -> str:
    """Return the text of a raw file (see ``decode_raw``)."""
    return decode_raw(Path(path).read_bytes())
