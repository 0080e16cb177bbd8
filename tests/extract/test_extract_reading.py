"""Reading a target: comparator, hedge, kind, direction, years, per-year flag, scope, quote."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mfgpolicy.extract import extract_text


@pytest.mark.parametrize(
    ("sentence", "comparator"),
    [
        ("新增孵化器10家以上。", ">="),
        ("引进人才500人左右。", "~"),
        ("企业总数突破3000家。", ">="),
        ("贷款余额不低于200亿元。", ">="),
        ("煤炭消费量控制在300万吨以内。", "<="),
        ("新增孵化器10家。", "="),
        ("组织3-5场对接会。", "range"),
        ("新增100多家企业。", ">="),
    ],
)
def test_comparator(sentence: str, comparator: str, one: Callable) -> None:
    assert one(sentence)["comparator"] == comparator


def test_range_keeps_both_ends(one: Callable) -> None:
    row = one("创建1～2家国家级创新中心。")
    assert (row["value"], row["value_high"], row["comparator"]) == (1.0, 2.0, "range")


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("力争到2023年底,新增上市企业8家。", "力争"),
        ("力爭新增上市企業8家。", "力争"),
        ("确保完成工业投资500亿元。", "确保"),
        ("新增上市企业8家。", ""),
        # a hedge inside another clause's predicate stays there
        ("研发强度力争达到3%,新增上市企业8家。", ""),
    ],
)
def test_hedge(sentence: str, hedge: str) -> None:
    frame = extract_text(sentence, period=(2021, 2023))
    assert frame["hedge"].to_list()[-1] == hedge


@pytest.mark.parametrize(
    ("sentence", "kind", "direction", "per_year"),
    [
        ("工业增加值年均增长9%左右。", "annual_growth", "increase", True),
        ("单位工业增加值能耗比2020年下降14%。", "change_over_period", "decrease", False),
        ("规上工业增加值率达到22%。", "level", "reach", False),
        ("高新技术企业数突破1500家。", "count", "reach", False),
        ("新增高新技术企业300家。", "count", "increase", False),
        ("每年新增首台套产品20项。", "count", "increase", True),
        ("完成工业投资1200亿元。", "amount", "increase", False),
        ("全员劳动生产率达到30万元/人。", "level", "reach", False),
        ("企业研发投入占比提高2个百分点。", "change_over_period", "increase", False),
    ],
)
def test_kind_direction_per_year(sentence: str, kind: str, direction: str, per_year: bool, one: Callable) -> None:
    row = one(sentence)
    assert (row["kind"], row["direction"], row["per_year"]) == (kind, direction, per_year)


def test_percentage_points_unit(one: Callable) -> None:
    assert one("企业研发投入占比提高2个百分点。")["unit"] == "pp"


@pytest.mark.parametrize(
    ("sentence", "target_year"),
    [
        ("到2022年,新增企业10家。", 2022),
        ("至2022年,新增企业10家。", 2022),
        ("力争到2022年底,新增企业10家。", 2022),
        ("新增企业10家。", 2023),  # the plan end
    ],
)
def test_target_year(sentence: str, target_year: int, one: Callable) -> None:
    assert one(sentence, period=(2021, 2023))["target_year"] == target_year


def test_base_year_stated_and_implied(one: Callable) -> None:
    stated = one("单位工业增加值能耗比2020年下降14%。")
    implied = one("新增企业10家。")
    assert (stated["base_year"], stated["base_year_stated"]) == (2020, True)
    assert (implied["base_year"], implied["base_year_stated"]) == (2020, False)
    assert one("规上工业增加值率达到22%。")["base_year"] is None


def test_one_year_figure_in_a_longer_plan(one: Callable) -> None:
    row = one("2021年,技术改造投资增长20%。", period=(2021, 2023))
    assert (row["kind"], row["per_year"], row["target_year"], row["base_year"]) == ("annual_growth", True, 2021, 2020)


def test_one_year_plan_growth_is_annual(one: Callable) -> None:
    row = one("规上工业全员劳动生产率提高7%。", period=(2019, 2019))
    assert (row["kind"], row["per_year"], row["base_year"]) == ("annual_growth", True, 2018)


def test_cumulative_three_years_is_not_per_year(one: Callable) -> None:
    assert one("三年累计完成技改项目300个。")["per_year"] is False


def test_scope(one: Callable) -> None:
    assert one("规模以上工业亩均税收达到30万元。")["scope"] == "规上工业"
    assert one("规上制造业增加值率达到22%。")["scope"] == "规上制造业"
    assert one("全市新能源汽车产业达到800亿元的产值规模。")["scope"] == "新能源汽车产业"


def test_tier_from_headings() -> None:
    text = "一、主要目标\n到2023年,新增企业10家。\n二、重点任务\n(一)培育企业\n新增孵化器5家。\n"
    frame = extract_text(text, period=(2021, 2023))
    assert frame["tier"].to_list() == [1, 2]


def test_quote_is_verbatim_and_short() -> None:
    text = "到2023年,全市规上工业增加值年均增长8％以上,新增智能工厂20家。"
    frame = extract_text(text, period=(2021, 2023))
    for row in frame.iter_rows(named=True):
        assert text[row["char_start"]:row["char_end"]] == row["quote"]
    assert frame["quote"].to_list() == ["全市规上工业增加值年均增长8％以上", "新增智能工厂20家"]


def test_indicator_words(one: Callable) -> None:
    assert one("力争新增省级企业技术中心12家。")["indicator_zh"] == "省级企业技术中心"
    assert one("规上工业亩均税收达到30万元。")["indicator_zh"] == "规上工业亩均税收"


def test_binding_marker(one: Callable) -> None:
    assert one("单位工业增加值能耗下降14%(约束性)。")["binding"] == "binding"
    assert one("新增企业10家。")["binding"] == "unknown"
