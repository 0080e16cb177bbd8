"""The comparison table: every target beside the others on its indicator, with what differs between them.

One row per target (restatements included, flagged by ``same_as``) and one row per city whose
plans set no target on the indicator. ``caveats`` says, for each canonical target, in what it
differs from the other targets it is compared with: population (规上工业 vs 规上制造业),
denominator (营业收入 vs 主营业务收入 vs GDP), horizon (one year vs several), plan vintage (13th vs
14th Five-Year Plan), price basis, form (a rate vs a level). ``parent`` names the enclosing
city of a county-level city (Yuyao in Ningbo) and ``nesting_note`` says when both set the
indicator; ``conflict_note`` shows two statements of one target that give different numbers.
Built once per catalog, vectorised over all indicators at once.
"""

from __future__ import annotations

import polars as pl

CAVEAT_DIMENSIONS = (("population", "scope"), ("denominator", "denominator"), ("horizon", "horizon"),
                     ("plan vintage", "plan_vintage"), ("price basis", "price_basis"), ("form", "form"))
"""(what a reader calls it, the column it is read from), in the order the caveats list them."""

COMPARE_COLUMNS = (
    "indicator_key", "city", "parent", "admin_level", "city_code", "doc_id", "target_id", "tier", "scope", "kind",
    "direction", "comparator", "hedge", "bound", "bound_note", "commitment", "value", "value_high", "bound_low",
    "bound_high", "unit", "base_year", "base_year_stated", "base_value", "base_used", "base_source", "target_year",
    "years", "annualised_pct", "sensitivity_low", "sensitivity_high", "pp_per_year", "pp_sensitivity_low",
    "pp_sensitivity_high", "points_per_year", "per_year_value", "per_year_low", "per_year_high", "plan_total_value",
    "rule", "comparable", "why_not", "caveats", "nesting_note", "conflict_note", "horizon", "form", "denominator",
    "price_basis", "plan_vintage", "binding", "rank_measure", "rank_group", "rank_value", "rank_low", "rank_high",
    "base_unit", "unit_factor", "quote", "quote_en", "char_start", "char_end", "same_as", "conflicts_with", "notes",
)


def comparison_table(harmonised: pl.DataFrame, cities: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Return the comparison rows of every indicator (``COMPARE_COLUMNS``), sorted by indicator and city."""
    places = cities.select("city", "admin_level",
                           pl.when(pl.col("admin_level") == "county-level city").then(pl.col("parent")).alias("parent"))
    rows = harmonised.join(places, on="city", how="left", maintain_order="left")
    canonical = pl.col("same_as").is_null()
    rows = pl.concat([
        rows.filter(canonical).with_columns(caveats=_caveats(), nesting_note=_nesting()),
        rows.filter(~canonical),
    ], how="diagonal_relaxed").with_columns(conflict_note=_conflicts(rows))
    missing = _no_target_rows(harmonised, cities, indicators)
    return (pl.concat([rows.select(COMPARE_COLUMNS), missing], how="diagonal_relaxed").select(COMPARE_COLUMNS)
            .sort("indicator_key", "city", "doc_id", "target_year", "target_id", nulls_last=True))


def _caveats() -> pl.Expr:
    """Per canonical row, what differs from the other targets on its indicator ('; '-joined)."""
    parts = []
    for label, column in CAVEAT_DIMENSIONS:
        values = pl.col(column).fill_null("unstated" if column == "price_basis" else "none")
        others = values.unique().sort().implode().over("indicator_key")
        differs = others.list.len() > 1
        parts.append(pl.when(differs).then(pl.format(
            "{}: {} (others: {})", pl.lit(label), values,
            others.list.set_difference(pl.concat_list(values)).list.join(", "))))
    return pl.concat_str(parts, separator="; ", ignore_nulls=True).replace("", None)


def _nesting() -> pl.Expr:
    """'Yuyao is inside Ningbo, which also sets this indicator' on the county's row and the parent's."""
    setters = pl.col("city").unique().implode().over("indicator_key")
    child = pl.col("parent").is_not_null() & setters.list.contains(pl.col("parent"))
    return (pl.when(child).then(pl.format("{} is a county-level city inside {}, which also sets this indicator: "
                                          "their populations (and counts) overlap", pl.col("city"), pl.col("parent"))))


def _conflicts(rows: pl.DataFrame) -> pl.Expr:
    """Both sides of a ``conflicts_with`` link name the other statement and its number."""
    said = rows.select("target_id", pl.format("{}{} ({})", pl.col("comparator").replace({"=": "", "~": "~"}),
                                              pl.col("value"), pl.col("target_id")).alias("_said"))
    lookup = dict(said.iter_rows())
    pairs = rows.filter(pl.col("conflicts_with").is_not_null()).select("target_id", "conflicts_with")
    other: dict[str, str] = {}
    for a, b in pairs.iter_rows():
        other[a], other[b] = b, a
    if not other:
        return pl.lit(None, pl.String)
    partner = pl.col("target_id").replace_strict(other, default=None)
    return pl.when(partner.is_not_null()).then(pl.format(
        "the plan states this target twice with different numbers: here {}, in {}",
        pl.col("target_id").replace_strict(lookup, default=None), partner.replace_strict(lookup, default=None)))


def _no_target_rows(harmonised: pl.DataFrame, cities: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    setters = harmonised.select("indicator_key", "city").unique()
    grid = indicators.select("indicator_key", "name_en").join(
        cities.select("city", pl.col("gb2260_code").alias("city_code"), "admin_level",
                      pl.when(pl.col("admin_level") == "county-level city").then(pl.col("parent")).alias("parent")),
        how="cross")
    return grid.join(setters, on=["indicator_key", "city"], how="anti").select(
        "indicator_key", "city", "parent", "admin_level", "city_code", pl.lit(False).alias("comparable"),
        pl.format("this city's plans set no target on {}", pl.col("name_en").str.to_lowercase()).alias("why_not"))
