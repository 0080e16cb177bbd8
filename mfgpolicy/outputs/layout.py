"""How a sheet of the Excel summary looks on screen and on paper: font, widths, wrapped text, row
heights, number formats and the print set-up.

Every sheet prints landscape on A4, one page wide, as many pages tall as it needs; table sheets
repeat their header row on every page, freeze it (and the id column) on screen and carry an
autofilter. The footer names the data version, the sheet and the page.

Text is set in Arial Narrow (LibreOffice draws the metric-compatible Liberation Sans Narrow): at
the same size it fits about a tenth more text on a line than Calibri, and its letters are taller.
Column widths are measured, as spreadsheets measure them, in widths of the digit ``0`` of the
workbook's default font (Calibri 11), about 5.58 points in print. A sheet prints one page wide:
the columns it prints are given at most ``PRINT_WIDTH`` units between them (:func:`fit_widths`
shares them out so that the rows are as short as they can be), so that the print scale is at
least ``PRINT_SCALE`` and every letter prints at least ``SIZE * PRINT_SCALE`` points tall.

Spreadsheets do not size rows to wrapped text that a program writes, so row heights are computed
here: text is wrapped greedily at spaces and between CJK characters (a word longer than the line
is broken) into the column's width, each character counting its width in Arial Narrow (a CJK
character counts one em), and each line is given the height Excel gives it (a little more than
LibreOffice does). The estimate errs on the tall side, so no text is cut off in either.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from datetime import date

FONT = "Arial Narrow"
"""The font of every cell (LibreOffice draws the metric-compatible Liberation Sans Narrow); CJK text falls back to the
system's CJK font."""
SIZE = 11.0
"""Points of every cell's font, header and footer included: they print at ``SIZE * PRINT_SCALE`` points or more."""
LINE_HEIGHT = 12.8
"""Points per line of 11-point Arial Narrow: Excel's line (19 pixels); LibreOffice's is 12.6."""
CJK_LINE_HEIGHT = 16.2
"""Points per line of a cell holding CJK characters, whose fonts are taller (LibreOffice's Noto Sans CJK: 16)."""
PADDING = 2.0
"""Points added to a row's height, above and below its text."""
FILL = 0.96
"""Share of a column's width that a line of text may fill: Excel's column of width w is about 0.94 w digits wide
(LibreOffice's a little wider), less the cell's margins."""
MAX_WORD_WIDTH = 28
"""Widest word (an id, a snake_case value) kept whole: a column is made at least this wide for it; a longer one (a
URL, a formula) is broken."""
MAX_WIDTH = 120
"""Widest a column gets."""
MIN_WIDTH = 5
CJK_WIDTH = 1.97
"""Width of a CJK character (one em of 11 points) in column units (Calibri's digit 0, 0.507 em)."""
POINTS_PER_UNIT = 5.58
"""Points a column unit prints at 100% in LibreOffice (Excel prints 7 pixels, 5.25 points, plus a margin)."""
PRINTABLE_WIDTH = 841.89 - 2 * 0.25 * 72
"""Points between the side margins of a landscape A4 page (margins of a quarter inch)."""
MIN_PRINTED_SIZE = 8.0
"""Smallest text, in points, a printed page shows."""
PRINT_SCALE = 0.76
"""Least print scale of a sheet that fits one page wide: its text prints at ``SIZE * PRINT_SCALE`` (8.4) points, or 2%
less when LibreOffice shrinks a long sheet a little further to save a page, and so never below ``MIN_PRINTED_SIZE``."""
PRINT_WIDTH = math.floor(PRINTABLE_WIDTH / (PRINT_SCALE * POINTS_PER_UNIT))
"""Column units a sheet prints at most (190): one page wide at ``PRINT_SCALE``."""

_CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~“”×—→é–…·²‘’−"
_REGULAR = dict(zip(_CHARS, (
    0.45, 0.45, 0.57, 0.90, 0.90, 1.44, 1.08, 0.31, 0.54, 0.54, 0.63, 0.95, 0.45, 0.54, 0.45, 0.45, 0.90, 0.90, 0.90,
    0.90, 0.90, 0.90, 0.90, 0.90, 0.90, 0.90, 0.45, 0.45, 0.95, 0.95, 0.95, 0.90, 1.64, 1.08, 1.08, 1.17, 1.17, 1.08,
    0.99, 1.26, 1.17, 0.45, 0.81, 1.08, 0.90, 1.35, 1.17, 1.26, 1.08, 1.26, 1.17, 1.08, 0.99, 1.17, 1.08, 1.53, 1.08,
    1.08, 0.99, 0.45, 0.45, 0.45, 0.76, 0.90, 0.54, 0.90, 0.90, 0.81, 0.90, 0.90, 0.45, 0.90, 0.90, 0.36, 0.36, 0.81,
    0.36, 1.35, 0.90, 0.90, 0.90, 0.90, 0.54, 0.81, 0.45, 0.90, 0.81, 1.17, 0.81, 0.81, 0.81, 0.54, 0.42, 0.54, 0.95,
    0.54, 0.54, 0.95, 1.62, 1.97, 0.90, 0.90, 1.62, 0.54, 0.54, 0.36, 0.36, 0.95), strict=True))
