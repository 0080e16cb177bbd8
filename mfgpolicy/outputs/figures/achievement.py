"""Figure 6: targets against the outcomes observed in their target year — what can be scored, and why the rest cannot."""

from __future__ import annotations

import re
from typing import Any

import duckdb
import polars as pl
from matplotlib.figure import Figure

from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.outputs.figures import style
from mfgpolicy.outputs.figures.marks import (
    Canvas,
    Data,
    city_name,
    city_names_zh,
    finish,
    locator,
    marker,
    reason_panel,
    resolve,
    source_line,
)
from mfgpolicy.outputs.figures.style import check_lang, house_style, label
from mfgpolicy.vocab import with_comparator

STATUS_ORDER = ("met", "missed", "not_comparable")
KINDS_ZH = {"level": "水平值", "annual_growth": "年均增速", "growth_yoy": "当年同比增速",
            "change_over_period": "期间累计变化", "average_annual_growth": "年均增速", "count": "数量", "amount": "金额"}
KINDS_EN = {"level": "level", "annual_growth": "yearly rate", "growth_yoy": "year-on-year growth",
            "change_over_period": "change over the period", "average_annual_growth": "average yearly growth",
            "count": "count", "amount": "amount"}


def achievement_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """:func:`mfgpolicy.achievement` with the indicator's names and the city's Chinese name."""
    from mfgpolicy.comparison import achievement

    rows = achievement(con=con)
    names = frame_of(con.sql("SELECT indicator_key, name_en, name_zh, more_ambitious FROM indicators"))
    places = frame_of(con.sql("SELECT city, name_zh AS city_zh FROM cities"))
    return (rows.join(names, on="indicator_key", how="left", maintain_order="left")
            .join(places, on="city", how="left", maintain_order="left"))


def achievement_scale(row: dict) -> str:
    """The axis a scored row is drawn on: ``pp`` (the gap in percentage points: rates and shares) or ``pct``.

    A rate or share (a unit of %) is off its target by percentage points; another level by a
    percentage of the target (33万元/亩 against 37 is 11% short).
    """
    return "pp" if row["unit"] == "%" else "pct"


def fig_achievement(data: Data = None, *, lang: str = "en", ax: Any = None, fig: Any = None) -> Figure:
    """Figure 6: every target with an outcome observed in its target year — met, missed, or not comparable and why.

    The title counts the rows by status. Scored rows (``met``/``missed``) are drawn by how far
    the outcome is beyond (+) or short of (−) the target on the target's own scale
    (:func:`achievement_scale`): percentage points for rates and shares, percent of the target
    for other levels; a dot per target, coloured by city, the target and outcome as written on
    the right. The rows that cannot be scored are listed below with the target, the outcome
    (its period and population) and the reason (a partial year, another population, another
    form): today most observed outcomes are of that kind, and the figure says so rather than
    score them. ``data``: a connection or :func:`achievement_data`. ``ax``: one axes per part
    shown (scored on each scale, then the list), or ``fig``: a Figure or SubFigure.
    """
    lang = check_lang(lang)
    con, frame = resolve(data, achievement_data)
    names_zh = city_names_zh(con)
    frame = frame.with_columns(_order=pl.col("status").replace_strict(
        {s: i for i, s in enumerate(STATUS_ORDER)}, default=len(STATUS_ORDER), return_dtype=pl.Int8))
    frame = frame.sort("_order", "city", "indicator_key", "target_id", "observation_id").drop("_order")
    scored = frame.filter(pl.col("status").is_in(["met", "missed"]))
    scored = scored.with_columns(scale=pl.struct(["unit"]).map_elements(achievement_scale, return_dtype=pl.String)) \
        if scored.height else scored.with_columns(scale=pl.lit(None, pl.String))
    parts = [("pp", scored.filter(pl.col("scale") == "pp")), ("pct", scored.filter(pl.col("scale") == "pct")),
             ("list", frame.filter(~pl.col("status").is_in(["met", "missed"])))]
    parts = [(kind, rows) for kind, rows in parts if rows.height] or [("list", frame)]
    counts = {s: frame.filter(pl.col("status") == s).height for s in STATUS_ORDER}
    with house_style():
        canvas = Canvas(style.DOUBLE, 0.9 + 0.45 * len(parts) + 0.3 * max(frame.height, 1), ax=ax, fig=fig)
        extra = {"height_ratios": [max(r.height, 1) + 1.2 for _, r in parts]} if canvas.ax is None else {}
        axes = canvas.panels(len(parts), vertical=True, **extra)
        for panel, (kind, rows) in zip(axes, parts):
            if kind == "list":
                reason_panel(panel, [_row_label(r, lang, names_zh) for r in rows.iter_rows(named=True)],
                             [_not_scored_text(r, lang) for r in rows.iter_rows(named=True)],
                             label("achievement_not_scored", lang, n=rows.height))
            else:
                _scored_panel(panel, rows, kind, lang, names_zh)
        axes[0].set_title(label("achievement_title", lang, **counts) + "\n" + axes[0].get_title(loc="left"), loc="left")
        docs = frame["doc_id"].to_list() + frame["source_id"].to_list()
        finish(canvas.target, source_line(con, docs, lang), canvas=canvas, axes=axes)
    return canvas.figure


