"""The document index: the fast scans give what a plain loop over the characters gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract.context import CLAUSE_END, SENTENCE_END, Doc, _quoted_spans
from tests.conftest import RAW, ROOT

TOKENS = ["一、", "二、", "(三)", "(十)", "1.", "2、", "3.5", "目标", "发展目标:", "主要目标", "任务", "。", ":", "\n",
          "\n", "  ", "\t", "　", "“", "”", "‘", "’", "「", "」", "『", "』", "《", "》", "〈", "〉", '"', '"', ";", "!",
          "?", ",", "、", "工业", "a", "bc", "10家", "x" * 25]
TEXT = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉", '"': '"'}
_HEADING = re.compile(r"\s*(?:(?P<l1>[一二三四五六七八九十]+、)|(?P<l2>\([一二三四五六七八九十]+\))|(?P<l3>\d+[.、](?!\d)))")


def _reference_quoted(norm: str) -> list[tuple[int, int]]:
    """The character loop of 49c543c."""
    spans, i, n = [], 0, len(norm)
    while i < n:
        close = _PAIRS.get(norm[i])
        if close is None:
            i += 1
            continue
        j, limit = i + 1, min(n, i + 31)
        while j < limit and norm[j] != close and norm[j] != "\n" and (close == '"' or norm[j] != norm[i]):
            j += 1
        if j < limit and norm[j] == close:
            spans.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return spans


def _reference_tiers(norm: str, line_starts: list[int]) -> list[int]:
    """The line loop of 49c543c."""
    stack: dict[int, str] = {}
    tiers = []
    for k, start in enumerate(line_starts):
        end = line_starts[k + 1] - 1 if k + 1 < len(line_starts) else len(norm)
        line = norm[start:min(end, start + 200)]
        m = _HEADING.match(line)
        if m:
            level = 1 if m.group("l1") else 2 if m.group("l2") else 3
            label = re.split(r"[。:]", line[m.end():], maxsplit=1)[0][:40]
            stack = {lv: lab for lv, lab in stack.items() if lv < level}
            stack[level] = label
        headline = any(re.search("目标", label) for label in stack.values())
        inline = re.match(r"\s*(?:发展目标|主要目标|总体目标|攻坚目标|目标任务)[:]", line) is not None
        tiers.append(1 if headline or inline else 2)
    return tiers


PLANS = [*sorted(RAW.glob("*.txt")), ROOT / "tests" / "data" / "unseen-plan.txt"]


@settings(max_examples=500, deadline=None)
@given(TEXT)
@example("一、目标\n二、x\n(一)发展目标:\n1.目标\n2.y")
@example('"a"b"c" “x“y”')
def test_boundaries_quotes_and_tiers_match_a_character_loop(norm: str) -> None:
    _check(norm)


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_the_plans_are_indexed_as_by_a_character_loop(plan) -> None:
    from mfgpolicy.extract.normalise import normalise

    _check(normalise(plan.read_text(encoding="utf-8")))


def _check(norm: str) -> None:
    doc = Doc.build(norm, norm)
    assert doc.sentence_ends == [i for i, ch in enumerate(norm) if ch in SENTENCE_END]
    assert doc.clause_ends == [i for i, ch in enumerate(norm) if ch in CLAUSE_END]
    assert doc.line_starts == [0] + [i + 1 for i, ch in enumerate(norm) if ch == "\n"]
    assert doc.quoted == _reference_quoted(norm) == _quoted_spans(norm)
    assert doc.tier_of_line == _reference_tiers(norm, doc.line_starts)


def test_long_lines_and_deep_whitespace() -> None:
    norm = " " * 199 + "一、发展目标\n" + "x" * 500 + "\n" + "  主要目标:1\n" + "“" + "a" * 40 + "”"
    doc = Doc.build(norm, norm)
    assert doc.tier_of_line == _reference_tiers(norm, doc.line_starts)
    assert doc.quoted == _reference_quoted(norm) == []
