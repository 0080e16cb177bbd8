"""Reading the curated CSVs: every column as text (for validation), then typed (for everything else).

One reader for every curated table, wherever its bytes come from (a file, a git revision):
strict UTF-8, a located message for a file that is not CSV, and the declared types from
``mfgpolicy.schema``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl

from mfgpolicy import schema
from mfgpolicy.errors import ReadError
from mfgpolicy.read.limits import read_bytes

POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(), "integer": pl.Int32(), "number": pl.Float64(),
    "boolean": pl.Boolean(), "date": pl.Date(),
}


_BLANK = re.compile(rb"(?:\s|[\x1c-\x1f]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
                    rb"|\xe3\x80\x80)*")
"""UTF-8 bytes that ``str.strip()`` removes: a file of nothing else is empty."""


def parse_csv(data: bytes, source: str) -> pl.DataFrame:
    """Return CSV bytes as a frame of strings (empty cells null); ``ReadError`` naming ``source`` and the line.

    The bytes go straight to polars' reader (which refuses bytes that are not UTF-8); only a
    file it refuses is decoded here, to say what is wrong and on which line.

    Examples
    --------
    >>> parse_csv(b"a,b\\n1,\\n", "t.csv").rows()
    [('1', None)]
    >>> parse_csv(b"a,b\\n1,2\\n3,4,5\\n", "t.csv")
    Traceback (most recent call last):
    ...
    mfgpolicy.errors.ReadError: t.csv (line 3): has 3 fields where the header has 2
    """
    if _BLANK.fullmatch(data):
        _decode(data, source)
        raise ReadError(source, "is empty: a curated table needs at least its header line")
    end = data.find(b"\n")
    try:
        header = next(csv.reader([data[: end if end >= 0 else len(data)].decode("utf-8").rstrip("\r")]))
    except UnicodeDecodeError:
        _decode(data, source)  # raises, naming the line
        raise
    except csv.Error:  # e.g. a carriage return inside the header line
        raise ReadError(source, "header line is not valid CSV (a line break or a stray quote inside it)", 1) from None
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        _decode(data, source)
        raise ReadError(source, f"header names column(s) {', '.join(map(repr, duplicated))} twice", 1)
    try:
        return pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8")
    except Exception:  # noqa: BLE001 - polars raises several kinds; find the line ourselves
        line, problem = _locate(_decode(data, source), len(header))
        raise ReadError(source, problem, line) from None


def _decode(data: bytes, source: str) -> str:
    """Return ``data`` as text; ``ReadError`` naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(source, f"is not valid UTF-8 ({exc.reason} at byte {exc.start})", line) from None


def _locate(text: str, n_fields: int) -> tuple[int | None, str]:
    """Return (line, problem) of the first record the CSV dialect cannot read."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for record in reader:
            if len(record) > n_fields:
                return start, f"has {len(record)} fields where the header has {n_fields}"
            start = reader.line_num + 1
    except csv.Error as exc:
        return start, f"is not valid CSV from this line on ({exc}); check the quotes"
    return None, "cannot be read as CSV"


def read_strings(path: Path) -> pl.DataFrame:
    """Read a CSV file with every column as a string; empty cells become null."""
    return parse_csv(read_bytes(path), str(path))


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
    return typed(table, read_strings(Path(curated) / table.path))


def read_all(curated: Path) -> dict[str, pl.DataFrame]:
    """Read every curated table with its declared types, in load order."""
    return {name: read_table(curated, name) for name in schema.TABLES}