def _row_label(row: dict, lang: str, names_zh: dict[str, str]) -> str:
    name = style.indicator_label(row.get("name_en"), row.get("name_zh"), lang, row["indicator_key"])
    city = city_name(row["city"], lang, None, names_zh)
    return style.wrap(f"{city} · {name}", 44, lang)


def _target_text(row: dict, lang: str) -> str:
    value = with_comparator(style.amount(row["value"], row["unit"], lang), row.get("comparator"), lang)
    if row["kind"] in ("annual_growth",):
        return label("target_rate", lang, value=value, start=row["base_year"], year=row["target_year"])
    return label("target_by", lang, value=value, year=row["target_year"])


def _outcome_text(row: dict, lang: str) -> str:
    value = style.amount(row["observed_value"], row["observed_unit"], lang)
    kind = (KINDS_EN if lang == "en" else KINDS_ZH).get(row["observed_kind"], row["observed_kind"])
    period = _period(row["observed_period"], row["observed_year"], lang)
    return label("outcome_as", lang, value=value, kind=kind, period=period)


def _period(period: str | None, year: int | None, lang: str) -> str:
    if period in (None, "full_year"):
        return str(year) if lang == "en" else f"{year}年"
    if lang == "en":
        return f"{period} {year}"
    months = {m: i + 1 for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                               "Nov", "Dec"])}
    found = re.fullmatch(r"(\w{3})-(\w{3})", period)
    if found and found[1] in months and found[2] in months:
        return f"{year}年{months[found[1]]}–{months[found[2]]}月"
    return f"{year}年" + {"H1": "上半年", "H2": "下半年", "plan_period": "规划期"}.get(period, period)


def _not_scored_text(row: dict, lang: str) -> str:
    """Target; outcome; why they do not compare (the library's words in English, rebuilt from the fields in Chinese)."""
    head = f"{_target_text(row, lang)}; {_outcome_text(row, lang)}" if lang == "en" else \
        f"{_target_text(row, lang)}；{_outcome_text(row, lang)}"
    return head + (" — " if lang == "en" else "——") + _reason(row, lang)


def _reason(row: dict, lang: str) -> str:
    if lang == "en":  # the library's words, with the kinds of quantity named in words
        return re.sub(r"\b(" + "|".join(KINDS_EN) + r")\b", lambda m: KINDS_EN[m[1]],
                      row.get("difference") or row["status"])
    if row["observed_scope"] != row["scope"]:
        return f"统计口径不同：目标为{row['scope']}，结果为{row['observed_scope']}"
    if row["observed_period"] not in ("full_year", "plan_period"):
        return "结果并非全年数据"
    target = KINDS_ZH.get(row["kind"], row["kind"])
    observed = KINDS_ZH.get(row["observed_kind"], row["observed_kind"])
    return f"形式不同：目标为{target}，结果为{observed}"


def _scored_panel(ax: Any, rows: pl.DataFrame, scale: str, lang: str, names_zh: dict[str, str]) -> None:
    gaps = [(r["gap"] if scale == "pp" else 100 * r["gap"] / r["value"]) * (-1 if _lower(r) else 1)
            for r in rows.iter_rows(named=True)]
    lo, hi = min(gaps + [0.0]), max(gaps + [0.0])
    span = max(hi - lo, 2.0)
    ax.set_xlim(lo - 0.15 * span, hi + 0.15 * span)
    ax.xaxis.set_major_locator(locator())
    ax.axvline(0, color=style.NEUTRAL, linewidth=0.8, zorder=1)
    ax.set_title(label(f"achievement_{scale}", lang), loc="left")
    ax.set_xlabel(label(f"achievement_{scale}_axis", lang))
    for i, (row, gap) in enumerate(zip(rows.iter_rows(named=True), gaps)):
        colour = style.city_colour(row["city"])
        ax.plot([0, gap], [i, i], color=colour, linewidth=1.4, alpha=0.5, solid_capstyle="butt", zorder=2)
        marker(ax, gap, i, colour, hedged=row.get("commitment") == "aspirational", zorder=4)
        text = f"{_target_text(row, lang)} · {_outcome_text(row, lang)} · {label('status_' + row['status'], lang)}"
        ax.annotate(style.wrap(text, 60, lang), (1.0, i), xycoords=("axes fraction", "data"), xytext=(6, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=style.SMALL_SIZE - 0.5,
                    annotation_clip=False)
    ax.set_yticks(range(rows.height), [_row_label(r, lang, names_zh) for r in rows.iter_rows(named=True)])
    ax.set_ylim(rows.height - 0.5, -0.6)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", linewidth=0.3, color="#EEEEEE")


def _lower(row: dict) -> bool:
    """Whether falling short means being above the target (a ceiling, or lower is more ambitious)."""
    return row.get("bound") == "ceiling" or (row.get("more_ambitious") == "lower"
                                             and row["kind"] in ("level", "count", "amount"))
