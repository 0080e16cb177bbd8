"""The fast scans for numbers and years find what a plain ``finditer`` over the text finds."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract.context import _YEAR_PHRASE, _year_phrase_matches
from mfgpolicy.extract.numbers import _ARABIC, _arabic_matches, chinese_numbers

TOKENS = ["1", "2", "9", "0", "19", "20", "2020", "1920", "3-5", "1,200", ",", ".", "-", "~", "至", "到", "年", "底",
          "力争到", "争取", "截止到", "比", "较", "于", " ", "\n", "月", "度", "一", "二", "十", "百", "千", "万", "亿",
          "零", "〇", "两", "三四", "家", "级", "吨", "٣", "a", "𝟑", "𠀀"]  # 𝟑: a digit beyond the BMP
TEXT = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
_OLD_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


@settings(max_examples=600, deadline=None)
@given(TEXT)
@example("1920192019年,力争到 2018-2020年底")
@example("1,2345.6.7 3-5-7 ٣٤")
@example("𠀀𝟑𝟒年,20𝟐𝟎年")
def test_scans_match_finditer(text: str) -> None:
    assert [m.span() for m in _arabic_matches(text)] == [m.span() for m in _ARABIC.finditer(text)]
    assert [m.span() for m in _year_phrase_matches(text)] == [m.span() for m in _YEAR_PHRASE.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_chinese_numbers_skip_only_lone_ones_and_zeros(text: str) -> None:
    from mfgpolicy.extract import numbers

    fast = [(n.start, n.end, n.value) for n in chinese_numbers(text)]
    saved = numbers._CHINESE
    try:
        numbers._CHINESE = _OLD_CHINESE
        plain = [(n.start, n.end, n.value) for n in chinese_numbers(text)]
    finally:
        numbers._CHINESE = saved
    assert fast == plain


def _reference_unit_at(norm: str, pos: int) -> tuple[str, int, str] | None:
    """unit_at of 49c543c: a space, the first multiplier that fits, the longest base unit."""
    from mfgpolicy.extract.units import _BASE_RE, _CATEGORY, _PER, MULTIPLIERS

    at = pos
    if at < len(norm) and norm[at] == " ":
        at += 1
    start = at
    for multiplier in MULTIPLIERS:
        if norm.startswith(multiplier, at):
            at += len(multiplier)
            break
    match = _BASE_RE.match(norm, at)
    if not match:
        return None
    base, end = match.group(), match.end()
    if base in ("元", "美元", "吨") and (per := _PER.match(norm, end)):
        end = per.end()
    text = norm[start:at] + "pp" if base in ("个百分点", "百分点") else norm[start:end]
    return text, end, _CATEGORY[base]


UNIT_TOKENS = [" ", "  ", "千", "万", "亿", "百", "千万", "百万", "万亿", "元", "美元", "吨", "/人", "/亩", "/年", "/平方米",
               "/", "个", "百分点", "个百分点", "%", "千瓦", "千瓦时", "平方米", "台(套)", "台", "级", "MW", "x"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(UNIT_TOKENS), max_size=6).map("".join))
@example("万亿元/人")
@example("千万瓦")
def test_unit_at_reads_as_the_multiplier_loop_did(text: str) -> None:
    from mfgpolicy.extract.units import UNIT_FIRST, unit_at

    found = unit_at(text, 0)
    assert (tuple(found) if found else None) == _reference_unit_at(text, 0)
    first = text[1:2] if text[:1] == " " else text[:1]
    if first not in UNIT_FIRST:  # the shortcut the candidate pass takes
        assert found is None


READING_TOKENS = ["三", "十", "两", "一", "2020", "12", "٣", "年", "年内", "年来", "年间", "年底", "年末", "年3", "每年", "全年",
                  "当年度", "年度", "年均增长率", "年均", "比2015年", "增长", "降低", "不低于", "达到", "约", "企业", "的", ","]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(READING_TOKENS), max_size=12).map("".join))
@example("三年内,到2020年底,12年来,五年3")
def test_reading_shortcuts_match_the_plain_searches(text: str) -> None:
    from mfgpolicy.extract.reading import _DURATION, _TAIL_LAST, _TAIL_STRIP, duration_starts

    assert duration_starts(text) == [m.start() for m in _DURATION.finditer(text)]
    if text and text[-1] not in _TAIL_LAST:
        assert _TAIL_STRIP.search(text) is None
