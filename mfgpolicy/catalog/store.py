"""Storing checked data: the curated tables and the views in a connection, or a whole database file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from mfgpolicy import schema
from mfgpolicy.catalog.tables import put_table

if TYPE_CHECKING:
    from mfgpolicy.checks import Checked
    from mfgpolicy.project import Project


def load(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame], *, copy: bool | None = None) -> None:
    """Put each curated table into ``con`` with its declared column types, and the derived tables and views.

    ``copy``: copy the frames into DuckDB tables (True), or register them in place (False);
    by default, copy into a database file and register in an in-memory database.
    """
    from mfgpolicy.catalog import views

    if copy is None:
        copy = is_file(con)
    for name, frame in frames.items():
        put_table(con, name, frame, declared=schema.CURATED[name], copy=copy)
    views.create_views(con, frames, copy=copy)


def is_file(con: duckdb.DuckDBPyConnection) -> bool:
    """True when ``con``'s current database is a file (False in memory)."""
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return bool(rows and rows[0][0])


def write_database(target: Path, checked: Checked, project: Project) -> Path:
    """Write the catalog of ``checked`` data to ``target`` atomically; return ``target``."""
    from mfgpolicy._io import atomic_path, guard_output
    from mfgpolicy.catalog.about import about_of, stamp

    guard_output(target, project, what="the database", kind="database")
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
