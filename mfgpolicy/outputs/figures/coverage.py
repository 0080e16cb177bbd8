"""Figure 4: which city sets which indicator."""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import polars as pl
from matplotlib.figure import Figure

from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.catalog.views import HEADLINE_KEYS
from mfgpolicy.outputs.figures import style
from mfgpolicy.outputs.figures.marks import (
    Canvas,
    Data,
    city_name,
    city_names_zh,
    finish,
    heatmap,
    resolve,
    source_line,
)
from mfgpolicy.outputs.figures.style import check_lang, house_style, label


def coverage_data(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """:func:`mfgpolicy.coverage` (one column per city) plus ``name_zh`` and the ``doc_ids`` behind each row."""
    from mfgpolicy.comparison import coverage

    wide = coverage(con=con)
    extra = frame_of(con.sql("""
        SELECT i.indicator_key, i.name_zh,
               list(DISTINCT t.doc_id ORDER BY t.doc_id) AS doc_ids
        FROM indicators i JOIN targets t USING (indicator_key)
        WHERE t.same_as IS NULL GROUP BY ALL
    """))
    return wide.join(extra, on="indicator_key", how="left", maintain_order="left")


def fig_coverage(data: Data = None, *, lang: str = "en", ax: Any = None, fig: Any = None) -> Figure:
    """Figure 4: which city sets which indicator.

    Left: the headline indicators and every other indicator set by two or more cities, with the
    number of targets each city sets (restatements not counted); the title says both, since a
    headline indicator may be set by one city only (R&D/GDP: Yuyao). Right: the number of
    distinct indicators each city sets per domain, over every indicator. A note counts the other
    indicators set by one city only. ``data``: a connection or :func:`coverage_data` /
    :func:`mfgpolicy.coverage`. ``ax``: two axes to draw in, or ``fig``: a Figure or SubFigure.
    """
    lang = check_lang(lang)
    con, frame = resolve(data, coverage_data)
    names_zh = city_names_zh(con)
    cities = sorted([c for c in frame.columns if c not in
                     ("indicator_key", "indicator", "domain", "n_cities", "nested", "name_zh", "doc_ids")],
                    key=style.city_sort_key)
    shared = frame.filter((pl.col("n_cities") >= 2) | pl.col("indicator_key").is_in(list(HEADLINE_KEYS)))
    shared = shared.sort(["n_cities", "domain", "indicator_key"], descending=[True, False, False])
    single = frame.filter(~pl.col("indicator_key").is_in(shared["indicator_key"].implode()) & (pl.col("n_cities") == 1))
    domains = (frame.unpivot(index=["indicator_key", "domain"], on=cities, variable_name="city", value_name="n")
               .filter(pl.col("n") > 0)
               .group_by("domain", "city").agg(pl.len().alias("n_ind")))
    domain_order = (domains.group_by("domain").agg(pl.col("n_ind").sum())
                    .sort(["n_ind", "domain"], descending=[True, False])["domain"].to_list())
    city_names = [city_name(c, lang, None, names_zh) for c in cities]
    n_rows = max(shared.height, len(domain_order), 1)
    with house_style():
        canvas = Canvas(style.DOUBLE, 1.25 + 0.155 * n_rows, ax=ax, fig=fig)
        left, right = canvas.panels(2, width_ratios=[1.0, 1.0]) if canvas.ax is None else canvas.panels(2)
        matrix = shared.select(cities).to_numpy().astype(float) if shared.height else np.zeros((0, len(cities)))
        names = [style.wrap(style.indicator_label(r["indicator"], r.get("name_zh"), lang, r["indicator_key"]),
                            46, lang) for r in shared.iter_rows(named=True)]
        heatmap(left, matrix, names, city_names)
        left.set_title(label("coverage_shared", lang), loc="left")
        dmatrix = np.array([[domains.filter((pl.col("domain") == d) & (pl.col("city") == c))["n_ind"].sum()
                             for c in cities] for d in domain_order], dtype=float).reshape(len(domain_order), len(cities))
        heatmap(right, dmatrix, [style.domain_label(d, lang) for d in domain_order], city_names)
        right.set_title(label("coverage_domains", lang), loc="left")
        note = None
        if single.height:
            detail = label("doc_sep", lang).join(
                f"{city_name(c, lang, None, names_zh)} {single.filter(pl.col(c) > 0).height}"
                for c in cities if single.filter(pl.col(c) > 0).height)
            note = label("single_city", lang, n=single.height, detail=detail)
        docs = [d for ids in frame["doc_ids"].to_list() for d in (ids or [])] if "doc_ids" in frame.columns else []
        finish(canvas.target, source_line(con, docs, lang), note=note, canvas=canvas, axes=[left, right])
    return canvas.figure
