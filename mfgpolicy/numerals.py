"""Numbers as they are written in Chinese plans: ASCII or full-width digits, and Chinese numerals."""

from __future__ import annotations

import re

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CHINESE = re.compile(r"[零〇一二两兩三四五六七八九十百千万萬亿億]+")
_FRACTION = re.compile(r"([零〇一二两兩三四五六七八九十百千]+)分之([零〇一二两兩三四五六七八九十百千]+)")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


def chinese_to_number(numeral: str) -> int | None:
    """Return the integer a Chinese numeral spells, or None if it is not a well-formed number.

    Examples
    --------
    >>> chinese_to_number("十"), chinese_to_number("三十五"), chinese_to_number("一百零二")
    (10, 35, 102)
    >>> chinese_to_number("两万"), chinese_to_number("三四") is None
    (20000, True)
    """
    total, section, digit = 0, 0, None
    for ch in numeral:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                return None  # two digits in a row ("三四") is a range or list, not a number
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            total = (total + section + (digit or 0)) * _BIG_UNITS[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def numbers_in(text: str) -> list[float]:
    """Return every number written in ``text``, Arabic (ASCII or full-width) or Chinese.

    A Chinese numeral also contributes its leading part before a multiplier ("1万台" and
    "一万台" both yield 1), since the curated ``value`` keeps the multiplier in its unit. A
    fraction "X分之Y" yields Y/X ("三分之一" → 1/3, recorded with unit ``fraction``), and
    "百分之Y" yields Y as well (a percentage).

    Examples
    --------
    >>> numbers_in("年均增长8%左右,达到2.8%")
    [8.0, 2.8]
    >>> numbers_in("三年新增１０家")
    [10.0, 3.0]
    >>> numbers_in("不低于三分之一")[0] == 1 / 3
    True
    """
    ascii_text = text.translate(_FULLWIDTH)
    found = [float(m.group().replace(",", "")) for m in _ARABIC.finditer(ascii_text)]
    for match in _FRACTION.finditer(text):
        whole, part = chinese_to_number(match.group(1)), chinese_to_number(match.group(2))
        if whole and part is not None:
            found.append(part / whole)
    for match in _CHINESE.finditer(text):
        numeral = match.group()
        for candidate in (numeral, numeral.rstrip("万萬亿億")):
            value = chinese_to_number(candidate) if candidate else None
            if value is not None and float(value) not in found:
                found.append(float(value))
    return found


def number_in_text(value: float, text: str) -> bool:
    """Return True when ``value`` is written in ``text`` (as digits or Chinese numerals).

    Examples
    --------
    >>> number_in_text(18, "比2015年下降18%以上"), number_in_text(3, "三年"), number_in_text(7, "70%")
    (True, True, False)
    """
    return any(abs(n - value) < 1e-9 for n in numbers_in(text))
