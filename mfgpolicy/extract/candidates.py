"""The candidate pass: every number of many plans, and the unit after it, found at once.

Over the joined text of a ``Batch`` (``table``): Arabic numbers are ``numbers._ARABIC`` read as column
operations on the runs of digits (numpy), Chinese numerals come from the runs of numerals, and
units are ``units._UNIT`` matched by polars on the few characters after each number. The result
holds the numbers that have a unit, in text order: a number without one is never proposed, so
the rules need to look at no other.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from mfgpolicy.extract import scan
from mfgpolicy.extract.batch import Batch
from mfgpolicy.extract.numbers import _bare_grade
from mfgpolicy.extract.units import _BASE_RE, _CATEGORY, MULTIPLIERS, UNIT_FIRST

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

_INDEX_BEFORE = ("指数达到", "指数达", "指数为", "指数提高到", "指数提升到", "指数超过", "指数突破", "指数保持")
_UNIT_WIDTH = 12
"""A unit, its space and its "/人" are at most this many characters."""
_UNIT_RE = ("^( ?)((?:" + "|".join(MULTIPLIERS) + ")?)(" + _BASE_RE.pattern + r")(/(?:人|亩|年|平方米))?")
"""``units._UNIT`` (and ``_PER``) for Rust: no atomic groups, the same matches (no multiplier that fits
is followed by a failing base that would fit without it)."""


class Spans(NamedTuple):
    """Numbers of a batch before their values are read: spans, where the first number of a range
    ends, where its second starts and ends (-1 for none), Chinese or not."""

    start: np.ndarray
    end: np.ndarray
    low_end: np.ndarray
    high_start: np.ndarray
    high_end: np.ndarray
    chinese: np.ndarray


def table(b: Batch, skip: list[tuple[int, int]]) -> pl.DataFrame:
    """Return the numbers of ``b`` that have a unit, outside the spans ``skip`` (tables), in text order.

    One row per number, as ``core._numbers`` and ``core._unit`` find them plan by plan: ``doc``,
    ``start``, ``end``, ``value``, ``high`` (null unless a range), ``chinese``, ``unit``,
    ``unit_end``, ``category``. Values are read only for the numbers with a unit.
    """
    import numpy as np
    import polars as pl

    spans = _merge(_arabic(b), _chinese(b))
    if skip:
        lo = np.array([s for s, _ in skip], dtype=np.int64)
        hi = np.array([e for _, e in skip], dtype=np.int64)
        i = np.searchsorted(lo, spans.start, side="right") - 1
        inside = (i >= 0) & (spans.start < hi[np.maximum(i, 0)])
        spans = Spans(*(a[~inside] for a in spans))
    unit, unit_end, category = units(b, spans.start, spans.end, spans.chinese)
    rows = np.flatnonzero(unit_end >= 0)
    spans = Spans(*(a[rows] for a in spans))
    value, high = _values(b, spans)
    kept = ~np.isnan(value)  # a run of numerals that is no number ("三四") or at most 1
    rows, spans = rows[kept], Spans(*(a[kept] for a in spans))
    return pl.DataFrame({
        "doc": b.doc_of(spans.start), "start": spans.start, "end": spans.end, "value": value[kept],
        "high": high[kept], "chinese": spans.chinese, "unit": unit.gather(rows), "unit_end": unit_end[rows],
        "category": category.gather(rows),
    }).with_columns(pl.col("high").fill_nan(None))


def _merge(arabic: Spans, chinese: Spans) -> Spans:
    import numpy as np

    order = np.argsort(np.concatenate((arabic.start, chinese.start)), kind="stable")
    return Spans(*(np.concatenate((a, c))[order] for a, c in zip(arabic, chinese)))


def _runs(flags: np.ndarray, flag: int, at: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(starts, ends)`` of the runs of characters with ``flag`` (at the offsets ``at``, when given)."""
    import numpy as np

    at = np.flatnonzero((flags & flag) != 0) if at is None else at
    if not at.size:
        return at, at
    breaks = np.flatnonzero(np.diff(at) != 1)
    return at[np.concatenate(([0], breaks + 1))], at[np.concatenate((breaks, [at.size - 1]))] + 1


def _arabic(b: Batch) -> Spans:
    """``numbers.arabic_numbers`` of the joined text, as column operations (values apart).

    A match starts where a run of digits does (not after "."): its first run, then ",ddd" groups
    when that run has at most three digits, a decimal part, and a range ("3-5") when the second
    number is not followed by a digit or "."; a run inside an earlier match is no match. A range
    whose second number is not larger, or whose first is a year, is two numbers.
    """
    import numpy as np

    run_s, run_e = _runs(b.flags, scan.DIGIT, b.digits)
    top = b.flags.size - 1

    def run_end(pos: np.ndarray) -> np.ndarray:
        return run_e[np.searchsorted(run_s, pos, side="right") - 1]

    def digit(pos: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return ((b.flags[np.minimum(pos, top)] & scan.DIGIT) != 0) & (pos < hi)

    def char(pos: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return np.where(pos < hi, b.points[pos], -1)

    after_dot = (run_s > 0) & ((b.flags[np.maximum(run_s - 1, 0)] & scan.DOT) != 0)
    p = run_s[~after_dot]
    hi = b.ends[b.doc_of(p)]
    whole_end = run_end(p)
    going = whole_end - p <= 3
    while going.any():
        going &= (char(whole_end, hi) == 44) & digit(whole_end + 1, hi) & digit(whole_end + 2, hi) & digit(
            whole_end + 3, hi)
        whole_end = whole_end + 4 * going
    decimal = (char(whole_end, hi) == 46) & digit(whole_end + 1, hi)
    low_end = np.where(decimal, run_end(np.minimum(whole_end + 1, top)), whole_end)
    x = low_end + b.is_space(low_end, hi)
    dash = scan.one_of(char(x, hi), "-~—–至到")
    x = x + 1
    high_start = x + b.is_space(x, hi)
    ranged = dash & digit(high_start, hi)
    high_end = np.where(ranged, run_end(np.minimum(high_start, top)), high_start)
    decimal = ranged & (char(high_end, hi) == 46) & digit(high_end + 1, hi)
    high_end = np.where(decimal, run_end(np.minimum(high_end + 1, top)), high_end)
    ranged &= ~digit(high_end, hi) & (char(high_end, hi) != 46)
    kept = scan.non_overlapping(p, np.where(ranged, high_end, low_end))
    p, low_end, whole_end, high_start, high_end = p[kept], low_end[kept], whole_end[kept], high_start[kept], high_end[kept]
    ranged = np.flatnonzero(ranged[kept])
    first, second = b.points[p[ranged]], b.points[p[ranged] + 1]
    year = (whole_end[ranged] - p[ranged] == 4) & (((first == 49) & (second == 57)) | ((first == 50) & (second == 48)))
    joined = (values(b, high_start[ranged], high_end[ranged]) > values(b, p[ranged], low_end[ranged])) & ~year
    split = ranged[~joined]
    joined = ranged[joined]
    end, h_start, h_end = low_end.copy(), np.full(p.size, -1), np.full(p.size, -1)
    end[joined], h_start[joined], h_end[joined] = high_end[joined], high_start[joined], high_end[joined]
    start = np.concatenate((p, high_start[split]))
    order = np.argsort(start, kind="stable")
    none = np.full(split.size, -1)
    return Spans(start[order], np.concatenate((end, high_end[split]))[order],
                 np.concatenate((low_end, high_end[split]))[order], np.concatenate((h_start, none))[order],
                 np.concatenate((h_end, none))[order], np.zeros(start.size, dtype=bool))


def values(b: Batch, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``float`` of each number written at ``[start, end)`` (commas dropped).

    ASCII numbers of up to 15 digits are read as an integer over a power of ten, which rounds as
    ``float`` does; any other is read by ``float``.
    """
    import numpy as np

    out = np.empty(start.size)
    if not start.size:
        return out
    width = min(int((end - start).max()), 24)
    at = start[:, None] + np.arange(width)
    inside = at < end[:, None]
    codes = np.where(inside, b.points[np.minimum(at, b.points.size - 1)], 48)
    is_digit = (codes >= 48) & (codes <= 57) & inside
    is_dot = codes == 46
    plain = (end - start <= width) & ((is_digit | ~inside | (codes == 44) | is_dot).all(axis=1))
    plain &= is_digit.sum(axis=1) <= 15
    decimals = (is_digit & (np.cumsum(is_dot, axis=1) > 0)).sum(axis=1)
    place = np.cumsum(is_digit[:, ::-1], axis=1)[:, ::-1] - 1  # digits to the right of each digit
    mantissa = np.where(is_digit, (codes - 48) * 10.0 ** np.where(is_digit, place, 0), 0).sum(axis=1)
    out[plain] = mantissa[plain] / 10.0 ** decimals[plain]
    for i in np.flatnonzero(~plain).tolist():
        out[i] = float(b.norm[start[i]:end[i]].replace(",", ""))
    return out


def _values(b: Batch, spans: Spans) -> tuple[np.ndarray, np.ndarray]:
    """The values of numbers (NaN for a run of numerals that is no number, or at most 1) and of
    the high ends of ranges (NaN for none)."""
    import numpy as np

    value = np.full(spans.start.size, np.nan)
    arabic = np.flatnonzero(~spans.chinese)
    value[arabic] = values(b, spans.start[arabic], spans.low_end[arabic])
    high = np.full(spans.start.size, np.nan)
    ranged = np.flatnonzero(spans.high_start >= 0)
    high[ranged] = values(b, spans.high_start[ranged], spans.high_end[ranged])
    norm = b.norm
    for i, s, e in zip(*(a.tolist() for a in (np.flatnonzero(spans.chinese), spans.start[spans.chinese],
                                                 spans.end[spans.chinese]))):
        number = 1 if s == e else _chinese_value(norm[s:e])  # a bare 万/亿 of a grade is 1
        if number is not None and (number > 1 or s == e):
            value[i] = float(number)
    return value, high


def _chinese(b: Batch) -> Spans:
    """The runs of numerals of ``numbers.chinese_numbers``, a trailing 万/亿 left to the unit.

    A run of only 万/亿 stands for 1 (an empty span) when a grade opens with it ("万吨级");
    whether a run is a number (``chinese_to_number`` above 1) is read later, with its value.
    """
    import numpy as np

    starts, ends = _runs(b.flags, scan.NUMERAL)
    lone = (ends - starts == 1) & scan.one_of(b.points[starts], "一零〇")
    starts, ends = starts[~lone], ends[~lone]
    stripped = ends.copy()
    trailing = scan.one_of(b.points[stripped - 1], "万亿") & (stripped > starts)
    while trailing.any():
        stripped = stripped - trailing
        trailing = scan.one_of(b.points[np.maximum(stripped - 1, 0)], "万亿") & (stripped > starts)
    bare = np.flatnonzero(stripped == starts)
    ahead = b.points[starts[bare][:, None] + np.arange(1, _UNIT_WIDTH + 1)]
    keep = np.ones(starts.size, dtype=bool)
    keep[bare[~(ahead == ord("级")).any(axis=1)]] = False  # no 级 within a unit's reach: no grade
    starts, stripped = starts[keep], stripped[keep]
    bare = np.flatnonzero(stripped == starts)
    if bare.size:  # a few: asked one by one
        keep = np.ones(starts.size, dtype=bool)
        keep[bare] = [_bare_grade(b.norm, s) for s in starts[bare].tolist()]
        starts, stripped = starts[keep], stripped[keep]
    none = np.full(starts.size, -1)
    return Spans(starts, stripped, stripped, none, none, np.ones(starts.size, dtype=bool))


@lru_cache(maxsize=4096)
def _chinese_value(text: str) -> int | None:
    from mfgpolicy.numerals import chinese_to_number

    return chinese_to_number(text)


def units(b: Batch, start: np.ndarray, end: np.ndarray, chinese: np.ndarray) -> tuple[pl.Series, np.ndarray, pl.Series]:
    """``core._unit`` of numbers at ``[start, end)``: ``units.unit_at`` after them (and 多/余), else
    an index's "index"; return the units' texts, ends (-1 for none) and categories."""
    import numpy as np
    import polars as pl

    hi = b.ends[b.doc_of(start)]
    more = scan.one_of(b.char(end, end, hi), "多余") & ~chinese
    at = end + more
    first = np.where(b.char(at, at, hi) == 32, b.char(at + 1, at, hi), b.char(at, at, hi))
    maybe = np.flatnonzero(scan.one_of(first, _unit_first()))
    norm = b.norm
    windows = pl.Series([norm[s:e] for s, e in zip(at[maybe].tolist(), np.minimum(at[maybe] + _UNIT_WIDTH,
                                                                                   hi[maybe]).tolist())],
                        dtype=pl.String)
    parts = windows.str.extract_groups(_UNIT_RE).struct.rename_fields(["space", "mult", "base", "per"]).struct.unnest()
    per = pl.when(pl.col("base").is_in(["元", "美元", "吨"])).then(pl.col("per")).otherwise(pl.lit(""))
    found = parts.select(
        text=pl.when(pl.col("base").is_in(["个百分点", "百分点"])).then(pl.col("mult") + "pp")
        .otherwise(pl.concat_str("mult", "base", per.fill_null(""))),
        length=pl.col("space").str.len_chars() + pl.col("mult").str.len_chars() + pl.col("base").str.len_chars()
        + per.fill_null("").str.len_chars(),
        category=pl.col("base").replace_strict(_CATEGORY, default=None, return_dtype=pl.String),
    )
    text = pl.repeat(None, start.size, dtype=pl.String, eager=True).scatter(maybe, found["text"])
    category = pl.repeat(None, start.size, dtype=pl.String, eager=True).scatter(maybe, found["category"])
    unit_end = np.full(start.size, -1, dtype=np.int64)
    unit_end[maybe] = np.where(found["text"].is_null().to_numpy(), -1,
                               at[maybe] + found["length"].fill_null(0).to_numpy())
    index = np.flatnonzero((unit_end < 0) & ~chinese & scan.one_of(b.char(start - 1, b.starts[b.doc_of(start)], hi),
                                                                      _index_last()))
    if index.size:
        lo = np.maximum(b.starts[b.doc_of(start[index])], start[index] - 6)
        hits = np.array([norm[a:s].endswith(_INDEX_BEFORE) for a, s in zip(lo.tolist(), start[index].tolist())],
                        dtype=bool)
        index = index[hits]
        unit_end[index] = end[index]
        text = text.scatter(index, "index")
        category = category.scatter(index, "index")
    return text, unit_end, category


@lru_cache(maxsize=1)
def _unit_first() -> str:
    return "".join(sorted(UNIT_FIRST))


@lru_cache(maxsize=1)
def _index_last() -> str:
    return "".join(sorted({word[-1] for word in _INDEX_BEFORE}))
