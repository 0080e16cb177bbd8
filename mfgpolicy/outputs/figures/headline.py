"""Figure 1: annualised headline targets per city (labour productivity, energy intensity, R&D shares)."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
from matplotlib.figure import Figure

from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.catalog.views import HEADLINE_KEYS
from mfgpolicy.harmonise import annualise
from mfgpolicy.outputs.figures import style
from mfgpolicy.outputs.figures.marks import (
    Canvas,
    Data,
    arrow,
    aspirational,
    bound_sign,
    city_name,
    city_names_zh,
    doc_year,
    finish,
    hedge_legend,
    locator,
    marker,
    resolve,
    source_line,
    value_with_unit,
)
from mfgpolicy.outputs.figures.style import check_lang, house_style, label
from mfgpolicy.vocab import with_comparator


def headline_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows of ``headline_comparison`` with the indicator's Chinese name and the city's Chinese name."""
    return frame_of(con.sql("""
        SELECT h.indicator_key, h.indicator AS name_en, i.name_zh, i.more_ambitious, h.city,
               c.name_zh AS city_zh, h.doc_id, h.target_id, h.scope, h.kind, h.direction, h.comparator,
               h.hedge, h.bound, h.value, h.value_high, h.unit, h.base_year, h.target_year, h.years,
               h.annualised_pct, h.pp_per_year, h.rule, h.comparable, h.why_not
        FROM headline_comparison h JOIN indicators i USING (indicator_key) LEFT JOIN cities c USING (city)
        ORDER BY h.indicator_key, h.city, h.doc_id NULLS LAST, h.target_year, h.target_id
    """))


def _range_high(row: dict) -> float | None:
    """The annualised rate of the high end of a range, by the row's own rule."""
    high = row.get("value_high")
    if high is None or row.get("annualised_pct") is None:
        return None
    sign = -1 if row["direction"] == "decrease" else 1
    if row["rule"] in ("stated_annual_rate", "one_year_rate"):
        return sign * high
    if row["rule"] == "compound_from_cumulative" and row.get("years"):
        return annualise(sign * high, row["years"])
    return None


def why_no_measure(row: dict, lang: str) -> str:
    """Say why a comparison row has no harmonised measure: no target, a level without a baseline, or why not."""
    if row.get("target_id") is None:
        return label("no_target", lang)
    if row.get("kind") == "level" and row.get("base_value") is None:
        value = with_comparator(value_with_unit(row["value"], row["unit"], lang), row.get("comparator"), lang)
        if row.get("hedge"):
            value += f" ({row['hedge']})" if lang == "en" else f"（{row['hedge']}）"
        return label("level_only", lang, value=value, year=row.get("target_year") or "?")
    why = row.get("why_not") or ""
    return label("not_comparable", lang, why=why)


def fig_headline(data: Data = None, *, lang: str = "en", ax: Any = None, fig: Any = None) -> Figure:
    """Figure 1: annualised headline targets per city, side by side, hedges visible.

    One panel per indicator (labour productivity, energy intensity, R&D/GDP, firms' R&D/revenue;
    the two R&D shares are kept apart). A dot is a target's implied yearly change in percent
    (``targets_harmonised.annualised_pct``); a hollow dot an aspirational target (力争, 争取); a
    floor ("以上") carries an arrow towards the values that also meet it; '~' targets are points
    labelled "~"; the population (scope) is printed under each dot. Cities with no comparable
    rate are listed in their row with the reason. ``data``: a connection or :func:`headline_data`.
    ``ax``: four axes to draw in, or ``fig``: a Figure or SubFigure to add them to (default: a new figure).
    """
    lang = check_lang(lang)
    con, frame = resolve(data, headline_data)
    names_zh = city_names_zh(con)
    cities = sorted({c for c in frame["city"].to_list() if c}, key=style.city_sort_key)
    keys = list(HEADLINE_KEYS)
    # Items per city and panel decide the height of each city's band.
    counts = {(k, c): frame.filter((pl.col("indicator_key") == k) & (pl.col("city") == c)).height
              for k in keys for c in cities}
    bands = {c: max([1] + [counts[(k, c)] for k in keys]) for c in cities}
    starts, y = {}, 0.0
    for c in cities:
        starts[c] = y
        y += bands[c]
    total = max(y, 1.0)

    with house_style():
        canvas = Canvas(style.DOUBLE, 1.25 + 0.42 * total, ax=ax, fig=fig)
        axes = canvas.panels(len(keys), sharey=canvas.owned)
        measures = {key: headline_measure(frame.filter(pl.col("indicator_key") == key)) for key in keys}
        limits = {m: _headline_limits(frame.filter(pl.col("indicator_key").is_in(
            [k for k in keys if measures[k] == m])), m) for m in set(measures.values())}
        ticks = [starts[c] + bands[c] / 2 for c in cities]
        for i, (panel, key) in enumerate(zip(axes, keys)):
            left, right, arrow_len = limits[measures[key]]
            panel.set_xlim(left, right)
            panel.xaxis.set_major_locator(locator())
            rows = frame.filter(pl.col("indicator_key") == key)
            _headline_panel(panel, key, rows, cities, starts, lang, arrow_len, measures[key])
            if i == 0 or not canvas.owned:
                panel.set_yticks(ticks, [city_name(c, lang, frame, names_zh) for c in cities] if i == 0 else [])
            panel.set_ylim(total, 0)
            panel.tick_params(axis="y", length=0)
        finish(canvas.target, source_line(con, frame["doc_id"].to_list(), lang), hedge_legend(lang, ["point", "floor"]),
               canvas=canvas, axes=axes)
    return canvas.figure


