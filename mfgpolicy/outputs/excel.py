"""The Excel summary: one workbook, formatted for people, written atomically.

Numbers in the workbook are exactly the database's: rates stay in percent units (−3.89 means
−3.89% a year) and are shown with a ``%`` sign by their number format, so nothing is rescaled
between the database and the sheet.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from mfgpolicy._io import atomic_path, guard_output
from mfgpolicy.project import Project

PERCENT_COLUMNS = {"annualised_pct": '0.00"%"', "pp_per_year": '0.000" pp"'}
_FORMULA_START = ("=", "+", "-", "@")
_MAX_WIDTH = 60

SHEETS: dict[str, str] = {
    "headline": "SELECT * EXCLUDE (quote), quote FROM headline_comparison",
    "targets": """SELECT t.*, h.annualised_pct, h.pp_per_year, h.years, h.rule, h.comparable, h.why_not,
                         d.title_zh AS document_title, d.raw_file
                  FROM targets t JOIN targets_harmonised h ON h.target_id = t.target_id
                  JOIN documents d ON d.doc_id = t.doc_id
                  ORDER BY t.doc_id, t.target_id""",
    "baselines": "SELECT * FROM baselines ORDER BY doc_id, baseline_id",
    "documents": "SELECT * FROM documents ORDER BY doc_id",
    "indicators": "SELECT * FROM indicators ORDER BY domain, indicator_key",
}


def sheet_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Return the data sheets of the workbook as polars frames, in sheet order."""
    return {name: con.sql(sql).pl() for name, sql in SHEETS.items()}


def overview_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Return the (field, text) rows of the overview sheet."""
    from mfgpolicy.catalog import version_of

    version = version_of(con)

    counts = {t: con.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("documents", "targets", "baselines")}
    docs = "; ".join(f"{r[0]}: {r[1]}" for r in con.sql("SELECT doc_id, title_zh FROM documents ORDER BY doc_id").fetchall())
    return [
        ("What this is", ("Quantified manufacturing-upgrade targets of Zhejiang city plans (Yuyao, Jinhua, Wenzhou, "
                         "Ningbo), curated by hand, each tied to its verbatim quote in the source text.")),
        ("Data version", f"{version} (semantic version + content hash of data/curated; see CHANGELOG.md)"),
        ("Contents", f"{counts['documents']} documents, {counts['targets']} targets, {counts['baselines']} baselines"),
        ("Sheets", ("headline: the cross-city comparison of labour productivity, energy intensity and R&D shares; "
                   "targets: every target with its quote, offsets and harmonised measures; baselines; documents; "
                   "indicators.")),
        ("How numbers were harmonised",
         ("annualised_pct is percent per year, signed (a 3.89%-a-year fall is −3.89): stated annual rates as "
         "written; cumulative changes as compound annual rates over target_year − base_year; levels with a "
         "stated baseline as the implied compound rate, and pp_per_year as percentage points per year for "
         "shares. Rows that cannot be harmonised say why in why_not. The rules are documented in "
         "mfgpolicy.harmonise (module docstring).")),
        ("Hedges", "comparator >= is a floor (以上/突破/不低于), ~ is about (左右), = a point; hedge keeps 力争/争取."),
        ("Provenance", ("quote is exactly raw_text[char_start:char_end] of the document's raw file "
                       "(data/raw/<raw_file>, read as UTF-8); `mfgpolicy validate` checks every row.")),
        ("Documents", docs),
        ("How to cite", (f"mfgpolicy contributors. mfgpolicy: quantified manufacturing-upgrade targets of Zhejiang "
                        f"city plans, data version {version}. See CITATION.cff.")),
    ]


def to_excel(path: Path | str | None = None, *, con: duckdb.DuckDBPyConnection | None = None,
             project: Project | None = None) -> Path:
    """Write the summary workbook to ``path`` (default: the project's ``mfgpolicy-summary.xlsx``) atomically.

    Returns the path written. A failure leaves any previous workbook untouched.
    """
    from openpyxl import Workbook

    project = project or Project.find()
    if con is None:
        from mfgpolicy.catalog import connect

        con = connect(project=project)
    target = guard_output(Path(path) if path is not None else project.workbook, project, what="the workbook",
                          kind="workbook")
    workbook = Workbook()
    _write_overview(workbook.active, overview_rows(con))
    for name, frame in sheet_frames(con).items():
        _write_frame(workbook.create_sheet(name), frame)
    with atomic_path(target) as tmp:
        workbook.save(tmp)
    return target


def _text_cell(cell: object, value: str) -> None:
    """Store ``value`` as text, even when it starts like a formula."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True


def _write_overview(sheet: object, rows: list[tuple[str, str]]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = "overview"
    for r, (field, text) in enumerate(rows, start=1):
        _text_cell(sheet.cell(row=r, column=1), field)
        _text_cell(sheet.cell(row=r, column=2), text)
        sheet.cell(row=r, column=1).font = Font(bold=True)
        sheet.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 110


def _write_frame(sheet: object, frame: pl.DataFrame) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for c, name in enumerate(frame.columns, start=1):
        _text_cell(sheet.cell(row=1, column=c), name)
        sheet.cell(row=1, column=c).font = Font(bold=True)
    for r, row in enumerate(frame.iter_rows(), start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                _text_cell(cell, value)
            elif isinstance(value, list):
                _text_cell(cell, ", ".join(map(str, value)))
            else:
                cell.value = value
    for c, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(c)
        if name in PERCENT_COLUMNS:
            for cell in sheet[letter][1:]:
                cell.number_format = PERCENT_COLUMNS[name]
        sheet.column_dimensions[letter].width = _width(name, frame[name])
    sheet.freeze_panes = "A2"
    if frame.width:
        sheet.auto_filter.ref = f"A1:{get_column_letter(frame.width)}{frame.height + 1}"


def _width(name: str, column: pl.Series) -> float:
    """Column width in characters; CJK characters count double."""
    texts = [name, *(str(v) for v in column.head(500).to_list() if v is not None)]
    longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text.split("\n")[0]) for text in texts)
    return min(max(longest + 2, 8), _MAX_WIDTH)
