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
        "pp": "{pp} pp a year",
        "no_target": "no target",
        "level_only": "level only: {value} by {year}, no baseline",
        "not_comparable": "no yearly rate: {why}",
        "legend_point": "target (~: 'about')",
        "legend_about": "about (~)",
        "legend_floor": "floor (at least): arrow points to values that also meet it",
        "legend_ceiling": "at most",
        "legend_range": "range",
        "legend_hedged": "aspirational (力争 strive / 争取 seek)",
        "plan_period": "plan period",
        "base_year": "base year",
        "target_year": "target year (n targets)",
        "year": "Year",
        "relative_2015": "Target relative to the 2015 baseline (2015 = 100)",
        "baseline": "2015 baseline (= 100)",
        "target": "2019 target",
        "growth_rate": "growth rate",
        "coverage_shared": "Set by two or more cities",
        "coverage_domains": "Indicators set, per domain",
        "n_targets": "number of targets",
        "n_indicators": "indicators",
        "single_city": "Not shown: {n} indicators set by one city only ({detail}).",
        "index_base": "Index, base year = 100",
        "share": "Share, %",
        "no_target_cities": "no target: {cities}",
        "level_no_base": "level target, no baseline",
        "domain": "Domain",
        "indicator": "Indicator",
        "city": "City",
    },
    "zh": {
        "source": "来源：{docs}；mfgpolicy 数据 {version}",
        "doc_sep": "、",
        "annualised": "隐含年均变化（%）",
        "pp": "每年{pp}个百分点",
        "no_target": "未设目标",
        "level_only": "仅有水平目标：{year}年{value}，无基期值",
        "not_comparable": "无法折算年率",
        "legend_point": "目标值（~表示“左右”）",
        "legend_about": "左右（~）",
        "legend_floor": "以上：箭头指向同样达标的方向",
        "legend_ceiling": "以内",
        "legend_range": "区间",
        "legend_hedged": "力争/争取（非约束性表述）",
        "plan_period": "规划期",
        "base_year": "基期年",
        "target_year": "目标年（目标数）",
        "year": "年份",
        "relative_2015": "目标值相对2015年基期值（2015年=100）",
        "baseline": "2015年基期值（=100）",
        "target": "2019年目标值",
        "growth_rate": "增速",
        "coverage_shared": "两个及以上城市设定的指标",
        "coverage_domains": "各领域设定的指标数",
        "n_targets": "目标数",
        "n_indicators": "指标数",
        "single_city": "未列出：仅一个城市设定的指标{n}项（{detail}）。",
        "index_base": "指数（基期年=100）",
        "share": "比重（%）",
        "no_target_cities": "未设目标：{cities}",
        "level_no_base": "水平目标，无基期值",
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

# Units in English (the Chinese figures show units as written).
UNITS_EN: dict[str, str] = {
    "%": "%", "pp": " pp", "index": "", "万元/人": " 10k yuan/person", "亿元": " 100m yuan",
    "吨标准煤/万元": " tce/10k yuan", "件": " patents", "家": " firms", "个": "", "项": "", "台": " units",
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
    """Return the unit to print after a number ("%" sticks to it; others get a space)."""
    if not unit or unit == "index":
        return ""
    if check_lang(lang) == "en":
        return UNITS_EN.get(unit, f" {unit}")
    return unit if unit in ("%", "pp") else f" {unit}" if unit.isascii() else unit


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


def _width(text: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def wrap(text: str, width: int, lang: str = "en") -> str:
    """Wrap ``text`` to lines of about ``width`` Latin characters (a Chinese character counts two).

    Chinese text breaks between characters, never inside a number or Latin word ("2.8%"), and
    its lines are balanced in length.

    Examples
    --------
    >>> wrap("仅有水平目标：2020年2.8%，无基期值", 24, "zh").split("\\n")
    ['仅有水平目标：2020', '年2.8%，无基期值']
    """
    if not text:
        return ""
    if check_lang(lang) == "en" or text.isascii():
        return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)
    tokens = _TOKENS.findall(text)
    total = _width(text)
    n_lines = max(1, -(-total // width))
    target = -(-total // n_lines)
    lines, line = [], ""
    for token in tokens:
        closing = token in "，。：；、）》”,.:;)"
        if line and not closing and (_width(line) + _width(token) > width or _width(line) >= target):
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


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