"""Advance widths of Arial Narrow's characters (those of the metric-compatible Liberation Sans Narrow) at 11 points,
in column units."""
_BOLD = dict(zip(_CHARS, (
    0.45, 0.54, 0.77, 0.90, 0.90, 1.44, 1.17, 0.38, 0.54, 0.54, 0.63, 0.95, 0.45, 0.54, 0.45, 0.45, 0.90, 0.90, 0.90,
    0.90, 0.90, 0.90, 0.90, 0.90, 0.90, 0.90, 0.54, 0.54, 0.95, 0.95, 0.95, 0.99, 1.58, 1.17, 1.17, 1.17, 1.17, 1.08,
    0.99, 1.26, 1.17, 0.45, 0.90, 1.17, 0.99, 1.35, 1.17, 1.26, 1.08, 1.26, 1.17, 1.08, 0.99, 1.17, 1.08, 1.53, 1.08,
    1.08, 0.99, 0.54, 0.45, 0.54, 0.95, 0.90, 0.54, 0.90, 0.99, 0.90, 0.99, 0.90, 0.54, 0.99, 0.99, 0.45, 0.45, 0.90,
    0.45, 1.44, 0.99, 0.99, 0.99, 0.99, 0.63, 0.90, 0.54, 0.99, 0.90, 1.26, 0.90, 0.90, 0.81, 0.63, 0.45, 0.63, 0.95,
    0.81, 0.81, 0.95, 1.62, 1.97, 0.90, 0.90, 1.62, 0.54, 0.54, 0.45, 0.45, 0.95), strict=True))
"""The same for bold Arial Narrow (the header row)."""
_OTHER_WIDTH = 1.2
"""Width of a character missing from the tables (wider than any lower-case letter, so estimates stay tall)."""

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


def char_width(ch: str, *, beside_cjk: bool = False, bold: bool = False) -> float:
    """Return the width of one character of 11-point Arial Narrow in column units (widths of Calibri 11's digit ``0``).

    A CJK character (wide or full-width) is one em, about two units, and so is a character of ambiguous width
    (“ ” … —) beside CJK, which CJK fonts draw wide; others have Arial Narrow's own widths.

    Examples
    --------
    >>> char_width("a"), char_width("能"), char_width("，"), char_width(" "), char_width("“", beside_cjk=True)
    (0.9, 1.97, 1.97, 0.45, 1.97)
    """
    kind = unicodedata.east_asian_width(ch)
    if kind in ("W", "F") or (kind == "A" and beside_cjk):
        return CJK_WIDTH
    return (_BOLD if bold else _REGULAR).get(ch, _OTHER_WIDTH)


def _widths(text: str, *, bold: bool = False) -> list[float]:
    """Return the width of each character of ``text`` (an ambiguous one counts wide beside CJK)."""
    return [width for width, _ in _measured(text, bold=bold)]


def _measured(text: str, *, bold: bool = False) -> list[tuple[float, bool]]:
    """Return, for each character of ``text``, its width and whether it is drawn in the CJK font (a CJK character,
    or an ambiguous one beside CJK)."""
    cjk = [_is_cjk(ch) for ch in text]
    found = []
    for i, ch in enumerate(text):
        beside = (i > 0 and cjk[i - 1]) or (i + 1 < len(text) and cjk[i + 1])
        found.append((char_width(ch, beside_cjk=beside, bold=bold),
                      cjk[i] or (beside and unicodedata.east_asian_width(ch) == "A")))
    return found


def text_width(text: str, *, bold: bool = False) -> float:
    """Return the width of ``text``'s longest line in column units (CJK characters count double)."""
    return max((sum(_widths(line, bold=bold)) for line in text.split("\n")), default=0)


Tokens = tuple[tuple[tuple[bool, float, bool, tuple[float, ...]], ...], ...]
"""A text ready to wrap: per paragraph, its tokens as (is a space, width, is CJK, widths of the word's parts)."""
SHIFT = 2
"""Words a spreadsheet's line breaks may fall earlier or later than these estimates."""
BREAKS_AFTER = "/?"
"""Characters a word longer than its line (a URL) is broken after; a part still longer is broken anywhere."""


