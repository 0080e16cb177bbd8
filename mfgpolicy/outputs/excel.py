"""The Excel summary: one workbook that stands on its own when it is mailed, written atomically.

The first sheet, ``Overview``, says what the data are, their version, licence, how to cite them
and where the full data live; the last, ``Columns``, explains every column of every sheet (its
English label, name in the data, type, unit and meaning, generated from ``mfgpolicy.schema`` by
``mfgpolicy.outputs.about.column_guide``). In between, the sheets of ``SHEETS`` carry the columns
a reader needs, headed by their English labels, with the full text of quotes and notes wrapped
and rows tall enough to show it, and print as a report (``mfgpolicy.outputs.layout``).

Numbers in the workbook are exactly the database's: rates stay in percent units (−3.89 means
−3.89% a year) and are shown with their unit by their number format, so nothing is rescaled
between the database and the sheet. Text is always stored as text, never as a formula. The file
is the same, byte for byte, whenever the data are: no timestamps (the document properties carry
a fixed date and the data version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from mfgpolicy._io import atomic_path, guard_output
from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.outputs import layout
from mfgpolicy.outputs.about import (
    LICENCE_NAME,
    LICENCE_URL,
    WHAT_THIS_IS,
    citation,
    column_guide,
    counts,
    counts_line,
    release_name,
)
from mfgpolicy.project import Project

FIXED_TIME = datetime(2000, 1, 1)
"""The creation and modification time stored in the workbook: fixed, so the bytes depend only on the data."""

_TARGETS = ("targets_harmonised", "comparison_extra", "panel_extra", "readable_extra")
_INDICATOR_EN = "(SELECT name_en FROM indicators i WHERE i.indicator_key = {t}.indicator_key) AS indicator_en"


@dataclass(frozen=True)
class Sheet:
    """One data sheet: its tab name, what a row is, its query, and the schema tables declaring its columns.

    ``wide`` gives the widths of the long-text columns (others are sized from their contents).
    A ``scope`` column is shown as ``scope_en``: plain English with the Chinese words beside it.
    """

    name: str
    about: str
    sql: str
    tables: tuple[str, ...]
    wide: dict[str, float] = field(default_factory=dict)


SHEETS: tuple[Sheet, ...] = (
    Sheet("Headline", "labour productivity, energy intensity and R&D shares across cities: each target as a yearly rate, "
          "its range across conventions, and what differs.",
          """SELECT indicator AS indicator_en, city, target_id, scope, comparator, value, unit, base_year, target_year,
                    commitment, annualised_pct, sensitivity_low, sensitivity_high, pp_per_year, pp_sensitivity_low,
                    pp_sensitivity_high, why_not, caveats, nesting_note, quote, quote_en
             FROM headline_comparison
             ORDER BY indicator_key, city, doc_id NULLS LAST, target_id""",
          _TARGETS, {"indicator_en": 12, "scope_en": 12, "why_not": 15, "caveats": 32, "nesting_note": 18,
                     "quote": 13, "quote_en": 22}),
    Sheet("Targets", "every quantified target of the plans (restatements included), with its quote, translation, notes and"
          " harmonised yearly measure.",
          f"""SELECT target_id, city, {_INDICATOR_EN.format(t="t")}, scope, direction, comparator, value, unit,
                     base_year, target_year, commitment, annualised_pct, pp_per_year, same_as, quote, quote_en, notes
              FROM targets_harmonised t ORDER BY doc_id, target_id""",
          _TARGETS, {"indicator_en": 18, "scope_en": 12, "quote": 20, "quote_en": 38, "notes": 70}),
    Sheet("Achievement", "targets beside the outcome a statistical source reports for their target year: met, missed or not "
          "comparable, and why.",
          f"""SELECT target_id, city, {_INDICATOR_EN.format(t="a")}, scope, comparator, value, unit, target_year,
                     commitment, observed_value, observed_unit, observed_period, observed_scope, outcome, gap, status,
                     difference, source_id
              FROM achievement a ORDER BY doc_id, target_id, observation_id""",
          ("achievement", "panel_extra", "readable_extra"),
          {"indicator_en": 18, "scope_en": 13, "difference": 30, "source_id": 22}),
    Sheet("Escalation", "each city target beside the target of the parent plan it implements: same, tighter or looser, and "
          "what else differs.",
          f"""SELECT target_id, city, {_INDICATOR_EN.format(t="e")}, cited_target_id, parent_place, measure,
                     city_value, parent_value, unit, difference, ratio, relation, city_target_year,
                     parent_target_year, city_scope, parent_scope, differences
              FROM escalation e ORDER BY doc_id, target_id, cited_target_id""",
          ("escalation", "panel_extra"), {"indicator_en": 28, "differences": 50}),
    Sheet("Cited targets", "targets of the provincial and city plans that our plans implement, cited from outside sources, with "
          "where each stands.",
          f"""SELECT cited_target_id, place, {_INDICATOR_EN.format(t="c")}, indicator_zh, scope, direction,
                     comparator, value, value_high, unit, base_year, target_year, hedge, source_id, locator, notes
              FROM cited_targets c ORDER BY cited_doc_id, cited_target_id""",
          ("cited_targets", "panel_extra", "readable_extra"),
          {"indicator_en": 22, "indicator_zh": 16, "scope_en": 15, "source_id": 23, "locator": 40, "notes": 55}),
    Sheet("Observations", "statistics that outside sources report: where a place started and where it ended up; derived values "
          "show their arithmetic.",
          f"""SELECT place, {_INDICATOR_EN.format(t="o")}, indicator_zh, year, base_year, period,
                     comparator, value, unit, kind, scope, price_basis, source_id, locator, derivation, notes
              FROM observations o ORDER BY place, indicator_key, year, observation_id""",
          ("observations", "panel_extra", "readable_extra"),
          {"indicator_en": 18, "indicator_zh": 16, "scope_en": 14, "source_id": 20, "locator": 34, "derivation": 22,
           "notes": 47}),
    Sheet("Sources", "the outside pages and documents cited for observations and parent plans: cited, never copied.",
          "SELECT source_id, publisher, title, title_en, date_published, kind, site, url, notes FROM sources "
          "ORDER BY source_id",
          ("sources",), {"source_id": 26, "publisher": 27, "title": 34, "title_en": 44, "url": 41, "notes": 68}),
    Sheet("Plans", "the plans whose texts we hold and quote.",
          """SELECT doc_id, city, city_zh, title_zh, title_en, issuer, doc_number, date_issued, period_start,
                    period_end, script, raw_file, notes
             FROM documents ORDER BY doc_id""",
          ("documents",), {"title_zh": 22, "title_en": 30, "issuer": 18, "doc_number": 14, "raw_file": 14,
                           "notes": 30}),
    Sheet("Cited plans", "the parent plans we do not hold the text of, cited from outside sources.",
          """SELECT cited_doc_id, place, title_zh, title_en, issuer, doc_number, date_issued, period_start, period_end,
                    source_id, notes
             FROM cited_documents ORDER BY cited_doc_id""",
          ("cited_documents",), {"title_zh": 25, "title_en": 33, "issuer": 16, "doc_number": 15, "source_id": 21,
                                 "notes": 71}),
    Sheet("Plan links", "which parent plan each plan we hold says it implements, quoted from the plan we hold.",
          "SELECT link_id, doc_id, cited_doc_id, relation, quote, quote_en, notes FROM plan_links ORDER BY link_id",
          ("plan_links",), {"quote": 24, "quote_en": 36, "notes": 44}),
    Sheet("Baselines", "values the targets start from, as the plans state them.",
          f"""SELECT baseline_id, city, {_INDICATOR_EN.format(t="b")}, year, value, unit, kind, scope, quote, quote_en,
                     notes
              FROM baselines b ORDER BY doc_id, baseline_id""",
          ("baselines", "panel_extra", "readable_extra"),
          {"indicator_en": 24, "scope_en": 16, "quote": 22, "quote_en": 39, "notes": 48}),
    Sheet("Indicators", "the quantities measured, one for one quantity across cities, with definitions (keys and statistical "
          "readings: full data).",
          """SELECT name_en, name_zh, unit, domain, more_ambitious, definition_en
             FROM indicators ORDER BY domain, name_en""",
          ("indicators",), {"name_en": 40, "name_zh": 26, "definition_en": 110}),
)
"""The data sheets, in workbook order, between ``Overview`` and ``Columns``."""

GUIDE_SHEET = "Columns"
GUIDE_ABOUT = "every column of every sheet: English label, name in the data, type, unit and meaning."
GUIDE_WIDE = {"label": 40, "name": 27, "unit": 12, "description": 111}


def sheet_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Return the data sheets of the workbook as polars frames, by sheet name, exactly as written."""
    from mfgpolicy.outputs.figures.style import scope_label

    frames = {}
    for sheet in SHEETS:
        frame = frame_of(con.sql(sheet.sql))
        if "scope" in frame.columns:
            scopes = {s: _scope_en(s, scope_label(s, "en")) for s in frame["scope"].drop_nulls().unique()}
            frame = frame.with_columns(pl.col("scope").replace_strict(scopes, default=None).alias("scope")).rename(
                {"scope": "scope_en"})
        frames[sheet.name] = frame
    return frames


