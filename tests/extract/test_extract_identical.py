"""The extractor's output on the real plans and the held-out plan, locked byte for byte.

``tests/data/extract-expected/*.candidates.csv`` were written by the extractor as it stood at
commit 49c543c (before the throughput work of issue 12: the per-character normalisation, the
per-number rules), with ``python -m mfgpolicy.extract PATH --out CSV`` on each ``data/raw/*.txt``
(sidecars beside them) and on ``tests/data/unseen-plan.txt`` (no sidecar, so its period is
inferred). A faster extractor must give the same bytes; a deliberate change to a rule regenerates
them and says so in its commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mfgpolicy import paths
from mfgpolicy.extract import ExtractError
from mfgpolicy.extract.__main__ import main

DATA = Path(__file__).resolve().parent.parent / "data"
EXPECTED = DATA / "extract-expected"
PLANS = [*sorted(paths.RAW.glob("*.txt")), DATA / "unseen-plan.txt"]


def test_every_plan_has_an_expected_csv() -> None:
    assert sorted(p.name for p in EXPECTED.glob("*.csv")) == sorted(f"{p.stem}.candidates.csv" for p in PLANS)


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_candidates_are_byte_identical(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{plan.stem}.candidates.csv"
    assert main([str(plan), "--out", str(out)]) == 0
    expected = (EXPECTED / out.name).read_text(encoding="utf-8")
    got = out.read_text(encoding="utf-8")
    if got != expected:  # show the first differing lines, not just "not equal"
        import difflib

        diff = difflib.unified_diff(expected.splitlines(), got.splitlines(), "expected", "got", lineterm="", n=0)
        pytest.fail(f"{out.name} differs:\n" + "\n".join(list(diff)[:12]))


def test_evaluation_is_as_before() -> None:
    """``mfgpolicy extract --evaluate`` at 49c543c: every curated row found, nothing else proposed."""
    from mfgpolicy.extract import evaluate

    result = evaluate()
    assert result.overall == {"curated": 237, "proposed": 237, "found": 237, "correct": 237,
                              "recall": 1.0, "precision": 1.0}
    assert {k: round(v, 2) for k, v in result.agreement.items()} == {
        "kind": 1.0, "direction": 0.9, "comparator": 1.0, "hedge": 0.99, "base_year": 0.9, "target_year": 1.0,
        "per_year": 1.0, "tier": 1.0, "indicator_key": 0.8}


def test_one_pass_over_many_files_gives_the_same_bytes(tmp_path: Path) -> None:
    """``extract_files`` (what the benchmark times) writes, plan by plan, the expected CSVs too."""
    import shutil

    import polars as pl

    from mfgpolicy.extract import extract_file, extract_files
    from mfgpolicy.extract.output import to_csv

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    frame = extract_files([*PLANS, empty])
    for plan in PLANS:
        doc_id = extract_file(plan)["doc_id"][0]
        mine = frame.filter(pl.col("doc_id") == doc_id)
        assert to_csv(mine) == (EXPECTED / f"{plan.stem}.candidates.csv").read_text(encoding="utf-8"), plan.name
    assert frame.height == sum(extract_file(p).height for p in PLANS)
    copy = tmp_path / "copy.txt"
    shutil.copy(PLANS[0], copy)
    with pytest.raises(ExtractError, match="missing.txt"):
        extract_files([copy, tmp_path / "missing.txt"])


def test_one_pass_in_small_groups_gives_the_same_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """The documents of a long batch are read in groups; the groups' edges change nothing."""
    import polars as pl

    from mfgpolicy.extract import core, extract_file, extract_files

    monkeypatch.setattr(core, "_DOCS_AT_ONCE", 2)
    assert extract_files(PLANS).equals(pl.concat([extract_file(p) for p in PLANS]))
