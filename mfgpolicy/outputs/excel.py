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

import math
from dataclasses import dataclass
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
    """One data sheet: its tab name, what a row is, its query, the schema tables declaring its columns, and the
    columns it prints.

    ``printed`` names the columns that print, in order, at the left; the query's other columns follow them, right
    of the print area, on screen and in the data only (empty: every column prints, in the query's order). A printed
    column the query lacks is one of ``READABLE``: a few short columns read together (value and unit as written,
    base year–target year), so that a sheet prints fewer, fuller columns. A ``scope`` column is shown as
    ``scope_en``: plain English with the Chinese words beside it.
    """

    name: str
    about: str
    sql: str
    tables: tuple[str, ...]
    printed: tuple[str, ...] = ()


SHEETS: tuple[Sheet, ...] = (
    Sheet("Headline", "labour productivity, energy intensity and R&D shares across cities: each target as a yearly rate, "
          "its range across conventions, and what differs.",
          """SELECT indicator AS indicator_en, city, target_id, scope, comparator, value, value_high, unit, base_year,
                    target_year, commitment, annualised_pct, sensitivity_low, sensitivity_high, pp_per_year,
                    pp_sensitivity_low, pp_sensitivity_high, why_not, caveats, nesting_note, quote, quote_en
             FROM headline_comparison
             ORDER BY indicator_key, city, doc_id NULLS LAST, target_id""",
          _TARGETS, ("indicator_en", "city", "target_id", "scope_en", "target_in_brief", "why_not", "caveats",
                     "nesting_note", "quote", "quote_en")),
    Sheet("Targets", "every quantified target of the plans (restatements included), with its quote, translation, notes and"
          " harmonised yearly measure.",
          f"""SELECT target_id, city, {_INDICATOR_EN.format(t="t")}, scope, direction, comparator, value, value_high,
                     unit, base_year, target_year, commitment, annualised_pct, pp_per_year, same_as, quote, quote_en,
                     notes
              FROM targets_harmonised t ORDER BY doc_id, target_id""",
          _TARGETS, ("target_id", "indicator_en", "scope_en", "target_in_brief", "quote", "quote_en", "notes")),
    Sheet("Achievement", "targets beside the outcome a statistical source reports for their target year: met, missed or not "
          "comparable, and why.",
          f"""SELECT target_id, city, {_INDICATOR_EN.format(t="a")}, scope, comparator, value, unit, target_year,
                     commitment, observed_value, observed_unit, observed_period, observed_scope, outcome, gap, status,
                     difference, source_id
              FROM achievement a ORDER BY doc_id, target_id, observation_id""",
          ("achievement", "panel_extra", "readable_extra"),
          ("target_id", "indicator_en", "scope_en", "target_in_brief", "outcome_as_reported", "observed_scope",
           "outcome", "gap", "status", "difference", "source_id")),
    Sheet("Escalation", "each city target beside the target of the parent plan it implements: same, tighter or looser, and "
          "what else differs.",
          f"""SELECT target_id, city, {_INDICATOR_EN.format(t="e")}, cited_target_id, parent_place, measure,
                     city_value, parent_value, unit, difference, ratio, relation, city_target_year,
                     parent_target_year, city_scope, parent_scope, differences
              FROM escalation e ORDER BY doc_id, target_id, cited_target_id""",
          ("escalation", "panel_extra")),
    Sheet("Cited targets", "targets of the provincial and city plans that our plans implement, cited from outside sources, with "
          "where each stands.",
          f"""SELECT cited_target_id, place, {_INDICATOR_EN.format(t="c")}, indicator_zh, scope, direction,
                     comparator, value, value_high, unit, base_year, target_year, hedge, source_id, locator, notes
              FROM cited_targets c ORDER BY cited_doc_id, cited_target_id""",
          ("cited_targets", "panel_extra", "readable_extra"),
          ("cited_target_id", "place", "indicator_en", "indicator_zh", "scope_en", "target_in_brief", "source_id",
           "locator", "notes")),
    Sheet("Observations", "statistics that outside sources report: where a place started and where it ended up; derived values "
          "show their arithmetic.",
          f"""SELECT place, {_INDICATOR_EN.format(t="o")}, indicator_zh, year, base_year, period,
                     comparator, value, unit, kind, scope, price_basis, source_id, locator, derivation, notes
              FROM observations o ORDER BY place, indicator_key, year, observation_id""",
          ("observations", "panel_extra", "readable_extra"),
          ("place", "indicator_en", "indicator_zh", "value_in_brief", "scope_en", "source_id", "locator", "derivation",
           "notes")),
    Sheet("Sources", "the outside pages and documents cited for observations and parent plans: cited, never copied.",
          "SELECT source_id, publisher, title, title_en, date_published, kind, site, url, notes FROM sources "
          "ORDER BY source_id",
          ("sources", "readable_extra"),
          ("source_id", "publisher", "title", "title_en", "source_in_brief", "url", "notes")),
    Sheet("Plans", "the plans whose texts we hold and quote.",
          """SELECT doc_id, city, city_zh, title_zh, title_en, issuer, doc_number, date_issued, period_start,
                    period_end, script, raw_file, notes
             FROM documents ORDER BY doc_id""",
          ("documents",)),
    Sheet("Cited plans", "the parent plans we do not hold the text of, cited from outside sources.",
          """SELECT cited_doc_id, place, title_zh, title_en, issuer, doc_number, date_issued, period_start, period_end,
                    source_id, notes
             FROM cited_documents ORDER BY cited_doc_id""",
          ("cited_documents",)),
    Sheet("Plan links", "which parent plan each plan we hold says it implements, quoted from the plan we hold.",
          "SELECT link_id, doc_id, cited_doc_id, relation, quote, quote_en, notes FROM plan_links ORDER BY link_id",
          ("plan_links",)),
    Sheet("Baselines", "values the targets start from, as the plans state them.",
          f"""SELECT baseline_id, city, {_INDICATOR_EN.format(t="b")}, year, value, unit, kind, scope, quote, quote_en,
                     notes
              FROM baselines b ORDER BY doc_id, baseline_id""",
          ("baselines", "panel_extra", "readable_extra")),
    Sheet("Indicators", "the quantities measured, one for one quantity across cities, with definitions (keys and statistical "
          "readings: full data).",
          """SELECT name_en, name_zh, unit, domain, more_ambitious, definition_en
             FROM indicators ORDER BY domain, name_en""",
          ("indicators",)),
)
"""The data sheets, in workbook order, between ``Overview`` and ``Columns``."""

