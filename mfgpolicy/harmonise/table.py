"""The harmonisation rules applied to a whole table of targets (vectorised with polars).

``harmonise()`` adds the harmonised measures to the targets; ``target_paths()`` gives the
implied year-by-year paths. The rules are documented in ``mfgpolicy.harmonise``; the scalar
twins in ``mfgpolicy.harmonise.rates`` are what the tests compare with.
"""

from __future__ import annotations

import polars as pl

from mfgpolicy.harmonise.rates import FIRST_FYP, FIRST_FYP_START
from mfgpolicy.vocab import ABOUT_BAND, BOUND_OF_COMPARATOR, COMMITMENT_OF_HEDGE


def _five_year_plan_expr(year: pl.Expr) -> pl.Expr:
    """Vectorised ``five_year_plan`` (the test suite checks the two agree)."""
    number = FIRST_FYP + (year - FIRST_FYP_START) // 5
    start = FIRST_FYP_START + 5 * (number - FIRST_FYP)
    return pl.format("{}th FYP ({}-{})", number, start, start + 4)


def _bounds() -> tuple[pl.Expr, pl.Expr]:
    comparator, value = pl.col("comparator"), pl.col("value")
    low = (pl.when(comparator.is_in(["=", ">=", "range"])).then(value)
           .when(comparator == "~").then(value * (1 - ABOUT_BAND)))
    high = (pl.when(comparator.is_in(["=", "<="])).then(value)
            .when(comparator == "~").then(value * (1 + ABOUT_BAND))
            .when(comparator == "range").then(pl.col("value_high")))
    return low.alias("bound_low"), high.alias("bound_high")


def _signed(column: str = "value") -> pl.Expr:
    return pl.when(pl.col("direction") == "decrease").then(-pl.col(column)).otherwise(pl.col(column))