def tokens(text: str, *, bold: bool = False) -> Tokens:
    """Split ``text`` into paragraphs of tokens: words, spaces and single CJK characters (a line may break before
    any CJK character), each with its width, whether it is drawn in the (taller) CJK font, and the widths of its
    parts between ``BREAKS_AFTER``."""
    return tuple(tuple((token == " ", size, tall, _parts(token, bold=bold))
                       for token, size, tall in _tokens(paragraph, bold=bold))
                 for paragraph in text.split("\n"))


def _parts(word: str, *, bold: bool = False) -> tuple[float, ...]:
    parts, size = [], 0.0
    for ch, width in zip(word, _widths(word, bold=bold), strict=True):
        size += width
        if ch in BREAKS_AFTER:
            parts.append(size)
            size = 0.0
    return (*parts, size) if size or not parts else tuple(parts)


def _lines(text: Tokens, width: float) -> list[bool]:
    """Return the lines the tokenised ``text`` wraps into in a column ``width`` units wide: for each, whether it
    holds CJK, or may hold it where a spreadsheet breaks the lines a word earlier or later (a CJK word among the
    last or first ``SHIFT`` words of the line before or after)."""
    room = max(width * FILL - 0.5, 2.0)
    lines: list[list[bool]] = []
    for paragraph in text:
        lines.append([])
        used = 0.0
        for space, size, cjk, parts in paragraph:
            if space:
                used += size if used else 0.0
                continue
            for part in (parts if size > room else (size,)):  # a word longer than the line breaks between parts
                if used + part > room and used:
                    lines.append([])
                    used = 0.0
                while part > room:  # a part longer than the line breaks anywhere
                    lines[-1].append(cjk)
                    lines.append([])
                    part -= room
                lines[-1].append(cjk)
                used += part
    return [any(words) or (i > 0 and any(lines[i - 1][-SHIFT:])) or (i + 1 < len(lines) and any(lines[i + 1][:SHIFT]))
            for i, words in enumerate(lines)]


def count_lines(text: Tokens, width: float) -> int:
    """Return how many lines the tokenised ``text`` takes in a column ``width`` units wide (see
    :func:`wrapped_lines`)."""
    return len(_lines(text, width))


def text_height(text: Tokens, width: float) -> float:
    """Return the height in points of the tokenised ``text`` wrapped in a column ``width`` units wide: each line is
    ``LINE_HEIGHT`` tall, or ``CJK_LINE_HEIGHT`` when it may hold CJK (see :func:`_lines`)."""
    return sum(CJK_LINE_HEIGHT if cjk else LINE_HEIGHT for cjk in _lines(text, width))


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """Return how many lines ``text`` takes in a column ``width`` units wide, wrapped at spaces and between CJK
    characters (a word longer than a line is broken).

    Examples
    --------
    >>> wrapped_lines("one two three", 8), wrapped_lines("单位工业增加值能耗", 9), wrapped_lines("", 9)
    (2, 3, 1)
    """
    return count_lines(tokens(text, bold=bold), width)


