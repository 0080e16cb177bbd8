"""The DuckDB catalog, the hub of the flow: curated tables with their declared types, the harmonised
table and the views every output reads.

``build()`` validates once, loads once and harmonises once into a DuckDB file, written
atomically. ``connect()`` opens a database for reading (read-only, so a notebook holding it
never blocks the command line) or, with no path, the project's built database when it is
current and else an in-memory catalog loaded from the validated curated tables.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from mfgpolicy.catalog.about import about_of, read_about, stamp, why_stale
from mfgpolicy.catalog.store import load
from mfgpolicy.errors import DatabaseNotFoundError, MfgPolicyError, StaleDatabaseError, UsageError
from mfgpolicy.project import Project

__all__ = ["build", "connect", "load", "version_of"]


def connect(path: str | os.PathLike | None = None, *, root: str | Path | None = None,
            project: Project | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Return a DuckDB connection to the catalog.

    Parameters
    ----------
    path
        None (default): the project's built database (``data/build/mfgpolicy.duckdb``) when it
        holds the current data, else an in-memory catalog loaded from the curated tables (which
        are validated first). A file path: an existing database written by ``build()``; a path
        that does not exist is an error (it is never created), and a database built from other
        data than its project's current curated tables is refused.
    root, project
        Which data (see ``mfgpolicy.project.Project.find``).
    read_only
        Open a database file read-only (default), so other readers are never blocked.

    Examples
    --------
    >>> con = connect()
    >>> con.sql("SELECT count(*) FROM documents").fetchall()[0][0]
    5
    """
    explicit = project is not None or root is not None
    if path is None:
        project = project or Project.find(root)
        return _current_or_memory(project)
    path = _database_path(path)
    if not path.is_file():
        raise DatabaseNotFoundError(f"no database at {path}; build one with `mfgpolicy build`"
                                    + (" (a folder was given)" if path.is_dir() else ""))
    con = _open(path, read_only)
    reason = why_stale(read_about(con), (project or Project.find(root)) if explicit else None)
    if reason:
        con.close()
        raise StaleDatabaseError(f"{path} is out of date: {reason}; rebuild it with `mfgpolicy build`")
    return con


def _database_path(path: object) -> Path:
    if isinstance(path, (str, os.PathLike)) and str(path) and str(path) != ":memory:":
        return Path(path).expanduser()
    raise UsageError(f"path must be the file path of a database (str or pathlib.Path), got {path!r}; "
                     "use connect() for the in-memory catalog")


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise MfgPolicyError(f"{path} is open for writing in another process; try again when it is done") from None
        raise MfgPolicyError(f"{path} cannot be opened as a DuckDB database: {str(exc).splitlines()[0]}") from None
    except duckdb.Error as exc:
        raise MfgPolicyError(f"{path} cannot be opened as a DuckDB database: {str(exc).splitlines()[0]}") from None


def _current_or_memory(project: Project) -> duckdb.DuckDBPyConnection:
    database = project.database
    if database.is_file():
        try:
            con = duckdb.connect(str(database), read_only=True)
        except duckdb.Error:
            con = None  # being written, or not a database: fall back to memory
        if con is not None:
            if why_stale(read_about(con), project) is None:
                return con
            con.close()
    return in_memory(project)


def in_memory(project: Project) -> duckdb.DuckDBPyConnection:
    """Return an in-memory catalog of ``project``'s curated data, validated first (``ValidationError``)."""
    from mfgpolicy.checks import check

    checked = check(project)
    con = duckdb.connect(":memory:")
    load(con, checked.frames)
    stamp(con, about_of(project, project.data_version()))
    return con


def build(target: str | os.PathLike | None = None, *, root: str | Path | None = None,
          project: Project | None = None) -> Path:
    """Validate the data and write the DuckDB file atomically; return its path.

    ``target`` defaults to the project's ``data/build/mfgpolicy.duckdb``. A failed validation or
    load raises and leaves any previous database file untouched.
    """
    from mfgpolicy.catalog.store import write_database
    from mfgpolicy.checks import check

    project = project or Project.find(root)
    checked = check(project)
    target = project.database if target is None else _database_path(target)
    return write_database(target, checked, project)


def version_of(con: duckdb.DuckDBPyConnection) -> str:
    """Return the data version recorded in ``con``."""
    about = read_about(con)
    if about is None:
        raise StaleDatabaseError("this database records no data version; rebuild it with `mfgpolicy build`")
    return about.data_version
