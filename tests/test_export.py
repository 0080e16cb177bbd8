"""The Excel summary: a book that stands on its own when mailed, read back by independent readers.

Numbers equal the database's; every column of every sheet is explained in ``Columns`` from the
schema, with whether it prints; every sheet prints landscape, one page wide, headers repeated; no
text becomes a formula; the bytes depend only on the data; LibreOffice prints it in a few dozen
pages, no text smaller than 8 points and none cut off, the quotes in full.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from mfgpolicy import schema
from mfgpolicy.outputs import layout
from mfgpolicy.outputs.about import release_name
from mfgpolicy.outputs.excel import (
    FIXED_TIME,
    GUIDE_COLUMNS,
    GUIDE_SHEET,
    SHEETS,
    printed_count,
    sheet_frames,
    to_excel,
)
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
        area = _print_area(sheet)
        assert area.startswith("A1:") and area.endswith(str(sheet.max_row)), (sheet.title, area)


def _print_area(sheet: object) -> str:
    return str(sheet.print_area).split("!")[-1].replace("$", "")


def _printed_columns(sheet: object) -> int:
    """Return how many columns (from the left) the sheet prints."""
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(re.match(r"A1:([A-Z]+)\d+$", _print_area(sheet)).group(1))


def test_sheets_print_the_columns_declared_and_keep_the_others_to_their_right(book: object,
                                                                              written: tuple[Path, object]) -> None:
    """A sheet prints the columns a reader reads; its other columns stand right of the print area, still in the
    sheet (no column is lost: the sheet holds every column of its query)."""
    frames = sheet_frames(written[1])
    for spec in SHEETS:
        sheet = book[spec.name]
        assert _printed_columns(sheet) == printed_count(spec.name, frames[spec.name]), spec.name
        assert sheet.max_column == frames[spec.name].width, spec.name
        if spec.printed:
            assert _header(sheet)[:len(spec.printed)] == [schema.column(n, *spec.tables).header for n in spec.printed]
    assert _printed_columns(book[GUIDE_SHEET]) == book[GUIDE_SHEET].max_column


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


A4_LANDSCAPE_WIDTH = 297 / 25.4 * 72
"""Points across a landscape A4 page."""
LIBREOFFICE_UNIT = 111 / 20
"""Points LibreOffice prints a column unit at 100%: the digit 0 of Calibri 11 (drawn as Carlito), 111 twips."""


def _printed_letters(sheet: object) -> list[str]:
    """Return the letters of the columns a sheet prints: those of its print area, or every column."""
    from openpyxl.utils import get_column_letter

    last = _printed_columns(sheet) if sheet.print_area else sheet.max_column
    return [get_column_letter(c) for c in range(1, last + 1)]


def _fit_scale(sheet: object) -> float:
    """Return the scale a sheet prints at when fitted to one page wide, as LibreOffice computes it from the page
    set-up saved: the largest whole percent at which its printed columns fit between the side margins, then 2% less
    where that saves a page (tdf#103516; assumed always, the worst case)."""
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == sheet.PAPERSIZE_A4, sheet.title
    room = A4_LANDSCAPE_WIDTH - 72 * (sheet.page_margins.left + sheet.page_margins.right)
    units = sum(sheet.column_dimensions[letter].width for letter in _printed_letters(sheet))
    fits = min(100, int(100 * room / (units * LIBREOFFICE_UNIT)))
    return int(fits * 0.98) / 100


def test_every_sheet_prints_its_text_at_8_points_or_more(book: object) -> None:
    """Font size x print scale is at least 8 points for every cell the sheet prints, its header and its footer: a
    sheet fits one page wide because its printed columns are narrow enough, not by shrinking its text."""
    for sheet in book.worksheets:
        scale = _fit_scale(sheet)
        assert scale >= layout.print_scale(sum(sheet.column_dimensions[c].width for c in _printed_letters(sheet)))
        sizes = {sheet.oddFooter.right.size, sheet.oddFooter.left.size, sheet.oddFooter.center.size}
        for row in sheet.iter_rows(max_col=len(_printed_letters(sheet))):
            sizes |= {cell.font.size for cell in row if cell.value is not None}
        assert min(sizes) * scale >= layout.MIN_PRINTED_SIZE, (sheet.title, min(sizes), scale)


class _Font:
    """Advance widths of the fonts LibreOffice draws the workbook's text in (Arial Narrow as Liberation Sans Narrow;
    CJK one em wide, as Noto Sans CJK draws it), read from the font files: independent of ``layout``'s tables."""

    def __init__(self, size: float = layout.SIZE) -> None:
        from PIL import ImageFont

        self.size = size
        self.cache: dict[tuple[str, bool], float] = {}
        self.faces = {bold: ImageFont.truetype(self._file(f"{layout.FONT}:{'bold' if bold else 'regular'}"), 100)
                      for bold in (False, True)}

    @staticmethod
    def _file(pattern: str) -> str:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,
                               check=False).stdout if shutil.which("fc-match") else ""
        if "LiberationSansNarrow" not in found:
            require_tool("needs the font Liberation Sans Narrow (for Arial Narrow): apt-get install -y "
                         "fonts-liberation")
        return found

    def widths(self, text: str, *, bold: bool = False) -> list[float]:
        """Return the width of each character of ``text`` in points (a CJK character, and an ambiguous one beside
        it, one em)."""
        import unicodedata

        wide = [unicodedata.east_asian_width(ch) in ("W", "F") for ch in text]
        found = []
        for i, ch in enumerate(text):
            beside = (i > 0 and wide[i - 1]) or (i + 1 < len(text) and wide[i + 1])
            if wide[i] or (beside and unicodedata.east_asian_width(ch) == "A"):
                found.append(self.size)
            else:
                if (ch, bold) not in self.cache:
                    self.cache[ch, bold] = self.faces[bold].getlength(ch) * self.size / 100
                found.append(self.cache[ch, bold])
        return found

    def lines(self, text: str, room: float, *, bold: bool = False) -> list[str]:
        """Return ``text`` wrapped greedily into lines of at most ``room`` points, broken at spaces and beside CJK
        characters (a word longer than a line is broken where it overflows); trailing spaces take no room."""
        out: list[str] = []
        for paragraph in text.split("\n"):
            sizes = self.widths(paragraph, bold=bold)
            line, used, start = "", 0.0, 0
            for token in _tokens(paragraph):
                size = sizes[start:start + len(token)]
                start += len(token)
                if token == " ":
                    line, used = line + token, used + size[0]
                    continue
                if line.strip() and used + sum(size) > room:
                    out.append(line.rstrip())
                    line, used = "", 0.0
                elif line.endswith(" ") and not line.strip():
                    line, used = "", 0.0
                for ch, width in zip(token, size, strict=True):  # a word longer than the line breaks anywhere
                    if line.strip() and used + width > room and sum(size) > room:
                        out.append(line.rstrip())
                        line, used = "", 0.0
                    line, used = line + ch, used + width
            out.append(line.rstrip())
        return out


