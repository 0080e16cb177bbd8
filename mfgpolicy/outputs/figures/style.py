"""The house style of every figure: fonts, theme, sizes, city colours and labels (en / zh).

One style for the whole project, so a figure regenerated next year, or restyled in a notebook,
looks like its siblings:

* **Font**: Noto Sans CJK SC (Regular) with TrueType outlines ("Noto Sans CJK SC TT"), converted
  from the copy the PyPI package ``mplfonts`` ships and shipped in this package (``fonts/``, see
  ``fontbuild``), loaded with ``matplotlib.font_manager.FontManager.addfont`` — never a system
  font, so the output does not depend on the machine. The one font covers Latin, simplified and
  traditional Chinese, and the symbols used (− → ≥ ~), so English and Chinese figures match.
  PDFs embed it as Type 42 (``pdf.fonttype = 42``: TrueType, which journals' checks accept; the
  original CFF-flavoured font could only be embedded as Type 3). A character the font lacks
  falls back to SimHei, the TrueType font ``mplfonts`` also ships, never to a Type 3 font.
* **Theme**: seaborn ``ticks`` style and ``paper`` context, shrunk to print size: 7 pt text at
  the final width of a journal column (:data:`SINGLE` 3.5 in, :data:`DOUBLE` 7.2 in).
* **Colours**: Okabe–Ito, colour-blind safe; each city keeps its colour in every figure
  (:data:`CITY_COLOURS`).
* **Labels**: English by default, Chinese with ``lang="zh"`` (:func:`label`, :func:`city_label`,
  :func:`indicator_label`); indicator names come from ``indicators.name_en`` / ``name_zh``.

Importing this module does not import matplotlib; :func:`house_style` does.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Literal

from mfgpolicy.errors import check_choice

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

FONT_FAMILY = "Noto Sans CJK SC TT"
FONT_FILE = "NotoSansCJKscTT-Regular.ttf"
FALLBACK_FAMILY = "SimHei"
FALLBACK_FILE = "SimHei.ttf"

# Figure widths in inches at their printed size.
SINGLE = 3.5
ONE_HALF = 5.5
DOUBLE = 7.2

BASE_SIZE = 7.0      # body text, axis labels, panel titles (pt)
SMALL_SIZE = 6.0     # tick labels, annotations, legends
TINY_SIZE = 5.5      # the source line

# Okabe & Ito (2008), "Color Universal Design": safe for the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}

CITY_ORDER: tuple[str, ...] = ("Yuyao", "Jinhua", "Wenzhou", "Ningbo")
CITY_COLOURS: dict[str, str] = {
    "Yuyao": OKABE_ITO["orange"],
    "Jinhua": OKABE_ITO["bluish_green"],
    "Wenzhou": OKABE_ITO["reddish_purple"],
    "Ningbo": OKABE_ITO["blue"],
}
_SPARE_COLOURS = (OKABE_ITO["vermillion"], OKABE_ITO["sky_blue"], OKABE_ITO["black"])
NEUTRAL = "#595959"      # grey for reference lines and "no target" notes
LIGHT = "#BFBFBF"

CITY_ZH: dict[str, str] = {"Yuyao": "余姚", "Jinhua": "金华", "Wenzhou": "温州", "Ningbo": "宁波"}

# Populations (targets.scope) in plain words; other scopes (named sectors) are shown as written.
SCOPES: dict[str, dict[str, str]] = {
    "规上工业": {"en": "above-scale industry", "zh": "规上工业"},
    "规上制造业": {"en": "above-scale manufacturing", "zh": "规上制造业"},
    "全市": {"en": "citywide", "zh": "全市"},
    "工业": {"en": "industry", "zh": "工业"},
    "制造业": {"en": "manufacturing", "zh": "制造业"},
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "source": "Source: {docs}; mfgpolicy data {version}",
        "doc_sep": ", ",
        "annualised": "Implied change, % a year",
        "annualised_pp": "Implied change, pp a year",
        "pp": "{pp} pp a year",
        "no_target": "no target",
        "level_only": "level only: {value} by {year}, no baseline",
        "not_comparable": "no yearly rate: {why}",
        "legend_point": "target (~: 'about')",
        "legend_about": "about (~)",
        "legend_floor": "floor (at least): arrow points to values that also meet it",
        "legend_ceiling": "at most",
        "legend_range": "range",
        "legend_range_conventions": "range across conventions (compound or linear; stated or plan base year)",
        "caveats": "Caveats. ",
        "nested": "{child} is a county-level city inside {parent}: their populations overlap",
        "legend_hedged": "aspirational (力争 strive / 争取 seek)",
        "plan_period": "plan period",
        "base_year": "base year",
        "target_year": "target year (n targets)",
        "year": "Year",
        "annex_share": "Shares: change from the {base} baseline to the {target} target, percentage points",
        "annex_level": "Other levels: change from the {base} baseline to the {target} target, %",
        "annex_rate": "Growth rates: the rate in {base} and the yearly rate targeted to {target}, % a year",
        "annex_pp": "Change, percentage points",
        "annex_pct": "Change, %",
        "annex_rate_axis": "Growth, % a year",
        "baseline": "{base} baseline",
        "baseline_rate": "rate in {base}",
        "pp_short": "{pp} pp",
        "rate_as_written": "{base} in {base_year} → {target} a year to {target_year}",
        "target": "{target} target",
        "coverage_shared": "Headline indicators and others set by two or more cities\n(number of targets)",
        "coverage_domains": "Indicators set, per domain",
        "n_targets": "number of targets",
        "n_indicators": "indicators",
        "single_city": "Not shown: {n} other indicators set by one city only ({detail}).",
        "index_base": "Index, base year = 100",
        "share": "Share, %",
        "no_target_cities": "no target: {cities}",
        "level_no_base": "level target, no baseline",
        "achievement_title": "Targets against the outcome observed in their target year: {met} met, {missed} missed, "
                             "{not_comparable} not comparable",
        "achievement_pp": "Rates and shares: outcome minus target, percentage points",
        "achievement_pct": "Other levels: outcome beyond (+) or short of (−) the target, % of the target",
        "achievement_pp_axis": "← short of the target · beyond it →, percentage points",
        "achievement_pct_axis": "← short of the target · beyond it →, % of the target",
        "achievement_not_scored": "Not comparable ({n}): the target; the outcome observed; why they cannot be scored",
        "target_by": "target {value} by {year}",
        "target_rate": "target {value} a year, {start}–{year}",
        "outcome_as": "outcome {value} ({kind}, {period})",
        "status_met": "met",
        "status_missed": "missed",
        "status_not_comparable": "not comparable",
        "escalation_title": "City targets beside the parent plan's ({pairs}): {tighter} tighter, {same} the same, "
                            "{looser} looser, {not_comparable} not comparable",
        "escalation_pp": "Rates and shares: city minus parent, percentage points (a year, for rates)",
        "escalation_pct": "Other levels: the city's target against the parent's, %",
        "escalation_pp_axis": "← looser than the parent · tighter →, percentage points",
        "escalation_pct_axis": "← looser than the parent · tighter →, % of the parent's target",
        "escalation_not_comparable": "Not comparable ({n}): city target vs parent target; why",
        "city_vs_parent": "{mine} ({year}) vs {theirs} ({parent_year})",
        "a_year": "{value} a year",
        "change_decrease": "cut by {value}",
        "change_increase": "up by {value}",
        "relation_tighter": "tighter",
        "relation_same": "same",
        "relation_looser": "looser",
        "relation_not_comparable": "not comparable",
        "single_target": "{indicator}: only {city} sets a target ({value} by {year}), a level without a baseline, "
                         "so there is no path to draw.",
        "domain": "Domain",
        "indicator": "Indicator",
        "city": "City",
    },
    "zh": {
        "source": "来源：{docs}；mfgpolicy 数据 {version}",
        "doc_sep": "、",
        "annualised": "隐含年均变化（%）",
        "annualised_pp": "隐含年均变化（百分点）",
        "pp": "每年{pp}个百分点",
        "no_target": "未设目标",
        "level_only": "仅有水平目标：{year}年{value}，无基期值",
        "not_comparable": "无法折算年率",
        "legend_point": "目标值（~表示“左右”）",
        "legend_about": "左右（~）",
        "legend_floor": "以上：箭头指向同样达标的方向",
        "legend_ceiling": "以内",
        "legend_range": "区间",
        "legend_range_conventions": "不同口径下的区间（复利或线性；所述基期年或规划期）",
        "caveats": "注意：",
        "nested": "{child}为{parent}下辖县级市，两者均设此指标，统计范围重叠",
        "legend_hedged": "力争/争取（非约束性表述）",
        "plan_period": "规划期",
        "base_year": "基期年",
        "target_year": "目标年（目标数）",
        "year": "年份",
        "annex_share": "比重类：{base}年基期值至{target}年目标值的变化（百分点）",
        "annex_level": "其他水平值：{base}年基期值至{target}年目标值的变化（%）",
        "annex_rate": "增速类：{base}年增速与至{target}年的年均目标增速（%）",
        "annex_pp": "变化（百分点）",
        "annex_pct": "变化（%）",
        "annex_rate_axis": "年增速（%）",
        "baseline": "{base}年基期值",
        "baseline_rate": "{base}年增速",
        "pp_short": "{pp}个百分点",
        "rate_as_written": "{base_year}年{base} → 至{target_year}年年均{target}",
        "target": "{target}年目标值",
        "coverage_shared": "核心指标及两个以上城市设定的其他指标\n（目标数）",
        "coverage_domains": "各领域设定的指标数",
        "n_targets": "目标数",
        "n_indicators": "指标数",
        "single_city": "未列出：仅一个城市设定的其他指标{n}项（{detail}）。",
        "index_base": "指数（基期年=100）",
        "share": "比重（%）",
        "no_target_cities": "未设目标：{cities}",
        "level_no_base": "水平目标，无基期值",
        "achievement_title": "目标与目标年实际结果：达成{met}项，未达成{missed}项，无法比较{not_comparable}项",
        "achievement_pp": "增速与比重：实际值减目标值（百分点）",
        "achievement_pct": "其他水平值：实际值超出（+）或低于（−）目标的幅度（占目标的%）",
        "achievement_pp_axis": "← 未达目标 · 超出目标 →（百分点）",
        "achievement_pct_axis": "← 未达目标 · 超出目标 →（占目标的%）",
        "achievement_not_scored": "无法比较（{n}项）：目标；实际结果；无法评判的原因",
        "target_by": "目标：{year}年{value}",
        "target_rate": "目标：{start}–{year}年年均{value}",
        "outcome_as": "结果：{period}{kind}{value}",
        "status_met": "达成",
        "status_missed": "未达成",
        "status_not_comparable": "无法比较",
        "escalation_title": "城市目标与上级规划目标（{pairs}）：更高{tighter}项，相同{same}项，更低{looser}项，"
                            "无法比较{not_comparable}项",
        "escalation_pp": "增速与比重：城市减上级（百分点；增速为每年）",
        "escalation_pct": "其他水平值：城市目标相对上级目标（%）",
        "escalation_pp_axis": "← 低于上级 · 高于上级 →（百分点）",
        "escalation_pct_axis": "← 低于上级 · 高于上级 →（占上级目标的%）",
        "escalation_not_comparable": "无法比较（{n}项）：城市目标与上级目标；原因",
        "city_vs_parent": "{year}年{mine}，上级{parent_year}年{theirs}",
        "a_year": "年均{value}",
        "change_decrease": "下降{value}",
        "change_increase": "增长{value}",
        "relation_tighter": "更高",
        "relation_same": "相同",
        "relation_looser": "更低",
        "relation_not_comparable": "无法比较",
        "single_target": "{indicator}：仅{city}设定目标，{year}年{value}，为无基期值的水平目标，无路径可画。",
        "domain": "领域",
        "indicator": "指标",
        "city": "城市",
    },
}

DOMAINS: dict[str, dict[str, str]] = {
    "efficiency": {"en": "efficiency", "zh": "效率"},
    "innovation": {"en": "innovation", "zh": "创新"},
    "green": {"en": "green", "zh": "绿色"},
    "digital": {"en": "digital", "zh": "数字化"},
    "investment": {"en": "investment", "zh": "投资"},
    "quality": {"en": "quality", "zh": "质量品牌"},
    "enterprise": {"en": "enterprises", "zh": "企业培育"},
    "scale": {"en": "scale", "zh": "规模"},
    "sector_output": {"en": "sector output", "zh": "行业产值"},
    "platform": {"en": "platforms", "zh": "平台"},
    "openness": {"en": "openness", "zh": "开放"},
    "talent": {"en": "talent", "zh": "人才"},
    "finance": {"en": "finance", "zh": "金融"},
    "land": {"en": "land use", "zh": "用地"},
}

# Units in English, as people write them after a number or in an axis label (the Chinese
# figures show units as the plans write them: 万元/人).
UNITS_EN: dict[str, str] = {
    "%": "%", "pp": " pp", "index": "", "fraction": "", "万元/人": " 10k yuan per worker",
    "万元/亩": " 10k yuan per mu", "亿元": " 100m yuan", "亿美元": " 100m US dollars",
    "吨标准煤/万元": " tce per 10k yuan", "件/百亿元": " patents per 10bn yuan of revenue", "件": " patents",
    "家": " firms", "万家": " 10k firms", "个": "", "项": "", "台": " units", "万台": " 10k units", "人": " people",
    "万人": " 10k people", "名": " people", "万名": " 10k people", "所": " schools", "场": " events",
    "种": " kinds", "吨": " t", "万吨": " 10k t", "万吨标准煤": " 10k tce", "万平方米": " 10k m²", "万平米": " 10k m²",
    "MW": " MW",
}

# Amounts in 万 (10^4) or 亿 (10^8) of something, written out in English ("22万元/人" is
# "220k yuan per worker", "1200亿元" "120bn yuan"): unit -> (multiplier, unit after the number).
SCALED_EN: dict[str, tuple[float, str]] = {
    "万元/人": (1e4, " yuan per worker"), "万元/亩": (1e4, " yuan per mu"), "亿元": (1e8, " yuan"),
    "亿美元": (1e8, " US dollars"), "万台": (1e4, " units"), "万家": (1e4, " firms"), "万人": (1e4, " people"),
    "万名": (1e4, " people"), "万吨": (1e4, " t"), "万吨标准煤": (1e4, " tce"), "万平方米": (1e4, " m²"),
    "万平米": (1e4, " m²"),
}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is "en" or "zh"; raise ``UnknownChoiceError`` otherwise."""
    check_choice("lang", lang, LANGS)
    return lang  # type: ignore[return-value]