GUIDE_SHEET = "Columns"
GUIDE_ABOUT = ("every column of every sheet: English label, name in the data, type, unit, whether it prints, and "
               "meaning.")
GUIDE_COLUMNS = ("sheet", "label", "name", "type", "unit", "printed", "description")


def _number(value: float) -> str:
    return layout.shown(value)


def _with_unit(number: str, unit: str | None) -> str:
    return f"{number}{unit}" if unit == "%" else f"{number} {unit or ''}".rstrip()


def _as_written(row: dict) -> str | None:
    if row["value"] is None:
        return None
    number = _number(row["value"])
    if row["comparator"] == "range" and row.get("value_high") is not None:
        number = f"{number}–{_number(row['value_high'])}"
    elif row["comparator"] not in (None, "=", "range"):
        number = f"{row['comparator']} {number}"
    return " ".join(p for p in (row.get("direction"), _with_unit(number, row["unit"])) if p)


def _span(row: dict, year: str = "target_year") -> str | None:
    if row[year] is None:
        return None
    return f"by {row[year]}" if row.get("base_year") is None else f"{row['base_year']}–{row[year]}"


def _yearly_measure(row: dict) -> str | None:
    for key, low, high, form in (("annualised_pct", "sensitivity_low", "sensitivity_high", "{:+.2f}%"),
                                 ("pp_per_year", "pp_sensitivity_low", "pp_sensitivity_high", "{:+.3f} pp")):
        if row.get(key) is not None:
            text = f"{_signed(form, row[key])} a year"
            if row.get(low) is not None and row.get(high) is not None:
                text += f" (range {_signed(form, row[low])} to {_signed(form, row[high])})"
            return text
    return None


