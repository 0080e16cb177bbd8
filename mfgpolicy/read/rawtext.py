"""Reading raw plan texts exactly as stored: the offsets in the curated tables depend on it."""

from __future__ import annotations

from pathlib import Path

from mfgpolicy.errors import ReadError
from mfgpolicy.read.limits import read_bytes


def decode_raw(data: bytes, source: str = "<bytes>") -> str:
    r"""Return the text of a raw file's bytes: strict UTF-8, no newline translation.

    Offsets in the curated tables are Python string offsets into this text. Bytes that are not
    UTF-8 raise ``ReadError`` naming ``source`` and the byte offset.

    Examples
    --------
    >>> decode_raw("到2020年\r\n".encode())
    '到2020年\r\n'
    >>> decode_raw(b"\xff", "plan.txt")
    Traceback (most recent call last):
    ...
    mfgpolicy.errors.ReadError: plan.txt: is not valid UTF-8 (invalid start byte at byte 0); store raw texts as UTF-8
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError(source, f"is not valid UTF-8 ({exc.reason} at byte {exc.start}); "
                                "store raw texts as UTF-8") from None


def read_raw(path: Path) -> str:
    """Return the text of a raw file (see ``decode_raw``), refusing files over the input limit."""
    return decode_raw(read_bytes(path), str(path))
