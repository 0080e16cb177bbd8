"""The extractor's output on the real plans and the held-out plan, locked byte for byte.

``tests/data/extract-expected/*.candidates.csv`` were written by the extractor as it stood at
commit 49c543c (before the throughput work of issue 12: the per-character normalisation, the
per-number rules), with ``python -m mfgpolicy.extract PATH --out CSV`` (now ``mfgpolicy extract``)
on each ``data/raw/*.txt`` (sidecars beside them) and on ``tests/data/unseen-plan.txt`` (no
sidecar, so its period is inferred). They were regenerated once, when the targets table gained
its ``conflicts_with`` column (issue 13): every other column of every row is as 49c543c wrote it.
A faster extractor must give the same bytes; a deliberate change to a rule regenerates
them and says so in its commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mfgpolicy.cli import main as mfgpolicy
from mfgpolicy.extract import ExtractError
from tests.conftest import RAW

DATA = Path(__file__).resolve().parent.parent / "data"
EXPECTED = DATA / "extract-expected"
PLANS = [*sorted(RAW.glob("*.txt")), DATA / "unseen-plan.txt"]


def test_every_plan_has_an_expected_csv() -> None:
    assert sorted(p.name for p in EXPECTED.glob("*.csv")) == sorted(f"{p.stem}.candidates.csv" for p in PLANS)


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_candidates_are_byte_identical(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{plan.stem}.candidates.csv"
    assert mfgpolicy(["extract", str(plan), "--out", str(out)]) == 0
    expected = (EXPECTED / out.name).read_text(encoding="utf-8")
    got = out.read_text(encoding="utf-8")
    if got != expected:  # show the first differing lines, not just "not equal"
        import difflib

        diff = difflib.unified_diff(expected.splitlines(), got.splitlines(), "expected", "got", lineterm="", n=0)
        pytest.fail(f"{out.name} differs:\n" + "\n".join(list(diff)[:12]))


def test_evaluation_is_as_before() -> None:
    """``mfgpolicy extract --evaluate``: as at 49c543c, except for two rows issue 13 curated anew.

    At 49c543c every curated row was found and nothing else proposed. Issue 13 added
    ``jinhua-2021-t060`` (a share written "三分之一", which no rule reads) and corrected the unit
    of ``ningbo-2016-t245`` to ``件/百亿元`` (the extractor still proposes ``件``): one miss
    and one near miss, the same with the extractor before and after the throughput work.
    """
    from mfgpolicy.extract import evaluate

    result = evaluate()
    assert result.overall == {"curated": 238, "proposed": 237, "found": 236, "correct": 236,
                              "recall": 236 / 238, "precision": 236 / 237}
    assert sorted(result.misses["target_id"]) == ["jinhua-2021-t060", "ningbo-2016-t245"]
    assert {k: round(v, 2) for k, v in result.agreement.items()} == {
        "kind": 1.0, "direction": 0.9, "comparator": 0.99, "hedge": 0.98, "base_year": 0.9, "target_year": 1.0,
        "per_year": 1.0, "tier": 1.0, "indicator_key": 0.79}


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
