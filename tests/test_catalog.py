"""The DuckDB catalog: typed tables, file databases, and atomic builds."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from mfgpolicy import schema
from mfgpolicy.catalog import build, connect
from mfgpolicy.errors import ValidationError
from tests.conftest import edit_cell


def test_connect_loads_every_table_with_declared_types() -> None:
    con = connect()
    for name, table in schema.TABLES.items():
        types = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [name]).fetchall())
        assert types == {f.name: schema.DUCKDB_TYPES[f.type] for f in table.fields}, name
    frame = con.sql("SELECT * FROM targets").pl()
    assert frame.schema["target_year"] == pl.Int32 and frame.schema["value"] == pl.Float64
    assert frame.schema["per_year"] == pl.Boolean
    assert frame.height == pl.read_csv("data/curated/targets.csv", infer_schema=False).height


def test_connect_returns_a_headline_number_from_sql() -> None:
    con = connect()
    value = con.sql("""SELECT value FROM targets WHERE city = 'Yuyao'
                       AND indicator_key = 'labour_productivity' AND kind = 'annual_growth'""").fetchall()[0][0]
    assert value == 8.0


def test_build_writes_a_file_database_that_connect_opens(tmp_path: Path) -> None:
    out = build(tmp_path / "db.duckdb")
    con = connect(out)
    assert con.sql("SELECT count(*) FROM documents").fetchall()[0][0] == 5
    assert not list(tmp_path.glob("*.tmp"))


def test_failed_build_leaves_previous_database_intact(project: Path) -> None:
    out = project / "data" / "build" / "mfgpolicy.duckdb"
    build(out, root=project)
    before = out.read_bytes()
    edit_cell(project, "targets", "yuyao-2018-t001", "indicator_key", "nope")
    with pytest.raises(ValidationError):
        build(out, root=project)
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["mfgpolicy.duckdb"]
