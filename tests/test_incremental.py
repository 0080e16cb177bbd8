"""Incremental validation reports exactly what a full run reports, after any edit, and really is incremental.

Each test copies the data (the ``project`` fixture), runs a clean incremental validation that
writes the record, edits the copy the way a curator (or an accident) would, and compares the
incremental run's problems, in order, with a full run's. Most run with tiny chunks, so that a
table spans many chunks and the changed span is found and spliced among them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from mfgpolicy import schema
from mfgpolicy.checks import Checked, cache, inspect, validate
from mfgpolicy.cli import main
from mfgpolicy.project import Project

LP = "yuyao-2018-t001"
SIDECAR = "yuyao-2018-traditional-manufacturing.meta.yml"


@pytest.fixture
def recorded(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The copied project after a clean incremental run that wrote the record (with small chunks)."""
    monkeypatch.setattr(cache, "CHUNK_BYTES", 600)
    first = inspect(project, incremental=True)
    assert first.ok and not first.report.incremental and first.report.saved
    return project


def same_as_full(root: Path) -> Checked:
    """Run incrementally, then fully; assert the same problems in the same order; return the incremental run."""
    incremental = inspect(root, incremental=True)
    assert incremental.problems == validate(root)
    return incremental


def _path(root: Path, table: str) -> Path:
    return root / "data" / "curated" / f"{table}.csv"


def _line(data: bytes, row: str) -> tuple[int, int]:
    """Return the byte span of the (single-line) record whose first field is ``row``."""
    at = data.index(b"\n" + row.encode() + b",") + 1
    return at, data.index(b"\n", at) + 1


