"""What the level above asked: each city target beside its parent plan's target on the same indicator.

A plan we hold names the plan it implements (``plan_links``, quoted); the parent's quantified
targets are cited (``cited_targets``). Each city target is paired with every parent target on
the same indicator whose target year falls in the city plan's period or the parent's, and
compared on the measure both share:

* two rates (or two changes over a period, harmonised to a yearly rate) by the yearly rate;
* two levels in the same unit by the level (the difference and the ratio);
* a count or amount of a city against the province's is ``not_comparable``: the city's is part
  of the province's total.

``relation`` is ``same``, ``tighter`` (more ambitious than the parent, by the indicator's
``more_ambitious``) or ``looser``; ``difference`` is city minus parent on that measure, and
``differences`` states what else differs (population, denominator, target year, bound).
"""

from __future__ import annotations

import polars as pl

from mfgpolicy import schema

COLUMNS = tuple(schema.ESCALATION.columns)
RATE_MEASURES = (("annualised_pct", "% a year"), ("pp_per_year", "pp a year"), ("points_per_year", "points a year"))


def escalation_table(harmonised: pl.DataFrame, cited: pl.DataFrame, links: pl.DataFrame | None,
                     indicators: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Return one row per city target and parent target on the same indicator (``COLUMNS``)."""
    empty = {c: pl.String for c in COLUMNS}
    if links is None or links.is_empty() or cited.is_empty():
        return pl.DataFrame(schema=empty)
    city = harmonised.filter(pl.col("same_as").is_null()).join(
        documents.select("doc_id", "period_start", "period_end"), on="doc_id", how="left")
    parent = cited.rename({c: f"p_{c}" for c in cited.columns})
    pairs = (city.join(links.select("doc_id", "cited_doc_id"), on="doc_id", how="inner")
             .join(parent, left_on=["cited_doc_id", "indicator_key"], right_on=["p_doc_id", "p_indicator_key"],
                   how="inner")
             .join(indicators.select("indicator_key", "more_ambitious"), on="indicator_key", how="left"))
    overlap = (pl.col("p_target_year").is_between(pl.col("period_start") - 1, pl.col("period_end"))
               | pl.col("target_year").is_between(pl.col("p_target_year") - 2, pl.col("p_target_year")))
    rows = [_compare(row) for row in pairs.filter(overlap).iter_rows(named=True)]
    if not rows:
        return pl.DataFrame(schema=empty)
    return pl.DataFrame(rows).select(COLUMNS).sort("doc_id", "indicator_key", "target_id", "cited_target_id")


def _compare(row: dict) -> dict:
    out = {"doc_id": row["doc_id"], "cited_doc_id": row["cited_doc_id"], "indicator_key": row["indicator_key"],
           "target_id": row["target_id"], "cited_target_id": row["p_target_id"], "city": row["city"],
           "parent_place": row["p_city"], "city_scope": row["scope"], "parent_scope": row["p_scope"],
           "city_target_year": row["target_year"], "parent_target_year": row["p_target_year"],
           "city_bound": row["bound"], "parent_bound": row["p_bound"], "differences": _differences(row)}
    measure = _measure(row)
    if measure is None:
        return {**out, "relation": "not_comparable", "measure": None, "unit": None,
                "differences": _join(_why_not(row), out["differences"])}
    name, unit, mine, theirs = measure
    difference = mine - theirs
    sign = -1.0 if row.get("more_ambitious") == "lower" else 1.0
    relation = "same" if abs(difference) < 1e-9 else ("tighter" if difference * sign > 0 else "looser")
    ratio = mine / theirs - 1 if name == "level" and theirs else None
    return {**out, "measure": name, "unit": unit, "city_value": mine, "parent_value": theirs,
            "difference": difference, "ratio": ratio, "relation": relation}


def _measure(row: dict) -> tuple[str, str, float, float] | None:
    for column, unit in RATE_MEASURES:
        if row[column] is not None and row[f"p_{column}"] is not None:
            return unit, unit, row[column], row[f"p_{column}"]
    both_levels = row["kind"] == row["p_kind"] == "level" and row["direction"] == row["p_direction"] == "reach"
    if both_levels and row["unit"] == row["p_unit"]:
        return "level", row["unit"], row["value"], row["p_value"]
    return None


def _why_not(row: dict) -> str:
    if row["kind"] in ("count", "amount") and row["p_kind"] in ("count", "amount"):
        return f"a count of {row['city']} is part of {row['p_city']}'s total, not a scale to compare it on"
    if row["unit"] != row["p_unit"]:
        return f"units differ: {row['unit']} and {row['p_unit']}"
    return f"no shared measure: a {row['kind']} and a {row['p_kind']}"


def _differences(row: dict) -> str | None:
    parts = []
    if row["scope"] != row["p_scope"]:
        parts.append(f"population: {row['scope']} vs {row['p_scope']}")
    if row["denominator"] != row["p_denominator"]:
        parts.append(f"denominator: {row['denominator'] or 'none'} vs {row['p_denominator'] or 'none'}")
    if row["target_year"] != row["p_target_year"]:
        parts.append(f"target year: {row['target_year']} vs {row['p_target_year']}")
    if row["bound"] != row["p_bound"]:
        parts.append(f"commitment: {row['bound']} vs {row['p_bound']}")
    return "; ".join(parts) or None


def _join(*parts: str | None) -> str | None:
    return "; ".join(p for p in parts if p) or None
