"""How a sheet of the Excel summary looks on screen and on paper: widths, wrapped text, row heights,
number formats and the print set-up.

Spreadsheets do not size rows to wrapped text that a program writes, so row heights are computed
here: text is wrapped greedily at spaces and between CJK characters (a word longer than the
line is broken) into the column's width, each character counting its width in Calibri (a CJK
character counts double: one em of an 11-point font is about two widths of the digit ``0`` that
column widths are measured in), and each line is given the height of its font. The estimate
errs on the tall side, so no text is cut off.

Every sheet prints landscape on A4, one page wide, as many pages tall as it needs; table
sheets repeat their header row on every page, freeze it (and the id column) on screen and
carry an autofilter. The footer names the data version, the sheet and the page.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from datetime import date

FONT = "Calibri"
"""The workbook's font (LibreOffice shows the metric-compatible Carlito); CJK text falls back to the system's."""
LINE_HEIGHT = 15.0
"""Points per line of 11-point Latin text."""
CJK_LINE_HEIGHT = 17.0
"""Points per line of text with CJK characters (their fonts are taller)."""
PADDING = 3.0
"""Points added to a row's height, above and below its text."""
FILL = 0.92
"""Share of a column's width that a line of text may fill: Excel's column of width w is about 0.94 w digits wide
(LibreOffice's a little wider), less the cell's margins."""
HEADER_SIZE = 9.0
"""Points of the header row's font (bold): smaller than the data's, so narrow columns stay narrow."""
BOLD_WIDER = 1.05
MAX_AUTO_WIDTH = 18
"""Widest a column sized from its contents gets; longer text wraps."""
MAX_WORD_WIDTH = 24
"""Widest a column gets so that its longest word (an id, a snake_case value) is not broken; a URL is."""
MIN_WIDTH = 6
CJK_WIDTH = 1.97
"""Width of a CJK character (one em) in widths of Calibri's digit 0 (0.507 em)."""
_ASCII = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (0.45, 0.64, 0.79, 0.98, 1.0, 1.41, 1.35, 0.44, 0.6, 0.6, 0.98, 0.98, 0.49, 0.6, 0.5, 0.76, 1.0, 1.0, 1.0, 1.0,
     1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.53, 0.53, 0.98, 0.98, 0.98, 0.91, 1.76, 1.14, 1.07, 1.05, 1.21, 0.96, 0.91, 1.24,
     1.23, 0.5, 0.63, 1.03, 0.83, 1.69, 1.27, 1.31, 1.02, 1.33, 1.07, 0.91, 0.96, 1.27, 1.12, 1.76, 1.02, 0.96, 0.92,
     0.61, 0.76, 0.61, 0.98, 0.98, 0.57, 0.95, 1.04, 0.83, 1.04, 0.98, 0.6, 0.93, 1.04, 0.45, 0.47, 0.9, 0.45, 1.58,
     1.04, 1.04, 1.04, 1.04, 0.69, 0.77, 0.66, 1.04, 0.89, 1.41, 0.85, 0.89, 0.78, 0.62, 0.91, 0.62, 0.98),
    strict=True))
"""Advance widths of Calibri's printable ASCII characters (those of the metric-compatible Carlito), in widths of the
digit 0: the unit column widths are measured in."""

NUMBER_FORMATS: dict[str, str] = {
    "% a year": '+0.00"%";-0.00"%";0.00"%"',
    "pp a year": '+0.000" pp";-0.000" pp";0.000" pp"',
    "points a year": '+0.00" pts";-0.00" pts";0.00" pts"',
    "year": "0",
    "years": "0",
}
"""Number format of a column by its unit in ``mfgpolicy.schema``: the unit is shown, the number is the database's
(rates stay in percent units: -3.89 shows as -3.89%)."""
HEADER_FILL = "D9D9D9"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def char_width(ch: str, *, beside_cjk: bool = False) -> float:
    """Return the width of one character in column units (widths of the digit ``0`` of an 11-point Calibri).

    A CJK character (wide or full-width) is one em, about two units, and so is a character of ambiguous width
    (“ ” … —) beside CJK, which CJK fonts draw wide; ASCII has Calibri's own widths; anything else counts 1.

    Examples
    --------
    >>> char_width("a"), char_width("能"), char_width("，"), char_width(" "), char_width("“", beside_cjk=True)
    (0.95, 1.97, 1.97, 0.45, 1.97)
    """
    kind = unicodedata.east_asian_width(ch)
    if kind in ("W", "F") or (kind == "A" and beside_cjk):
        return CJK_WIDTH
    return _ASCII.get(ch, 1.0)


def _widths(text: str) -> list[float]:
    """Return the width of each character of ``text`` (an ambiguous one counts wide beside CJK)."""
    cjk = [_is_cjk(ch) for ch in text]
    return [char_width(ch, beside_cjk=(i > 0 and cjk[i - 1]) or (i + 1 < len(text) and cjk[i + 1]))
            for i, ch in enumerate(text)]


