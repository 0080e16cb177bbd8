"""What a plan's own targets imply when read together (the curated table ``implications``).

A curator records which targets belong together and by which rule; the arithmetic is here.
Each rule either gives a target a baseline the plan implies (used by ``harmonise`` with the rule
``implied_from_plan_baseline``, kept apart from stated baselines) or states a finding that no
single target shows.

``maintained``
    A level the plan says to keep (保持60%左右): the baseline is the target itself, at the base
    year, so the implied change is nil.
``stock_minus_flows``
    A stock to reach (在役机器人总量突破2.5万台 by 2023) and a yearly flow into it (每年新增3000台):
    the stock at the base year is ``stock − flow × years`` (2.5万 − 0.3万 × 3 = 1.6万台 in 2020).
    A result of zero or less means the two targets conflict, and no baseline is implied.
``base_from_cumulative_growth``
    An amount over the plan (投资1200亿 over 2021–23) and its yearly growth (年均增速15%): the
    base year's amount is ``A / Σ_{t=1..n} (1 + g)^t`` (1200 / (1.15 + 1.3225 + 1.520875) ≈ 300.5亿
    in 2020). A finding only: the amount target is already comparable per year.
``remaining_growth``
    A one-year rate for the first year (2022年增长25%) and an average rate over the whole period
    (2022–24年均增长10%): the rate left for the other years is
    ``((1 + g)^n / (1 + r₁))^(1/(n − 1)) − 1`` (1.10³ / 1.25 = 1.0648, √1.0648 − 1 ≈ 3.19% a year for
    2023–24). A finding only.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

_MULTIPLIERS = {"百万": 1e6, "千万": 1e7, "万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
_MULTIPLIER = re.compile(r"^(百万|千万|万|亿|千|百)(?=\S)")

FINDING_COLUMNS = {
    "implication_id": pl.String, "doc_id": pl.String, "target_id": pl.String, "other_target_id": pl.String,
    "rule": pl.String, "implied_year": pl.Int32, "implied_value": pl.Float64, "implied_unit": pl.String,
    "implied_rate_pct": pl.Float64, "consistent": pl.Boolean, "finding": pl.String, "notes": pl.String,
}


def unit_factor(unit: str | None) -> tuple[str, float]:
    """Split a unit as written into its base unit and multiplier.

    Examples
    --------
    >>> unit_factor("万台"), unit_factor("亿元"), unit_factor("万元/人"), unit_factor("%"), unit_factor("百万平米")
    (('台', 10000.0), ('元', 100000000.0), ('元/人', 10000.0), ('%', 1.0), ('平米', 1000000.0))
    """
    if not unit:
        return "", 1.0
    match = _MULTIPLIER.match(unit)
    if not match:
        return unit, 1.0
    return unit[match.end():], _MULTIPLIERS[match.group(1)]


def remaining_rate(first_year_pct: float, average_pct: float, years: int) -> float:
    """Return the yearly rate, in percent, left for the other years of a period.

    Examples
    --------
    >>> round(remaining_rate(25, 10, 3), 2)
    3.19
    """
    if years < 2:
        raise ValueError("a remaining rate needs a period of at least two years")
    total = (1 + average_pct / 100) ** years
    return ((total / (1 + first_year_pct / 100)) ** (1 / (years - 1)) - 1) * 100


def base_from_cumulative(total: float, growth_pct: float, years: int) -> float:
    """Return the base year's amount when ``total`` is the sum of ``years`` years growing at ``growth_pct``.

    Examples
    --------
    >>> round(base_from_cumulative(1200, 15, 3), 1)
    300.5
    """
    factor = sum((1 + growth_pct / 100) ** t for t in range(1, years + 1))
    return total / factor


def evaluate(targets: pl.DataFrame, implications: pl.DataFrame | None) -> pl.DataFrame:
    """Return one finding per implication (``FINDING_COLUMNS``), each with its arithmetic in words."""
    if implications is None or implications.is_empty():
        return pl.DataFrame(schema=FINDING_COLUMNS)
    named = pl.concat([implications["target_id"], implications["other_target_id"]]).drop_nulls().unique()
    by_id = {row["target_id"]: row
             for row in targets.filter(pl.col("target_id").is_in(named.implode())).iter_rows(named=True)}
    rows = []
    for imp in implications.iter_rows(named=True):
        target, other = by_id.get(imp["target_id"]), by_id.get(imp["other_target_id"] or "")
        if target is None or (imp["rule"] != "maintained" and other is None):
            continue  # reported by validation
        result = _RULES[imp["rule"]](target, other)
        rows.append({**{k: imp[k] for k in ("implication_id", "doc_id", "target_id", "other_target_id", "rule",
                                            "notes")}, **result})
    return pl.DataFrame(rows, schema=FINDING_COLUMNS)


def implied_bases(findings: pl.DataFrame) -> pl.DataFrame:
    """Return the baselines the findings imply: ``target_id``, ``base_value``, ``base_year``, ``base_rule``."""
    usable = findings.filter(pl.col("rule").is_in(["maintained", "stock_minus_flows"]) & pl.col("consistent")
                             & pl.col("implied_value").is_not_null())
    return usable.select("target_id", pl.col("implied_value").alias("base_value"),
                         pl.col("implied_year").alias("base_year"), pl.col("rule").alias("base_rule")).unique(
        "target_id", keep="first", maintain_order=True)


def _base_year(target: dict[str, Any]) -> int | None:
    return target["base_year"]


def _maintained(target: dict[str, Any], _: dict[str, Any] | None) -> dict[str, Any]:
    year = _base_year(target)
    return {"implied_year": year, "implied_value": target["value"], "implied_unit": target["unit"],
            "implied_rate_pct": 0.0, "consistent": year is not None,
            "finding": f"保持 (maintain): the level at {year} is the target itself, {target['value']:g}{target['unit']}; "
                       "the implied change is nil"}


def _stock_minus_flows(target: dict[str, Any], flow: dict[str, Any] | None) -> dict[str, Any]:
    _, stock_factor = unit_factor(target["unit"])
    _, flow_factor = unit_factor(flow["unit"])
    year = flow["base_year"]
    years = (target["target_year"] - year) if year is not None else None
    if years is None or years <= 0:
        return {"implied_unit": target["unit"], "consistent": False,
                "finding": "no base year to subtract the yearly flow over"}
    flows = flow["value"] * flow_factor * years
    base = (target["value"] * stock_factor - flows) / stock_factor
    stock_text = f"{target['value']:g}{target['unit']} in {target['target_year']}"
    flow_text = f"{flow['value']:g}{flow['unit']} a year × {years} years"
    if base <= 0:
        return {"implied_year": year, "implied_value": base, "implied_unit": target["unit"], "consistent": False,
                "finding": f"{stock_text} less {flow_text} leaves nothing at {year}: the two targets conflict"}
    rate = ((target["value"] / base) ** (1 / years) - 1) * 100
    return {"implied_year": year, "implied_value": base, "implied_unit": target["unit"], "implied_rate_pct": rate,
            "consistent": True,
            "finding": f"{stock_text} less {flow_text} implies about {base:.4g}{target['unit']} in {year}, "
                       f"a stock growing {rate:.1f}% a year"}


def _base_from_cumulative_growth(target: dict[str, Any], growth: dict[str, Any] | None) -> dict[str, Any]:
    year = target["base_year"]
    years = (target["target_year"] - year) if year is not None else None
    if years is None or years <= 0:
        return {"implied_unit": target["unit"], "consistent": False, "finding": "no period to spread the amount over"}
    base = base_from_cumulative(target["value"], growth["value"], years)
    path = ", ".join(f"{base * (1 + growth['value'] / 100) ** t:.0f}" for t in range(1, years + 1))
    return {"implied_year": year, "implied_value": base, "implied_unit": target["unit"],
            "implied_rate_pct": growth["value"], "consistent": True,
            "finding": f"{target['value']:g}{target['unit']} over {year + 1}-{target['target_year']} growing "
                       f"{growth['value']:g}% a year implies about {base:.1f}{target['unit']} in {year} "
                       f"({path}{target['unit']} in {year + 1}-{target['target_year']})"}


def _remaining_growth(first: dict[str, Any], average: dict[str, Any] | None) -> dict[str, Any]:
    years = average["target_year"] - average["base_year"]
    rate = remaining_rate(first["value"], average["value"], years)
    start, end = first["target_year"] + 1, average["target_year"]
    return {"implied_year": end, "implied_value": None, "implied_unit": "%", "implied_rate_pct": rate,
            "consistent": rate >= 0,
            "finding": f"{first['value']:g}% in {first['target_year']} and {average['value']:g}% a year over "
                       f"{average['base_year'] + 1}-{end} leave about {rate:.1f}% a year for {start}-{end}"}


_RULES = {"maintained": _maintained, "stock_minus_flows": _stock_minus_flows,
          "base_from_cumulative_growth": _base_from_cumulative_growth, "remaining_growth": _remaining_growth}