def _signed(form: str, value: float) -> str:
    """Return ``value`` in ``form`` with a minus sign (−) that no line break parts from its number."""
    return form.format(value).replace("-", "\N{MINUS SIGN}", 1)


def _target_in_brief(row: dict) -> str | None:
    hedge = row.get("commitment") or (f"hedge {row['hedge']}" if row.get("hedge") else None)
    when = ", ".join(p for p in (_span(row), hedge) if p)
    return "\n".join(p for p in (_as_written(row), when, _yearly_measure(row)) if p) or None


def _outcome_as_reported(row: dict) -> str | None:
    if row["observed_value"] is None:
        return None
    return f"{_with_unit(_number(row['observed_value']), row['observed_unit'])} ({row['observed_period']})"


def _value_in_brief(row: dict) -> str:
    year = _span(row, "year").removeprefix("by ")
    when = year if row["period"] == "full_year" else f"{year}, {row['period']}"
    value = ", ".join(p for p in (_as_written(row), row["kind"]) if p)
    return "\n".join((when, value, f"prices {row['price_basis']}"))


def _source_in_brief(row: dict) -> str:
    return "\n".join(p for p in (row["kind"], row["site"], layout.shown(row["date_published"])) if p)


READABLE = {"target_in_brief": _target_in_brief, "outcome_as_reported": _outcome_as_reported,
            "value_in_brief": _value_in_brief, "source_in_brief": _source_in_brief}
"""The printed columns that read a few short columns of a row together (declared in ``schema.READABLE_EXTRA``)."""


def sheet_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Return the data sheets of the workbook as polars frames, by sheet name, exactly as written: the printed
    columns first (``Sheet.printed``), then the others."""
    from mfgpolicy.outputs.figures.style import scope_label

    frames = {}
    for sheet in SHEETS:
        frame = frame_of(con.sql(sheet.sql))
        if "scope" in frame.columns:
            scopes = {s: _scope_en(s, scope_label(s, "en")) for s in frame["scope"].drop_nulls().unique()}
            frame = frame.with_columns(pl.col("scope").replace_strict(scopes, default=None).alias("scope")).rename(
                {"scope": "scope_en"})
        rows = frame.rows(named=True)
        frame = frame.with_columns(pl.Series(name, [READABLE[name](row) for row in rows], dtype=pl.String)
                                   for name in sheet.printed if name not in frame.columns)
        frames[sheet.name] = frame.select(*sheet.printed, *(c for c in frame.columns if c not in sheet.printed))
    return frames


def printed_count(sheet: str, frame: pl.DataFrame) -> int:
    """Return how many of ``frame``'s columns (those at the left) the sheet called ``sheet`` prints."""
    printed = {s.name: s.printed for s in SHEETS}.get(sheet)
    return len(printed) if printed else frame.width


def _scope_en(scope: str, english: str) -> str:
    return scope if english == scope else f"{english} ({scope})"


