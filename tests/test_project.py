"""Finding the data: --root, MFGPOLICY_ROOT, the nearest project folder above, then the bundled copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mfgpolicy.errors import DataNotFoundError
from mfgpolicy.project import ENV_ROOT, OUTPUT_FOLDER, Project, bundled_data
from tests.conftest import RELEASE, ROOT, edit_cell


def test_nearest_folder_above_the_current_one(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_ROOT, raising=False)
    (project / "data" / "curated" / "sub").mkdir()
    found = Project.find(cwd=project / "data" / "curated" / "sub")
    assert found.root == project.resolve() and found.found_by == "a folder above"
    assert found.database == project.resolve() / "data" / "build" / "mfgpolicy.duckdb"
    assert found.figures == project.resolve() / "figures"


def test_order_is_argument_then_environment_then_folder(project: Path, tmp_path_factory,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(project / "data", other / "data")
    monkeypatch.setenv(ENV_ROOT, str(other))
    assert Project.find(cwd=project).root == other.resolve()
    assert Project.find(project, cwd=project).root == project.resolve()


def test_a_root_without_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError, match="no data/curated folder there"):
        Project.find(tmp_path)
    with pytest.raises(DataNotFoundError, match="must be a folder path"):
        Project.find(123)  # type: ignore[arg-type]


def test_no_project_above_means_bundled_data_and_outputs_in_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_ROOT, raising=False)
    found = Project.find(cwd=tmp_path)
    assert found.is_bundled and found.root is None
    assert found.curated == bundled_data() / "curated"
    assert found.output == tmp_path.resolve() / OUTPUT_FOLDER
    assert found.describe().startswith(f"data: bundled data {RELEASE}+sha.")
    assert found.is_input(found.curated / "targets.csv") and not found.is_input(found.output / "x.xlsx")


def test_validate_in_a_corrupted_copy_checks_the_copy_and_names_it(project: Path) -> None:
    """The checkout's own command, run inside a copy, validates the copy (not the installed folder)."""
    edit_cell(project, "targets", "yuyao-2018-t001", "value", "eight")
    done = subprocess.run([sys.executable, "-m", "mfgpolicy", "validate"], cwd=project, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"}, check=False)
    assert done.returncode == 1
    assert "targets.csv row yuyao-2018-t001" in done.stdout and "'eight'" in done.stdout
    assert f"data: {project.resolve()}" in done.stderr and f"in {project.resolve()}" in done.stderr
    clean = subprocess.run([sys.executable, "-m", "mfgpolicy", "validate", "--full"], cwd=ROOT, capture_output=True,
                           text=True, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
