"""Beyond the plans' own words: cited sources, observations, parent plans, achievement and escalation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

import mfgpolicy as mp
from mfgpolicy.checks import validate
from mfgpolicy.comparison.outcomes import achievement_table
from mfgpolicy.harmonise import harmonise
from mfgpolicy.harmonise.observed import observed_bases, required_rates
from mfgpolicy.read.curated import POLARS_TYPES
from mfgpolicy.schema import OBSERVATIONS, TARGETS
from tests.conftest import CURATED, edit_cell

DOCS = pl.DataFrame({"doc_id": ["d"], "period_start": [2021], "period_end": [2023], "date_issued": [date(2021, 12, 3)]},
                    schema={"doc_id": pl.String, "period_start": pl.Int32, "period_end": pl.Int32, "date_issued": pl.Date})


def _frame(table, rows: list[dict]) -> pl.DataFrame:
    types = {f.name: POLARS_TYPES[f.type] for f in table.fields}
    return pl.DataFrame([{c: r.get(c) for c in types} for r in rows], schema=types)


def _target(**cells) -> dict:
    return {"target_id": "t", "doc_id": "d", "city": "A", "indicator_key": "k", "indicator_zh": "x", "scope": "规上制造业",
            "kind": "level", "direction": "reach", "comparator": "=", "per_year": False, "unit": "万元/人",
            "value": 33.0, "target_year": 2023, **cells}


def _obs(**cells) -> dict:
    return {"observation_id": "o", "place": "A", "indicator_key": "k", "indicator_zh": "x", "year": 2020,
            "period": "full_year", "comparator": "=", "value": 23.5, "unit": "万元/人", "kind": "level",
            "scope": "规上制造业", "price_basis": "unstated", "source_id": "s", "locator": "here", "derived": False,
            **cells}


def test_an_observed_base_year_value_gives_a_level_its_rate() -> None:
    """Zhejiang: 33万元/人 by 2023 (规上制造业); 23.5 observed for 2020: (33/23.5) ** (1/3) − 1 = 11.98% a year."""
    targets = _frame(TARGETS, [_target()])
    observations = _frame(OBSERVATIONS, [_obs(), _obs(observation_id="other-scope", scope="规上工业", value=30.0),
                                         _obs(observation_id="other-year", year=2019, value=20.0)])
    bases = observed_bases(targets, DOCS, observations)
    assert bases.rows() == [("t", 23.5, 2020, "observed", "o")]
    row = harmonise(targets, DOCS, implied=bases).row(0, named=True)
    assert row["rule"] == "implied_from_observed_baseline" and row["base_value"] is None  # kept apart from stated
    assert row["annualised_pct"] == pytest.approx(11.9821, abs=1e-4)
    assert row["base_source"] == "observed, an outside source (observation o)"


def test_the_rate_still_required_after_the_last_observation_before_the_plan() -> None:
    """A level of 33 by 2023 with 26 observed for 2020 (plan issued December 2021: 2020 was known):
    (33/26) ** (1/3) − 1 = 1.26923 ** (1/3) − 1 = 8.27% a year. A 2021 observation was not known when the plan was issued."""
    targets = _frame(TARGETS, [_target(base_year=2019, base_year_stated=False)])
    observations = _frame(OBSERVATIONS, [_obs(value=26.0), _obs(observation_id="late", year=2021, value=30.0)])
    harmonised = harmonise(targets, DOCS)
    required = required_rates(harmonised, DOCS, observations).row(0, named=True)
    assert (required["observation_id"], required["years_left"]) == ("o", 3)
    assert required["required_pct"] == pytest.approx(8.2713, abs=1e-4)


@pytest.mark.parametrize(("comparator", "outcome", "status", "gap"), [
    (">=", 34.0, "met", 1.0), (">=", 32.0, "missed", -1.0), ("~", 31.5, "met", -1.5), ("~", 31.0, "missed", -2.0),
])
def test_a_level_is_met_when_the_outcome_reaches_its_commitment(comparator, outcome, status, gap) -> None:
    """About 33 (±5%: 31.35 … 34.65) is met by 31.5, missed by 31.0; at least 33 is missed by 32."""
    targets = harmonise(_frame(TARGETS, [_target(comparator=comparator)]), DOCS)
    observations = _frame(OBSERVATIONS, [_obs(year=2023, value=outcome)])
    row = achievement_table(targets, observations).row(0, named=True)
    assert (row["status"], row["gap"]) == (status, pytest.approx(gap))


def test_a_fall_is_scored_as_a_fall_and_other_outcomes_say_why_not() -> None:
    """下降10.4%以上 from 2020 to 2023: an observed change of −12% from 2020 meets it; an average yearly rate
    of −3% (= 0.97³ − 1 = −8.73%) misses it; a Jan–Nov figure or another population cannot score it."""
    energy = _target(kind="change_over_period", direction="decrease", comparator=">=", value=10.4, unit="%",
                     base_year=2020, base_year_stated=False, scope="工业")
    targets = harmonise(_frame(TARGETS, [energy]), DOCS)
    common = {"year": 2023, "base_year": 2020, "unit": "%", "scope": "工业"}
    observations = _frame(OBSERVATIONS, [
        _obs(observation_id="a", kind="change_over_period", value=-12.0, **common),
        _obs(observation_id="b", kind="average_annual_growth", value=-3.0, **common),
        _obs(observation_id="c", kind="change_over_period", value=-12.0, **{**common, "period": "Jan-Nov"}),
        _obs(observation_id="d", kind="change_over_period", value=-12.0, **{**common, "scope": "规上工业"}),
    ])
    rows = {r["observation_id"]: r for r in achievement_table(targets, observations).iter_rows(named=True)}
    assert (rows["a"]["status"], rows["a"]["outcome"]) == ("met", 12.0)
    assert rows["b"]["status"] == "missed" and rows["b"]["outcome"] == pytest.approx(8.7327, abs=1e-4)
    assert rows["c"]["status"] == "not_comparable" and "Jan-Nov" in rows["c"]["difference"]
    assert rows["d"]["status"] == "not_comparable" and "population differs" in rows["d"]["difference"]


def test_jinhua_against_the_provinces_plan() -> None:
    """The province asks 33万元/人 of 规上制造业 by 2023; Jinhua sets 22 (a third lower); both cut energy
    intensity 10.4% and set R&D above 2.3% of operating revenue; Jinhua's manufacturing investment grows
    15% a year against the province's 10%."""
    rows = {r["indicator_key"]: r for r in mp.escalation(city="Jinhua").iter_rows(named=True)
            if r["relation"] != "not_comparable" or r["indicator_key"] == "carbon_emissions_cut"}
    labour = rows["labour_productivity"]
    assert (labour["city_value"], labour["parent_value"], labour["relation"]) == (22.0, 33.0, "looser")
    assert labour["ratio"] == pytest.approx(-1 / 3)
    assert (rows["energy_intensity"]["relation"], rows["energy_intensity"]["measure"]) == ("same", "% a year")
    assert (rows["rd_share_revenue"]["relation"], rows["rd_share_revenue"]["city_value"]) == ("same", 2.3)
    investment = mp.escalation(city="Jinhua", indicator_key="manufacturing_investment").filter(
        pl.col("measure") == "% a year").row(0, named=True)
    assert (investment["city_value"], investment["parent_value"], investment["relation"]) == (15.0, 10.0, "tighter")
    assert "part of Zhejiang's total" in rows["carbon_emissions_cut"]["differences"]


