"""Every table's columns, declared once: the curated CSVs and the tables derived from them.

Everything that needs to know a column reads it from here: the reader and the validator, the
DuckDB loader (types and column comments), the Frictionless ``datapackage.json`` published
beside the CSVs, the panel exports' variable labels and codebook, and the Excel column guide.
Each ``Field`` carries a ``label`` (short English header, at most 80 characters, used as the
Stata variable label and the Excel header) and a ``unit`` where it has one.

``CURATED`` are the hand-curated CSV files (``TABLES`` is kept as its name); ``DERIVED`` are
built from them: ``targets_harmonised`` (the targets plus the harmonised measures of
``mfgpolicy.harmonise``), ``achievement`` and ``escalation``, the extra columns of the
comparison, of the panel exports and of the Excel summary, and the column guide itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mfgpolicy import vocab

FieldType = Literal["string", "integer", "number", "boolean", "date"]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
"""Every id and key (target_id, doc_id, city, indicator_key, …): ASCII letters, digits, ``_ . -``;
no spaces anywhere, so two ids never differ only by white space."""


@dataclass(frozen=True)
class Field:
    """One column: name, type, meaning, and how people see it."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    label: str = ""
    unit: str = ""

    @property
    def header(self) -> str:
        """The label people read (the name when no label is declared)."""
        return self.label or self.name


