"""Reading raw plan texts exactly as stored, and locating quotes in them."""

from __future__ import annotations

import hashlib
from pathlib import Path


def read_raw(path: Path) -> str:
    """Return the text of a raw file, decoded as UTF-8 with no newline translation.

    Offsets in the curated tables are Python string offsets into this text.
    """
    return path.read_bytes().decode("utf-8")


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find_all(text: str, quote: str) -> list[int]:
    """Return every start offset at which ``quote`` stands in ``text``."""
    starts, at = [], text.find(quote)
    while at >= 0 and quote:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts
