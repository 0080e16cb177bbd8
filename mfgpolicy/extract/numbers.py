"""Numbers as plans write them: ASCII or full-width digits, ranges, Chinese numerals.

All scanning runs on the normalised text (see ``normalise``), so full-width digits are already
ASCII and offsets are offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from mfgpolicy.extract import scan
from mfgpolicy.extract.units import unit_at
from mfgpolicy.numerals import chinese_to_number

_ARABIC = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s?([-~—–至到])\s?(\d+(?:\.\d+)?)(?![\d.]))?"
)
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_YEAR = re.compile(r"(?:19|20)\d{2}")


class Number(NamedTuple):
    """A number in the text: its span, value, the high end of a range, and whether it is Chinese.

    (A named tuple: a plan has thousands, and a tuple is made five times faster than a frozen
    dataclass.)
    """

    start: int
    end: int
    value: float
    value_high: float | None = None
    chinese: bool = False

    @property
    def is_range(self) -> bool:
        """True for "3-5", "1~2", "1—2"."""
        return self.value_high is not None


def _to_float(text: str) -> float:
    return float(text.replace(",", "") if "," in text else text)


def arabic_numbers(norm: str, starts: list[int] | None = None) -> Iterator[Number]:
    """Yield every Arabic number of the normalised text, ranges joined ("3-5" is one Number).

    A range joins two numbers only when the second is larger and neither looks like a year
    range ("2018-2020" stays two numbers, both years). ``starts`` are where the runs of digits
    that do not follow a digit or "." start (``scan.run_starts``; found here when not given).

    Examples
    --------
    >>> [(n.value, n.value_high) for n in arabic_numbers("3-5场,1~2家,1.5万家,2018-2020年")]
    [(3.0, 5.0), (1.0, 2.0), (1.5, None), (2018.0, None), (2020.0, None)]
    >>> [n.value for n in arabic_numbers("1,200亿元")]
    [1200.0]
    """
    for m in _arabic_matches(norm, starts):
        whole, decimals, _, high_text = m.groups()
        low_text = whole + decimals if decimals else whole
        low = _to_float(low_text)
        start = m.start()
        if high_text is None:
            yield Number(start, m.end(), low)
            continue
        high = _to_float(high_text)
        if high > low and _YEAR.fullmatch(whole) is None:
            yield Number(start, m.end(), low, high)
            continue
        yield Number(start, start + len(low_text), low)
        second = m.start(4)
        yield Number(second, second + len(high_text), high)


def _arabic_matches(norm: str, starts: list[int] | None = None) -> Iterator[re.Match[str]]:
    """Yield what ``_ARABIC.finditer(norm)`` yields, trying only where a run of digits starts.

    >>> [m.group() for m in _arabic_matches("3-5场,1,200亿元,2.5,1.2.3")]
    ['3-5', '1,200', '2.5', '1.2']
    """
    if starts is None:
        starts = scan.run_starts(scan.classes(norm), scan.DIGIT, not_after=scan.DOT)
    end = 0
    for start in starts:
        if start >= end and (m := _ARABIC.match(norm, start)):
            end = m.end()
            yield m


def chinese_numbers(norm: str, runs: list[tuple[int, int]] | None = None) -> Iterator[Number]:
    """Yield every well-formed Chinese numeral; a trailing 万/亿 is left to the unit.

    "百万平米" gives 100 (the unit is 万平米), "千吨" gives 1000, "三" gives 3. Sequences that are
    not numbers ("三四") and the article-like "一" are not yielded. A bare 万 or 亿 opening a
    magnitude grade ("万吨级") is the number 1 with an empty span, its 万 belonging to the unit.
    ``runs`` are the ``(start, end)`` of the runs of numerals (``scan.runs``; found when not given).

    Examples
    --------
    >>> [(n.value, n.end) for n in chinese_numbers("百万平米级、千吨级、三年")]
    [(100.0, 1), (1000.0, 7), (3.0, 11)]
    """
    if runs is None:
        runs = [m.span() for m in _CHINESE.finditer(norm)]
    for start, end in runs:
        if end - start == 1 and norm[start] in "一零〇":  # at most 1: never a number here
            continue
        text = norm[start:end]
        stripped = text.rstrip("万亿")
        if not stripped:
            if _bare_grade(norm, start):
                yield Number(start, start, 1.0, chinese=True)
            continue
        value = chinese_to_number(stripped)
        if value is None or value <= 1:
            continue
        yield Number(start, start + len(stripped), float(value), chinese=True)


def _bare_grade(norm: str, pos: int) -> bool:
    """True for a bare 万/亿 opening a magnitude grade ("万吨级" is 1 万吨)."""
    unit = unit_at(norm, pos)
    return unit is not None and norm[unit.end:unit.end + 1] == "级"


def format_number(value: float | None) -> str:
    """Return a number as a curator writes it: no trailing ``.0``.

    Examples
    --------
    >>> format_number(10.0), format_number(2.5), format_number(None)
    ('10', '2.5', '')
    """
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
