"""The derived tables and SQL views of the catalog, built once from the curated tables.

Derived tables, each computed by the one Python implementation of its rule so that SQL users
and Python users get the same numbers: ``comparison_rows`` (every target with the measures
``mfgpolicy.harmonise`` adds, its comparison notes and its rank (``mfgpolicy.comparison``), and a
row for each city whose plans set no target on an indicator), ``cities`` (the prefecture- and
county-level places, with their parents), ``implication_findings`` (what the plans' targets
imply read together), ``target_paths``, ``cited_targets_harmonised`` (the parent plans'
targets, by the same rules), ``required_rates``, ``achievement`` and ``escalation``.

Views, plain SQL over them: ``targets_harmonised`` (each target with its measures),
``comparison`` (every target beside the others on its indicator), ``ranking`` (the canonical
rows with their ranks), ``targets_canonical``, ``headline_comparison`` and ``coverage``.
In an in-memory catalog the tables are the polars frames themselves, registered in place.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from mfgpolicy import harmonise, schema
from mfgpolicy.catalog.tables import comment, put_table

HEADLINE_KEYS = ("labour_productivity", "energy_intensity", "rd_share_gdp", "rd_share_revenue")


def views() -> dict[str, str]:
    """Return every view's SQL, by name, in the order they are created."""
    from mfgpolicy.comparison.ranking import RANK_COLUMNS
    from mfgpolicy.comparison.table import COMPARE_COLUMNS

    def columns(names: Iterable[str]) -> str:
        return ", ".join(f'"{c}"' for c in names)

    return {
        "targets_harmonised": f"SELECT {columns(schema.HARMONISED.columns)} FROM comparison_rows "
                              "WHERE target_id IS NOT NULL",
        "comparison": f"""SELECT {columns(COMPARE_COLUMNS)} FROM comparison_rows
                          ORDER BY indicator_key, city, doc_id NULLS LAST, target_year NULLS LAST, target_id NULLS LAST""",
        "ranking": f"""SELECT {columns([*COMPARE_COLUMNS, "more_ambitious", *RANK_COLUMNS])} FROM comparison_rows
                       WHERE same_as IS NULL
                       ORDER BY indicator_key, rank_group NULLS LAST, rank NULLS LAST, city NULLS LAST""",
        "targets_canonical": "SELECT * FROM targets WHERE same_as IS NULL",
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


def create_views(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame], *, copy: bool = True) -> None:
    """Put the derived tables of ``frames`` (the curated tables just loaded) into ``con`` and create the views.

    ``copy`` False (in-memory catalogs) registers the derived frames in place.
    """
    for name, table in derived_tables(frames).items():
        put_table(con, name, table, declared=schema.DERIVED.get(name), copy=copy)
    for name, sql in views().items():
        con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')
    comment(con, "targets_harmonised", schema.HARMONISED, kind="VIEW")


def derived_tables(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Return every derived table, computed once from the curated ``frames`` (the flow in one place).

    Only narrow frames are built from the million-row tables: the measures, notes and ranks of
    each target, keyed by ``target_id`` and in the targets' order; the views put them beside
    the targets. The few rows the evidence tables need are picked out before any join.
    """
    from mfgpolicy.comparison.outcomes import achievement_table
    from mfgpolicy.comparison.parents import escalation_table
    from mfgpolicy.harmonise import cited, implied, observed

    targets, documents, indicators = frames["targets"], frames["documents"], frames["indicators"]
    observations = frames.get("observations")
    findings = implied.evaluate(targets, frames.get("implications"))
    plan_bases = implied.implied_bases(findings)
    observed_targets = _observed(targets, observations)
    bases = pl.concat([plan_bases, observed.observed_bases(observed_targets, documents, observations,
                                                           exclude=plan_bases)], how="diagonal_relaxed")
    harmonised = harmonise.harmonise(targets, documents, indicators, bases, frames.get("plan_spans"))
    cited_targets = cited.as_targets(frames["cited_targets"]) if "cited_targets" in frames else targets.clear()
    cited_documents = cited.as_documents(frames["cited_documents"]) if "cited_documents" in frames else documents.clear()
    cited_harmonised = harmonise.harmonise(
        cited_targets, cited_documents, indicators, observed.observed_bases(cited_targets, cited_documents, observations))
    cities = cities_of(frames["places"])
    near = _observed(harmonised, observations)
    scored = pl.concat([near.filter(pl.col("same_as").is_null()).with_columns(source=pl.lit("plan")),
                        cited_harmonised.with_columns(source=pl.lit("cited"))], how="diagonal_relaxed").join(
        indicators.select("indicator_key", "more_ambitious"), on="indicator_key", how="left")
    linked = _linked(harmonised, frames.get("plan_links"))
    return {
        "comparison_rows": comparison_rows(harmonised, cities, indicators),
        "cities": cities,
        "implication_findings": findings,
        "target_paths": harmonise.target_paths(harmonised),
        "cited_targets_harmonised": cited_harmonised,
        "required_rates": observed.required_rates(near, documents, observations),
        "achievement": achievement_table(scored, observations),
        "escalation": escalation_table(linked, cited_harmonised, frames.get("plan_links"), indicators, documents),
    }


def comparison_rows(harmonised: pl.DataFrame, cities: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Return every harmonised target with its comparison notes and ranks, then a row per city and indicator it lacks.

    Built side by side from the parts (``comparison_notes``, ``ranks``), so the targets' columns
    are shared, not copied; the views ``targets_harmonised``, ``comparison`` and ``ranking``
    read it.
    """
    from mfgpolicy.comparison.ranking import _more_ambitious, ranks
    from mfgpolicy.comparison.table import comparison_gaps, comparison_notes

    notes = comparison_notes(harmonised, cities).drop("target_id")
    rows = pl.concat([harmonised, notes], how="horizontal")
    gaps = comparison_gaps(harmonised, cities, indicators)
    rows = pl.concat([rows, gaps.select(pl.col(c).cast(rows.schema[c]) if c in gaps.columns
                                        else pl.lit(None, rows.schema[c]).alias(c) for c in rows.columns)],
                     how="vertical", rechunk=False)
    rows = rows.with_columns(more_ambitious=_more_ambitious(indicators))
    return pl.concat([rows, ranks(rows, indicators)], how="horizontal")


def _observed(frame: pl.DataFrame, observations: pl.DataFrame | None) -> pl.DataFrame:
    """The rows of ``frame`` on a place and indicator some observation covers (the rest cannot match one)."""
    if observations is None or observations.is_empty():
        return frame.clear()
    return frame.filter(pl.col("city").is_in(observations["place"].unique().implode())
                        & pl.col("indicator_key").is_in(observations["indicator_key"].unique().implode()))


def _linked(frame: pl.DataFrame, links: pl.DataFrame | None) -> pl.DataFrame:
    """The rows of ``frame`` from a plan that implements a parent plan (``plan_links``)."""
    if links is None or links.is_empty():
        return frame.clear()
    return frame.filter(pl.col("doc_id").is_in(links["doc_id"].unique().implode()))
