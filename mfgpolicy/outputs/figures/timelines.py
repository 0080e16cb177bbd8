"""Figure 2: which plan covers which years, with base and target years marked."""

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
    Canvas,
    Data,
    city_name,
    city_names_zh,
    finish,
    resolve,
    source_line,
    year_range,
)
from mfgpolicy.outputs.figures.style import check_lang, house_style, label


def timelines_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per document and marked year: ``mark`` is "base" or "target", ``n`` the targets.

    Documents without targets keep one row with ``mark`` null. Restatements are not counted.
    """
    return frame_of(con.sql("""
        WITH marks AS (
            SELECT doc_id, 'base' AS mark, base_year AS year, count(*) AS n FROM targets
            WHERE same_as IS NULL AND base_year IS NOT NULL GROUP BY ALL
            UNION ALL
            SELECT doc_id, 'target' AS mark, target_year AS year, count(*) AS n FROM targets
            WHERE same_as IS NULL AND target_year IS NOT NULL GROUP BY ALL
        )
        SELECT d.doc_id, d.city, c.name_zh AS city_zh, d.period_start, d.period_end, m.mark, m.year, m.n
        FROM documents d LEFT JOIN cities c USING (city) LEFT JOIN marks m USING (doc_id)
        ORDER BY d.period_start, d.doc_id, m.mark NULLS FIRST, m.year
    """))


def fig_timelines(data: Data = None, *, lang: str = "en", ax: Any = None, fig: Any = None) -> Figure:
    """Figure 2: which plan covers which years, with the base years and target years of its targets.

    A bar per document spans its plan period (inclusive years); open circles mark the base
    years its targets are measured from, diamonds the years they are due, labelled with the
    number of targets. ``data``: a connection or :func:`timelines_data`. ``ax``: an Axes to draw
    in, or ``fig``: a Figure or SubFigure to add it to (default: a new figure).
    """
    lang = check_lang(lang)
    con, frame = resolve(data, timelines_data)
    docs = frame.select("doc_id", "city", "period_start", "period_end").unique(maintain_order=True)
    names_zh = city_names_zh(con)
    lo, hi = year_range(frame, ["period_start", "period_end", "year"])
    with house_style():
        canvas = Canvas(style.SINGLE, 0.95 + 0.3 * max(docs.height, 1), ax=ax, fig=fig)
        ax = canvas.panels(1)[0]
        for i, (doc_id, city, start, end) in enumerate(docs.iter_rows()):
            colour = style.city_colour(city)
            ax.barh(i, end - start + 1, left=start - 0.5, height=0.5, color=colour, alpha=0.28,
                    edgecolor=colour, linewidth=0.6)
            marks = frame.filter((pl.col("doc_id") == doc_id) & pl.col("mark").is_not_null())
            for mark, year, n in marks.select("mark", "year", "n").iter_rows():
                if mark == "base":
                    ax.plot([year], [i], marker="o", markersize=3.8, markerfacecolor="white",
                            markeredgecolor=colour, markeredgewidth=1.0, linestyle="none", zorder=3)
                else:
                    ax.plot([year], [i], marker="D", markersize=4.0, color=colour, linestyle="none", zorder=3)
                    ax.annotate(str(n), (year, i), xytext=(0, -4.5), textcoords="offset points",
                                ha="center", va="top", fontsize=style.TINY_SIZE, color="#1a1a1a")
        ax.set_yticks(range(docs.height),
                      [f"{city_name(c, lang, frame, names_zh)} {s}–{e}" if s != e else f"{city_name(c, lang, frame, names_zh)} {s}"
                       for _, c, s, e in docs.iter_rows()])
        ax.set_ylim(docs.height - 0.35, -0.6)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(lo - 0.8, hi + 0.8)
        ax.set_xticks(range(lo, hi + 1, 2 if hi - lo >= 8 else 1))
        ax.set_xticks(range(lo, hi + 1), minor=True)
        ax.set_xlabel(label("year", lang))
        ax.grid(axis="x", linewidth=0.3, color="#EEEEEE")
        ax.set_axisbelow(True)
        handles = [
            Patch(facecolor=style.NEUTRAL, alpha=0.28, edgecolor=style.NEUTRAL, label=label("plan_period", lang)),
            Line2D([], [], marker="o", markersize=3.8, markerfacecolor="white", markeredgecolor=style.NEUTRAL,
                   linestyle="none", label=label("base_year", lang)),
            Line2D([], [], marker="D", markersize=4.0, color=style.NEUTRAL, linestyle="none",
                   label=label("target_year", lang)),
        ]
        finish(canvas.target, source_line(con, docs["doc_id"].to_list(), lang),
               {"handles": handles, "ncols": 3, "handlelength": 1.2, "columnspacing": 1.0}, canvas=canvas, axes=[ax])
    return canvas.figure
