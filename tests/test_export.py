"""The Excel summary: a book that stands on its own when mailed, read back by independent readers.

Numbers equal the database's; every column of every sheet is explained in ``Columns`` from the
schema; every sheet prints landscape, one page wide, headers repeated; no text becomes a
formula; the bytes depend only on the data; LibreOffice prints it in a few dozen pages with the
quotes in full.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from mfgpolicy import schema
from mfgpolicy.outputs import layout
from mfgpolicy.outputs.about import release_name
from mfgpolicy.outputs.excel import FIXED_TIME, GUIDE_SHEET, SHEETS, sheet_frames, to_excel
from mfgpolicy.versions import data_version
from tests.conftest import PROJECT, catalog_with, require_tool

TABLE_OF_SHEET = {
    "Targets": "targets", "Achievement": "achievement", "Escalation": "escalation", "Cited targets": "cited_targets",
    "Observations": "observations", "Sources": "sources", "Plans": "documents", "Cited plans": "cited_documents",
    "Plan links": "plan_links", "Baselines": "baselines", "Indicators": "indicators",
}
MAX_PAGES = 60


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    def formulas_in_notes(frames: dict[str, pl.DataFrame]) -> None:
        notes = {"yuyao-2018-t001": "=SUM(A1:A9)", "yuyao-2018-t002": "-18% is a fall", "yuyao-2018-t003": "@cmd"}
        frames["targets"] = frames["targets"].with_columns(
            notes=pl.col("target_id").replace_strict(notes, default=pl.col("notes")))

    con = catalog_with(formulas_in_notes)
    path = to_excel(tmp_path_factory.mktemp("xlsx") / "summary.xlsx", con=con, project=PROJECT)
    return path, con


@pytest.fixture(scope="module")
def book(written: tuple[Path, object]) -> object:
    return load_workbook(written[0])


def _table_sheets(book: object) -> list[object]:
    return [sheet for sheet in book.worksheets if sheet.title != "Overview"]


def _header(sheet: object) -> list[str]:
    return [c.value for c in sheet[1]]


def test_workbook_has_every_sheet_overview_first_and_columns_last(book: object) -> None:
    assert book.sheetnames == ["Overview", *(s.name for s in SHEETS), GUIDE_SHEET]


def test_sheets_carry_every_row_of_their_tables(book: object, written: tuple[Path, object]) -> None:
    _, con = written
    for sheet, table in TABLE_OF_SHEET.items():
        assert book[sheet].max_row - 1 == con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0], sheet
    assert book["Headline"].max_row - 1 == con.sql("SELECT count(*) FROM headline_comparison").fetchall()[0][0]


def test_numbers_read_back_by_calamine_equal_the_database(written: tuple[Path, object]) -> None:
    path, con = written
    frames = sheet_frames(con)
    tables = {s.name: s.tables for s in SHEETS}
    for sheet in ("Headline", "Targets", "Achievement", "Escalation", "Observations", "Baselines"):
        read = pl.read_excel(path, sheet_name=sheet, engine="calamine")
        expected = frames[sheet]
        assert read.height == expected.height, sheet
        headers = [schema.column(name, *tables[sheet]).header for name in expected.columns]
        assert read.columns == headers, sheet
        for name, header in zip(expected.columns, headers, strict=True):
            if expected[name].dtype.is_numeric():
                got = read[header].cast(pl.Float64).to_list()
                want = expected[name].cast(pl.Float64).to_list()
                assert got == pytest.approx(want, nan_ok=True), (sheet, name)


def test_no_cell_is_a_formula_and_text_that_looks_like_one_stays_text(book: object) -> None:
    """No formula cells; a text that starts like one (other than the lone comparator "=") is text, marked so
    that editing it in a spreadsheet keeps it text (quotePrefix, as a typed leading apostrophe is stored)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(layout.FORMULA_START) and cell.value != "=":
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    sheet = book["Targets"]
    notes = _header(sheet).index(schema.TARGETS.field("notes").header)
    cells = {row[0].value: row[notes] for row in sheet.iter_rows(min_row=2)}
    for target_id, text in (("yuyao-2018-t001", "=SUM(A1:A9)"), ("yuyao-2018-t002", "-18% is a fall"),
                            ("yuyao-2018-t003", "@cmd")):
        assert cells[target_id].value == text and cells[target_id].data_type == "s" and cells[target_id].quotePrefix