def headline_measure(rows: pl.DataFrame) -> str:
    """The scale of a headline panel: ``pp_per_year`` for a share (every target a level in %), else ``annualised_pct``.

    A share rising from 1.5% to 1.75% in four years moves by 0.0625 percentage points a year; its
    relative growth (+3.9% a year) would read as a growth rate, which it is not.
    """
    targets = rows.filter(pl.col("target_id").is_not_null())
    is_share = targets.height and ((targets["unit"] == "%") & (targets["kind"] == "level")).all()
    return "pp_per_year" if is_share else "annualised_pct"


def _headline_limits(frame: pl.DataFrame, measure: str = "annualised_pct") -> tuple[float, float, float]:
    """Return (left, right, arrow length): one x scale for the panels of one measure, with room for arrows."""
    plotted = frame.filter(pl.col(measure).is_not_null())
    xs = plotted[measure].to_list()
    if measure == "annualised_pct":
        xs += [h for h in map(_range_high, plotted.iter_rows(named=True)) if h]
    lo, hi = min(xs + [0.0]), max(xs + [0.0])
    span = max(hi - lo, 2.0 if measure == "annualised_pct" else 0.3)
    arrow_len = 0.12 * span
    signs = [bound_sign(r["bound"], r["direction"]) for r in plotted.iter_rows(named=True)]
    left = lo - (arrow_len + 0.08 * span if any(x < 0 for x in signs) else 0.12 * span)
    right = hi + (arrow_len + 0.08 * span if any(x > 0 for x in signs) else 0.12 * span)
    return left, right, arrow_len


def _headline_panel(ax: Any, key: str, rows: pl.DataFrame, cities: list[str], starts: dict[str, float],
                    lang: str, arrow_len: float, measure: str = "annualised_pct") -> None:
    name_en = rows["name_en"].drop_nulls().first() if rows.height else key
    name_zh = rows["name_zh"].drop_nulls().first() if rows.height else None
    ax.set_title(style.wrap(style.indicator_label(name_en, name_zh, lang, key), 30, lang), loc="left")
    ax.axvline(0, color=style.LIGHT, linewidth=0.6, zorder=0)
    ax.set_xlabel(label("annualised" if measure == "annualised_pct" else "annualised_pp", lang))
    ax.grid(axis="x", linewidth=0.3, color="#EEEEEE")
    show_scope = rows.filter(pl.col("scope").is_not_null())["scope"].n_unique() > 1
    n_docs = rows.filter(pl.col("doc_id").is_not_null()).group_by("city").agg(pl.col("doc_id").n_unique())
    multi_doc = {c for c, n in n_docs.iter_rows() if n > 1}
    for i, city in enumerate(cities):
        if i:
            ax.axhline(starts[city], color="#EEEEEE", linewidth=0.5, zorder=0)
        colour = style.city_colour(city)
        items = rows.filter(pl.col("city") == city)
        for j, row in enumerate(items.iter_rows(named=True)):
            y = starts[city] + j + 0.5
            x = row[measure]
            if x is None:
                ax.text(0.5, y, style.wrap(why_no_measure(row, lang), 30 if lang == "en" else 28, lang),
                        transform=ax.get_yaxis_transform(), ha="center", va="center",
                        fontsize=style.SMALL_SIZE - 0.5, color=style.NEUTRAL, style="italic")
                continue
            high = _range_high(row) if row["bound"] == "range" and measure == "annualised_pct" else None
            if high is not None:
                ax.plot([x, high], [y, y], color=colour, linewidth=2.0, alpha=0.6, solid_capstyle="butt")
            sign = bound_sign(row["bound"], row["direction"])
            if sign:
                arrow(ax, x, y, sign * arrow_len, 0, colour)
            marker(ax, x, y, colour, hedged=aspirational(row["hedge"]))
            about = row["bound"] == "about"
            digits = 1 if measure == "annualised_pct" else 2
            text = ("~" if about else "") + style.number(x, signed=not about, digits=digits, strip=False)
            if high is not None:
                text += "…" + style.number(high, signed=True, digits=1, strip=False)
            if measure == "pp_per_year":
                text = label("pp_short", lang, pp=text)
            if city in multi_doc:
                text += f" [{doc_year(row['doc_id'])}]"
            left, right = ax.get_xlim()
            where = (x - left) / (right - left)
            ha, dx = ("left", -4.0) if where < 0.3 else ("right", 4.0) if where > 0.7 else ("center", 0.0)
            ax.annotate(text, (x, y), xytext=(dx, 3.5), textcoords="offset points", ha=ha, va="bottom",
                        fontsize=style.SMALL_SIZE, color="#1a1a1a")
            period = f"{row['base_year']}–{row['target_year']}" if row["base_year"] else str(row["target_year"])
            detail = f"{style.scope_label(row['scope'], lang)} · {period}" if show_scope else period
            if detail:
                ax.annotate(detail, (x, y), xytext=(dx, -3.5),
                            textcoords="offset points", ha=ha, va="top", fontsize=style.TINY_SIZE - 0.5,
                            color=style.NEUTRAL)