def label(key: str, lang: str = "en", **fields: object) -> str:
    """Return the label ``key`` in ``lang``, formatted with ``fields``."""
    return LABELS[check_lang(lang)][key].format(**fields)


def city_colour(city: str) -> str:
    """Return the fixed colour of ``city`` (a spare Okabe–Ito colour for a city added later)."""
    if city in CITY_COLOURS:
        return CITY_COLOURS[city]
    return _SPARE_COLOURS[sum(map(ord, city)) % len(_SPARE_COLOURS)]


def city_sort_key(city: str) -> tuple[int, str]:
    """Sort cities in the house order (Yuyao, Jinhua, Wenzhou, Ningbo, then any other by name)."""
    return (CITY_ORDER.index(city) if city in CITY_ORDER else len(CITY_ORDER), city)


def city_label(city: str, lang: str = "en", names_zh: Mapping[str, str] | None = None) -> str:
    """Return the city's name in ``lang`` (Chinese names from ``cities.name_zh`` when given)."""
    if check_lang(lang) == "en":
        return city
    return (names_zh or {}).get(city) or CITY_ZH.get(city, city)


def indicator_label(name_en: str | None, name_zh: str | None, lang: str = "en", key: str = "") -> str:
    """Return the indicator's name from ``indicators.name_en`` / ``name_zh`` (the key if missing)."""
    name = name_en if check_lang(lang) == "en" else (name_zh or name_en)
    return name or key


