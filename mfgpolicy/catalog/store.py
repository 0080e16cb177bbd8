"""Storing checked data: the curated tables and the views in a connection, or a whole database file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from mfgpolicy import schema
from mfgpolicy.catalog.tables import create_table

if TYPE_CHECKING:
    from mfgpolicy.checks import Checked
    from mfgpolicy.project import Project


def load(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> None:
    """Create each curated table in ``con`` with its declared column types, fill it, and create the views."""
    from mfgpolicy.catalog import views

    for name, frame in frames.items():
        create_table(con, schema.CURATED[name], frame)
    views.create_views(con, frames)


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