def _scope_en(scope: str, english: str) -> str:
    return scope if english == scope else f"{english} ({scope})"


def guide_frame(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Return the ``Columns`` sheet: every column of every data sheet (and of itself), from ``mfgpolicy.schema``."""
    parts = [(sheet.name, frames[sheet.name].columns, sheet.tables) for sheet in SHEETS]
    names = ("sheet", "label", "name", "type", "unit", "description")
    return column_guide([*parts, (GUIDE_SHEET, names, ("column_guide",))])


def overview_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Return the (topic, text) rows of the ``Overview`` sheet, the page a reader reads first."""
    from mfgpolicy.catalog import version_of
    version = version_of(con)
    plans = con.sql("""SELECT doc_id, title_en, title_zh, period_start, period_end FROM documents
                       ORDER BY doc_id""").fetchall()
    sheets = "\n".join(f"{sheet.name}: {sheet.about}" for sheet in SHEETS)
    return [
        ("What this is", WHAT_THIS_IS),
        ("Data version",
         (f"{version}: release {version.split('+')[0]} of the data, then a hash of the data files, so that two "
          "different states of the data never share a version. Give it when you cite; every figure made from the "
          "data prints it.")),
        ("Licence",
         (f"The data are licensed under {LICENCE_NAME}, {LICENCE_URL}: share and adapt them for any purpose, giving "
          "credit as below and saying if you changed them. Quotes come from Chinese government plans, which are "
          "quoted as sources; figures from outside sources are attributed to them (sheet Sources). The mfgpolicy "
          "software that checks and harmonises the data is under the MIT licence.")),
        ("How to cite", citation(version)),
        ("Where the full data live",
         (f"This workbook shows the columns a reader needs. The full data (every column of every table as CSV, a "
          f"Frictionless datapackage.json, this column guide, the plans' texts the quotes come from, the licences "
          f"and CITATION.cff) are the release file {release_name(version)}, written by the command `mfgpolicy "
          "release`: ask whoever sent you this workbook for it. The same data ship inside the Python package "
          "mfgpolicy (`import mfgpolicy as mp; mp.connect()` opens them in DuckDB).")),
        ("Contents", counts_line(counts(con)) + "."),
        ("Sheets", f"{sheets}\n{GUIDE_SHEET}: {GUIDE_ABOUT}"),
        ("How the numbers compare",
         ("A target is turned into a yearly measure only by documented rules: a stated yearly rate as written; a "
          "change over several years as the compound yearly rate over target year minus base year; a level with a "
          "baseline as the implied compound rate; a share's change as percentage points (pp) a year. Rates are in "
          "percent a year and signed (a 3.89%-a-year fall shows as -3.89%). The lowest and highest rate across the "
          "conventions (compound or linear; the stated span, the plan's own years) show how far the choice matters; "
          "caveats say what differs between the targets compared (population, denominator, horizon, plan vintage, "
          "price basis, form). A target that cannot be made comparable says why.")),
        ("Words of the plans",
         ("Comparator: >= a floor (以上, 突破, 不低于: at least), <= a ceiling (以内: at most), ~ about (左右), = a "
          "point. Commitment from the hedge word: firm (确保 ensure), aspirational (力争 strive, 争取 seek, 努力 "
          "endeavour, 争创 strive to win), stated (no hedge). Population: 规上工业 above-scale industry (industrial "
          "firms above the designated size), 规上制造业 above-scale manufacturing, 全市 citywide.")),
        ("Where each number comes from",
         ("A target's quote is the exact text of its plan at character offsets recorded in the data, checked every "
          "time the data are built; the English quote is a translation, the Chinese is the source. A figure from an "
          "outside source names the source (sheet Sources: publisher, title, address, date) and where on it the "
          "figure stands.")),
        ("Plans", "\n".join(f"{doc_id}: {title_en} ({title_zh}), {start}–{end}"
                            for doc_id, title_en, title_zh, start, end in plans)),
    ]


def to_excel(path: Path | str | None = None, *, con: duckdb.DuckDBPyConnection | None = None,
             project: Project | None = None) -> Path:
    """Write the summary workbook to ``path`` (default: the project's ``mfgpolicy-summary.xlsx``) atomically.

    Returns the path written. A failure leaves any previous workbook untouched.
    """
    from openpyxl import Workbook

    from mfgpolicy.catalog import version_of
    from mfgpolicy.outputs.zipped import normalise_zip

    project = project or Project.find()
    if con is None:
        from mfgpolicy.catalog import connect

        con = connect(project=project)
    target = guard_output(Path(path) if path is not None else project.workbook, project, what="the workbook",
                          kind="workbook")
    version = version_of(con)
    footer = f"mfgpolicy data {version}"
    workbook = Workbook()
    _properties(workbook, version)
    _write_overview(workbook.active, overview_rows(con), footer)
    frames = sheet_frames(con)
    tables = {sheet.name: sheet.tables for sheet in SHEETS}
    for sheet in SHEETS:
        _write_table(workbook.create_sheet(sheet.name), frames[sheet.name], tables[sheet.name], sheet.wide, footer)
    _write_table(workbook.create_sheet(GUIDE_SHEET), guide_frame(frames), ("column_guide",), GUIDE_WIDE, footer)
    with atomic_path(target) as tmp:
        workbook.save(tmp)
        normalise_zip(tmp, {"docProps/core.xml": _core_properties(workbook)})
    return target


def _core_properties(workbook: object) -> bytes:
    """Return ``docProps/core.xml`` with the fixed time (openpyxl stamps the time of saving into it)."""
    from openpyxl.xml.functions import tostring

    workbook.properties.modified = FIXED_TIME
    return tostring(workbook.properties.to_tree())


def _properties(workbook: object, version: str) -> None:
    props = workbook.properties
    props.title = f"mfgpolicy: manufacturing-upgrade targets of Zhejiang city plans, data {version}"
    props.subject = "Quantified targets of Zhejiang city manufacturing plans, harmonised and compared"
    props.creator = props.lastModifiedBy = "mfgpolicy"
    props.identifier = props.version = version
    props.description = citation(version)
    props.keywords = "industrial policy; manufacturing; targets; China; Zhejiang"
    props.created = props.modified = FIXED_TIME


def _write_overview(sheet: object, rows: list[tuple[str, str]], footer: str) -> None:
    from openpyxl.styles import Alignment, Font

    widths = {"A": 24, "B": 130}
    sheet.title = "Overview"
    sheet.column_dimensions["A"].width = widths["A"]
    sheet.column_dimensions["B"].width = widths["B"]
    title = sheet.cell(row=1, column=1)
    layout.set_text(title, "mfgpolicy: quantified manufacturing-upgrade targets of Zhejiang city plans")
    title.font = Font(name=layout.FONT, bold=True, size=14)
    sheet.row_dimensions[1].height = 24
    top = Alignment(wrap_text=True, vertical="top")
    for r, (topic, text) in enumerate(rows, start=2):
        for column, value in ((1, topic), (2, text)):
            cell = sheet.cell(row=r, column=column)
            layout.set_text(cell, value)
            cell.alignment = top
        sheet.cell(row=r, column=1).font = Font(name=layout.FONT, bold=True)
        sheet.row_dimensions[r].height = layout.row_height([(topic, widths["A"]), (text, widths["B"])]) + 3
    layout.print_setup(sheet, footer=footer, table=False)


def _write_table(sheet: object, frame: pl.DataFrame, tables: tuple[str, ...], wide: dict[str, float],
                 footer: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from mfgpolicy import schema

    fields = [schema.column(name, *tables) for name in frame.columns]
    headers = [f.header for f in fields]
    widths = [max(layout.text_column_width(wide[name], frame[name].to_list()), layout.header_width(header))
              if name in wide else layout.auto_width(header, frame[name].to_list())
              for name, header in zip(frame.columns, headers, strict=True)]
    top = Alignment(wrap_text=True, vertical="top")
    header_style = (Font(name=layout.FONT, bold=True, size=layout.HEADER_SIZE), PatternFill("solid", fgColor=layout.HEADER_FILL),
                    Border(bottom=Side(style="thin")))
    for c, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=c)
        layout.set_text(cell, header)
        cell.font, cell.fill, cell.border = header_style
        cell.alignment = top
    sheet.row_dimensions[1].height = layout.row_height(list(zip(headers, widths, strict=True)),
                                                       size=layout.HEADER_SIZE, bold=True)
    formats = [layout.number_format(f.unit) if frame[f.name].dtype.is_numeric() else None
               for f in fields]
    for r, row in enumerate(frame.iter_rows(), start=2):
        texts = []
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.alignment = top
            if isinstance(value, str | list | tuple):
                text = layout.shown(value)
                layout.set_text(cell, text)
                texts.append((text, widths[c - 1]))
            else:
                cell.value = value
                if formats[c - 1] and value is not None:
                    cell.number_format = formats[c - 1]
        sheet.row_dimensions[r].height = layout.row_height(texts)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    layout.print_setup(sheet, footer=footer, table=True)