def scope_label(scope: str | None, lang: str = "en") -> str:
    """Return the population a target covers in plain words (named sectors as written)."""
    if not scope:
        return ""
    return SCOPES.get(scope, {}).get(check_lang(lang), scope)


def domain_label(domain: str | None, lang: str = "en") -> str:
    """Return the indicator domain in ``lang``."""
    if not domain:
        return "—"
    return DOMAINS.get(domain, {}).get(check_lang(lang), domain)


def unit_label(unit: str | None, lang: str = "en") -> str:
    """Return the unit to print after a number or in an axis label ("%" sticks to it; others get a space).

    Examples
    --------
    >>> unit_label("万元/人"), unit_label("万元/人", "zh"), unit_label("%", "zh")
    (' 10k yuan per worker', '万元/人', '%')
    """
    if not unit or unit in ("index", "fraction"):
        return ""
    if check_lang(lang) == "en":
        return UNITS_EN.get(unit, f" {unit}")
    return unit if unit in ("%", "pp") else f" {unit}" if unit.isascii() else unit


def amount(value: float | None, unit: str | None, lang: str = "en") -> str:
    """Return a number with its unit as people write it: 22万元/人 is "220k yuan per worker" in English.

    Examples
    --------
    >>> amount(22, "万元/人"), amount(1200, "亿元"), amount(2.5, "万台"), amount(22, "万元/人", "zh")
    ('220k yuan per worker', '120bn yuan', '25,000 units', '22万元/人')
    >>> amount(2.3, "%"), amount(0.9, "吨标准煤/万元")
    ('2.3%', '0.9 tce per 10k yuan')
    """
    if value is None:
        return "—"
    if check_lang(lang) == "en" and unit in SCALED_EN:
        factor, name = SCALED_EN[unit]
        return _scaled(value * factor) + name
    return number(value) + unit_label(unit, lang)


