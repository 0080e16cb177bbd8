"""Python ``re`` patterns of the rules, written for polars (Rust ``regex``) with the same matches.

Rust's ``\\s`` and ``\\d`` are not quite Python's (Python's ``\\s`` also matches U+001C–U+001F,
and each follows its own Unicode version), so ``space()`` and ``digit()`` spell Python's classes
out from ``scan.class_table``. Rust has no look-around and no atomic groups; where a Python pattern
has one, its Rust form here says how it stands in. Rust's ``$`` is the end of the text only,
Python's also matches before a final line break: the windows matched here never end with one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from mfgpolicy.extract import scan

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

_WIDE = False
"""Whether a text beyond the Basic Multilingual Plane has been seen (the classes then cover all)."""


def cover(points: np.ndarray) -> None:
    """Make ``space()`` and ``digit()`` cover every character of ``points`` (called once per batch)."""
    global _WIDE
    if not _WIDE and points.size and int(points.max()) >= scan.BMP:
        _WIDE = True


def space() -> str:
    """Python's ``\\s`` as a Rust class, e.g. ``[\\x{9}-\\x{d}\\x{1c}-\\x{20}…]``."""
    return _class(scan.SPACE, "\n", _WIDE)


def digit() -> str:
    """Python's ``\\d`` (Unicode decimal digits) as a Rust class."""
    return _class(scan.DIGIT, "", _WIDE)


def not_digit() -> str:
    """Python's ``[^\\d]`` as a Rust class."""
    return "[^" + digit()[1:]


@lru_cache(maxsize=8)
def _class(flag: int, extra: str, wide: bool) -> str:
    import numpy as np

    table = scan.class_table(0x110000 if wide else scan.BMP)
    points = np.flatnonzero(table & flag)
    points = np.union1d(points, [ord(c) for c in extra]).astype(np.int64)
    breaks = np.flatnonzero(np.diff(points) != 1)
    firsts = np.concatenate(([points[0]], points[breaks + 1]))
    lasts = np.concatenate((points[breaks], [points[-1]]))
    return "[" + "".join(f"\\x{{{a:x}}}" if a == z else f"\\x{{{a:x}}}-\\x{{{z:x}}}"
                         for a, z in zip(firsts.tolist(), lasts.tolist())) + "]"


def sub(pattern: str) -> str:
    """Return ``pattern`` with ``\\s``, ``\\d`` and ``[^\\d]`` spelled out as Python's classes.

    Only outside character classes: write ``[\\s、]`` as ``(?:\\s|、)``.
    """
    return pattern.replace(r"[^\d]", not_digit()).replace(r"\s", space()).replace(r"\d", digit())


def heading_parts(lines: pl.Series, word: str) -> tuple[np.ndarray, np.ndarray]:
    """``context._HEADING`` on each line: its level (0 for none) and whether its label holds ``word``.

    The label is the text after the heading up to the first 。 or : (``_LABEL_END``), 40 characters
    at most: ``word`` (two characters) starts in its first 39 with no 。 or : before it. After "3."
    (``(?!\\d)``) the label cannot open with a digit. A heading can be read only one way, so
    each question is a match without captures.
    """
    import numpy as np

    numeral = "[一二三四五六七八九十]"
    marks = (f"{numeral}+、", rf"\({numeral}+\)", r"\d+[.、](?:[^\d]|$)")
    level = np.zeros(lines.len(), dtype=np.int64)
    for k, mark in reversed(list(enumerate(marks, start=1))):
        level[lines.str.contains(sub(rf"^\s*{mark}")).to_numpy()] = k
    label = rf"[^。:]{{0,{40 - len(word)}}}{word}"
    first = rf"(?:[^\d。:][^。:]{{0,{39 - len(word)}}})?{word}"
    goal = lines.str.contains(sub(rf"^\s*(?:{numeral}+、{label}|\({numeral}+\){label}|\d+[.、]{first})")).to_numpy()
    return level, goal & (level > 0)


def inline_goal(lines: pl.Series) -> np.ndarray:
    """``context._INLINE_GOAL.match`` on each line: an inline "发展目标:" opens it."""
    return lines.str.contains(sub(r"^\s*(?:发展目标|主要目标|总体目标|攻坚目标|目标任务)[:]")).to_numpy()
