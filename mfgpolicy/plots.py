"""The figures of the project: one function per figure, each returning a matplotlib Figure.

Every ``fig_*`` takes the data — a DuckDB connection from :func:`mfgpolicy.connect`, or the
polars frame its ``*_data`` function returns (so a notebook can filter it first) — and
``lang="en"`` or ``"zh"``, and returns a :class:`matplotlib.figure.Figure` in the house style
(:mod:`mfgpolicy.style`) with a source line naming the documents. Nothing is written to disk
until :func:`save_figure` or :func:`write_all` (the ``mfgpolicy figures`` command).

=============  ===========================================================================
``headline``   annualised targets per city: labour productivity, energy intensity, R&D
               shares of GDP and of revenue; floors drawn as floors, '~' as points,
               cities without a comparable rate listed with the reason
``timelines``  which plan covers which years; base years and target years marked
``annex``      Ningbo 2016 annex: 2015 baseline → 2019 target per indicator (2015 = 100)
``coverage``   which city sets which indicator (counts of targets), and by domain
``paths``      implied paths: energy intensity as an index (base year = 100), R&D shares
               as values where a baseline exists, target points otherwise
=============  ===========================================================================

Output is byte-for-byte reproducible: one font file (from ``mplfonts``), no timestamps or
software versions in the files (PDF ``Creator``/``Producer``/``CreationDate``, PNG
``Software``, SVG ``Date``/``Creator`` removed), a fixed ``svg.hashsalt``, figures built from
queries with a total order.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch

from mfgpolicy import harmonise, style
from mfgpolicy._io import atomic_path
from mfgpolicy.harmonise import BOUND_OF_COMPARATOR, annualise
from mfgpolicy.style import check_lang, house_style, label
from mfgpolicy.views import HEADLINE_KEYS

Data = duckdb.DuckDBPyConnection | pl.DataFrame | None

FORMATS = ("pdf", "png")
SAVE_METADATA: dict[str, dict[str, Any]] = {
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}
SOURCE_GID = "mfgpolicy-source-line"
PATH_KEYS = ("energy_intensity", "rd_share_gdp", "rd_share_revenue")
ANNEX_DOC = "ningbo-2016"


# --------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------

def _connection(data: Data) -> duckdb.DuckDBPyConnection:
    if data is None:
        from mfgpolicy.catalog import connect

        return connect()
    return data  # type: ignore[return-value]


def _resolve(data: Data, loader: Callable[[duckdb.DuckDBPyConnection], pl.DataFrame]
             ) -> tuple[duckdb.DuckDBPyConnection | None, pl.DataFrame]:
    """Return (connection or None, frame): a frame is used as given, a connection is queried."""
    if isinstance(data, pl.DataFrame):
        return None, data
    con = _connection(data)
    return con, loader(con)


def source_line(con: duckdb.DuckDBPyConnection | None, doc_ids: Iterable[str | None], lang: str = "en") -> str:
    """Return the source line of a figure: "Source: <document ids>; mfgpolicy" (Chinese with lang="zh").

    Documents are listed in the order of ``documents`` (by plan start, then id) when ``con`` is
    given, else by id. The data version comes from the connection's ``about`` table (else from
    ``data/curated``), so every figure names the data it was made from.

    Examples
    --------
    >>> source_line(None, ["yuyao-2018", "jinhua-2021", None, "yuyao-2018"])  # doctest: +ELLIPSIS
    'Source: jinhua-2021, yuyao-2018; mfgpolicy data 1.0.0+sha...'
    >>> source_line(None, ["yuyao-2018"], lang="zh")  # doctest: +ELLIPSIS
    '来源：yuyao-2018；mfgpolicy 数据 1.0.0+sha...'
    """
    lang = check_lang(lang)
    ids = sorted({d for d in doc_ids if d})
    if con is not None and ids:
        order = [r[0] for r in con.execute(
            "SELECT doc_id FROM documents ORDER BY period_start, doc_id").fetchall()]
        ids = sorted(ids, key=lambda d: (order.index(d) if d in order else len(order), d))
    docs = label("doc_sep", lang).join(ids) if ids else ("curated targets" if lang == "en" else "整理后的目标数据")
    from mfgpolicy.catalog import version_of
    from mfgpolicy.version import data_version

    version = version_of(con) if con is not None else data_version()
    return label("source", lang, docs=docs, version=version)


def _new_figure(width: float, height: float) -> Figure:
    # Figure() rather than pyplot: nothing registered globally, nothing to close, no
    # "more than 20 figures" warnings when every figure is rendered in a loop. The Agg canvas
    # measures text for the layout.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _finish(fig: Figure, source: str, legend: dict[str, Any] | None = None, note: str | None = None) -> None:
    """Add the source line at the bottom left and, above it, the figure legend and a note (if any).

    The layout engine is told to keep them all clear of the axes.
    """
    renderer = fig.canvas.get_renderer()
    width, height = fig.get_size_inches()
    pad = 2 / 72 / height
    chars = max(40, int(width * 72 / (style.TINY_SIZE * 0.5)))
    text = fig.text(0.006, pad, style.wrap(source, chars), ha="left", va="bottom", fontsize=style.TINY_SIZE,
                    color=style.NEUTRAL, gid=SOURCE_GID)
    bottom = pad + text.get_window_extent(renderer).height / fig.bbox.height + pad
    if legend:
        leg = fig.legend(loc="lower center", bbox_to_anchor=(0.5, bottom), bbox_transform=fig.transFigure,
                         borderaxespad=0.0, **legend)
        bottom += leg.get_window_extent(renderer).height / fig.bbox.height + pad
    if note:
        chars = max(40, int(width * 72 / (style.SMALL_SIZE * 0.5)))
        lang = "en" if note.isascii() else "zh"
        shown = fig.text(0.006, bottom + pad, style.wrap(note, chars, lang), ha="left", va="bottom",
                         fontsize=style.SMALL_SIZE, color=style.NEUTRAL)
        bottom += shown.get_window_extent(renderer).height / fig.bbox.height + 2 * pad
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    # Draw once inside the house style: ticks are created lazily, with the rcParams in force at
    # that moment, so a notebook drawing the figure later (outside the style) shows the same.
    fig.draw_without_rendering()


def figure_source(fig: Figure) -> str | None:
    """Return the source line of a figure made here (None if it has none)."""
    for text in fig.texts:
        if text.get_gid() == SOURCE_GID:
            return text.get_text()
    return None


def _city_names_zh(con: duckdb.DuckDBPyConnection | None) -> dict[str, str]:
    if con is None:
        return {}
    return dict(con.execute("SELECT city, name_zh FROM cities").fetchall())


def _city(city: str, lang: str, frame: pl.DataFrame | None = None,
          names_zh: dict[str, str] | None = None) -> str:
    names = dict(names_zh or {})
    if frame is not None and "city_zh" in frame.columns:
        names.update({c: z for c, z in frame.select("city", "city_zh").unique().iter_rows() if c and z})
    return style.city_label(city, lang, names)


def _bound_sign(bound: str | None, direction: str | None) -> int:
    """Which way the truth may lie from the drawn value, in signed-rate space (+1 up, −1 down, 0 exact).

    A floor on a fall ("下降18%以上") lies further down; a floor on a rise or a level further up;
    a ceiling the other way.
    """
    base = -1 if direction == "decrease" else 1
    if bound == "floor":
        return base
    if bound == "ceiling":
        return -base
    return 0


_COMMITMENT = getattr(harmonise, "COMMITMENT_OF_HEDGE", {"确保": "firm", "力争": "aspirational",
                                                        "争取": "aspirational", "努力": "aspirational"})


def _aspirational(hedge: str | None) -> bool:
    """True for hedges that soften a target (力争 strive, 争取 seek, 努力); 确保 (ensure) is firm."""
    return _COMMITMENT.get(hedge or "") == "aspirational"


def _marker(ax: Any, x: float, y: float, colour: str, *, hedged: bool, size: float = 4.8,
            zorder: float = 3) -> None:
    ax.plot([x], [y], marker="o", linestyle="none", markersize=size, markeredgewidth=1.0,
            markeredgecolor=colour, markerfacecolor="white" if hedged else colour, zorder=zorder)


def _arrow(ax: Any, x: float, y: float, dx: float, dy: float, colour: str) -> None:
    ax.add_patch(FancyArrowPatch((x, y), (x + dx, y + dy), arrowstyle="-|>", mutation_scale=6,
                                 color=colour, linewidth=0.9, shrinkA=2.6, shrinkB=0, zorder=2))


class _BoundHandler(HandlerBase):
    """Legend key for a hedge: a marker, with an arrow for floors/ceilings, a bar for ranges."""

    def __init__(self, kind: str, hedged: bool = False) -> None:
        super().__init__()
        self.kind, self.hedged = kind, hedged

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        y = height / 2 - ydescent
        x = width * (0.25 if self.kind in ("floor", "ceiling") else 0.5) - xdescent
        artists: list[Any] = []
        if self.kind == "range":
            artists.append(Line2D([x - width * 0.35, x + width * 0.35], [y, y], color=style.NEUTRAL,
                                  linewidth=1.2, transform=trans))
        if self.kind in ("floor", "ceiling"):
            x0, x1 = (x, x + width * 0.8) if self.kind == "floor" else (x + width * 0.8, x)
            artists.append(FancyArrowPatch((x0, y), (x1, y), arrowstyle="-|>", mutation_scale=6,
                                           color=style.NEUTRAL, linewidth=0.9, shrinkA=0, shrinkB=0,
                                           transform=trans))
            x = x0
        artists.append(Line2D([x], [y], marker="o", markersize=4.5, markeredgewidth=1.0,
                              markeredgecolor=style.NEUTRAL,
                              markerfacecolor="white" if self.hedged else style.NEUTRAL,
                              linestyle="none", transform=trans))
        return artists


def _hedge_legend(lang: str, kinds: Sequence[str], *, hedged: bool = True) -> dict[str, Any]:
    handles, labels, handler_map = [], [], {}
    for kind in kinds:
        handle = Patch()
        handles.append(handle)
        labels.append(label(f"legend_{kind}", lang))
        handler_map[handle] = _BoundHandler(kind if kind != "about" else "point")
    if hedged:
        handle = Patch()
        handles.append(handle)
        labels.append(label("legend_hedged", lang))
        handler_map[handle] = _BoundHandler("point", hedged=True)
    return {"handles": handles, "labels": labels, "handler_map": handler_map, "ncols": len(handles),
            "handlelength": 2.2, "columnspacing": 1.4}


def _locator() -> Any:
    # A fixed tick density (the default one reads the tick label size from rcParams when drawn).
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10])


def _value_with_unit(value: float | None, unit: str | None, lang: str) -> str:
    return style.number(value, lang=lang) + style.unit_label(unit, lang)


def _with_comparator(text: str, comparator: str | None, lang: str) -> str:
    """Say the comparator in words: "at least 2.3%" / "2.3%以上"."""
    if lang == "zh":
        return text + {"~": "左右", ">=": "以上", "<=": "以内"}.get(comparator or "", "")
    return {"~": "about ", ">=": "at least ", "<=": "at most "}.get(comparator or "", "") + text


def _year_range(frame: pl.DataFrame, columns: list[str]) -> tuple[int, int]:
    years = [y for c in columns if c in frame.columns for y in frame[c].drop_nulls().to_list()]
    return (int(min(years)), int(max(years))) if years else (2015, 2025)


def _doc_year(doc_id: str | None) -> str:
    return (doc_id or "").rsplit("-", 1)[-1]


# --------------------------------------------------------------------------------------------
# 1. headline comparison
# --------------------------------------------------------------------------------------------

def headline_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows of ``headline_comparison`` with the indicator's Chinese name and the city's Chinese name."""
    return con.sql("""
        SELECT h.indicator_key, h.indicator AS name_en, i.name_zh, i.more_ambitious, h.city,
               c.name_zh AS city_zh, h.doc_id, h.target_id, h.scope, h.kind, h.direction, h.comparator,
               h.hedge, h.bound, h.value, h.value_high, h.unit, h.base_year, h.target_year, h.years,
               h.annualised_pct, h.pp_per_year, h.rule, h.comparable, h.why_not
        FROM headline_comparison h JOIN indicators i USING (indicator_key) LEFT JOIN cities c USING (city)
        ORDER BY h.indicator_key, h.city, h.doc_id NULLS LAST, h.target_year, h.target_id
    """).pl()


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