def _scaled(value: float) -> str:
    """Write a large number with k / m / bn, or with thousands separators below 100,000."""
    size = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "m")):
        if size >= limit:
            return number(value / limit) + suffix
    if size >= 1e5:
        return number(value / 1e3) + "k"
    return number(value) if size < 1e4 else f"{'−' if value < 0 else ''}{size:,.0f}"


def number(value: float | None, *, signed: bool = False, digits: int | None = None, strip: bool = True,
           lang: str = "en") -> str:
    """Format a number for a label: the minus is U+2212; trailing zeros dropped unless ``strip=False``.

    Examples
    --------
    >>> number(-3.98, signed=True, digits=1, strip=False), number(1.750), number(8.0, signed=True)
    ('−4.0', '1.75', '+8')
    """
    if value is None:
        return "—"
    if digits is None:
        digits = 0 if float(value).is_integer() else (2 if abs(value) < 100 else 1)
    text = f"{abs(value):,.{digits}f}" if abs(value) >= 10000 else f"{abs(value):.{digits}f}"
    if "." in text and strip:
        text = text.rstrip("0").rstrip(".")
    if not text.strip("0.,"):
        return text or "0"
    sign = "−" if value < 0 else ("+" if signed else "")
    return sign + text


_TOKENS = re.compile(r"[\x21-\x7e\u2212\u2013\u00b7]+|\s+|.", re.DOTALL)
# Chinese lines break only between words: after punctuation and closing brackets, before opening
# ones, around a number or Latin word with its measure word (2020年), and before or after the
# function words that join the parts of a name (占, 与, 及, 和, 的 …). Never inside 经费支出.
_OPENING = set("（(“‘《「【[")
_CLOSING = set("，。：；、）)”’》」】]！？,.:;!?")
_BREAK_BEFORE = set("占和及或比较")
_BREAK_AFTER = set("的和及或")
_MEASURE = set("年月日个项家万亿元台件名人所种倍")


