"""The compiled first pass: every character of a normalised text classified at once (numpy).

``classes(norm)`` looks up each code point in one table of flags (sentence end, clause end, line
break, opening quotation mark, digit, Chinese numeral, space, …), so that where the numbers, the
years and the boundaries of a text are is found without a Python loop or a regular expression
over all of its characters; the regular expressions then run only at those places.
``DIGIT`` and ``SPACE`` are exactly what ``\\d`` and ``\\s`` match in Python's ``re`` (the table
is built by asking ``re`` itself about every code point).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SENTENCE_END = "。;!?\n"
CLAUSE_END = SENTENCE_END + ",:"
QUOTE_OPENINGS = "“‘「『《〈\""
NUMERALS = "零〇一二两三四五六七八九十百千万亿"

HEADING_FIRST = "一二三四五六七八九十(" + "发主总攻目"
"""What a heading (一、 (二) 3.) or an inline "发展目标:" opens with, after spaces (digits too)."""

MARKED = "、年指力争确努"
"""Characters whose every place the columnar rules look up (``MARK``)."""

SENTENCE, CLAUSE, LINE, OPENING, DIGIT, NUMERAL, SPACE, DOT, HEADING, MARK = 1, 2, 4, 8, 16, 32, 64, 128, 256, 512


BMP = 0x10000
"""Code points below this (the Basic Multilingual Plane) are all a plan usually holds."""


@lru_cache(maxsize=2)
def class_table(size: int = 0x110000) -> np.ndarray:
    """Return the flags of the first ``size`` code points (``uint16``, indexed by ``ord``).

    ``flags_of`` uses the small table of the Basic Multilingual Plane (built in a few ms) unless
    a text holds a character beyond it.

    Examples
    --------
    >>> t = class_table()
    >>> bool(t[ord("。")] & SENTENCE), bool(t[ord(",")] & CLAUSE), bool(t[ord("٣")] & DIGIT)
    (True, True, True)
    >>> bool(t[ord("\\u3000")] & SPACE), bool(t[ord("\\n")] & SPACE), bool(t[ord("三")] & NUMERAL)
    (True, False, True)
    >>> bool((class_table(BMP) == t[:BMP]).all())
    True
    """
    import numpy as np

    table = np.zeros(size, dtype=np.uint16)
    every = np.arange(size, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    table[[m.start() for m in re.finditer(r"\d", every)]] |= DIGIT | HEADING
    table[[m.start() for m in re.finditer(r"\s", every) if m.group() != "\n"]] |= SPACE
    for chars, flag in ((SENTENCE_END, SENTENCE), (CLAUSE_END, CLAUSE), ("\n", LINE), (QUOTE_OPENINGS, OPENING),
                        (NUMERALS, NUMERAL), (".", DOT), (HEADING_FIRST, HEADING), (MARKED, MARK)):
        for ch in chars:
            table[ord(ch)] |= flag
    table.flags.writeable = False
    return table


def flags_of(points: np.ndarray) -> np.ndarray:
    """Return the flags of every code point in ``points``.

    >>> flags_of(code_points("年,3。")).tolist()  # 512 = MARK, 272 = DIGIT | HEADING
    [512, 2, 272, 3]
    """
    small = points.size == 0 or int(points.max()) < BMP
    return class_table(BMP if small else 0x110000)[points]


def code_points(norm: str) -> np.ndarray:
    """Return the code points of ``norm`` (``uint32``, one per character).

    >>> code_points("到2020").tolist()
    [21040, 50, 48, 50, 48]
    """
    import numpy as np

    return np.frombuffer(norm.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def classes(norm: str) -> np.ndarray:
    """Return the flags of every character of ``norm``.

    >>> classes("年,3。").tolist()  # 512 = MARK, 272 = DIGIT | HEADING
    [512, 2, 272, 3]
    """
    return flags_of(code_points(norm))


def run_starts(flags: np.ndarray, flag: int, not_after: int = 0) -> list[int]:
    """Return where runs of characters with ``flag`` start, except those right after ``not_after``.

    >>> f = classes("12年3.45,6")
    >>> run_starts(f, DIGIT), run_starts(f, DIGIT, not_after=DOT)
    ([0, 3, 5, 8], [0, 3, 8])
    """
    import numpy as np

    on = (flags & flag) != 0
    previous = np.empty_like(on)
    previous[:1] = False
    previous[1:] = on[:-1]
    if not_after:
        previous[1:] |= (flags[:-1] & not_after) != 0
    return np.flatnonzero(on & ~previous).tolist()


def runs(flags: np.ndarray, flag: int) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` of every maximal run of characters with ``flag``.

    >>> runs(classes("三年十二个一"), NUMERAL)
    [(0, 1), (2, 4), (5, 6)]
    """
    import numpy as np

    on = np.concatenate(([0], ((flags & flag) != 0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(on)).tolist()
    return list(zip(edges[0::2], edges[1::2]))


def year_starts(norm: str, points: np.ndarray, flags: np.ndarray) -> list[int]:
    """Return where every "19" or "20" followed by two digits starts (overlapping ones too).

    >>> s = "1920192019年, 2020"
    >>> year_starts(s, code_points(s), classes(s))
    [0, 2, 4, 6, 13]
    """
    import numpy as np

    if points.size < 4:
        return []
    first, second = points[:-3], points[1:-2]
    century = ((first == ord("1")) & (second == ord("9"))) | ((first == ord("2")) & (second == ord("0")))
    digits = ((flags[2:-1] & DIGIT) != 0) & ((flags[3:] & DIGIT) != 0)
    return np.flatnonzero(century & digits).tolist()


@lru_cache(maxsize=256)
def _member_table(chars: str) -> np.ndarray:
    import numpy as np

    table = np.zeros(max(map(ord, chars)) + 2, dtype=bool)  # the last entry stays False
    table[[ord(c) for c in chars]] = True
    return table


def one_of(codes: np.ndarray, chars: str) -> np.ndarray:
    """True where a code point is one of ``chars`` (-1, for no character, is none of them).

    >>> one_of(code_points("年a,"), "年,").tolist(), one_of(code_points("a").astype(int) - 98, "年").tolist()
    ([True, False, True], [False])
    """
    import numpy as np

    table = _member_table(chars)
    return table[np.clip(codes, -1, table.size - 1)]


def sorted_member(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_values)`` for a sorted ``sorted_values``, by binary search."""
    import numpy as np

    if not sorted_values.size:
        return np.zeros(np.shape(values), dtype=bool)
    i = np.searchsorted(sorted_values, values)
    return sorted_values[np.minimum(i, sorted_values.size - 1)] == values


@lru_cache(maxsize=2)
def isdigit_table(size: int = BMP) -> np.ndarray:
    """Return, for the first ``size`` code points, whether ``str.isdigit`` holds (a wider set than ``DIGIT``).

    >>> t = isdigit_table()
    >>> bool(t[ord("3")]), bool(t[ord("²")]), bool(t[ord("三")])
    (True, True, False)
    """
    import numpy as np

    every = np.arange(size, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(size, dtype=bool)
    table[[i for i, ch in enumerate(every) if ch.isdigit()]] = True
    table.flags.writeable = False
    return table


def non_overlapping(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Which of the matches ``[start, end)`` (sorted by start) ``finditer`` keeps: those that start
    at or after the end of the last one kept.

    >>> import numpy as np
    >>> non_overlapping(np.array([0, 1, 2, 5]), np.array([2, 3, 4, 6])).tolist()
    [True, False, True, True]
    """
    import numpy as np

    kept = np.ones(start.size, dtype=bool)
    for _ in range(64):  # each round settles one more match of every chain of overlaps
        reach = np.maximum.accumulate(np.where(kept, end, -1)) if start.size else end
        before = np.concatenate(([-1], reach[:-1]))
        now = start >= before
        if (now == kept).all():
            return kept
        kept = now
    out, last = [], -1
    for s, e in zip(start.tolist(), end.tolist()):
        out.append(s >= last)
        last = e if s >= last else last
    return np.asarray(out, dtype=bool)


def unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (``np.unique``, by a sort: numpy's hashing is slower on small arrays).

    >>> import numpy as np
    >>> unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    import numpy as np

    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if ordered.size else ordered
