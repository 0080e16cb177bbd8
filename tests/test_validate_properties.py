"""Property tests: random corruption of the curated tables, sidecars and raw files.

Whatever is done to a copy of the data, ``validate`` never raises; when the corruption makes
the data wrong it reports at least one problem and names the file it corrupted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfgpolicy import schema
from mfgpolicy.checks import validate
from tests.conftest import DATA

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TABLES = list(schema.CURATED.values())
RAW_FILES = sorted(p.name for p in (DATA / "raw").glob("*.txt"))


@pytest.fixture
def fresh(tmp_path: Path):
    """Return a function giving a new pristine copy of the data for each example."""
    counter = iter(range(10**6))

    def make() -> Path:
        root = tmp_path / f"copy{next(counter)}"
        for part in ("raw", "curated"):
            shutil.copytree(DATA / part, root / "data" / part)
        return root
    return make


_BAD = {
    "integer": ["x", "1.5", "2o20", "--2"],
    "number": ["abc", "1,5", "--2", "1e"],
    "boolean": ["yes", "True", "1", "f"],
    "date": ["2021-13-01", "yesterday", "2021/01/01"],
}


@st.composite
def bad_cells(draw: st.DrawFn) -> tuple[schema.Table, int, str, str]:
    """A table, a row, a column, and a value that is certainly wrong there."""
    table = draw(st.sampled_from(TABLES))
    frame = pl.read_csv(DATA / "curated" / table.path, infer_schema=False)
    row = draw(st.integers(0, frame.height - 1))
    candidates = [f for f in table.fields
                  if f.type in _BAD or f.enum or f.required or f.name == table.primary_key
                  or f.name in table.foreign_keys or f.name in ("quote", "char_start", "char_end")]
    f = draw(st.sampled_from(candidates))
    old = frame[f.name][row]
    if f.name in ("char_start", "char_end") and old is not None:
        value = str(int(old) + draw(st.sampled_from([1, -1, 1000])))
    elif f.name == "quote" and old:
        value = old + draw(st.sampled_from(["X", "。", "1"]))
    elif f.name == table.primary_key or f.name in table.foreign_keys:
        value = (old or "id") + draw(st.sampled_from([" ", " x", "\u3000"]))
    elif f.type in _BAD:
        value = draw(st.sampled_from(_BAD[f.type]))
    elif f.enum:
        value = draw(st.text(min_size=1, max_size=8).filter(lambda t: t not in f.enum and t.strip() == t and t))
    else:
        value = ""  # a required free-text cell emptied
    return table, row, f.name, value


def _set_cell(root: Path, table: schema.Table, row: int, column: str, value: str) -> None:
    path = root / "data" / "curated" / table.path
    frame = pl.read_csv(path, infer_schema=False)
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value or None, pl.String))
                               .otherwise(pl.col(column)).alias(column))
    frame.write_csv(path)


@SETTINGS
@given(bad_cells())
def test_a_wrong_cell_is_always_reported_in_its_table(fresh, case) -> None:
    table, row, column, value = case
    root = fresh()
    _set_cell(root, table, row, column, value)
    problems = validate(root)
    assert problems, (table.name, row, column, value)
    assert any(p.table == table.path for p in problems), (table.name, column, value, problems[:3])


@SETTINGS
@given(st.sampled_from(TABLES), st.sampled_from([b"\xff", b"\xc3", b"\x80\x80"]), st.floats(0, 1))
def test_bytes_that_are_not_utf8_are_reported_in_their_table(fresh, table, junk, where) -> None:
    root = fresh()
    path = root / "data" / "curated" / table.path
    data = path.read_bytes()
    at = int(where * len(data))
    path.write_bytes(data[:at] + junk + data[at:])
    problems = validate(root)
    assert any(p.table == table.path and "UTF-8" in p.message for p in problems), problems[:3]


@SETTINGS
@given(st.sampled_from(TABLES), st.binary(max_size=300))
def test_a_table_replaced_by_any_bytes_is_reported(fresh, table, data) -> None:
    root = fresh()
    (root / "data" / "curated" / table.path).write_bytes(data)
    problems = validate(root)
    assert any(p.table == table.path for p in problems), problems[:3]


@SETTINGS
@given(st.sampled_from(RAW_FILES), st.binary(min_size=1, max_size=4), st.floats(0, 1), st.booleans())
def test_an_edited_raw_file_is_reported(fresh, name, junk, where, replace) -> None:
    root = fresh()
    path = root / "data" / "raw" / name
    data = path.read_bytes()
    at = min(int(where * len(data)), len(data) - 1)
    edited = data[:at] + junk + data[at + (len(junk) if replace else 0):]
    if edited == data:
        return
    path.write_bytes(edited)
    problems = validate(root)
    assert any(name in p.message or name in p.value or name in p.table for p in problems), problems[:3]


@SETTINGS
@given(st.sampled_from(RAW_FILES), st.binary(max_size=200))
def test_a_sidecar_replaced_by_any_bytes_is_reported(fresh, name, data) -> None:
    root = fresh()
    sidecar = name.removesuffix(".txt") + ".meta.yml"
    (root / "data" / "raw" / sidecar).write_bytes(data)
    problems = validate(root)
    assert any(p.table == f"data/raw/{sidecar}" for p in problems), problems[:3]


@SETTINGS
@given(st.sampled_from(TABLES), st.data())
def test_any_text_in_any_cell_never_makes_validate_raise(fresh, table, data) -> None:
    root = fresh()
    frame = pl.read_csv(DATA / "curated" / table.path, infer_schema=False)
    row = data.draw(st.integers(0, frame.height - 1))
    column = data.draw(st.sampled_from(table.columns))
    value = data.draw(st.text(max_size=30))
    _set_cell(root, table, row, column, value)
    validate(root)  # must return, whatever the text
