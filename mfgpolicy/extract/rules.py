"""Rules of the language that say when a number with a unit is *not* a target.

Each rule takes the document index, the number and its unit (None when the number has none) and
returns a short reason when the number is not a target, else None. ``REJECT_RULES`` lists them
in the order they are tried; the first reason wins. Every rule is a rule of how Chinese plans are
written, shown on sentences of its own in ``tests/extract/test_extract_rules.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mfgpolicy.extract.context import Doc
from mfgpolicy.extract.numbers import Number
from mfgpolicy.extract.units import Unit

Rule = Callable[[Doc, Number, "Unit | None"], "str | None"]

CREATION_VERBS = ("新增", "培育", "建成", "建设", "创建", "引进", "新建", "打造", "争创", "认定", "招引", "新培育")
_CREATE_BEFORE = re.compile("(?:" + "|".join(CREATION_VERBS) + r")$")
_MEASURE_HEADS = ("产值", "产能", "规模", "水平", "目标", "总量", "总额", "生产能力", "营业收入", "销售收入")
_ENTITY_AFTER_THRESHOLD = re.compile(r"\s?(?:\(含\))?(?:及)?(?:以上|以下|以内)?(?:的)?")
_REFERENCE = re.compile(r"\s*(?:根据|按照|依据|对照|参照|依照)")
_CAPACITY = re.compile(r"年产(?!值)|日产(?!值)|日处理|年处理|年加工|年吞吐|年生产(?!总值)")
_CAPACITY_TARGET = re.compile(r"产能|生产能力")
_BACKGROUND = re.compile(r"已|现有|目前|截至目前")
_INDEFINITE = re.compile(r"一批|若干|一些|一系列")
_DIGIT = re.compile(r"\d")
_GRADE_GOVERNOR = re.compile(r"(?:达到|形成)$")
_GRADE_LIST = re.compile(r"(?:达到|形成)[^,;。、]*级[^,;。]*、$")
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _before(doc: Doc, pos: int, width: int = 8) -> str:
    return doc.norm[max(0, pos - width):pos]


def section_number(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """A number opening a line and followed by "." "、" or ")" numbers a section ("1.质量效益").

    >>> from mfgpolicy.extract.rules import _doc
    >>> section_number(*_doc("  3.推广智能制造模式应用。", "3"))
    'section number'
    """
    line_start = doc.line_start(num.start)
    if num.start - line_start > 8:
        return None
    head = doc.norm[line_start:num.start]
    after = doc.norm[num.end:num.end + 1]
    if head.strip(" \t(") == "" and after in (".", "、", ")") and not num.is_range:
        return "section number"
    return None


def date_or_document_number(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """Years, dates and document numbers are not targets ("2018年3月30日", "〔2017〕23号").

    >>> date_or_document_number(*_doc("(浙政发〔2017〕23号)", "23"))
    'document number'
    >>> date_or_document_number(*_doc("余姚市人民政府 2018年3月30日", "30"))
    'date'
    """
    after = doc.norm[num.end:num.end + 2].lstrip(" ")
    if after[:1] == "号" or doc.norm[num.start - 1:num.start] in ("〔", "[", "【") and after[:1] in ("〕", "]", "】"):
        return "document number"
    if after[:1] in ("月", "日", ":", "时") or doc.year_phrase_at(num.start):
        return "date"
    return None


def ordinal(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """"第二届", "第3批": an ordinal counts nothing.

    >>> ordinal(*_doc("举办第2届大赛", "2"))
    'ordinal'
    """
    return "ordinal" if doc.norm[num.start - 1:num.start] == "第" else None


def quoted_label(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """A number inside quotation marks is a programme's name (“125”, “3511”, “3个500”).

    >>> quoted_label(*_doc("围绕“3个500”建设目标", "3"))
    'label in quotation marks'
    """
    return "label in quotation marks" if doc.in_quotes(num.start, num.end) else None


def latin_code(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """Digits inside a Latin code are part of a name ("O2O", "5G", "PM2.5", "3D打印").

    >>> latin_code(*_doc("推广O2O服务模式", "2")), latin_code(*_doc("装机500MW以上", "500"))
    ('part of a Latin code', None)
    """
    before = doc.norm[num.start - 1:num.start]
    after = doc.norm[num.end:num.end + 1]
    latin_unit = unit is not None and unit.text[:1] in _LATIN
    if before in _LATIN or (after in _LATIN and not latin_unit):
        return "part of a Latin code"
    return None


def chinese_numeral(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """A Chinese numeral counts as a target only right after a verb of creation ("新增两家").

    Elsewhere it is a label or a duration ("十大", "三年", "两个全覆盖", "每百亿元"). Magnitude
    grades ("千吨级") are left to ``grade``.

    >>> chinese_numeral(*_doc("建设三年", "三"))
    'Chinese numeral not governed by a verb of creation'
    """
    if not num.chinese or (unit and doc.norm[unit.end:unit.end + 1] == "级"):
        return None
    if (unit is not None and unit.category == "count" and _CREATE_BEFORE.search(_before(doc, num.start))
            and doc.norm[unit.end:unit.end + 1] not in ("大", "级", "星")):
        return None
    return "Chinese numeral not governed by a verb of creation"


def grade(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """"千吨级", "百亿级": a magnitude class; a target only as what is to be reached.

    "达到千吨级石墨烯微片、百万平米级薄膜的规模生产" states scales to reach; "一批千亿级行业",
    "百亿级以上产业集群" use the grade to name a class of things.

    >>> grade(*_doc("培育形成一批新的千吨级生产线", "千"))
    'magnitude grade naming a class'
    >>> grade(*_doc("达到千吨级石墨烯微片(粉体)、百万平米级石墨烯薄膜卷材的规模生产", "百")) is None
    True
    """
    if unit is None or doc.norm[unit.end:unit.end + 1] != "级":
        return None
    if doc.norm[unit.end + 1:unit.end + 3] == "以上":
        return "magnitude grade naming a class"
    before = doc.norm[doc.clause_start(num.start):num.start]
    if _GRADE_GOVERNOR.search(before) or _GRADE_LIST.search(before):
        return None
    return "magnitude grade naming a class"


def no_unit(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """A number with no unit is no target ("网上技术市场3.0", "世界500强"); an index is the
    exception and is read by ``index_value``.
    """
    return "no unit" if unit is None else None


def reference_clause(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """A clause opened by 根据/按照/依据 cites another plan; its numbers are not this plan's targets.

    >>> reference_clause(*_doc("根据宁波市9个重点传统制造业改造提升领域,结合", "9"))
    'in a clause citing another plan'
    """
    start = doc.clause_start(num.start)
    return "in a clause citing another plan" if _REFERENCE.match(doc.norm, start) else None


def capacity(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """"年产5000吨…项目": a capacity that names a project, unless the clause sets a capacity to
    form ("形成年产7万台成套装备的产能规模").

    >>> capacity(*_doc("重点推进年产5000吨高性能钕铁硼项目、", "5000"))
    'capacity naming a project'
    >>> capacity(*_doc("形成年产7万台成套装备、机器人整机的产能规模。", "7")) is None
    True
    >>> capacity(*_doc("培育年产值超50亿元的企业20家", "20")) is None
    True
    """
    item_start = doc.item_start(num.start)
    if not _CAPACITY.search(doc.norm, item_start, num.start):
        return None
    rest = doc.norm[num.end:doc.clause_end(num.end)]
    rest = rest.split("项目", 1)[0]
    return None if _CAPACITY_TARGET.search(rest) else "capacity naming a project"


def measure_attribute(doc: Doc, num: Number, unit: Unit) -> str | None:
    """A measure (money, area, weight, power) standing before a noun is an attribute of it.

    "10亿元以上制造业项目100项" and "亩均税收1万元以下低小散企业" describe things; "达到300亿元以上
    的产值规模" is still a target (的 + a measure noun). Counts before nouns are targets
    ("建设10家智能工厂") and percentages are read as stated ("实现100%“标准地”出让").

    >>> measure_attribute(*_doc("招引落地10亿元以上制造业项目100项以上", "10"))
    'measure describing a noun'
    >>> measure_attribute(*_doc("达到300亿元以上的产值规模", "300")) is None
    True
    """
    if unit is None or unit.category not in ("money", "quantity") or doc.norm[unit.end:unit.end + 1] == "级":
        return None
    m = _ENTITY_AFTER_THRESHOLD.match(doc.norm, unit.end)
    at = m.end()
    nxt = doc.norm[at:at + 1]
    if nxt == "" or nxt in ",;。:!?\n、)”’":
        return None
    if doc.norm[at - 1:at] == "的" and doc.norm.startswith(_MEASURE_HEADS, at):
        return None
    if nxt in "和及与或":
        return None
    return "measure describing a noun"


def appositive_count(doc: Doc, num: Number, unit: Unit) -> str | None:
    """"鹿城、苍南2个省级试点区域": a count after a list of as many names restates the list.

    >>> appositive_count(*_doc("指导鹿城、苍南2个省级试点区域开展申报", "2"))
    'count restating a list'
    """
    if unit is None or unit.category != "count" or num.is_range:
        return None
    before = doc.norm[doc.clause_start(num.start):num.start]
    items = before.split("、")
    if len(items) < 2 or not items[-1] or any(len(item) > 4 or not item for item in items[1:]):
        return None
    return "count restating a list" if len(items) == num.value else None


def indefinite_description(doc: Doc, num: Number, unit: Unit) -> str | None:
    """"筛选一批专注于1~2个细分领域的企业": a number inside a relative clause describing 一批 …的 X
    describes the members, it sets no target.

    >>> indefinite_description(*_doc("筛选一批长期专注于制造业1~2个特定细分领域、拥有较高市场占有率的企业", "1"))
    'describes the members of 一批 …的'
    """
    start = doc.clause_start(num.start)
    before = doc.norm[start:num.start]
    m = None
    for m in _INDEFINITE.finditer(before):
        pass
    if m is None or _DIGIT.search(before, m.end()):
        return None
    rest = doc.norm[num.end:doc.clause_end(num.end)]
    return "describes the members of 一批 …的" if "的" in rest else None


def background(doc: Doc, num: Number, unit: Unit) -> str | None:
    """Past achievements are background: "已建成…", "现有…", or a year before the plan period.

    >>> background(*_doc("全市已建成智能工厂10家", "10"))
    'background (already achieved)'
    """
    start = doc.clause_start(num.start)
    if _BACKGROUND.search(doc.norm, start, num.start):
        return "background (already achieved)"
    if doc.first_year is None:
        return None
    sentence = doc.sentence_start(num.start)
    for year in reversed(doc.years_before(num.start, sentence)):  # the nearest target year decides
        if year.role in ("target", "range"):
            return "background (a year before the plan)" if year.year < doc.first_year else None
    return None


REJECT_RULES: tuple[Rule, ...] = (
    section_number, date_or_document_number, ordinal, quoted_label, latin_code, chinese_numeral,
    grade, no_unit, reference_clause, capacity, measure_attribute, appositive_count,
    indefinite_description, background,
)


def rejection(doc: Doc, num: Number, unit: Unit | None) -> str | None:
    """Return the reason the first rule gives for ``num`` not being a target, or None."""
    for rule in REJECT_RULES:
        reason = rule(doc, num, unit)
        if reason:
            return reason
    return None


def _doc(sentence: str, number: str) -> tuple[Doc, Number, Unit | None]:
    """Index ``sentence`` and return ``(doc, number, unit)`` for the first ``number`` in it (tests)."""
    from mfgpolicy.extract.normalise import normalise
    from mfgpolicy.extract.numbers import arabic_numbers, chinese_numbers
    from mfgpolicy.extract.units import unit_at

    norm = normalise(sentence)
    doc = Doc.build(sentence, norm)
    at = norm.index(number)
    found = [n for n in (*arabic_numbers(norm), *chinese_numbers(norm)) if n.start == at]
    num = found[0]
    return doc, num, unit_at(norm, num.end)
