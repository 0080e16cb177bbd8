"""The ``extract`` subcommand (``mfgpolicy extract``)."""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl
import pytest

from mfgpolicy.cli.extract import register


def main(argv: list[str]) -> int:
    """Run ``mfgpolicy extract ARGV``, as a user types it."""
    from mfgpolicy.cli import main as mfgpolicy

    return mfgpolicy(argv if argv[:1] == ["extract"] else ["extract", *argv])


def _plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.txt"
    plan.write_text("到2020年,新增智能工厂10家,单位工业增加值能耗比2015年下降18%以上。", encoding="utf-8")
    return plan


def test_help_describes_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["extract", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for word in ("--out", "--encoding", "--evaluate", "--doc-id", "PATH", "add-a-plan.md"):
        assert word in out


def test_register_adds_extract() -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["extract", "x.txt", "--doc-id", "x-2020"])
    assert args.func.__name__ == "run" and args.doc_id == "x-2020"


def test_csv_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(_plan(tmp_path)), "--doc-id", "demo"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("target_id,doc_id") and lines[1].startswith("demo-t001,demo")
    assert "2 candidate targets" in captured.err


def test_csv_to_out_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out" / "candidates.csv"
    assert main([str(_plan(tmp_path)), "--out", str(out)]) == 0
    frame = pl.read_csv(out, infer_schema=False)
    assert frame["value"].to_list() == ["10", "18"] and frame["per_year"].to_list() == ["false", "false"]
    assert [p.name for p in out.parent.iterdir()] == ["candidates.csv"]


def test_encoding_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "big5.txt"
    plan.write_bytes("新增智能工廠10家。".encode("big5"))
    assert main([str(plan), "--encoding", "big5"]) == 0
    assert "智能工廠10家" in capsys.readouterr().out


def test_bad_input_exits_2_with_the_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err
    assert main([]) == 2


def test_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(_plan(tmp_path)), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "proposed" in out and "date" in out


@pytest.mark.slow
def test_evaluate_prints_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "review.csv"
    assert main(["--evaluate", "--check", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "recall" in printed and "precision" in printed and "overall" in printed
    assert out.exists()
