"""Many plans indexed at once (``Batch``) give each plan the same index as ``Doc.build`` alone."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract.batch import Batch
from mfgpolicy.extract.context import Doc
from mfgpolicy.extract.normalise import normalise
from tests.conftest import RAW
from tests.extract.test_extract_identical import PLANS

FIELDS = ("text", "norm", "period", "sentence_ends", "clause_ends", "line_starts", "quoted", "years", "year_starts",
          "year_ends", "target_years", "target_year_ends", "tier_of_line")
TOKENS = ["2020", "2018", "1999", "2021-2023", "2019 - 2020", "年", "年底", "年末", "年度", "月", "到", "力争到", "争取", "截止到",
          "比", "较", "于", "至", "-", "~", " ", "  ", "\t", "\n", "\u3000", "\x1c", ",", ":", "。", ";", "“", "”", "《", "》",
          '"', "「", "」", "(", ")", "一、", "(二)", "3.", "12、", "三", "目标", "发展目标:", "主要目标", "重点任务", "工作要点",
          "2018年工作要点", "(2018-2020年)", "٢٠٢٠", "20٢٠", "𝟐𝟎𝟐𝟎", "𠀀", "企业", "新增", "10", "家", "%", " " * 12,
          "一二三四五六七八九十", "12345678901234567890", "(一二三四五六七八九十)", "发展目标,主要任务和工作目标", "。目标"]
PLAN = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
PERIOD = st.one_of(st.none(), st.tuples(st.integers(2015, 2025), st.integers(2015, 2025)))


def assert_same_index(texts: list[str], periods: list[tuple[int, int] | None]) -> None:
    batch = Batch.build(texts, periods)
    for k, (text, period) in enumerate(zip(texts, periods)):
        alone, here = Doc.build(text, normalise(text), period), batch.doc(k)
        for name in FIELDS:
            assert getattr(here, name) == getattr(alone, name), (k, name)
        assert here.flags.tolist() == alone.flags.tolist()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PLAN, PERIOD), min_size=1, max_size=4))
@example([("到2020", None), ("年,新增", None)])  # a phrase must not run on into the next plan
@example([("“3511", None), ("”工程", None)])
@example([("一、发展目标\n到2020年", None), ("新增10家", None)])  # nor a heading's tier
def test_batch_indexes_each_plan_as_doc_build(plans: list[tuple[str, tuple[int, int] | None]]) -> None:
    assert_same_index([t for t, _ in plans], [p for _, p in plans])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=3))
def test_batch_of_arbitrary_text(texts: list[str]) -> None:
    assert_same_index(texts, [None] * len(texts))


def test_batch_of_the_real_plans() -> None:
    texts = [p.read_bytes().decode("utf-8") for p in PLANS]
    assert_same_index(texts, [None] * len(texts))
    assert_same_index(texts, [(2018, 2020)] * len(texts))
    assert RAW.is_dir()
