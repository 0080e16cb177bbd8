"""Ranking cities by ambition, only ever among things that compare.

Rows enter one ranking only when they share a ``rank_group`` (``mfgpolicy.harmonise``): the same
measure — percent a year for growth and intensity cuts, percentage points a year for shares,
index points a year for indices, new things a year (in one base unit: 万台 and 台 are converted)
for flows — so a yearly flow never ranks against a stock, nor 台 against 家. Levels and stocks
without a baseline say where a plan wants to get to, not how far it goes: they rank only when
asked (``by="value"``), in their own groups.

``robust`` says whether a row's place survives the documented conventions (compound or linear,
the stated span or the plan's own length) and the commitment's bounds (a 左右 band of ±5%, a
range): the row's interval ``[rank_low, rank_high]`` must not overlap those of the rows at the
next place up or down (all of them, when they are tied), so the answer never depends on the
order of ties. A county
whose prefecture sets the same count is not ranked against it (Yuyao's firms are among Ningbo's);
for rates the two are ranked, and the nesting is noted.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

RankBy = Literal["auto", "annualised_pct", "pp_per_year", "points_per_year", "per_year_value", "value"]
RANK_BY: tuple[RankBy, ...] = ("auto", "annualised_pct", "pp_per_year", "points_per_year", "per_year_value", "value")
MEASURE_OF = {"annualised_pct": "% a year", "pp_per_year": "pp a year", "points_per_year": "points a year",
              "per_year_value": "new a year"}
COUNT_FORMS = ("flow", "stock")
RANK_COLUMNS = ("rank", "robust", "ranked_by", "rank_note")


RANK_INPUTS = ("indicator_key", "city", "target_id", "parent", "form", "rank_measure", "rank_group", "rank_value", "rank_low", "rank_high",
               "why_not", "bound", "nesting_note")
"""The columns of the comparison rows a ranking reads."""


def ranking_table(comparison: pl.DataFrame, indicators: pl.DataFrame, *, by: RankBy = "auto") -> pl.DataFrame:
    """Return the canonical comparison rows of every indicator with ``rank``, ``ranked_by``, ``robust``, ``rank_note``.

    Ranks are within ``indicator_key`` × ``rank_group``; ties share a rank; rows that are not
    ranked keep ``rank`` null and say why in ``rank_note``.
    """
    rows = comparison.with_columns(more_ambitious=_more_ambitious(indicators))
    placed = ranks(rows, indicators, by=by).with_columns(pl.col("rank_note").cast(pl.String))
    out = pl.concat([rows, placed], how="horizontal").filter(pl.col("same_as").is_null())
    return out.sort("indicator_key", "rank_group", "rank", "city", nulls_last=True, maintain_order=True)


def _more_ambitious(indicators: pl.DataFrame) -> pl.Expr:
    """Each row's indicator's ``more_ambitious`` (higher or lower)."""
    return pl.col("indicator_key").replace_strict(indicators["indicator_key"], indicators["more_ambitious"],
                                                  default=None, return_dtype=pl.String)


def ranks(rows: pl.DataFrame, indicators: pl.DataFrame, *, by: RankBy = "auto") -> pl.DataFrame:
    """Return ``RANK_COLUMNS`` for each of the comparison ``rows``, in their order.

    Only canonical rows are ranked; a restatement (``same_as`` set) gets nulls. ``rank_note`` is
    categorical (its texts repeat across a million rows; DuckDB reads it as text).
    """
    every = rows.select(*RANK_INPUTS, "same_as").with_row_index("_row")
    rows = every.filter(pl.col("same_as").is_null()).with_columns(more_ambitious=_more_ambitious(indicators))
    group = ["indicator_key", "rank_group"]
    measure = pl.col("rank_measure")
    if by == "auto":
        wanted = measure.is_not_null() & (measure != "level")
    elif by == "value":
        wanted = measure.is_not_null()
    else:
        wanted = measure == MEASURE_OF[by]
    counties = rows.filter(pl.col("parent").is_not_null() & pl.col("form").is_in(COUNT_FORMS)).select(
        "_row", *group, "parent")
    setters = rows.select(*group, pl.col("city").alias("parent")).join(  # the few pairs the counties need
        counties.select(*group, "parent").unique(), on=[*group, "parent"], how="semi", nulls_equal=True).unique()
    nested = counties.join(setters, on=[*group, "parent"], how="semi", nulls_equal=True)["_row"]
    nested_count = pl.col("_row").is_in(nested.implode())
    sign = pl.when(pl.col("more_ambitious") == "lower").then(-1.0).otherwise(1.0)
    rows = rows.with_columns(
        _wanted=(wanted & pl.col("rank_value").is_not_null()).fill_null(False),
        _nested=nested_count.fill_null(False),
        _key=pl.col("rank_value") * sign,
        _amb_low=pl.min_horizontal(pl.col("rank_low") * sign, pl.col("rank_high") * sign),
        _amb_high=pl.max_horizontal(pl.col("rank_low") * sign, pl.col("rank_high") * sign),
    )
    rankable = pl.col("_wanted") & ~pl.col("_nested")
    ranked = rows.filter(rankable)
    steps = (ranked.group_by([*group, "_key"])
             .agg(_n=pl.len(), _step_low=pl.col("_amb_low").min(), _step_high=pl.col("_amb_high").max(),
                  _cities=pl.col("city").first())
             .pipe(_tied_cities, ranked, [*group, "_key"])
             .sort([*group, "_key"], descending=[False, False, True], nulls_last=True)
             .with_columns(rank=(pl.col("_n").cum_sum().over(group) - pl.col("_n") + 1).cast(pl.Int32),
                           _above_low=pl.col("_step_low").shift(1).over(group),
                           _above_id=pl.col("_cities").shift(1).over(group),
                           _below_high=pl.col("_step_high").shift(-1).over(group),
                           _below_id=pl.col("_cities").shift(-1).over(group),
                           _tied=pl.col("_n") > 1))
    ranked = ranked.join(steps, on=[*group, "_key"], how="left", nulls_equal=True, maintain_order="left").with_columns(
        robust=~pl.col("_tied") & ~(pl.col("_amb_high") >= pl.col("_above_low")).fill_null(False)
        & ~(pl.col("_below_high") >= pl.col("_amb_low")).fill_null(False),
    )
    rest = rows.filter(~rankable).with_columns(rank=pl.lit(None, pl.Int32), robust=pl.lit(None, pl.Boolean))
    out = pl.concat([ranked, rest], how="diagonal_relaxed").with_columns(
        ranked_by=pl.when(pl.col("rank").is_not_null()).then(pl.col("rank_group")),
        rank_note=_note(by).cast(pl.Categorical))
    placed = out.select("_row", *RANK_COLUMNS)
    return every.select("_row").join(placed, on="_row", how="left", maintain_order="left").drop("_row")


def _tied_cities(steps: pl.DataFrame, ranked: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """Name every city at a place that several rows share (sorted, comma-separated); one row names its own."""
    tied = steps.filter(pl.col("_n") > 1).select(on)
    if tied.is_empty():
        return steps
    names = ranked.join(tied, on=on, how="semi", nulls_equal=True).group_by(on).agg(
        _all=pl.col("city").unique().sort().str.join(", "))
    return steps.join(names, on=on, how="left", nulls_equal=True).with_columns(
        _cities=pl.coalesce("_all", "_cities")).drop("_all")


def _note(by: RankBy) -> pl.Expr:
    swaps = pl.concat_str(
        [pl.when((pl.col("_amb_high") >= pl.col("_above_low")).fill_null(False)).then(pl.col("_above_id")),
         pl.when((pl.col("_below_high") >= pl.col("_amb_low")).fill_null(False)).then(pl.col("_below_id"))],
        separator=" and ", ignore_nulls=True)
    level_only = pl.format("a {} says where to get to, not how far: ranked only with by='value'", pl.col("form"))
    return (
        pl.when(pl.col("rank_value").is_null() & pl.col("why_not").is_not_null()).then(pl.col("why_not"))
        .when(pl.col("rank_value").is_null()).then(pl.lit("not ranked: no measure"))
        .when(pl.col("_nested")).then(pl.format(
            "not ranked against {}: {} is inside it and their counts overlap", pl.col("parent"), pl.col("city")))
        .when(~pl.col("_wanted") & (pl.col("rank_measure") == "level")).then(level_only)
        .when(~pl.col("_wanted")).then(pl.format("not ranked: measured in {}, not {}", pl.col("rank_group"),
                                                 pl.lit(MEASURE_OF.get(by, by))))
        .when(pl.col("_tied")).then(pl.format("tied on {}", pl.col("rank_group")))
        .when(~pl.col("robust")).then(pl.format(
            "order not robust: across conventions and the commitment's bounds it could swap with {}", swaps))
        .when(pl.col("bound") == "floor").then(pl.lit("robust; a floor: the plan commits to at least this"))
        .when(pl.col("nesting_note").is_not_null()).then(pl.format("robust; {}", pl.col("nesting_note")))
        .otherwise(pl.lit("robust"))
    )
