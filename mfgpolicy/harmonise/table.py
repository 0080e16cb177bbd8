"""The harmonisation rules applied to a whole table of targets (vectorised with polars).

``harmonise()`` adds the harmonised measures, their sensitivity to the conventions, the bounds
the plan commits to, the context a comparison needs (horizon, vintage, denominator, form) and
the measure a ranking uses; ``target_paths()`` gives the implied year-by-year paths. The rules
are documented in ``mfgpolicy.harmonise``; the scalar twins in ``mfgpolicy.harmonise.rates``
are what the tests compare with.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from mfgpolicy.harmonise.implied import unit_factor
from mfgpolicy.harmonise.rates import FIRST_FYP, FIRST_FYP_START
from mfgpolicy.vocab import ABOUT_BAND, BOUND_OF_COMPARATOR, COMMITMENT_OF_HEDGE

RULES = ("stated_annual_rate", "one_year_rate", "compound_from_cumulative", "pp_from_cumulative",
         "implied_from_baseline", "implied_from_observed_baseline", "implied_from_plan_baseline", "count_times_years",
         "count_per_year")
"""Every rule, in the order ``_rule`` tries them (documented in ``mfgpolicy.harmonise``)."""
RULE_ENUM = pl.Enum(RULES)
MEASURE_ENUM = pl.Enum(("pp a year", "points a year", "% a year", "new a year", "level"))
"""The ranking measures (``rank_measure``)."""
RATE_RULES = ("stated_annual_rate", "one_year_rate")
BASELINE_RULES = ("implied_from_baseline", "implied_from_plan_baseline", "implied_from_observed_baseline")
"""Rules that measure a level against a baseline: stated in the plan, implied by its other targets, or observed."""
DENOMINATORS = (
    (("主营业务收入", "主營業務收入"), "主营业务收入 (main-business revenue)"),
    (("营业收入", "營業收入"), "营业收入 (operating revenue)"),
    (("生产总值", "生產總值", "GDP"), "GDP"),
    (("工业增加值", "工業增加值"), "工业增加值 (industrial value added)"),
    (("增加值",), "增加值 (value added)"),
    (("工业投资", "工業投資"), "工业投资 (industrial investment)"),
)
"""Words of a ratio's denominator as the plans write them (simplified and traditional), looked for in
``indicator_zh`` in this order."""


def _five_year_plan_expr(year: pl.Expr) -> pl.Expr:
    """Vectorised ``five_year_plan`` (the test suite checks the two agree)."""
    number = FIRST_FYP + (year - FIRST_FYP_START) // 5
    start = FIRST_FYP_START + 5 * (number - FIRST_FYP)
    return pl.format("{}th FYP ({}-{})", number, start, start + 4)


def _per_value(column: pl.Series, rule: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """``rule`` applied to ``column``, worked out once per distinct value (a million rows share a few dozen)."""
    values = column.drop_nulls().unique()
    mapping = pl.select(values.alias("v"), rule(pl.lit(values)).alias("out"))
    return pl.col(column.name).replace_strict(mapping["v"], mapping["out"], default=None, return_dtype=pl.String)


def harmonise(targets: pl.DataFrame, documents: pl.DataFrame, indicators: pl.DataFrame | None = None,
              implied: pl.DataFrame | None = None, spans: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return ``targets`` with the harmonised measures added (one row per target, same order).

    ``indicators`` tells shares and indices apart (for the ranking measure) and gives the price
    basis; ``implied`` holds the baselines the plans' own targets imply (``implied.implied_bases``);
    ``spans`` the years a plan says its effort covers (the curated ``plan_spans``).
    The columns added are declared in ``mfgpolicy.schema.HARMONISED``; every rule is documented
    in ``mfgpolicy.harmonise``.
    """
    from mfgpolicy.schema import HARMONISED

    measures = measure(targets, documents, indicators, implied, spans)
    return pl.concat([targets, measures.drop("target_id")], how="horizontal").select(HARMONISED.columns)


RULE_INPUTS = ("target_id", "doc_id", "indicator_key", "indicator_zh", "value", "value_high", "unit", "kind", "direction",
               "comparator", "hedge", "base_year", "base_value", "target_year", "per_year", "same_as")
"""The columns of ``targets`` the rules read (the rest, quotes and notes, are carried over untouched)."""


