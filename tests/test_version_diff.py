"""Data version (semantic version + content hash), `mfgpolicy diff`, CHANGELOG and CITATION.cff."""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest
import yaml

from mfgpolicy import schema
from mfgpolicy.cli import versions as diff_cli
from mfgpolicy.versions.diff import DiffError, VersionSpecError, diff_tables, load_version, read_files, version_label
from mfgpolicy.versions.version import DataVersionError, content_hash, data_version, semantic_version
from tests.conftest import CURATED, ROOT, edit_cell

HEX8 = re.compile(r"\d+\.\d+\.\d+\+sha\.[0-9a-f]{8}")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cell(root: Path, table: str, row_id: str, column: str) -> str | None:
    frame = pl.read_csv(root / "data" / "curated" / f"{table}.csv", infer_schema=False)
    return frame.filter(pl.col(schema.TABLES[table].primary_key) == row_id)[column].item()


# --------------------------------------------------------------------------- data version


def test_data_version_is_the_version_file_plus_eight_hex_digits_of_the_content_hash():
    version = data_version(CURATED)
    assert HEX8.fullmatch(version), version
    assert version.split("+")[0] == (CURATED / "VERSION").read_text().strip() == semantic_version(CURATED)

    assert len(content_hash(CURATED)) == 64


def test_content_hash_is_the_sha256_of_a_sha256sum_manifest(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "_staging").mkdir()
    (tmp_path / "b.csv").write_bytes(b"id,value\r\nx,8\r\n")  # CRLF kept: raw bytes, nothing normalised
    (tmp_path / "a.csv").write_bytes("名,8\n".encode())
    (tmp_path / "sub" / "c.json").write_bytes(b"{}")
    (tmp_path / "VERSION").write_bytes(b"2.3.4\n")
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    (tmp_path / "_staging" / "draft.csv").write_bytes(b"draft")
    a, b, c = _sha("名,8\n".encode()), _sha(b"id,value\r\nx,8\r\n"), _sha(b"{}")
    manifest = f"{a}  a.csv\n{b}  b.csv\n{c}  sub/c.json\n"  # sorted by name, as sha256sum prints
    expected = _sha(manifest.encode())
    assert content_hash(tmp_path) == expected
    assert data_version(tmp_path) == f"2.3.4+sha.{expected[:8]}"


def test_one_changed_byte_changes_the_hash_and_nothing_else_does(project):
    curated = project / "data" / "curated"
    before = content_hash(curated)
    moved = shutil.copytree(curated, project / "elsewhere" / "curated")  # another place, fresh mtimes
    assert content_hash(moved) == before
    os.utime(curated / "targets.csv", (0, 0))
    (curated / ".DS_Store").write_bytes(b"x")
    (curated / "_staging").mkdir(exist_ok=True)
    (curated / "_staging" / "new.csv").write_text("a,b\n1,2\n")
    (curated / "VERSION").write_text("9.9.9\n")
    assert content_hash(curated) == before
    assert data_version(curated) == f"9.9.9+sha.{before[:8]}"
    data = bytearray((curated / "targets.csv").read_bytes())
    data[-2] ^= 1  # one bit of one byte
    (curated / "targets.csv").write_bytes(bytes(data))
    assert content_hash(curated) != before
    (curated / "targets.csv").write_bytes(bytes(data[:-2] + bytes([data[-2] ^ 1]) + data[-1:]))
    assert content_hash(curated) == before


def test_a_missing_or_malformed_version_file_is_a_named_error(tmp_path):
    with pytest.raises(DataVersionError, match="VERSION: missing"):
        data_version(tmp_path)
    (tmp_path / "VERSION").write_text("1.0\n")
    with pytest.raises(DataVersionError, match=r"MAJOR\.MINOR\.PATCH.*'1\.0'"):
        data_version(tmp_path)
    (tmp_path / "VERSION").write_text("1.0.0+build\n")  # build metadata is where the hash goes
    with pytest.raises(DataVersionError):
        data_version(tmp_path)
    (tmp_path / "VERSION").write_text("1.1.0-rc.1\n")
    assert data_version(tmp_path).startswith("1.1.0-rc.1+sha.")


