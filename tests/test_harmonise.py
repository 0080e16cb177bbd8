"""Harmonisation arithmetic: properties (hypothesis) and worked examples from the real plans."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfgpolicy.harmonise import (
    annualise,
    cumulate,
    five_year_plan,
    harmonise,
    implied_path,
    implied_rate,
    pp_per_year,
)
from mfgpolicy.read.curated import POLARS_TYPES
from mfgpolicy.schema import TARGETS

changes = st.floats(min_value=-95, max_value=500, allow_nan=False)
spans = st.integers(min_value=1, max_value=15)
levels = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)


@given(changes, spans)
def test_compounding_the_annual_rate_returns_the_cumulative_change(change: float, years: int) -> None:
    assert cumulate(annualise(change, years), years) == pytest.approx(change, abs=1e-6)


@given(changes, spans)
def test_reductions_give_negative_rates_and_increases_positive(change: float, years: int) -> None:
    rate = annualise(change, years)
    assert rate * change >= 0  # same sign (a change too small to represent gives a zero rate)
    assert (rate < 0) == (change < 0) or abs(change) < 1e-12


@given(changes, spans)
def test_linear_rate_times_years_is_the_cumulative_change(change: float, years: int) -> None:
    assert annualise(change, years, rule="linear") * years == pytest.approx(change)


@given(levels, levels, st.integers(2000, 2030), spans, st.sampled_from(["compound", "linear"]))
def test_paths_start_at_baseline_and_end_at_target(base: float, target: float, base_year: int, years: int,
                                                    rule: str) -> None:
    path = implied_path(base, target, base_year, base_year + years, rule=rule)
    assert [y for y, _ in path] == list(range(base_year, base_year + years + 1))
    assert path[0] == (base_year, base) and path[-1] == (base_year + years, target)
    values = [v for _, v in path]
    assert values == sorted(values) or values == sorted(values, reverse=True)  # monotone


@given(levels, levels, spans)
def test_implied_rate_compounds_from_base_to_target(base: float, target: float, years: int) -> None:
    # rel 1e-6: the rate is carried in percent, which costs digits when target/base is extreme
    assert base * (1 + implied_rate(base, target, years) / 100) ** years == pytest.approx(target, rel=1e-6)


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100), spans)
def test_pp_per_year_times_years_is_the_change_in_points(base: float, target: float, years: int) -> None:
    assert pp_per_year(base, target, years) * years == pytest.approx(target - base, abs=1e-9)


def _targets(**columns: list) -> pl.DataFrame:
    """A targets table with every declared column: the given ones, sensible defaults, nulls for the rest."""
    n = len(next(iter(columns.values())))
    defaults = {
        "target_id": [f"t{i}" for i in range(n)], "doc_id": ["d"] * n, "comparator": ["="] * n,
        "per_year": [False] * n, "unit": ["%"] * n, "direction": ["increase"] * n, "indicator_zh": ["x"] * n,
    }
    frame = {**defaults, **columns}
    types = {f.name: POLARS_TYPES[f.type] for f in TARGETS.fields}
    return pl.DataFrame({name: frame.get(name, [None] * n) for name in types}, schema=types)


DOCS = pl.DataFrame({"doc_id": ["d"], "period_start": [2018], "period_end": [2020]},
                    schema={"doc_id": pl.String, "period_start": pl.Int32, "period_end": pl.Int32})


@given(st.integers(1, 10_000), st.integers(1, 10))
def test_counts_per_year_times_years_is_the_plan_total(total: int, years: int) -> None:
    frame = _targets(kind=["count"], value=[float(total)], unit=["家"], base_year=[2020 - years], target_year=[2020])
    row = harmonise(frame, DOCS).row(0, named=True)
    assert row["rule"] == "count_per_year"
    assert row["per_year_value"] * years == pytest.approx(row["plan_total_value"])


def test_yuyao_energy_intensity_falls_3_89_percent_a_year() -> None:
    """Yuyao: 单位工业增加值能耗比2015年下降18%以上, target 2020.

    years = 2020 − 2015 = 5; (1 − 0.18) ** (1/5) = 0.82 ** 0.2 = 0.961087; −3.89% a year.
    """
    frame = _targets(kind=["change_over_period"], value=[18.0], direction=["decrease"], comparator=[">="],
                     base_year=[2015], target_year=[2020])
    row = harmonise(frame, DOCS).row(0, named=True)
    assert row["annualised_pct"] == pytest.approx(-3.8913, abs=1e-4)
    assert (row["years"], row["rule"], row["bound"], row["comparable"]) == (5, "compound_from_cumulative", "floor", True)


def test_ningbo_energy_intensity_falls_3_98_percent_a_year() -> None:
    """Ningbo 2016: 单位工业增加值能耗比2015年下降15%以上 by 2019.

    years = 4; 0.85 ** 0.25 = 0.960185; −3.98% a year: steeper than Yuyao's −3.89%.
    """
    frame = _targets(kind=["change_over_period"], value=[15.0], direction=["decrease"], base_year=[2015],
                     target_year=[2019])
    assert harmonise(frame, DOCS)["annualised_pct"][0] == pytest.approx(-3.9815, abs=1e-4)


def test_ningbo_firm_rd_share_rises_0_0625_points_a_year() -> None:
    """Ningbo 2016 annex: 规上制造业研发经费支出占主营业务收入比重 1.5% (2015) → 1.75% (2019).

    pp: (1.75 − 1.5) / 4 = 0.0625 a year; compound: (1.75/1.5) ** 0.25 = 1.039290, +3.93% a year.
    """
    frame = _targets(kind=["level"], value=[1.75], direction=["reach"], base_value=[1.5], base_year=[2015],
                     target_year=[2019])
    row = harmonise(frame, DOCS).row(0, named=True)
    assert row["pp_per_year"] == pytest.approx(0.0625)
    assert row["annualised_pct"] == pytest.approx(3.929, abs=1e-3)
    assert row["rule"] == "implied_from_baseline"


def test_stated_annual_growth_is_kept_and_one_year_plans_say_so() -> None:
    """Yuyao: 全员劳动生产率年均增长8%左右 (2017→2020) stays +8; a 2018-only rate is a one-year rate."""
    frame = _targets(kind=["annual_growth", "annual_growth"], value=[8.0, 15.0], comparator=["~", ">="],
                     base_year=[2017, 2017], target_year=[2020, 2018], per_year=[True, True])
    out = harmonise(frame, DOCS)
    assert out["annualised_pct"].to_list() == [8.0, 15.0]
    assert out["rule"].to_list() == ["stated_annual_rate", "one_year_rate"]
    assert out["bound"].to_list() == ["about", "floor"]


def test_levels_without_baselines_are_not_comparable_and_say_why() -> None:
    """Yuyao: R&D / GDP 力争达到2.8% by 2020 has no starting value, so no rate."""
    frame = _targets(kind=["level"], value=[2.8], direction=["reach"], target_year=[2020])
    row = harmonise(frame, DOCS).row(0, named=True)
    assert row["comparable"] is False and row["annualised_pct"] is None
    assert "no stated baseline value" in row["why_not"]


def test_per_year_counts_give_plan_totals_over_the_plan_length() -> None:
    """Jinhua: 每年新增首臺(套)裝備10項以上, 2021–2023 (base 2020): 10 × 3 = 30 over the plan."""
    frame = _targets(kind=["count"], value=[10.0], unit=["项"], per_year=[True], base_year=[2020], target_year=[2023])
    row = harmonise(frame, DOCS).row(0, named=True)
    assert (row["rule"], row["per_year_value"], row["plan_total_value"]) == ("count_times_years", 10.0, 30.0)


def test_harmonise_does_not_mutate_its_input() -> None:
    frame = _targets(kind=["level"], value=[2.8], direction=["reach"], target_year=[2020])
    before = frame.clone()
    harmonise(frame, DOCS)
    assert frame.equals(before)


def test_bad_arguments_get_clear_errors() -> None:
    with pytest.raises(ValueError, match="years must be positive"):
        annualise(-18, 0)
    with pytest.raises(ValueError, match="rule must be one of"):
        annualise(-18, 5, rule="geometric")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must come after"):
        implied_path(1, 2, 2020, 2020)


def test_bounds_follow_the_comparator_and_hedges_set_the_commitment() -> None:
    """≥2.0 → [2.0, open); ~8 → [7.6, 8.4] (±5%); =93 → [93, 93]; ≤5 → (open, 5]; 3-5 → [3, 5]."""
    frame = _targets(kind=["level"] * 5, value=[2.0, 8.0, 93.0, 5.0, 3.0], value_high=[None, None, None, None, 5.0],
                     comparator=[">=", "~", "=", "<=", "range"], hedge=["力争", None, "确保", None, None],
                     direction=["reach"] * 5, target_year=[2020] * 5)
    out = harmonise(frame, DOCS)
    assert out["bound_low"].to_list()[0:3] == pytest.approx([2.0, 7.6, 93.0])
    assert out["bound_low"][3] is None and out["bound_low"][4] == 3.0
    assert out["bound_high"][0] is None
    assert out["bound_high"].to_list()[1:] == pytest.approx([8.4, 93.0, 5.0, 5.0])
    assert out["commitment"].to_list() == ["aspirational", "stated", "firm", "stated", "stated"]


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.sampled_from(["=", ">=", "<=", "~"]))
def test_every_bound_contains_the_stated_value(value: float, comparator: str) -> None:
    frame = _targets(kind=["level"], value=[value], comparator=[comparator], direction=["reach"], target_year=[2020])
    row = harmonise(frame, DOCS).row(0, named=True)
    assert (row["bound_low"] is None or row["bound_low"] <= value) and (row["bound_high"] is None or value <= row["bound_high"])


def test_plan_vintage_names_the_five_year_plan() -> None:
    """2016–2020 is the 13th Five-Year Plan, 2021–2025 the 14th: Ningbo's 2019 targets and Jinhua's 2023."""
    assert [five_year_plan(y) for y in (2015, 2016, 2020, 2021, 2025)] == [
        "12th FYP (2011-2015)", "13th FYP (2016-2020)", "13th FYP (2016-2020)", "14th FYP (2021-2025)",
        "14th FYP (2021-2025)"]
    frame = _targets(kind=["level"] * 3, value=[1.0] * 3, direction=["reach"] * 3, target_year=[2019, 2023, 2025])
    assert harmonise(frame, DOCS)["plan_vintage"].to_list() == [five_year_plan(y) for y in (2019, 2023, 2025)]


def test_vectorised_paths_agree_with_implied_path() -> None:
    """Yuyao −18% 2015→2020 as an index; Ningbo's firm R&D share 1.5 → 1.75 (2015→2019) as values."""
    from mfgpolicy.harmonise import target_paths

    frame = _targets(kind=["change_over_period", "level"], value=[18.0, 1.75], direction=["decrease", "reach"],
                     base_value=[None, 1.5], base_year=[2015, 2015], target_year=[2020, 2019])
    paths = target_paths(harmonise(frame, DOCS))
    index = paths.filter(pl.col("target_id") == "t0")
    expected = implied_path(100.0, 82.0, 2015, 2020)
    assert index["year"].to_list() == [y for y, _ in expected]
    assert index["index"].to_list() == pytest.approx([v for _, v in expected])
    shares = paths.filter(pl.col("target_id") == "t1")
    assert shares["value"].to_list() == pytest.approx([v for _, v in implied_path(1.5, 1.75, 2015, 2019, rule="linear")])
    assert shares["value"][-1] == 1.75 and index["value"].is_null().all()


