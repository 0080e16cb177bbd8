"""Ranking guards: rows rank only against rows that compare, counties never against their prefecture's counts,
and ``robust`` only when no convention or bound could swap a row with its neighbour."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfgpolicy.catalog import connect
from mfgpolicy.comparison import rank
from mfgpolicy.comparison.ranking import ranking_table
from mfgpolicy.comparison.table import comparison_table
from mfgpolicy.harmonise import harmonise
from mfgpolicy.read.curated import POLARS_TYPES
from mfgpolicy.schema import TARGETS

CITIES = pl.DataFrame({"city": ["Big", "Small", "Other"], "gb2260_code": [330200, 330281, 330300],
                       "admin_level": ["prefecture-level city", "county-level city", "prefecture-level city"],
                       "parent": ["Zhejiang", "Big", "Zhejiang"]}, schema_overrides={"gb2260_code": pl.Int32})
INDICATORS = pl.DataFrame({"indicator_key": ["k"], "name_en": ["K"], "unit": ["家"], "more_ambitious": ["higher"],
                           "price_basis": ["not_applicable"]})
DOCS = pl.DataFrame({"doc_id": ["d"], "period_start": [2018], "period_end": [2020]},
                    schema={"doc_id": pl.String, "period_start": pl.Int32, "period_end": pl.Int32})

SHAPES = [  # (kind, direction, unit, per_year, base_value)
    ("count", "increase", "家", True, None), ("count", "increase", "家", False, None),
    ("count", "increase", "万家", False, None), ("count", "reach", "家", False, None),
    ("count", "reach", "个", False, 10.0), ("annual_growth", "increase", "%", True, None),
    ("change_over_period", "decrease", "%", False, None), ("level", "reach", "%", False, 20.0),
    ("level", "reach", "%", False, None), ("amount", "increase", "台", True, None),
]


@st.composite
def comparisons(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(2, 9))
    rows = []
    for i in range(n):
        kind, direction, unit, per_year, base = draw(st.sampled_from(SHAPES))
        value = draw(st.floats(1, 30)) if unit == "%" else float(draw(st.integers(1, 200)))
        rows.append({"target_id": f"t{i}", "doc_id": "d", "city": draw(st.sampled_from(list(CITIES["city"]))),
                     "indicator_key": "k", "indicator_zh": "x", "kind": kind, "direction": direction, "unit": unit,
                     "per_year": per_year, "base_value": base, "value": value, "base_year": 2017, "target_year": 2020,
                     "comparator": draw(st.sampled_from(["=", ">=", "~"])), "scope": "全市"})
    types = {f.name: POLARS_TYPES[f.type] for f in TARGETS.fields}
    targets = pl.DataFrame([{c: r.get(c) for c in types} for r in rows], schema=types)
    return comparison_table(harmonise(targets, DOCS, INDICATORS), CITIES, INDICATORS)


@settings(max_examples=150, deadline=None)
@given(comparisons())
def test_rankings_never_mix_measures_units_or_a_county_with_its_prefectures_counts(comparison) -> None:
    ranked = ranking_table(comparison, INDICATORS).filter(pl.col("rank").is_not_null())
    for (group,), rows in ranked.group_by("rank_group"):
        assert rows["rank_measure"].n_unique() == 1, group
        if rows["rank_measure"][0] in ("new a year", "level"):
            assert rows["base_unit"].n_unique() == 1, group
        assert rows["rank_measure"][0] != "level"  # levels rank only when asked
        counties = rows.filter(pl.col("parent").is_not_null() & pl.col("form").is_in(["flow", "stock"]))
        assert not set(counties["parent"]) & set(rows["city"]), "a county ranked against its prefecture's counts"
        ordered = rows.sort("rank")
        assert ordered["rank_value"].to_list() == sorted(ordered["rank_value"].to_list(), reverse=True)
        for above, below in zip(ordered.iter_rows(named=True), ordered[1:].iter_rows(named=True)):
            if above["robust"] and below["robust"]:
                assert above["rank_low"] > below["rank_high"], "robust rows whose ranges overlap"


def test_robots_rank_flows_per_year_and_never_against_the_stock() -> None:
    """Jinhua: 3000台 a year and a stock of 2.5万台; Wenzhou 1200台 a year (2018 only)."""
    ranked = rank("industrial_robots", con=connect())
    flows = ranked.filter(pl.col("rank_group") == "new a year (台)")
    assert flows.select("city", "rank_value", "rank").rows() == [("Jinhua", 3000.0, 1), ("Wenzhou", 1200.0, 2)]
    stock = ranked.filter(pl.col("value") == 2.5).row(0, named=True)
    assert stock["rank_group"] == "% a year"  # its rate, from the base the plan implies (1.6万台 in 2020)
    assert stock["rank_value"] == pytest.approx(16.04, abs=0.01)


def test_a_county_is_not_ranked_against_its_prefectures_count() -> None:
    """Yuyao's 8 municipal champion demonstration firms are among Ningbo's 40."""
    ranked = rank("municipal_champion_demo_firms", con=connect())
    yuyao = ranked.filter(pl.col("city") == "Yuyao").row(0, named=True)
    assert yuyao["rank"] is None and yuyao["parent"] == "Ningbo"
    assert yuyao["rank_note"] == "not ranked against Ningbo: Yuyao is inside it and their counts overlap"


def test_energy_order_is_not_robust_to_the_conventions() -> None:
    """Ningbo −3.98 (−5.27…−3.75) and Yuyao −3.89 (−6.40…−3.60) overlap: their order could swap."""
    ranked = rank("energy_intensity", con=connect()).filter(pl.col("rank").is_not_null())
    assert ranked.select("city", "robust").rows() == [("Ningbo", False), ("Yuyao", False), ("Jinhua", True)]
    assert "could swap with Yuyao" in ranked["rank_note"][0]
