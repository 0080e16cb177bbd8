"""Harmonisation: turning targets as written into comparable yearly measures.

Pure functions, no I/O. Every derived number names the ``rule`` that produced it; where no
measure can be derived, ``comparable`` is false and ``why_not`` says why in plain language.
This docstring is the one place the rules are documented (the figures and the Excel summary
cite it).

Sign convention
---------------
``value`` in the curated tables is always non-negative; ``direction`` carries the sign. In the
harmonised measures a fall is negative: "下降18%" over 2015→2020 gives ``annualised_pct`` −3.89.

Span
----
``years = target_year − base_year``. Base years a plan implies but does not state (the year
before the plan period) are used and flagged by ``base_year_stated = false`` in ``targets``.
``plan_years = period_end − period_start + 1`` of the document.

Rules (the ``rule`` column)
---------------------------
``stated_annual_rate``
    ``annual_growth``: the stated yearly rate, signed (年均增长8% → +8). ``pp_per_year`` empty.
``one_year_rate``
    ``annual_growth`` over a single year (Wenzhou's 2018 work points, Ningbo's 2022 figures):
    that year's rate, signed.
``compound_from_cumulative``
    ``change_over_period`` in percent: the compound annual rate
    ``((1 + c/100) ** (1/years) − 1) × 100`` with ``c`` the signed cumulative change
    (−18% over 5 years → −3.89% a year).
``pp_from_cumulative``
    ``change_over_period`` in percentage points: ``pp_per_year = c / years``.
``implied_from_baseline``
    ``level`` with a stated baseline value: the implied compound rate
    ``((target / base) ** (1/years) − 1) × 100`` and, for shares and rates (unit %), the change in
    percentage points per year ``(target − base) / years`` (1.5% → 1.75% over 2015→2019:
    +3.93% a year, +0.0625 pp a year).
``count_per_year``
    ``count``/``amount`` of new things over several years: ``per_year_value = value / years``
    (三年…100项 → 33.3 a year); ``plan_total_value = value``.
``count_times_years``
    ``count``/``amount`` stated per year (每年…10项): ``plan_total_value = value × years``
    (the plan's length, when the plan states no base year); ``per_year_value = value``.

Not comparable (``why_not``)
----------------------------
* a level or stock with no stated baseline value (a plan gives where to get to, not where from);
* a change or count with no base year or target year;
* a zero or negative baseline (no growth rate exists).
Scopes that differ (规上工业 vs 规上制造业) do not block a measure; ``mfgpolicy.compare`` flags
them in ``scope_note`` because they are different populations.

Bounds: the interval a target commits to (``bound_low``, ``bound_high``)
-----------------------------------------------------------------------
Hedges and comparators are carried, never dropped. On the scale of ``value`` as written:

* ``=`` a point: ``[value, value]``;
* ``>=`` (以上, 突破, 不低于) a floor: ``[value, open)`` — ``bound_high`` is empty;
* ``<=`` (以内, 不超过) a ceiling: ``(open, value]`` — ``bound_low`` is empty;
* ``~`` (左右) about: a band of ±``ABOUT_BAND`` (5%) of the value, ``[0.95 v, 1.05 v]``;
* ``range`` (3-5家): ``[value, value_high]``.

``bound`` names the shape (point, floor, ceiling, about, range). The hedge sets ``commitment``:
``firm`` for 确保 (ensure), ``aspirational`` for 力争/争取/努力 (strive, seek), ``stated`` otherwise;
hedges do not move the bounds. A ``>=`` target's annualised rate is likewise a floor.

Plan vintage
------------
``plan_vintage`` names the national Five-Year-Plan period that contains the target year
(13th FYP 2016–2020, 14th FYP 2021–2025, …).
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from mfgpolicy.errors import check_choice

PathRule = Literal["compound", "linear"]
_PATH_RULES: tuple[PathRule, ...] = ("compound", "linear")

BOUND_OF_COMPARATOR = {">=": "floor", "<=": "ceiling", "~": "about", "=": "point", "range": "range"}
ABOUT_BAND = 0.05
"""Half-width of the band around a 左右 (about) target, as a share of its value."""
COMMITMENT_OF_HEDGE = {"确保": "firm", "力争": "aspirational", "争取": "aspirational", "努力": "aspirational"}
_FIRST_FYP, _FIRST_FYP_START = 12, 2011


def five_year_plan(year: int) -> str:
    """Return the national Five-Year-Plan period containing ``year``.

    Examples
    --------
    >>> five_year_plan(2019), five_year_plan(2023)
    ('13th FYP (2016-2020)', '14th FYP (2021-2025)')
    """
    number = _FIRST_FYP + (year - _FIRST_FYP_START) // 5
    start = _FIRST_FYP_START + 5 * (number - _FIRST_FYP)
    return f"{number}th FYP ({start}-{start + 4})"


def _five_year_plan_expr(year: pl.Expr) -> pl.Expr:
    """Vectorised ``five_year_plan`` (the test suite checks the two agree)."""
    number = _FIRST_FYP + (year - _FIRST_FYP_START) // 5
    start = _FIRST_FYP_START + 5 * (number - _FIRST_FYP)
    return pl.format("{}th FYP ({}-{})", number, start, start + 4)


def _bounds() -> tuple[pl.Expr, pl.Expr]:
    comparator, value = pl.col("comparator"), pl.col("value")
    low = (pl.when(comparator.is_in(["=", ">=", "range"])).then(value)
           .when(comparator == "~").then(value * (1 - ABOUT_BAND)))
    high = (pl.when(comparator.is_in(["=", "<="])).then(value)
            .when(comparator == "~").then(value * (1 + ABOUT_BAND))
            .when(comparator == "range").then(pl.col("value_high")))
    return low.alias("bound_low"), high.alias("bound_high")


def annualise(change_pct: float, years: float, *, rule: PathRule = "compound") -> float:
    """Return the yearly rate, in percent, implied by a change over several years.

    Parameters
    ----------
    change_pct
        Signed change over the whole period in percent: −18 for 比2015年下降18%.
    years
        Target year minus base year (2020 − 2015 = 5).
    rule
        "compound" (geometric, default) or "linear".

    Examples
    --------
    >>> round(annualise(-18, 5), 2)
    -3.89
    >>> annualise(-18, 5, rule="linear")
    -3.6
    """
    check_choice("rule", rule, _PATH_RULES)
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    if change_pct <= -100:
        raise ValueError(f"a change of {change_pct}% leaves nothing to compound")
    if rule == "linear":
        return change_pct / years
    return ((1 + change_pct / 100) ** (1 / years) - 1) * 100


def cumulate(rate_pct: float, years: float) -> float:
    """Return the cumulative change, in percent, of a yearly rate compounded over ``years``.

    Examples
    --------
    >>> round(cumulate(8, 3), 2)
    25.97
    """
    return ((1 + rate_pct / 100) ** years - 1) * 100


def implied_rate(base_value: float, target_value: float, years: float) -> float:
    """Return the compound yearly growth, in percent, from ``base_value`` to ``target_value``.

    Examples
    --------
    >>> round(implied_rate(1.5, 1.75, 4), 2)
    3.93
    """
    if base_value <= 0 or target_value <= 0:
        raise ValueError("implied growth needs positive base and target values")
    return annualise((target_value / base_value - 1) * 100, years)


def pp_per_year(base_value: float, target_value: float, years: float) -> float:
    """Return the change in percentage points per year from one share to another.

    Examples
    --------
    >>> pp_per_year(1.5, 1.75, 4)
    0.0625
    """
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    return (target_value - base_value) / years


def implied_path(base_value: float, target_value: float, base_year: int, target_year: int,
                 *, rule: PathRule = "compound") -> list[tuple[int, float]]:
    """Return the year-by-year path from baseline to target, both ends included.

    Examples
    --------
    >>> [(y, round(v, 2)) for y, v in implied_path(100, 82, 2015, 2020)][:2]
    [(2015, 100.0), (2016, 96.11)]
    >>> implied_path(1.5, 1.75, 2015, 2019, rule="linear")[-1]
    (2019, 1.75)
    """
    check_choice("rule", rule, _PATH_RULES)
    years = target_year - base_year
    if years <= 0:
        raise ValueError(f"target_year {target_year} must come after base_year {base_year}")
    path = []
    for step in range(years + 1):
        share = step / years
        if rule == "linear":
            value = base_value + (target_value - base_value) * share
        else:
            value = base_value * (target_value / base_value) ** share
        path.append((base_year + step, value))
    path[-1] = (target_year, target_value)
    return path


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
    """Assert the harmonised measures are plausible (OWID-style sanity checks)."""
    implausible = frame.filter((pl.col("annualised_pct").abs() > 200) | (pl.col("pp_per_year").abs() > 50))
    if implausible.height:
        ids = ", ".join(implausible["target_id"].head(5).to_list())
        raise ValueError(f"implausible harmonised rates for {implausible.height} target(s): {ids}")
    unexplained = frame.filter(~pl.col("comparable") & pl.col("why_not").is_null())
    if unexplained.height:
        raise ValueError(f"non-comparable targets without why_not: {unexplained['target_id'].to_list()[:5]}")


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
