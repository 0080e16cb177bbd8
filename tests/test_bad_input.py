"""Bad input never crashes the checks, never passes them, and never destroys data.

One test (or a few) per class of bad input found by probing the first version: crashes that
hid every other problem, passes that should have failed, data loss, formula injection,
tracebacks for expected errors, litter and unbounded reads.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mfgpolicy as mp
from mfgpolicy.checks import validate
from mfgpolicy.errors import OutputError, UnknownIndicatorError, UsageError
from tests.conftest import ROOT, edit_cell

SIDECAR = "yuyao-2018-traditional-manufacturing.meta.yml"
LP = "yuyao-2018-t001"


def _cli(*argv: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mfgpolicy", *argv], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=False)


def _no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()
            and "build" not in p.parts}


# ----------------------------------------------------------------------------- crashes that hid everything


def _linked_baseline(project: Path) -> str:
    targets = pl.read_csv(project / "data" / "curated" / "targets.csv", infer_schema=False)
    return targets.filter(pl.col("baseline_id").is_not_null())["baseline_id"][0]


def test_a_header_line_the_csv_module_refuses_is_reported_not_raised(project: Path) -> None:
    (project / "data" / "curated" / "places.csv").write_bytes(b"\r\x00")  # found by test_validate_properties
    problems = validate(project)
    assert any(p.table == "places.csv" and p.line == 1 and "header line is not valid CSV" in p.message
               for p in problems)


@pytest.mark.parametrize("value", ["about 1.5", None])
def test_a_bad_value_in_a_linked_baseline_is_reported_not_raised(project: Path, value: str | None) -> None:
    baseline = _linked_baseline(project)
    edit_cell(project, "baselines", baseline, "value", value)
    edit_cell(project, "targets", LP, "unit", "furlongs")  # a second problem: both must be reported
    problems = validate(project)
    assert any(p.table == "baselines.csv" and p.row == baseline and p.column == "value" for p in problems)
    assert any(p.row == LP and p.column == "unit" for p in problems)
    for command in ("build", "run"):
        done = _cli(command, "--root", str(project), "-q")
        assert done.returncode == 1 and baseline in done.stdout
        _no_traceback(done)


@pytest.mark.parametrize(("content", "words"), [
    (b"doc_id: yuyao-2018\ncity: [Yuyao\n", "is not valid YAML"),
    (b"- doc_id\n- city\n", "is a YAML list"),
    (b"doc_id: yuyao-2018\ncity: \xff\xfe\n", "is not valid UTF-8"),
])
def test_a_broken_sidecar_is_one_located_problem_among_all(project: Path, content: bytes, words: str) -> None:
    (project / "data" / "raw" / SIDECAR).write_bytes(content)
    edit_cell(project, "targets", LP, "target_year", "20x0")
    problems = validate(project)
    assert any(p.table == f"data/raw/{SIDECAR}" and words in p.message for p in problems), problems
    assert any(p.row == LP and p.column == "target_year" for p in problems)
    for command in ("validate", "build", "run"):
        done = _cli(command, "--root", str(project), "-q")
        assert done.returncode == 1 and SIDECAR in done.stdout
        _no_traceback(done)


# ----------------------------------------------------------------------------- passes that should fail


def test_a_header_only_table_does_not_validate(project: Path) -> None:
    path = project / "data" / "curated" / "targets.csv"
    path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")
    problems = validate(project)
    assert any(p.table == "targets.csv" and "must not be empty" in p.message for p in problems)


@pytest.mark.parametrize("bad", [f"{LP} ", f" {LP}", "yuyao-2018 t001", "yuyao-2018-t\u3000001"])
def test_ids_with_white_space_do_not_validate(project: Path, bad: str) -> None:
    edit_cell(project, "targets", LP, "target_id", bad)
    problems = validate(project)
    assert any(p.column == "target_id" and p.value == bad and "well-formed id" in p.message for p in problems)


def test_two_ids_that_differ_only_by_a_space_do_not_both_pass(project: Path) -> None:
    edit_cell(project, "targets", "yuyao-2018-t002", "target_id", f"{LP} ")
    problems = validate(project)
    assert any(p.value == f"{LP} " and "well-formed id" in p.message for p in problems)


def test_a_version_that_is_not_semantic_is_reported_and_build_stops_cleanly(project: Path) -> None:
    (project / "data" / "curated" / "VERSION").write_text("banana\n", encoding="utf-8")
    problems = validate(project)
    assert [p for p in problems if p.table == "VERSION" and p.value == "banana"]
    done = _cli("build", "--root", str(project))
    assert done.returncode == 1 and "VERSION = 'banana'" in done.stdout
    _no_traceback(done)
    assert not (project / "data" / "build" / "mfgpolicy.duckdb").exists()


def test_documents_without_sidecars_writes_nothing(project: Path) -> None:
    for sidecar in (project / "data" / "raw").glob("*.meta.yml"):
        sidecar.unlink()
    before = (project / "data" / "curated" / "documents.csv").read_bytes()
    done = _cli("documents", "--root", str(project))
    assert done.returncode == 1 and "no *.meta.yml sidecars found" in done.stdout
    _no_traceback(done)
    assert (project / "data" / "curated" / "documents.csv").read_bytes() == before


# ----------------------------------------------------------------------------- data loss


@pytest.mark.parametrize("out", ["data/raw/yuyao-2018-traditional-manufacturing.txt", "data/curated/targets.csv",
                                 "data/raw/candidates.csv"])
def test_extract_never_writes_over_the_projects_inputs(project: Path, out: str) -> None:
    before = _snapshot(project)
    done = _cli("extract", "data/raw/yuyao-2018-traditional-manufacturing.txt", "--out", out, cwd=project)
    assert done.returncode == 2 and "refusing to write the candidates" in done.stderr
    _no_traceback(done)
    assert _snapshot(project) == before


def test_no_output_lands_on_an_input(project: Path) -> None:
    before = _snapshot(project)
    for argv in (["build", "--out", "data/curated/x.duckdb"], ["export", "data/curated/summary.xlsx"],
                 ["export", "data/raw", "--format", "csv"], ["figures", "--out", "data/curated/figs"]):
        done = _cli(*argv, "--root", str(project), cwd=project)
        assert done.returncode == 2 and "refusing to write" in done.stderr, argv
        _no_traceback(done)
    assert _snapshot(project) == before


# ----------------------------------------------------------------------------- formula injection

FORMULA = '=HYPERLINK("http://x","click")'


def test_diff_csv_neutralises_formulas_and_reads_back_exactly(project: Path) -> None:
    from mfgpolicy import safecsv

    edit_cell(project, "targets", LP, "notes", FORMULA)
    done = _cli("diff", str(ROOT), str(project), "--format", "csv", cwd=project)
    assert done.returncode == 0
    assert "'" + FORMULA.replace('"', '""') in done.stdout and '",=HYPERLINK' not in done.stdout
    out = project / "review.csv"
    out.write_text(done.stdout, encoding="utf-8")
    row = safecsv.read_csv(out).filter(pl.col("field") == "notes").row(0, named=True)
    assert row["new"] == FORMULA


def test_panel_csv_and_candidates_neutralise_text_not_numbers(tmp_path: Path) -> None:
    import duckdb

    from mfgpolicy import safecsv
    from mfgpolicy.catalog import store
    from mfgpolicy.checks import check
    from mfgpolicy.extract import extract_text
    from mfgpolicy.extract.output import write_csv
    from mfgpolicy.outputs.panel import to_panel
    from tests.conftest import PROJECT

    frames = check(PROJECT).frames
    frames["targets"] = frames["targets"].with_columns(
        quote=pl.when(pl.col("target_id") == LP).then(pl.lit(FORMULA)).otherwise(pl.col("quote")))
    con = duckdb.connect()
    store.load(con, frames)
    to_panel(tmp_path, fmt="csv", con=con, project=PROJECT)
    text = (tmp_path / "targets_canonical.csv").read_text(encoding="utf-8")
    assert "'" + FORMULA.replace('"', '""') in text and ",-3.89" in text  # numbers stay numbers
    back = safecsv.read_csv(tmp_path / "targets_canonical.csv").filter(pl.col("target_id") == LP)
    assert back["quote"].item() == FORMULA
    plan = "@SUM(1) 到2020年,新增智能工厂10家以上。"
    frame = extract_text(plan, period=(2018, 2020)).with_columns(pl.lit("-18% " + FORMULA).alias("notes"))
    write_csv(frame, tmp_path / "candidates.csv")
    assert safecsv.read_csv(tmp_path / "candidates.csv")["notes"].to_list() == ["-18% " + FORMULA] * frame.height


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="=+-@'\t\r\nax1", max_size=4)), min_size=1))
def test_safecsv_neutralises_every_formula_and_round_trips(values: list[str | None]) -> None:
    """No written cell can start a formula (a lone ``=`` is not one); reading back restores every cell."""
    from mfgpolicy import safecsv

    frame = pl.DataFrame({"text": values}, schema={"text": pl.String})
    safe = safecsv.neutralise_frame(frame)
    assert safe["text"].to_list() == [safecsv.neutralise(v) for v in values]
    for cell in safe["text"].to_list():
        assert not cell or len(cell) == 1 or not cell.startswith(safecsv.FORMULA_START)
    assert safecsv.restore_frame(safe).equals(frame)
    assert [safecsv.restore(safecsv.neutralise(v)) for v in values] == values


# ----------------------------------------------------------------------------- expected errors, no tracebacks


def test_library_calls_with_wrong_arguments_raise_named_errors(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnknownIndicatorError, match="indicator_key must be a string"):
        mp.compare(None)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="must be the file path of a database"):
        mp.connect(123)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_output_paths_that_cannot_be_used_are_one_line_errors(project: Path, tmp_path: Path) -> None:
    (tmp_path / "a-folder.duckdb").mkdir()
    (tmp_path / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    (tmp_path / "plain-file").write_text("x", encoding="utf-8")
    cases = [
        (["build", "--out", str(tmp_path / "a-folder.duckdb")], "it is a folder"),
        (["build", "--out", str(tmp_path / "x.xlsx")], "must be a .duckdb or .db file"),
        (["export", str(tmp_path / "notes.xlsx")], "it exists and is not a workbook file"),
        (["export", str(tmp_path / "plain-file" / "x.xlsx")], "is a file, not a folder"),
        (["figures", "--out", str(tmp_path / "plain-file")], "a folder is needed"),
        (["export", str(tmp_path / "plain-file"), "--format", "csv"], "a folder is needed"),
    ]
    for argv, words in cases:
        done = _cli(*argv, "--root", str(project), "-q")
        assert done.returncode == 2, (argv, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr, (argv, done.stderr)
        _no_traceback(done)
    assert (tmp_path / "notes.xlsx").read_text(encoding="utf-8") == "not a workbook"


def test_a_folder_that_cannot_be_written_is_an_output_error(tmp_path: Path, monkeypatch) -> None:
    """What a read-only checkout gives every write command (simulated: the tests may run as root)."""
    import tempfile

    from mfgpolicy._io import atomic_write_text

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="Permission denied"):
        atomic_write_text(tmp_path / "out.txt", "x")


def _as_a_user(argv: list[str]) -> list[str]:
    """Run ``argv`` so that file permissions apply: as root, without the capability to override them."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *argv]


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="needs util-linux setpriv as root")
def test_write_commands_in_a_read_only_checkout(project: Path) -> None:
    before = _snapshot(project)
    for folder in (project / "data" / "curated", project / "data"):
        folder.chmod(0o555)
    try:
        for argv in (["build"], ["documents"], ["datapackage"], ["run"]):
            done = subprocess.run(_as_a_user([sys.executable, "-m", "mfgpolicy", *argv, "--root", str(project), "-q"]),
                                  capture_output=True, text=True, check=False)
            assert done.returncode == 2, (argv, done.stderr)
            assert len(done.stderr.strip().splitlines()) == 1 and "Permission denied" in done.stderr, (argv, done.stderr)
            _no_traceback(done)
    finally:
        for folder in (project / "data", project / "data" / "curated"):
            folder.chmod(0o755)
    assert _snapshot(project) == before


