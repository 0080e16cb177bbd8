"""Loading checked tables into DuckDB: declared types, column comments, then the harmonised views."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from mfgpolicy import schema

if TYPE_CHECKING:
    from mfgpolicy.checks import Checked
    from mfgpolicy.project import Project


def load(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> None:
    """Create each curated table in ``con`` with its declared column types, fill it, and create the views."""
    from mfgpolicy.catalog import views

    for name, frame in frames.items():
        create_table(con, schema.CURATED[name], frame)
    views.create_views(con, frames)


def create_table(con: duckdb.DuckDBPyConnection, table: schema.Table, frame: pl.DataFrame) -> None:
    """Create ``table`` in ``con`` with its declared types and comments, filled from ``frame``."""
    columns = ", ".join(f'"{f.name}" {schema.DUCKDB_TYPES[f.type]}' for f in table.fields)
    con.execute(f'CREATE OR REPLACE TABLE "{table.name}" ({columns})')
    con.register("_incoming", frame.select(table.columns))
    con.execute(f'INSERT INTO "{table.name}" SELECT * FROM _incoming')
    con.unregister("_incoming")
    _comment(con, table)


def write_database(target: Path, checked: Checked, project: Project) -> Path:
    """Write the catalog of ``checked`` data to ``target`` atomically; return ``target``."""
    from mfgpolicy._io import atomic_path, guard_output
    from mfgpolicy.catalog.about import about_of, stamp

    guard_output(target, project, what="the database")
    with atomic_path(target) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            load(con, checked.frames)
            stamp(con, about_of(project, project.data_version()))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        wal = tmp.with_name(tmp.name + ".wal")
        if wal.exists():
            wal.unlink()
    return target


def _comment(con: duckdb.DuckDBPyConnection, table: schema.Table) -> None:
    statements = [f'COMMENT ON TABLE "{table.name}" IS {_sql_string(table.description)}']
    statements += [f'COMMENT ON COLUMN "{table.name}"."{f.name}" IS {_sql_string(f.description)}'
                   for f in table.fields]
    con.execute(";\n".join(statements))


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
