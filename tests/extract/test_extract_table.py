"""Targets in a flattened annex table (one cell per line, or cells split by tabs)."""

from __future__ import annotations

from mfgpolicy.extract import extract_text

ONE_CELL_PER_LINE = """附件

重点指标表

类别

指标

2020年

基数

2023年

目标值

牵头部门

效益

规上工业亩产税收(万元/亩)

25

32

市经信局

规上工业增加值增速(%)

6.5

年均8以上

市统计局

绿色

单位工业增加值能耗下降(%)

——

13.5

市发改委

数字经济发展指数

80.2

88

市经信局
"""


def test_one_cell_per_line() -> None:
    frame = extract_text(ONE_CELL_PER_LINE, period=(2021, 2023))
    rows = frame.select("value", "unit", "kind", "comparator", "target_year", "tier").rows()
    assert rows == [
        (32.0, "万元/亩", "level", "=", 2023, 1),
        (8.0, "%", "annual_growth", ">=", 2023, 1),
        (13.5, "%", "change_over_period", "=", 2023, 1),
        (88.0, "index", "level", "=", 2023, 1),
    ]


def test_baselines_are_not_proposed_but_noted() -> None:
    frame = extract_text(ONE_CELL_PER_LINE, period=(2021, 2023))
    assert 25.0 not in frame["value"].to_list()
    assert "2020: 25" in frame["notes"][0]
    assert frame["base_year"].to_list() == [2020] * 4


def test_quote_runs_from_indicator_cell_to_value_cell() -> None:
    frame = extract_text(ONE_CELL_PER_LINE, period=(2021, 2023))
    assert frame["quote"][0] == "规上工业亩产税收(万元/亩)\n\n25\n\n32"
    for row in frame.iter_rows(named=True):
        assert ONE_CELL_PER_LINE[row["char_start"]:row["char_end"]] == row["quote"]


def test_tab_separated_rows_with_a_unit_column() -> None:
    text = "指标名称\t单位\t2022年\t2025年目标\t属性\n工业投资\t亿元\t400\t600\t预期性\n新增上市企业\t家\t3\t10\t约束性\n"
    frame = extract_text(text, period=(2023, 2025))
    assert frame.select("value", "unit", "kind", "binding").rows() == [
        (600.0, "亿元", "amount", "indicative"), (10.0, "家", "count", "binding")]


def test_a_lone_number_line_without_a_table_header_is_not_a_target() -> None:
    assert extract_text("展开全文\n2\n收藏\n", period=(2021, 2023)).height == 0