def _tokens(text: str, *, bold: bool = False) -> list[tuple[str, float, bool]]:
    """Split into (token, width, drawn in the CJK font): words, spaces and single CJK characters (a line may break
    before any CJK character)."""
    found: list[tuple[str, float, bool]] = []
    word, size, tall = "", 0.0, False
    for ch, (width, cjk) in zip(text, _measured(text, bold=bold), strict=True):
        if ch == " " or _is_cjk(ch):
            if word:
                found.append((word, size, tall))
                word, size, tall = "", 0.0, False
            found.append((ch, width, cjk))
        else:
            word, size, tall = word + ch, size + width, tall or cjk
    if word:
        found.append((word, size, tall))
    return found


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a wide (CJK) character."""
    return any(_is_cjk(ch) for ch in text)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def row_height(texts: Sequence[tuple[str, float]], *, size: float = SIZE, bold: bool = False) -> float:
    """Return the height in points of a row whose wrapped cells hold ``(text, column width)``, in a font of
    ``size`` points: its tallest cell (:func:`text_height`) and ``PADDING``."""
    scale = size / SIZE
    tallest = max((text_height(tokens(text, bold=bold), width / scale) for text, width in texts),
                  default=LINE_HEIGHT)
    return round(tallest * scale + PADDING, 1)


def fit_widths(columns: Sequence[Sequence[str]], bounds: Sequence[tuple[float, float]], budget: float) -> list[int]:
    """Return a whole width for each column, within its ``(least, most)`` bounds and at most ``budget`` in all, that
    makes the rows as short as it can: the sum over rows of the tallest cell is least.

    ``columns`` holds each column's texts, one per row (the header row may be one of them, as a row). Widths start
    at their least and grow greedily, a few units at a time, where they shorten the rows most per unit (two columns
    at once when no one column alone shortens any row), then give back what no row needs; width left over is left
    unused, so that a sheet with short text prints larger.

    Examples
    --------
    >>> fit_widths([["a b c d e f g h"] * 3, ["x"] * 3], [(5, 20), (5, 20)], 20)
    [11, 5]
    """
    import numpy as np

    cells = [[tokens(text) if text else None for text in column] for column in columns]
    cache: dict[tuple[int, int], np.ndarray] = {}

    def heights(c: int, width: int) -> np.ndarray:
        if (c, width) not in cache:
            cache[c, width] = np.array([text_height(cell, width) if cell else 0.0 for cell in cells[c]])
        return cache[c, width]

    def total(ws: list[int]) -> float:
        return float(np.max([heights(c, w) for c, w in enumerate(ws)], axis=0).sum()) if ws else 0.0

    widths = [math.ceil(low) for low, _ in bounds]
    most = [max(math.ceil(high), w) for (_, high), w in zip(bounds, widths, strict=True)]
    current = total(widths)
    moves = [((c,), step) for c in range(len(widths)) for step in (1, 2, 4, 8)]
    pairs = [((a, b), step) for a in range(len(widths)) for b in range(a + 1, len(widths)) for step in (1, 2, 4, 8)]
    while True:
        best = None
        for group in (moves, pairs):
            for chosen, step in group:
                trial = widths.copy()
                for c in chosen:
                    trial[c] += step
                if sum(trial) > budget or any(trial[c] > most[c] for c in chosen):
                    continue
                gain = (current - total(trial)) / (step * len(chosen))
                if gain > 1e-9 and (best is None or gain > best[0]):
                    best = (gain, trial)
            if best:
                break
        if best is None:
            break
        widths = best[1]
        current = total(widths)
    for c, low in enumerate(bounds):  # give back what a big step took beyond need
        while widths[c] > math.ceil(low[0]) and total([*widths[:c], widths[c] - 1, *widths[c + 1:]]) <= current:
            widths[c] -= 1
    return widths


def width_for(header: str, width: int, height: float) -> int:
    """Return ``width``, widened (up to ``MAX_WIDTH``) until the bold ``header`` fits in a row ``height`` points
    tall."""
    while width < MAX_WIDTH and row_height([(header, width)], bold=True) > height:
        width += 1
    return width


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


def bounds(header: str, values: Sequence[object]) -> tuple[float, float]:
    """Return the least and most width worth giving a column: at least its header's longest word (bold) and its
    values' longest word (up to ``MAX_WORD_WIDTH``), so that neither is broken; at most what its widest value needs on
    one line."""
    texts = [shown(v) for v in values]
    words = max((longest_word(t) for t in texts), default=0.0)
    least = max(header_width(header), float(MIN_WIDTH), min(words, MAX_WORD_WIDTH) / FILL + 1.0)
    widest = max((text_width(t) for t in texts), default=0.0)
    return least, max(least, min(widest / FILL + 1.0, MAX_WIDTH))


def header_width(header: str) -> float:
    """Return the narrowest width at which ``header`` (bold) wraps only between words."""
    return longest_word(header, bold=True) / FILL + 1.0


def longest_word(text: str, *, bold: bool = False) -> float:
    """Return the width of the longest run of ``text`` that wraps cannot break (between spaces and CJK
    characters)."""
    return max((size for token, size, _ in _tokens(text.replace("\n", " "), bold=bold) if token != " "), default=0.0)


def number_format(unit: str) -> str | None:
    """Return the number format of a numeric column with ``unit`` (from the schema), or None for General."""
    return NUMBER_FORMATS.get(unit)


def set_text(cell: object, value: str) -> None:
    """Store ``value`` as text, never as a formula, even when it starts like one."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def print_setup(sheet: object, *, footer: str, table: bool, printed: int | None = None) -> None:
    """Landscape A4, one page wide, narrow margins, footer in the cells' font size; for a table: header row repeated
    on every page, frozen, filtered (every column), and the first ``printed`` columns printed (default: all)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.25, right=0.25, top=0.3, bottom=0.45, header=0.2, footer=0.2)
    sheet.print_options.gridLines = table
    for part, text in ((sheet.oddFooter.left, footer.replace("&", "&&")), (sheet.oddFooter.center, "&A"),
                       (sheet.oddFooter.right, "page &P of &N")):
        part.text, part.font, part.size = text, f"{FONT},Regular", int(SIZE)
    if table and sheet.max_column:
        last = f"{get_column_letter(sheet.max_column)}{sheet.max_row}"
        sheet.print_title_rows = "1:1"
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = f"A1:{last}"
        sheet.print_area = f"A1:{get_column_letter(printed or sheet.max_column)}{sheet.max_row}"
