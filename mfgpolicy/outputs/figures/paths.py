"""Figure 5: implied year-by-year paths from baseline to target."""

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
    city_name,
    city_names_zh,
    doc_year,
    finish,
    locator,
    marker,
    new_figure,
    resolve,
    source_line,
    year_range,
)
from mfgpolicy.outputs.figures.style import check_lang, house_style, label

PATH_KEYS = ("energy_intensity", "rd_share_gdp", "rd_share_revenue")


def paths_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Targets on energy intensity and the R&D shares, with their implied path (if any) as rows.

    One row per target and year of its path (``year``, ``value``, ``index`` from
    ``target_paths``); a target without a path keeps one row with ``year`` null.
    """
    return con.sql(f"""
        SELECT h.target_id, h.doc_id, h.city, c.name_zh AS city_zh, h.indicator_key, i.name_en, i.name_zh,
               h.kind, h.direction, h.comparator, h.bound, h.hedge, h.value, h.unit, h.base_year,
               h.base_value, h.target_year, h.scope, h.comparable, h.why_not,
               p.year, p.value AS path_value, p."index" AS path_index
        FROM targets_harmonised h JOIN indicators i USING (indicator_key)
        LEFT JOIN cities c ON c.city = h.city
        LEFT JOIN target_paths p USING (target_id)
        WHERE h.same_as IS NULL AND h.indicator_key IN {PATH_KEYS}
        ORDER BY h.indicator_key, h.city, h.doc_id, h.target_id, p.year
    """).pl()


def fig_paths(data: Data = None, *, lang: str = "en") -> Figure:
    """Figure 5: implied year-by-year paths from baseline to target.

    Energy intensity as an index (base year = 100; compound path of the stated cut); the R&D
    shares in percent — a linear path where the plan states a baseline, the target alone as a
    dot otherwise. Hollow: hedged; arrow: a floor. Cities without a target are listed in each
    panel. ``data``: a connection or :func:`paths_data`.
    """
    lang = check_lang(lang)
    con, frame = resolve(data, paths_data)
    names_zh = city_names_zh(con)
    cities = [r[0] for r in con.execute("SELECT city FROM cities").fetchall()] if con is not None else []
    cities = sorted(set(cities) | {c for c in frame["city"].to_list() if c}, key=style.city_sort_key)
    lo, hi = year_range(frame, ["year", "target_year", "base_year"])
    with house_style():
        fig = new_figure(style.DOUBLE, 2.7)
        axes = fig.subplots(1, len(PATH_KEYS), sharex=True)
        for ax, key in zip(axes, PATH_KEYS):
            rows = frame.filter(pl.col("indicator_key") == key)
            _paths_panel(ax, key, rows, cities, lang, names_zh, frame)
            ax.set_xlim(lo - 0.6, hi + 0.9)
            ax.set_xticks(range(lo, hi + 1, 2 if hi - lo > 5 else 1))
            ax.set_xticks(range(lo, hi + 1), minor=True)
            ax.set_xlabel(label("year", lang))
        shown = [c for c in cities if frame.filter(pl.col("city") == c).height]
        handles: list[Any] = [Line2D([], [], color=style.city_colour(c), marker="o", markersize=4, linewidth=1.2)
                              for c in shown]
        labels = [city_name(c, lang, frame, names_zh) for c in shown]
        floor, hedged = Patch(), Patch()
        handles += [floor, hedged]
        labels += [label("legend_floor", lang), label("legend_hedged", lang)]
        handler_map = {floor: BoundHandler("floor"), hedged: BoundHandler("point", hedged=True)}
        finish(fig, source_line(con, frame["doc_id"].to_list(), lang),
                {"handles": handles, "labels": labels, "handler_map": handler_map, "ncols": len(labels),
                 "handlelength": 2.2, "columnspacing": 1.2})
    return fig


def _paths_panel(ax: Any, key: str, rows: pl.DataFrame, cities: list[str], lang: str,
                 names_zh: dict[str, str], frame: pl.DataFrame) -> None:
    name_en = rows["name_en"].drop_nulls().first() if rows.height else key
    name_zh = rows["name_zh"].drop_nulls().first() if rows.height else None
    ax.set_title(style.wrap(style.indicator_label(name_en, name_zh, lang, key), 40, lang), loc="left")
    as_index = key == "energy_intensity"
    column = "path_index" if as_index else "path_value"
    ax.set_ylabel(label("index_base" if as_index else "share", lang))
    targets = rows.select(
        "target_id", "doc_id", "city", "direction", "bound", "hedge", "value", "unit", "target_year",
        "kind", "comparator", "why_not").unique(maintain_order=True)
    multi_doc = {c for c, n in targets.group_by("city").agg(pl.col("doc_id").n_unique()).iter_rows() if n > 1}
    colon = ": " if lang == "en" else "："
    notes: list[str] = []
    ends: list[dict[str, Any]] = []
    values: list[float] = []
    for t in targets.iter_rows(named=True):
        colour = style.city_colour(t["city"])
        path = rows.filter((pl.col("target_id") == t["target_id"]) & pl.col("year").is_not_null()
                           & pl.col(column).is_not_null())
        unit = "" if as_index else style.unit_label(t["unit"], lang)
        if path.height:
            xs, ys = path["year"].to_list(), path[column].to_list()
            ax.plot(xs, ys, color=colour, linewidth=1.2, zorder=2, solid_capstyle="round")
            values.extend(ys)
            end = (xs[-1], ys[-1])
            text = style.number(ys[-1], digits=1 if as_index else 2) + unit
        elif not as_index and t["kind"] == "level" and t["value"] is not None and t["target_year"]:
            end = (t["target_year"], t["value"])
            values.append(t["value"])
            text = style.number(t["value"]) + unit
        else:
            why = label("level_no_base", lang) if t["kind"] == "level" else (
                t["why_not"] or "" if lang == "en" else label("not_comparable", lang))
            notes.append(city_name(t["city"], lang, frame, names_zh) + colon + why)
            continue
        if t["comparator"] == "~":
            text = "~" + text
        if t["city"] in multi_doc:
            text += f" [{doc_year(t['doc_id'])}]"
        sign = bound_sign(t["bound"], t["direction"] if as_index else "reach")
        ends.append({"x": end[0], "y": end[1], "text": text, "colour": colour, "sign": sign,
                     "hedged": aspirational(t["hedge"])})
    if as_index:
        lo, hi = min(values + [100.0]), max(values + [100.0])
        span = max(hi - lo, 5.0)
    else:
        lo, hi = 0.0, max(values + [0.5])
        span = hi
    arrow_len = 0.14 * span
    bottom = lo - (arrow_len + 0.1 * span if any(e["sign"] < 0 for e in ends) else 0.2 * span) if as_index else 0
    top = hi + (arrow_len + 0.1 * span if any(e["sign"] > 0 for e in ends) else 0.15 * span)
    ax.set_ylim(bottom, top)
    for e in ends:
        if e["sign"]:
            arrow(ax, e["x"], e["y"], 0, e["sign"] * arrow_len, e["colour"])
        marker(ax, e["x"], e["y"], e["colour"], hedged=e["hedged"], zorder=4)
        ax.annotate(e["text"], (e["x"], e["y"]), xytext=(5, 0), textcoords="offset points", ha="left",
                    va="center", fontsize=style.SMALL_SIZE, color="#1a1a1a", annotation_clip=False)
    if as_index:
        ax.axhline(100, color=style.LIGHT, linewidth=0.6, zorder=0)
    missing = [c for c in cities if not targets.filter(pl.col("city") == c).height]
    if missing:
        notes.append(label("no_target_cities", lang,
                           cities=label("doc_sep", lang).join(city_name(c, lang, frame, names_zh) for c in missing)))
    if notes:
        ax.text(0.02, 0.02, "\n".join(style.wrap(n, 44, lang) for n in notes), transform=ax.transAxes,
                ha="left", va="bottom", fontsize=style.SMALL_SIZE - 0.5, color=style.NEUTRAL, style="italic")
    ax.grid(axis="y", linewidth=0.3, color="#EEEEEE")
    ax.yaxis.set_major_locator(locator())
