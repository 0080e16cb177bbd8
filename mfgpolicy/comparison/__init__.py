"""Cross-city comparisons over the harmonised targets: ``compare``, ``coverage``, ``rank``; and beyond the
plans' own words, ``achievement`` (targets against observed outcomes) and ``escalation`` (city targets
against the parent plans they implement).

Each reads the catalog (``mfgpolicy.connect()`` by default): the ``comparison`` table (every
target beside the others on its indicator, with ``caveats``, sensitivity ranges, nesting and
conflicts; ``mfgpolicy.comparison.table``) and the ``ranking`` table (``ranking``), both built
once for all indicators when the catalog is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.comparison.ranking import RANK_BY, RankBy, ranking_table
from mfgpolicy.errors import UnknownIndicatorError, check_choice

__all__ = ["achievement", "compare", "coverage", "escalation", "rank"]


def _con(con: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
    if con is not None:
        return con
    from mfgpolicy.catalog import connect

    return connect()


def _keys(con: duckdb.DuckDBPyConnection, indicator_key: object) -> list[str]:
    """Return the indicator key, or keys, asked for; ``UnknownIndicatorError`` for one that is not curated."""
    keys = list(indicator_key) if isinstance(indicator_key, (list, tuple)) else [indicator_key]
    known = [r[0] for r in con.execute("SELECT indicator_key FROM indicators ORDER BY indicator_key").fetchall()]
    for key in keys or [None]:
        if not isinstance(key, str) or key not in known:
            raise UnknownIndicatorError(key, known)
    return keys


def _check_indicator(con: duckdb.DuckDBPyConnection, indicator_key: object) -> None:
    if not isinstance(indicator_key, str):
        raise UnknownIndicatorError(indicator_key, [])
    _keys(con, indicator_key)


def compare(indicator_key: str | Sequence[str], *, con: duckdb.DuckDBPyConnection | None = None,
            include_restatements: bool = False) -> pl.DataFrame:
    """Return one row per city and document target on ``indicator_key``, harmonised, sourced and caveated.

    Cities whose plans set no target on the indicator get one row saying so (``comparable``
    false, ``why_not`` explaining). ``caveats`` says what differs among the compared rows
    (population, denominator, horizon, plan vintage, price basis, form); ``sensitivity_low`` and
    ``sensitivity_high`` give the range ``annualised_pct`` takes across the documented
    conventions; ``parent``/``nesting_note`` show a county inside its prefecture;
    ``conflict_note`` two statements of one target with different numbers. Restatements
    (``same_as`` set) are left out unless asked. A list of keys compares each, in one query.

    Examples
    --------
    >>> df = compare("energy_intensity")
    >>> df.filter(pl.col("city") == "Yuyao").select("value", "base_year", "target_year").row(0)
    (18.0, 2015, 2020)
    """
    con = _con(con)
    keys = _keys(con, indicator_key)
    where = "" if include_restatements else "AND same_as IS NULL"
    return frame_of(con.sql(f"""SELECT * FROM comparison WHERE list_contains(?, indicator_key) {where}
                                ORDER BY indicator_key, city, doc_id NULLS LAST, target_year, target_id""",
                            params=[keys]))


def coverage(*, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Return which city sets which indicator: one row per indicator, one column per city (counts).

    ``nested`` names a county-level city and its prefecture when both set the indicator (their
    counts overlap: Yuyao's firms are among Ningbo's).

    Examples
    --------
    >>> cov = coverage()
    >>> cov.filter(pl.col("indicator_key") == "energy_intensity")["Yuyao"].item() >= 1
    True
    """
    con = _con(con)
    long = frame_of(con.sql("SELECT indicator_key, indicator, domain, city, n_targets FROM coverage"))
    cities = frame_of(con.sql("SELECT city, parent, admin_level FROM cities ORDER BY city"))
    names = cities["city"].to_list()
    wide = long.pivot(on="city", index=["indicator_key", "indicator", "domain"], values="n_targets")
    wide = wide.with_columns(pl.lit(0, dtype=pl.Int64).alias(c) for c in names if c not in wide.columns)
    wide = wide.with_columns(pl.col(names).fill_null(0))
    counties = cities.filter(pl.col("admin_level") == "county-level city").select("city", "parent").rows()
    nested = [pl.when((pl.col(child) > 0) & (pl.col(parent) > 0)).then(pl.lit(f"{child} inside {parent}"))
              for child, parent in counties if parent in names]
    return wide.with_columns(
        n_cities=pl.sum_horizontal(pl.col(c) > 0 for c in names),
        nested=pl.concat_str(nested, separator="; ", ignore_nulls=True).replace("", None) if nested
        else pl.lit(None, pl.String),
    ).select("indicator_key", "indicator", "domain", *names, "n_cities", "nested").sort(
        ["n_cities", "indicator_key"], descending=[True, False])


