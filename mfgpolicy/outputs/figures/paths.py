"""Figure 5: implied year-by-year paths from baseline to target."""

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
    city_name,
    city_names_zh,
    doc_year,
    finish,
    locator,
    marker,
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
    return frame_of(con.sql(f"""
        SELECT h.target_id, h.doc_id, h.city, c.name_zh AS city_zh, h.indicator_key, i.name_en, i.name_zh,
               h.kind, h.direction, h.comparator, h.bound, h.hedge, h.value, h.unit, h.base_year,
               h.base_value, h.target_year, h.scope, h.comparable, h.why_not,
               p.year, p.value AS path_value, p."index" AS path_index
        FROM targets_harmonised h JOIN indicators i USING (indicator_key)
        LEFT JOIN cities c ON c.city = h.city
        LEFT JOIN target_paths p USING (target_id)
        WHERE h.same_as IS NULL AND h.indicator_key IN {PATH_KEYS}
        ORDER BY h.indicator_key, h.city, h.doc_id, h.target_id, p.year
    """))


def fig_paths(data: Data = None, *, lang: str = "en", ax: Any = None, fig: Any = None) -> Figure:
    """Figure 5: implied year-by-year paths from baseline to target.

    Energy intensity as an index (base year = 100; compound path of the stated cut); the R&D
    shares in percent — a linear path where the plan states a baseline, the target alone as a
    dot otherwise. Hollow: hedged; arrow: a floor. Paths that nearly coincide (Yuyao's and
    Ningbo's energy cuts) are told apart by line style, their yearly points dodged sideways, and
    each end labelled. An indicator with no path and a single target (R&D/GDP: Yuyao alone) gets
    no panel of its own but a line in the note under the figure. Cities without a target are
    listed in each panel. ``data``: a connection or :func:`paths_data`. ``ax``: one axes per
    panel drawn (:func:`path_panels`), or ``fig``: a Figure or SubFigure to add them to.
    """
    lang = check_lang(lang)
    con, frame = resolve(data, paths_data)
    names_zh = city_names_zh(con)
    cities = [r[0] for r in con.execute("SELECT city FROM cities").fetchall()] if con is not None else []
    cities = sorted(set(cities) | {c for c in frame["city"].to_list() if c}, key=style.city_sort_key)
    keys = path_panels(frame)
    drawn = frame.filter(pl.col("indicator_key").is_in(keys))
    lo, hi = year_range(drawn if drawn.height else frame, ["year", "target_year", "base_year"])
    with house_style():
        canvas = Canvas(style.DOUBLE, 2.7, ax=ax, fig=fig)
        axes = canvas.panels(max(len(keys), 1), sharex=canvas.owned)
        for panel, key in zip(axes, keys or [PATH_KEYS[0]]):
            rows = frame.filter(pl.col("indicator_key") == key)
            _paths_panel(panel, key, rows, cities, lang, names_zh, frame)
            panel.set_xlim(lo - 0.6, hi + 0.9)
            panel.set_xticks(range(lo, hi + 1, 2 if hi - lo > 5 else 1))
            panel.set_xticks(range(lo, hi + 1), minor=True)
            panel.set_xlabel(label("year", lang))
        shown = [c for c in cities if drawn.filter(pl.col("city") == c).height]
        handles: list[Any] = [Line2D([], [], color=style.city_colour(c), marker="o", markersize=4, linewidth=1.2,
                                     linestyle=_dashes(c)) for c in shown]
        labels = [city_name(c, lang, frame, names_zh) for c in shown]
        floor, hedged = Patch(), Patch()
        handles += [floor, hedged]
        labels += [label("legend_floor", lang), label("legend_hedged", lang)]
        handler_map = {floor: BoundHandler("floor"), hedged: BoundHandler("point", hedged=True)}
        note = _single_target_note(frame.filter(~pl.col("indicator_key").is_in(keys)), lang, names_zh)
        finish(canvas.target, source_line(con, frame["doc_id"].to_list(), lang),
               {"handles": handles, "labels": labels, "handler_map": handler_map, "ncols": len(labels),
                "handlelength": 2.2, "columnspacing": 1.2}, note=note, canvas=canvas, axes=axes)
    return canvas.figure


# Line styles by city, in house order, so paths that coincide stay told apart.
_DASHES: tuple[Any, ...] = ("-", (0, (4, 1.6)), (0, (1.2, 1.2)), (0, (5, 1.5, 1.2, 1.5)))


def _dashes(city: str) -> Any:
    return _DASHES[style.city_sort_key(city)[0] % len(_DASHES)]


def path_panels(frame: pl.DataFrame) -> list[str]:
    """The indicators of :data:`PATH_KEYS` worth a panel: a path to draw, or two targets or more to set side by side."""
    keys = []
    for key in PATH_KEYS:
        rows = frame.filter(pl.col("indicator_key") == key)
        n_targets = rows.filter(pl.col("target_id").is_not_null())["target_id"].n_unique()
        if rows.filter(pl.col("year").is_not_null()).height or n_targets >= 2:
            keys.append(key)
    return keys


def _single_target_note(rows: pl.DataFrame, lang: str, names_zh: dict[str, str]) -> str | None:
    """One sentence per indicator left without a panel: its only target, and why there is no path."""
    parts = []
    for key in [k for k in PATH_KEYS if k in rows["indicator_key"].to_list()]:
        targets = rows.filter((pl.col("indicator_key") == key) & pl.col("target_id").is_not_null())
        name = style.indicator_label(rows.filter(pl.col("indicator_key") == key)["name_en"].first(),
                                     rows.filter(pl.col("indicator_key") == key)["name_zh"].first(), lang, key)
        for t in targets.unique("target_id", maintain_order=True).iter_rows(named=True):
            value = style.amount(t["value"], t["unit"], lang)
            if t["hedge"]:
                value += f" ({t['hedge']})" if lang == "en" else f"（{t['hedge']}）"
            parts.append(label("single_target", lang, indicator=name, city=city_name(t["city"], lang, None, names_zh),
                               value=value, year=t["target_year"]))
    return " ".join(parts) or None


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
            order = style.city_sort_key(t["city"])[0]
            # Solid lines widest and lowest, broken ones narrower and on top: both show where they coincide.
            solid = _dashes(t["city"]) == "-"
            ax.plot(xs, ys, color=colour, linewidth=1.8 if solid else 1.1, zorder=2 + 0.01 * order,
                    solid_capstyle="round", linestyle=_dashes(t["city"]))
            # Yearly points dodged sideways by city, so a path under another still shows.
            dodge = (order - 1.5) * 0.09
            ax.plot([x + dodge for x in xs[:-1]], ys[:-1], linestyle="none", marker="o", markersize=2.4,
                    markeredgewidth=0, color=colour, zorder=3)
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
        text = f"{city_name(t['city'], lang, frame, names_zh)} {text}"
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