# ------------------------------------------------------------------------------------ sensitivity

rules = st.sampled_from(["change_over_period", "annual_growth", "level"])


@given(rules, st.floats(0.1, 40), st.floats(0.6, 1.6), st.integers(2005, 2019), st.integers(1, 8),
       st.sampled_from(["increase", "decrease", "reach"]))
def test_the_sensitivity_range_always_holds_the_central_value(kind, value, ratio, base_year, years,
                                                                direction) -> None:
    base_value = value / ratio  # a level between half and twice its baseline (plausible rates only)
    if kind == "level":
        direction = "reach"
    elif direction == "reach":
        direction = "increase"
    frame = _targets(kind=[kind], value=[value], base_value=[base_value if kind == "level" else None],
                     base_year=[base_year], target_year=[base_year + years], direction=[direction],
                     per_year=[kind == "annual_growth"])
    docs = pl.DataFrame({"doc_id": ["d"], "period_start": [base_year + 1], "period_end": [base_year + years + 1]},
                        schema={"doc_id": pl.String, "period_start": pl.Int32, "period_end": pl.Int32})
    row = harmonise(frame, docs).row(0, named=True)
    assert row["sensitivity_low"] - 1e-9 <= row["annualised_pct"] <= row["sensitivity_high"] + 1e-9
    if row["pp_per_year"] is not None:
        assert row["pp_sensitivity_low"] - 1e-9 <= row["pp_per_year"] <= row["pp_sensitivity_high"] + 1e-9
    assert row["rank_low"] - 1e-9 <= row["rank_value"] <= row["rank_high"] + 1e-9


