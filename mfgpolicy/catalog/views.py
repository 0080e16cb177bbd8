"""Harmonised tables and SQL views in the DuckDB catalog.

``targets_harmonised`` is materialised from ``mfgpolicy.harmonise.harmonise`` (the one
implementation of the rules), so SQL users and Python users get the same numbers; the views
below are plain SQL over it.
"""

from __future__ import annotations

import duckdb
import polars as pl

from mfgpolicy import harmonise, schema
from mfgpolicy.catalog.tables import create_table

HEADLINE_KEYS = ("labour_productivity", "energy_intensity", "rd_share_gdp", "rd_share_revenue")

COMPARE_COLUMNS = (
    "indicator_key", "city", "city_code", "doc_id", "target_id", "tier", "scope", "kind", "direction", "comparator",
    "hedge", "bound", "commitment", "value", "value_high", "bound_low", "bound_high", "unit", "base_year", "base_year_stated", "base_value",
    "target_year", "years", "annualised_pct", "pp_per_year", "per_year_value", "plan_total_value",
    "rule", "comparable", "why_not", "plan_vintage", "binding", "quote", "quote_en", "char_start", "char_end", "same_as",
    "notes",
)

_COLS = ", ".join(f"t.{c}" for c in COMPARE_COLUMNS)

VIEWS = {
    "targets_canonical": """
        SELECT * FROM targets WHERE same_as IS NULL
    """,
    # One row per target and indicator, plus one row per city whose plans set no target on it.
    "comparison": f"""
        WITH scopes AS (
            SELECT indicator_key, count(DISTINCT scope) AS n_scopes,
                   string_agg(DISTINCT scope, ', ' ORDER BY scope) AS scopes
            FROM targets_harmonised WHERE same_as IS NULL GROUP BY indicator_key
        )
        SELECT {_COLS},
               CASE WHEN s.n_scopes > 1 AND t.same_as IS NULL THEN
                   'scope ' || t.scope || ' differs across these rows (' || s.scopes || '): different populations'
               END AS scope_note
        FROM targets_harmonised t LEFT JOIN scopes s USING (indicator_key)
        UNION ALL BY NAME
        SELECT i.indicator_key, c.city, c.gb2260_code AS city_code, false AS comparable,
               'this city''s plans set no target on ' || lower(i.name_en) AS why_not
        FROM indicators i CROSS JOIN cities c
        WHERE NOT EXISTS (SELECT 1 FROM targets_harmonised h
                          WHERE h.indicator_key = i.indicator_key AND h.city = c.city)
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
    """Materialise ``targets_harmonised`` and ``target_paths`` from ``frames`` and create every view in ``con``.

    ``frames`` are the curated tables just loaded, so nothing is read back out of DuckDB.
    """
    frame = harmonise.harmonise(frames["targets"], frames["documents"])
    create_table(con, schema.HARMONISED, frame)
    con.register("_paths", harmonise.target_paths(frame))
    con.execute("CREATE OR REPLACE TABLE target_paths AS SELECT * FROM _paths")
    con.unregister("_paths")
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