def _tokens(text: str) -> list[str]:
    """Split ``text`` into words, spaces and single CJK characters (a line may break before any of them), except
    where punctuation forbids a break (``layout.NO_BREAK_BEFORE``, ``layout.NO_BREAK_AFTER``)."""
    import unicodedata

    found: list[str] = []
    for ch in text:
        previous = found[-1] if found else " "
        wide = unicodedata.east_asian_width(ch) in ("W", "F") or unicodedata.east_asian_width(previous[-1]) in ("W", "F")
        glued = ch in layout.NO_BREAK_BEFORE or previous[-1] in layout.NO_BREAK_AFTER
        if ch == " " or previous == " " or (wide and not glued):
            found.append(ch)
        else:
            found[-1] += ch
    return found


def test_rows_are_tall_enough_for_their_text_wrapped_in_the_real_font(book: object) -> None:
    """Every row is at least as tall as its tallest cell's text wrapped, with the font files' own widths, into the
    width LibreOffice gives its column (a line 12.6 points, 16 where it holds CJK): no wrapped text is cut off or
    runs into the row below."""
    font = _Font()
    short = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            height = sheet.row_dimensions[row[0].row].height
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text or cell.font.size != layout.SIZE:
                    continue
                room = sheet.column_dimensions[cell.column_letter].width * LIBREOFFICE_UNIT - 2.0
                lines = font.lines(cell.value, room, bold=bool(cell.font.bold))
                need = sum(16.0 if layout.has_cjk(line) else 12.6 for line in lines)
                if height < need:
                    short.append((sheet.title, cell.coordinate, height, need, len(lines)))
    assert not short, f"{len(short)} rows shorter than their wrapped text, e.g. {short[:5]}"