def replace_in_row(table: str, row: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        data = _path(root, table).read_bytes()
        a, b = _line(data, row)
        assert old.encode() in data[a:b], (old, data[a:b])
        _path(root, table).write_bytes(data[:a] + data[a:b].replace(old.encode(), new.encode(), 1) + data[b:])
    return edit


def delete_row(table: str, row: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        data = _path(root, table).read_bytes()
        a, b = _line(data, row)
        _path(root, table).write_bytes(data[:a] + data[b:])
    return edit


def copy_row(table: str, row: str, new_id: str | None = None, *, first: bool = False) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        data = _path(root, table).read_bytes()
        a, b = _line(data, row)
        line = data[a:b] if new_id is None else data[a:b].replace(row.encode(), new_id.encode(), 1)
        at = data.index(b"\n") + 1 if first else len(data)
        _path(root, table).write_bytes(data[:at] + line + data[at:])
    return edit


def rewrite(table: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        _path(root, table).write_bytes(change(_path(root, table).read_bytes()))
    return edit


def other_file(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "data" / "curated" / name
        path.write_bytes(change(path.read_bytes()))
    return edit


def raw_file(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "data" / "raw" / name
        path.write_bytes(change(path.read_bytes()))
    return edit


def touch(table: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = _path(root, table)
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    return edit


# (edit, whether the run after it is incremental)
EDITS: dict[str, tuple[Callable[[Path], None], bool]] = {
    "a value no longer in its quote": (replace_in_row("targets", LP, ",8,", ",9,"), True),
    "a quote moved off its offsets": (replace_in_row("targets", LP, ",817,838,", ",818,839,"), True),
    "a note with a quoted line break": (rewrite("targets", lambda d: _note(d, LP, b'"A line\nbreak, quoted"')), True),
    "a duplicated id": (replace_in_row("targets", "yuyao-2018-t002", "yuyao-2018-t002", LP), True),
    "a baseline a target links to changes value": (replace_in_row("baselines", "ningbo-2016-b100", ",37,", ",38,"),
                                                   True),
    "a baseline a target links to is renamed": (
        replace_in_row("baselines", "ningbo-2016-b101", "ningbo-2016-b101", "ningbo-2016-b999"), True),
    "a target others restate is deleted": (delete_row("targets", "jinhua-2021-t007"), True),
    "a target others restate changes indicator": (
        replace_in_row("targets", "jinhua-2021-t005", "330700,", "330700,x"), True),
    "a target an implication reads is deleted": (delete_row("targets", "jinhua-2021-t057"), True),
    "a row added twice": (copy_row("targets", "yuyao-2018-t003"), True),
    "a valid row added": (copy_row("targets", "yuyao-2018-t003", "yuyao-2018-t903"), True),
    "a valid row added first": (copy_row("targets", "yuyao-2018-t003", "yuyao-2018-t904", first=True), True),
    "two rows swapped": (rewrite("targets", lambda d: _swap(d, LP, "jinhua-2021-t001")), True),
    "a place changes code": (replace_in_row("places", "Ningbo", "330200", "330201"), True),
    "a place changes level": (replace_in_row("places", "Yuyao", "county", "prefecture"), True),
    "a place others cite is deleted": (delete_row("places", "Wenzhou"), True),
    "a document's period changes": (replace_in_row("documents", "yuyao-2018", ",2018,", ",2019,"), True),
    "a document others cite is deleted": (delete_row("documents", "wenzhou-2018"), True),
    "an indicator is renamed": (rewrite("indicators", lambda d: d.replace(
        b"\nlabour_productivity,", b"\nlabour_productivityX,", 1)), True),
    "a source is renamed": (rewrite("sources", lambda d: d.replace(
        b"\njinhua-2021-11-tjj,", b"\njinhua-2021-11-tjjX,", 1)), True),
    "a table that may be empty is emptied": (rewrite("implications", lambda d: d[: d.index(b"\n") + 1]), True),
    "a table that must have rows is emptied": (rewrite("targets", lambda d: d[: d.index(b"\n") + 1]), False),
    "a blank line": (rewrite("targets", lambda d: d.replace(b"\n" + LP.encode(), b"\n\n" + LP.encode(), 1)), True),
    "the last newline removed": (rewrite("targets", lambda d: d.rstrip(b"\n")), True),
    "an unbalanced quote": (replace_in_row("targets", LP, "yuyao-2018-t001,", 'yuyao-2018-t001,"'), False),
    "a row with an extra field": (replace_in_row("targets", LP, ",", ",x,"), False),
    "bytes that are not UTF-8": (rewrite("targets", lambda d: d.replace(b"\n" + LP.encode(), b"\n\xff" + LP.encode())),
                                 False),
    "a changed header": (rewrite("targets", lambda d: d.replace(b",notes\n", b",notes,extra\n", 1)), False),
    "a file touched, not changed": (touch("targets"), True),
    "VERSION no longer a version": (other_file("VERSION", lambda d: b"1.0\n"), True),
    "VERSION changed": (other_file("VERSION", lambda d: b"1.0.1\n"), True),
    "datapackage.json edited": (other_file("datapackage.json", lambda d: d + b" "), True),
    "a raw text edited": (raw_file(SIDECAR.replace(".meta.yml", ".txt"), lambda d: d + b"\n"), False),
    "a raw sidecar edited": (raw_file(SIDECAR, lambda d: d.replace(b"2018", b"2019", 1)), False),
}


def _note(data: bytes, row: str, note: bytes) -> bytes:
    """Set the last cell (notes) of a row that has no quoted cell."""
    a, b = _line(data, row)
    return data[:a] + data[a:b].rsplit(b",", 1)[0] + b"," + note + b"\n" + data[b:]


def _swap(data: bytes, one: str, two: str) -> bytes:
    (a, b), (c, d) = sorted([_line(data, one), _line(data, two)])
    return data[:a] + data[c:d] + data[b:c] + data[a:b] + data[d:]


WHOLE = ("a value no longer in its quote", "a duplicated id", "a baseline a target links to is renamed",
         "a target others restate is deleted", "a valid row added first", "a place changes code")
"""Edits also tried with the default chunks (every table of the real data is one chunk)."""


@pytest.mark.parametrize(("name", "chunk"), [*((name, 600) for name in EDITS), *((name, None) for name in WHOLE)])
def test_an_edit_is_reported_as_a_full_run_reports_it(project: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                                      chunk: int | None) -> None:
    monkeypatch.setattr(cache, "CHUNK_BYTES", chunk or cache.CHUNK_BYTES)
    edit, incremental = EDITS[name]
    first = inspect(project, incremental=True)
    assert first.ok and first.report.saved
    edit(project)
    again = same_as_full(project)
    assert again.report.incremental is incremental, again.report.summary()
    if not again.ok:
        assert not again.report.saved


def test_the_edits_are_real(project: Path) -> None:
    """Every edit above that should break something does (so the comparisons are not of empty lists)."""
    quiet = {"two rows swapped", "a valid row added", "a valid row added first", "a file touched, not changed",
             "the last newline removed", "VERSION changed", "a table that may be empty is emptied",
             "a note with a quoted line break"}
    for name, (edit, _) in EDITS.items():
        before = {p.name: p.read_bytes() for p in (project / "data" / "curated").iterdir()}
        raw = {p.name: p.read_bytes() for p in (project / "data" / "raw").iterdir()}
        edit(project)
        assert bool(validate(project)) is (name not in quiet), name
        for folder, files in (("curated", before), ("raw", raw)):
            for file, data in files.items():
                (project / "data" / folder / file).write_bytes(data)


def test_a_second_run_rechecks_only_the_changed_row(recorded: Path) -> None:
    path = _path(recorded, "targets")
    data = path.read_bytes()
    _, end = _line(data, LP)
    path.write_bytes(data[: end - 1] + b" (edited)" + data[end - 1:])  # the notes cell, last in the row
    again = same_as_full(recorded)
    assert again.ok and again.report.incremental
    assert again.report.changed == {"targets.csv": 1} and again.report.rechecked == {"targets.csv": 1}
    assert again.report.summary() == \
        "checked 1 changed row of targets.csv (raw files unchanged since the last clean run)"
    assert again.frames == {} and again.report.saved


def test_a_row_only_named_for_its_key_reaches_no_other_row(recorded: Path) -> None:
    """No check reads an indicator's other cells: editing them rechecks the indicator alone."""
    rewrite("indicators", lambda d: d.replace(b"Overall labour productivity", b"Labour productivity", 1))(recorded)
    again = same_as_full(recorded)
    assert again.ok and again.report.rechecked == {"indicators.csv": 1}
    rewrite("indicators", lambda d: d.replace(b"\nlabour_productivity,", b"\nlabour_productivityX,", 1))(recorded)
    renamed = same_as_full(recorded)
    assert renamed.problems and renamed.report.rechecked["targets.csv"] > 1


def test_nothing_changed_means_nothing_rechecked(recorded: Path) -> None:
    again = same_as_full(recorded)
    assert again.ok and again.report.incremental and again.report.rechecked == {} and not again.report.saved


def test_edits_one_after_another_stay_exact(recorded: Path) -> None:
    """Clean edits update the record (a patch each, then a rewrite); later edits are still compared exactly."""
    for k in range(cache.MAX_PATCHES + 3):
        copy_row("targets", "yuyao-2018-t003", f"yuyao-2018-t9{k:02}")(recorded)
        clean = same_as_full(recorded)
        assert clean.ok and clean.report.incremental and clean.report.saved
        assert clean.report.changed == {"targets.csv": 1}
    manifest = json.loads((recorded / "data" / "build" / "validation" / cache.MANIFEST).read_text())
    assert 0 < len(manifest["indexes"]["targets"]["patches"]) < cache.MAX_PATCHES
    replace_in_row("targets", "yuyao-2018-t905", "yuyao-2018-t905", LP)(recorded)
    broken = same_as_full(recorded)
    assert [p.message for p in broken.problems] == ["duplicate id", "duplicate id"]


def test_random_edits_match_the_full_run(recorded: Path) -> None:
    """A few dozen random edits (cells, rows deleted, copied, swapped), some reverted, each compared exactly."""
    rng = random.Random(12)
    names = ["targets", "targets", "targets", "baselines", "places", "documents", "implications", "indicators",
             "cited_targets", "cited_documents", "sources", "observations", "plan_links", "plan_spans"]
    for name in schema.CURATED:  # the csv module's own quoting, so that an edit changes only its rows
        if name != "documents":
            _write(recorded, name, _read(recorded, name))
    assert same_as_full(recorded).ok
    clean = {name: _path(recorded, name).read_bytes() for name in schema.CURATED}
    for _ in range(30):
        for _ in range(rng.choice([1, 1, 2])):
            _random_edit(recorded, rng, rng.choice(names))
        checked = same_as_full(recorded)
        assert checked.report.incremental
        if checked.ok:
            clean = {name: _path(recorded, name).read_bytes() for name in schema.CURATED}
        elif rng.random() < 0.5:
            for name, data in clean.items():
                if _path(recorded, name).read_bytes() != data:
                    _path(recorded, name).write_bytes(data)
            assert same_as_full(recorded).ok


def _read(root: Path, table: str) -> list[list[str]]:
    with _path(root, table).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(root: Path, table: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    _path(root, table).write_text(out.getvalue(), encoding="utf-8", newline="")


def _random_edit(root: Path, rng: random.Random, table: str) -> None:
    head, *body = _read(root, table)
    what = rng.choice(["cell", "cell", "cell", "delete", "copy", "copy-new", "swap"]) if body else "none"
    if what == "cell":
        row, col = rng.randrange(len(body)), rng.randrange(len(head))
        body[row][col] = rng.choice([body[rng.randrange(len(body))][col], "", "x", "9", "2030", "true", LP])
    elif what == "delete":
        del body[rng.randrange(len(body))]
    elif what.startswith("copy"):
        row = list(rng.choice(body))
        if what == "copy-new":
            row[0] += "-n"
        body.insert(rng.randrange(len(body) + 1), row)
    elif what == "swap":
        a, b = rng.randrange(len(body)), rng.randrange(len(body))
        body[a], body[b] = body[b], body[a]
    _write(root, table, [head, *body])


def test_no_record_is_written_after_a_run_with_problems(project: Path) -> None:
    replace_in_row("targets", LP, ",8,", ",9,")(project)
    broken = inspect(project, incremental=True)
    assert broken.problems and not broken.report.saved
    assert not (project / "data" / "build" / "validation").exists()


def test_a_run_with_problems_keeps_the_last_clean_record(recorded: Path) -> None:
    manifest = recorded / "data" / "build" / "validation" / cache.MANIFEST
    before = manifest.read_bytes()
    replace_in_row("targets", LP, ",8,", ",9,")(recorded)
    assert same_as_full(recorded).problems
    assert manifest.read_bytes() == before
    replace_in_row("targets", LP, ",9,", ",8,")(recorded)
    fixed = same_as_full(recorded)
    assert fixed.ok and fixed.report.incremental and fixed.report.saved


def _hidden_edit(root: Path) -> None:
    """Break a row without changing the file's size or mtime: only a full run can see it."""
    path = _path(root, "targets")
    stat = path.stat()
    replace_in_row("targets", LP, ",8,", ",9,")(root)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_full_ignores_the_record(recorded: Path, capsys: pytest.CaptureFixture) -> None:
    _hidden_edit(recorded)
    assert inspect(recorded, incremental=True).ok  # by design: size and mtime say the file is as recorded
    manifest = recorded / "data" / "build" / "validation" / cache.MANIFEST
    before = manifest.read_bytes()
    assert main(["validate", "--root", str(recorded), "--full"]) == 1
    captured = capsys.readouterr()
    assert "checked everything (--full)" in captured.err
    assert f"targets.csv row {LP}" in captured.out
    assert manifest.read_bytes() == before


def test_full_writes_no_record(project: Path) -> None:
    assert main(["validate", "--root", str(project), "--full"]) == 0
    assert not (project / "data" / "build").exists()


def test_the_command_is_incremental_by_default(project: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "--root", str(project)]) == 0
    assert "checked everything (no record of a clean run yet)" in capsys.readouterr().err
    replace_in_row("targets", LP, ",8,", ",9,")(project)
    assert main(["validate", "--root", str(project)]) == 1
    captured = capsys.readouterr()
    assert "checked 1 changed row of targets.csv (raw files unchanged since the last clean run)" in captured.err
    assert f"targets.csv row {LP}" in captured.out and "does not appear in the quote" in captured.out


def test_the_library_is_full_by_default_and_writes_nothing(project: Path) -> None:
    checked = inspect(project)
    assert checked.ok and checked.report is None and checked.frames
    assert validate(project) == []
    assert not (project / "data" / "build").exists()


def test_a_change_in_the_checks_means_a_full_run(recorded: Path) -> None:
    manifest = recorded / "data" / "build" / "validation" / cache.MANIFEST
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "fingerprint": "0" * 40}))
    again = same_as_full(recorded)
    assert not again.report.incremental and again.report.reason == "the checks changed since the last clean run"
    assert again.report.saved and json.loads(manifest.read_text())["fingerprint"] == cache.fingerprint()


@pytest.mark.parametrize("damage", ["manifest", "index"])
def test_a_damaged_record_means_a_full_run(recorded: Path, damage: str) -> None:
    folder = recorded / "data" / "build" / "validation"
    if damage == "manifest":
        (folder / cache.MANIFEST).write_text("{not json")
    else:
        for index in folder.glob("targets.*.parquet"):
            index.write_bytes(b"not parquet")
    replace_in_row("targets", LP, ",8,", ",9,")(recorded)
    again = same_as_full(recorded)
    assert again.problems and not again.report.incremental


def test_an_output_folder_that_cannot_be_written_only_leaves_a_note(project: Path) -> None:
    (project / "data" / "build").write_text("a file where the output folder should be")
    checked = inspect(project, incremental=True)
    assert checked.ok and not checked.report.saved and "not saved" in checked.report.note
    assert main(["validate", "--root", str(project)]) == 0


def test_bundled_data_keeps_no_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    checked = inspect(Project.bundled(), incremental=True)
    assert checked.ok and not checked.report.incremental and not checked.report.saved
    assert list(tmp_path.iterdir()) == []


def test_row_hashes_are_the_same_in_another_process(project: Path) -> None:
    from mfgpolicy.read.curated import read_strings

    frame = read_strings(_path(project, "targets"))
    here = cache.row_hashes(frame).to_list()
    code = ("import sys, json; from mfgpolicy.checks import cache; from mfgpolicy.read.curated import read_strings; "
            "print(json.dumps(cache.row_hashes(read_strings(sys.argv[1])).to_list()))")
    there = subprocess.run([sys.executable, "-c", code, str(_path(project, "targets"))], capture_output=True,
                           text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert json.loads(there.stdout) == here
    assert len(set(here)) == len(here)


def test_chunks_hold_whole_records(project: Path) -> None:
    """A quoted line break never ends a chunk, and the rows counted per chunk add up to the table's."""
    from mfgpolicy.read.curated import read_strings

    for name in ("baselines", "targets", "documents"):
        data = _path(project, name).read_bytes()
        head = cache.header_end(data)
        height = read_strings(_path(project, name)).height
        bounds, rows, _ = cache.cut(data, head, len(data), height)
        assert sum(rows) == height and len(rows) == 1
        small = cache.CHUNK_BYTES
        try:
            cache.CHUNK_BYTES = 300
            bounds, rows, _ = cache.cut(data, head, len(data), height)
        finally:
            cache.CHUNK_BYTES = small
        assert len(rows) > 3 and sum(rows) == height
        for a, b, n in zip(bounds, bounds[1:], rows):
            assert pl.read_csv(data[:head] + data[a:b], infer_schema=False).height == n