def test_ningbo_energy_sensitivity_spans_compound_linear_and_the_three_year_effort() -> None:
    """Ningbo 2016: −15% from 2015 to 2019 (4 years); the text's own effort is 3 years (2017–2019).

    compound over 4: 0.85 ** (1/4) − 1 = −3.98%; over 3: 0.85 ** (1/3) − 1 = −5.27%;
    linear over 4: −15/4 = −3.75%; over 3: −5.0%. Range [−5.27, −3.75], central −3.98.
    """
    frame = _targets(kind=["change_over_period"], value=[15.0], direction=["decrease"], base_year=[2015],
                     target_year=[2019], doc_id=["n"])
    docs = pl.DataFrame({"doc_id": ["n"], "period_start": [2016], "period_end": [2019]},
                        schema={"doc_id": pl.String, "period_start": pl.Int32, "period_end": pl.Int32})
    spans = pl.DataFrame({"doc_id": ["n"], "first_year": [2017], "last_year": [2019]},
                         schema={"doc_id": pl.String, "first_year": pl.Int32, "last_year": pl.Int32})
    row = harmonise(frame, docs, spans=spans).row(0, named=True)
    assert row["annualised_pct"] == pytest.approx(-3.9815, abs=1e-4)
    assert (row["sensitivity_low"], row["sensitivity_high"]) == (pytest.approx(-5.2732, abs=1e-4), -3.75)
    assert harmonise(frame, docs).row(0, named=True)["sensitivity_low"] == pytest.approx(-3.9815, abs=1e-4)


