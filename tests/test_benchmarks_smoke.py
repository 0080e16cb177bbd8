"""The benchmark code cannot rot: a tiny corpus is deterministic and both pipeline sides agree on it."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `benchmarks` sits beside the package, not inside it
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, peer, pipeline
from benchmarks.check import OutputsDiffer, assert_same
from mfgpolicy.checks import validate

N = 200


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.generate(tmp_path_factory.mktemp("corpus") / "root", N, seed=7)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_generator_is_deterministic(tiny: Path, tmp_path: Path) -> None:
    again = corpus.generate(tmp_path / "again", N, seed=7)
    other = corpus.generate(tmp_path / "other", N, seed=8)
    assert corpus.digest(again) == corpus.digest(tiny)
    assert corpus.digest(other) != corpus.digest(tiny)


def test_the_corpus_has_the_asked_size_and_is_valid(tiny: Path) -> None:
    targets = _rows(tiny / "data" / "curated" / "targets.csv")
    assert len(targets) == N
    assert len({t["doc_id"] for t in targets}) == len(list((tiny / "data" / "raw").glob("*.meta.yml")))
    assert {"level", "annual_growth", "change_over_period", "count", "amount"} <= {t["kind"] for t in targets}
    assert any(t["same_as"] for t in targets) and any(t["baseline_id"] for t in targets)
    assert validate(tiny) == []
    first = targets[0]
    text = (tiny / "data" / "raw" / f"{first['doc_id']}.txt").read_bytes().decode("utf-8")
    assert text[int(first["char_start"]):int(first["char_end"])] == first["quote"]


def test_mfgpolicy_and_the_pandas_peer_agree(tiny: Path, tmp_path: Path) -> None:
    for side in ("mfgpolicy", "pandas"):
        timings = pipeline.run(side, tiny, tmp_path / side)
        assert set(timings["seconds"]) == set(pipeline.STAGES)
    counts = assert_same(tmp_path / "mfgpolicy", tmp_path / "pandas")
    assert counts["problems"] == 0 and counts["harmonised"] == N
    assert counts["headline"] > 0 and counts["ranks"] == counts["headline"]


def test_a_difference_is_caught(tiny: Path, tmp_path: Path) -> None:
    for side in ("mfgpolicy", "pandas"):
        pipeline.run(side, tiny, tmp_path / side)
    import polars as pl

    ranks = pl.read_parquet(tmp_path / "pandas" / "ranks.parquet")
    ranks.with_columns(pl.col("rank") + 1).write_parquet(tmp_path / "pandas" / "ranks.parquet")
    with pytest.raises(OutputsDiffer, match="ranks"):
        assert_same(tmp_path / "mfgpolicy", tmp_path / "pandas")


def test_both_validators_find_the_same_corruptions(tiny: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny, broken)
    path = broken / "data" / "curated" / "targets.csv"
    rows = _rows(path)
    rows[3]["char_start"] = str(int(rows[3]["char_start"]) + 1)  # the quote no longer stands there
    rows[5]["kind"] = "levelled"  # not an allowed kind
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    expected = {("targets.csv", rows[3]["target_id"], "quote"), ("targets.csv", rows[5]["target_id"], "kind")}
    assert {(p.table, p.row, p.column) for p in validate(broken)} == expected
    assert peer.validate(broken) == expected


def test_aims_are_judged_against_issue_12s_targets() -> None:
    from benchmarks.run import _median_run, aims

    results = {"pipeline_seconds": {"1000000": 6.0}, "pandas_ratio": {"1000000": 25.0}, "peak_rss_gb": 2.5,
               "incremental_seconds": 1.5, "incremental_size": 1_000_000,
               "growth": {"100k->1M": {"rows": 10.0, "mfgpolicy": 9.0, "pandas": 10.0}},
               "extract_ratio_to_floor": 33.0, "interactive_seconds": 0.3}
    judged = {a["aim"].split(" (")[0]: a for a in aims(results)}
    assert not judged["1M-row pipeline end to end"]["met"]
    assert judged["1M-row pipeline end to end"]["missed_by_factor"] == 1.2
    assert judged["1M-row pipeline vs the pandas peer"]["met"]
    assert not judged["1M-row pipeline peak memory"]["met"]
    assert judged["re-validation after a one-row edit at 1M"]["met"]
    assert judged["growth from 100k to 1M targets"]["met"]
    assert not judged["extraction vs the read-and-decode floor"]["met"]
    assert judged["fresh import + connect + compare on the real data"]["met"]
    runs = [{"total_seconds": t} for t in (5.0, 3.0, 9.0)]
    assert _median_run(runs)["total_seconds"] == 5.0