def text_width(text: str) -> float:
    """Return the width of ``text``'s longest line in column units (CJK characters count double)."""
    return max((sum(_widths(line)) for line in text.split("\n")), default=0)


def wrapped_lines(text: str, width: float) -> int:
    """Return how many lines ``text`` takes in a column ``width`` units wide, wrapped at spaces and between CJK
    characters (a word longer than a line is broken).

    Examples
    --------
    >>> wrapped_lines("one two three", 9), wrapped_lines("单位工业增加值能耗", 9), wrapped_lines("", 9)
    (2, 3, 1)
    """
    room = max(width * FILL - 0.5, 2.0)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for token, size in _tokens(paragraph):
            if token == " ":
                used += size if used else 0.0
                continue
            if used + size > room and used:
                lines += 1
                used = 0.0
            while size > room:  # a word longer than the line
                lines += 1
                size -= room
            used += size
    return lines


def _tokens(text: str) -> list[tuple[str, float]]:
    """Split into (token, width): words, spaces and single CJK characters (a line may break before any CJK
    character)."""
    tokens: list[tuple[str, float]] = []
    word, size = "", 0.0
    for ch, width in zip(text, _widths(text), strict=True):
        if ch == " " or _is_cjk(ch):
            if word:
                tokens.append((word, size))
                word, size = "", 0.0
            tokens.append((ch, width))
        else:
            word, size = word + ch, size + width
    if word:
        tokens.append((word, size))
    return tokens


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a wide (CJK) character."""
    return any(_is_cjk(ch) for ch in text)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def row_height(texts: Sequence[tuple[str, float]], *, size: float = 11.0, bold: bool = False) -> float:
    """Return the height in points of a row whose wrapped cells hold ``(text, column width)``, in a font of
    ``size`` points (bold text is taken as a tenth wider)."""
    scale = size / 11.0
    widen = scale * (BOLD_WIDER if bold else 1.0)
    tallest = max((wrapped_lines(text, width / widen) * (CJK_LINE_HEIGHT if has_cjk(text) else LINE_HEIGHT)
                   for text, width in texts), default=LINE_HEIGHT)
    return round(tallest * scale + PADDING, 1)


def shown(value: object) -> str:
    """Return a cell value as a spreadsheet shows it, near enough to size its column."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "FALSE" if not value else "TRUE"
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def auto_width(header: str, values: Sequence[object]) -> float:
    """Return a width for a column sized from its contents: the widest value (up to ``MAX_AUTO_WIDTH``), and at
    least the header's longest word (in the header's font), so headers wrap only between words."""
    widest = max((text_width(shown(v)) for v in values), default=0)
    return max(header_width(header), text_column_width(MIN_WIDTH, values, widest=MAX_WORD_WIDTH),
               float(round(min(widest + 1.5, MAX_AUTO_WIDTH))))


def header_width(header: str) -> float:
    """Return the narrowest width at which ``header`` (bold, in the header's font) wraps only between words."""
    return float(round(longest_word(header) * HEADER_SIZE / 11.0 * BOLD_WIDER + 1.5))


def longest_word(text: str) -> float:
    """Return the width of the longest run of ``text`` that wraps cannot break (between spaces and CJK
    characters)."""
    return max((size for token, size in _tokens(text.replace("\n", " ")) if token != " "), default=0.0)


def text_column_width(wanted: float, values: Sequence[object], *, widest: float = MAX_AUTO_WIDTH) -> float:
    """Return ``wanted``, widened (up to ``widest``) so that no word of ``values`` is broken."""
    words = max((longest_word(shown(v)) for v in values), default=0.0)
    return max(wanted, float(round(min(words / FILL + 1.0, widest))))


def number_format(unit: str) -> str | None:
    """Return the number format of a numeric column with ``unit`` (from the schema), or None for General."""
    return NUMBER_FORMATS.get(unit)


def set_text(cell: object, value: str) -> None:
    """Store ``value`` as text, never as a formula, even when it starts like one."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def print_setup(sheet: object, *, footer: str, table: bool) -> None:
    """Landscape A4, one page wide; for a table: header row repeated on every page, frozen, filtered."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.55, bottom=0.6, header=0.25, footer=0.3)
    sheet.print_options.gridLines = table
    sheet.oddFooter.left.text = footer.replace("&", "&&")
    sheet.oddFooter.left.size = 8
    sheet.oddFooter.center.text = "&A"
    sheet.oddFooter.center.size = 8
    sheet.oddFooter.right.text = "page &P of &N"
    sheet.oddFooter.right.size = 8
    if table and sheet.max_column:
        last = f"{get_column_letter(sheet.max_column)}{sheet.max_row}"
        sheet.print_title_rows = "1:1"
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = f"A1:{last}"
        sheet.print_area = f"A1:{last}"
