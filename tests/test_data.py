"""The real curated data: the corrections found by checking every headline number against the raw texts."""

from __future__ import annotations

import polars as pl
import pytest

from mfgpolicy.catalog import connect
from tests.conftest import CURATED, RAW


def _row(table: str, key: str, value: str) -> dict:
    frame = pl.read_csv(CURATED / f"{table}.csv", infer_schema=False)
    return frame.filter(pl.col(key) == value).row(0, named=True)


def test_jinhua_one_third_of_the_leaders_projects_is_a_target() -> None:
    """確保每年市縣長項目工程中制造業項目數不低于三分之一: ≥ 1/3, firm (确保), every year."""
    row = _row("targets", "quote", "確保每年市縣長項目工程中制造業項目數不低于三分之一")
    assert float(row["value"]) == pytest.approx(1 / 3) and row["unit"] == "fraction"
    assert (row["comparator"], row["hedge"], row["per_year"], row["target_year"]) == (">=", "确保", "true", "2023")
    text = (RAW / "jinhua-2021-phoenix-action.txt").read_text(encoding="utf-8")
    assert text[int(row["char_start"]):int(row["char_end"])] == row["quote"]


@pytest.mark.parametrize("target_id", ["ningbo-2016-t018", "ningbo-2016-t019", "ningbo-2016-t232", "ningbo-2016-t240"])
def test_zhengchuang_is_its_own_hedge(target_id: str) -> None:
    row = _row("targets", "target_id", target_id)
    assert row["hedge"] == "争创" and "争创" in row["notes"]
    con = connect()
    assert con.sql(f"SELECT commitment FROM targets_harmonised WHERE target_id = '{target_id}'").fetchall() == [
        ("aspirational",)]


def test_patents_are_per_ten_billion_yuan_of_revenue() -> None:
    assert _row("targets", "target_id", "ningbo-2016-t245")["unit"] == "件/百亿元"
    assert _row("baselines", "baseline_id", "ningbo-2016-b102")["unit"] == "件/百亿元"
    assert _row("indicators", "indicator_key", "invention_patents_per_10bn_revenue")["unit"] == "件/百亿元"


def test_the_two_quality_index_statements_are_a_visible_conflict() -> None:
    body = _row("targets", "target_id", "ningbo-2016-t234")
    assert body["same_as"] is None and body["conflicts_with"] == "ningbo-2016-t246"
    rows = connect().sql("""SELECT target_id, conflict_note FROM comparison
                            WHERE indicator_key = 'quality_competitiveness_index' AND target_id IS NOT NULL
                            ORDER BY target_id""").fetchall()
    assert [r[0] for r in rows] == ["ningbo-2016-t234", "ningbo-2016-t246"]
    assert all("twice with different numbers" in r[1] for r in rows)


@pytest.mark.parametrize("target_id", ["ningbo-2016-t004", "ningbo-2016-t005"])
def test_graphene_orders_of_magnitude_are_floors(target_id: str) -> None:
    row = _row("targets", "target_id", target_id)
    assert row["comparator"] == ">=" and "级" in row["quote"]


def test_yuyaos_county_level_high_growth_firms_have_their_own_key() -> None:
    assert _row("targets", "target_id", "yuyao-2018-t015")["indicator_key"] == "county_high_growth_firms"
    setters = connect().sql("SELECT DISTINCT city FROM targets WHERE indicator_key = 'high_growth_firms'").fetchall()
    assert setters == [("Ningbo",)]


def test_a_baseline_says_whether_it_is_a_level_or_a_rate() -> None:
    row = _row("baselines", "baseline_id", "ningbo-2016-b105")
    assert (row["kind"], row["unit"], row["indicator_key"]) == ("annual_growth", "%", "labour_productivity")
    kinds = pl.read_csv(CURATED / "baselines.csv", infer_schema=False)["kind"].value_counts()
    assert dict(kinds.rows()) == {"level": 9, "annual_growth": 1}


def test_the_annex_point_carries_the_bodys_floor() -> None:
    """Annex: 15% (ningbo-2016-t252); body: 比2015年下降15%以上 (t225, its restatement): a floor."""
    row = connect().sql("""SELECT bound, bound_low, bound_high, bound_note FROM targets_harmonised
                           WHERE target_id = 'ningbo-2016-t252'""").pl().row(0, named=True)
    assert (row["bound"], row["bound_low"], row["bound_high"]) == ("floor", 15.0, None)
    assert "ningbo-2016-t225" in row["bound_note"]


def test_price_bases_are_never_a_guess() -> None:
    """No plan states a price basis, so every indicator involving money or growth says unstated."""
    bases = set(pl.read_csv(CURATED / "indicators.csv", infer_schema=False)["price_basis"])
    assert bases == {"unstated", "not_applicable"}
