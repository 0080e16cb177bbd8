"""What travels with every output made for people: the column guide, the counts, the citation.

The Excel summary's ``Columns`` sheet and the data release's ``columns.csv`` come from one
generator, :func:`column_guide`, which reads each column's label, type, unit and meaning from its
declaration in ``mfgpolicy.schema``; no output keeps a list of its own. The citation line
(:func:`citation`) says the same as ``CITATION.cff`` (a test keeps them equal), and is built in
because the data bundled with an installed package ships without that file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import duckdb
import polars as pl

from mfgpolicy import schema

AUTHORS = "mfgpolicy contributors"
TITLE = "mfgpolicy: quantified manufacturing-upgrade targets of Zhejiang city plans"
LICENCE = "CC-BY-4.0"
LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
WHAT_THIS_IS = (
    "Every quantified target in five manufacturing-upgrade plans of Zhejiang city governments (Yuyao, Jinhua, "
    "Wenzhou, Ningbo), curated by hand, each tied to the verbatim words of its plan (in Chinese, with an English "
    "translation); harmonised into comparable yearly rates; set beside the outcomes that statistical sources report "
    "and beside the targets of the provincial and city plans they implement.")
"""What the data are, in one paragraph (the workbook's overview and the release's README)."""

GuidePart = tuple[str, Sequence[str], Sequence[str]]
"""One sheet or file of a column guide: its name, its column names, and the ``mfgpolicy.schema`` tables that declare
them (looked up in that order)."""

COUNTED = {
    "documents": "plans", "targets": "targets", "baselines": "baselines", "indicators": "indicators",
    "cited_documents": "cited parent plans", "cited_targets": "targets of cited plans",
    "observations": "observations", "sources": "sources",
}
"""Tables whose row counts describe the data, and what a reader calls their rows."""


def column_guide(parts: Iterable[GuidePart], *, where: Literal["sheet", "file"] = "sheet") -> pl.DataFrame:
    """Return one row per column of each part: where it is, its label, name, type, unit and meaning.

    Every column must be declared in one of its part's tables (``KeyError`` otherwise), so the
    guide can never miss a column or describe it differently from the schema.

    Examples
    --------
    >>> column_guide([("Targets", ["target_id", "annualised_pct"], ["targets_harmonised"])]).rows()[1][:5]
    ('Targets', 'Harmonised yearly rate, % a year (signed)', 'annualised_pct', 'number', '% a year')
    """
    rows = []
    for place, names, tables in parts:
        for name in names:
            field = schema.column(name, *tables)
            rows.append((place, field.header, name, field.type, field.unit or None, field.description))
    columns = (where, "label", "name", "type", "unit", "description")
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Return the number of rows of each table of ``COUNTED`` that ``con`` holds."""
    return {table: con.sql(f'SELECT count(*) FROM "{table}"').fetchall()[0][0] for table in COUNTED}


def counts_line(numbers: dict[str, int]) -> str:
    """Return the counts as a sentence fragment: ``5 plans, 238 targets, ...``."""
    return ", ".join(f"{numbers[table]} {what}" for table, what in COUNTED.items() if table in numbers)


def citation(version: str) -> str:
    """Return the citation line of data ``version`` (as ``CITATION.cff`` says; a test keeps them equal).

    Examples
    --------
    >>> citation("1.0.0+sha.1a2b3c4d").startswith("mfgpolicy contributors. mfgpolicy: quantified")
    True
    """
    return f"{AUTHORS}. {TITLE}. Data set, version {version}. Licence {LICENCE}."


def release_name(version: str) -> str:
    """Return the file name of the data release of ``version`` (``mfgpolicy release``), named as data publishers'
    downloads are.

    Examples
    --------
    >>> release_name("1.0.0+sha.1a2b3c4d")
    'mfgpolicy-data-1.0.0+sha.1a2b3c4d.zip'
    """
    return f"mfgpolicy-data-{version}.zip"
