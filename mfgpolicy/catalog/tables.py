"""Creating one table in DuckDB with its declared column types and comments (from ``mfgpolicy.schema``)."""

from __future__ import annotations

import duckdb
import polars as pl

from mfgpolicy import schema


def create_table(con: duckdb.DuckDBPyConnection, table: schema.Table, frame: pl.DataFrame) -> None:
    """Create ``table`` in ``con`` with its declared types and comments, filled from ``frame``."""
    columns = ", ".join(f'"{f.name}" {schema.DUCKDB_TYPES[f.type]}' for f in table.fields)
    con.execute(f'CREATE OR REPLACE TABLE "{table.name}" ({columns})')
    con.register("_incoming", frame.select(table.columns))
    con.execute(f'INSERT INTO "{table.name}" SELECT * FROM _incoming')
    con.unregister("_incoming")
    _comment(con, table)


def _comment(con: duckdb.DuckDBPyConnection, table: schema.Table) -> None:
    statements = [f'COMMENT ON TABLE "{table.name}" IS {_sql_string(table.description)}']
    statements += [f'COMMENT ON COLUMN "{table.name}"."{f.name}" IS {_sql_string(f.description)}'
                   for f in table.fields]
    con.execute(";\n".join(statements))


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