def test_a_point_restated_as_a_floor_carries_the_floor() -> None:
    """Ningbo 2016: the annex writes 15% (=), the body 下降15%以上 (>=) for the same target: a floor."""
    frame = _targets(kind=["change_over_period"] * 2, value=[15.0, 15.0], direction=["decrease"] * 2,
                     comparator=["=", ">="], same_as=[None, "t0"], base_year=[2015] * 2, target_year=[2019] * 2)
    row = harmonise(frame, DOCS).row(0, named=True)
    assert (row["bound"], row["bound_low"], row["bound_high"]) == ("floor", 15.0, None)
    assert "t1 states the same value with >=" in row["bound_note"]


# ------------------------------------------------------------------------------------ implied by the plan


def test_what_the_plans_own_targets_imply() -> None:
    """Worked by hand:

    * Jinhua robots: 2.5万台 by 2023 less 3000台 a year × 3 = 25000 − 9000 = 16000 = 1.6万台 in 2020;
      (2.5 / 1.6) ** (1/3) − 1 = 16.04% a year.
    * Jinhua investment: 1200 / (1.15 + 1.15² + 1.15³) = 1200 / 3.993375 = 300.50亿 in 2020.
    * Ningbo 2022: 1.10³ / 1.25 = 1.0648; 1.0648 ** (1/2) − 1 = 3.19% a year for 2023–24.
    * 保持60%左右: the level is kept, so no change.
    """
    from mfgpolicy.harmonise.implied import evaluate, implied_bases

    frame = _targets(
        target_id=["stock", "flow", "amount", "growth", "first", "average", "kept"],
        kind=["count", "count", "amount", "annual_growth", "annual_growth", "annual_growth", "level"],
        direction=["reach", "increase", "increase", "increase", "increase", "increase", "reach"],
        value=[2.5, 3000.0, 1200.0, 15.0, 25.0, 10.0, 60.0], unit=["万台", "台", "亿元", "%", "%", "%", "%"],
        per_year=[False, True, False, True, True, True, False],
        base_year=[None, 2020, 2020, 2020, 2021, 2021, 2021], target_year=[2023, 2023, 2023, 2023, 2022, 2024, 2024])
    links = pl.DataFrame({"implication_id": ["i1", "i2", "i3", "i4"], "doc_id": ["d"] * 4,
                          "target_id": ["stock", "amount", "first", "kept"],
                          "other_target_id": ["flow", "growth", "average", None],
                          "rule": ["stock_minus_flows", "base_from_cumulative_growth", "remaining_growth", "maintained"],
                          "notes": ["x"] * 4})
    found = {r["rule"]: r for r in evaluate(frame, links).iter_rows(named=True)}
    assert found["stock_minus_flows"]["implied_value"] == pytest.approx(1.6)
    assert found["stock_minus_flows"]["implied_rate_pct"] == pytest.approx(16.0397, abs=1e-4)
    assert found["base_from_cumulative_growth"]["implied_value"] == pytest.approx(300.4977, abs=1e-4)
    assert found["remaining_growth"]["implied_rate_pct"] == pytest.approx(3.1891, abs=1e-4)
    assert "leave about 3.2% a year for 2023-2024" in found["remaining_growth"]["finding"]
    bases = implied_bases(evaluate(frame, links))
    assert sorted(bases["target_id"]) == ["kept", "stock"]  # findings only for the other two
    out = harmonise(frame, DOCS, implied=bases).filter(pl.col("target_id").is_in(["stock", "kept"]))
    assert out["rule"].to_list() == ["implied_from_plan_baseline"] * 2
    assert out["annualised_pct"].to_list() == pytest.approx([16.0397, 0.0], abs=1e-4)
    assert out["base_source"][0] == "implied by the plan's targets (stock_minus_flows)"


def test_a_flow_larger_than_the_stock_is_reported_as_a_conflict() -> None:
    from mfgpolicy.harmonise.implied import evaluate, implied_bases

    frame = _targets(target_id=["stock", "flow"], kind=["count", "count"], direction=["reach", "increase"],
                     value=[1.0, 5000.0], unit=["万台", "台"], per_year=[False, True], base_year=[None, 2020],
                     target_year=[2023, 2023])
    links = pl.DataFrame({"implication_id": ["i1"], "doc_id": ["d"], "target_id": ["stock"],
                          "other_target_id": ["flow"], "rule": ["stock_minus_flows"], "notes": ["x"]})
    found = evaluate(frame, links).row(0, named=True)
    assert found["consistent"] is False and "the two targets conflict" in found["finding"]
    assert implied_bases(evaluate(frame, links)).is_empty()