def guide_frame(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Return the ``Columns`` sheet: every column of every data sheet (and of itself), from ``mfgpolicy.schema``,
    with whether it prints."""
    parts = [(sheet.name, frames[sheet.name].columns, sheet.tables) for sheet in SHEETS]
    guide = column_guide([*parts, (GUIDE_SHEET, GUIDE_COLUMNS, ("column_guide",))])
    printed = [("yes" if i < printed_count(sheet.name, frames[sheet.name]) else "no")
               for sheet in SHEETS for i in range(frames[sheet.name].width)]
    printed += ["yes"] * len(GUIDE_COLUMNS)
    return guide.with_columns(printed=pl.Series(printed, dtype=pl.String)).select(GUIDE_COLUMNS)


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
        ("On paper",
         (f"Every sheet prints landscape on A4, one page wide, with its header row on every page and text of at least "
          f"{layout.MIN_PRINTED_SIZE:g} points. A sheet prints the columns a reader reads; a few "
          "short ones read together print as one (Target in brief, Value in brief, Kind, site, date, ...), and their "
          "parts, with the few columns rarely wanted on paper, stand right of the print area, on screen and for "
          f"filtering. The sheet {GUIDE_SHEET} says which columns print.")),
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
    for sheet in SHEETS:
        frame = frames[sheet.name]
        _write_table(workbook.create_sheet(sheet.name), frame, sheet.tables, printed_count(sheet.name, frame), footer)
    guide = guide_frame(frames)
    _write_table(workbook.create_sheet(GUIDE_SHEET), guide, ("column_guide",), guide.width, footer)
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

    topic_width, text_width = layout.OVERVIEW_WIDTHS
    sheet.title = "Overview"
    sheet.column_dimensions["A"].width = topic_width
    sheet.column_dimensions["B"].width = text_width
    title = sheet.cell(row=1, column=1)
    layout.set_text(title, "mfgpolicy: quantified manufacturing-upgrade targets of Zhejiang city plans")
    title.font = Font(name=layout.FONT, bold=True, size=layout.TITLE_SIZE)
    sheet.row_dimensions[1].height = layout.TITLE_HEIGHT
    top = Alignment(wrap_text=True, vertical="top")
    for r, (topic, text) in enumerate(rows, start=2):
        for column, value in ((1, topic), (2, text)):
            cell = sheet.cell(row=r, column=column)
            layout.set_text(cell, value)
            cell.alignment = top
            cell.font = Font(name=layout.FONT, size=layout.SIZE, bold=column == 1)
        sheet.row_dimensions[r].height = layout.row_height([(topic, topic_width), (text, text_width)]) + layout.GAP
    layout.print_setup(sheet, footer=footer, table=False)


def _write_table(sheet: object, frame: pl.DataFrame, tables: tuple[str, ...], printed: int, footer: str) -> None:
    """Write ``frame`` with its English headers; the first ``printed`` columns share the width of one printed page
    (``layout.fit_widths``), the others are as wide as their values."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from mfgpolicy import schema

    fields = [schema.column(name, *tables) for name in frame.columns]
    headers = [f.header for f in fields]
    shown = [[_display(v, f.unit) for v in frame[f.name].to_list()] for f in fields]
    bounds = [layout.bounds(header, values) for header, values in zip(headers, shown, strict=True)]
    texts = [values if frame[f.name].dtype == pl.String else [""] * frame.height for f, values in zip(fields, shown,
                                                                                                       strict=True)]
    widths = layout.fit_widths(texts[:printed], bounds[:printed], layout.PRINT_WIDTH)
    tallest = layout.row_height(list(zip(headers[:printed], widths, strict=True)), bold=True)
    widths += [layout.width_for(header, math.ceil(high), tallest) for header, (_, high) in zip(
        headers[printed:], bounds[printed:], strict=True)]
    top = Alignment(wrap_text=True, vertical="top")
    font = Font(name=layout.FONT, size=layout.SIZE)
    header_style = (Font(name=layout.FONT, bold=True, size=layout.SIZE), PatternFill("solid", fgColor=layout.HEADER_FILL),
                    Border(bottom=Side(style="thin")))
    for c, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=c)
        layout.set_text(cell, header)
        cell.font, cell.fill, cell.border = header_style
        cell.alignment = top
    sheet.row_dimensions[1].height = layout.row_height(list(zip(headers, widths, strict=True)), bold=True)
    formats = [layout.number_format(f.unit) if frame[f.name].dtype.is_numeric() else None
               for f in fields]
    for r, row in enumerate(frame.iter_rows(), start=2):
        cells = []
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.alignment, cell.font = top, font
            if isinstance(value, str | list | tuple):
                text = layout.shown(value)
                layout.set_text(cell, text)
                cells.append((text, widths[c - 1]))
            else:
                cell.value = value
                if formats[c - 1] and value is not None:
                    cell.number_format = formats[c - 1]
        sheet.row_dimensions[r].height = layout.row_height(cells)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    layout.print_setup(sheet, footer=footer, table=True, printed=printed)


def _display(value: object, unit: str) -> str:
    """Return a value as its cell shows it (numbers in their unit's number format), to size its column."""
    if isinstance(value, float) and layout.number_format(unit) and not math.isnan(value):
        return {"% a year": f"{value:+.2f}%", "pp a year": f"{value:+.3f} pp",
                "points a year": f"{value:+.2f} pts"}.get(unit, layout.shown(value))
    return layout.shown(value)
