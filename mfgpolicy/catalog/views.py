"""The derived tables and SQL views of the catalog, built once from the curated tables.

``targets_harmonised`` (``mfgpolicy.harmonise``), ``implication_findings`` (what the plans'
targets imply read together), ``target_paths``, ``comparison`` and ``ranking``
(``mfgpolicy.comparison``) are materialised from the one Python implementation of each rule,
so SQL users and Python users get the same numbers; the views below are plain SQL over them.
"""

from __future__ import annotations

import duckdb
import polars as pl

from mfgpolicy import harmonise, schema
from mfgpolicy.catalog.tables import create_table

HEADLINE_KEYS = ("labour_productivity", "energy_intensity", "rd_share_gdp", "rd_share_revenue")

VIEWS = {
    "targets_canonical": """
        SELECT * FROM targets WHERE same_as IS NULL
    """,
    "headline_comparison": f"""
        SELECT c.*, i.name_en AS indicator FROM comparison c JOIN indicators i USING (indicator_key)
        WHERE c.same_as IS NULL AND c.indicator_key IN {HEADLINE_KEYS}
        ORDER BY c.indicator_key, c.city, c.doc_id NULLS LAST, c.target_id
    """,
    "coverage": """
        SELECT t.indicator_key, i.name_en AS indicator, i.domain, t.city,
               count(*) AS n_targets, list(DISTINCT t.doc_id ORDER BY t.doc_id) AS doc_ids
        FROM targets t JOIN indicators i USING (indicator_key)
        WHERE t.same_as IS NULL
        GROUP BY ALL ORDER BY t.indicator_key, t.city
    """,
}


def create_views(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> None:
    """Materialise the derived tables from ``frames`` (the curated tables just loaded) and create the views."""
    from mfgpolicy.comparison.ranking import ranking_table
    from mfgpolicy.comparison.table import comparison_table
    from mfgpolicy.harmonise import implied

    findings = implied.evaluate(frames["targets"], frames.get("implications"))
    frame = harmonise.harmonise(frames["targets"], frames["documents"], frames.get("indicators"),
                                implied.implied_bases(findings), frames.get("plan_spans"))
    create_table(con, schema.HARMONISED, frame)
    comparison = comparison_table(frame, frames["cities"], frames["indicators"])
    derived = {
        "implication_findings": findings,
        "target_paths": harmonise.target_paths(frame),
        "comparison": comparison,
        "ranking": ranking_table(comparison, frames["indicators"]),
    }
    for name, table in derived.items():
        con.register("_derived", table)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _derived")
        con.unregister("_derived")
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