def harmonise(targets: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Return ``targets`` with the harmonised measures added (one row per target, same order).

    Added columns: ``signed_value``, ``years``, ``plan_years``, ``annualised_pct``,
    ``pp_per_year``, ``per_year_value``, ``plan_total_value``, ``rule``, ``comparable``,
    ``why_not``, ``bound``, ``commitment``, ``plan_vintage``, ``bound_low``, ``bound_high``.
    See the module docstring for every rule.
    """
    plan = documents.select("doc_id", (pl.col("period_end") - pl.col("period_start") + 1).alias("plan_years"))
    frame = targets.join(plan, on="doc_id", how="left", maintain_order="left").with_columns(
        signed_value=_signed(),
        years=(pl.col("target_year") - pl.col("base_year")).cast(pl.Int32),
    )
    kind, unit, years = pl.col("kind"), pl.col("unit"), pl.col("years")
    has_years = years.is_not_null() & (years > 0)
    has_base = pl.col("base_value").is_not_null() & (pl.col("base_value") > 0) & (pl.col("value") > 0)
    is_new_stuff = kind.is_in(["count", "amount"]) & (pl.col("direction") == "increase")
    rule = (
        pl.when(kind == "annual_growth").then(
            pl.when(years == 1).then(pl.lit("one_year_rate")).otherwise(pl.lit("stated_annual_rate")))
        .when((kind == "change_over_period") & has_years & (unit == "%")).then(pl.lit("compound_from_cumulative"))
        .when((kind == "change_over_period") & has_years & (unit == "pp")).then(pl.lit("pp_from_cumulative"))
        .when(kind.is_in(["level", "count", "amount"]) & (pl.col("direction") == "reach") & has_base & has_years)
        .then(pl.lit("implied_from_baseline"))
        .when(is_new_stuff & pl.col("per_year")).then(pl.lit("count_times_years"))
        .when(is_new_stuff & has_years).then(pl.lit("count_per_year"))
    )
    frame = frame.with_columns(rule=rule)
    r = pl.col("rule")
    cumulative = ((1 + pl.col("signed_value") / 100).pow(1 / years) - 1) * 100
    implied = ((pl.col("value") / pl.col("base_value")).pow(1 / years) - 1) * 100
    frame = frame.with_columns(
        annualised_pct=pl.when(r.is_in(["stated_annual_rate", "one_year_rate"])).then(pl.col("signed_value"))
        .when(r == "compound_from_cumulative").then(cumulative)
        .when(r == "implied_from_baseline").then(implied),
        pp_per_year=pl.when(r == "pp_from_cumulative").then(pl.col("signed_value") / years)
        .when((r == "implied_from_baseline") & (unit == "%")).then((pl.col("value") - pl.col("base_value")) / years),
        per_year_value=pl.when(r == "count_per_year").then(pl.col("value") / years)
        .when(r == "count_times_years").then(pl.col("value")),
        plan_total_value=pl.when(r == "count_per_year").then(pl.col("value"))
        .when(r == "count_times_years").then(pl.col("value") * pl.coalesce(years, pl.col("plan_years"))),
        comparable=r.is_not_null(),
        why_not=pl.when(r.is_not_null()).then(None).otherwise(_why_not(has_years)),
        bound=pl.col("comparator").replace_strict(BOUND_OF_COMPARATOR, default=None),
        commitment=pl.col("hedge").cast(pl.String).replace_strict(COMMITMENT_OF_HEDGE, default="stated"),
        plan_vintage=_five_year_plan_expr(pl.col("target_year")),
    ).with_columns(*_bounds())
    _check_outputs(frame)
    return frame


def _why_not(has_years: pl.Expr) -> pl.Expr:
    kind = pl.col("kind")
    no_base_value = "a level with no stated baseline value: the plan says where to get to, not where from"
    return (
        pl.when(kind.is_in(["level", "count", "amount"]) & (pl.col("direction") == "reach")
                & pl.col("base_value").is_not_null() & (pl.col("base_value") <= 0))
        .then(pl.lit("a zero or negative baseline has no growth rate"))
        .when(kind == "level").then(pl.lit(no_base_value))
        .when(kind.is_in(["count", "amount"]) & (pl.col("direction") == "reach"))
        .then(pl.lit("a stock to be reached with no stated starting stock"))
        .when(~has_years).then(pl.lit("no base year or target year to measure the change over"))
        .otherwise(pl.lit("no rule applies to this kind and unit"))
    )


def _check_outputs(frame: pl.DataFrame) -> None:
    """Sanity checks beside the step (OWID-style): plausible rates, and every non-comparable row explained.

    Raises ``ValidationError`` naming each target, as validation does: data that passes the
    checks of the curated tables can still imply an impossible rate (a typo of 800 for 8).
    """
    from mfgpolicy.checks.problems import Problem
    from mfgpolicy.errors import ValidationError

    implausible = frame.filter((pl.col("annualised_pct").abs() > 200) | (pl.col("pp_per_year").abs() > 50))
    problems = [
        Problem("targets.csv", row["target_id"], "value", f"{row['value']:g}",
                f"implies an implausible rate ({row['annualised_pct'] or 0:.1f}% or {row['pp_per_year'] or 0:.1f} pp "
                f"a year by rule {row['rule']}); check the value, unit and years")
        for row in implausible.iter_rows(named=True)
    ]
    unexplained = frame.filter(~pl.col("comparable") & pl.col("why_not").is_null())
    problems += [Problem("targets.csv", t, "", "", "no harmonised measure and no reason why (a bug in the rules)")
                 for t in unexplained["target_id"]]
    if problems:
        raise ValidationError(problems)


def target_paths(harmonised: pl.DataFrame) -> pl.DataFrame:
    """Return the implied year-by-year paths of the targets that have one.

    Columns: ``target_id``, ``year``, ``value`` (in the target's unit, when a baseline value is
    stated) and ``index`` (base year = 100). Changes over a period and stated annual rates give
    an index path; levels with a baseline give a value path too (linear in points for shares,
    compound otherwise). Vectorised; ``implied_path`` is the scalar twin the tests compare with.
    """
    step = pl.col("year") - pl.col("base_year")
    share = step / pl.col("years")
    last = pl.col("year") == pl.col("target_year")
    compound = pl.col("base_value") * (pl.col("value") / pl.col("base_value")).pow(share)
    linear = pl.col("base_value") + (pl.col("value") - pl.col("base_value")) * share
    with_value = pl.col("rule") == "implied_from_baseline"
    return (
        harmonised.filter(pl.col("comparable") & (pl.col("years") > 0) & pl.col("annualised_pct").is_not_null())
        .select("target_id", "base_year", "target_year", "years", "annualised_pct", "rule", "unit", "value",
                "base_value", pl.int_ranges("base_year", pl.col("target_year") + 1).alias("year"))
        .explode("year")
        .select(
            "target_id",
            pl.col("year").cast(pl.Int32),
            pl.when(with_value & last).then(pl.col("value"))
            .when(with_value & (pl.col("unit") == "%")).then(linear)
            .when(with_value).then(compound).alias("value").cast(pl.Float64),
            (100 * (1 + pl.col("annualised_pct") / 100).pow(step)).alias("index").cast(pl.Float64),
        )
    )
