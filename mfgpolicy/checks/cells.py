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


def check_cells(table: schema.Table, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """Return the table typed (plus ``_line``) and the problems of its cells.

    Every cell has its declared type, required cells are filled, enumerations hold, ids are well
    formed. ``frame`` holds the table as text plus ``_line`` (its line in the CSV). The types and
    the flags of every cell come from one pass; only flagged rows reach Python.
    """
    converted = typed(table, frame)
    codes = []
    for f in table.fields:
        if f.name not in frame.columns:
            continue
        raw_col, typed_col = pl.col(f.name), pl.col(f"_typed_{f.name}")
        code = pl.when(raw_col.is_null()).then(pl.lit(MISSING if f.required else 0, pl.UInt8))
        code = code.when(typed_col.is_null()).then(pl.lit(BAD_TYPE, pl.UInt8))
        if f.enum is not None:
            code = code.when(~raw_col.is_in([v for v in f.enum if v])).then(pl.lit(BAD_ENUM, pl.UInt8))
        if _is_id(table, f.name):
            code = code.when(~raw_col.str.contains(schema.ID_PATTERN)).then(pl.lit(BAD_ID, pl.UInt8))
        codes.append(code.otherwise(pl.lit(0, pl.UInt8)).alias(f.name))
    both = pl.concat([frame, converted.select(pl.all().name.prefix("_typed_"))], how="horizontal")
    flags = both.select(codes)
    problems: list[Problem] = []
    if flags.width:
        hit = flags.select(pl.any_horizontal(pl.all() != 0)).to_series()
        if hit.any():
            rows, flags = frame.filter(hit), flags.filter(hit)
            for name in flags.columns:
                f = table.field(name)
                for row, code in zip(rows.filter(flags[name] != 0).iter_rows(named=True),
                                     flags[name].filter(flags[name] != 0)):
                    problems.append(Problem(table.path, id_of(table, row), f.name, row[f.name] or "",
                                            _cell_message(f, code), row["_line"]))
    return pl.concat([converted, frame.select("_line")], how="horizontal"), problems


MISSING, BAD_TYPE, BAD_ENUM, BAD_ID = 1, 2, 3, 4


def _is_id(table: schema.Table, column: str) -> bool:
    return column == table.primary_key or column in table.foreign_keys


def _cell_message(f: schema.Field, code: int) -> str:
    if code == MISSING:
        return "required value is empty"
    if code == BAD_TYPE:
        return f"is not a valid {f.type}" + (" (write true or false)" if f.type == "boolean" else "")
    if code == BAD_ENUM:
        return f"is not an allowed value; expected one of {', '.join(v for v in f.enum if v)}"
    return ("is not a well-formed id: use ASCII letters, digits, '_', '.' and '-', with no spaces "
            "(two ids must never differ only by white space)")


def check_keys(typed_frames: dict[str, pl.DataFrame]) -> Iterator[Problem]:
    """Primary keys are unique; every foreign key names an existing row.

    Each check reads only the columns it needs and only the rows that hold a value; the values
    every foreign key into one column cites are looked up together, in one pass over it.
    """
    for name, frame in typed_frames.items():
        table = schema.CURATED[name]
        key = table.primary_key
        ids = frame.select(key, "_line").filter(pl.col(key).is_not_null())
        for value, line in ids.filter(pl.col(key).is_duplicated()).iter_rows():
            yield Problem(table.path, value, key, value, "duplicate id", line)
    citing: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for name, frame in typed_frames.items():
        for column, ref in schema.CURATED[name].foreign_keys.items():
            if ref[0] in typed_frames:
                citing.setdefault(ref, []).append((name, column))
    for (ref_table, ref_col), columns in citing.items():
        referenced = typed_frames[ref_table][ref_col]
        cited = {(name, column): typed_frames[name].select(
                     list(dict.fromkeys([schema.CURATED[name].primary_key, column, "_line"]))).filter(
                     pl.col(column).is_not_null())
                 for name, column in columns}
        wanted = pl.concat([f[c].cast(referenced.dtype).unique() for (_, c), f in cited.items()]).unique()
        found = referenced.to_frame("_v").join(wanted.to_frame("_v"), on="_v", how="semi")["_v"]
        missing = wanted.filter(~wanted.is_in(found.implode()))
        if missing.is_empty():
            continue
        for (name, column), rows in cited.items():
            table = schema.CURATED[name]
            orphans = rows.filter(pl.col(column).cast(referenced.dtype).is_in(missing.implode()))
            for row in orphans.iter_rows(named=True):
                yield Problem(table.path, id_of(table, row), column, row[column],
                              f"not found in {ref_table}.{ref_col}", row["_line"])