def _not_comparable_text(row: dict, lang: str) -> str:
    if row.get("target_id") is None:
        return label("no_target", lang)
    if row.get("kind") == "level" and row.get("base_value") is None:
        value = _with_comparator(_value_with_unit(row["value"], row["unit"], lang), row.get("comparator"), lang)
        if row.get("hedge"):
            value += f" ({row['hedge']})" if lang == "en" else f"（{row['hedge']}）"
        return label("level_only", lang, value=value, year=row.get("target_year") or "?")
    why = row.get("why_not") or ""
    return label("not_comparable", lang, why=why)


def fig_headline(data: Data = None, *, lang: str = "en") -> Figure:
    """Figure 1: annualised headline targets per city, side by side, hedges visible.

    One panel per indicator (labour productivity, energy intensity, R&D/GDP, firms' R&D/revenue;
    the two R&D shares are kept apart). A dot is a target's implied yearly change in percent
    (``targets_harmonised.annualised_pct``); a hollow dot an aspirational target (力争, 争取); a
    floor ("以上") carries an arrow towards the values that also meet it; '~' targets are points
    labelled "~"; the population (scope) is printed under each dot. Cities with no comparable
    rate are listed in their row with the reason. ``data``: a connection or :func:`headline_data`.
    """
    lang = check_lang(lang)
    con, frame = _resolve(data, headline_data)
    names_zh = _city_names_zh(con)
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
        fig = _new_figure(style.DOUBLE, 1.25 + 0.42 * total)
        axes = fig.subplots(1, len(keys), sharey=True, sharex=True)
        left, right, arrow_len = _headline_limits(frame)
        first = np.atleast_1d(axes)[0]
        first.set_xlim(left, right)
        first.xaxis.set_major_locator(_locator())
        for ax, key in zip(np.atleast_1d(axes), keys):
            rows = frame.filter(pl.col("indicator_key") == key)
            _headline_panel(ax, key, rows, cities, starts, lang, arrow_len)
        first.set_yticks([starts[c] + bands[c] / 2 for c in cities],
                         [_city(c, lang, frame, names_zh) for c in cities])
        first.set_ylim(total, 0)
        first.tick_params(axis="y", length=0)
        _finish(fig, source_line(con, frame["doc_id"].to_list(), lang), _hedge_legend(lang, ["point", "floor"]))
    return fig