def test_the_column_guide_explains_every_column_of_every_sheet_from_the_schema(book: object) -> None:
    guide = book[GUIDE_SHEET]
    header = _header(guide)
    assert GUIDE_COLUMNS == ("sheet", "label", "name", "type", "unit", "printed", "description")
    assert header == [schema.COLUMN_GUIDE.field(n).header for n in GUIDE_COLUMNS]
    rows = {(r[0], r[1]): r for r in guide.iter_rows(min_row=2, values_only=True)}
    tables = {s.name: s.tables for s in SHEETS} | {GUIDE_SHEET: ("column_guide",)}
    for sheet in _table_sheets(book):
        for index, label in enumerate(_header(sheet)):
            assert (sheet.title, label) in rows, (sheet.title, label)
            _, _, name, type_, unit, printed, meaning = rows[sheet.title, label]
            declared = schema.column(name, *tables[sheet.title])
            assert (declared.header, declared.type, declared.unit or None, declared.description) == (
                label, type_, unit, meaning)
            assert meaning and len(meaning) >= 5
            assert printed == ("yes" if index < _printed_columns(sheet) else "no"), (sheet.title, label)
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


FONTS = {"Calibri": "Carlito", "Arial Narrow": "Liberation Sans Narrow", "Noto Sans CJK SC": "Noto Sans CJK"}
"""The fonts the workbook is measured in (the default font, whose digit is the column unit; the cells' font; the CJK
font), and the metric-compatible fonts LibreOffice must find for them."""


def _require_fonts() -> None:
    for font, found in FONTS.items():
        match = subprocess.run(["fc-match", font], capture_output=True, text=True, check=False).stdout \
            if shutil.which("fc-match") else ""
        if found not in match:
            require_tool(f"needs the font {found} (for {font}): apt-get install -y fonts-crosextra-carlito "
                         "fonts-liberation fonts-noto-cjk")


