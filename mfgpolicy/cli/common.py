"""What every subcommand shares: the common options, saying which data is used, opening the catalog.

Every module of ``mfgpolicy.cli`` registers its subcommands with ``register(subparsers)``,
giving each parser ``parents=[...]`` from ``common_options()``; handlers take the parsed
``args`` and return an exit status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from mfgpolicy.project import Project

S = argparse.SUPPRESS


def common_options(*, database: bool = False) -> argparse.ArgumentParser:
    """Return a parent parser with ``--root``, ``-q`` and ``-v`` (and ``--database`` for readers).

    Defaults are suppressed so the same option works before or after the subcommand.
    """
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("common options")
    group.add_argument("--root", type=Path, default=S, metavar="DIR",
                       help="project folder holding data/raw and data/curated (default: $MFGPOLICY_ROOT, else the "
                            "nearest such folder at or above the current one, else the data bundled with the package)")
    if database:
        group.add_argument("--database", type=Path, default=S, metavar="FILE",
                           help="DuckDB file written by `mfgpolicy build`, opened read-only (default: the project's "
                                "built database when it is current, else the curated data validated and loaded in memory)")
    group.add_argument("-q", "--quiet", action="store_true", default=S, help="print no progress or data line on stderr")
    group.add_argument("-v", "--verbose", action="store_true", default=S,
                       help="show a traceback for errors (for reporting a bug)")
    return parent


def option(args: argparse.Namespace, name: str, default: object = None) -> object:
    """Return an option's value (options with suppressed defaults may be absent)."""
    return getattr(args, name, default)


def say(args: argparse.Namespace, message: str) -> None:
    """Print a progress line on stderr unless ``-q`` was given."""
    if not option(args, "quiet", False):
        print(message, file=sys.stderr, flush=True)


def project_of(args: argparse.Namespace, *, announce: bool = True) -> Project:
    """Return the project the command works on and say on stderr, in one line, which data it is."""
    from mfgpolicy.project import Project

    project = Project.find(option(args, "root"))
    if announce:
        say(args, project.describe())
    return project


def open_catalog(args: argparse.Namespace, project: Project) -> duckdb.DuckDBPyConnection:
    """Return the read-only catalog for a command that shows or writes results (validated data only)."""
    from mfgpolicy.catalog import connect

    database = option(args, "database")
    if database is not None:
        return connect(database, project=project if option(args, "root") is not None else None)
    return connect(project=project)


def print_frame(frame: object, *, rows: int = 500, strings: int = 60) -> None:
    """Print a polars frame whole (no truncated rows or columns), without shape or types."""
    import polars as pl

    with pl.Config(tbl_rows=rows, tbl_cols=40, fmt_str_lengths=strings, tbl_width_chars=250,
                   tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True):
        print(frame)
