"""The DuckDB catalog: typed tables, file databases, and atomic builds."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from mfgpolicy import schema
from mfgpolicy.catalog import build, connect
from mfgpolicy.errors import ValidationError
from tests.conftest import RELEASE, edit_cell


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


def test_a_path_that_does_not_exist_is_an_error_not_a_new_database(tmp_path: Path) -> None:
    from mfgpolicy.errors import DatabaseNotFoundError, UsageError

    with pytest.raises(DatabaseNotFoundError, match="no database at"):
        connect(tmp_path / "typo.duckdb")
    assert not (tmp_path / "typo.duckdb").exists()
    with pytest.raises(UsageError, match="must be the file path of a database"):
        connect(123)  # type: ignore[arg-type]
    assert not Path("123").exists()


def test_a_read_only_file_opens_and_is_not_written(tmp_path: Path) -> None:
    out = build(tmp_path / "db.duckdb")
    out.chmod(0o444)
    before = out.read_bytes()
    con = connect(out)
    assert con.sql("SELECT count(*) FROM targets").fetchall()[0][0] > 200
    con.close()
    assert out.read_bytes() == before


def test_another_process_holding_the_database_does_not_block_readers(project: Path) -> None:
    """A notebook holds the database open read-only; the library and the CLI's read commands still work."""
    import subprocess
    import sys

    db = build(root=project)
    code = ("import sys, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
            "c.sql('SELECT 1').fetchall(); print('open', flush=True); sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", code, str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        con = connect(db, root=project)
        assert con.sql("SELECT count(*) FROM documents").fetchall()[0][0] == 5
        con.close()
        for argv in (["headline"], ["compare", "energy_intensity"], ["coverage"]):
            done = subprocess.run([sys.executable, "-m", "mfgpolicy", *argv, "--database", str(db)], cwd=project,
                                  capture_output=True, text=True, check=False)
            assert done.returncode == 0, done.stderr
    finally:
        holder.communicate("")


def test_a_database_of_other_data_is_refused(project: Path) -> None:
    from mfgpolicy.errors import StaleDatabaseError

    db = build(root=project)
    edit_cell(project, "targets", "yuyao-2018-t001", "notes", "edited after the build")
    with pytest.raises(StaleDatabaseError, match=f"out of date: it holds data {re.escape(RELEASE)}[+]sha[.]"):
        connect(db)
    fresh = connect(root=project)  # the default catalog is rebuilt in memory instead
    assert fresh.sql("SELECT notes FROM targets WHERE target_id = 'yuyao-2018-t001'").fetchall() == [
        ("edited after the build",)]


def test_run_validates_once_loads_once_and_reads_the_database_it_built(project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from mfgpolicy import catalog, checks
    from mfgpolicy.catalog import store
    from mfgpolicy.cli import main
    from mfgpolicy.outputs.figures import save
    from mfgpolicy.read import curated

    calls: dict[str, int] = {"inspect": 0, "load": 0, "parse_csv": 0, "connect": 0}

    def counting(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)
        monkeypatch.setattr(module, name, wrapper)

    counting(checks, "inspect")
    counting(store, "load")
    counting(curated, "parse_csv")
    counting(catalog, "connect")
    drawn_from: list[tuple] = []
    monkeypatch.setattr(save, "write_all",
                        lambda out, *a, con, **k: drawn_from.append(con.sql("SELECT source FROM about").fetchall()) or [])
    assert main(["run", "--root", str(project), "-q"]) == 0
    assert calls["inspect"] == 1 and calls["load"] == 1 and calls["connect"] == 1
    assert calls["parse_csv"] == len(schema.TABLES)  # each curated CSV parsed once
    assert (project / "data" / "build" / "mfgpolicy-summary.xlsx").exists()
    assert drawn_from == [[(str(project.resolve()),)]]  # the figures read the database run built