def test_headers_are_labels_people_read_with_units_in_number_formats(book: object) -> None:
    for sheet in _table_sheets(book):
        for cell in sheet[1]:
            assert cell.font.bold and not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", cell.value), (sheet.title, cell.value)
    headline = book["Headline"]
    header = _header(headline)
    rate = header.index(schema.HARMONISED.field("annualised_pct").header) + 1
    low = header.index(schema.HARMONISED.field("sensitivity_low").header) + 1
    year = header.index(schema.HARMONISED.field("target_year").header) + 1
    rows = [r for r in range(2, headline.max_row + 1) if headline.cell(r, rate).value is not None]
    assert rows and all('"%"' in headline.cell(r, rate).number_format for r in rows)
    assert all('"%"' in headline.cell(r, low).number_format for r in rows)
    assert headline.cell(rows[0], year).number_format == "0"
    assert schema.COMPARISON_EXTRA.field("caveats").header in header


def test_every_sheet_prints_landscape_one_page_wide_headers_repeated_frozen_filtered(book: object) -> None:
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert str(setup.paperSize) == sheet.PAPERSIZE_A4, sheet.title
        assert "&P" in sheet.oddFooter.right.text and "data " in sheet.oddFooter.left.text, sheet.title
    for sheet in _table_sheets(book):
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.freeze_panes == "B2", sheet.title
        last = f"{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.auto_filter.ref == f"A1:{last}", sheet.title


def test_wrapped_text_has_rows_tall_enough_and_columns_of_reading_width(book: object) -> None:
    for sheet in _table_sheets(book):
        for row in sheet.iter_rows(min_row=1):
            texts = [c for c in row if isinstance(c.value, str)]
            if not texts:
                continue
            height = sheet.row_dimensions[row[0].row].height
            assert height is not None, (sheet.title, row[0].row)
            for cell in texts:
                assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
                lines = cell.value.count("\n") + 1  # at least one line per written line, whatever the font
                assert height >= lines * 11, (sheet.title, cell.coordinate)
        for letter, dimension in sheet.column_dimensions.items():
            assert dimension.width and dimension.width <= 120, (sheet.title, letter)


def test_the_column_guide_explains_every_column_of_every_sheet_from_the_schema(book: object) -> None:
    guide = book[GUIDE_SHEET]
    header = _header(guide)
    assert header == [schema.COLUMN_GUIDE.field(n).header for n in ("sheet", "label", "name", "type", "unit",
                                                                    "description")]
    rows = {(r[0], r[1]): r for r in guide.iter_rows(min_row=2, values_only=True)}
    tables = {s.name: s.tables for s in SHEETS} | {GUIDE_SHEET: ("column_guide",)}
    for sheet in _table_sheets(book):
        for label in _header(sheet):
            assert (sheet.title, label) in rows, (sheet.title, label)
            _, _, name, type_, unit, meaning = rows[sheet.title, label]
            declared = schema.column(name, *tables[sheet.title])
            assert (declared.header, declared.type, declared.unit or None, declared.description) == (
                label, type_, unit, meaning)
            assert meaning and len(meaning) >= 5
    assert len(rows) == sum(s.max_column for s in _table_sheets(book))


