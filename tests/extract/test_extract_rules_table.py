"""Each reject rule as a column (``rules_table``) judges every candidate as its Python form does."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract import candidates, rules, rules_table
from mfgpolicy.extract.batch import Batch
from mfgpolicy.extract.numbers import Number
from mfgpolicy.extract.units import Unit
from tests.extract.test_extract_identical import PLANS

WORDS = ["新增", "培育", "建成", "达到", "形成", "一批", "若干", "一系列", "的", "已", "现有", "目前", "根据", "按照", "年产", "年产值",
         "年生产", "年生产总值", "日处理", "产能", "生产能力", "项目", "第", "〔", "〕", "号", "月", "日", ":", "时", "“", "”", "O", "G",
         "MW", "级", "千吨级", "以上", "以下", "(含)", "及", "和", "规模", "产值", "、", ",", "。", ";", "\n", " ", "\t", "(", ")",
         ".", "1.", "3、", "到2020年", "2018年", "比2015年", "2022-2024年", "力争", "企业", "工厂", "鹿城", "苍南", "2", "3", "10",
         "1~2", "3-5", "5000", "1.5", "三", "十", "两", "千", "百万", "亿元", "万元", "家", "个", "项", "%", "吨", "台", "平方米",
         "指数达到", "96", "大", "星", "٣", "١", "或", "与", "苍南东西区", "形成千吨级", "达到百亿级", "已建成", "截至目前"]
TEXT = st.lists(st.sampled_from(WORDS), max_size=40).map("".join)
PERIOD = st.one_of(st.none(), st.tuples(st.integers(2016, 2024), st.integers(2016, 2024)))


def assert_rules_as_python(texts: list[str], periods: list) -> None:
    batch = Batch.build(texts, periods)
    frame = rules_table.context_of(batch, candidates.table(batch, []))
    judged = frame.select(**rules_table.rules()).fill_null(False)
    docs = {}
    for i, row in enumerate(frame.iter_rows(named=True)):
        if row["fallback"]:
            continue
        k = row["doc"]
        doc = docs.get(k) or docs.setdefault(k, batch.doc(k))
        lo = int(batch.starts[k])
        num = Number(row["start"] - lo, row["end"] - lo, row["value"], row["high"], row["chinese"])
        unit = Unit(row["unit"], row["unit_end"] - lo, row["category"])
        for rule in rules.REJECT_RULES:
            assert bool(rule(doc, num, unit)) == judged[rule.__name__][i], (rule.__name__, doc.norm, num, unit)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, PERIOD), min_size=1, max_size=3))
@example([("新增\n5家", None)])
@example([("指导鹿城、苍南2个省级试点区域", None)])
@example([("指导鹿城、苍南东西区2个试点,鹿城、苍南、瓯海3个区", None)])  # items of five characters are no list
@example([("形成千吨级生产线,达到万吨级", None)])
@example([("投资10亿元或以上,20亿元和30亿元的产值规模", None)])
@example([("达到千吨级石墨烯微片(粉体)、百万平米级石墨烯薄膜卷材的规模生产", None)])
def test_each_rule_as_its_python_form(plans: list) -> None:
    assert_rules_as_python([t for t, _ in plans], [p for _, p in plans])


@pytest.mark.parametrize("period", [None, (2018, 2020)])
def test_each_rule_on_the_real_plans(period) -> None:
    assert_rules_as_python([p.read_bytes().decode("utf-8") for p in PLANS], [period] * len(PLANS))