# --------------------------------------------------------------------------- diff_tables


def test_diff_tables_by_hand():
    old = {"targets": pl.DataFrame({"target_id": ["t1", "t2", "t3"], "value": ["8", "5", None],
                                    "unit": ["%", "家", "%"]})}
    new = {"targets": pl.DataFrame({"target_id": ["t1", "t3", "t4"], "value": ["8.0", "2", "7"],
                                    "unit": ["%", "%", "家"], "hedge": ["力争", None, None]})}
    got = diff_tables(old, new)
    assert got.columns == ["table", "id", "change", "field", "old", "new"]
    assert got.rows() == [
        ("targets", None, "added", "hedge", None, None),  # a column only the new version has
        ("targets", "t1", "changed", "value", "8", "8.0"),  # text compared: 8 -> 8.0 is a change
        ("targets", "t1", "changed", "hedge", None, "力争"),
        ("targets", "t2", "removed", None, '{"target_id": "t2", "value": "5", "unit": "家"}', None),
        ("targets", "t3", "changed", "value", None, "2"),
        ("targets", "t4", "added", None, None, '{"target_id": "t4", "value": "7", "unit": "家"}'),
    ]


def test_identical_versions_and_a_missing_table():
    frame = pl.DataFrame({"place": ["A", "B"], "name_zh": ["甲", "乙"]})
    assert diff_tables({"places": frame}, {"places": frame.clone()}).is_empty()
    added = diff_tables({}, {"places": frame})
    assert added.select("id", "change").rows() == [("A", "added"), ("B", "added")]


def test_duplicate_primary_keys_are_refused_by_name():
    frame = pl.DataFrame({"place": ["A", "A"], "name_zh": ["甲", "乙"]})
    with pytest.raises(DiffError, match="new places: duplicate place 'A'"):
        diff_tables({"places": frame[:1]}, {"places": frame})


# --------------------------------------------------------------------------- folders


def test_a_one_value_edit_to_a_target_is_exactly_one_changed_field(project):
    old = load_version(str(project))
    before = _cell(project, "targets", "yuyao-2018-t001", "value")
    after = str(float(before) + 1.5)
    edit_cell(project, "targets", "yuyao-2018-t001", "value", after)  # rewrites the whole CSV
    got = diff_tables(old, load_version(str(project / "data" / "curated")))
    assert got.rows() == [("targets", "yuyao-2018-t001", "changed", "value", before, after)]


def test_added_and_removed_targets(project):
    path = project / "data" / "curated" / "targets.csv"
    old = load_version(str(project))
    frame = pl.read_csv(path, infer_schema=False)
    last = frame.filter(pl.col("target_id") == "yuyao-2018-t027")
    copy = last.with_columns(pl.lit("yuyao-2018-t999").alias("target_id"))
    frame.filter(pl.col("target_id") != "yuyao-2018-t002").vstack(copy).write_csv(path)
    got = diff_tables(old, load_version(str(project)))
    assert got.select("table", "id", "change", "field").rows() == [
        ("targets", "yuyao-2018-t002", "removed", None), ("targets", "yuyao-2018-t999", "added", None)]
    added = json.loads(got["new"][1])
    assert added["target_id"] == "yuyao-2018-t999"
    assert added["quote"] == last["quote"].item()
    assert json.loads(got["old"][0])["target_id"] == "yuyao-2018-t002"


def test_a_path_without_curated_tables_is_refused(tmp_path):
    with pytest.raises(VersionSpecError, match="holds neither data/curated/"):
        load_version(str(tmp_path))


# --------------------------------------------------------------------------- git revisions


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A throw-away clone of this project's repository (the main repository is never touched)."""
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, check=False).returncode:
        pytest.skip("the project is not a git checkout")
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    return target


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.org",
                    *args], check=True, capture_output=True)


