"""Writing candidates as CSV the way the curated tables are written.

Text that a spreadsheet would take for a formula gets a leading apostrophe
(``mfgpolicy.safecsv``); ``mfgpolicy.safecsv.read_csv`` reads the file back exactly.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from mfgpolicy.extract.numbers import format_number
from mfgpolicy.safecsv import neutralise


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def to_csv(frame: pl.DataFrame) -> str:
    """Return ``frame`` as CSV text: numbers without ``.0``, booleans ``true``/``false``, nulls empty.

    Examples
    --------
    >>> print(to_csv(pl.DataFrame({"value": [10.0, 2.5], "per_year": [True, None]})), end="")
    value,per_year
    10,true
    2.5,
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.iter_rows():
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    """Write ``frame`` as CSV to ``path`` atomically (temporary file, then rename)."""
    from mfgpolicy._io import atomic_write_text

    return atomic_write_text(Path(path), to_csv(frame))
