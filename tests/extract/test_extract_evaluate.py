"""Scoring against the curated targets: the match rule, and the aim on the five plans."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from mfgpolicy.extract import evaluate
from mfgpolicy.extract.evaluate import match, score


def _row(value: str, unit: str, start: int, end: int) -> dict:
    return {"value": value, "unit": unit, "char_start": start, "char_end": end}


def test_match_needs_value_unit_and_overlap() -> None:
    curated = [_row("10", "家", 5, 15)]
    assert match([_row(10.0, "家", 0, 6)], curated) == [(0, 0)]
    assert match([_row(10.0, "家", 0, 5)], curated) == []        # touching is not overlapping
    assert match([_row(11.0, "家", 5, 15)], curated) == []
    assert match([_row(10.0, "个", 5, 15)], curated) == []
    assert match([_row(10.0, "萬元／人", 5, 15)], [_row("10", "万元/人", 5, 15)]) == [(0, 0)]


def test_each_curated_row_matches_at_most_once() -> None:
    curated = [_row("50", "家", 0, 10), _row("50", "家", 0, 10)]
    proposals = [_row(50.0, "家", 0, 10)] * 3
    assert len(match(proposals, curated)) == 2


def test_matching_is_maximal_not_greedy() -> None:
    proposals = [_row(5.0, "家", 0, 20), _row(5.0, "家", 0, 5)]
    curated = [_row("5", "家", 0, 5), _row("5", "家", 10, 20)]
    assert len(match(proposals, curated)) == 2


def test_score_counts_and_lists() -> None:
    proposals = pl.DataFrame([_row(1.0, "家", 0, 4), _row(2.0, "家", 5, 9)])
    curated = pl.DataFrame([_row("1", "家", 0, 4), _row("3", "家", 10, 14)])
    counts, misses, unmatched = score("d", proposals, curated)
    assert (counts["recall"], counts["precision"]) == (0.5, 0.5)
    assert misses[0]["value"] == "3" and unmatched[0]["value"] == 2.0


@pytest.mark.slow
def test_the_five_plans_reach_the_aim() -> None:
    result = evaluate()
    assert result.meets_aim(), result.report()
    assert set(result.per_doc["doc_id"]) >= {"yuyao-2018", "jinhua-2021", "wenzhou-2018", "ningbo-2022", "ningbo-2016"}


def test_staging_files_are_used_when_targets_csv_is_missing(tmp_path: Path) -> None:
    raw, curated = tmp_path / "data" / "raw", tmp_path / "data" / "curated"
    raw.mkdir(parents=True)
    (curated / "_staging").mkdir(parents=True)
    text = "到2020年,新增智能工厂10家,培育企业5家。"
    (raw / "demo.txt").write_text(text, encoding="utf-8")
    (raw / "demo.meta.yml").write_text("doc_id: demo\nperiod_start: 2018\nperiod_end: 2020\n", encoding="utf-8")
    (raw / "other.txt").write_text("新增企业3家。", encoding="utf-8")
    start = text.index("新增")
    pl.DataFrame({"target_id": ["demo-t001"], "doc_id": ["demo"], "value": ["10"], "unit": ["家"],
                  "char_start": [str(start)], "char_end": [str(start + 8)], "quote": [text[start:start + 8]]}
                 ).write_csv(curated / "_staging" / "demo.targets.csv")
    result = evaluate(tmp_path)
    assert "_staging" in result.source
    assert result.overall == {"curated": 1, "proposed": 2, "found": 1, "correct": 1, "recall": 1.0, "precision": 0.5}
    assert "not scored" in result.report()  # "other" has no curated rows
    shutil.copy(curated / "_staging" / "demo.targets.csv", curated / "targets.csv")
    assert evaluate(tmp_path).source.endswith("targets.csv")
