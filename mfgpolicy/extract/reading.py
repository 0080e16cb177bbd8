"""Reading a target once it is found: comparator, hedge, kind, direction, years, scope, quote.

These follow ``docs/curation.md`` ("Decisions that repeat"); every function reads the
normalised text around the number and never looks further than the sentence (or, for the target
year, the paragraph) that holds it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from mfgpolicy.extract.context import Doc
from mfgpolicy.extract.numbers import Number
from mfgpolicy.extract.units import Unit

_SUFFIX = re.compile(r"\s?(?:\(含\))?(?P<cmp>及以上|以上|及以下|以下|以内|左右|上下)?")
_PREFIX_CMP = (
    (re.compile(r"(?:突破|超过|超|不低于|不少于|不小于|至少|高于|多于)(?:达到|到)?$"), ">="),
    (re.compile(r"(?:不超过|不高于|低于|少于|控制在)$"), "<="),
    (re.compile(r"(?:约|近|大约)$"), "~"),
)
_ADVERB = re.compile(r"(?:重点|着力|加快|全力|积极|大力|努力|力争|争取|确保|累计|三年|每年)+")
_SUFFIX_CMP = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "左右": "~", "上下": "~"}
_HEDGES = {"力争": "力争", "争取": "争取", "确保": "确保", "努力": "努力"}
_HEDGE_RE = re.compile("|".join(_HEDGES))
_LEAD_TIME = re.compile(r"\s*(?:(?:到|至|在)?\s?(?:19|20)\d{2}\s?年(?:底|末)?,?)?\s*")
_ANNUAL = re.compile(r"年均(?:增长|增速|提高|提升|增加|下降|降低|减少)?率?(?:达到|为|保持)?$")
_DECREASE = re.compile(r"(?:下降|降低|减少|压减|削减)(?:幅度)?(?:达到|为)?$")
_INCREASE = re.compile(r"(?:增长|提高|提升|增加|增速)率?(?:达到|为)?$")
_DOWN_WORD = re.compile(r"下降|降低|减少|压减|削减")
_REACH_COUNT = re.compile(r"达到|达|突破|超过|总量|总数|有效数|保持|在役")
_REACH_AMOUNT = re.compile(r"达到|达|突破|总额|总量|规模|产值|保持")
_CAPACITY_BEFORE = re.compile(r"年产(?!值)")
_PER_YEAR = re.compile(r"每年|全年|当年|年度")
_ITEM_PER_YEAR = re.compile(r"年均")
_DURATION = re.compile(r"(?:[两三四五六七八九十]|\d+)年(?:内|来|间)?(?!底|末|\d)")
_PER_UNIT = (("亩均", "/亩"), ("人均", "/人"))
_LEAD_STRIP = re.compile(
    r"(?:[\s、和及与并且,]|其中|同时|即|力争|争取|确保|努力|到\d{4}年底?|至\d{4}年|\d{4}年,?)+")
_VERB_STRIP = re.compile(
    r"(?:新增|培育|建成|建设|创建|引进|新建|打造|实施|完成|组织|举办|推进|推动|开展|形成|争创|累计|全年|每年|"
    r"三年|当年|招引落地|招引|重点|提升发展|规划建设|动态培育|新培育|主持|支持|遴选|整治提升|整治|淘汰|处置|"
    r"促成|谋划|入选|掌握|突破和提升|突破|建立|认定|引导|培养|集聚)+")
_TAIL_STRIP = re.compile(
    r"(?:年均增长率?|年均增速|年均提高|年均|比\d{4}年|增长|增速|提高|提升|下降|降低|减少|达到|达|突破|超过|超|保持|"
    r"为|占|至少|不低于|不少于|约|近|各|实现|力争|争取|确保|努力)+$")
_TAIL_LAST = frozenset(
    alt[-3:-1] if alt.endswith("?") else alt[-1]
    for alt in _TAIL_STRIP.pattern.removeprefix("(?:").removesuffix(")+$").split("|")
) - {"长率"} | {"长", "率"}
"""The last characters of the words ``_TAIL_STRIP`` strips: a text ending otherwise keeps its tail."""


class Reading(NamedTuple):
    """What a target says besides its number and unit."""

    unit: str
    comparator: str
    hedge: str
    kind: str
    direction: str
    base_year: int | None
    base_year_stated: bool | None
    target_year: int | None
    per_year: bool
    scope: str
    tier: int
    quote_start: int
    quote_end: int
    indicator_start: int
    indicator_end: int
    notes: str


def suffix(doc: Doc, unit_end: int) -> tuple[str, int]:
    """Return the comparator a suffix states (以上 …) and the offset after it.

    >>> from mfgpolicy.extract.rules import _doc
    >>> doc, num, unit = _doc("企业60家以上,", "60")
    >>> suffix(doc, unit.end)
    ('以上', 7)
    """
    m = _SUFFIX.match(doc.norm, unit_end)
    return (m.group("cmp") or ""), m.end()


def comparator(doc: Doc, num: Number, suffix_word: str, more: bool = False, grade: bool = False) -> str:
    """Return ``>=``, ``<=``, ``~``, ``range`` or ``=`` from the words around the number.

    A magnitude grade ("千吨级") is approximate (``~``); "100多家" (``more``) is ``>=``.

    >>> from mfgpolicy.extract.rules import _doc
    >>> comparator(*_doc("高新技术企业数突破2200家", "2200")[:2], "")
    '>='
    >>> comparator(*_doc("年均增长8%左右", "8")[:2], "左右")
    '~'
    """
    if num.is_range:
        return "range"
    if grade:
        return "~"
    if suffix_word:
        return _SUFFIX_CMP[suffix_word]
    if more:
        return ">="
    before = doc.norm[max(0, num.start - 6):num.start]
    for pattern, symbol in _PREFIX_CMP:
        if (m := pattern.search(before)) and has_subject(doc, num.start - len(before) + m.start()):
            return symbol
    return "="


def has_subject(doc: Doc, pos: int) -> bool:
    """True when words stand between the clause's start and ``pos`` (after hedges and time phrases).

    "企业数突破2200家" has a subject before 突破 (exceed); "重点突破50种核心基础零部件" does not:
    there 突破 is the verb "make breakthroughs in", and states no comparator.

    >>> from mfgpolicy.extract.rules import _doc
    >>> doc = _doc("高新技术企业数突破2200家", "2200")[0]; has_subject(doc, 7)
    True
    >>> doc = _doc("力争到2020年,重点突破50种零部件", "50")[0]; has_subject(doc, 11)
    False
    """
    start = doc.clause_start(pos)
    lead = _LEAD_STRIP.match(doc.norm, start, pos)
    at = lead.end() if lead else start
    adverb = _ADVERB.match(doc.norm, at, pos)
    at = adverb.end() if adverb else at
    return at < pos


def hedge(doc: Doc, num: Number) -> str:
    """Return the hedge (力争, 争取, 确保, 努力) that governs the number.

    A hedge in the number's own clause governs it; a hedge in an earlier clause of the sentence
    governs it only when it opens that clause (after a time phrase), as "力争到2020年,培育…" does.
    A hedge inside another clause's predicate ("比重力争达到2.8%") stays there.

    >>> from mfgpolicy.extract.rules import _doc
    >>> hedge(*_doc("力争新增浙江制造品牌认证企业9家,培育企业38家,争取新增省名牌产品30个以上", "30")[:2])
    '争取'
    >>> hedge(*_doc("比重力争达到2.8%,新产品产值率达到40%以上", "40")[:2])
    ''
    """
    sentence = doc.sentence_start(num.start)
    clause = doc.clause_start(num.start)
    found = None
    for m in _HEDGE_RE.finditer(doc.norm, sentence, num.start):
        if m.start() >= clause or _LEAD_TIME.fullmatch(doc.norm, doc.clause_start(m.start()), m.start()):
            found = m
    return _HEDGES[found.group()] if found else ""


def time_markers(doc: Doc, num: Number) -> tuple[str, int | None, bool]:
    """Return the last time marker before the number in its sentence and what it implies.

    Returns ``(marker, target_year, one_year)``: ``marker`` is ``per_year`` (每年, 全年 for the
    rest of the sentence; 年均 for its own list item only), ``duration`` (三年), ``year``
    (到2020年, "2022年,") or ``""``; ``target_year`` the year of
    the nearest target-year phrase in the paragraph; ``one_year`` whether a sentence-initial year
    inside a longer plan makes the figure a one-year figure ("2022年,力争…").
    """
    sentence = doc.sentence_start(num.start)
    text = doc.norm[sentence:num.start]
    marks: list[tuple[int, str]] = []
    if "年" in text:  # every marker but a target year holds 年
        for m in _PER_YEAR.finditer(text):
            marks.append((m.start(), "per_year"))
        for start in duration_starts(text):
            marks.append((start, "duration"))
        item = doc.item_start(num.start) - sentence
        for m in _ITEM_PER_YEAR.finditer(text, max(item, 0)):
            marks.append((m.start(), "per_year"))
    last = doc.last_target_year(num.start, doc.line_start(num.start))
    one_year = False
    target_year = None
    if last is not None:
        target_year = last.year
        if last.start >= sentence:
            marks.append((last.start - sentence, "year"))
            one_year = (last.role == "target" and doc.norm[last.start:last.start + 1].isdigit()
                        and doc.first_year is not None and doc.first_year <= last.year < doc.last_year)
    marks.sort()
    marker = marks[-1][1] if marks else ""
    if marker != "year":
        one_year = one_year and marker == ""
    return marker, target_year, one_year


def duration_starts(text: str) -> list[int]:
    """Return where ``_DURATION.finditer(text)`` matches start ("三年", "3年内"), found from each 年.

    A duration is a numeral or a run of digits right before 年 not followed by 底, 末 or a digit
    (after 内/来/间 anything may follow); each 年 ends at most one, from the leftmost start.

    >>> duration_starts("三年内,到2020年底,12年来,五年3"), [m.start() for m in _DURATION.finditer("三年内,12年来")]
    ([0, 12], [0, 4])
    """
    out = []
    at = text.find("年")
    while at != -1:
        start = at
        while start > 0 and text[start - 1].isdecimal():
            start -= 1
        if start == at and at > 0 and text[at - 1] in "两三四五六七八九十":
            start = at - 1
        nxt = text[at + 1:at + 2]
        if start < at and not (nxt in ("底", "末") or nxt.isdecimal()):
            out.append(start)
        at = text.find("年", at + 1)
    return out


def read(doc: Doc, num: Number, unit: Unit, quote_from: int) -> Reading:
    """Read the target at ``num`` whose quote may start no earlier than ``quote_from``."""
    norm = doc.norm
    suffix_word, after = suffix(doc, unit.end)
    more = norm[num.end:num.end + 1] in ("多", "余") and not num.chinese
    cmp = comparator(doc, num, suffix_word, more, grade=norm[unit.end:unit.end + 1] == "级")
    clause = max(doc.clause_start(num.start), min(quote_from, num.start))
    lead = _LEAD_STRIP.match(norm, clause)
    q_start = lead.end() if lead and lead.end() <= num.start else clause
    q_end = _quote_end(doc, num, unit, after)
    words = norm[q_start:num.start]
    unit_text = unit.text
    for marker, per in _PER_UNIT:
        if marker in words and unit.category in ("money", "quantity") and "/" not in unit_text:
            unit_text += per
    kind, direction = _kind(doc, num, Unit(unit_text, unit.end, unit.category), words, norm[q_start:q_end])
    marker, target_year, one_year = time_markers(doc, num)
    if target_year is None:
        target_year = doc.last_year
    per_year = kind == "annual_growth" or marker == "per_year" or (
        kind not in ("level",) and (one_year or doc.one_year_plan))
    if kind == "change_over_period" and per_year and direction == "increase":
        kind = "annual_growth"
    base_year, stated = _base_year(doc, num, kind, direction, per_year, one_year, target_year)
    ind_start, ind_end = indicator_span(norm, q_start, num.start, after, q_end)
    notes = []
    if base_year is not None and not stated:
        notes.append(f"base year {base_year} implied")
    if target_year is not None and target_year == doc.last_year and marker != "year":
        notes.append("target year = plan end")
    return Reading(
        unit=unit_text, comparator=cmp, hedge=hedge(doc, num), kind=kind, direction=direction,
        base_year=base_year, base_year_stated=stated if base_year is not None else None,
        target_year=target_year, per_year=per_year, scope=scope(norm[doc.sentence_start(num.start):q_end]),
        tier=doc.tier(num.start), quote_start=q_start, quote_end=q_end,
        indicator_start=ind_start, indicator_end=ind_end, notes="; ".join(notes),
    )


def _quote_end(doc: Doc, num: Number, unit: Unit, after: int) -> int:
    """End the quote after the unit and its comparator; a count's or a 的-measure's noun joins it."""
    norm = doc.norm
    clause_end = doc.clause_end(num.end)
    nxt = norm[after:after + 1]
    if nxt and nxt not in ",;。:!?\n、" and (unit.category == "count" or nxt in "的级"):
        end = after
        limit = min(clause_end, after + 40)
        while end < limit and norm[end] not in "、" and not norm[end].isdigit():
            end += 1
        while end > after and norm[end - 1] in "和及与或 ":
            end -= 1
        return end
    return after


def indicator_span(norm: str, q_start: int, n_start: int, after: int, q_end: int) -> tuple[int, int]:
    """Return the span of the indicator's words: before the number, or the noun after a count.

    >>> t = "力争新增国家级技术中心1家"
    >>> s, e = indicator_span(t, 0, 11, 13, 13); t[s:e]
    '国家级技术中心'
    """
    words = norm[q_start:n_start]
    lead = _LEAD_STRIP.match(words)
    start = q_start + (lead.end() if lead else 0)
    verb = _VERB_STRIP.match(norm, start, n_start)
    if verb:
        start = verb.end()
    tail = _TAIL_STRIP.search(norm[start:n_start]) if norm[n_start - 1:n_start] in _TAIL_LAST else None
    end = start + tail.start() if tail else n_start
    if end - start >= 2:
        return start, end
    if q_end - after >= 2:
        return after, q_end
    return start, n_start


def _kind(doc: Doc, num: Number, unit: Unit, words: str, quote: str) -> tuple[str, str]:
    if unit.category == "percent":
        down = "decrease" if _DOWN_WORD.search(words[-8:]) else "increase"
        if _ANNUAL.search(words):
            return "annual_growth", down
        if _DECREASE.search(words):
            return "change_over_period", "decrease"
        if _INCREASE.search(words) or unit.text.endswith("pp") and down == "increase":
            return "change_over_period", "increase"
        if unit.text.endswith("pp"):
            return "change_over_period", "decrease"
        return "level", "reach"
    if unit.category == "index" or "/" in unit.text:
        return "level", "reach"
    reach_verb = _REACH_COUNT.search(words)
    reach = bool(reach_verb) and (reach_verb.group() != "突破" or has_subject(doc, num.start - len(words)
                                                                          + reach_verb.start()))
    if unit.category == "count" and not _CAPACITY_BEFORE.search(words):
        return "count", "reach" if reach else "increase"
    return "amount", "reach" if _REACH_AMOUNT.search(quote) else "increase"


def _base_year(doc: Doc, num: Number, kind: str, direction: str, per_year: bool, one_year: bool,
               target_year: int | None) -> tuple[int | None, bool]:
    clause = doc.clause_start(num.start)
    for y in reversed(doc.years_before(num.start, clause)):
        if y.role == "base":
            return y.year, True
    if kind in ("annual_growth", "change_over_period") or direction == "increase":
        if one_year and target_year is not None:
            return target_year - 1, False
        if doc.one_year_plan and target_year is not None:
            return target_year - 1, False
        if doc.first_year is not None:
            return doc.first_year - 1, False
    return None, False


_SCOPES = (
    (re.compile(r"规上制造业|规模以上制造业"), "规上制造业"),
    (re.compile(r"规上工业|规模以上工业"), "规上工业"),
)
_SECTOR = re.compile(r"([\u4e00-\u9fff]{2,14}?(?:及其相关|及相关|相关)?(?:行业|产业))(?:产值)?达到")


def scope(text: str) -> str:
    """Return the population a target covers, read from its sentence (simplified).

    >>> scope("规模以上工业全员劳动生产率年均增长8%左右"), scope("全市稀土磁性材料及其相关行业达到300亿元")
    ('规上工业', '稀土磁性材料及其相关行业')
    """
    for pattern, name in _SCOPES:
        if pattern.search(text):
            return name
    if "达到" in text and ("行业" in text or "产业" in text) and (m := _SECTOR.search(text)):
        return m.group(1).removeprefix("全市")
    for word in ("全市", "制造业", "工业"):
        if word in text:
            return word
    return "全市"
