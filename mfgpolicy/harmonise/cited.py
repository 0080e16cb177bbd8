"""Cited plans' targets in the shape of ``targets``, so the same rules harmonise them.

A cited target has no quote or offsets (we do not hold its plan's text): those columns stay
empty, and ``doc_id`` is its cited plan, ``city`` its place.
"""

from __future__ import annotations

import polars as pl

from mfgpolicy import schema
from mfgpolicy.read.curated import POLARS_TYPES


def as_targets(cited: pl.DataFrame) -> pl.DataFrame:
    """Return cited targets with every column of ``targets`` (the missing ones empty)."""
    renamed = cited.rename({"cited_target_id": "target_id", "cited_doc_id": "doc_id", "place": "city"})
    return renamed.select(
        pl.col(f.name) if f.name in renamed.columns else pl.lit(None, POLARS_TYPES[f.type]).alias(f.name)
        for f in schema.TARGETS.fields)


def as_documents(cited_documents: pl.DataFrame) -> pl.DataFrame:
    """Return cited plans with the columns harmonisation reads from ``documents``."""
    return cited_documents.select(pl.col("cited_doc_id").alias("doc_id"), "period_start", "period_end", "date_issued")