def _headline_limits(frame: pl.DataFrame) -> tuple[float, float, float]:
    """Return (left, right, arrow length): one x scale for every panel, with room for arrows."""
    plotted = frame.filter(pl.col("annualised_pct").is_not_null())
    xs = plotted["annualised_pct"].to_list() + [h for h in map(_range_high, plotted.iter_rows(named=True)) if h]
    lo, hi = min(xs + [0.0]), max(xs + [0.0])
    span = max(hi - lo, 2.0)
    arrow_len = 0.12 * span
    signs = [_bound_sign(r["bound"], r["direction"]) for r in plotted.iter_rows(named=True)]
    left = lo - (arrow_len + 0.08 * span if any(x < 0 for x in signs) else 0.12 * span)
    right = hi + (arrow_len + 0.08 * span if any(x > 0 for x in signs) else 0.12 * span)
    return left, right, arrow_len


def _headline_panel(ax: Any, key: str, rows: pl.DataFrame, cities: list[str], starts: dict[str, float],
                    lang: str, arrow_len: float) -> None:
    name_en = rows["name_en"].drop_nulls().first() if rows.height else key
    name_zh = rows["name_zh"].drop_nulls().first() if rows.height else None
    ax.set_title(style.wrap(style.indicator_label(name_en, name_zh, lang, key), 30, lang), loc="left")
    ax.axvline(0, color=style.LIGHT, linewidth=0.6, zorder=0)
    ax.set_xlabel(label("annualised", lang))
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
            x = row["annualised_pct"]
            if x is None:
                ax.text(0.5, y, style.wrap(_not_comparable_text(row, lang), 30 if lang == "en" else 28, lang),
                        transform=ax.get_yaxis_transform(), ha="center", va="center",
                        fontsize=style.SMALL_SIZE - 0.5, color=style.NEUTRAL, style="italic")
                continue
            high = _range_high(row) if row["bound"] == "range" else None
            if high is not None:
                ax.plot([x, high], [y, y], color=colour, linewidth=2.0, alpha=0.6, solid_capstyle="butt")
            sign = _bound_sign(row["bound"], row["direction"])
            if sign:
                _arrow(ax, x, y, sign * arrow_len, 0, colour)
            _marker(ax, x, y, colour, hedged=_aspirational(row["hedge"]))
            about = row["bound"] == "about"
            text = ("~" if about else "") + style.number(x, signed=not about, digits=1, strip=False)
            if high is not None:
                text += "…" + style.number(high, signed=True, digits=1, strip=False)
            if row["pp_per_year"] is not None:
                pp = style.number(row["pp_per_year"], signed=True, digits=2)
                text += f" ({label('pp', lang, pp=pp)})" if lang == "en" else f"（{label('pp', lang, pp=pp)}）"
            if city in multi_doc:
                text += f" [{_doc_year(row['doc_id'])}]"
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


