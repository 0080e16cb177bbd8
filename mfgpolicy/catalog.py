"""The DuckDB catalog: curated tables loaded with their declared types, plus harmonised views."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from mfgpolicy import paths, schema, tables
from mfgpolicy._io import atomic_path


def connect(path: Path | str | None = None, *, curated: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Return a DuckDB connection with every curated table (and the harmonised views) loaded.

    Parameters
    ----------
    path
        None (default) for an in-memory database loaded from ``data/curated``; a file path to
        open a database written by ``build()`` (it is loaded first if it holds no tables yet).
    curated
        Folder of the curated CSVs (default ``data/curated``).

    Examples
    --------
    >>> con = connect()
    >>> con.sql("SELECT count(*) FROM documents").fetchall()[0][0]
    5
    """
    con = duckdb.connect(":memory:" if path is None else str(path))
    if not _has_tables(con):
        curated = curated or paths.CURATED
        load(con, tables.read_all(curated))
        stamp_version(con, curated)
    return con


def stamp_version(con: duckdb.DuckDBPyConnection, curated: Path) -> None:
    """Record the data version of ``curated`` in the one-row table ``about`` (read by figures and Excel)."""
    from mfgpolicy.version import data_version

    con.execute("CREATE OR REPLACE TABLE about AS SELECT ? AS data_version", [data_version(curated)])
    con.fetchall()


def version_of(con: duckdb.DuckDBPyConnection) -> str:
    """Return the data version recorded in ``con`` (computed from ``data/curated`` if none was recorded)."""
    names = {r[0] for r in con.sql("SELECT table_name FROM information_schema.tables").fetchall()}
    if "about" in names:
        return con.sql("SELECT data_version FROM about").fetchall()[0][0]
    from mfgpolicy.version import data_version

    return data_version()


def load(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> None:
    """Create each curated table in ``con`` with its declared column types and fill it."""
    for name, frame in frames.items():
        table = schema.TABLES[name]
        columns = ", ".join(f'"{f.name}" {schema.DUCKDB_TYPES[f.type]}' for f in table.fields)
        con.execute(f'CREATE OR REPLACE TABLE "{name}" ({columns})')
        con.register("_incoming", frame.select(table.columns))
        con.execute(f'INSERT INTO "{name}" SELECT * FROM _incoming')
        con.unregister("_incoming")
        _comment(con, table)
    from mfgpolicy import views

    views.create_views(con, frames)


def build(target: Path | None = None, *, root: Path | None = None) -> Path:
    """Validate the data and write the DuckDB file atomically; return its path.

    A failed validation or load raises and leaves any previous database file untouched.
    """
    from mfgpolicy.validate import check

    check(root)
    curated = paths.CURATED if root is None else Path(root) / "data" / "curated"
    target = Path(target or paths.DATABASE)
    frames = tables.read_all(curated)
    with atomic_path(target) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            load(con, frames)
            stamp_version(con, curated)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        wal = tmp.with_name(tmp.name + ".wal")
        if wal.exists():
            wal.unlink()
    return target


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return set(schema.TABLES) <= names


def _comment(con: duckdb.DuckDBPyConnection, table: schema.Table) -> None:
    statements = [f'COMMENT ON TABLE "{table.name}" IS {_sql_string(table.description)}']
    statements += [f'COMMENT ON COLUMN "{table.name}"."{f.name}" IS {_sql_string(f.description)}'
                   for f in table.fields]
    con.execute(";\n".join(statements))


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
