"""The reading as columns (``reading_table``) reads every proposed target as ``reading.read`` does."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract import candidates, reading, rules_table
from mfgpolicy.extract.batch import Batch
from mfgpolicy.extract.numbers import Number
from mfgpolicy.extract.units import Unit
from tests.extract.test_extract_identical import PLANS

FIELDS = ("unit", "comparator", "hedge", "kind", "direction", "base_year", "base_year_stated", "target_year", "per_year",
          "scope", "tier", "quote_start", "quote_end", "indicator_start", "indicator_end", "notes")
WORDS = ["力争", "争取", "确保", "努力", "力争取", "努力争取", "到2020年", "到2022年底", "2021年,", "至2023年", "比2015年", "较2019年",
         "2022-2024年", "每年", "全年", "当年度", "年度", "年均", "年均增长", "三年", "12年来", "年内", "年底", "规上工业", "规模以上制造业",
         "全市", "制造业", "工业", "行业", "产业", "稀土材料相关行业达到", "突破", "超过", "不低于", "约", "近", "控制在", "达到", "达",
         "总量", "保持", "下降", "降低", "增长", "提高", "幅度", "率", "新增", "培育", "建设", "实施", "亩均", "人均", "年产", "年产值",
         "企业", "企业数近", "工厂", "技术中心", "的", "和", "及", "与", "或", "、", ",", "。", ";", ":", "\n", " ", "各", "以上", "以下", "左右",
         "(含)", "多", "余", "级", "一、发展目标\n", "二、重点任务\n", "1", "2", "8", "10", "2.5", "3-5", "1,200", "三", "十", "两",
         "家", "个", "项", "台", "%", "个百分点", "亿元", "万元", "万吨", "元/平方米", "指数达到", "96", "约束性"]
TEXT = st.lists(st.sampled_from(WORDS), max_size=45).map("".join)
PERIOD = st.one_of(st.none(), st.tuples(st.integers(2016, 2024), st.integers(2016, 2024)), st.just((2021, 2021)))


def assert_reading_as_python(texts: list[str], periods: list) -> None:
    from mfgpolicy.extract import reading_table

    batch = Batch.build(texts, periods)
    frame = rules_table.context_of(batch, candidates.table(batch, []))
    frame = frame.filter(~rules_table.reject(frame))
    read = reading_table.read_all(batch, frame)
    docs: dict = {}
    for row in read.iter_rows(named=True):
        if row["fallback"]:
            continue
        k = row["doc"]
        doc = docs.get(k) or docs.setdefault(k, batch.doc(k))
        lo = int(batch.starts[k])
        num = Number(row["start"] - lo, row["end"] - lo, row["value"], row["high"], row["chinese"])
        unit = Unit(row["unit_raw"], row["unit_end"] - lo, row["category"])
        quote_from = row["quote_from"] - lo if row["quote_from"] >= 0 else -1
        expected = reading.read(doc, num, unit, quote_from)._asdict()
        for name in ("quote_start", "quote_end", "indicator_start", "indicator_end"):
            expected[name] += lo
        got = {name: row[name] for name in FIELDS}
        assert got == expected, (doc.norm, num, unit)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, PERIOD), min_size=1, max_size=3))
@example([("力争到2020年,新增国家级技术中心1家,培育企业38家,争取新增省名牌产品30个以上", (2018, 2020))])
@example([("比重力争达到2.8%,新产品产值率达到40%以上", None)])
@example([("三年内,到2020年底,12年来,五年3家", (2018, 2020))])
@example([("新增10个\n主要任务", None)])  # the space after a unit may be a line break, before the count's noun
@example([("企业数近100家,约20家,全市控制在5%以内,与2020年相比下降3个百分点", (2021, 2023))])
def test_reading_as_python(plans: list) -> None:
    assert_reading_as_python([t for t, _ in plans], [p for _, p in plans])


@pytest.mark.parametrize("period", [None, (2018, 2020)])
def test_reading_of_the_real_plans(period) -> None:
    assert_reading_as_python([p.read_bytes().decode("utf-8") for p in PLANS], [period] * len(PLANS))
