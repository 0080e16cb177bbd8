"""Shared fixtures: the repository's own data, and a throw-away copy of it to corrupt."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from mfgpolicy.project import Project

ROOT = Path(__file__).resolve().parent.parent
RELEASE = (ROOT / "data" / "curated" / "VERSION").read_text(encoding="utf-8").strip()
"""The data's semantic version (the part of ``data_version()`` before ``+sha``)."""
"""The repository: its data is what the tests check."""
DATA = ROOT / "data"
RAW = DATA / "raw"
CURATED = DATA / "curated"
PROJECT = Project.at(ROOT)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a project root in ``tmp_path`` holding copies of data/raw and data/curated."""
    for part in ("raw", "curated"):
        shutil.copytree(DATA / part, tmp_path / "data" / part)
    return tmp_path


def edit_cell(root: Path, table: str, row_id: str, column: str, value: str | None) -> None:
    """Set one cell of a curated CSV under ``root`` (by primary key), keeping everything as text."""
    from mfgpolicy.schema import TABLES

    path = root / "data" / "curated" / f"{table}.csv"
    frame = pl.read_csv(path, infer_schema=False)
    key = TABLES[table].primary_key
    assert row_id in frame[key].to_list(), f"{row_id} not in {table}"
    frame = frame.with_columns(
        pl.when(pl.col(key) == row_id).then(pl.lit(value, dtype=pl.String)).otherwise(pl.col(column)).alias(column)
    )
    frame.write_csv(path)


def cell(table: str, row_id: str, column: str) -> str | None:
    """Return one cell of a real curated CSV as text."""
    from mfgpolicy.schema import TABLES

    frame = pl.read_csv(CURATED / f"{table}.csv", infer_schema=False)
    return frame.filter(pl.col(TABLES[table].primary_key) == row_id)[column].item()


def catalog_with(edit: Callable[[dict[str, pl.DataFrame]], None]):
    """Return an in-memory catalog of the real data after ``edit`` changed its checked tables in place.

    An in-memory catalog holds the frames themselves (read-only views), so a test that needs
    different data edits the frames before they are loaded, as a curator edits the CSVs.
    """
    import duckdb

    from mfgpolicy.catalog import store
    from mfgpolicy.catalog.about import about_of, stamp
    from mfgpolicy.checks import check

    frames = dict(check(PROJECT).frames)
    edit(frames)
    con = duckdb.connect()
    store.load(con, frames)
    stamp(con, about_of(PROJECT, PROJECT.data_version()))
    return con


def require_tool(missing: str | None) -> None:
    """Skip a test whose system tool is missing (``missing`` says which and how to install it).

    In CI (``MFGPOLICY_REQUIRE_TOOLS=1``, set by ``.ci/run`` after installing them) the test
    fails instead, so a missing browser or LibreOffice can never pass unseen.
    """
    import os

    if missing:
        if os.environ.get("MFGPOLICY_REQUIRE_TOOLS"):
            pytest.fail(missing)
        pytest.skip(missing)