# --------------------------------------------------------------------------------------------
# 2. plan timelines
# --------------------------------------------------------------------------------------------

def timelines_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per document and marked year: ``mark`` is "base" or "target", ``n`` the targets.

    Documents without targets keep one row with ``mark`` null. Restatements are not counted.
    """
    return con.sql("""
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
    """).pl()


def fig_timelines(data: Data = None, *, lang: str = "en") -> Figure:
    """Figure 2: which plan covers which years, with the base years and target years of its targets.

    A bar per document spans its plan period (inclusive years); open circles mark the base
    years its targets are measured from, diamonds the years they are due, labelled with the
    number of targets. ``data``: a connection or :func:`timelines_data`.
    """
    lang = check_lang(lang)
    con, frame = _resolve(data, timelines_data)
    docs = frame.select("doc_id", "city", "period_start", "period_end").unique(maintain_order=True)
    names_zh = _city_names_zh(con)
    lo, hi = _year_range(frame, ["period_start", "period_end", "year"])
    with house_style():
        fig = _new_figure(style.SINGLE, 0.95 + 0.3 * max(docs.height, 1))
        ax = fig.subplots()
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
                      [f"{_city(c, lang, frame, names_zh)} {s}–{e}" if s != e else f"{_city(c, lang, frame, names_zh)} {s}"
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
        _finish(fig, source_line(con, docs["doc_id"].to_list(), lang),
                {"handles": handles, "ncols": 3, "handlelength": 1.2, "columnspacing": 1.0})
    return fig


# --------------------------------------------------------------------------------------------
# 3. Ningbo 2016 annex: baseline → target
# --------------------------------------------------------------------------------------------

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
    con, frame = _resolve(data, annex_data)
    frame = frame.filter(pl.col("base_value").is_not_null() & (pl.col("base_value") > 0))
    frame = frame.with_columns(relative=100 * pl.col("value") / pl.col("base_value"),
                               is_rate=pl.col("kind") == "annual_growth")
    frame = frame.sort(["is_rate", "relative", "indicator_key"], descending=[False, True, False])
    base_year = frame["base_year"].drop_nulls().mode().sort().first() if frame.height else 2015
    target_year = frame["target_year"].drop_nulls().mode().sort().first() if frame.height else 2019
    city = frame["city"].drop_nulls().first() if frame.height else "Ningbo"
    colour = style.city_colour(city or "Ningbo")
    with house_style():
        fig = _new_figure(style.DOUBLE, 1.05 + 0.24 * max(frame.height, 2))
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
            sign = _bound_sign(BOUND_OF_COMPARATOR.get(row["comparator"] or ""), row["direction"])
            if sign:
                _arrow(ax, row["relative"], i, sign * arrow_len, 0, colour)
            _marker(ax, row["relative"], i, colour, hedged=_aspirational(row["hedge"]), zorder=4)
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
        if any(map(_aspirational, frame["hedge"].to_list())):
            hedged = Patch()
            legend = {"handles": [*handles, hedged], "labels": [h.get_label() for h in handles]
                      + [label("legend_hedged", lang)], "handler_map": {hedged: _BoundHandler("point", True)},
                      "ncols": 3}
        _finish(fig, source_line(con, frame["doc_id"].to_list(), lang), legend)
    return fig


# --------------------------------------------------------------------------------------------
# 4. coverage
# --------------------------------------------------------------------------------------------

def coverage_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """:func:`mfgpolicy.coverage` (one column per city) plus ``name_zh`` and the ``doc_ids`` behind each row."""
    from mfgpolicy.compare import coverage

    wide = coverage(con=con)
    extra = con.sql("""
        SELECT i.indicator_key, i.name_zh,
               list(DISTINCT t.doc_id ORDER BY t.doc_id) AS doc_ids
        FROM indicators i JOIN targets t USING (indicator_key)
        WHERE t.same_as IS NULL GROUP BY ALL
    """).pl()
    return wide.join(extra, on="indicator_key", how="left", maintain_order="left")


def fig_coverage(data: Data = None, *, lang: str = "en") -> Figure:
    """Figure 4: which city sets which indicator.

    Left: the indicators set by two or more cities (and the headline indicators), with the
    number of targets each city sets (restatements not counted). Right: the number of distinct
    indicators each city sets per domain, over every indicator. A note counts the indicators set
    by one city only. ``data``: a connection or :func:`coverage_data` / :func:`mfgpolicy.coverage`.
    """
    lang = check_lang(lang)
    con, frame = _resolve(data, coverage_data)
    names_zh = _city_names_zh(con)
    cities = sorted([c for c in frame.columns if c not in
                     ("indicator_key", "indicator", "domain", "n_cities", "name_zh", "doc_ids")],
                    key=style.city_sort_key)
    shared = frame.filter((pl.col("n_cities") >= 2) | pl.col("indicator_key").is_in(list(HEADLINE_KEYS)))
    shared = shared.sort(["n_cities", "domain", "indicator_key"], descending=[True, False, False])
    single = frame.filter(~pl.col("indicator_key").is_in(shared["indicator_key"].implode()) & (pl.col("n_cities") == 1))
    domains = (frame.unpivot(index=["indicator_key", "domain"], on=cities, variable_name="city", value_name="n")
               .filter(pl.col("n") > 0)
               .group_by("domain", "city").agg(pl.len().alias("n_ind")))
    domain_order = (domains.group_by("domain").agg(pl.col("n_ind").sum())
                    .sort(["n_ind", "domain"], descending=[True, False])["domain"].to_list())
    city_names = [_city(c, lang, None, names_zh) for c in cities]
    n_rows = max(shared.height, len(domain_order), 1)
    with house_style():
        fig = _new_figure(style.DOUBLE, 1.25 + 0.155 * n_rows)
        left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.0])
        matrix = shared.select(cities).to_numpy().astype(float) if shared.height else np.zeros((0, len(cities)))
        names = [style.wrap(style.indicator_label(r["indicator"], r.get("name_zh"), lang, r["indicator_key"]),
                            46, lang) for r in shared.iter_rows(named=True)]
        _heatmap(left, matrix, names, city_names)
        left.set_title(label("coverage_shared", lang) + (f" ({label('n_targets', lang)})" if lang == "en"
                                                          else f"（{label('n_targets', lang)}）"), loc="left")
        dmatrix = np.array([[domains.filter((pl.col("domain") == d) & (pl.col("city") == c))["n_ind"].sum()
                             for c in cities] for d in domain_order], dtype=float).reshape(len(domain_order), len(cities))
        _heatmap(right, dmatrix, [style.domain_label(d, lang) for d in domain_order], city_names)
        right.set_title(label("coverage_domains", lang), loc="left")
        note = None
        if single.height:
            detail = label("doc_sep", lang).join(
                f"{_city(c, lang, None, names_zh)} {single.filter(pl.col(c) > 0).height}"
                for c in cities if single.filter(pl.col(c) > 0).height)
            note = label("single_city", lang, n=single.height, detail=detail)
        docs = [d for ids in frame["doc_ids"].to_list() for d in (ids or [])] if "doc_ids" in frame.columns else []
        _finish(fig, source_line(con, docs, lang), note=note)
    return fig


def _heatmap(ax: Any, matrix: np.ndarray, rows: list[str], cols: list[str]) -> None:
    import seaborn as sns
    from matplotlib.colors import BoundaryNorm, ListedColormap

    top = max(int(matrix.max()) if matrix.size else 1, 1)
    colours = sns.light_palette(style.OKABE_ITO["blue"], n_colors=top + 1).as_hex()
    colours[0] = "#FFFFFF"
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(-0.5, top + 1.5), cmap.N)
    ax.imshow(matrix if matrix.size else np.zeros((1, len(cols))), cmap=cmap, norm=norm, aspect="auto",
              interpolation="nearest")
    for (i, j), v in np.ndenumerate(matrix):
        if v > 0:
            ax.text(j, i, str(int(v)), ha="center", va="center", fontsize=style.SMALL_SIZE,
                    color="white" if v > top * 0.6 and top > 1 else "#1a1a1a")
    ax.set_xticks(range(len(cols)), cols)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
    ax.set_yticks(np.arange(-0.5, max(len(rows), 1)), minor=True)
    ax.grid(which="minor", color="#E0E0E0", linewidth=0.5)
    ax.tick_params(which="minor", length=0)


# --------------------------------------------------------------------------------------------
# 5. implied paths
# --------------------------------------------------------------------------------------------

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
    con, frame = _resolve(data, paths_data)
    names_zh = _city_names_zh(con)
    cities = [r[0] for r in con.execute("SELECT city FROM cities").fetchall()] if con is not None else []
    cities = sorted(set(cities) | {c for c in frame["city"].to_list() if c}, key=style.city_sort_key)
    lo, hi = _year_range(frame, ["year", "target_year", "base_year"])
    with house_style():
        fig = _new_figure(style.DOUBLE, 2.7)
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
        labels = [_city(c, lang, frame, names_zh) for c in shown]
        floor, hedged = Patch(), Patch()
        handles += [floor, hedged]
        labels += [label("legend_floor", lang), label("legend_hedged", lang)]
        handler_map = {floor: _BoundHandler("floor"), hedged: _BoundHandler("point", hedged=True)}
        _finish(fig, source_line(con, frame["doc_id"].to_list(), lang),
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
            notes.append(_city(t["city"], lang, frame, names_zh) + colon + why)
            continue
        if t["comparator"] == "~":
            text = "~" + text
        if t["city"] in multi_doc:
            text += f" [{_doc_year(t['doc_id'])}]"
        sign = _bound_sign(t["bound"], t["direction"] if as_index else "reach")
        ends.append({"x": end[0], "y": end[1], "text": text, "colour": colour, "sign": sign,
                     "hedged": _aspirational(t["hedge"])})
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
            _arrow(ax, e["x"], e["y"], 0, e["sign"] * arrow_len, e["colour"])
        _marker(ax, e["x"], e["y"], e["colour"], hedged=e["hedged"], zorder=4)
        ax.annotate(e["text"], (e["x"], e["y"]), xytext=(5, 0), textcoords="offset points", ha="left",
                    va="center", fontsize=style.SMALL_SIZE, color="#1a1a1a", annotation_clip=False)
    if as_index:
        ax.axhline(100, color=style.LIGHT, linewidth=0.6, zorder=0)
    missing = [c for c in cities if not targets.filter(pl.col("city") == c).height]
    if missing:
        notes.append(label("no_target_cities", lang,
                           cities=label("doc_sep", lang).join(_city(c, lang, frame, names_zh) for c in missing)))
    if notes:
        ax.text(0.02, 0.02, "\n".join(style.wrap(n, 44, lang) for n in notes), transform=ax.transAxes,
                ha="left", va="bottom", fontsize=style.SMALL_SIZE - 0.5, color=style.NEUTRAL, style="italic")
    ax.grid(axis="y", linewidth=0.3, color="#EEEEEE")
    ax.yaxis.set_major_locator(_locator())


# --------------------------------------------------------------------------------------------
# registry, saving
# --------------------------------------------------------------------------------------------

FIGURES: dict[str, Callable[..., Figure]] = {
    "headline": fig_headline,
    "timelines": fig_timelines,
    "annex": fig_annex,
    "coverage": fig_coverage,
    "paths": fig_paths,
}


def figure_stem(name: str, lang: str = "en") -> str:
    """Return the file stem of a figure: ``fig1_headline_en`` (numbered in :data:`FIGURES` order)."""
    number = list(FIGURES).index(name) + 1
    return f"fig{number}_{name}_{check_lang(lang)}"


def save_figure(fig: Figure, stem: str, out_dir: Path | str, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``fig`` as ``out_dir/stem.<format>`` for each format (PDF and PNG by default; SVG too).

    Each file is written atomically and byte-for-byte reproducibly: PNG at 300 dpi without a
    ``Software`` tag, PDF without ``Creator``/``Producer``/``CreationDate``, SVG without
    ``Date``/``Creator`` and with a fixed hash salt. Returns the paths written.
    """
    out_dir = Path(out_dir)
    written = []
    with house_style():
        for fmt in formats:
            if fmt not in SAVE_METADATA:
                raise ValueError(f"format must be one of {', '.join(SAVE_METADATA)}; got {fmt!r}")
            path = out_dir / f"{stem}.{fmt}"
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format=fmt, dpi=300, metadata=SAVE_METADATA[fmt])
            written.append(path)
    return written


