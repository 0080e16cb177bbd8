"""Polars frames in and out of DuckDB through the Arrow C stream interface: no copy, no pyarrow.

``FrameStream`` lets DuckDB scan a polars frame in place (every query reads the frame's own
Arrow memory); ``frame_of`` turns a query's result into a polars frame. Neither imports
pyarrow, which alone would add a third of a second to the first query of a session.
"""

from __future__ import annotations

import duckdb
import polars as pl


class FrameStream:
    """A polars frame as DuckDB sees a registered table: an Arrow C stream, opened afresh for each scan."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """Export the frame's columns as an Arrow C stream (the PyCapsule interface)."""
        return self.frame.__arrow_c_stream__(requested_schema)


def frame_of(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """Return the result of ``relation`` as a polars frame (read through its Arrow C stream).

    Examples
    --------
    >>> frame_of(duckdb.sql("SELECT 1 AS a, 'x' AS b")).row(0)
    (1, 'x')
    """
    return pl.DataFrame(relation)
