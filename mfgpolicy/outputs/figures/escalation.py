"""Figure 7: city targets beside the parent plans they implement — tighter, the same, or looser."""

from __future__ import annotations

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

RELATION_ORDER = ("tighter", "same", "looser", "not_comparable")


def escalation_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """:func:`mfgpolicy.escalation` with names, ``more_ambitious``, and each side's kind, unit and value as stated."""
    from mfgpolicy.comparison import escalation

    rows = escalation(con=con)
    names = frame_of(con.sql("SELECT indicator_key, name_en, name_zh, more_ambitious FROM indicators"))
    places = frame_of(con.sql("SELECT city, name_zh AS city_zh FROM cities"))
    mine = frame_of(con.sql("""SELECT target_id, kind, direction, value AS stated_value, unit AS stated_unit, comparator
                      FROM targets"""))
    theirs = frame_of(con.sql("""SELECT cited_target_id, kind AS parent_kind, direction AS parent_direction,
                               value AS parent_stated_value, unit AS parent_unit, comparator AS parent_comparator
                        FROM cited_targets"""))
    return (rows.join(names, on="indicator_key", how="left", maintain_order="left")
            .join(places, on="city", how="left", maintain_order="left")
            .join(mine, on="target_id", how="left", maintain_order="left")
            .join(theirs, on="cited_target_id", how="left", maintain_order="left"))


def escalation_scale(row: dict) -> str | None:
    """The axis a comparable pair is drawn on: ``pp`` (rates, and shares: the difference in percentage points)
    or ``pct`` (other levels: the city's target as a percentage of the parent's, less 100); None if not comparable."""
    if row["relation"] == "not_comparable" or row["measure"] is None:
        return None
    return "pp" if row["measure"] != "level" or row["unit"] == "%" else "pct"


def fig_escalation(data: Data = None, *, lang: str = "en", ax: Any = None, fig: Any = None) -> Figure:
    """Figure 7: each city target beside the parent plan's target on the same indicator.

    Comparable pairs are drawn by how much more ambitious (→) or less (←) the city is than the
    level above, on their own scale (:func:`escalation_scale`): the difference in percentage
    points for rates and shares (by the indicator's direction: a steeper energy cut is more
    ambitious), the city's target as a percentage of the parent's for other levels (Jinhua's
    22万元/人 against Zhejiang's 33: −33%). A dot sits on 0 when the city copies the parent.
    Both targets as written and the relation (``tighter``/``same``/``looser``) are printed on
    the right. The pairs that do not compare are listed below with the reason (a city's count
    is part of the province's total; different units). ``data``: a connection or
    :func:`escalation_data`. ``ax``: one axes per part shown, or ``fig``: a Figure or SubFigure.
    """
    lang = check_lang(lang)
    con, frame = resolve(data, escalation_data)
    names_zh = city_names_zh(con)
    frame = frame.with_columns(
        _order=pl.col("relation").replace_strict({r: i for i, r in enumerate(RELATION_ORDER)},
                                                 default=len(RELATION_ORDER), return_dtype=pl.Int8),
        scale=pl.struct(["relation", "measure", "unit"]).map_elements(escalation_scale, return_dtype=pl.String))
    frame = frame.sort("_order", "city", "indicator_key", "target_id", "cited_target_id").drop("_order")
    parts = [("pp", frame.filter(pl.col("scale") == "pp")), ("pct", frame.filter(pl.col("scale") == "pct")),
             ("list", frame.filter(pl.col("scale").is_null()))]
    parts = [(kind, rows) for kind, rows in parts if rows.height] or [("list", frame)]
    multi = frame["city"].n_unique() > 1
    counts = {r: frame.filter(pl.col("relation") == r).height for r in RELATION_ORDER}
    pairs = label("doc_sep", lang).join(
        f"{city_name(c, lang, None, names_zh)} ← {city_name(p, lang, None, names_zh)}"
        for c, p in frame.select("city", "parent_place").unique(maintain_order=True).iter_rows())
    with house_style():
        canvas = Canvas(style.DOUBLE, 0.9 + 0.45 * len(parts) + 0.3 * max(frame.height, 1), ax=ax, fig=fig)
        extra = {"height_ratios": [max(r.height, 1) + 1.2 for _, r in parts]} if canvas.ax is None else {}
        axes = canvas.panels(len(parts), vertical=True, **extra)
        for panel, (kind, rows) in zip(axes, parts):
            labels = [_row_label(r, lang, names_zh, multi) for r in rows.iter_rows(named=True)]
            if kind == "list":
                reason_panel(panel, labels, [_not_comparable_text(r, lang) for r in rows.iter_rows(named=True)],
                             label("escalation_not_comparable", lang, n=rows.height))
            else:
                _pairs_panel(panel, rows, kind, labels, lang)
        axes[0].set_title(label("escalation_title", lang, pairs=pairs or "—", **counts) + "\n" + axes[0].get_title(loc="left"),
                          loc="left")
        docs = frame["doc_id"].to_list() + frame["cited_doc_id"].to_list()
        finish(canvas.target, source_line(con, docs, lang), canvas=canvas, axes=axes)
        if canvas.ax is None and hasattr(canvas.target, "get_layout_engine"):
            # the notes stand right of the axes; text is a little wider at 300 dpi than where the
            # layout measures it, so keep a margin that the widest note cannot cross
            canvas.target.get_layout_engine().set(w_pad=0.12)
    return canvas.figure


