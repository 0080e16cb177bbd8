"""The derived tables and SQL views of the catalog, built once from the curated tables.

``cities`` (the prefecture- and county-level places, with their parents), ``targets_harmonised``,
``cited_targets_harmonised`` (the parent plans' targets, by the same rules), ``required_rates``,
``achievement`` and ``escalation`` (``mfgpolicy.comparison``), (``mfgpolicy.harmonise``), ``implication_findings`` (what the plans'
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


ADMIN_LEVEL = {"prefecture": "prefecture-level city", "county": "county-level city", "province": "province"}


def cities_of(places: pl.DataFrame) -> pl.DataFrame:
    """Return the cities (prefecture- and county-level places) with their parent's name and code.

    The columns of the former ``cities`` table: city, gb2260_code, name_zh, pinyin, admin_level,
    parent, parent_zh, parent_code.
    """
    parents = places.select(pl.col("place").alias("parent"), pl.col("name_zh").alias("parent_zh"),
                            pl.col("gb2260_code").alias("parent_code"))
    return (places.filter(pl.col("level").is_in(["prefecture", "county"]))
            .join(parents, on="parent", how="left", maintain_order="left")
            .select(pl.col("place").alias("city"), "gb2260_code", "name_zh", "pinyin",
                    pl.col("level").replace_strict(ADMIN_LEVEL, default=None).alias("admin_level"),
                    "parent", "parent_zh", "parent_code"))


def create_views(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> None:
    """Materialise the derived tables from ``frames`` (the curated tables just loaded) and create the views."""
    for name, table in derived_tables(frames).items():
        if name == "targets_harmonised":
            create_table(con, schema.HARMONISED, table)
            continue
        con.register("_derived", table)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _derived")
        con.unregister("_derived")
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")


def derived_tables(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Return every derived table, computed once from the curated ``frames`` (the flow in one place)."""
    from mfgpolicy.comparison.outcomes import achievement_table
    from mfgpolicy.comparison.parents import escalation_table
    from mfgpolicy.comparison.ranking import ranking_table
    from mfgpolicy.comparison.table import comparison_table
    from mfgpolicy.harmonise import cited, implied, observed

    targets, documents, indicators = frames["targets"], frames["documents"], frames["indicators"]
    observations = frames.get("observations")
    findings = implied.evaluate(targets, frames.get("implications"))
    plan_bases = implied.implied_bases(findings)
    bases = pl.concat([plan_bases, observed.observed_bases(targets, documents, observations, exclude=plan_bases)],
                      how="diagonal_relaxed")
    harmonised = harmonise.harmonise(targets, documents, indicators, bases, frames.get("plan_spans"))
    cited_targets = cited.as_targets(frames["cited_targets"]) if "cited_targets" in frames else targets.clear()
    cited_documents = cited.as_documents(frames["cited_documents"]) if "cited_documents" in frames else documents.clear()
    cited_harmonised = harmonise.harmonise(
        cited_targets, cited_documents, indicators, observed.observed_bases(cited_targets, cited_documents, observations))
    cities = cities_of(frames["places"])
    comparison = comparison_table(harmonised, cities, indicators)
    scored = pl.concat([harmonised.filter(pl.col("same_as").is_null()).with_columns(source=pl.lit("plan")),
                        cited_harmonised.with_columns(source=pl.lit("cited"))], how="diagonal_relaxed").join(
        indicators.select("indicator_key", "more_ambitious"), on="indicator_key", how="left")
    return {
        "targets_harmonised": harmonised,
        "cities": cities,
        "implication_findings": findings,
        "target_paths": harmonise.target_paths(harmonised),
        "comparison": comparison,
        "ranking": ranking_table(comparison, indicators),
        "cited_targets_harmonised": cited_harmonised,
        "required_rates": observed.required_rates(harmonised, documents, observations),
        "achievement": achievement_table(scored, observations),
        "escalation": escalation_table(harmonised, cited_harmonised, frames.get("plan_links"), indicators, documents),
    }
