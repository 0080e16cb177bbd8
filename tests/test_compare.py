"""The headline comparisons on the real data, and the same numbers from SQL and Python."""

from __future__ import annotations

import polars as pl
import pytest

from mfgpolicy.catalog import connect
from mfgpolicy.comparison import compare, coverage, rank
from mfgpolicy.errors import UnknownIndicatorError


@pytest.fixture(scope="module")
def con():
    return connect()


def _by_city(frame: pl.DataFrame, column: str) -> dict[str, object]:
    return dict(zip(frame["city"], frame[column]))


def test_energy_intensity_cuts_are_annualised_for_three_cities(con) -> None:
    """Yuyao −18% 2015→2020: 0.82 ** (1/5) − 1 = −3.891%; Ningbo −15% 2015→2019: 0.85 ** (1/4) − 1 = −3.982%;
    Jinhua −10.4% 2020→2023 (base year implied): 0.896 ** (1/3) − 1 = −3.594%. Wenzhou sets none."""
    frame = compare("energy_intensity", con=con)
    rates = _by_city(frame, "annualised_pct")
    assert rates["Yuyao"] == pytest.approx(-3.8913, abs=1e-4)
    assert rates["Ningbo"] == pytest.approx(-3.9815, abs=1e-4)
    assert rates["Jinhua"] == pytest.approx(-3.5943, abs=1e-4)
    wenzhou = frame.filter(pl.col("city") == "Wenzhou").row(0, named=True)
    assert wenzhou["comparable"] is False and "set no target on energy use" in wenzhou["why_not"]
    assert _by_city(frame, "base_year_stated")["Jinhua"] is False


def test_energy_ranking_puts_the_steepest_fall_first(con) -> None:
    ranked = rank("energy_intensity", con=con)
    assert ranked["city"].head(3).to_list() == ["Ningbo", "Yuyao", "Jinhua"]
    assert ranked.filter(pl.col("city") == "Wenzhou")["rank"].item() is None


def test_labour_productivity_growth(con) -> None:
    """Yuyao about 8%/yr (规上工业, 2018–2020); Ningbo about 8%/yr (规上制造业, 2016 plan);
    Wenzhou 8% in 2018 alone (a one-year rate); Jinhua only a level, 22万元/人, with no start point."""
    frame = compare("labour_productivity", con=con)
    rates = _by_city(frame, "annualised_pct")
    assert rates["Yuyao"] == rates["Ningbo"] == rates["Wenzhou"] == 8.0
    assert _by_city(frame, "rule")["Wenzhou"] == "one_year_rate"
    jinhua = frame.filter(pl.col("city") == "Jinhua").row(0, named=True)
    assert (jinhua["value"], jinhua["unit"], jinhua["comparable"]) == (22.0, "万元/人", False)
    assert "no stated baseline value" in jinhua["why_not"]
    assert "population: 规上工业 (others: 规上制造业)" in frame.filter(pl.col("city") == "Yuyao")["caveats"].item()
    assert "horizon: one year (others: " in frame.filter(pl.col("city") == "Wenzhou")["caveats"].item()


def test_rd_shares_of_gdp_and_of_revenue_are_kept_apart(con) -> None:
    """R&D/GDP: only Yuyao (力争 2.8% by 2020). Firms' R&D/revenue: Ningbo 1.5% → 1.75% (2015→2019):
    (1.75 − 1.5)/4 = 0.0625 pp a year; Yuyao ≥ 2.0% and Jinhua ≥ 2.3% are levels without baselines."""
    gdp = compare("rd_share_gdp", con=con)
    assert gdp.filter(pl.col("doc_id").is_not_null())["city"].to_list() == ["Yuyao"]
    assert _by_city(gdp, "hedge")["Yuyao"] == "力争"
    revenue = compare("rd_share_revenue", con=con)
    assert _by_city(revenue, "pp_per_year")["Ningbo"] == pytest.approx(0.0625)
    assert _by_city(revenue, "value") == {"Jinhua": 2.3, "Ningbo": 1.75, "Wenzhou": None, "Yuyao": 2.0}
    ranked = rank("rd_share_revenue", by="value", con=con)
    levels = ranked.filter(pl.col("rank_group") == "level (%)")
    assert levels.select("city", "rank").rows() == [("Jinhua", 1), ("Yuyao", 2)]
    assert ranked.filter(pl.col("city") == "Ningbo")["rank_group"].item() == "pp a year"  # never ranked with levels
    assert rank("rd_share_revenue", con=con).filter(pl.col("rank").is_not_null())["city"].to_list() == ["Ningbo"]


def test_every_row_is_explained(con) -> None:
    for key in ("labour_productivity", "energy_intensity", "rd_share_gdp", "rd_share_revenue"):
        frame = compare(key, con=con)
        assert frame.filter(~pl.col("comparable") & pl.col("why_not").is_null()).is_empty()
        assert frame.filter(pl.col("comparable") & pl.col("rule").is_null()).is_empty()
        assert frame.filter(pl.col("doc_id").is_not_null() & pl.col("quote").is_null()).is_empty()
        assert set(frame["city"]) == {"Jinhua", "Ningbo", "Wenzhou", "Yuyao"}


def test_sql_view_and_python_give_the_same_numbers(con) -> None:
    view = con.sql("""SELECT indicator_key, city, target_id, annualised_pct, pp_per_year
                      FROM headline_comparison ORDER BY ALL""").pl()
    python = pl.concat([compare(k, con=con) for k in view["indicator_key"].unique().sort()]).select(
        view.columns).sort(view.columns)
    assert view.equals(python)


def test_restatements_are_counted_once_but_can_be_shown(con) -> None:
    once = compare("energy_intensity", con=con).filter(pl.col("city") == "Ningbo")
    both = compare("energy_intensity", con=con, include_restatements=True).filter(pl.col("city") == "Ningbo")
    assert once.height == 1 and both.height == 2
    assert both["same_as"].drop_nulls().to_list() == once["target_id"].to_list()


def test_coverage_counts_targets_per_city(con) -> None:
    cov = coverage(con=con)
    energy = cov.filter(pl.col("indicator_key") == "energy_intensity").row(0, named=True)
    assert (energy["Yuyao"], energy["Wenzhou"], energy["n_cities"]) == (1, 0, 3)
    assert cov["n_cities"].max() <= 4


def test_unknown_indicator_lists_the_known_keys(con) -> None:
    with pytest.raises(UnknownIndicatorError, match="unknown indicator_key 'labor_productivity'.*labour_productivity"):
        compare("labor_productivity", con=con)


def test_a_missing_target_names_the_indicator_as_written_inside_a_sentence() -> None:
    rows = compare(["rd_share_gdp", "energy_intensity"])
    notes = set(rows.filter(pl.col("why_not").str.contains("set no target"))["why_not"])
    assert "this city's plans set no target on R&D expenditure as a share of GDP" in notes  # acronyms kept
    assert "this city's plans set no target on energy use per unit of industrial value added" in notes
