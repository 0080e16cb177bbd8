"""How a sheet of the Excel summary looks on screen and on paper: font, widths, wrapped text, row
heights, number formats and the print set-up. The layout's facts (font, sizes, line heights, page
and scale) live here; ``excel.py`` says what each sheet holds.

Every sheet prints landscape on A4, one page wide, as many pages tall as it needs; table sheets
repeat their header row on every page, freeze it (and the id column) on screen and carry an
autofilter. The footer names the data version, the sheet and the page. A table sheet prints the
columns at its left (its print area); the rest stand to their right, on screen only.

Text is set in Arial Narrow (LibreOffice draws the metric-compatible Liberation Sans Narrow): at
the same size it fits about a tenth more text on a line than Calibri, and its letters are taller.
Column widths are measured, as spreadsheets measure them, in widths of the digit ``0`` of the
workbook's default font (Calibri 11), about 5.58 points in print. A sheet prints one page wide:
the columns it prints are given at most ``PRINT_WIDTH`` units between them (:func:`fit_widths`
shares them out so that the rows are as short as they can be), so that the print scale is at
least ``PRINT_SCALE`` (:func:`print_scale`) and every letter prints at least
``MIN_PRINTED_SIZE`` points tall.

Spreadsheets do not size rows to wrapped text that a program writes, so row heights are computed
here: text is wrapped greedily at spaces and between CJK characters (never before closing
punctuation nor after an opening bracket; a word longer than the line is broken) into the
column's width, each character counting its width in Arial Narrow (a CJK character counts one
em). Excel and LibreOffice give a column slightly different widths and lines slightly different
heights (``RENDERERS``), so their line breaks differ: a row is as tall as the taller of the two,
and a line near CJK text counts as tall as a CJK line. The estimate errs on the tall side, so no
text is cut off in either.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

FONT = "Arial Narrow"
"""The font of every cell (LibreOffice draws the metric-compatible Liberation Sans Narrow); CJK text falls back to the
system's CJK font."""
SIZE = 11.0
"""Points of every cell's font, header and footer included: they print at ``SIZE * print_scale(...)`` points, at
least ``MIN_PRINTED_SIZE``."""
PADDING = 2.0
"""Points added to a row's height, above and below its text."""
TITLE_SIZE = 14.0
"""Points of the Overview's title."""
TITLE_HEIGHT = 24.0
"""Points of the Overview's title row."""
OVERVIEW_WIDTHS = (24, 158)
"""Widths of the Overview's topic and text columns: 182 units, so that it prints on one page at 8.7 points."""
GAP = 3.0
"""Points added below each of the Overview's paragraphs, to set them apart."""


@dataclass(frozen=True)
class Renderer:
    """How a spreadsheet program wraps a cell's text and spaces its lines, for 11-point Arial Narrow.

    A line may fill ``fill * w - margin`` units of a column ``w`` units wide; a line is ``line`` points tall, or
    ``cjk_line`` when it holds CJK characters (their fonts are taller).
    """

    name: str
    fill: float
    margin: float
    line: float
    cjk_line: float

    def room(self, width: float) -> float:
        """Return the units a line of text may fill in a column ``width`` units wide."""
        return max(width * self.fill - self.margin, 2.0)


