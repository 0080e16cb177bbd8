"""The provenance check: every quote stands at its offsets in its raw text, and states its number."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from mfgpolicy import schema
from mfgpolicy.checks.problems import Problem
from mfgpolicy.numerals import number_in_text

NUMBER_COLUMNS = {"targets": ("value", "value_high"), "baselines": ("value",), "plan_spans": ("years",),
                  "plan_links": ()}
"""The columns whose number must be written in the quote, per table with quotes."""


def check_quotes(name: str, frame: pl.DataFrame, texts: dict[str, str]) -> Iterator[Problem]:
    """``raw_text[char_start:char_end] == quote`` for every row; its numbers (``NUMBER_COLUMNS``) appear in it."""
    table = schema.CURATED[name]
    key = table.primary_key
    frame = frame.with_columns(_span_ok=_spans_match(frame, texts))
    for row in frame.filter(~pl.col("_span_ok")).iter_rows(named=True):
        text, start, end = texts[row["doc_id"]], row["char_start"], row["char_end"]
        span = text[start:end] if 0 <= start <= end <= len(text) else None
        yield Problem(table.path, row[key], "quote", short(row["quote"]),
                      f"raw text at [{start}:{end}] is {short(span)!r}, not the quote; {_where(text, row['quote'])}",
                      row["_line"])
    for column in NUMBER_COLUMNS[name]:
        suspects = frame.filter(pl.col(column).is_not_null() & pl.col("quote").is_not_null()
                                & ~_ascii_number_in_quote(column))
        for row in suspects.iter_rows(named=True):
            if not number_in_text(row[column], row["quote"]):  # Chinese numerals, full-width digits
                yield Problem(table.path, row[key], column, f"{float(row[column]):g}",
                              "number does not appear in the quote", row["_line"])


def _spans_match(frame: pl.DataFrame, texts: dict[str, str]) -> pl.Series:
    """True where the quote is exactly the raw text at its offsets (null inputs count as true:
    they are reported as missing values or unknown documents already)."""
    docs, quotes = frame["doc_id"].to_list(), frame["quote"].to_list()
    starts, ends = frame["char_start"].to_list(), frame["char_end"].to_list()
    ok = [
        text is None or quote is None or start is None or end is None or text[start:end] == quote
        and 0 <= start <= end <= len(text)
        for text, quote, start, end in zip((texts.get(d) for d in docs), quotes, starts, ends)
    ]
    return pl.Series("_span_ok", ok, dtype=pl.Boolean)


def _ascii_number_in_quote(column: str) -> pl.Expr:
    """Vectorised fast path: the value is one of the quote's ASCII numbers."""
    numbers = pl.col("quote").str.extract_all(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?").list.eval(
        pl.element().str.replace_all(",", "").cast(pl.Float64, strict=False))
    return numbers.list.contains(pl.col(column).cast(pl.Float64)).fill_null(False)


def _where(text: str, quote: str) -> str:
    at = text.find(quote)
    if at < 0:
        return "the quote is nowhere in the raw text"
    return f"the quote stands at [{at}:{at + len(quote)}]"


def short(text: str | None, width: int = 40) -> str:
    """Return ``text`` cut to ``width`` characters with an ellipsis ('<out of range>' for None)."""
    if text is None:
        return "<out of range>"
    return text if len(text) <= width else text[: width - 1] + "…"
