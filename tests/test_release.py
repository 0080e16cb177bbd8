"""The data release: one zip named by the data version, read back with the project's own readers."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from mfgpolicy import safecsv, schema
from mfgpolicy.catalog import in_memory
from mfgpolicy.checks import validate
from mfgpolicy.cli import main
from mfgpolicy.outputs.about import citation, column_guide, release_name
from mfgpolicy.outputs.release import GUIDE_FILE, ROOT_FILES, guide_parts, to_release
from mfgpolicy.project import Project
from mfgpolicy.read.curated import read_table
from mfgpolicy.versions import data_version
from tests.conftest import PROJECT, RAW, ROOT


@pytest.fixture(scope="module")
def con() -> object:
    return in_memory(PROJECT)


@pytest.fixture(scope="module")
def release(con: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_release(tmp_path_factory.mktemp("release"), con=con, project=PROJECT)


@pytest.fixture(scope="module")
def unpacked(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(release) as archive:
        archive.extractall(folder)
    return folder / release.name.removesuffix(".zip")


def test_the_zip_is_named_by_the_data_version_and_holds_one_folder(release: Path) -> None:
    version = data_version(PROJECT)
    assert release.name == release_name(version) == f"mfgpolicy-data-{version}.zip"
    with zipfile.ZipFile(release) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {n.split("/")[0] for n in names} == {f"mfgpolicy-data-{version}"}
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_unpacked_folder_is_a_project_that_validates_with_the_same_version(unpacked: Path) -> None:
    project = Project.at(unpacked)
    assert validate(project) == []
    assert data_version(project) == data_version(PROJECT)


def test_every_table_reads_back_equal_to_the_source(unpacked: Path) -> None:
    for name in schema.CURATED:
        assert_frame_equal(read_table(unpacked / "data" / "curated", name), read_table(PROJECT.curated, name))
    for path in RAW.iterdir():
        assert (unpacked / "data" / "raw" / path.name).read_bytes() == path.read_bytes()
    for name in ROOT_FILES:
        assert (unpacked / name).read_bytes() == (ROOT / name).read_bytes()


def test_the_column_guide_covers_every_column_of_every_csv(unpacked: Path) -> None:
    guide = safecsv.read_csv(unpacked / GUIDE_FILE)
    assert_frame_equal(guide, column_guide(guide_parts(), where="file"))
    for table in schema.CURATED.values():
        listed = guide.filter(pl.col("file") == f"data/curated/{table.path}")
        header = pl.read_csv(unpacked / "data" / "curated" / table.path, n_rows=0).columns
        assert listed["name"].to_list() == header == table.columns, table.name
        assert listed["description"].null_count() == 0 and listed["label"].null_count() == 0


def test_the_descriptor_carries_the_version_and_every_file(unpacked: Path) -> None:
    package = json.loads((unpacked / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == data_version(PROJECT)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    paths = [r["path"] for r in package["resources"]]
    assert paths == [f"data/curated/{t.path}" for t in schema.CURATED.values()] + [GUIDE_FILE]
    assert all((unpacked / p).is_file() for p in paths)


def test_the_readme_is_one_page_generated_from_the_data(unpacked: Path, con: object) -> None:
    text = (unpacked / "README.md").read_text(encoding="utf-8")
    version = data_version(PROJECT)
    assert text.startswith(f"# mfgpolicy data {version}\n")
    assert citation(version) in text and "CC BY 4.0" in text
    targets = con.sql("SELECT count(*) FROM targets").fetchall()[0][0]
    assert f"`data/curated/targets.csv` | {targets} |" in text and f"{targets} targets" in text
    for name in (*ROOT_FILES, GUIDE_FILE, "datapackage.json", "data/raw/"):
        assert f"`{name}`" in text or name in text, name
    assert len(text.splitlines()) <= 60


def test_a_second_release_is_the_same_bytes(release: Path, con: object, tmp_path: Path) -> None:
    assert to_release(tmp_path, con=con, project=PROJECT).read_bytes() == release.read_bytes()


def test_a_failed_release_leaves_the_previous_file(release: Path, con: object, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / release.name
    shutil.copy(release, target)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("mfgpolicy.outputs.zipped.write_zip", broken)
    with pytest.raises(RuntimeError):
        to_release(tmp_path, con=con, project=PROJECT)
    assert target.read_bytes() == release.read_bytes() and [p.name for p in tmp_path.iterdir()] == [release.name]


def test_cli_writes_the_release(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["release", "--root", str(ROOT), "--out", str(tmp_path)]) == 0
    assert (tmp_path / release_name(data_version(PROJECT))).is_file()
    assert "wrote" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["release", "--help"])
    assert exit_.value.code == 0 and "mfgpolicy-data-<version>.zip" in capsys.readouterr().out


def test_cli_errors_are_one_line(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    assert main(["release", "--root", str(project), "--out", str(out)]) == 2  # a copy of data/ only
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "lacks CITATION.cff, LICENSE, LICENSE-DATA" in err[-1]
    for name in ROOT_FILES:
        shutil.copy(ROOT / name, project / name)
    cff = project / "CITATION.cff"
    cff.write_text(cff.read_text(encoding="utf-8").replace("\nversion: ", "\nversion: 9.9.9\nold-version: "),
                   encoding="utf-8")
    assert main(["release", "--root", str(project), "--out", str(out)]) == 1
    assert "CITATION.cff names version '9.9.9'" in capsys.readouterr().err
    assert main(["release", "--root", str(project), "--out", str(project / "data" / "curated")]) == 2
    assert "input data" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