def test_every_cited_figure_has_its_source_and_locator() -> None:
    sources = pl.read_csv(CURATED / "sources.csv", infer_schema=False)
    for table, key in (("observations", "observation_id"), ("cited_targets", "cited_target_id")):
        frame = pl.read_csv(CURATED / f"{table}.csv", infer_schema=False)
        assert frame.filter(pl.col("source_id").is_null() | pl.col("locator").is_null()).is_empty(), table
        assert set(frame["source_id"]) <= set(sources["source_id"]), table
    phoenix = pl.read_csv(CURATED / "cited_targets.csv", infer_schema=False).filter(
        pl.col("cited_doc_id") == "zhejiang-2021-phoenix")
    assert {"labour_productivity", "energy_intensity", "rd_share_revenue"} <= set(phoenix["indicator_key"])


def test_each_plan_link_is_quoted_in_the_plan_we_hold() -> None:
    links = pl.read_csv(CURATED / "plan_links.csv", infer_schema=False)
    assert dict(zip(links["doc_id"], links["cited_doc_id"]))["jinhua-2021"] == "zhejiang-2021-phoenix"
    assert {"yuyao-2018", "ningbo-2016", "ningbo-2022", "wenzhou-2018"} <= set(links["doc_id"])


@pytest.mark.parametrize(("table", "row", "column", "value", "words"), [
    ("observations", None, "source_id", "no-such-source", "not found in sources.source_id"),
    ("observations", None, "derived", "true", "a derived value says how it was derived"),
    ("observations", None, "kind", "growth_yoy", "is in %"),
    ("sources", None, "url", "not an address", "is not an http(s) address"),
    ("cited_targets", "zhejiang-2021-phoenix-t006", "comparator", "=", "disagrees with the comparator words"),
    ("cited_targets", "zhejiang-2021-phoenix-t003", "place", "Ningbo", "differs from its plan's place"),
    ("plan_links", "jinhua-2021-p01", "char_start", "10", "not the quote"),
    ("places", "Yuyao", "parent", "China", "a county sits in a prefecture"),
])
def test_cited_data_is_checked(project: Path, table: str, row: str | None, column: str, value: str,
                               words: str) -> None:
    key = {"observations": "observation_id", "sources": "source_id", "cited_targets": "cited_target_id",
           "plan_links": "link_id", "places": "place"}[table]
    if row is None:
        frame = pl.read_csv(project / "data" / "curated" / f"{table}.csv", infer_schema=False)
        candidates = frame
        if column == "derived":
            candidates = frame.filter(pl.col("derived") == "false")
        if column == "kind":
            candidates = frame.filter(pl.col("unit") != "%")
        row = candidates[key][0]
    edit_cell(project, table, row, column, value)
    problems = [p for p in validate(project) if p.table == f"{table}.csv" and p.row == row]
    assert any(words in p.message for p in problems), problems
