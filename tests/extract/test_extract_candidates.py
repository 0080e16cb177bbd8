"""The candidate pass over a batch finds, in every plan, the numbers with a unit the per-plan scans find."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract import candidates, core
from mfgpolicy.extract.batch import Batch
from mfgpolicy.extract.context import Doc
from mfgpolicy.extract.normalise import normalise
from tests.extract.test_extract_identical import PLANS

TOKENS = ["1", "2", "0", "9", "12", "2020", "1,200", "1,2345", ",", "12,345,678", ".", "1.5", "3.", "-", "~", "—", "至", "到",
          " ", "\n", "\t", "3-5", "5-3", "2018-2020", "1.5-2.5", "3 - 5", "0.1", "٣", "𝟑", "0000000000000000001",
          "123456789012345678", "多", "余", "一", "二", "两", "十", "百", "千", "万", "亿", "零", "〇", "三四", "家", "个", "%",
          "万元", "亿元/人", "元/人", "元", "/亩", "/平方米", "美元", "吨", "吨/年", "万吨标准煤", "个百分点", "百分点", "级",
          "台(套)", "MW", "kW", "千万", "百万", "万亿", "千瓦时", "指数达到", "指数为", "指数", "第", "年", "“", "”"]
TEXT = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


def _per_plan(texts: list[str], batch: Batch) -> list[tuple]:
    out = []
    for k, text in enumerate(texts):
        doc, lo = Doc.build(text, normalise(text)), int(batch.starts[k])
        for n in core._numbers(doc, []):
            u = core._unit(doc, n)
            if u is not None:
                out.append((k, lo + n.start, lo + n.end, n.value, n.value_high, n.chinese, u.text, lo + u.end,
                            u.category))
    return out


def _at_once(batch: Batch) -> list[tuple]:
    return candidates.table(batch, []).rows()


def assert_same_candidates(texts: list[str]) -> None:
    batch = Batch.build(texts)
    assert _at_once(batch) == _per_plan(texts, batch)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=4))
@example(["3", "-5家"])  # a range does not run on into the next plan
@example(["指数", "达到5"])
@example(["1,200.5万元,1,2345家,0.30%"])
def test_numbers_and_units_as_the_per_plan_scans(texts: list[str]) -> None:
    assert_same_candidates(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=3))
def test_numbers_and_units_of_arbitrary_text(texts: list[str]) -> None:
    assert_same_candidates(texts)


def test_numbers_and_units_of_the_real_plans() -> None:
    assert_same_candidates([p.read_bytes().decode("utf-8") for p in PLANS])
