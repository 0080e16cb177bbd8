"""Units of measure as plans write them after a number, with their category.

Categories decide how a number is read: ``count`` (家, 项, 个 …: numbers of things, and a
count may stand before its noun, "建设10家智能工厂"), ``money`` and ``quantity`` (亿元, 万吨,
平方米, MW …: measures, which before a noun are attributes, "10亿元以上项目"), ``percent``
(%, and ``pp`` for percentage points).
"""

from __future__ import annotations

import re
from typing import NamedTuple

COUNT_UNITS = (
    "台(套)", "台套", "人次", "家", "项", "个", "台", "套", "件", "名", "人", "场", "所", "种", "座", "条",
    "款", "户", "位", "辆", "艘", "架", "颗", "片", "张", "篇", "部", "处", "支", "只", "株", "栋", "幢",
    "批", "次",
)
MONEY_UNITS = ("美元/人", "元/平方米", "元/人", "元/亩", "美元", "元")
QUANTITY_UNITS = (
    "吨标准煤", "吨标煤", "吨/年", "蒸吨", "吨", "千瓦时", "千瓦", "平方公里", "平方米", "平米", "公顷", "亩",
    "立方米", "公里", "MW", "GW", "kW", "KW", "倍",
)
PERCENT_UNITS = ("个百分点", "百分点", "%")
MULTIPLIERS = ("千万", "百万", "万亿", "万", "亿")

_CATEGORY = {u: "count" for u in COUNT_UNITS}
_CATEGORY.update({u: "money" for u in MONEY_UNITS})
_CATEGORY.update({u: "quantity" for u in QUANTITY_UNITS})
_CATEGORY.update({u: "percent" for u in PERCENT_UNITS})
_BASE = sorted(_CATEGORY, key=len, reverse=True)
_BASE_RE = re.compile("|".join(re.escape(u) for u in _BASE))
UNIT_FIRST = frozenset(u[0] for u in (*MULTIPLIERS, *_BASE))
"""The characters a unit (after at most one space) can start with."""
_PER = re.compile(r"/(?:人|亩|年|平方米)")
_UNIT = re.compile(
    "(?> ?)(?P<multiplier>(?>(?:" + "|".join(MULTIPLIERS) + ")?))(?P<base>" + _BASE_RE.pattern + ")"
)
"""A unit at a position: one space at most, the first multiplier that fits (never given back),
then the longest base unit."""


class Unit(NamedTuple):
    """A unit found after a number: its text (normalised), end offset and category."""

    text: str
    end: int
    category: str


def unit_at(norm: str, pos: int) -> Unit | None:
    """Return the unit that starts at ``pos`` of the normalised text, or None.

    A multiplier (万, 亿, 百万 …) is part of the unit as written. One space may stand between
    number and unit.

    Examples
    --------
    >>> unit_at("22万元/人、", 2)
    Unit(text='万元/人', end=6, category='money')
    >>> unit_at("8%左右", 1).text, unit_at("3万吨/年以上", 1).text, unit_at("1个百分点", 1).text
    ('%', '万吨/年', 'pp')
    >>> unit_at("2020年", 4) is None, unit_at("5G网络", 1) is None
    (True, True)
    """
    match = _UNIT.match(norm, pos)
    if not match:
        return None
    base = match.group("base")
    start, end = match.start("multiplier"), match.end()
    if base in ("元", "美元", "吨") and (per := _PER.match(norm, end)):
        end = per.end()
    if base in ("个百分点", "百分点"):
        return Unit(match.group("multiplier") + "pp", end, _CATEGORY[base])
    return Unit(norm[start:end], end, _CATEGORY[base])


def normalise_unit(unit: str) -> str:
    """Return a unit in the form compared by the evaluation: simplified, half-width, no spaces.

    Examples
    --------
    >>> normalise_unit(" 萬元／人 "), normalise_unit("％"), normalise_unit("MW")
    ('万元/人', '%', 'mw')
    """
    from mfgpolicy.extract.normalise import normalise

    return normalise(unit or "").replace(" ", "").lower()
