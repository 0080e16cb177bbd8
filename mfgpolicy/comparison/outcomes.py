"""Whether targets were met: each target beside the outcome observed in its target year.

A target is scored only against an outcome of the same place, indicator and population, for its
target year, of a comparable form: a full-year level for a level or a stock; a cumulative change
from the same base year for a change over a period (an average yearly rate from that base year
is converted); an average yearly rate over the same years for a multi-year growth target, or the
year's growth for a one-year one. Any other outcome of its target year is listed with
``status = not_comparable`` and the difference stated (a partial year, another population,
another form).

``status`` is ``met`` when the outcome reaches the commitment's lower end in the ambitious
direction (a floor or point at its value, a 左右 band at its lower end, a range at its low end;
an outcome beyond the target is met), ``missed`` otherwise; a ceiling (以内) is met at or below
its value, and so is a level of an indicator where lower is more ambitious. ``gap`` is the outcome
minus the target, on the target's scale (positive: beyond
it). ``commitment`` keeps firm (确保) and aspirational (力争, 争取, 争创) targets apart.
"""

from __future__ import annotations

import polars as pl

from mfgpolicy import schema
from mfgpolicy.harmonise.implied import unit_factor

COLUMNS = tuple(schema.ACHIEVEMENT.columns)


def achievement_table(targets: pl.DataFrame, observations: pl.DataFrame | None) -> pl.DataFrame:
    """Return one row per target and outcome observation of its target year (``COLUMNS``).

    ``targets`` are harmonised targets (the plans we hold, and cited plans' with ``source`` =
    ``cited``), canonical rows only.
    """
    empty = {c: pl.String for c in COLUMNS}
    if observations is None or observations.is_empty():
        return pl.DataFrame(schema=empty)
    obs = observations.select(
        pl.col("place").alias("city"), "indicator_key", "observation_id", pl.col("year").alias("target_year"),
        pl.col("base_year").alias("_obase"), pl.col("period").alias("observed_period"),
        pl.col("value").alias("observed_value"), pl.col("unit").alias("observed_unit"),
        pl.col("kind").alias("observed_kind"), pl.col("scope").alias("observed_scope"), "source_id",
        pl.col("comparator").alias("_ocmp"))
    if "source" not in targets.columns:
        targets = targets.with_columns(source=pl.lit("plan"))
    pairs = targets.join(obs, on=["city", "indicator_key", "target_year"], how="inner")
    rows = [_score(row) for row in pairs.iter_rows(named=True)]
    if not rows:
        return pl.DataFrame(schema=empty)
    return pl.DataFrame(rows).select(COLUMNS).sort("doc_id", "target_id", "observation_id")


def _score(row: dict) -> dict:
    outcome, difference = _outcome(row)
    status, gap = "not_comparable", None
    if outcome is not None:
        lower_is_better = row.get("more_ambitious") == "lower" and row["kind"] in ("level", "count", "amount")
        if row["bound"] == "ceiling" or lower_is_better:
            high = row["bound_high"] if row["bound_high"] is not None else row["value"]
            status = "met" if outcome <= high + 1e-9 else "missed"
        else:
            low = row["bound_low"] if row["bound_low"] is not None else row["value"]
            status = "met" if outcome >= low - 1e-9 else "missed"
        gap = outcome - row["value"]
        if row["_ocmp"] != "=":
            difference = f"the outcome is given as a bound ({row['_ocmp']} {row['observed_value']:g})"
    keep = {c: row.get(c) for c in COLUMNS if c in row}
    return {**keep, "observed_year": row["target_year"], "outcome": outcome, "gap": gap, "status": status,
            "difference": difference}


def _outcome(row: dict) -> tuple[float | None, str | None]:
    """The outcome on the target's scale (a fall positive for a decrease target), or why it cannot be scored."""
    if row["observed_scope"] != row["scope"]:
        return None, f"population differs: the target covers {row['scope']}, the outcome {row['observed_scope']}"
    if row["observed_period"] != "full_year" and not (row["observed_period"] == "plan_period"
                                                       and row["observed_kind"] != "level"):
        return None, f"the outcome covers {row['observed_period']} of {row['target_year']}, not the full year"
    sign = -1.0 if row["direction"] == "decrease" else 1.0
    value, kind, okind = row["observed_value"], row["kind"], row["observed_kind"]
    start = row["target_year"] - row["years"] if row["years"] is not None else None
    if kind in ("level", "count", "amount") and row["direction"] == "reach":
        if okind != "level":
            return None, f"the target is a level, the outcome a {okind}"
        (tu, tf), (ou, of) = unit_factor(row["unit"]), unit_factor(row["observed_unit"])
        if tu != ou:
            return None, f"units differ: {row['unit']} and {row['observed_unit']}"
        return value * of / tf, None
    if kind == "change_over_period":
        if row["_obase"] != start:
            return None, f"the outcome is measured from {row['_obase']}, the target from {start}"
        if okind == "change_over_period":
            return sign * value, None
        if okind == "average_annual_growth":
            return sign * ((1 + value / 100) ** row["years"] - 1) * 100, None
        return None, f"the target is a change over a period, the outcome a {okind}"
    if kind == "annual_growth":
        if row["years"] == 1 and okind == "growth_yoy":
            return sign * value, None
        if okind == "average_annual_growth" and row["_obase"] == start:
            return sign * value, None
        return None, f"the target is a yearly rate over {start}-{row['target_year']}, the outcome a {okind}" + (
            f" from {row['_obase']}" if row["_obase"] is not None else "")
    return None, f"no outcome of this form ({okind}) scores a {kind} target"