def test_overview_says_what_version_licence_citation_and_where_the_data_live(book: object) -> None:
    rows = {r[0]: r[1] for r in book["Overview"].iter_rows(min_row=2, values_only=True)}
    version = data_version(PROJECT)
    assert rows["Data version"].startswith(version)
    assert "CC BY 4.0" in rows["Licence"] and "creativecommons.org/licenses/by/4.0" in rows["Licence"]
    assert version in rows["How to cite"] and rows["How to cite"].startswith("mfgpolicy contributors")
    assert release_name(version) in rows["Where the full data live"]
    assert "mfgpolicy" in rows["Where the full data live"]
    text = "\n".join(str(v) for v in rows.values())
    assert "data/raw" not in text and "mfgpolicy validate" not in text  # a reader by mail has neither
    for sheet in (*(s.name for s in SHEETS), GUIDE_SHEET):
        assert f"{sheet}: " in rows["Sheets"], sheet


def test_writing_twice_gives_the_same_bytes(written: tuple[Path, object], tmp_path: Path) -> None:
    path, con = written
    again = to_excel(tmp_path / "again.xlsx", con=con, project=PROJECT)
    assert again.read_bytes() == path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert load_workbook(path).properties.created == FIXED_TIME


def test_a_failed_export_leaves_the_previous_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = to_excel(tmp_path / "summary.xlsx", project=PROJECT)
    before = path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("openpyxl.Workbook.save", broken)
    with pytest.raises(RuntimeError):
        to_excel(path, project=PROJECT)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["summary.xlsx"]


def test_row_heights_count_cjk_double_and_wrap_long_text() -> None:
    assert layout.wrapped_lines("能耗" * 10, 12) > layout.wrapped_lines("ab" * 10, 12)
    assert layout.row_height([("one line", 20)]) < layout.row_height([("word " * 40, 20)])
    assert layout.row_height([("能耗", 20)]) > layout.row_height([("ab", 20)])


@pytest.fixture(scope="module")
def printed(written: tuple[Path, object], tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    """Return the page count and text of the workbook printed to PDF by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        require_tool("needs LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo): "
                     "apt-get install -y libreoffice-calc poppler-utils fonts-noto-cjk fonts-crosextra-carlito")
    path, _ = written
    out = tmp_path_factory.mktemp("pdf")
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(out), str(path)],
                          capture_output=True, timeout=300, check=False)
    pdf = out / "summary.pdf"
    assert pdf.is_file(), done.stderr.decode(errors="replace")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.MULTILINE).group(1))
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


@pytest.mark.slow
def test_libreoffice_prints_a_few_dozen_pages(printed: tuple[int, str]) -> None:
    pages, text = printed
    assert len(SHEETS) + 2 <= pages <= MAX_PAGES
    assert data_version(PROJECT) in text and "Columns" in text


@pytest.mark.slow
def test_libreoffice_prints_every_quote_in_full(printed: tuple[int, str], written: tuple[Path, object]) -> None:
    """Row heights are computed for Calibri's widths; LibreOffice draws Calibri as Carlito (same metrics)."""
    match = subprocess.run(["fc-match", "Calibri"], capture_output=True, text=True, check=False).stdout \
        if shutil.which("fc-match") else ""
    if "Carlito" not in match:
        require_tool("needs the font Carlito (metric-compatible with Calibri): apt-get install -y fonts-crosextra-carlito")
    _, text = printed
    _, con = written
    flat = re.sub(r"\s+", "", text)
    for column in ("quote", "quote_en", "notes"):
        quotes = [q for (q,) in con.sql(f"SELECT {column} FROM targets").fetchall() if q]
        missing = [q for q in quotes if re.sub(r"\s+", "", q) not in flat]
        assert not missing, f"{len(missing)} {column} not printed in full, e.g. {missing[:3]}"


def test_the_citation_line_says_what_citation_cff_says() -> None:
    import yaml

    from mfgpolicy.outputs import about
    from tests.conftest import ROOT

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["title"], [a["name"] for a in cff["authors"]], cff["license"]) == (
        about.TITLE, [about.AUTHORS], about.LICENCE)
