"""What observed statistics (the curated ``observations``, cited from outside sources) add to a target.

``observed_bases``
    A level target with no baseline in its plan, stated or implied, whose base-year value is
    observed (same place, indicator, population, unit; a full-year level): that value becomes its
    baseline, and ``harmonise`` gives the rule ``implied_from_observed_baseline`` — flagged as
    using an outside source and kept apart from plan-stated baselines. The base year of a level
    target is its own, else the year before its plan's period.
``required_rates``
    Where a plan was issued after its base year, the rate still required from the latest full-year
    observation published before the plan (the year before its issue year, or earlier) to the
    target: the ambition the plan actually set. A level: ``((target / observed) ** (1/n) − 1) × 100``
    over the ``n`` years left; a cumulative change from the base year: ``((1 + c) / (1 + o)) **
    (1/n) − 1``; an average yearly growth: ``((1 + g) ** N / Π(1 + oₜ)) ** (1/n) − 1`` when every
    year observed so far is a full-year growth rate.
"""

from __future__ import annotations

import polars as pl

LEVEL_FORMS = ("level", "count", "amount")
REQUIRED_COLUMNS = {
    "target_id": pl.String, "observation_id": pl.String, "observed_year": pl.Int32, "observed_value": pl.Float64,
    "years_left": pl.Int32, "required_pct": pl.Float64, "rule": pl.String, "finding": pl.String,
}


def _matches(targets: pl.DataFrame, observations: pl.DataFrame) -> pl.DataFrame:
    """Targets joined to the observations of the same place, indicator and population (full years, exact values)."""
    obs = observations.filter((pl.col("period") == "full_year") & (pl.col("comparator") == "=")).select(
        pl.col("place").alias("city"), "indicator_key", "scope", "observation_id", pl.col("year").alias("_oyear"),
        pl.col("base_year").alias("_obase"), pl.col("value").alias("_ovalue"), pl.col("unit").alias("_ounit"),
        pl.col("kind").alias("_okind"))
    return targets.join(obs, on=["city", "indicator_key", "scope"], how="inner")


def observed_bases(targets: pl.DataFrame, documents: pl.DataFrame, observations: pl.DataFrame | None,
                   exclude: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return ``target_id, base_value, base_year, base_rule, base_ref`` for levels whose base year is observed.

    ``targets`` are in the targets schema (``documents`` give the plan periods); targets in
    ``exclude`` (already given a baseline by the plan) are skipped.
    """
    schema = {"target_id": pl.String, "base_value": pl.Float64, "base_year": pl.Int32, "base_rule": pl.String,
              "base_ref": pl.String}
    if observations is None or observations.is_empty():
        return pl.DataFrame(schema=schema)
    levels = targets.filter(pl.col("kind").is_in(LEVEL_FORMS) & (pl.col("direction") == "reach")
                            & pl.col("base_value").is_null())
    if exclude is not None:
        levels = levels.join(exclude.select("target_id"), on="target_id", how="anti")
    levels = levels.join(documents.select("doc_id", "period_start"), on="doc_id", how="left").with_columns(
        _byear=pl.coalesce("base_year", pl.col("period_start") - 1))
    found = _matches(levels, observations).filter(
        (pl.col("_okind") == "level") & (pl.col("_oyear") == pl.col("_byear")) & (pl.col("_ounit") == pl.col("unit")))
    return found.sort("target_id", "observation_id").unique("target_id", keep="first", maintain_order=True).select(
        "target_id", pl.col("_ovalue").alias("base_value"), pl.col("_byear").cast(pl.Int32).alias("base_year"),
        pl.lit("observed").alias("base_rule"), pl.col("observation_id").alias("base_ref"))


def required_rates(harmonised: pl.DataFrame, documents: pl.DataFrame,
                   observations: pl.DataFrame | None) -> pl.DataFrame:
    """Return, per target, the yearly rate still required from the latest observation before the plan was issued."""
    if observations is None or observations.is_empty():
        return pl.DataFrame(schema=REQUIRED_COLUMNS)
    frame = harmonised.filter(pl.col("same_as").is_null()).join(
        documents.select("doc_id", pl.col("date_issued").dt.year().alias("_issued")), on="doc_id", how="left")
    start = pl.col("target_year") - pl.col("years")
    found = _matches(frame, observations).filter(
        pl.col("_issued").is_not_null() & (pl.col("_oyear") < pl.col("_issued"))
        & (pl.col("_oyear") < pl.col("target_year")) & (start.is_null() | (pl.col("_oyear") > start)))
    rows = []
    for row in found.sort("target_id", "_oyear").iter_rows(named=True):
        result = _required(row, found)
        if result is not None:
            rows.append(result)
    out = pl.DataFrame(rows, schema=REQUIRED_COLUMNS)
    return out.sort("target_id", "observed_year").unique("target_id", keep="last", maintain_order=True)


def _required(row: dict, found: pl.DataFrame) -> dict | None:
    left = row["target_year"] - row["_oyear"]
    base = {"target_id": row["target_id"], "observation_id": row["observation_id"], "observed_year": row["_oyear"],
            "observed_value": row["_ovalue"], "years_left": left}
    sign = -1 if row["direction"] == "decrease" else 1
    if row["kind"] in LEVEL_FORMS and row["_okind"] == "level" and row["_ounit"] == row["unit"]:
        if row["_ovalue"] <= 0 or row["value"] <= 0:
            return None
        rate = ((row["value"] / row["_ovalue"]) ** (1 / left) - 1) * 100
        words = f"from {row['_ovalue']:g}{row['unit']} observed in {row['_oyear']}"
        return {**base, "required_pct": rate, "rule": "level_from_observation",
                "finding": f"{words}, {row['value']:g}{row['unit']} by {row['target_year']} needs {rate:.1f}% a year"}
    start = row["target_year"] - row["years"] if row["years"] is not None else None
    if row["kind"] == "change_over_period" and row["_okind"] == "change_over_period" and row["_obase"] == start:
        target = 1 + sign * row["value"] / 100
        done = 1 + row["_ovalue"] / 100
        rate = ((target / done) ** (1 / left) - 1) * 100
        return {**base, "required_pct": rate, "rule": "change_from_observed_change",
                "finding": f"{row['_ovalue']:+g}% by {row['_oyear']} leaves {rate:.1f}% a year to reach "
                           f"{sign * row['value']:+g}% by {row['target_year']}"}
    if row["kind"] == "annual_growth" and row["years"] and row["years"] > 1 and row["_okind"] == "growth_yoy":
        years = found.filter((pl.col("target_id") == row["target_id"]) & (pl.col("_okind") == "growth_yoy")
                             & (pl.col("_oyear") > start) & (pl.col("_oyear") <= row["_oyear"]))
        if years.height != row["_oyear"] - start:
            return None  # a year is missing: no sound compounding
        done = 1.0
        for growth in years["_ovalue"].to_list():
            done *= 1 + growth / 100
        total = (1 + sign * row["value"] / 100) ** row["years"]
        rate = ((total / done) ** (1 / left) - 1) * 100
        return {**base, "required_pct": rate, "rule": "growth_from_observed_growth",
                "finding": f"after {years.height} observed year(s), {rate:.1f}% a year is left for "
                           f"{row['_oyear'] + 1}-{row['target_year']}"}
    return None