def test_head_against_the_working_folder_then_a_committed_edit(clone):
    assert diff_tables(load_version("HEAD", root=clone), load_version(str(clone))).is_empty()
    head_files = read_files("HEAD", root=clone)
    assert head_files == read_files(str(clone))  # blobs byte for byte as checked out
    assert version_label(head_files) == version_label(read_files(str(clone)))
    before = _cell(clone, "targets", "ningbo-2022-t001", "value")
    edit_cell(clone, "targets", "ningbo-2022-t001", "value", "123")
    expected = [("targets", "ningbo-2022-t001", "changed", "value", before, "123")]
    assert diff_tables(load_version("HEAD", root=clone), load_version(str(clone))).rows() == expected
    _git(clone, "commit", "-qam", "edit one value")
    assert diff_tables(load_version("HEAD~1", root=clone), load_version("HEAD", root=clone)).rows() == expected
    assert diff_tables(load_version("HEAD", root=clone), load_version(str(clone))).is_empty()


def test_a_bad_revision_is_a_clear_error(clone):
    with pytest.raises(VersionSpecError, match="'no-such-rev' is neither a folder nor a git revision"):
        load_version("no-such-rev", root=clone)


# --------------------------------------------------------------------------- command line


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="mfgpolicy")
    diff_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["diff", *argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_text_and_csv(clone, capsys):
    before = _cell(clone, "targets", "jinhua-2021-t003", "value")
    edit_cell(clone, "targets", "jinhua-2021-t003", "value", "77")
    code, out, err = _run(["HEAD", str(clone), "--repo", str(clone)], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("old: HEAD") and lines[1].startswith(f"new: {clone}")
    assert "targets: 0 added, 0 removed, 1 changed (1 field)" in lines
    assert "  ~ jinhua-2021-t003" in lines
    assert f"      value: {before} -> 77" in lines
    code, out, _ = _run(["HEAD", str(clone), "--repo", str(clone), "--format", "csv"], capsys)
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["table", "id", "change", "field", "old", "new"],
        ["targets", "jinhua-2021-t003", "changed", "value", before, "77"]]
    code, out, _ = _run(["HEAD", str(clone), "--repo", str(clone), "--table", "places"], capsys)
    assert code == 0 and out.rstrip().endswith("no differences in the curated tables")


def test_cli_bad_revision_exits_2_with_a_message(clone, capsys):
    from mfgpolicy.cli import main

    code = main(["diff", "HEAD", "nonexistent-tag", "--repo", str(clone)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "mfgpolicy diff: error: 'nonexistent-tag' is neither a folder nor a git revision" in err


def test_cli_help_and_table_names(capsys):
    with pytest.raises(SystemExit) as exit_:
        _run(["--help"], capsys)
    assert exit_.value.code == 0
    assert "OLD and NEW are each either" in capsys.readouterr().out
    assert diff_cli.TABLE_NAMES == tuple(schema.TABLES)


# --------------------------------------------------------------------------- citation and changelog


def test_citation_cff_is_valid_and_names_the_data_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    allowed = {"abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi",
               "identifiers", "keywords", "license", "license-url", "message", "preferred-citation",
               "references", "repository", "repository-artifact", "repository-code", "title", "type",
               "url", "version"}  # CFF 1.2.0 top-level keys (additionalProperties: false)
    assert set(cff) <= allowed
    assert {"authors", "cff-version", "message", "title"} <= set(cff)  # required
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["authors"] == [{"name": "mfgpolicy contributors"}]
    assert cff["license"] == "CC-BY-4.0"
    assert re.fullmatch(r"\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])", cff["date-released"])
    assert isinstance(cff["keywords"], list) and len(set(cff["keywords"])) == len(cff["keywords"])
    assert all(isinstance(cff[k], str) and cff[k] for k in ("abstract", "message", "title", "version"))
    assert cff["version"] == semantic_version(CURATED)


def test_changelog_records_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", text, flags=re.MULTILINE)
    assert releases and releases[0][0] == semantic_version(CURATED)
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert releases[0][1] == cff["date-released"]