def _row_label(row: dict, lang: str, names_zh: dict[str, str], multi: bool) -> str:
    name = style.indicator_label(row.get("name_en"), row.get("name_zh"), lang, row["indicator_key"])
    if multi:
        name = f"{city_name(row['city'], lang, None, names_zh)} · {name}"
    return style.wrap(name, 40, lang)


def _stated(value: float | None, unit: str | None, comparator: str | None, kind: str | None, lang: str,
            direction: str | None = None) -> str:
    from mfgpolicy.vocab import with_comparator

    text = with_comparator(style.amount(value, unit, lang), comparator, lang)
    if kind == "annual_growth":
        text = label("a_year", lang, value=text)
    elif kind == "change_over_period" and direction in ("decrease", "increase"):
        text = label(f"change_{direction}", lang, value=text)
    return text


def _both(row: dict, lang: str) -> str:
    mine = _stated(row["stated_value"], row["stated_unit"], row["comparator"], row["kind"], lang, row["direction"])
    theirs = _stated(row["parent_stated_value"], row["parent_unit"], row["parent_comparator"], row["parent_kind"], lang,
                     row["parent_direction"])
    return label("city_vs_parent", lang, mine=mine, theirs=theirs, year=row["city_target_year"],
                 parent_year=row["parent_target_year"])


def _shift(row: dict, scale: str) -> float:
    """How much more ambitious the city is than its parent on ``scale`` (negative: less)."""
    sign = -1.0 if row.get("more_ambitious") == "lower" else 1.0
    if scale == "pct":
        return sign * 100 * (row["ratio"] or 0.0)
    return sign * row["difference"]


def _pairs_panel(ax: Any, rows: pl.DataFrame, scale: str, labels: list[str], lang: str) -> None:
    """Draw the city-minus-parent dots of ``rows`` with both targets written at the right.

    The notes are wrapped to 64 Latin characters, 44 in Chinese (a Chinese character, counted as
    two by ``style.wrap``, draws wider than two digits), so the panels keep most of the width.
    """
    shifts = [_shift(r, scale) for r in rows.iter_rows(named=True)]
    lo, hi = min(shifts + [0.0]), max(shifts + [0.0])
    span = max(hi - lo, 2.0)
    ax.set_xlim(lo - 0.15 * span, hi + 0.15 * span)
    ax.xaxis.set_major_locator(locator())
    ax.axvline(0, color=style.NEUTRAL, linewidth=0.8, zorder=1)
    ax.set_title(label(f"escalation_{scale}", lang), loc="left")
    ax.set_xlabel(label(f"escalation_{scale}_axis", lang))
    for i, (row, x) in enumerate(zip(rows.iter_rows(named=True), shifts)):
        colour = style.city_colour(row["city"])
        ax.plot([0, x], [i, i], color=colour, linewidth=1.4, alpha=0.5, solid_capstyle="butt", zorder=2)
        marker(ax, x, i, colour, hedged=False, zorder=4)
        text = f"{_both(row, lang)} · {label('relation_' + row['relation'], lang)}"
        if row.get("differences"):
            text += f" ({_differences(row, lang)})" if lang == "en" else f"（{_differences(row, lang)}）"
        ax.annotate(style.wrap(text, 64 if lang == "en" else 44, lang), (1.0, i), xycoords=("axes fraction", "data"), xytext=(6, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=style.SMALL_SIZE - 0.5,
                    annotation_clip=False)
    ax.set_yticks(range(rows.height), labels)
    ax.set_ylim(rows.height - 0.5, -0.6)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", linewidth=0.3, color="#EEEEEE")


def _differences(row: dict, lang: str) -> str:
    """What else differs (population, denominator, target year, commitment), in ``lang``."""
    text = row.get("differences") or ""
    if lang == "en":
        return text
    for en, zh in (("population: ", "统计口径："), ("denominator: ", "分母："), ("target year: ", "目标年："),
                   ("commitment: ", "约束形式："), (" vs ", "与"), ("; ", "；"), ("floor", "以上"), ("point", "点值"),
                   ("ceiling", "以内"), ("none", "无")):
        text = text.replace(en, zh)
    return text


def _not_comparable_text(row: dict, lang: str) -> str:
    head = _both(row, lang)
    reason = _reason(row, lang)
    return f"{head} — {reason}" if lang == "en" else f"{head}——{reason}"


def _reason(row: dict, lang: str) -> str:
    if lang == "en":
        return row.get("differences") or "not comparable"
    if row["kind"] in ("count", "amount") and row["parent_kind"] in ("count", "amount"):
        reason = "城市的数量是上级总量的一部分，不能放在同一尺度上比较"
    elif row["stated_unit"] != row["parent_unit"]:
        reason = f"单位不同：{row['stated_unit']}与{row['parent_unit']}"
    else:
        reason = "没有共同的度量"
    rest = [p for p in _differences(row, lang).split("；") if p and not p.startswith(("a count", "units differ"))]
    rest = [p for p in rest if not p.isascii()]
    return "；".join([reason, *rest])
