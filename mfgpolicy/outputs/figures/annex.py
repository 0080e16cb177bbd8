"""Figure 3: the Ningbo 2016 annex, 2015 baseline to 2019 target per indicator, each kind on its own scale."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.outputs.figures import style
from mfgpolicy.outputs.figures.marks import (
    BoundHandler,
    Canvas,
    Data,
    arrow,
    aspirational,
    bound_sign,
    finish,
    marker,
    resolve,
    source_line,
)
from mfgpolicy.outputs.figures.style import check_lang, house_style, label
from mfgpolicy.vocab import BOUND_OF_COMPARATOR

ANNEX_DOC = "ningbo-2016"
SCALES = ("share", "level", "rate")
"""The annex's rows by scale: shares (percentage points), other levels (% change), growth rates (% a year)."""


def annex_data(con: duckdb.DuckDBPyConnection, doc_id: str = ANNEX_DOC) -> pl.DataFrame:
    """The annex rows: targets of ``doc_id`` at tier 1 with a baseline (``baseline_id`` set)."""
    return frame_of(con.sql("""
        SELECT t.target_id, t.doc_id, t.city, c.name_zh AS city_zh, t.indicator_key, i.name_en, i.name_zh,
               i.more_ambitious, t.kind, t.direction, t.comparator, t.hedge, t.value, t.value_high, t.unit,
               t.base_year, coalesce(t.base_value, b.value) AS base_value, t.target_year, t.scope
        FROM targets t JOIN indicators i USING (indicator_key) LEFT JOIN baselines b USING (baseline_id)
        LEFT JOIN cities c ON c.city = t.city
        WHERE t.doc_id = ? AND t.tier = 1 AND t.baseline_id IS NOT NULL
        ORDER BY t.target_id
    """, params=[doc_id]))


