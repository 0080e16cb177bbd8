"""Plain-text reports printed by the command line."""

from __future__ import annotations

import duckdb
import polars as pl

from mfgpolicy.catalog.frames import frame_of

HEADLINE_COLUMNS = ("indicator_key", "city", "doc_id", "scope", "comparator", "hedge", "value", "unit",
                    "base_year", "target_year", "annualised_pct", "pp_per_year", "why_not")


def headline_frame(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Return the headline comparison: labour productivity, energy intensity and R&D shares."""
    return frame_of(con.sql("SELECT * FROM headline_comparison"))


def headline_table(con: duckdb.DuckDBPyConnection) -> str:
    """Return the headline comparison as a text table (rates in percent a year)."""
    frame = headline_frame(con).select(HEADLINE_COLUMNS).with_columns(
        pl.col("annualised_pct", "pp_per_year").round(3))
    with pl.Config(tbl_rows=100, tbl_cols=20, fmt_str_lengths=30, tbl_hide_dataframe_shape=True,
                   tbl_hide_column_data_types=True, tbl_width_chars=250):
        return str(frame)
