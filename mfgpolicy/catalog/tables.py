"""Putting one table into DuckDB: copied into a database file, or registered in place in memory.

A database file gets real tables with their declared column types and comments (from
``mfgpolicy.schema``). An in-memory catalog registers the polars frames themselves
(``frames.FrameStream``: DuckDB reads their Arrow memory, nothing is copied, so a million targets
load in milliseconds) under the same names, with the same types and comments.
"""

from __future__ import annotations

import duckdb
import polars as pl

from mfgpolicy import schema
from mfgpolicy.catalog.frames import FrameStream
from mfgpolicy.read.curated import POLARS_TYPES


def put_table(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, *,
              declared: schema.Table | None = None, copy: bool = True) -> None:
    """Make ``frame`` the table ``name`` of ``con``.

    ``declared`` gives its columns, types and comments; ``copy`` False registers the frame in
    place (for in-memory catalogs) instead of copying it into a DuckDB table.
    """
    if declared is not None:
        frame = frame.select(declared.columns).cast({f.name: POLARS_TYPES[f.type] for f in declared.fields})
    stream = FrameStream(frame)  # DuckDB reads the frame's own Arrow memory
    if copy:
        if declared is not None:
            columns = ", ".join(f'"{f.name}" {schema.DUCKDB_TYPES[f.type]}' for f in declared.fields)
            con.execute(f'CREATE OR REPLACE TABLE "{name}" ({columns})')
            con.register("_incoming", stream)
            con.execute(f'INSERT INTO "{name}" SELECT * FROM _incoming')
        else:
            con.register("_incoming", stream)
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _incoming')
        con.unregister("_incoming")
    else:
        con.register(name, stream)
    if declared is not None:
        comment(con, name, declared, kind="TABLE" if copy else "VIEW")


def comment(con: duckdb.DuckDBPyConnection, name: str, table: schema.Table, *, kind: str = "TABLE") -> None:
    """Attach ``table``'s description and its fields' descriptions to the table or view ``name``."""
    statements = [f'COMMENT ON {kind} "{name}" IS {_sql_string(table.description)}']
    statements += [f'COMMENT ON COLUMN "{name}"."{f.name}" IS {_sql_string(f.description)}' for f in table.fields]
    con.execute(";\n".join(statements))


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