@dataclass(frozen=True)
class Table:
    """One table: its CSV file (for curated tables), primary key, fields and foreign keys."""

    name: str
    description: str
    primary_key: str
    fields: tuple[Field, ...]
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    may_be_empty: bool = False

    @property
    def path(self) -> str:
        """File name of the table inside ``data/curated``."""
        return f"{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        """Column names in declared order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """Return the field called ``name`` (``KeyError`` if the table has none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")


def _f(name: str, type_: FieldType, description: str, *, required: bool = False,
       enum: tuple[str, ...] | None = None, label: str = "", unit: str = "") -> Field:
    return Field(name, type_, description, required, enum, label, unit)


_PROVENANCE = (
    _f("quote", "string", "Shortest verbatim span of the raw text stating the number.", required=True,
       label="Quote (verbatim, Chinese)"),
    _f("quote_en", "string", "English translation of the quote (a translation: the Chinese quote is the source of truth; "
       "[brackets] mark words carried over from the sentence).", required=True, label="Quote in English (translation)"),
    _f("char_start", "integer", "Python string offset of the quote's first character in the raw text.", required=True,
       label="Quote start (character offset)"),
    _f("char_end", "integer", "Offset one past the quote's last character: raw_text[char_start:char_end] == quote.",
       required=True, label="Quote end (character offset)"),
)

DOCUMENTS = Table(
    "documents",
    "One row per source plan. Generated from the data/raw/*.meta.yml sidecars (the source of truth) by `mfgpolicy documents`.",
    "doc_id",
    (
        _f("doc_id", "string", "Document id, e.g. yuyao-2018.", required=True, label="Plan id"),
        _f("city", "string", "City key (places.place).", required=True, label="City"),
        _f("city_zh", "string", "City name in Chinese.", required=True, label="City (Chinese)"),
        _f("admin_level", "string", "Administrative level of the issuing city.", required=True,
           enum=vocab.ADMIN_LEVELS, label="Administrative level"),
        _f("title_zh", "string", "Title in Chinese.", required=True, label="Title (Chinese)"),
        _f("title_en", "string", "English translation of the title.", required=True, label="Title (English)"),
        _f("issuer", "string", "Issuing body.", required=True, label="Issuer"),
        _f("doc_number", "string", "Official document number (文号), where there is one.", label="Document number"),
        _f("date_issued", "date", "Issue date, empty when the text states none (see date_note).", label="Date issued"),
        _f("date_note", "string", "Where the date comes from, or why it is empty.", label="Date note"),
        _f("period_start", "integer", "First year of the plan period.", required=True, label="Plan period start",
           unit="year"),
        _f("period_end", "integer", "Last year of the plan period.", required=True, label="Plan period end", unit="year"),
        _f("script", "string", "Chinese script of the text.", required=True, enum=vocab.SCRIPTS, label="Script"),
        _f("source_file", "string", "Original seed file name.", required=True, label="Original file name"),
        _f("raw_file", "string", "File name under data/raw/.", required=True, label="Raw file"),
        _f("origin", "string", "Where the text came from.", required=True, label="Origin of the text"),
        _f("notes", "string", "Anything a reader should know about the document.", label="Notes"),
        _f("sha256", "string", "sha256 of the raw text file's bytes.", required=True, label="sha256 of the raw file"),
    ),
    {"city": ("places", "place")},
)

PLACES = Table(
    "places",
    "Every place the data speaks of: the cities whose plans we hold, and the province and nation above them.",
    "place",
    (
        _f("place", "string", "English key: China, Zhejiang, Ningbo, Yuyao, Jinhua, Wenzhou.", required=True,
           label="Place"),
        _f("gb2260_code", "integer", "GB/T 2260 administrative division code (6 digits); empty for the nation.",
           label="GB/T 2260 code (6 digits)"),
        _f("name_zh", "string", "Chinese name.", required=True, label="Place (Chinese)"),
        _f("pinyin", "string", "Pinyin name.", required=True, label="Place (pinyin)"),
        _f("level", "string", "nation, province, prefecture (prefecture-level city) or county (county-level city).",
           required=True, enum=vocab.PLACE_LEVELS, label="Level"),
        _f("parent", "string", "The place one level up (empty for the nation).", label="Administrative parent"),
    ),
    {"parent": ("places", "place")},
)

INDICATORS = Table(
    "indicators",
    "Quantities the targets measure; one key for one quantity across cities.",
    "indicator_key",
    (
        _f("indicator_key", "string", "snake_case English key.", required=True, label="Indicator key"),
        _f("name_zh", "string", "Chinese name.", required=True, label="Indicator (Chinese)"),
        _f("name_en", "string", "English name.", required=True, label="Indicator (English)"),
        _f("unit", "string", "Unit of the indicator's level.", required=True, label="Unit of the level"),
        _f("domain", "string", "Policy domain.", required=True, enum=vocab.DOMAINS, label="Policy domain"),
        _f("more_ambitious", "string", "Which way of the level counts as more ambitious.", required=True,
           enum=vocab.MORE_AMBITIOUS, label="More ambitious is"),
        _f("definition_en", "string", "One-sentence English definition.", required=True, label="Definition"),
        _f("population", "string", "Population covered as the plans use it (varies: the targets' scopes differ).",
           required=True, enum=vocab.POPULATIONS, label="Population covered"),
        _f("price_basis", "string", "Current or comparable (constant) prices, where money or growth is involved.",
           required=True, enum=vocab.PRICE_BASES, label="Price basis"),
        _f("stock_or_flow", "string", "Stock (level at a point in time), flow (over a period) or ratio.",
           required=True, enum=vocab.STOCK_OR_FLOW, label="Stock, flow or ratio"),
        _f("stat_notes", "string", "Why a population, price basis or stock/flow reading was chosen.",
           label="Statistical notes"),
    ),
)

TARGETS = Table(
    "targets",
    "Every quantified target in the source plans, each tied to its verbatim quote.",
    "target_id",
    (
        _f("target_id", "string", "Stable id <doc_id>-tNNN.", required=True, label="Target id"),
        _f("doc_id", "string", "Source document.", required=True, label="Plan id"),
        _f("city", "string", "City key.", required=True, label="City"),
        _f("city_code", "integer", "GB/T 2260 code of the city (places.gb2260_code).", required=True,
           label="GB/T 2260 code of the city"),
        _f("indicator_key", "string", "Quantity measured (indicators.indicator_key).", required=True,
           label="Indicator key"),
        _f("indicator_zh", "string", "The indicator's words as written.", required=True,
           label="Indicator as written (Chinese)"),
        _f("value", "number", "The number as written, non-negative; the low end of a range.", required=True,
           label="Value as written"),
        _f("value_high", "number", "High end of a range, else empty.", label="High end of a range"),
        _f("unit", "string", "Unit as written, multiplier included (%, 亿元, 家, 万台 ...).", required=True,
           label="Unit as written"),
        _f("kind", "string", "Form of the target.", required=True, enum=vocab.KINDS, label="Form of target"),
        _f("direction", "string", "Increase, decrease, or reach a level.", required=True, enum=vocab.DIRECTIONS,
           label="Direction"),
        _f("comparator", "string", ">= (以上/突破/不低于), ~ (左右), =, <=, range.", required=True,
           enum=vocab.COMPARATORS, label="Comparator as written"),
        _f("hedge", "string", "力争/争取/确保/努力/争创 as the plan hedges it, else empty.", enum=vocab.HEDGES,
           label="Hedge word (Chinese)"),
        _f("base_year", "integer", "Year the change or count is measured from.", label="Base year", unit="year"),
        _f("base_year_stated", "boolean", "True when the text states the base year; false when implied.",
           label="Base year stated in the text"),
        _f("base_value", "number", "Baseline value where the document states one.", label="Baseline value stated"),
        _f("baseline_id", "string", "Row of baselines giving base_value.", label="Baseline id"),
        _f("target_year", "integer", "Year by which the target is to be met.", required=True, label="Target year",
           unit="year"),
        _f("per_year", "boolean", "True when the number is per year (每年, 年均, one-year figure).", required=True,
           label="Stated per year"),
        _f("scope", "string", "Population: 规上工业, 规上制造业, 全市, or a sector as written.", required=True,
           label="Population covered (Chinese)"),
        _f("tier", "integer", "1 = headline goals or target annex, 2 = task paragraphs.", required=True,
           enum=("1", "2"), label="Tier (1 headline, 2 task)"),
        _f("binding", "string", "约束性 (binding) or 预期性 (indicative) where the plan says so, else unknown.",
           required=True, enum=vocab.BINDING, label="Binding or indicative"),
        *_PROVENANCE,
        _f("same_as", "string", "target_id of the primary statement when this target is stated again.",
           label="Restatement of"),
        _f("conflicts_with", "string", "target_id of another statement of the same target, in the same plan, that "
           "gives a different number (both rows are kept and both are shown).", label="Conflicts with"),
        _f("notes", "string", "Curator's judgement in plain English.", label="Curator's notes"),
    ),
    {
        "doc_id": ("documents", "doc_id"),
        "city": ("places", "place"),
        "indicator_key": ("indicators", "indicator_key"),
        "baseline_id": ("baselines", "baseline_id"),
        "same_as": ("targets", "target_id"),
        "conflicts_with": ("targets", "target_id"),
    },
)

BASELINES = Table(
    "baselines",
    "Values that targets start from, as the documents state them.",
    "baseline_id",
    (
        _f("baseline_id", "string", "Stable id <doc_id>-bNNN.", required=True, label="Baseline id"),
        _f("doc_id", "string", "Source document.", required=True, label="Plan id"),
        _f("city", "string", "City key.", required=True, label="City"),
        _f("city_code", "integer", "GB/T 2260 code of the city (places.gb2260_code).", required=True,
           label="GB/T 2260 code of the city"),
        _f("indicator_key", "string", "Quantity measured.", required=True, label="Indicator key"),
        _f("indicator_zh", "string", "The indicator's words as written.", required=True,
           label="Indicator as written (Chinese)"),
        _f("year", "integer", "Year the value refers to.", required=True, label="Year", unit="year"),
        _f("value", "number", "The value as written.", required=True, label="Value as written"),
        _f("unit", "string", "Unit as written.", required=True, label="Unit as written"),
        _f("kind", "string", "What the value is: a level at the year, or a rate (growth over the previous year, "
           "or a change over a period).", required=True, enum=vocab.BASELINE_KINDS, label="Form of the baseline"),
        _f("scope", "string", "Population, as in targets.scope.", required=True, label="Population covered (Chinese)"),
        _f("tier", "integer", "1 = headline goals or target annex, 2 = task paragraphs.", required=True,
           enum=("1", "2"), label="Tier (1 headline, 2 task)"),
        *_PROVENANCE,
        _f("notes", "string", "Curator's judgement in plain English.", label="Curator's notes"),
    ),
    {
        "doc_id": ("documents", "doc_id"),
        "city": ("places", "place"),
        "indicator_key": ("indicators", "indicator_key"),
    },
    may_be_empty=True,
)

PLAN_SPANS = Table(
    "plan_spans",
    "The years a plan says its own effort covers, where the text states them and they differ from its period.",
    "doc_id",
    (
        _f("doc_id", "string", "The plan.", required=True, label="Plan id"),
        _f("years", "integer", "Number of years the text says the plan's effort takes (通过3年建设: 3).", required=True,
           label="Years stated", unit="years"),
        _f("first_year", "integer", "First year of the stated effort.", required=True, label="First year", unit="year"),
        _f("last_year", "integer", "Last year of the stated effort.", required=True, label="Last year", unit="year"),
        *_PROVENANCE,
        _f("notes", "string", "Curator's judgement in plain English.", label="Curator's notes"),
    ),
    {"doc_id": ("documents", "doc_id")},
    may_be_empty=True,
)

IMPLICATIONS = Table(
    "implications",
    "Targets of one plan read together: a baseline the plan implies, or a finding no single target shows.",
    "implication_id",
    (
        _f("implication_id", "string", "Stable id <doc_id>-iNN.", required=True, label="Implication id"),
        _f("doc_id", "string", "The plan.", required=True, label="Plan id"),
        _f("target_id", "string", "The target the rule is about (the stock, the amount, the level, the first-year rate).",
           required=True, label="Target id"),
        _f("other_target_id", "string", "The target read with it (the flow, the growth rate, the average rate); "
           "empty for maintained.", label="Other target id"),
        _f("rule", "string", "maintained, stock_minus_flows, base_from_cumulative_growth or remaining_growth "
           "(mfgpolicy.harmonise.implied).", required=True, enum=vocab.IMPLICATION_RULES, label="Rule"),
        _f("notes", "string", "Why the two targets belong together, in plain English.", required=True,
           label="Curator's notes"),
    ),
    {
        "doc_id": ("documents", "doc_id"),
        "target_id": ("targets", "target_id"),
        "other_target_id": ("targets", "target_id"),
    },
    may_be_empty=True,
)

_CITATION = (
    _f("source_id", "string", "The outside source (sources.source_id).", required=True, label="Source id"),
    _f("locator", "string", "Where on the source the figure stands, in our own words (section, table, paragraph "
       "topic), so a person can check it in a minute.", required=True, label="Where in the source"),
)

SOURCES = Table(
    "sources",
    "Outside pages and documents cited for figures we do not hold the text of: cited, never copied.",
    "source_id",
    (
        _f("source_id", "string", "Short stable id, e.g. zj-2021-phoenix-plan-zsjj.", required=True, label="Source id"),
        _f("url", "string", "Address of the page as stored (http or https).", required=True, label="URL"),
        _f("publisher", "string", "Who publishes the page (the site, and whose text it reproduces).", required=True,
           label="Publisher"),
        _f("title", "string", "Title as published.", required=True, label="Title (as published)"),
        _f("title_en", "string", "English translation of the title.", required=True, label="Title (English)"),
        _f("date_published", "date", "Publication date, where the page shows one (see notes otherwise).",
           label="Date published"),
        _f("kind", "string", "What the source is.", required=True, enum=vocab.SOURCE_KINDS, label="Kind of source"),
        _f("site", "string", "issuer (the issuing body's own site), government, news, mirror or aggregator: "
           "official copies are preferred, a mirror only where nothing official is available.", required=True,
           enum=vocab.SITES, label="Site"),
        _f("notes", "string", "What the source is used for and how far it can be trusted.", label="Notes"),
    ),
    may_be_empty=True,
)

OBSERVATIONS = Table(
    "observations",
    "Statistical values an outside source reports (not targets): where a city started and where it ended up.",
    "observation_id",
    (
        _f("observation_id", "string", "Stable id <place>-<indicator>-<year>[-suffix].", required=True,
           label="Observation id"),
        _f("place", "string", "The place (places.place): a city, Zhejiang or China.", required=True, label="Place"),
        _f("indicator_key", "string", "Quantity observed (indicators.indicator_key).", required=True,
           label="Indicator key"),
        _f("indicator_zh", "string", "The statistic's name as the source gives it.", required=True,
           label="Statistic as named (Chinese)"),
        _f("year", "integer", "Year the value refers to (the end year of a change).", required=True, label="Year",
           unit="year"),
        _f("base_year", "integer", "Start year of a change or average over several years, else empty.",
           label="Base year", unit="year"),
        _f("period", "string", "What part of the year (or span) the value covers.", required=True,
           enum=vocab.PERIODS, label="Period covered"),
        _f("comparator", "string", "= when exact; ~ (about, 接近), >= (more than), <= (less than) when the source "
           "gives a bound.", required=True, enum=vocab.COMPARATORS, label="Comparator"),
        _f("value", "number", "The value, signed (a fall is negative).", required=True, label="Value"),
        _f("unit", "string", "Unit (%, 万元/人, 亿元 ...).", required=True, label="Unit"),
        _f("kind", "string", "level, growth_yoy (over the previous year), change_over_period, average_annual_growth.",
           required=True, enum=vocab.OBSERVATION_KINDS, label="Form of the value"),
        _f("scope", "string", "Population as the source uses it: 规上工业, 规上制造业, 全社会 ...", required=True,
           label="Population covered (Chinese)"),
        _f("price_basis", "string", "current, comparable or unstated, as the source says.", required=True,
           enum=vocab.PRICE_BASES, label="Price basis"),
        *_CITATION,
        _f("derived", "boolean", "True when the value is computed from what the source states.", required=True,
           label="Derived"),
        _f("derivation", "string", "The arithmetic of a derived value.", label="Derivation"),
        _f("notes", "string", "Judgement: caveats on definitions, scope and comparability.", label="Notes"),
    ),
    {"place": ("places", "place"), "indicator_key": ("indicators", "indicator_key"),
     "source_id": ("sources", "source_id")},
    may_be_empty=True,
)

CITED_DOCUMENTS = Table(
    "cited_documents",
    "Plans we do not hold the text of, cited from outside sources: the parents our plans implement.",
    "cited_doc_id",
    (
        _f("cited_doc_id", "string", "Stable id, e.g. zhejiang-2021-phoenix.", required=True, label="Cited plan id"),
        _f("place", "string", "Issuing place (places.place).", required=True, label="Place"),
        _f("title_zh", "string", "Title in Chinese.", required=True, label="Title (Chinese)"),
        _f("title_en", "string", "English translation of the title.", required=True, label="Title (English)"),
        _f("issuer", "string", "Issuing body, where a source shows it.", label="Issuer"),
        _f("doc_number", "string", "Document number (文号), where a source shows it.", label="Document number"),
        _f("date_issued", "date", "Issue date, where a source shows it (see notes).", label="Date issued"),
        _f("period_start", "integer", "First year of the plan period.", required=True, label="Plan period start",
           unit="year"),
        _f("period_end", "integer", "Last year of the plan period.", required=True, label="Plan period end",
           unit="year"),
        _f("source_id", "string", "The best source of its text (sources.source_id); empty when none was found.",
           label="Source id"),
        _f("notes", "string", "What is known, from where, and what was looked for and not found.", required=True,
           label="Notes"),
    ),
    {"place": ("places", "place"), "source_id": ("sources", "source_id")},
    may_be_empty=True,
)

CITED_TARGETS = Table(
    "cited_targets",
    "Quantified targets of cited plans, with the columns of targets; each cites its source and locator in place of "
    "a quote and offsets (the quote-at-offsets guarantee covers only the plans we hold).",
    "cited_target_id",
    (
        _f("cited_target_id", "string", "Stable id <cited_doc_id>-tNNN.", required=True, label="Cited target id"),
        _f("cited_doc_id", "string", "The cited plan.", required=True, label="Cited plan id"),
        _f("place", "string", "The plan's place.", required=True, label="Place"),
        *(f for f in TARGETS.fields if f.name in (
            "indicator_key", "indicator_zh", "value", "value_high", "unit", "kind", "direction", "comparator", "hedge",
            "base_year", "base_year_stated", "target_year", "per_year", "scope")),
        *_CITATION,
        _f("notes", "string", "Curator's judgement: readings of comparator, hedge, base year and scope.", required=True,
           label="Curator's notes"),
    ),
    {"cited_doc_id": ("cited_documents", "cited_doc_id"), "place": ("places", "place"),
     "indicator_key": ("indicators", "indicator_key"), "source_id": ("sources", "source_id")},
    may_be_empty=True,
)

PLAN_LINKS = Table(
    "plan_links",
    "Which cited plan a plan we hold says it implements, quoted from the plan we hold.",
    "link_id",
    (
        _f("link_id", "string", "Stable id <doc_id>-pNN.", required=True, label="Link id"),
        _f("doc_id", "string", "The plan we hold.", required=True, label="Plan id"),
        _f("cited_doc_id", "string", "The plan it names.", required=True, label="Cited plan id"),
        _f("relation", "string", "implements, or follows_indicator_table.", required=True, enum=vocab.PLAN_RELATIONS,
           label="Relation"),
        *_PROVENANCE,
        _f("notes", "string", "Curator's judgement.", label="Curator's notes"),
    ),
    {"doc_id": ("documents", "doc_id"), "cited_doc_id": ("cited_documents", "cited_doc_id")},
    may_be_empty=True,
)

CURATED: dict[str, Table] = {t.name: t for t in (PLACES, DOCUMENTS, INDICATORS, BASELINES, TARGETS, PLAN_SPANS,
                                                  IMPLICATIONS, SOURCES, OBSERVATIONS, CITED_DOCUMENTS,
                                                  CITED_TARGETS, PLAN_LINKS)}
"""Curated tables in load order (parents before children)."""
TABLES = CURATED

HARMONISED = Table(
    "targets_harmonised",
    "targets with harmonised measures (one row per target); rules documented in mfgpolicy.harmonise.",
    "target_id",
    (
        *TARGETS.fields,
        _f("signed_value", "number", "value with the sign of direction (a fall is negative).", label="Signed value"),
        _f("years", "integer", "Span in years: target_year minus the base year (stated, or implied by the plan).",
           label="Span in years", unit="years"),
        _f("plan_years", "integer", "Length of the plan period in years.", label="Plan length in years", unit="years"),
        _f("base_used", "number", "The baseline the measures use: stated in the plan (base_value) or implied by "
           "its other targets (see base_source).", label="Baseline used"),
        _f("base_source", "string", "Where base_used comes from: stated in the plan, or implied by the plan's "
           "targets (with the rule of the implications table).", label="Source of the baseline"),
        _f("annualised_pct", "number", "Harmonised yearly rate in percent, signed (-3.89 = a 3.89% fall a year).",
           label="Harmonised yearly rate, % a year (signed)", unit="% a year"),
        _f("pp_per_year", "number", "Harmonised change of a share in percentage points per year, signed.",
           label="Harmonised change, percentage points a year", unit="pp a year"),
        _f("points_per_year", "number", "Harmonised change of an index in index points per year, signed.",
           label="Harmonised change, index points a year", unit="points a year"),
        _f("per_year_value", "number", "Count or amount per year.", label="Count or amount per year",
           unit="unit as written, per year"),
        _f("plan_total_value", "number", "Count or amount over the whole plan.", label="Count or amount over the plan",
           unit="unit as written"),
        _f("rule", "string", "Harmonisation rule that produced the measures (see mfgpolicy.harmonise).",
           label="Harmonisation rule"),
        _f("comparable", "boolean", "True when a harmonised measure exists (see rule); else see why_not.",
           label="A harmonised measure exists"),
        _f("why_not", "string", "Why no harmonised measure exists.", label="Why no harmonised measure"),
        _f("bound", "string", "Shape of the commitment: the comparator, or a floor or ceiling carried from a "
           "restatement of the same value (see bound_note).", enum=vocab.BOUNDS, label="Shape of the commitment"),
        _f("bound_note", "string", "Why bound differs from the comparator as written.", label="Note on the shape"),
        _f("commitment", "string", "firm (确保), aspirational (力争/争取/努力/争创) or stated (no hedge).",
           enum=vocab.COMMITMENTS, label="Commitment (from the hedge)"),
        _f("plan_vintage", "string", "National Five-Year-Plan period containing the target year.",
           label="Five-Year-Plan period of the target year"),
        _f("bound_low", "number", "Lower bound of the committed interval, on the scale of value (empty = open).",
           label="Lower bound of the commitment (empty = open)"),
        _f("bound_high", "number", "Upper bound of the committed interval, on the scale of value (empty = open).",
           label="Upper bound of the commitment (empty = open)"),
        _f("sensitivity_low", "number", "Lowest annualised_pct across the conventions (compound or linear; the "
           "stated span or the plan's own length).", label="Yearly rate, lowest across conventions", unit="% a year"),
        _f("sensitivity_high", "number", "Highest annualised_pct across the conventions.",
           label="Yearly rate, highest across conventions", unit="% a year"),
        _f("pp_sensitivity_low", "number", "Lowest pp_per_year across the spans.",
           label="Percentage points a year, lowest across conventions", unit="pp a year"),
        _f("pp_sensitivity_high", "number", "Highest pp_per_year across the spans.",
           label="Percentage points a year, highest across conventions", unit="pp a year"),
        _f("per_year_low", "number", "Lowest per_year_value across the spans.",
           label="Count per year, lowest across conventions", unit="unit as written, per year"),
        _f("per_year_high", "number", "Highest per_year_value across the spans.",
           label="Count per year, highest across conventions", unit="unit as written, per year"),
        _f("horizon", "string", "one year or multi-year (from years).", label="Horizon"),
        _f("form", "string", "rate (growth or change), level, flow (new things) or stock (a total to reach).",
           label="Form (rate, level, flow, stock)"),
        _f("base_unit", "string", "The unit without its Chinese multiplier (万台 -> 台).", label="Base unit"),
        _f("unit_factor", "number", "The multiplier of the unit as written (万 = 10000).", label="Unit multiplier"),
        _f("denominator", "string", "The denominator of a ratio as the indicator's words name it (主营业务收入, "
           "营业收入, GDP, 工业增加值 ...), else empty.", label="Denominator of the ratio"),
        _f("price_basis", "string", "The indicator's price basis; unstated unless a source states it.",
           label="Price basis"),
        _f("rank_measure", "string", "The measure a ranking uses: % a year, pp a year, points a year, new a year, "
           "or level.", label="Ranking measure"),
        _f("rank_group", "string", "Rows rank together only within one group: the measure, with the base unit for "
           "counts and levels.", label="Ranking group"),
        _f("rank_value", "number", "The ranking measure (counts and levels in the base unit).", label="Ranking value"),
        _f("rank_low", "number", "Lowest value of the ranking measure across conventions and the commitment's bounds.",
           label="Ranking value, lowest"),
        _f("rank_high", "number", "Highest value of the ranking measure across conventions and bounds.",
           label="Ranking value, highest"),
    ),
)

PANEL_EXTRA = Table(
    "panel_extra",
    "Columns the panel exports add to the harmonised targets.",
    "target_id",
    (
        _f("gb2260_code", "integer", "GB/T 2260 code of the city (6 digits).", label="GB/T 2260 code of the city (6 digits)"),
        _f("city_zh", "string", "City name in Chinese.", label="City (Chinese)"),
        _f("admin_level", "string", "Administrative level of the city.", label="Administrative level of the city"),
        _f("parent_code", "integer", "GB/T 2260 code of the administrative parent.",
           label="GB/T 2260 code of the administrative parent"),
        _f("year", "integer", "Year of this row (base year to target year on the implied path).",
           label="Year of this row (base year to target year on the implied path)", unit="year"),
        _f("is_target_year", "boolean", "True on the row at the target's target year.",
           label="1 = this row is the target year of the target"),
        _f("indicator_en", "string", "Indicator name in English.", label="Indicator (English)"),
        _f("domain", "string", "Policy domain of the indicator.", label="Policy domain of the indicator"),
        _f("path_value", "number", "Implied level in this year, in the target's unit.",
           label="Implied level in this year, in the target's unit"),
        _f("path_index", "number", "Implied index in this year (base year = 100).",
           label="Implied index in this year (base year = 100)", unit="index"),
    ),
)

ACHIEVEMENT = Table(
    "achievement",
    "Each target beside the outcome observed in its target year: met, missed or not comparable "
    "(mfgpolicy.comparison.outcomes).",
    "target_id",
    (
        _f("target_id", "string", "The target (targets.target_id, or cited_targets.cited_target_id).",
           label="Target id"),
        _f("source", "string", "plan (a plan we hold) or cited (a parent plan we cite).", label="Target from"),
        _f("city", "string", "The place the target is for.", label="Place"),
        _f("doc_id", "string", "The plan (documents.doc_id or cited_documents.cited_doc_id).", label="Plan id"),
        _f("indicator_key", "string", "Quantity measured.", label="Indicator key"),
        _f("scope", "string", "The target's population (Chinese).", label="Population of the target (Chinese)"),
        _f("kind", "string", "Form of the target.", label="Form of target"),
        _f("direction", "string", "Increase, decrease, or reach a level.", label="Direction"),
        _f("comparator", "string", "Comparator as written.", label="Comparator as written"),
        _f("bound", "string", "Shape of the commitment.", label="Shape of the commitment"),
        _f("commitment", "string", "firm, stated or aspirational (from the hedge).", label="Commitment"),
        _f("value", "number", "The target as written (non-negative).", label="Target value"),
        _f("unit", "string", "The target's unit.", label="Target unit"),
        _f("base_year", "integer", "The target's base year.", label="Base year", unit="year"),
        _f("target_year", "integer", "The target year.", label="Target year", unit="year"),
        _f("observation_id", "string", "The outcome (observations.observation_id).", label="Outcome observation id"),
        _f("observed_year", "integer", "Year of the outcome (the target year).", label="Outcome year", unit="year"),
        _f("observed_period", "string", "Part of the year the outcome covers.", label="Outcome period"),
        _f("observed_value", "number", "The outcome as the source gives it (signed).", label="Outcome as reported"),
        _f("observed_unit", "string", "The outcome's unit.", label="Outcome unit"),
        _f("observed_kind", "string", "Form of the outcome.", label="Form of the outcome"),
        _f("observed_scope", "string", "The outcome's population (Chinese).", label="Population of the outcome"),
        _f("outcome", "number", "The outcome on the target's scale (a fall positive for a decrease target); empty "
           "when not comparable.", label="Outcome on the target's scale"),
        _f("gap", "number", "Outcome minus target on the target's scale (positive: beyond the target).",
           label="Outcome minus target"),
        _f("status", "string", "met, missed or not_comparable.", enum=("met", "missed", "not_comparable"),
           label="Status"),
        _f("difference", "string", "Why an outcome cannot score the target, or how it differs.", label="Difference"),
        _f("source_id", "string", "The outcome's source (sources.source_id).", label="Outcome source id"),
    ),
)

ESCALATION = Table(
    "escalation",
    "Each city target beside the target of the parent plan it implements, on the same indicator "
    "(mfgpolicy.comparison.parents).",
    "target_id",
    (
        _f("doc_id", "string", "The city's plan.", label="City plan id"),
        _f("cited_doc_id", "string", "The parent plan.", label="Parent plan id"),
        _f("indicator_key", "string", "Quantity measured.", label="Indicator key"),
        _f("target_id", "string", "The city's target.", label="City target id"),
        _f("cited_target_id", "string", "The parent plan's target.", label="Parent target id"),
        _f("city", "string", "The city.", label="City"),
        _f("parent_place", "string", "The parent plan's place.", label="Parent place"),
        _f("measure", "string", "The measure both share: % a year, pp a year, points a year, or level.",
           label="Shared measure"),
        _f("city_value", "number", "The city's target on the shared measure.", label="City on the shared measure"),
        _f("parent_value", "number", "The parent's target on the shared measure.",
           label="Parent on the shared measure"),
        _f("unit", "string", "Unit of the shared measure.", label="Unit of the shared measure"),
        _f("difference", "number", "City minus parent on the shared measure.", label="City minus parent"),
        _f("ratio", "number", "City over parent minus one, for levels.", label="City over parent, minus 1"),
        _f("relation", "string", "same, tighter (more ambitious than the parent), looser, or not_comparable.",
           enum=("same", "tighter", "looser", "not_comparable"), label="Relation to the parent"),
        _f("differences", "string", "What else differs: population, denominator, target year, commitment; or why "
           "no measure is shared.", label="Other differences"),
        _f("city_scope", "string", "The city target's population.", label="City population (Chinese)"),
        _f("parent_scope", "string", "The parent target's population.", label="Parent population (Chinese)"),
        _f("city_target_year", "integer", "The city's target year.", label="City target year", unit="year"),
        _f("parent_target_year", "integer", "The parent's target year.", label="Parent target year", unit="year"),
        _f("city_bound", "string", "Shape of the city's commitment.", label="City commitment shape"),
        _f("parent_bound", "string", "Shape of the parent's commitment.", label="Parent commitment shape"),
    ),
)

COMPARISON_EXTRA = Table(
    "comparison_extra",
    "Columns the comparison table (mfgpolicy.comparison.table, and the view headline_comparison) adds to the "
    "harmonised targets.",
    "target_id",
    (
        _f("parent", "string", "The prefecture-level city a county-level city lies in (Yuyao: Ningbo); empty for "
           "the others.", label="Enclosing city (of a county-level city)"),
        _f("admin_level", "string", "Administrative level of the city.", label="Administrative level of the city"),
        _f("caveats", "string", "What differs between this target and the others compared with it on its indicator: "
           "population, denominator, horizon, plan vintage, price basis, form ('; '-separated; the others' values "
           "in brackets).", label="Caveats: what differs from the targets compared"),
        _f("nesting_note", "string", "Set when a county-level city and the prefecture it lies in both set the "
           "indicator: their populations (and counts) overlap.", label="Nesting note"),
        _f("conflict_note", "string", "Another statement of the same target, in the same plan, that gives a "
           "different number.", label="Conflicting statement"),
    ),
)

READABLE_EXTRA = Table(
    "readable_extra",
    "Columns the Excel summary adds beside the data's own, so that a reader without Chinese can follow.",
    "target_id",
    (
        _f("scope_en", "string", "The population a number covers, in plain English with the Chinese words as "
           "written in brackets (规上工业: above-scale industry, i.e. industrial firms above the designated size); "
           "a named sector is given as written (see the English quote).", label="Population covered"),
        _f("target_in_brief", "string", "The target in a few lines: as the plan writes it (direction, where the "
           "sheet has one; comparator: >= at least, <= at most, ~ about, none for a point; value, a range as "
           "low–high; unit); base year–target year (by the target year when no base year is set); its commitment "
           "(from the hedge word), or the hedge word itself; and its harmonised yearly measure, signed (a rate in % "
           "a year, a share's change in percentage points, pp, a year), on the Headline sheet with its range across "
           "conventions. Each part is also a column of its own, right of the print area.",
           label="Target in brief"),
        _f("outcome_as_reported", "string", "The outcome as the source reports it, in one cell: value (signed), unit "
           "and the part of the year it covers. Each part is also a column of its own, right of the print area.",
           label="Outcome (value, unit, period)"),
        _f("value_in_brief", "string", "The value in a few lines: the year it refers to (base year–year for a "
           "change or an average over several years) and, unless it is the whole year, the part of the year it "
           "covers; the value as the source gives it (comparator: >= more than, <= less than, ~ about, none when "
           "exact; value, signed; unit); its form (level, growth_yoy ...); and its price basis. Each part is also a "
           "column of its own, right of the print area.", label="Value in brief"),
        _f("source_in_brief", "string", "What the source is, in a few lines: its kind (plan, news, statistical "
           "release ...); the site it stands on (issuer, government, news, mirror or aggregator); and its publication "
           "date, where it shows one. Each part is also a column of its own, right of the print area.",
           label="Kind, site, date"),
    ),
)

COLUMN_GUIDE = Table(
    "column_guide",
    "Every column of every sheet of the Excel summary, or of every file of the data release: its English label, "
    "name in the data, type, unit and meaning (generated from mfgpolicy.schema).",
    "name",
    (
        _f("sheet", "string", "The sheet of the workbook the column is in.", label="Sheet"),
        _f("file", "string", "The file of the release the column is in.", label="File"),
        _f("label", "string", "The header people read: the column's English label.", label="Column"),
        _f("name", "string", "The column's name in the data files and the database (snake_case).",
           label="Name in the data"),
        _f("type", "string", "string (text), integer, number, boolean (true/false) or date (YYYY-MM-DD).",
           label="Type"),
        _f("unit", "string", "Unit of the column's numbers, where one unit holds for the whole column (otherwise a "
           "unit column beside it gives each row's).", label="Unit"),
        _f("printed", "string", "yes: the column prints; no: it stands right of the print area, on screen and in "
           "the data only (what it holds prints combined with its neighbours in a column to the left, or is rarely "
           "wanted on paper).", label="Printed"),
        _f("description", "string", "What the column means.", label="Meaning"),
    ),
)

DERIVED: dict[str, Table] = {t.name: t for t in (HARMONISED, PANEL_EXTRA, ACHIEVEMENT, ESCALATION, COMPARISON_EXTRA,
                                                  READABLE_EXTRA, COLUMN_GUIDE)}

DUCKDB_TYPES: dict[FieldType, str] = {
    "string": "VARCHAR", "integer": "INTEGER", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE",
}


def column(name: str, *tables: str) -> Field:
    """Return the declaration of column ``name``, looked up in ``tables`` (default: derived, then curated).

    Examples
    --------
    >>> column("annualised_pct").unit
    '% a year'
    """
    order = tables or (*DERIVED, *CURATED)
    for table in order:
        found = {**CURATED, **DERIVED}[table]
        if name in found.columns:
            return found.field(name)
    raise KeyError(f"no table of {', '.join(order)} declares a column {name!r}")


def datapackage() -> dict:
    """Return the Frictionless data package descriptor of ``data/curated``."""
    resources = []
    for table in CURATED.values():
        resources.append({
            "name": table.name, "path": table.path, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": table.description, "schema": table_schema(table),
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


def table_schema(table: Table, fields: tuple[Field, ...] | None = None) -> dict:
    """Return the Frictionless table schema of ``table`` (or of ``fields`` under its name)."""
    specs = []
    for f in fields or table.fields:
        spec: dict = {"name": f.name, "type": f.type, "description": f.description}
        if f.label:
            spec["title"] = f.label
        constraints: dict = {}
        if f.required:
            constraints["required"] = True
        if f.enum and f.type == "string":
            constraints["enum"] = [v for v in f.enum if v]
        if constraints:
            spec["constraints"] = constraints
        if f.type == "boolean":
            spec["trueValues"], spec["falseValues"] = ["true"], ["false"]
        specs.append(spec)
    schema: dict = {"fields": specs, "primaryKey": [table.primary_key], "missingValues": [""]}
    if table.foreign_keys and fields is None:
        schema["foreignKeys"] = [
            {"fields": [col], "reference": {"resource": "" if ref == table.name else ref, "fields": [ref_col]}}
            for col, (ref, ref_col) in table.foreign_keys.items()
        ]
    return schema


def datapackage_json() -> str:
    """Return ``datapackage()`` serialised exactly as it is stored on disk."""
    return json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n"


def write_datapackage(curated: Path) -> Path:
    """Write ``datapackage.json`` into ``curated`` atomically and return its path."""
    from mfgpolicy._io import atomic_write_text

    return atomic_write_text(curated / "datapackage.json", datapackage_json())
