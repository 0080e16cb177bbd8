"""The curated tables' schema, declared once.

Everything that needs to know a column (the DuckDB loader, the validator, the Frictionless
``datapackage.json`` published beside the CSVs) reads it from ``TABLES``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

FieldType = Literal["string", "integer", "number", "boolean", "date"]

KINDS = ("level", "annual_growth", "change_over_period", "count", "amount")
DIRECTIONS = ("increase", "decrease", "reach")
COMPARATORS = (">=", "~", "=", "<=", "range")
HEDGES = ("", "力争", "争取", "确保", "努力")
CITIES = ("Yuyao", "Jinhua", "Wenzhou", "Ningbo")
DOMAINS = (
    "efficiency", "innovation", "green", "digital", "investment", "quality", "enterprise",
    "scale", "sector_output", "platform", "openness", "talent", "finance", "land", "services",
)
MORE_AMBITIOUS = ("higher", "lower")
SCRIPTS = ("simplified", "traditional")
POPULATIONS = ("above_scale_industry", "above_scale_manufacturing", "industry", "manufacturing", "whole_economy",
               "firms", "sector", "varies")
PRICE_BASES = ("current", "comparable", "not_applicable", "unknown")
STOCK_OR_FLOW = ("stock", "flow", "ratio")
BINDING = ("binding", "indicative", "unknown")
LEVELS = ("province", "prefecture-level city", "county-level city")


@dataclass(frozen=True)
class Field:
    """One column of a curated table."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    """One curated table: its CSV file, primary key, fields and foreign keys."""

    name: str
    description: str
    primary_key: str
    fields: tuple[Field, ...]
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """File name of the table inside ``data/curated``."""
        return f"{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        """Column names in declared order."""
        return [f.name for f in self.fields]


def _f(name: str, type_: FieldType, description: str, *, required: bool = False,
       enum: tuple[str, ...] | None = None) -> Field:
    return Field(name, type_, description, required, enum)


_PROVENANCE = (
    _f("quote", "string", "Shortest verbatim span of the raw text stating the number.", required=True),
    _f("quote_en", "string", "English translation of the quote (a translation: the Chinese quote is the source of truth; "
       "[brackets] mark words carried over from the sentence).", required=True),
    _f("char_start", "integer", "Python string offset of the quote's first character in the raw text.", required=True),
    _f("char_end", "integer", "Offset one past the quote's last character: raw_text[char_start:char_end] == quote.", required=True),
)

DOCUMENTS = Table(
    "documents",
    "One row per source plan. Generated from the data/raw/*.meta.yml sidecars (the source of truth) by `mfgpolicy documents`.",
    "doc_id",
    (
        _f("doc_id", "string", "Document id, e.g. yuyao-2018.", required=True),
        _f("city", "string", "City key (cities.city).", required=True),
        _f("city_zh", "string", "City name in Chinese.", required=True),
        _f("admin_level", "string", "Administrative level of the issuing city.", required=True, enum=LEVELS),
        _f("title_zh", "string", "Title in Chinese.", required=True),
        _f("title_en", "string", "English translation of the title.", required=True),
        _f("issuer", "string", "Issuing body.", required=True),
        _f("doc_number", "string", "Official document number (文号), where there is one."),
        _f("date_issued", "date", "Issue date, empty when the text states none (see date_note)."),
        _f("date_note", "string", "Where the date comes from, or why it is empty."),
        _f("period_start", "integer", "First year of the plan period.", required=True),
        _f("period_end", "integer", "Last year of the plan period.", required=True),
        _f("script", "string", "Chinese script of the text.", required=True, enum=SCRIPTS),
        _f("source_file", "string", "Original seed file name.", required=True),
        _f("raw_file", "string", "File name under data/raw/.", required=True),
        _f("origin", "string", "Where the text came from.", required=True),
        _f("notes", "string", "Anything a reader should know about the document."),
        _f("sha256", "string", "sha256 of the raw text file's bytes.", required=True),
    ),
    {"city": ("cities", "city")},
)

CITIES_TABLE = Table(
    "cities",
    "Cities whose plans are in the data, with their administrative parent.",
    "city",
    (
        _f("city", "string", "English key: Yuyao, Jinhua, Wenzhou, Ningbo.", required=True),
        _f("gb2260_code", "integer", "GB/T 2260 administrative division code (6 digits).", required=True),
        _f("name_zh", "string", "Chinese name.", required=True),
        _f("pinyin", "string", "Pinyin name.", required=True),
        _f("admin_level", "string", "Administrative level.", required=True, enum=LEVELS),
        _f("parent", "string", "Administrative parent (English).", required=True),
        _f("parent_zh", "string", "Administrative parent (Chinese).", required=True),
        _f("parent_code", "integer", "GB/T 2260 code of the administrative parent.", required=True),
    ),
)

INDICATORS = Table(
    "indicators",
    "Quantities the targets measure; one key for one quantity across cities.",
    "indicator_key",
    (
        _f("indicator_key", "string", "snake_case English key.", required=True),
        _f("name_zh", "string", "Chinese name.", required=True),
        _f("name_en", "string", "English name.", required=True),
        _f("unit", "string", "Unit of the indicator's level.", required=True),
        _f("domain", "string", "Policy domain.", required=True, enum=DOMAINS),
        _f("more_ambitious", "string", "Which way of the level counts as more ambitious.", required=True, enum=MORE_AMBITIOUS),
        _f("definition_en", "string", "One-sentence English definition.", required=True),
        _f("population", "string", "Population covered as the plans use it (varies: the targets' scopes differ).",
           required=True, enum=POPULATIONS),
        _f("price_basis", "string", "Current or comparable (constant) prices, where money or growth is involved.",
           required=True, enum=PRICE_BASES),
        _f("stock_or_flow", "string", "Stock (level at a point in time), flow (over a period) or ratio.",
           required=True, enum=STOCK_OR_FLOW),
        _f("stat_notes", "string", "Why a population, price basis or stock/flow reading was chosen."),
    ),
)

TARGETS = Table(
    "targets",
    "Every quantified target in the source plans, each tied to its verbatim quote.",
    "target_id",
    (
        _f("target_id", "string", "Stable id <doc_id>-tNNN.", required=True),
        _f("doc_id", "string", "Source document.", required=True),
        _f("city", "string", "City key.", required=True),
        _f("city_code", "integer", "GB/T 2260 code of the city (cities.gb2260_code).", required=True),
        _f("indicator_key", "string", "Quantity measured (indicators.indicator_key).", required=True),
        _f("indicator_zh", "string", "The indicator's words as written.", required=True),
        _f("value", "number", "The number as written, non-negative; the low end of a range.", required=True),
        _f("value_high", "number", "High end of a range, else empty."),
        _f("unit", "string", "Unit as written, multiplier included (%, 亿元, 家, 万台 ...).", required=True),
        _f("kind", "string", "Form of the target.", required=True, enum=KINDS),
        _f("direction", "string", "Increase, decrease, or reach a level.", required=True, enum=DIRECTIONS),
        _f("comparator", "string", ">= (以上/突破/不低于), ~ (左右), =, <=, range.", required=True, enum=COMPARATORS),
        _f("hedge", "string", "力争/争取/确保/努力 as the plan hedges it, else empty.", enum=HEDGES),
        _f("base_year", "integer", "Year the change or count is measured from."),
        _f("base_year_stated", "boolean", "True when the text states the base year; false when implied."),
        _f("base_value", "number", "Baseline value where the document states one."),
        _f("baseline_id", "string", "Row of baselines giving base_value."),
        _f("target_year", "integer", "Year by which the target is to be met.", required=True),
        _f("per_year", "boolean", "True when the number is per year (每年, 年均, one-year figure).", required=True),
        _f("scope", "string", "Population: 规上工业, 规上制造业, 全市, or a sector as written.", required=True),
        _f("tier", "integer", "1 = headline goals or target annex, 2 = task paragraphs.", required=True, enum=("1", "2")),
        _f("binding", "string", "约束性 (binding) or 预期性 (indicative) where the plan says so, else unknown.",
           required=True, enum=BINDING),
        *_PROVENANCE,
        _f("same_as", "string", "target_id of the primary statement when this target is stated again."),
        _f("notes", "string", "Curator's judgement in plain English."),
    ),
    {
        "doc_id": ("documents", "doc_id"),
        "city": ("cities", "city"),
        "indicator_key": ("indicators", "indicator_key"),
        "baseline_id": ("baselines", "baseline_id"),
        "same_as": ("targets", "target_id"),
    },
)

BASELINES = Table(
    "baselines",
    "Values that targets start from, as the documents state them.",
    "baseline_id",
    (
        _f("baseline_id", "string", "Stable id <doc_id>-bNNN.", required=True),
        _f("doc_id", "string", "Source document.", required=True),
        _f("city", "string", "City key.", required=True),
        _f("city_code", "integer", "GB/T 2260 code of the city (cities.gb2260_code).", required=True),
        _f("indicator_key", "string", "Quantity measured.", required=True),
        _f("indicator_zh", "string", "The indicator's words as written.", required=True),
        _f("year", "integer", "Year the value refers to.", required=True),
        _f("value", "number", "The value as written.", required=True),
        _f("unit", "string", "Unit as written.", required=True),
        _f("scope", "string", "Population, as in targets.scope.", required=True),
        _f("tier", "integer", "1 = headline goals or target annex, 2 = task paragraphs.", required=True, enum=("1", "2")),
        *_PROVENANCE,
        _f("notes", "string", "Curator's judgement in plain English."),
    ),
    {
        "doc_id": ("documents", "doc_id"),
        "city": ("cities", "city"),
        "indicator_key": ("indicators", "indicator_key"),
    },
)

TABLES: dict[str, Table] = {t.name: t for t in (CITIES_TABLE, DOCUMENTS, INDICATORS, BASELINES, TARGETS)}
"""Curated tables in load order (parents before children)."""

DUCKDB_TYPES: dict[FieldType, str] = {
    "string": "VARCHAR", "integer": "INTEGER", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE",
}


def datapackage() -> dict:
    """Return the Frictionless data package descriptor of ``data/curated``."""
    resources = []
    for table in TABLES.values():
        fields = []
        for f in table.fields:
            spec: dict = {"name": f.name, "type": f.type, "description": f.description}
            constraints: dict = {}
            if f.required:
                constraints["required"] = True
            if f.enum and f.type == "string":
                constraints["enum"] = [v for v in f.enum if v]
            if constraints:
                spec["constraints"] = constraints
            if f.type == "boolean":
                spec["trueValues"], spec["falseValues"] = ["true"], ["false"]
            fields.append(spec)
        schema: dict = {"fields": fields, "primaryKey": [table.primary_key], "missingValues": [""]}
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [col], "reference": {"resource": "" if ref == table.name else ref, "fields": [ref_col]}}
                for col, (ref, ref_col) in table.foreign_keys.items()
            ]
        resources.append({
            "name": table.name, "path": table.path, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": table.description, "schema": schema,
        })
    return {
        "profile": "tabular-data-package",
        "name": "mfgpolicy",
        "title": "Quantified manufacturing-upgrade targets of Zhejiang city plans",
        "description": "Hand-curated targets and baselines from five Zhejiang city plans, each number tied to its verbatim quote and character offsets in the raw text.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": "Zhejiang city government plans (see documents.csv and data/raw/*.meta.yml)", "path": "../raw/"}],
        "resources": resources,
    }


def datapackage_json() -> str:
    """Return ``datapackage()`` serialised exactly as it is stored on disk."""
    return json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n"


def write_datapackage(curated: Path) -> Path:
    """Write ``datapackage.json`` into ``curated`` atomically and return its path."""
    from mfgpolicy._io import atomic_write_text

    return atomic_write_text(curated / "datapackage.json", datapackage_json())