def measure(targets: pl.DataFrame, documents: pl.DataFrame, indicators: pl.DataFrame | None = None,
            implied: pl.DataFrame | None = None, spans: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return ``target_id`` and the harmonised measures only (the columns ``harmonise`` adds), in the order of ``targets``.

    The rules run on the few columns they read, so that a million targets with their quotes
    are never copied; ``harmonise`` puts the two side by side without copying either.
    """
    from mfgpolicy.schema import HARMONISED, TARGETS

    frame = _prepare(targets.select(RULE_INPUTS), documents, implied, spans)
    frame = frame.with_columns(rule=_rule().cast(RULE_ENUM), _sign=pl.when(pl.col("direction") == "decrease")
                               .then(-1.0).otherwise(1.0))
    frame = _with_measures(frame)
    frame = _with_bounds(frame, targets.select(RULE_INPUTS))
    frame = _with_sensitivity(frame)
    frame = _with_context(frame, indicators)
    frame = _with_rank_fields(frame)
    _check_outputs(frame)
    frame = frame.with_columns(pl.col("rule", "rank_measure").cast(pl.String))
    return frame.select("target_id", *(c for c in HARMONISED.columns if c not in TARGETS.columns))


# ------------------------------------------------------------------------------------ inputs


def _prepare(targets: pl.DataFrame, documents: pl.DataFrame, implied: pl.DataFrame | None,
             spans: pl.DataFrame | None) -> pl.DataFrame:
    plan = documents.select("doc_id", "period_end",
                            (pl.col("period_end") - pl.col("period_start") + 1).cast(pl.Int32).alias("plan_years"))
    if spans is None:
        spans = pl.DataFrame(schema={"doc_id": pl.String, "first_year": pl.Int32, "last_year": pl.Int32})
    plan = plan.join(spans.select("doc_id", pl.col("first_year").alias("_sfirst"), pl.col("last_year").alias("_slast")),
                     on="doc_id", how="left")
    frame = targets.join(plan, on="doc_id", how="left", maintain_order="left")
    if implied is None:
        implied = pl.DataFrame(schema={"target_id": pl.String, "base_value": pl.Float64, "base_year": pl.Int32,
                                       "base_rule": pl.String})
    if "base_ref" not in implied.columns:
        implied = implied.with_columns(base_ref=pl.lit(None, pl.String))
    frame = frame.join(implied.select("target_id", pl.col("base_value").alias("_ibase"),
                                      pl.col("base_year").cast(pl.Int32).alias("_iyear"), "base_rule", "base_ref"),
                       on="target_id", how="left", maintain_order="left")
    stated = pl.col("base_value").is_not_null()
    return frame.with_columns(
        signed_value=pl.when(pl.col("direction") == "decrease").then(-pl.col("value")).otherwise(pl.col("value")),
        base_used=pl.when(stated).then(pl.col("base_value")).otherwise(pl.col("_ibase")),
        base_source=pl.when(stated).then(pl.lit("stated in the plan"))
        .when(pl.col("base_rule") == "observed").then(pl.format("observed, an outside source (observation {})",
                                                                pl.col("base_ref")))
        .when(pl.col("_ibase").is_not_null()).then(pl.format("implied by the plan's targets ({})", pl.col("base_rule"))),
        years=(pl.col("target_year") - pl.coalesce("base_year", "_iyear")).cast(pl.Int32),
    )


def _rule() -> pl.Expr:
    kind, unit, years = pl.col("kind"), pl.col("unit"), pl.col("years")
    has_years = years.is_not_null() & (years > 0)
    has_base = pl.col("base_used").is_not_null() & (pl.col("base_used") > 0) & (pl.col("value") > 0)
    is_new_stuff = kind.is_in(["count", "amount"]) & (pl.col("direction") == "increase")
    level_like = kind.is_in(["level", "count", "amount"]) & (pl.col("direction") == "reach")
    return (
        pl.when(kind == "annual_growth").then(
            pl.when(years == 1).then(pl.lit("one_year_rate")).otherwise(pl.lit("stated_annual_rate")))
        .when((kind == "change_over_period") & has_years & (unit == "%")).then(pl.lit("compound_from_cumulative"))
        .when((kind == "change_over_period") & has_years & (unit == "pp")).then(pl.lit("pp_from_cumulative"))
        .when(level_like & has_base & has_years & pl.col("base_value").is_not_null())
        .then(pl.lit("implied_from_baseline"))
        .when(level_like & has_base & has_years & (pl.col("base_rule") == "observed"))
        .then(pl.lit("implied_from_observed_baseline"))
        .when(level_like & has_base & has_years).then(pl.lit("implied_from_plan_baseline"))
        .when(is_new_stuff & pl.col("per_year")).then(pl.lit("count_times_years"))
        .when(is_new_stuff & has_years).then(pl.lit("count_per_year"))
    )


# ------------------------------------------------------------------------------------ measures


def _annualised(v: pl.Expr, span: pl.Expr, *, linear: bool = False) -> pl.Expr:
    """The yearly rate in percent of value ``v`` over ``span`` years, by the row's rule."""
    r = pl.col("rule")
    signed = v * pl.col("_sign")
    base = pl.col("base_used")
    cumulative = signed / span if linear else ((1 + signed / 100).pow(1 / span) - 1) * 100
    implied = (v / base - 1) / span * 100 if linear else ((v / base).pow(1 / span) - 1) * 100
    return (pl.when(r.is_in(RATE_RULES)).then(signed)
            .when(r == "compound_from_cumulative").then(cumulative)
            .when(r.is_in(BASELINE_RULES)).then(implied))


def _pp(v: pl.Expr, span: pl.Expr) -> pl.Expr:
    """Percentage points a year: a change in pp, or a share (unit %) against its baseline."""
    r = pl.col("rule")
    signed = v * pl.col("_sign")
    return (pl.when(r == "pp_from_cumulative").then(signed / span)
            .when(r.is_in(BASELINE_RULES) & (pl.col("unit") == "%")).then((v - pl.col("base_used")) / span))


def _points(v: pl.Expr, span: pl.Expr) -> pl.Expr:
    """Index points a year: an index (unit ``index``) against its baseline."""
    return pl.when(pl.col("rule").is_in(BASELINE_RULES) & (pl.col("unit") == "index")).then(
        (v - pl.col("base_used")) / span)


def _per_year(v: pl.Expr, span: pl.Expr) -> pl.Expr:
    r = pl.col("rule")
    return pl.when(r == "count_per_year").then(v / span).when(r == "count_times_years").then(v)


def _with_measures(frame: pl.DataFrame) -> pl.DataFrame:
    r, v, years = pl.col("rule"), pl.col("value"), pl.col("years")
    return frame.with_columns(
        annualised_pct=_annualised(v, years),
        pp_per_year=_pp(v, years),
        points_per_year=_points(v, years),
        per_year_value=_per_year(v, years),
        plan_total_value=pl.when(r == "count_per_year").then(v)
        .when(r == "count_times_years").then(v * pl.coalesce(years, pl.col("plan_years"))),
        comparable=r.is_not_null(),
        why_not=pl.when(r.is_not_null()).then(None).otherwise(_why_not()),
    )


def _why_not() -> pl.Expr:
    kind, years = pl.col("kind"), pl.col("years")
    no_base_value = "a level with no stated baseline value: the plan says where to get to, not where from"
    return (
        pl.when(kind.is_in(["level", "count", "amount"]) & (pl.col("direction") == "reach")
                & pl.col("base_used").is_not_null() & (pl.col("base_used") <= 0))
        .then(pl.lit("a zero or negative baseline has no growth rate"))
        .when(kind == "level").then(pl.lit(no_base_value))
        .when(kind.is_in(["count", "amount"]) & (pl.col("direction") == "reach"))
        .then(pl.lit("a stock to be reached with no stated starting stock"))
        .when(years.is_null() | (years <= 0)).then(pl.lit("no base year or target year to measure the change over"))
        .otherwise(pl.lit("no rule applies to this kind and unit"))
    )


# ------------------------------------------------------------------------------------ bounds


def _with_bounds(frame: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """The commitment's shape and interval; a point restated elsewhere as a floor or ceiling becomes one."""
    restated = (targets.filter(pl.col("same_as").is_not_null() & pl.col("comparator").is_in([">=", "<="]))
                .select(pl.col("same_as").alias("target_id"), pl.col("comparator").alias("_rcmp"),
                        pl.col("value").alias("_rvalue"), pl.col("target_id").alias("_rid"))
                .unique("target_id", keep="first", maintain_order=True))
    frame = frame.join(restated, on="target_id", how="left", maintain_order="left")
    carried = (pl.col("comparator") == "=") & pl.col("_rcmp").is_not_null() & (pl.col("_rvalue") == pl.col("value"))
    comparator = pl.when(carried).then(pl.col("_rcmp")).otherwise(pl.col("comparator"))
    value = pl.col("value")
    frame = frame.with_columns(
        bound=comparator.replace_strict(BOUND_OF_COMPARATOR, default=None),
        bound_note=pl.when(carried).then(pl.format("'=' as written here; a {} because {} states the same value with {}",
                                                   pl.col("_rcmp").replace_strict(BOUND_OF_COMPARATOR, default=None),
                                                   pl.col("_rid"), pl.col("_rcmp"))),
        commitment=pl.col("hedge").cast(pl.String).replace_strict(COMMITMENT_OF_HEDGE, default="stated"),
        plan_vintage=_per_value(frame["target_year"], _five_year_plan_expr),
    )
    bound = pl.col("bound")
    return frame.with_columns(
        bound_low=pl.when(bound.is_in(["point", "floor", "range"])).then(value)
        .when(bound == "about").then(value * (1 - ABOUT_BAND)),
        bound_high=pl.when(bound.is_in(["point", "ceiling"])).then(value)
        .when(bound == "about").then(value * (1 + ABOUT_BAND))
        .when(bound == "range").then(pl.col("value_high")),
    )


# ------------------------------------------------------------------------------------ sensitivity


def _with_sensitivity(frame: pl.DataFrame) -> pl.DataFrame:
    """The range each measure takes across the conventions: compound or linear, and the span.

    Besides ``years`` (from the base year), the spans are the plan's own period and the years
    the text says its effort covers (``plan_spans``: Ningbo 2016's 通过3年建设, 2017–2019), each
    when it differs and the target falls within it (2015→2019 is 4 years; the effort 3).
    """
    v, years = pl.col("value"), pl.col("years")
    within = pl.col("years").is_not_null() & (pl.col("target_year") <= pl.col("period_end"))
    plan = pl.when(within & (pl.col("plan_years") != years)).then(pl.col("plan_years"))
    stated_span = pl.col("target_year") - pl.col("_sfirst") + 1
    stated = pl.when(pl.col("years").is_not_null() & pl.col("target_year").is_between(pl.col("_sfirst"),
                                                                                      pl.col("_slast"))
                     & (stated_span != years)).then(stated_span)
    spans = (years, plan, stated)
    rates = [_annualised(v, s, linear=lin) for s in spans for lin in (False, True)]
    pps = [_pp(v, s) for s in spans]
    per_years = [_per_year(v, s) for s in spans]
    return frame.with_columns(
        sensitivity_low=pl.min_horizontal(rates), sensitivity_high=pl.max_horizontal(rates),
        pp_sensitivity_low=pl.min_horizontal(pps), pp_sensitivity_high=pl.max_horizontal(pps),
        per_year_low=pl.min_horizontal(per_years), per_year_high=pl.max_horizontal(per_years),
    )


# ------------------------------------------------------------------------------------ context


def _with_context(frame: pl.DataFrame, indicators: pl.DataFrame | None) -> pl.DataFrame:
    kind, direction = pl.col("kind"), pl.col("direction")
    units = frame["unit"].drop_nulls().unique().to_list()
    split = {u: unit_factor(u) for u in units}
    if indicators is not None:
        frame = frame.join(indicators.select("indicator_key", pl.col("unit").alias("_iunit"), "price_basis"),
                           on="indicator_key", how="left", maintain_order="left")
    else:
        frame = frame.with_columns(_iunit=pl.lit(None, pl.String), price_basis=pl.lit("unstated"))
    names = frame["indicator_zh"].drop_nulls().unique()
    meaning_of = {name: _denominator(name) for name in names}
    return frame.with_columns(
        horizon=pl.when(pl.col("years") == 1).then(pl.lit("one year"))
        .when(pl.col("years") > 1).then(pl.lit("multi-year"))
        .otherwise(pl.lit("a level at the target year")),
        form=pl.when(kind.is_in(["annual_growth", "change_over_period"])).then(pl.lit("rate"))
        .when(kind == "level").then(pl.lit("level"))
        .when(direction == "increase").then(pl.lit("flow"))
        .otherwise(pl.lit("stock")),
        base_unit=pl.col("unit").replace_strict({u: s[0] for u, s in split.items()}, default=None),
        unit_factor=pl.col("unit").replace_strict({u: s[1] for u, s in split.items()}, default=None,
                                                  return_dtype=pl.Float64),
        denominator=pl.col("indicator_zh").replace_strict(meaning_of, default=None, return_dtype=pl.String),
        price_basis=pl.col("price_basis").fill_null("unstated"),
    )


def _denominator(indicator_zh: str) -> str | None:
    """The ratio's denominator named in an indicator's words (``DENOMINATORS``), or None."""
    for words, meaning in DENOMINATORS:
        if any(w in indicator_zh for w in words):
            return meaning
    return None


# ------------------------------------------------------------------------------------ ranking


def _with_rank_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """The measure a ranking orders rows by, its group, and its range across conventions and bounds.

    Shares (indicator unit %) rank by percentage points a year, indices by points a year, other
    rates by percent a year; new things by how many a year, in the base unit (万台 → 台); levels
    and stocks by their value, only when asked.
    """
    share = pl.coalesce(pl.col("_iunit"), pl.col("unit")) == "%"
    index = pl.coalesce(pl.col("_iunit"), pl.col("unit")) == "index"
    measure = (pl.when(pl.col("pp_per_year").is_not_null() & (share | (pl.col("rule") == "pp_from_cumulative")))
               .then(pl.lit("pp a year"))
               .when(pl.col("points_per_year").is_not_null() & index).then(pl.lit("points a year"))
               .when(pl.col("annualised_pct").is_not_null()).then(pl.lit("% a year"))
               .when(pl.col("per_year_value").is_not_null()).then(pl.lit("new a year"))
               .when(pl.col("form").is_in(["level", "stock"])).then(pl.lit("level")))
    frame = frame.with_columns(rank_measure=measure.cast(MEASURE_ENUM))
    m, factor, v, years = pl.col("rank_measure"), pl.col("unit_factor"), pl.col("value"), pl.col("years")

    def at(value: pl.Expr) -> pl.Expr:
        return (pl.when(m == "pp a year").then(_pp(value, years))
                .when(m == "points a year").then(_points(value, years))
                .when(m == "% a year").then(_annualised(value, years))
                .when(m == "new a year").then(_per_year(value, years) * factor)
                .when(m == "level").then(value * factor))

    central = (pl.when(m == "pp a year").then(pl.col("pp_per_year"))
               .when(m == "points a year").then(pl.col("points_per_year"))
               .when(m == "% a year").then(pl.col("annualised_pct"))
               .when(m == "new a year").then(pl.col("per_year_value") * factor)
               .when(m == "level").then(v * factor))
    conventions = [
        pl.when(m == "pp a year").then(pl.col(f"pp_sensitivity_{end}"))
        .when(m == "% a year").then(pl.col(f"sensitivity_{end}"))
        .when(m == "new a year").then(pl.col(f"per_year_{end}") * factor)
        for end in ("low", "high")
    ]
    candidates = [central, *conventions, at(pl.col("bound_low")), at(pl.col("bound_high"))]
    return frame.with_columns(
        rank_group=pl.when(m.is_in(["new a year", "level"]))
        .then(pl.format("{} ({})", m.cast(pl.String), pl.col("base_unit"))).otherwise(m.cast(pl.String)),
        rank_value=central,
        rank_low=pl.when(central.is_not_null()).then(pl.min_horizontal(candidates)),
        rank_high=pl.when(central.is_not_null()).then(pl.max_horizontal(candidates)),
    )


def _check_outputs(frame: pl.DataFrame) -> None:
    """Sanity checks beside the step (OWID-style): plausible rates, every non-comparable row explained,
    and every sensitivity range holding its central value.

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
    outside = frame.filter((pl.col("annualised_pct") < pl.col("sensitivity_low") - 1e-9)
                           | (pl.col("annualised_pct") > pl.col("sensitivity_high") + 1e-9))
    problems += [Problem("targets.csv", t, "", "", "the sensitivity range misses the central rate (a bug in the rules)")
                 for t in outside["target_id"]]
    if problems:
        raise ValidationError(problems)


def target_paths(harmonised: pl.DataFrame) -> pl.DataFrame:
    """Return the implied year-by-year paths of the targets that have one.

    Columns: ``target_id``, ``year``, ``value`` (in the target's unit, when a baseline value is
    known) and ``index`` (base year = 100). Changes over a period and stated annual rates give
    an index path; levels with a baseline give a value path too (linear in points for shares,
    compound otherwise). Vectorised; ``implied_path`` is the scalar twin the tests compare with.
    """
    start = pl.col("target_year") - pl.col("years")
    step = pl.col("year") - start
    share = step / pl.col("years")
    last = pl.col("year") == pl.col("target_year")
    compound = pl.col("base_used") * (pl.col("value") / pl.col("base_used")).pow(share)
    linear = pl.col("base_used") + (pl.col("value") - pl.col("base_used")) * share
    with_value = pl.col("rule").is_in(BASELINE_RULES)
    return (
        harmonised.filter(pl.col("comparable") & (pl.col("years") > 0) & pl.col("annualised_pct").is_not_null())
        .select("target_id", "target_year", "years", "annualised_pct", "rule", "unit", "value", "base_used",
                pl.int_ranges(pl.col("target_year") - pl.col("years"), pl.col("target_year") + 1).alias("year"))
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
