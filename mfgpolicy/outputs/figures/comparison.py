"""One indicator across cities: the yearly rate each target implies, its range across conventions, and the caveats.

The figure behind the exploratory notebooks (``10-labour-productivity`` …): what
:func:`mfgpolicy.compare` returns, drawn. Not one of the paper's numbered figures.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb
import polars as pl
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.outputs.figures import style
from mfgpolicy.outputs.figures.headline import headline_measure, why_no_measure
from mfgpolicy.outputs.figures.marks import (
    BoundHandler,
    Canvas,
    arrow,
    aspirational,
    bound_sign,
    city_name,
    city_names_zh,
    doc_year,
    finish,
    locator,
    marker,
    source_line,
)
from mfgpolicy.outputs.figures.style import check_lang, house_style, label

MEASURES: dict[str, tuple[str, str, str]] = {
    "annualised_pct": ("sensitivity_low", "sensitivity_high", "annualised"),
    "pp_per_year": ("pp_sensitivity_low", "pp_sensitivity_high", "annualised_pp"),
}
"""Measure -> (low end, high end of its range across conventions, axis label)."""

# The caveats of mfgpolicy.compare in Chinese (their values are shown as written).
_CAVEAT_ZH = {
    "population": "统计口径", "denominator": "分母", "horizon": "期限", "plan vintage": "规划期次",
    "price basis": "价格口径", "form": "形式",
}
_VALUE_ZH = {
    "a level at the target year": "目标年水平值", "multi-year": "多年", "one year": "一年", "level": "水平值",
    "rate": "增速", "flow": "流量", "stock": "存量", "13th FYP (2016-2020)": "“十三五”（2016–2020）",
    "14th FYP (2021-2025)": "“十四五”（2021–2025）", "unstated": "未说明",
}


def comparison_data(con: duckdb.DuckDBPyConnection, indicator_key: str) -> pl.DataFrame:
    """:func:`mfgpolicy.compare` of ``indicator_key`` with the indicator's and cities' Chinese names."""
    from mfgpolicy.comparison import compare

    rows = compare(indicator_key, con=con)
    names = frame_of(con.sql("SELECT indicator_key, name_en, name_zh FROM indicators"))
    cities = frame_of(con.sql("SELECT city, name_zh AS city_zh FROM cities"))
    return (rows.join(names, on="indicator_key", how="left", maintain_order="left")
            .join(cities, on="city", how="left", maintain_order="left"))


def fig_comparison(indicator_key: str, data: duckdb.DuckDBPyConnection | pl.DataFrame | None = None, *,
                   lang: str = "en", ax: Any = None, fig: Any = None) -> Figure:
    """One indicator across cities: each target's implied yearly change, its sensitivity range, and the caveats.

    A row per city and target (:func:`mfgpolicy.compare`). A dot is the yearly change the
    target implies (``annualised_pct``; for a share, ``pp_per_year``, percentage points a year);
    the bar behind it the range across the documented conventions (``sensitivity_low`` /
    ``sensitivity_high``: compound or linear, the stated base year or the plan's own period);
    hollow: aspirational (力争); an arrow: a floor. A target with no yearly rate, or a city with
    no target, is listed in its row with the reason. Under the axes: what differs among the
    rows (``caveats``: population, denominator, horizon, plan vintage, form), city by city, and
    nesting (Yuyao inside Ningbo). ``data``: a connection (default :func:`mfgpolicy.connect`) or
    the frame :func:`comparison_data` returns. ``ax``: an Axes to draw in, or ``fig``: a Figure
    or SubFigure to add it to.
    """
    lang = check_lang(lang)
    if isinstance(data, pl.DataFrame):
        con, frame = None, data.filter(pl.col("indicator_key") == indicator_key)
    else:
        from mfgpolicy.outputs.figures.marks import connection

        con = connection(data)
        frame = comparison_data(con, indicator_key)
    names_zh = city_names_zh(con)
    frame = frame.sort(pl.col("city").map_elements(lambda c: style.city_sort_key(c)[0], return_dtype=pl.Int64),
                       "city", pl.col("doc_id").fill_null(""), pl.col("target_year").fill_null(0),
                       pl.col("target_id").fill_null(""))
    measure = headline_measure(frame)
    if frame.filter(pl.col(measure).is_not_null()).is_empty() and measure == "pp_per_year":
        measure = "annualised_pct"
    low, high, axis_label = MEASURES[measure]
    with house_style():
        canvas = Canvas(style.ONE_HALF, 1.2 + 0.36 * max(frame.height, 1), ax=ax, fig=fig)
        panel = canvas.panels(1)[0]
        arrow_len = _limits(panel, frame, measure, low, high)
        name = (frame["name_en"].drop_nulls().first(), frame["name_zh"].drop_nulls().first()) \
            if "name_en" in frame.columns and frame.height else (indicator_key, None)
        panel.set_title(style.wrap(style.indicator_label(name[0], name[1], lang, indicator_key), 70, lang))
        panel.set_xlabel(label(axis_label, lang))
        multi_doc = {c for c, n in frame.filter(pl.col("doc_id").is_not_null()).group_by("city").agg(
            pl.col("doc_id").n_unique()).iter_rows() if n > 1}
        labels = []
        for i, row in enumerate(frame.iter_rows(named=True)):
            _row(panel, i, row, measure, low, high, arrow_len, lang, row["city"] in multi_doc)
            labels.append(city_name(row["city"], lang, frame, names_zh)
                          + (f" {doc_year(row['doc_id'])}" if row["city"] in multi_doc else ""))
        panel.set_yticks(range(frame.height), labels)
        panel.set_ylim(frame.height - 0.4, -0.7)
        panel.tick_params(axis="y", length=0)
        panel.grid(axis="x", linewidth=0.3, color="#EEEEEE")
        handles = [Line2D([], [], color=style.NEUTRAL, linewidth=4, alpha=0.3, solid_capstyle="butt"), Patch(),
                   Patch(), Patch()]
        legend = {"handles": handles, "labels": [label("legend_range_conventions", lang), label("legend_point", lang),
                                                 label("legend_floor", lang), label("legend_hedged", lang)],
                  "handler_map": {handles[1]: BoundHandler("point"), handles[2]: BoundHandler("floor"),
                                  handles[3]: BoundHandler("point", hedged=True)},
                  "ncols": 2, "handlelength": 2.2, "columnspacing": 1.4}
        finish(canvas.target, source_line(con, frame["doc_id"].to_list(), lang), legend,
               note=caveat_note(frame, lang, names_zh), canvas=canvas, axes=[panel])
    return canvas.figure


def _limits(ax: Any, frame: pl.DataFrame, measure: str, low: str, high: str) -> float:
    xs = [x for c in (measure, low, high) for x in frame[c].drop_nulls().to_list()]
    lo, hi = min(xs + [0.0]), max(xs + [0.0])
    span = max(hi - lo, 2.0 if measure == "annualised_pct" else 0.2)
    arrow_len = 0.1 * span
    ax.set_xlim(lo - arrow_len - 0.1 * span, hi + arrow_len + 0.1 * span)
    ax.xaxis.set_major_locator(locator())
    ax.axvline(0, color=style.LIGHT, linewidth=0.6, zorder=0)
    return arrow_len


def _row(ax: Any, i: int, row: dict, measure: str, low: str, high: str, arrow_len: float, lang: str,
         multi_doc: bool) -> None:
    colour = style.city_colour(row["city"])
    x = row[measure]
    if x is None:
        ax.text(0.5, i, style.wrap(why_no_measure(row, lang), 70, lang), transform=ax.get_yaxis_transform(), ha="center",
                va="center", fontsize=style.SMALL_SIZE - 0.5, color=style.NEUTRAL, style="italic")
        return
    lo, hi = row[low], row[high]
    if lo is not None and hi is not None and hi - lo > 1e-9:
        ax.plot([lo, hi], [i, i], color=colour, linewidth=4.5, alpha=0.3, solid_capstyle="butt", zorder=1)
        left, right = ax.get_xlim()
        ends = [(lo, style.number(lo, signed=True, digits=2)), (hi, style.number(hi, signed=True, digits=2))]
        if (hi - lo) / (right - left) < 0.1:  # too close to label apart
            ends = [((lo + hi) / 2, f"{ends[0][1]} … {ends[1][1]}")]
        for end, text in ends:
            ax.annotate(text, (end, i), xytext=(0, -4.5), textcoords="offset points", ha="center", va="top",
                        fontsize=style.TINY_SIZE - 0.5, color=style.NEUTRAL)
    sign = bound_sign(row["bound"], row["direction"])
    if sign:
        arrow(ax, x, i, sign * arrow_len, 0, colour)
    marker(ax, x, i, colour, hedged=aspirational(row["hedge"]))
    about = row["bound"] == "about"
    text = ("~" if about else "") + style.number(x, signed=not about, digits=2 if measure == "pp_per_year" else 1,
                                                 strip=False)
    if measure == "pp_per_year":
        text = label("pp_short", lang, pp=text)
    period = f"{row['base_year']}–{row['target_year']}" if row["base_year"] else str(row["target_year"])
    scope = style.scope_label(row["scope"], lang)
    ax.annotate(f"{text}  ({scope} · {period})" if lang == "en" else f"{text}（{scope} · {period}）", (x, i),
                xytext=(0, 4.5), textcoords="offset points", ha="center", va="bottom", fontsize=style.SMALL_SIZE,
                color="#1a1a1a")


def caveat_note(frame: pl.DataFrame, lang: str = "en", names_zh: dict[str, str] | None = None) -> str | None:
    """What differs among the compared rows, one clause per kind of difference, naming the cities on each side.

    Built from ``caveats`` ("population: 规上工业 (others: 规上制造业); …") and ``nesting_note``.

    Examples
    --------
    >>> rows = pl.DataFrame({"city": ["Yuyao", "Ningbo"], "caveats": ["population: 规上工业 (others: 规上制造业)",
    ...                      "population: 规上制造业 (others: 规上工业)"], "nesting_note": [None, None]})
    >>> caveat_note(rows)
    'Caveats. Population: 规上工业 (Yuyao); 规上制造业 (Ningbo).'
    """
    groups: dict[str, dict[str, list[str]]] = {}
    for city, caveats in frame.select("city", "caveats").iter_rows():
        for part in (caveats or "").split("; "):
            found = re.match(r"^(?P<key>[^:]+): (?P<value>.*)$", part)
            if not found:
                continue
            value = found["value"].split(" (others: ")[0]
            if lang == "zh":  # 主营业务收入 (main-business revenue): the gloss is for English readers
                value = re.sub(r"^([^\x00-\x7f].*?) \([\x20-\x7e]+\)$", r"\1", value)
            names = groups.setdefault(found["key"], {}).setdefault(value, [])
            shown = style.city_label(city, lang, names_zh)
            if shown not in names:
                names.append(shown)
    clauses = []
    for key, values in groups.items():
        name = key.capitalize() if lang == "en" else _CAVEAT_ZH.get(key, key)
        sep = "; " if lang == "en" else "；"
        joined = sep.join(f"{_VALUE_ZH.get(v, v) if lang == 'zh' else v} ({', '.join(c)})" if lang == "en"
                          else f"{_VALUE_ZH.get(v, v)}（{'、'.join(c)}）" for v, c in values.items())
        clauses.append(f"{name}: {joined}" if lang == "en" else f"{name}：{joined}")
    for note in frame["nesting_note"].drop_nulls().unique(maintain_order=True).to_list():
        found = re.match(r"^(?P<child>.+?) is a county-level city inside (?P<parent>.+?),", note)
        if lang == "zh" and found:
            note = label("nested", lang, child=style.city_label(found["child"], lang, names_zh),
                         parent=style.city_label(found["parent"], lang, names_zh))
        clauses.append(note[:1].upper() + note[1:] if lang == "en" else note)
    if not clauses:
        return None
    return label("caveats", lang) + (". ".join(clauses) + "." if lang == "en" else "。".join(clauses) + "。")
