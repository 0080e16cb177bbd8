"""Cross-city comparisons over the harmonised targets: compare, coverage, rank."""

from __future__ import annotations

from typing import Literal

import duckdb
import polars as pl

from mfgpolicy.errors import UnknownIndicatorError, check_choice

RankBy = Literal["auto", "annualised_pct", "pp_per_year", "value"]
_RANK_BY: tuple[RankBy, ...] = ("auto", "annualised_pct", "pp_per_year", "value")

def _con(con: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
    if con is not None:
        return con
    from mfgpolicy.catalog import connect

    return connect()


def _check_indicator(con: duckdb.DuckDBPyConnection, indicator_key: str) -> str:
    known = [r[0] for r in con.execute("SELECT indicator_key FROM indicators").fetchall()]
    if indicator_key not in known:
        raise UnknownIndicatorError(indicator_key, known)
    return con.sql("SELECT more_ambitious FROM indicators WHERE indicator_key = ?", params=[indicator_key]).fetchall()[0][0]


def compare(indicator_key: str, *, con: duckdb.DuckDBPyConnection | None = None,
            include_restatements: bool = False) -> pl.DataFrame:
    """Return one row per city and document target on ``indicator_key``, harmonised and sourced.

    Cities whose plans set no target on the indicator get one row saying so (``comparable``
    false, ``why_not`` explaining). ``scope_note`` flags rows whose population differs from the
    rest (规上工业 vs 规上制造业). Restatements (rows with ``same_as``) are left out unless asked.

    Examples
    --------
    >>> df = compare("energy_intensity")
    >>> df.filter(pl.col("city") == "Yuyao").select("value", "base_year", "target_year").row(0)
    (18.0, 2015, 2020)
    """
    con = _con(con)
    _check_indicator(con, indicator_key)
    where = "" if include_restatements else "AND same_as IS NULL"
    return con.sql(f"""SELECT * FROM comparison WHERE indicator_key = ? {where}
                       ORDER BY city, doc_id NULLS LAST, target_year, target_id""", params=[indicator_key]).pl()


def coverage(*, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Return which city sets which indicator: one row per indicator, one column per city (counts).

    Examples
    --------
    >>> cov = coverage()
    >>> cov.filter(pl.col("indicator_key") == "energy_intensity")["Yuyao"].item() >= 1
    True
    """
    con = _con(con)
    long = con.sql("SELECT indicator_key, indicator, domain, city, n_targets FROM coverage").pl()
    cities = [r[0] for r in con.execute("SELECT city FROM cities ORDER BY city").fetchall()]
    wide = long.pivot(on="city", index=["indicator_key", "indicator", "domain"], values="n_targets")
    wide = wide.with_columns(pl.lit(0, dtype=pl.Int64).alias(c) for c in cities if c not in wide.columns)
    wide = wide.with_columns(pl.col(cities).fill_null(0))
    return wide.with_columns(n_cities=pl.sum_horizontal(pl.col(c) > 0 for c in cities)).select(
        "indicator_key", "indicator", "domain", *cities, "n_cities").sort(["n_cities", "indicator_key"],
                                                                          descending=[True, False])


def rank(indicator_key: str, *, by: RankBy = "auto", con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Order cities by ambition on ``indicator_key``; ties share a rank; the rest are explained.

    Parameters
    ----------
    by
        The measure to rank on: "annualised_pct", "pp_per_year", "value" (the target level, for
        levels in the same unit), or "auto": annualised_pct if at least two rows have it, else
        the target level of the most common unit.

    The more ambitious end follows ``indicators.more_ambitious`` (lower for energy intensity:
    a steeper fall ranks first). Rows that cannot be ranked keep ``rank`` null and say why in
    ``rank_note``; rows whose comparator is ``>=`` are floors, so their rank is a lower bound on
    ambition, noted too.
    """
    check_choice("by", by, _RANK_BY)
    con = _con(con)
    higher = _check_indicator(con, indicator_key) == "higher"
    rows = compare(indicator_key, con=con)
    measure, unit = _rank_measure(rows, by)
    usable = pl.col(measure).is_not_null() & ((pl.col("unit") == unit) if unit else pl.lit(True))
    key = pl.col(measure) if higher else -pl.col(measure)
    ranked = rows.with_columns(
        rank=pl.when(usable).then(key.rank(method="min", descending=True).over(usable)).cast(pl.Int32),
        ranked_by=pl.lit(measure))
    ranked = ranked.with_columns(rank_note=_rank_note(measure, unit))
    return ranked.sort("rank", "city", nulls_last=True)


def _rank_measure(rows: pl.DataFrame, by: RankBy) -> tuple[str, str | None]:
    if by in ("annualised_pct", "pp_per_year"):
        return by, None
    if by == "auto" and rows["annualised_pct"].drop_nulls().len() >= 2:
        return "annualised_pct", None
    levels = rows.filter(pl.col("kind") == "level")
    units = levels["unit"].drop_nulls().value_counts(sort=True)
    return "value", (units["unit"][0] if units.height else None)


def _rank_note(measure: str, unit: str | None) -> pl.Expr:
    tied = pl.col("rank").is_not_null() & (pl.col("rank").count().over("rank") > 1)
    other_unit = (pl.col("unit") != unit) if unit is not None else pl.lit(False)
    return (
        pl.when(pl.col("rank").is_null() & pl.col("why_not").is_not_null()).then(pl.col("why_not"))
        .when(pl.col("rank").is_null() & other_unit)
        .then(pl.format("not ranked: unit {} differs from {}", pl.col("unit"), pl.lit(unit or "")))
        .when(pl.col("rank").is_null()).then(pl.lit(f"not ranked: no {measure}"))
        .when(tied).then(pl.lit("tied with another row on " + measure))
        .when(pl.col("comparator") == ">=").then(pl.lit("a floor: the plan commits to at least this"))
    )
