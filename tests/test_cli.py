"""The command line's shape: help, --version, one-line errors with exit statuses, closed pipes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mfgpolicy import __version__
from mfgpolicy.cli import GROUPS, build_parser, main
from tests.conftest import RELEASE, ROOT


def _run(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mfgpolicy", *argv], cwd=cwd, capture_output=True, text=True, check=False)


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: mfgpolicy") and "run " in out and "validate" in out


def test_version_names_package_and_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"mfgpolicy {__version__}; data {RELEASE}+sha.") and str(ROOT) in out


def test_every_command_takes_the_common_options() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"validate", "build", "run", "headline", "compare", "coverage", "figures", "export", "site", "extract",
            "diff", "documents", "datapackage"} <= set(commands)
    for name, sub in commands.items():
        options = {o for action in sub._actions for o in action.option_strings}
        assert {"--root", "-q", "-v"} <= options, name
    for name in ("headline", "compare", "coverage", "figures", "export", "site"):
        assert "--database" in {o for a in commands[name]._actions for o in a.option_strings}, name
    assert len(GROUPS) == len({g.__name__ for g in GROUPS})


@pytest.mark.parametrize(("argv", "status", "words"), [
    (["compare", "enrgy_intensity"], 2, "did you mean energy_intensity"),
    (["compare", "energy_intensity", "--database", "/nonexistent/x.duckdb"], 2, "no database at /nonexistent/x.duckdb"),
    (["validate", "--root", "/nonexistent"], 2, "no data/curated folder there"),
    (["export", "summary.txt"], 2, "must be a .xlsx file"),
])
def test_expected_errors_are_one_line_with_a_status(argv: list[str], status: int, words: str) -> None:
    done = _run(*argv)
    assert done.returncode == status, done.stderr
    errors = [line for line in done.stderr.splitlines() if not line.startswith("data: ")]
    assert len(errors) == 1 and words in errors[0] and "Traceback" not in done.stderr


def test_a_closed_pipe_is_not_a_traceback() -> None:
    done = subprocess.run(f"{sys.executable} -m mfgpolicy coverage | head -3", shell=True, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert len(done.stdout.splitlines()) == 3
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_a_command_says_one_line_on_stderr_and_nothing_at_exit() -> None:
    done = _run("headline")
    assert done.returncode == 0 and "energy_intensity" in done.stdout
    assert [line for line in done.stderr.splitlines() if line.strip()] == [done.stderr.strip()]
    assert done.stderr.startswith("data: ") and "leaked" not in done.stderr


def test_help_is_fast_and_imports_no_plotting() -> None:
    code = ("import sys, time; t = time.perf_counter(); from mfgpolicy.cli import build_parser; "
            "build_parser().format_help(); print('matplotlib' in sys.modules, 'polars' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
