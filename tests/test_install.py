"""The built wheel, installed alone in a fresh virtual environment, works from an empty folder.

This is how an economist meets the package: ``pip install mfgpolicy-*.whl`` into their own
environment, then the library and the command line from their own project folder, with no
checkout anywhere near. The wheel carries the curated tables, ``datapackage.json``, the raw
plans and their sidecars; outputs go to the current folder, never into site-packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mfgpolicy import __version__
from tests.conftest import RELEASE, ROOT

pytestmark = pytest.mark.slow


def _source_files() -> list[str]:
    """The files of the working tree that git tracks or would track (what a fresh clone holds, plus new files)."""
    done = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return [name for name in done.stdout.splitlines() if (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the sources, install it into a new venv; return the venv's bin folder."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    for name in _source_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(base / "dist"), str(source)], check=True, capture_output=True)
    [wheel] = (base / "dist").glob("mfgpolicy-*.whl")
    assert wheel.name.startswith(f"mfgpolicy-{__version__}-")
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True)
    bin_ = base / "venv" / "bin"
    subprocess.run([str(bin_ / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-c", str(ROOT / "requirements.lock"), str(wheel)], check=True, capture_output=True)
    return bin_


def _in_empty_folder(bin_: Path, tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MFGPOLICY_ROOT", "PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_}{os.pathsep}{env.get('PATH', '')}"
    env["MPLBACKEND"] = "Agg"
    return subprocess.run(list(argv), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)


def _site_packages(bin_: Path) -> Path:
    [site] = (bin_.parent / "lib").glob("python3.*/site-packages")
    return site


def test_library_calls_work_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    code = ("import mfgpolicy as mp; df = mp.compare('energy_intensity'); print(df); "
            "print(dict(zip(df['city'], df['annualised_pct'].round(2)))); print(mp.data_version()); "
            "print(mp.Project.find().is_bundled, len(mp.validate()))")
    done = _in_empty_folder(installed, tmp_path, "python", "-c", code)
    assert done.returncode == 0, done.stderr
    assert "'Yuyao': -3.89" in done.stdout and "'Ningbo': -3.98" in done.stdout
    assert done.stdout.rstrip().endswith("True 0")
    assert list(tmp_path.iterdir()) == []


def test_cli_validate_version_and_run_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    site = _site_packages(installed)
    before = sorted(p.relative_to(site) for p in (site / "mfgpolicy").rglob("*") if "__pycache__" not in p.parts)
    version = _in_empty_folder(installed, tmp_path, "mfgpolicy", "--version")
    assert version.returncode == 0 and version.stdout.startswith(f"mfgpolicy {__version__}; data {RELEASE}+sha.")
    assert "(bundled)" in version.stdout
    validate = _in_empty_folder(installed, tmp_path, "mfgpolicy", "validate")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert f"data: bundled data {RELEASE}+sha." in validate.stderr
    run = _in_empty_folder(installed, tmp_path, "mfgpolicy", "run")
    assert run.returncode == 0, run.stderr
    out = tmp_path / "mfgpolicy-output"
    assert (out / "mfgpolicy.duckdb").is_file() and (out / "mfgpolicy-summary.xlsx").is_file()
    from mfgpolicy.outputs.figures.registry import FIGURES

    pdfs = sorted((out / "figures").glob("fig*_*.pdf"))
    assert len(pdfs) == 2 * len(FIGURES)
    for pdf in pdfs:  # the wheel's own TrueType font, embedded as Type 42: never Type 3
        data = pdf.read_bytes()
        assert b"/FontFile2" in data and b"/Type3" not in data and b"NotoSansCJKscTT" in data, pdf.name
    assert {p.name for p in (out / "site").iterdir()} >= {"index.html", "site.css", "site.js"}  # assets are package data
    after = sorted(p.relative_to(site) for p in (site / "mfgpolicy").rglob("*") if "__pycache__" not in p.parts)
    assert after == before, "nothing is ever written into site-packages"


def test_the_jupyter_stack_is_an_extra_not_a_dependency(installed: Path, tmp_path: Path) -> None:
    done = _in_empty_folder(installed, tmp_path, "python", "-c", "import nbclient")
    assert done.returncode != 0 and "No module named 'nbclient'" in done.stderr
    meta = _in_empty_folder(installed, tmp_path, "python", "-c",
                            "from importlib.metadata import metadata; m = metadata('mfgpolicy'); "
                            "print(m['License-Expression']); print(m.get_all('Provides-Extra'))")
    assert meta.stdout.splitlines()[0] == "MIT AND CC-BY-4.0" and "'lab'" in meta.stdout
