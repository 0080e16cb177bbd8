"""Suggesting indicator keys: the indexed scan gives what a scan of every known name gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mfgpolicy.extract.indicators import _COMPILED, known_indicators, suggest

KNOWN = known_indicators()
NAMES = [name for _, name, _ in KNOWN]
PIECES = [*NAMES, *(n[:2] for n in NAMES), *(n[-3:] for n in NAMES), "全员劳动生产率", "R&D经费支出占GDP", "技术改造投资占",
          "工业增加值年均", "新增", "达到", "10", "家", "%", "亿元", "的产值规模"]
QUOTES = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)


def _reference(quote: str, indicator: str, unit: str, kind: str, known: tuple) -> tuple[str, float]:
    """The scan of 49c543c: every known name, then every synonym."""
    best: tuple[str, float] = ("", 0.0)
    for key, name, key_unit in known:
        if name and name in quote:
            confidence = min(0.9, 0.4 + 0.05 * len(name))
            if name == indicator:
                confidence = min(0.95, confidence + 0.1)
            if kind in ("level", "count", "amount") and key_unit and unit and key_unit != unit:
                confidence -= 0.2
            if confidence > best[1]:
                best = (key, round(confidence, 2))
    for key, patterns in _COMPILED.items():
        if any(p.search(quote) for p in patterns) and best[1] < 0.7:
            best = (key, 0.7)
    return best


@settings(max_examples=400, deadline=None)
@given(QUOTES, st.sampled_from(["", *NAMES[:40]]), st.sampled_from(["", "家", "个", "%", "亿元"]),
       st.sampled_from(["count", "level", "amount", "annual_growth"]))
def test_suggest_scores_like_a_scan_of_every_name(quote: str, indicator: str, unit: str, kind: str) -> None:
    assert suggest(quote, indicator, unit, kind, KNOWN) == _reference(quote, indicator, unit, kind, KNOWN)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(QUOTES, st.sampled_from(["", *NAMES[:40]]), st.sampled_from(["", "家", "%"]),
                          st.sampled_from(["count", "level", "annual_growth"])), max_size=12))
def test_suggest_many_scores_each_like_a_scan_of_every_name(questions: list[tuple[str, str, str, str]]) -> None:
    from mfgpolicy.extract.indicators import suggest_many

    assert suggest_many(questions, KNOWN) == [_reference(*q, KNOWN) for q in questions]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(QUOTES, st.sampled_from(["", *NAMES[:40]]), st.sampled_from(["", "家", "%"]),
                          st.sampled_from(["count", "level", "annual_growth"])), max_size=12))
def test_suggest_columns_scores_each_like_a_scan_of_every_name(questions: list[tuple[str, str, str, str]]) -> None:
    """The columns (what ``suggest_many`` uses for many candidates) score as the scan does."""
    import polars as pl

    from mfgpolicy.extract.indicators import suggest_columns

    columns = [pl.Series([q[k] for q in questions], dtype=pl.String) for k in range(4)]
    keys, confidence = suggest_columns(*columns, KNOWN)
    assert list(zip(keys.tolist(), confidence.tolist())) == [_reference(*q, KNOWN) for q in questions]