def _width(text: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _may_break(prev: str, token: str) -> bool:
    """Whether a Chinese line may break between the tokens ``prev`` and ``token``."""
    if prev.isspace() or token.isspace():
        return True
    if token[0] in _CLOSING or token[0] == "/" or prev[-1] in _OPENING:
        return False
    if prev[-1] in _CLOSING:
        return True
    if token[0] in _OPENING:  # a bracket stays with the word it qualifies: 目标年水平值（金华）
        return False
    if prev.isascii() != token.isascii():
        return not (prev.isascii() and token in _MEASURE)
    if token in _BREAK_BEFORE:
        return prev not in _BREAK_BEFORE
    return prev in _BREAK_AFTER


def _chunks(text: str) -> list[str]:
    """Split Chinese text into the pieces a line may break between."""
    chunks: list[str] = []
    prev = ""
    for token in _TOKENS.findall(text):
        if chunks and not _may_break(prev, token):
            chunks[-1] += token
        else:
            chunks.append(token)
        prev = token
    return chunks


def _balanced(chunks: list[str], width: int) -> list[str]:
    """Pack ``chunks`` into the fewest lines of at most ``width`` (a chunk wider stands alone), then balance them."""
    widths = [_width(c) for c in chunks]
    n_lines, line = 1, 0
    for w in widths:
        if line and line + w > width:
            n_lines, line = n_lines + 1, 0
        line += w
    n = len(chunks)
    # best[k][i]: the smallest widest line when chunks[:i] fill k lines; cut[k][i]: where the last line starts.
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(n_lines + 1)]
    cut = [[0] * (n + 1) for _ in range(n_lines + 1)]
    best[0][0] = 0
    for k in range(1, n_lines + 1):
        for i in range(1, n + 1):
            for j in range(k - 1, i):
                cost = max(best[k - 1][j], sum(widths[j:i]))
                if cost < best[k][i]:
                    best[k][i], cut[k][i] = cost, j
    lines, i = [], n
    for k in range(n_lines, 0, -1):
        j = cut[k][i]
        lines.append("".join(chunks[j:i]).strip())
        i = j
    return [line for line in reversed(lines) if line]


