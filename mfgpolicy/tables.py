"""Reading the curated CSVs: raw strings for validation, typed frames for everything else."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from mfgpolicy import schema

POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(), "integer": pl.Int32(), "number": pl.Float64(),
    "boolean": pl.Boolean(), "date": pl.Date(),
}


def read_strings(path: Path) -> pl.DataFrame:
    """Read a CSV with every column as a string; empty cells become null."""
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


def cast_expr(column: str, type_: schema.FieldType) -> pl.Expr:
    """Return an expression converting a string column to its declared type (invalid → null)."""
    col = pl.col(column)
    if type_ == "boolean":
        return pl.when(col == "true").then(True).when(col == "false").then(False).otherwise(None).alias(column)
    if type_ == "date":
        return col.str.to_date("%Y-%m-%d", strict=False).alias(column)
    if type_ == "integer":
        return col.str.strip_chars().cast(pl.Int32, strict=False).alias(column)
    if type_ == "number":
        return col.str.strip_chars().cast(pl.Float64, strict=False).alias(column)
    return col


def typed(table: schema.Table, frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` (all strings) with the table's declared columns and types, in order."""
    missing = [f for f in table.fields if f.name not in frame.columns]
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(f.name) for f in missing)
    return frame.select(cast_expr(f.name, f.type) for f in table.fields)


def read_table(curated: Path, name: str) -> pl.DataFrame:
    """Read one curated table with its declared types."""
    table = schema.TABLES[name]
    return typed(table, read_strings(curated / table.path))


def read_all(curated: Path) -> dict[str, pl.DataFrame]:
    """Read every curated table with its declared types, in load order."""
    return {name: read_table(curated, name) for name in schema.TABLES}