def annex_scales(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``scale`` (share / level / rate) and ``step``, the change drawn on that scale, to :func:`annex_data` rows.

    A share (a level in %) moves by ``value - base_value`` percentage points, never by a relative
    change (28% → 38% is +10 pp, not +36%); another level by ``100 * (value / base_value - 1)``
    percent; a growth rate is drawn as the rate itself (``step`` = the targeted rate).
    """
    scale = (pl.when(pl.col("kind").is_in(["annual_growth", "change_over_period"])).then(pl.lit("rate"))
             .when(pl.col("unit") == "%").then(pl.lit("share")).otherwise(pl.lit("level")))
    frame = frame.filter(pl.col("base_value").is_not_null() & (pl.col("base_value") > 0)).with_columns(scale=scale)
    step = (pl.when(pl.col("scale") == "share").then(pl.col("value") - pl.col("base_value"))
            .when(pl.col("scale") == "level").then(100 * (pl.col("value") / pl.col("base_value") - 1))
            .otherwise(pl.col("value")))
    order = pl.col("scale").replace_strict({s: i for i, s in enumerate(SCALES)}, return_dtype=pl.Int8)
    return frame.with_columns(step=step, _order=order).sort(["_order", "step", "indicator_key"],
                                                             descending=[False, True, False]).drop("_order")


def fig_annex(data: Data = None, *, lang: str = "en", ax: Any = None, fig: Any = None) -> Figure:
    """Figure 3: Ningbo 2016 annex — each indicator's 2015 baseline and 2019 target, on the scale it is measured on.

    One panel per kind of quantity, each with its own axis (:func:`annex_scales`): shares
    (levels in %) by their change in percentage points; other levels (patents per revenue,
    indices) by their change in percent; growth rates (labour productivity: 8% growth in 2015,
    ~8% a year to 2019) as rates, the baseline's rate beside the target's. A dot is the target
    (hollow if hedged; an arrow if a floor), rows ordered by the size of the step; the values as
    written are printed on the right ("28% → 38%"). ``data``: a connection or :func:`annex_data`.
    ``ax``: one axes per scale present, or ``fig``: a Figure or SubFigure to add them to.
    """
    lang = check_lang(lang)
    con, frame = resolve(data, annex_data)
    frame = annex_scales(frame)
    scales = [s for s in SCALES if frame.filter(pl.col("scale") == s).height] or ["share"]
    heights = [max(frame.filter(pl.col("scale") == s).height, 1) for s in scales]
    years = {"base": _mode(frame, "base_year", 2015), "target": _mode(frame, "target_year", 2019)}
    colour = style.city_colour(frame["city"].drop_nulls().first() if frame.height else "Ningbo")
    with house_style():
        canvas = Canvas(style.DOUBLE, 0.75 + 0.42 * len(scales) + 0.22 * sum(heights), ax=ax, fig=fig)
        extra = {"height_ratios": [h + 1.1 for h in heights]} if canvas.ax is None else {}
        axes = canvas.panels(len(scales), vertical=True, **extra)
        for panel, scale in zip(axes, scales):
            _annex_panel(panel, frame.filter(pl.col("scale") == scale), scale, colour, lang, years)
        handles = [Line2D([], [], color=style.NEUTRAL, marker="|", markersize=6, linestyle="none",
                          label=label("baseline", lang, **years)),
                   Line2D([], [], marker="o", markersize=4.5, color=colour, linestyle="none",
                          label=label("target", lang, **years))]
        legend: dict[str, Any] = {"handles": handles, "ncols": 2}
        if any(map(aspirational, frame["hedge"].to_list())):
            hedged = Patch()
            legend = {"handles": [*handles, hedged], "labels": [h.get_label() for h in handles]
                      + [label("legend_hedged", lang)], "handler_map": {hedged: BoundHandler("point", True)},
                      "ncols": 3}
        finish(canvas.target, source_line(con, frame["doc_id"].to_list(), lang), legend, canvas=canvas, axes=axes)
    return canvas.figure


def _mode(frame: pl.DataFrame, column: str, default: int) -> int:
    values = frame[column].drop_nulls() if frame.height else pl.Series([], dtype=pl.Int64)
    return int(values.mode().sort().first()) if values.len() else default


def _annex_panel(ax: Any, rows: pl.DataFrame, scale: str, colour: str, lang: str, years: dict[str, int]) -> None:
    ax.set_title(label(f"annex_{scale}", lang, **years), loc="left")
    ax.set_xlabel(label({"share": "annex_pp", "level": "annex_pct", "rate": "annex_rate_axis"}[scale], lang))
    starts = [0.0] * rows.height if scale != "rate" else rows["base_value"].to_list()
    steps = rows["step"].to_list()
    lo, hi = min(starts + steps + [0.0]), max(starts + steps + [0.0])
    span = max(hi - lo, 1.0)
    arrow_len = 0.07 * span
    ax.set_xlim(lo - 0.05 * span, hi + 0.12 * span + arrow_len)
    ax.axvline(0, color=style.LIGHT, linewidth=0.6, zorder=1)
    names = []
    for i, (row, start) in enumerate(zip(rows.iter_rows(named=True), starts)):
        x = row["step"]
        # A rate's baseline and target may coincide (8% → ~8%): the baseline sits just above the row.
        y0 = i - 0.3 if scale == "rate" else i
        ax.plot([start], [y0], marker="|", markersize=7, markeredgewidth=1.2, color=style.NEUTRAL, zorder=3)
        if scale == "rate":
            ax.annotate(label("baseline_rate", lang, base=row["base_year"]), (start, y0), xytext=(-4, 0),
                        textcoords="offset points", ha="right", va="center", fontsize=style.TINY_SIZE,
                        color=style.NEUTRAL)
        else:
            ax.plot([start, x], [i, i], color=colour, linewidth=1.6, alpha=0.5, zorder=2, solid_capstyle="butt")
        sign = bound_sign(BOUND_OF_COMPARATOR.get(row["comparator"] or ""), row["direction"])
        if sign:
            arrow(ax, x, i, sign * arrow_len, 0, colour)
        marker(ax, x, i + (0.1 if scale == "rate" else 0), colour, hedged=aspirational(row["hedge"]), zorder=4)
        about = "~" if row["comparator"] == "~" else ""
        if scale == "share":
            change = label("pp_short", lang, pp=style.number(x, signed=True))
        elif scale == "level":
            change = style.number(x, signed=True, digits=0 if abs(x) >= 10 else 1, strip=False) + "%"
        else:
            change = ""
        if change:
            ax.annotate(change, (x, i), xytext=(5 + (7 if sign > 0 else 0), 0), textcoords="offset points",
                        ha="left", va="center", fontsize=style.TINY_SIZE, color=style.NEUTRAL)
        names.append(style.wrap(style.indicator_label(row["name_en"], row["name_zh"], lang, row["indicator_key"]),
                                52, lang))
        ax.annotate(_as_written(row, about, lang), (1.0, i), xycoords=("axes fraction", "data"), xytext=(6, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=style.SMALL_SIZE,
                    annotation_clip=False)
    ax.set_yticks(range(rows.height), names)
    ax.set_ylim(rows.height - 0.5, -0.6)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", linewidth=0.3, color="#EEEEEE")


def _as_written(row: dict, about: str, lang: str) -> str:
    """The baseline and target as the annex writes them: "28% → 38%", "52 → 90 patents per 10bn yuan of revenue"."""
    unit = row["unit"]
    if unit == "%":
        base, target = style.amount(row["base_value"], unit, lang), about + style.amount(row["value"], unit, lang)
    else:
        base, target = style.number(row["base_value"]), about + style.amount(row["value"], unit, lang)
    text = f"{base} → {target}"
    if row["kind"] in ("annual_growth", "change_over_period"):
        text = label("rate_as_written", lang, base=base, target=target, base_year=row["base_year"],
                     target_year=row["target_year"])
    return text
