"""The columnar pass over many plans gives, plan by plan, the frame of the Python rules.

``columnar.extract`` (what ``extract_text`` and ``extract_files`` run) is compared with
``core.rows_of`` on each plan alone (the per-candidate Python rules it falls back to), on
generated plans and on the real ones, so that the two cannot drift apart.
"""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract import columnar
from mfgpolicy.extract.context import Doc
from mfgpolicy.extract.core import empty_frame, frame_of, rows_of
from mfgpolicy.extract.normalise import normalise
from tests.extract.test_extract_identical import PLANS
from tests.extract.test_extract_reading_table import WORDS as READING_WORDS
from tests.extract.test_extract_rules_table import WORDS as RULE_WORDS

TABLE = ["\n主要指标\t2015年基数\t2020年目标\n", "规上工业增加值(亿元)\t100\t150\n", "研发投入占比(%)\t2.1\t2.5\n", "单位\t",
         "(约束性)", "(预期性)", "鹿城、苍南各5家", "A、B和C各10个"]
TEXT = st.lists(st.sampled_from(sorted({*READING_WORDS, *RULE_WORDS, *TABLE})), max_size=50).map("".join)
PERIOD = st.one_of(st.none(), st.tuples(st.integers(2016, 2024), st.integers(2016, 2024)))


def by_python(plans: list[columnar.Plan]) -> pl.DataFrame:
    frames = [frame_of(rows_of([(Doc.build(p.text, normalise(p.text), p.period), p.doc_id, p.city)])) for p in plans]
    return pl.concat(frames) if frames else empty_frame()


def assert_as_python(plans: list[columnar.Plan]) -> None:
    got, expected = columnar.extract(plans, columns_from=0), by_python(plans)
    assert got.to_dicts() == expected.to_dicts()
    assert got.schema == expected.schema


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, PERIOD, st.sampled_from(["", "a-2020"]), st.sampled_from(["", "Ningbo"])),
                min_size=1, max_size=4))
@example([("企" * 400 + "新增企业10家", None, "", "")])  # a clause longer than MAX_CONTEXT: the Python rules
@example([("\ud800。新增企业10家", None, "x", "")])  # polars holds no lone surrogate: the Python rules
@example([("鹿城、苍南各5家,A、B和C各10个(约束性)", (2021, 2023), "", "")])
def test_columns_as_the_python_rules(plans: list) -> None:
    assert_as_python([columnar.Plan(*p) for p in plans])


def test_columns_as_the_python_rules_on_the_real_plans() -> None:
    plans = [columnar.Plan(p.read_bytes().decode("utf-8"), None, p.stem, "") for p in PLANS]
    assert_as_python(plans)
    assert_as_python([p._replace(period=(2018, 2020)) for p in plans])


def test_plans_too_short_for_the_columns_go_through_the_python_rules(monkeypatch) -> None:
    asked: list[int] = []
    monkeypatch.setattr(columnar, "_by_columns", lambda plans, *_: asked.append(len(plans)) or [])
    short = columnar.Plan("新增企业10家。", None, "", "")
    assert columnar.extract([short]).height == 1 and asked == []
    columnar.extract([short._replace(text=short.text * (columnar.COLUMNS_FROM // 8 + 1))])
    assert asked == [1]