def write_all(out_dir: Path | str | None = None, langs: Sequence[str] = ("en", "zh"), *,
              only: Sequence[str] | None = None, con: duckdb.DuckDBPyConnection | None = None,
              formats: Sequence[str] = FORMATS) -> list[Path]:
    """Render every figure (or those in ``only``) in each language and save it; return the paths.

    Progress goes to stderr, one line per figure and language.
    """
    from mfgpolicy import paths

    out_dir = Path(out_dir) if out_dir is not None else paths.FIGURES
    names = list(only) if only else list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise ValueError(f"unknown figure(s) {', '.join(unknown)}; known: {', '.join(FIGURES)}")
    langs = [check_lang(lang) for lang in langs]
    con = _connection(con)
    written: list[Path] = []
    for name in names:
        for lang in langs:
            started = time.perf_counter()
            fig = FIGURES[name](con, lang=lang)
            files = save_figure(fig, figure_stem(name, lang), out_dir, formats)
            written.extend(files)
            print(f"[figures] {figure_stem(name, lang)} ({', '.join(f.suffix[1:] for f in files)}) "
                  f"in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return written


__all__ = [
    "FIGURES", "annex_data", "coverage_data", "fig_annex", "fig_coverage", "fig_headline", "fig_paths",
    "fig_timelines", "figure_source", "figure_stem", "headline_data", "paths_data", "save_figure",
    "source_line", "timelines_data", "write_all",
]