def wrap(text: str, width: int, lang: str = "en") -> str:
    """Wrap ``text`` to lines of about ``width`` Latin characters (a Chinese character counts two).

    Chinese text breaks between words only (after punctuation, before 占/与/比 …, never inside
    a number with its measure word, "2020年", or a Latin word), in as few lines as fit, balanced
    in length; a word wider than ``width`` keeps its line.

    Examples
    --------
    >>> wrap("仅有水平目标：2020年2.8%，无基期值", 24, "zh").split("\\n")
    ['仅有水平目标：', '2020年2.8%，无基期值']
    >>> wrap("研究与试验发展经费支出占地区生产总值比重", 30, "zh").split("\\n")
    ['研究与试验发展经费支出', '占地区生产总值比重']
    """
    if not text:
        return ""
    if check_lang(lang) == "en" or text.isascii():
        return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join("\n".join(_balanced(_chunks(part), width)) for part in text.split("\n"))


def font_path() -> Path:
    """Return the path of the figures' font (Noto Sans CJK SC with TrueType outlines) inside this package."""
    path = Path(__file__).resolve().parent / "fonts" / FONT_FILE
    if not path.is_file():
        raise RuntimeError(f"the figures' font {path} is missing; rebuild it with `make font`")
    return path


def fallback_path() -> Path | None:
    """Return the path of SimHei (TrueType) in ``mplfonts``, the fallback for rare characters (None if absent)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FALLBACK_FILE
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def register_fonts() -> Path:
    """Add the figures' font (and the fallback) to matplotlib's font manager (once); return its path.

    Raises ``RuntimeError`` if matplotlib would still resolve the family to another file, so
    figures never silently depend on the machine's fonts.
    """
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    fallback = fallback_path()
    if fallback is not None:
        font_manager.fontManager.addfont(str(fallback))
    found = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    if Path(found).resolve() != path.resolve():
        raise RuntimeError(f"{FONT_FAMILY} resolves to {found}, not to the packaged copy {path}")
    return path


def font_families() -> list[str]:
    """Return the font family list of the house style: the figures' font, then the TrueType fallback."""
    return [FONT_FAMILY] + ([FALLBACK_FAMILY] if fallback_path() is not None else [])


