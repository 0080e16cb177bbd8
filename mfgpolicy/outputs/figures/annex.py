"""Figure 3: the Ningbo 2016 annex, 2015 baseline to 2019 target per indicator."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from mfgpolicy.outputs.figures import style
from mfgpolicy.outputs.figures.marks import (
    BoundHandler,
    Data,
    arrow,
    aspirational,
    bound_sign,
    finish,
    marker,
    new_figure,
    resolve,
    source_line,
)
from mfgpolicy.outputs.figures.style import check_lang, house_style, label
from mfgpolicy.vocab import BOUND_OF_COMPARATOR

ANNEX_DOC = "ningbo-2016"


def annex_data(con: duckdb.DuckDBPyConnection, doc_id: str = ANNEX_DOC) -> pl.DataFrame:
    """The annex rows: targets of ``doc_id`` at tier 1 with a baseline (``baseline_id`` set)."""
    return con.sql("""
        SELECT t.target_id, t.doc_id, t.city, c.name_zh AS city_zh, t.indicator_key, i.name_en, i.name_zh,
               i.more_ambitious, t.kind, t.direction, t.comparator, t.hedge, t.value, t.value_high, t.unit,
               t.base_year, coalesce(t.base_value, b.value) AS base_value, t.target_year, t.scope
        FROM targets t JOIN indicators i USING (indicator_key) LEFT JOIN baselines b USING (baseline_id)
        LEFT JOIN cities c ON c.city = t.city
        WHERE t.doc_id = ? AND t.tier = 1 AND t.baseline_id IS NOT NULL
        ORDER BY t.target_id
    """, params=[doc_id]).pl()


def fig_annex(data: Data = None, *, lang: str = "en") -> Figure:
    """Figure 3: Ningbo 2016 annex — each indicator's 2015 baseline and 2019 target.

    Indicators of different units share one axis by indexing each target to its own baseline
    (baseline = 100, the vertical line); the values as written are printed on the right
    ("1.5% → 1.75%"). A dot is the target (hollow if hedged; an arrow if a floor), ordered by the
    size of the step. Rows whose baseline and target are growth rates (labour productivity: 8%
    growth in 2015, ~8% a year to 2019) come last, below a rule, labelled as rates.
    ``data``: a connection or :func:`annex_data`.
    """
    lang = check_lang(lang)
    con, frame = resolve(data, annex_data)
    frame = frame.filter(pl.col("base_value").is_not_null() & (pl.col("base_value") > 0))
    frame = frame.with_columns(relative=100 * pl.col("value") / pl.col("base_value"),
                               is_rate=pl.col("kind") == "annual_growth")
    frame = frame.sort(["is_rate", "relative", "indicator_key"], descending=[False, True, False])
    base_year = frame["base_year"].drop_nulls().mode().sort().first() if frame.height else 2015
    target_year = frame["target_year"].drop_nulls().mode().sort().first() if frame.height else 2019
    city = frame["city"].drop_nulls().first() if frame.height else "Ningbo"
    colour = style.city_colour(city or "Ningbo")
    with house_style():
        fig = new_figure(style.DOUBLE, 1.05 + 0.24 * max(frame.height, 2))
        ax = fig.subplots()
        rel = frame["relative"].to_list()
        lo, hi = min(rel + [100.0]), max(rel + [100.0])
        span = max(hi - lo, 10.0)
        arrow_len = 0.07 * span
        ax.set_xlim(lo - 0.04 * span, hi + 0.06 * span + arrow_len)
        ax.axvline(100, color=style.NEUTRAL, linewidth=0.8, zorder=1)
        labels = []
        for i, row in enumerate(frame.iter_rows(named=True)):
            if row["is_rate"] and (i == 0 or not frame["is_rate"][i - 1]) and i:
                ax.axhline(i - 0.5, color=style.LIGHT, linewidth=0.6)
            ax.plot([100, row["relative"]], [i, i], color=colour, linewidth=1.6, alpha=0.5, zorder=2,
                    solid_capstyle="butt")
            sign = bound_sign(BOUND_OF_COMPARATOR.get(row["comparator"] or ""), row["direction"])
            if sign:
                arrow(ax, row["relative"], i, sign * arrow_len, 0, colour)
            marker(ax, row["relative"], i, colour, hedged=aspirational(row["hedge"]), zorder=4)
            change = style.number(row["relative"] - 100, signed=True, digits=0 if abs(row["relative"] - 100) >= 10
                                  else 1, strip=False) + "%"
            if not row["is_rate"]:
                ax.annotate(change, (row["relative"], i), xytext=(5, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=style.TINY_SIZE, color=style.NEUTRAL)
            name = style.indicator_label(row["name_en"], row["name_zh"], lang, row["indicator_key"])
            labels.append(style.wrap(name, 52, lang))
            unit = style.unit_label(row["unit"], lang)
            base_unit = unit if row["unit"] in ("%", "pp") else ""
            target = ("~" if row["comparator"] == "~" else "") + f"{style.number(row['value'])}{unit}"
            text = f"{style.number(row['base_value'])}{base_unit} → {target}"
            if row["is_rate"]:
                text = f"{label('growth_rate', lang)} {text}"
            ax.annotate(text, (1.0, i), xycoords=("axes fraction", "data"), xytext=(6, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=style.SMALL_SIZE,
                        annotation_clip=False)
        ax.set_yticks(range(frame.height), labels)
        ax.set_ylim(frame.height - 0.5, -0.7)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", linewidth=0.3, color="#EEEEEE")
        ax.set_xlabel(label("relative_2015", lang).replace("2015", str(base_year)))
        handles = [
            Line2D([], [], color=style.NEUTRAL, linewidth=0.8,
                   label=label("baseline", lang).replace("2015", str(base_year))),
            Line2D([], [], marker="o", markersize=4.5, color=colour, linestyle="none",
                   label=label("target", lang).replace("2019", str(target_year))),
        ]
        legend: dict[str, Any] = {"handles": handles, "ncols": 2}
        if any(map(aspirational, frame["hedge"].to_list())):
            hedged = Patch()
            legend = {"handles": [*handles, hedged], "labels": [h.get_label() for h in handles]
                      + [label("legend_hedged", lang)], "handler_map": {hedged: BoundHandler("point", True)},
                      "ncols": 3}
        finish(fig, source_line(con, frame["doc_id"].to_list(), lang), legend)
    return fig