@pytest.fixture(scope="module")
def printed(written: tuple[Path, object], tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """Return the page count, text and path of the workbook printed to PDF by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        require_tool("needs LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo): "
                     "apt-get install -y libreoffice-calc poppler-utils fonts-noto-cjk fonts-crosextra-carlito "
                     "fonts-liberation")
    _require_fonts()
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
    return pages, text, pdf


_EVENTS = re.compile(rb"(?P<push>(?<![\w<])q(?![\w>]))|(?P<pop>(?<![\w<])Q(?![\w>]))|"
                     rb"(?P<clip>(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\s+W\*?\s+n)|"
                     rb"(?P<text>(-?[\d.]+) Td\s*/\w+ ([\d.]+) Tf)")


def _page_contents(pdf: Path) -> Iterator[bytes]:
    """Yield the drawing instructions of each page of a LibreOffice PDF, in page order."""
    data = pdf.read_bytes()
    start = {int(m.group(1)): m.end() for m in re.finditer(rb"(\d+) 0 obj", data)}

    def body(n: int) -> bytes:
        return data[start[n]:data.find(b"endobj", start[n])]

    def stream(n: int) -> bytes:
        length = re.search(rb"/Length (\d+)( 0 R)?", body(n))
        size = int(re.search(rb"\d+", body(int(length.group(1)))).group(0)) if length.group(2) else int(length.group(1))
        begin = data.find(b"stream", start[n]) + len(b"stream")
        begin += 2 if data[begin:begin + 2] == b"\r\n" else 1
        raw = data[begin:begin + size]
        return zlib.decompress(raw) if b"FlateDecode" in body(n) else raw

    def pages(n: int) -> Iterator[int]:
        if re.search(rb"/Type\s*/Pages", body(n)):
            for kid in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", body(n), re.DOTALL).group(1)):
                yield from pages(int(kid))
        else:
            yield n

    root = int(re.search(rb"/Root (\d+) 0 R", data).group(1))
    for page in pages(int(re.search(rb"/Pages (\d+) 0 R", body(root)).group(1))):
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body(page)).group(1)
        yield b"".join(stream(int(n)) for n in re.findall(rb"(\d+) 0 R", contents))


def _text_lines(content: bytes) -> Iterator[tuple[float, float, tuple[float, float] | None]]:
    """Yield each line of text a page draws: its baseline, its font size (points as printed) and the vertical extent
    of the clipping rectangle it is drawn in (a spreadsheet cell), if any."""
    clip: tuple[float, float] | None = None
    saved: list[tuple[float, float] | None] = []
    for event in _EVENTS.finditer(content):
        if event.group("push"):
            saved.append(clip)
        elif event.group("pop"):
            clip = saved.pop() if saved else None
        elif event.group("clip"):
            y, height = float(event.group(5)), float(event.group(7))
            low, high = min(y, y + height), max(y, y + height)
            clip = (low, high) if clip is None else (max(clip[0], low), min(clip[1], high))
        else:
            yield float(event.group(9)), float(event.group(10)), clip


def _page_sheets(text: str) -> list[str]:
    """Return the sheet each printed page belongs to, read from its footer ("mfgpolicy data VERSION SHEET page n of
    N")."""
    footers = [re.search(r"mfgpolicy data \S+ (.+?) page \d+ of \d+", page) for page in text.split("\f")[:-1]]
    return [footer.group(1) if footer else "" for footer in footers]


@pytest.mark.slow
def test_libreoffice_prints_a_few_dozen_pages(printed: tuple[int, str, Path]) -> None:
    pages, text, _ = printed
    assert len(SHEETS) + 2 <= pages <= MAX_PAGES
    assert data_version(PROJECT) in text and "Columns" in text


@pytest.mark.slow
def test_libreoffice_prints_no_text_smaller_than_8_points_and_cuts_none_off(printed: tuple[int, str, Path],
                                                                           book: object) -> None:
    """Every sheet fits one page wide at a scale that leaves its text (header, cells, footer) at least 8 points
    tall, as drawn in the PDF, and no smaller than the page set-up predicts (:func:`_fit_scale`, which the fast test
    relies on); and every line of text in a cell ends above the cell's bottom edge (LibreOffice draws a line that
    overflows its row, clipped: its descenders, or more, go missing)."""
    pages, text, pdf = printed
    contents = list(_page_contents(pdf))
    assert len(contents) == pages
    smallest: dict[str, float] = {}
    for number, (content, sheet) in enumerate(zip(contents, _page_sheets(text), strict=True), start=1):
        lines = list(_text_lines(content))
        assert lines, f"page {number} draws no text"
        smallest[sheet] = min(smallest.get(sheet, 99.0), *(size for _, size, _ in lines))
        cut = [(round(base, 1), size) for base, size, clip in lines if clip and base - 0.2 * size < clip[0] - 0.01]
        assert not cut, f"page {number} ({sheet}): {len(cut)} lines cut off at the bottom of their cells, e.g. {cut[:3]}"
    assert set(smallest) == {"Overview", *(s.name for s in SHEETS), GUIDE_SHEET}
    small = {sheet: size for sheet, size in smallest.items() if size < layout.MIN_PRINTED_SIZE}
    assert not small, f"text printed smaller than {layout.MIN_PRINTED_SIZE} points: {small}"
    predicted = {sheet.title: layout.SIZE * _fit_scale(sheet) for sheet in book.worksheets}
    shrunk = {sheet: (size, predicted[sheet]) for sheet, size in smallest.items() if size < predicted[sheet] - 0.1}
    assert not shrunk, f"text printed smaller than the page set-up predicts (printed, predicted): {shrunk}"


@pytest.mark.slow
def test_libreoffice_prints_every_quote_in_full(printed: tuple[int, str, Path], written: tuple[Path, object]) -> None:
    """Row heights are computed for Arial Narrow's widths; LibreOffice draws it as Liberation Sans Narrow (same
    metrics)."""
    _, text, _ = printed
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
