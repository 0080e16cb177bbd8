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


NOTE_COLUMNS = ("target_id", "parent", "admin_level", "caveats", "nesting_note", "conflict_note")
"""What the comparison adds to each harmonised target (``comparison_notes``)."""
NOTE_INPUTS = ("target_id", "indicator_key", "city", "same_as", "comparator", "value", "conflicts_with",
               *(column for _, column in CAVEAT_DIMENSIONS))
"""The columns of the harmonised targets the notes are worked out from."""


def comparison_table(harmonised: pl.DataFrame, cities: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Return the comparison rows of every indicator (``COMPARE_COLUMNS``), sorted by indicator and city.

    The catalog builds the same rows from the same parts (``comparison_notes``,
    ``comparison_gaps``) without copying the targets (``catalog.views.comparison_rows``).
    """
    notes = comparison_notes(harmonised, cities).with_columns(pl.col(pl.Categorical).cast(pl.String))
    rows = pl.concat([harmonised, notes.drop("target_id")], how="horizontal")
    return (pl.concat([rows.select(COMPARE_COLUMNS), comparison_gaps(harmonised, cities, indicators)],
                      how="diagonal_relaxed").select(COMPARE_COLUMNS)
            .sort("indicator_key", "city", "doc_id", "target_year", "target_id", nulls_last=True))


def comparison_notes(harmonised: pl.DataFrame, cities: pl.DataFrame) -> pl.DataFrame:
    """Return ``NOTE_COLUMNS`` for every harmonised target, in its order: the city's place, and the notes.

    ``caveats`` and ``nesting_note`` are for canonical rows (a restatement has none);
    ``conflict_note`` for both statements of a conflicting pair. The two notes are categorical:
    a few thousand texts shared by a million rows (DuckDB reads them as text).
    """
    places = cities.select("city", "admin_level",
                           pl.when(pl.col("admin_level") == "county-level city").then(pl.col("parent")).alias("parent")
                           ).unique("city", keep="first", maintain_order=True)  # one row per target, even unchecked
    rows = harmonised.select(NOTE_INPUTS).join(places, on="city", how="left", maintain_order="left")
    canonical = pl.col("same_as").is_null()
    rows = _with_caveats(rows, canonical).pipe(_with_nesting, canonical)
    return rows.with_columns(conflict_note=_conflicts(rows)).select(NOTE_COLUMNS)


def _with_caveats(rows: pl.DataFrame, canonical: pl.Expr) -> pl.DataFrame:
    """Add ``caveats``: per canonical row, what differs from the other canonical targets on its indicator.

    A row's caveats depend only on its indicator and its value on each dimension, so they are
    written once per distinct combination and joined back: the cost grows with the rows, and
    the text is built for a few thousand combinations, not a million rows.
    """
    keys = [f"_v_{column}" for _, column in CAVEAT_DIMENSIONS]
    rows = rows.with_columns(pl.col(column).fill_null("unstated" if column == "price_basis" else "none").alias(key)
                             for (_, column), key in zip(CAVEAT_DIMENSIONS, keys))
    combos = rows.filter(canonical).select("indicator_key", *keys).unique()
    parts = []
    for (label, _), key in zip(CAVEAT_DIMENSIONS, keys):
        others = combos.select("indicator_key", key).unique().group_by("indicator_key").agg(
            pl.col(key).sort().alias(f"_all{key}"))
        combos = combos.join(others, on="indicator_key", how="left")
        every = pl.col(f"_all{key}")
        parts.append(pl.when(every.list.len() > 1).then(pl.format(
            "{}: {} (others: {})", pl.lit(label), pl.col(key), every.list.set_difference(pl.concat_list(key)).list.join(", "))))
    combos = combos.select("indicator_key", *keys, _caveats=pl.concat_str(parts, separator="; ", ignore_nulls=True)
                           .replace("", None).cast(pl.Categorical))  # a few thousand texts shared by a million rows
    rows = rows.join(combos, on=["indicator_key", *keys], how="left", maintain_order="left", nulls_equal=True)
    return rows.with_columns(caveats=pl.when(canonical).then(pl.col("_caveats"))).drop(*keys, "_caveats")


def _with_nesting(rows: pl.DataFrame, canonical: pl.Expr) -> pl.DataFrame:
    """Add ``nesting_note`` to a canonical row of a county whose prefecture also sets the indicator."""
    setters = rows.filter(canonical).select("indicator_key", pl.col("city").alias("parent")).unique()
    pairs = rows.filter(canonical & pl.col("parent").is_not_null()).select("city", "parent").unique().with_columns(
        _note=pl.format("{} is a county-level city inside {}, which also sets this indicator: their populations "
                        "(and counts) overlap", pl.col("city"), pl.col("parent")).cast(pl.Categorical))
    rows = rows.join(setters.with_columns(_sets=pl.lit(True)), on=["indicator_key", "parent"], how="left",
                     maintain_order="left")
    rows = rows.join(pairs, on=["city", "parent"], how="left", maintain_order="left")
    return rows.with_columns(nesting_note=pl.when(canonical & pl.col("_sets").fill_null(False)).then(pl.col("_note"))
                             ).drop("_sets", "_note")


def _conflicts(rows: pl.DataFrame) -> pl.Expr:
    """Both sides of a ``conflicts_with`` link name the other statement and its number."""
    pairs = rows.filter(pl.col("conflicts_with").is_not_null()).select("target_id", "conflicts_with")
    other: dict[str, str] = {}
    for a, b in pairs.iter_rows():
        other[a], other[b] = b, a
    if not other:
        return pl.lit(None, pl.String)
    said = rows.filter(pl.col("target_id").is_in(list(other))).select(
        "target_id", pl.format("{}{} ({})", pl.col("comparator").replace({"=": "", "~": "~"}), pl.col("value"),
                               pl.col("target_id")))
    lookup = dict(said.iter_rows())
    partner = pl.col("target_id").replace_strict(other, default=None)
    return pl.when(partner.is_not_null()).then(pl.format(
        "the plan states this target twice with different numbers: here {}, in {}",
        pl.col("target_id").replace_strict(lookup, default=None), partner.replace_strict(lookup, default=None)))


def comparison_gaps(harmonised: pl.DataFrame, cities: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Return one row per indicator and city whose plans set no target on it, saying so."""
    setters = harmonised.select("indicator_key", "city").unique()
    grid = indicators.select("indicator_key", "name_en").join(
        cities.select("city", pl.col("gb2260_code").alias("city_code"), "admin_level",
                      pl.when(pl.col("admin_level") == "county-level city").then(pl.col("parent")).alias("parent")),
        how="cross")
    return grid.join(setters, on=["indicator_key", "city"], how="anti").select(
        "indicator_key", "city", "parent", "admin_level", "city_code", pl.lit(False).alias("comparable"),
        pl.format("this city's plans set no target on {}", _in_sentence(pl.col("name_en"))).alias("why_not"))


def _in_sentence(name: pl.Expr) -> pl.Expr:
    """``name`` inside a sentence: its first letter lower-cased unless it opens an acronym (R&D, GDP)."""
    opens_acronym = name.str.slice(1, 1).str.contains(r"^[^a-z]")
    return pl.when(opens_acronym).then(name).otherwise(name.str.slice(0, 1).str.to_lowercase() + name.str.slice(1))