def test_an_unparsable_csv_names_its_line(project: Path) -> None:
    path = project / "data" / "curated" / "places.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",", ',"', 1)
    path.write_text("".join(lines), encoding="utf-8")
    [problem] = [p for p in validate(project) if p.table == "places.csv"]
    assert problem.line == 4 and "check the quotes" in problem.message


def test_an_edited_sidecar_checksum_is_not_blamed_on_the_raw_file(project: Path) -> None:
    path = project / "data" / "raw" / SIDECAR
    text = path.read_text(encoding="utf-8")
    wrong = hashlib.sha256(b"something else").hexdigest()
    path.write_text("\n".join(f"sha256: {wrong}" if line.startswith("sha256:") else line
                              for line in text.splitlines()) + "\n", encoding="utf-8")
    [problem] = [p for p in validate(project) if p.column == "sha256"]
    assert "the sidecar's checksum was edited" in problem.message and problem.value == wrong


# ----------------------------------------------------------------------------- litter and limits


def test_temporary_files_of_killed_runs_are_removed_by_the_next(project: Path) -> None:
    build_dir = project / "data" / "build"
    build_dir.mkdir(parents=True)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = build_dir / ".mfgpolicy-summary.xlsx.999999999.abc_123.tmp"
        alive = build_dir / f".mfgpolicy.duckdb.{sleeper.pid}.xyz_789.tmp"
        for litter in (dead, alive):
            litter.write_bytes(b"x" * 1000)
        done = _cli("export", "--root", str(project), "-q")
        assert done.returncode == 0, done.stderr
        assert not dead.exists() and alive.exists()  # a running write keeps its file
    finally:
        sleeper.kill()


def test_an_input_larger_than_the_limit_is_refused_not_read(tmp_path: Path) -> None:
    done = _cli("extract", "/dev/zero", cwd=tmp_path, env={"MFGPOLICY_MAX_INPUT_MB": "1"})
    assert done.returncode == 2 and "larger than the input limit of 1 MB" in done.stderr
    _no_traceback(done)
    big = tmp_path / "data"
    big.mkdir()
    done = _cli("validate", "--full", "--root", str(ROOT), env={"MFGPOLICY_MAX_INPUT_MB": "0.05"})
    assert done.returncode == 1 and "larger than the input limit" in done.stdout
