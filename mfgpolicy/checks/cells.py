"""Checks of each table on its own and of the links between tables: columns, cells, ids, keys."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from mfgpolicy import schema
from mfgpolicy.checks.problems import Problem
from mfgpolicy.read.curated import typed


def id_of(table: schema.Table, row: dict) -> str:
    """Return the row's primary key as text ('' when empty)."""
    return str(row.get(table.primary_key) or "")


def check_columns(table: schema.Table, frame: pl.DataFrame) -> Iterator[Problem]:
    """Every declared column is present, no undeclared column, and rows where rows are required."""
    for column in table.columns:
        if column not in frame.columns:
            yield Problem(table.path, "", column, "", "column is missing")
    for column in frame.columns:
        if column not in table.columns:
            yield Problem(table.path, "", column, "", "column is not in the schema (declare it in mfgpolicy/schema.py)")
    if frame.height == 0 and not table.may_be_empty:
        yield Problem(table.path, "", "", "", "has a header but no rows: this table must not be empty")


def check_cells(table: schema.Table, frame: pl.DataFrame) -> Iterator[Problem]:
    """Every cell has its declared type, required cells are filled, enumerations hold, ids are well formed.

    ``frame`` holds the table as text plus ``_line`` (its line in the CSV).
    """
    converted = typed(table, frame)
    for f in table.fields:
        if f.name not in frame.columns:
            continue
        raw_col, typed_col = frame[f.name], converted[f.name]
        bad_type = raw_col.is_not_null() & typed_col.is_null()
        missing = raw_col.is_null() if f.required else pl.repeat(False, frame.height, eager=True)
        bad_enum = pl.repeat(False, frame.height, eager=True)
        if f.enum is not None:
            bad_enum = raw_col.is_not_null() & ~raw_col.is_in([v for v in f.enum if v])
        bad_id = pl.repeat(False, frame.height, eager=True)
        if _is_id(table, f.name):
            bad_id = raw_col.is_not_null() & ~raw_col.str.contains(schema.ID_PATTERN)
        flagged = frame.with_columns(_t=bad_type, _m=missing, _e=bad_enum, _i=bad_id).filter(
            pl.col("_t") | pl.col("_m") | pl.col("_e") | pl.col("_i"))
        for row in flagged.iter_rows(named=True):
            yield Problem(table.path, id_of(table, row), f.name, row[f.name] or "", _cell_message(f, row), row["_line"])


def _is_id(table: schema.Table, column: str) -> bool:
    return column == table.primary_key or column in table.foreign_keys


def _cell_message(f: schema.Field, row: dict) -> str:
    if row["_m"]:
        return "required value is empty"
    if row["_t"]:
        return f"is not a valid {f.type}" + (" (write true or false)" if f.type == "boolean" else "")
    if row["_e"]:
        return f"is not an allowed value; expected one of {', '.join(v for v in f.enum if v)}"
    return ("is not a well-formed id: use ASCII letters, digits, '_', '.' and '-', with no spaces "
            "(two ids must never differ only by white space)")


def check_keys(typed_frames: dict[str, pl.DataFrame]) -> Iterator[Problem]:
    """Primary keys are unique; every foreign key names an existing row."""
    for name, frame in typed_frames.items():
        table = schema.CURATED[name]
        key = table.primary_key
        dupes = frame.filter(pl.col(key).is_not_null() & pl.col(key).is_duplicated())
        for row in dupes.iter_rows(named=True):
            yield Problem(table.path, row[key], key, row[key], "duplicate id", row["_line"])
        for column, (ref_table, ref_col) in table.foreign_keys.items():
            if ref_table not in typed_frames:
                continue
            known = typed_frames[ref_table][ref_col].drop_nulls()
            orphans = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(known.implode()))
            for row in orphans.iter_rows(named=True):
                yield Problem(table.path, id_of(table, row), column, row[column],
                              f"not found in {ref_table}.{ref_col}", row["_line"])
