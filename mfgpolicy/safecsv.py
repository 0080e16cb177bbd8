"""CSV files that people open in a spreadsheet: text that would start a formula is neutralised.

A spreadsheet evaluates a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (``=HYPERLINK("http://x","click")``), which is how a curator
reviewing an untrusted contribution could be fooled. Following OWASP's guidance on CSV
injection, every *text* cell written for people that begins with one of those characters gets
a leading apostrophe, which spreadsheets show as text. A text cell that already begins with an
apostrophe gets one more, so ``restore`` gives back the original exactly: the project's own
reader (``read_csv``) round-trips every file. A cell that is nothing but one of those characters
(the comparator ``=``) cannot compute anything and stays as it is, so a candidate row pastes into
``targets.csv`` unchanged. Numbers are numbers (``-3.89`` stays a number);
the machine-readable formats (Parquet, Stata, DuckDB) carry the text unchanged.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"


def neutralise(text: str | None) -> str | None:
    """Return ``text`` safe to open in a spreadsheet (see the module docstring).

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x","click")'), neutralise("-3.89"), neutralise("8%"), neutralise("'a")
    ('\\'=HYPERLINK("http://x","click")', "'-3.89", '8%', "''a")
    >>> neutralise("=")
    '='
    """
    if text == MARK or (text and len(text) > 1 and text.startswith((*FORMULA_START, MARK))):
        return MARK + text
    return text


def restore(text: str | None) -> str | None:
    """Undo ``neutralise``.

    Examples
    --------
    >>> all(restore(neutralise(t)) == t for t in ("=1+1", "''x", "'x", "plain", "", None))
    True
    """
    if text and text.startswith(MARK):
        return text[1:]
    return text


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` with every text column neutralised (numbers and other types untouched)."""
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(r"(?s)^(?:[=+\-@\t\r'].|'$)")).then(pl.lit(MARK) + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items() if dtype == pl.String)


def restore_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Undo ``neutralise_frame`` on every text column."""
    return frame.with_columns(
        pl.when(pl.col(c).str.starts_with(MARK)).then(pl.col(c).str.slice(1)).otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items() if dtype == pl.String)


def write_csv(frame: pl.DataFrame, path: Path | None = None) -> str | None:
    """Write ``frame`` as CSV for people (text neutralised) to ``path``, or return the text when ``path`` is None."""
    return neutralise_frame(frame).write_csv(path)


def read_csv(path: Path) -> pl.DataFrame:
    """Read a CSV written by ``write_csv`` back, every column as text, the original text restored."""
    from mfgpolicy.read.curated import read_strings

    return restore_frame(read_strings(path))
