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


def check_quotes(name: str, frame: pl.DataFrame, texts: pl.DataFrame) -> Iterator[Problem]:
    """``raw_text[char_start:char_end] == quote`` for every row; its numbers (``NUMBER_COLUMNS``) appear in it.

    ``texts`` holds the raw texts (``doc_id``, ``text``, ``chars``; see ``checks.files.RawFolder``).
    Offsets count code points, as Python's ``str`` does; every row is checked in one pass.
    """
    table = schema.CURATED[name]
    key = table.primary_key
    columns = dict.fromkeys([key, "doc_id", "quote", "char_start", "char_end", "_line", *NUMBER_COLUMNS[name]])
    rows = frame.select(list(columns)).join(texts, on="doc_id", how="left", maintain_order="left")
    bad = rows.filter(~_span_matches())
    if bad.height:
        by_doc = dict(texts.filter(pl.col("doc_id").is_in(bad["doc_id"].implode())).select("doc_id", "text").iter_rows())
        for row in bad.iter_rows(named=True):
            text, start, end = by_doc[row["doc_id"]], row["char_start"], row["char_end"]
            span = text[start:end] if 0 <= start <= end <= len(text) else None
            yield Problem(table.path, row[key], "quote", short(row["quote"]),
                          f"raw text at [{start}:{end}] is {short(span)!r}, not the quote; {_where(text, row['quote'])}",
                          row["_line"])
    numbers = NUMBER_COLUMNS[name]
    if not numbers:
        return
    stated = rows.filter(pl.col("quote").is_not_null() & pl.any_horizontal(pl.col(numbers).is_not_null()))
    stated = stated.with_columns(_numbers=_ascii_numbers())  # the quote's numbers, read once for every column
    for column in numbers:
        suspects = stated.filter(pl.col(column).is_not_null()
                                 & ~pl.col("_numbers").list.contains(pl.col(column).cast(pl.Float64)).fill_null(False))
        for row in suspects.iter_rows(named=True):
            if not number_in_text(row[column], row["quote"]):  # Chinese numerals, full-width digits
                yield Problem(table.path, row[key], column, f"{float(row[column]):g}",
                              "number does not appear in the quote", row["_line"])


def _span_matches() -> pl.Expr:
    """True where the quote is exactly the raw text at its offsets (null inputs count as true:
    they are reported as missing values or unknown documents already)."""
    start, end = pl.col("char_start").cast(pl.Int64), pl.col("char_end").cast(pl.Int64)
    inside = (start >= 0) & (start <= end) & (end <= pl.col("chars"))
    span = pl.col("text").str.slice(start.clip(0), (end - start).clip(0))
    unknown = pl.any_horizontal(pl.col("text", "quote", "char_start", "char_end").is_null())
    return unknown | (inside & (span == pl.col("quote"))).fill_null(False)


def _ascii_numbers() -> pl.Expr:
    """The quote's ASCII numbers (thousands separators dropped), as floats: the fast path before ``number_in_text``."""
    return pl.col("quote").str.extract_all(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?").list.eval(
        pl.element().str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False))


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