EXCEL = Renderer("Excel", fill=0.94, margin=0.5, line=12.8, cjk_line=16.2)
"""Excel shows a column of width w as 7 w pixels (5.25 w points, 0.94 w units of 5.58 points) less its cell margins;
its line of Arial Narrow is 19 pixels."""
LIBREOFFICE = Renderer("LibreOffice", fill=0.99, margin=0.4, line=12.6, cjk_line=16.0)
"""LibreOffice draws a column of width w 5.55 w points wide (Carlito's digit, 111 twips) and wraps its text at about 2
points less (measured in its PDF: forty digits, a space and a digit, 207.7 points, fit on one line of a column 38
wide, and 327.8 points on one line of a column 60 wide; a point more does not); its lines are 12.6 points, 16 with
Noto Sans CJK."""
RENDERERS = (EXCEL, LIBREOFFICE)
"""The programs a row is made tall enough for: each wraps a little differently, so a row takes the tallest."""
LINE_HEIGHT = EXCEL.line
"""Points per line of 11-point Arial Narrow (the taller of the renderers')."""
FILL = min(r.fill for r in RENDERERS)
"""Share of a column's width that a line of text surely may fill (the narrowest renderer's)."""
MAX_WORD_WIDTH = 28
"""Widest word (an id, a snake_case value) kept whole: a column is made at least this wide for it; a longer one (a
URL, a formula) is broken."""
MAX_WIDTH = 120
"""Widest a column gets."""
MIN_WIDTH = 5
CJK_WIDTH = 1.97
"""Width of a CJK character (one em of 11 points) in column units (Calibri's digit 0, 0.507 em)."""
POINTS_PER_UNIT = 5.58
"""Points a column unit prints at 100% (LibreOffice: Carlito's digit, 111 twips, 5.55 points, rounded up for safety;
Excel prints 7 pixels, 5.25 points, plus a margin)."""
SIDE_MARGIN = 0.25
"""Inches of the left and right page margins."""
PRINTABLE_WIDTH = 841.89 - 2 * SIDE_MARGIN * 72
"""Points between the side margins of a landscape A4 page."""
MIN_PRINTED_SIZE = 8.0
"""Smallest text, in points, a printed page shows."""
PRINT_SCALE = 0.76
"""Least scale at which a sheet fits one page wide: its text prints at ``SIZE * PRINT_SCALE`` (8.4) points, or, where
LibreOffice shrinks a sheet a further 2% to save a page (:func:`print_scale`), at 8.1 points: never below
``MIN_PRINTED_SIZE``."""
PRINT_WIDTH = math.floor(PRINTABLE_WIDTH / (PRINT_SCALE * POINTS_PER_UNIT))
"""Column units a sheet prints at most (190): one page wide at ``PRINT_SCALE``."""
NUDGE = 0.98
"""LibreOffice's second step when it fits a sheet to one page wide (tdf#103516): it multiplies the whole percent that
fits by this, dropping the fraction, and keeps the smaller scale if the sheet then takes fewer pages."""


def print_scale(units: float) -> float:
    """Return the least scale at which a sheet whose printed columns are ``units`` wide prints when fitted to one
    landscape A4 page wide: the largest whole percent (at most 100) at which it fits, as LibreOffice searches for it,
    then its ``NUDGE`` (Excel, whose columns print narrower, fits them at a larger scale and takes no nudge).

    Examples
    --------
    >>> print_scale(190), print_scale(100)
    (0.74, 0.98)
    """
    fits = min(100, math.floor(100 * PRINTABLE_WIDTH / (units * POINTS_PER_UNIT)))
    return math.floor(fits * NUDGE) / 100


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


def _lines(text: Tokens, width: float, renderer: Renderer = EXCEL) -> list[bool]:
    """Return the lines the tokenised ``text`` wraps into in a column ``width`` units wide, as ``renderer`` wraps
    it: for each, whether it holds CJK, or may hold it where the renderer breaks the lines a word earlier or later
    than estimated (a CJK word among the last or first ``SHIFT`` words of the line before or after)."""
    room = renderer.room(width)
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
    """Return the most lines the tokenised ``text`` takes in a column ``width`` units wide in any of ``RENDERERS``
    (see :func:`wrapped_lines`)."""
    return max(len(_lines(text, width, renderer)) for renderer in RENDERERS)


def text_height(text: Tokens, width: float) -> float:
    """Return the height in points of the tokenised ``text`` wrapped in a column ``width`` units wide, the tallest
    of ``RENDERERS``: each line is the renderer's ``line`` tall, or its ``cjk_line`` when it may hold CJK (see
    :func:`_lines`)."""
    return max(sum(renderer.cjk_line if cjk else renderer.line for cjk in _lines(text, width, renderer))
               for renderer in RENDERERS)


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
    before any CJK character), then :func:`_glued`."""
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
    return _glued(found)


NO_BREAK_BEFORE = frozenset(")]},.;:!?%/、。，．；：！？）》」』】〉”’")
"""Characters a line never starts with (closing brackets, punctuation and quotes, as Unicode's line breaking rules
have it): they stay with the character before."""
NO_BREAK_AFTER = frozenset("([{（《「『【〈“‘")
"""Characters a line never ends with (opening brackets and quotes): they stay with the character after."""


def _glued(found: list[tuple[str, float, bool]]) -> list[tuple[str, float, bool]]:
    """Join each token to the one before where no line may break between them (:data:`NO_BREAK_BEFORE`,
    :data:`NO_BREAK_AFTER`): a CJK character and the punctuation beside it wrap together."""
    glued: list[tuple[str, float, bool]] = []
    for token, size, tall in found:
        previous = glued[-1][0] if glued else " "
        if token != " " and previous != " " and (token[0] in NO_BREAK_BEFORE or previous[-1] in NO_BREAK_AFTER):
            word, width, cjk = glued.pop()
            glued.append((word + token, width + size, cjk or tall))
        else:
            glued.append((token, size, tall))
    return glued


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
    sheet.page_margins = PageMargins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=0.3, bottom=0.45, header=0.2, footer=0.2)
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