def rc_params() -> dict[str, object]:
    """Return the matplotlib rcParams of the house style (seaborn theme + fonts + sizes + output).

    The output settings make files reproducible: fonts fixed, ``svg.hashsalt`` fixed, no mathtext
    (which would fall back to DejaVu), 300 dpi PNGs.
    """
    import seaborn as sns
    from cycler import cycler

    rc: dict[str, object] = {}
    rc.update(sns.axes_style("ticks"))
    rc.update(sns.plotting_context("paper"))
    rc.update({
        # The family by name, not "sans-serif": text keeps this font when a notebook draws the
        # figure after the house_style() block has ended.
        "font.family": font_families(),
        "font.sans-serif": font_families(),
        "font.size": BASE_SIZE,
        "axes.titlesize": BASE_SIZE,
        "axes.labelsize": BASE_SIZE,
        "axes.titlelocation": "left",
        "axes.titlepad": 4.0,
        "axes.linewidth": 0.6,
        "axes.edgecolor": "#333333",
        "axes.labelcolor": "#1a1a1a",
        "axes.unicode_minus": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=[CITY_COLOURS[c] for c in CITY_ORDER]),
        "xtick.labelsize": SMALL_SIZE,
        "ytick.labelsize": SMALL_SIZE,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "xtick.major.size": 2.5,
        "ytick.major.size": 2.5,
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "legend.fontsize": SMALL_SIZE,
        "legend.title_fontsize": SMALL_SIZE,
        "legend.frameon": False,
        "legend.handlelength": 1.4,
        "legend.borderaxespad": 0.2,
        "lines.linewidth": 1.2,
        "lines.markersize": 4.5,
        "patch.linewidth": 0.6,
        "grid.linewidth": 0.4,
        "grid.color": "#E5E5E5",
        "text.color": "#1a1a1a",
        "text.parse_math": False,
        "text.usetex": False,
        "figure.dpi": 150,
        "figure.facecolor": "white",
        "savefig.dpi": 300,
        "savefig.facecolor": "white",
        "savefig.bbox": None,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "pdf.compression": 6,
        "svg.fonttype": "path",
        "svg.hashsalt": "mfgpolicy",
        "image.cmap": "Blues",
    })
    return rc


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style within a ``with`` block (fonts registered, rcParams set, then restored).

    Create *and* save figures inside it: tick labels are formatted when the figure is drawn.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with house_style():
    ...     mpl.rcParams["font.sans-serif"]
    ['Noto Sans CJK SC TT', 'SimHei']
    """
    import matplotlib as mpl

    register_fonts()
    with mpl.rc_context(rc_params()):
        yield