def rank(indicator_key: str | Sequence[str], *, by: RankBy = "auto",
         con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Order cities by ambition on ``indicator_key``, only among rows that compare (see ``ranking``).

    Parameters
    ----------
    indicator_key
        One key, or a list of keys (ranked each on its own, returned in one frame by one query).
    by
        ``"auto"`` (default): every measure of ambition, each in its own ``rank_group`` — % a
        year, pp a year (shares), points a year (indices), new things a year (per base unit).
        ``"value"``: also levels and stocks without a baseline, by their value. Or one measure:
        ``"annualised_pct"``, ``"pp_per_year"``, ``"points_per_year"``, ``"per_year_value"``.

    The more ambitious end follows ``indicators.more_ambitious`` (lower for energy intensity: a
    steeper fall ranks first). Ties share a rank. ``robust`` says whether the order survives the
    conventions and the commitment's bounds; ``rank_note`` says why a row is not ranked, is
    tied, could swap with a neighbour, is a floor, or is nested in its prefecture.

    Examples
    --------
    >>> rank("energy_intensity").select("city", "rank").rows()
    [('Ningbo', 1), ('Yuyao', 2), ('Jinhua', 3), ('Wenzhou', None)]
    """
    check_choice("by", by, RANK_BY)
    con = _con(con)
    keys = _keys(con, indicator_key)
    if by == "auto":
        return frame_of(con.sql("""SELECT * FROM ranking WHERE list_contains(?, indicator_key)
                                   ORDER BY indicator_key, rank_group NULLS LAST, rank NULLS LAST, city""",
                                params=[keys]))
    rows = compare(keys, con=con)
    indicators = frame_of(con.sql("SELECT indicator_key, more_ambitious FROM indicators"))
    return ranking_table(rows, indicators, by=by)


def achievement(*, con: duckdb.DuckDBPyConnection | None = None, indicator_key: str | None = None,
                status: str | None = None) -> pl.DataFrame:
    """Return every target that has an outcome observed in its target year, scored ``met``, ``missed`` or
    ``not_comparable`` (with the difference stated); see ``mfgpolicy.comparison.outcomes``.

    Parameters
    ----------
    indicator_key, status
        Keep only one indicator, or one status (``met``, ``missed``, ``not_comparable``).

    Examples
    --------
    >>> set(achievement()["status"]) <= {"met", "missed", "not_comparable"}
    True
    """
    con = _con(con)
    if indicator_key is not None:
        _check_indicator(con, indicator_key)
    if status is not None:
        check_choice("status", status, ("met", "missed", "not_comparable"))
    return frame_of(con.sql("""SELECT * FROM achievement WHERE (? IS NULL OR indicator_key = ?) AND (? IS NULL OR status = ?)
                      ORDER BY doc_id, target_id, observation_id""",
                   params=[indicator_key, indicator_key, status, status]))


def escalation(*, con: duckdb.DuckDBPyConnection | None = None, city: str | None = None,
               indicator_key: str | None = None) -> pl.DataFrame:
    """Return each city target beside the target of the parent plan it implements, on the same indicator:
    ``same``, ``tighter``, ``looser`` or ``not_comparable``, with the difference on the shared measure and
    what else differs; see ``mfgpolicy.comparison.parents``.

    Examples
    --------
    >>> jinhua = escalation(city="Jinhua", indicator_key="labour_productivity").row(0, named=True)
    >>> jinhua["city_value"], jinhua["parent_value"], jinhua["relation"]
    (22.0, 33.0, 'looser')
    """
    con = _con(con)
    if indicator_key is not None:
        _check_indicator(con, indicator_key)
    return frame_of(con.sql("""SELECT * FROM escalation WHERE (? IS NULL OR city = ?) AND (? IS NULL OR indicator_key = ?)
                      ORDER BY doc_id, indicator_key, target_id, cited_target_id""",
                   params=[city, city, indicator_key, indicator_key]))
