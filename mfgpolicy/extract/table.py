"""Targets in a flattened table: an annex printed one cell per line (or cells split by tabs).

A table starts at a header cell naming the indicators (指标, 具体指标, 指标名称 …) followed by
year columns ("2015年 基数", "2019年 建设目标"); a column labelled 基数/基期/现状 (or, of two
years, the earlier when the later is a 目标) holds baselines, the others hold targets. A row is
an indicator cell followed by one cell per year column ("——" marks an empty cell); an optional
单位 column gives the unit, else the indicator's "(%)" or the value's own unit, else ``index`` for
an 指数. Everything else between rows (categories, responsible units) is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from mfgpolicy.extract.context import Doc
from mfgpolicy.extract.units import unit_at

_CELL_SPLIT = re.compile(r"\t+|\s{2,}|\|")
_ANCHOR = re.compile(r"^(?:具体|主要|核心|考核|发展)?指标(?:名称|内容)?$")
_YEAR_CELL = re.compile(r"^(?P<y>(?:19|20)\d{2})\s?年?(?:底|末)?\s?(?P<label>[\u4e00-\u9fff]{0,6}?)(?:值)?$")
_LABEL_CELL = re.compile(r"^(?:基数|基期|基期值|现状|现状值|基准|基准值|目标|目标值|建设目标|预期目标|规划目标|发展目标)$")
_BASE_LABEL = re.compile(r"基数|基期|现状|基准")
_UNIT_HEADER = re.compile(r"^(?:计量)?单位$")
_VALUE = re.compile(
    r"^(?P<pre>年均|累计|每年|平均)?\s?(?P<cmp>≥|≤|>|<|不低于|不少于|超过|达到)?\s?"
    r"(?P<num>\d+(?:\.\d+)?)(?:\s?[-~—–]\s?(?P<high>\d+(?:\.\d+)?))?\s?(?P<rest>[^\d]{0,6}?)\s?"
    r"(?P<suf>以上|以下|左右|以内)?$"
)
_EMPTY = re.compile(r"^(?:[—\-–/]+|无|空|—)$")
_PAREN_UNIT = re.compile(r"[(]\s?(?P<u>[^()]{1,8}?)\s?[)]\s?$")
_STOP = re.compile(r"^(?:注|附件|备注)|^[一二三四五六七八九十]+、")
_CMP = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "~", "≥": ">=", ">": ">=", "不低于": ">=",
        "不少于": ">=", "超过": ">=", "≤": "<=", "<": "<="}


class Cell(NamedTuple):
    """One table cell: its text (normalised, stripped) and offsets in the text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TableTarget:
    """A target read from a table row."""

    indicator: Cell
    value_cell: Cell
    value: float
    value_high: float | None
    unit: str
    comparator: str
    kind: str
    direction: str
    per_year: bool
    target_year: int | None
    base_year: int | None
    baseline: str
    binding: str = "unknown"


@dataclass(frozen=True)
class Column:
    """A value column of a table header."""

    year: int
    label: str
    is_base: bool


def cells(doc: Doc) -> list[Cell]:
    """Return every non-blank cell of the text: lines, split further at tabs, 2+ spaces or "|"."""
    out = []
    for k in range(len(doc.line_starts)):
        out.extend(_line_cells(doc, k))
    return out


def _line_cells(doc: Doc, k: int, since: int = 0) -> list[Cell]:
    """Return the cells of line ``k`` that start at or after ``since``."""
    norm, starts = doc.norm, doc.line_starts
    start = starts[k]
    end = starts[k + 1] - 1 if k + 1 < len(starts) else len(norm)
    if start == end:  # a blank line
        return []
    splits = [*_CELL_SPLIT.finditer(norm, start, end)] if _CELL_SPLIT.search(norm, start, end) else []
    out = []
    pos = start
    for m in [*splits, None]:
        stop = m.start() if m else end
        raw = norm[pos:stop]
        stripped = raw.strip()
        if stripped:
            s = pos + (len(raw) - len(raw.lstrip()))
            if s >= since:
                out.append(Cell(stripped, s, s + len(stripped)))
        if m:
            pos = m.end()
    return out


class _Cells:
    """The cells of a text from an offset on, split line by line only as far as they are read."""

    def __init__(self, doc: Doc, since: int) -> None:
        self.doc, self.line = doc, doc.line_index(since)
        self.cells = _line_cells(doc, self.line, since)

    def has(self, j: int) -> bool:
        """True when there is a ``j``-th cell (splitting further lines as needed)."""
        cells = self.cells
        if j < len(cells):
            return True
        last = len(self.doc.line_starts) - 1
        while j >= len(cells) and self.line < last:
            self.line += 1
            cells.extend(_line_cells(self.doc, self.line))
        return j < len(cells)

    def __getitem__(self, j: int | slice) -> Cell | list[Cell]:
        if isinstance(j, slice):
            self.has(j.stop - 1)
        elif j >= len(self.cells):
            self.has(j)
        return self.cells[j]


_ANCHOR_WORD = re.compile(r"指标")
_HEADER_OTHER = re.compile(r"单位|部门|备注|属性|类别|说明")

def _value(cell: Cell) -> re.Match[str] | None:
    return _VALUE.match(cell.text)


def _is_value_cell(cell: Cell) -> bool:
    return bool(_value(cell) or _EMPTY.match(cell.text))


def _header(cs: _Cells, i: int) -> tuple[list[Column], bool, int] | None:
    """Read the header after the anchor cell ``cs[i]``: its value columns, unit column, end."""
    columns: list[list] = []
    unit_column = False
    j = i + 1
    while cs.has(j) and j < i + 12:
        text = cs[j].text
        if m := _YEAR_CELL.match(text):
            columns.append([int(m.group("y")), m.group("label")])
        elif _LABEL_CELL.match(text) and columns:
            columns[-1][1] += text
        elif _UNIT_HEADER.match(text):
            unit_column = True
        elif columns and not _HEADER_OTHER.search(text):
            break
        j += 1
    if not columns:
        return None
    out = []
    for k, (year, label) in enumerate(columns):
        is_base = bool(_BASE_LABEL.search(label)) or (
            len(columns) >= 2 and k == 0 and not label and year < columns[-1][0])
        out.append(Column(year, label, is_base))
    if all(c.is_base for c in out):
        return None
    return out, unit_column, j


def table_targets(doc: Doc) -> tuple[list[TableTarget], list[tuple[int, int]]]:
    """Return the targets of every flattened table and the spans the tables cover.

    Only the cells from an anchor cell (指标, 具体指标 …) to the end of its table are split: an
    anchor cell holds 指标, so the lines that do not are never split into cells.
    """
    targets: list[TableTarget] = []
    regions: list[tuple[int, int]] = []
    resume = 0
    for word in _ANCHOR_WORD.finditer(doc.norm):
        if word.start() < resume:
            continue
        anchor = next((c for c in _line_cells(doc, doc.line_index(word.start()), resume)
                       if c.start <= word.start() < c.end), None)
        if anchor is None or not _ANCHOR.match(anchor.text):
            continue
        cs = _Cells(doc, anchor.start)
        header = _header(cs, 0)
        if not header:
            resume = anchor.end
            continue
        columns, unit_column, j = header
        width = len(columns) + (1 if unit_column else 0)
        region_start, region_end, misses = anchor.start, anchor.end, 0
        while cs.has(j) and misses < 6 and not _STOP.match(cs[j].text) and len(cs[j].text) <= 60:
            row = cs[j + 1:j + 1 + width]
            values = row[1:] if unit_column else row
            if (len(row) == width and not _is_value_cell(cs[j]) and all(_is_value_cell(c) for c in values)
                    and any(_value(c) for c in values)):
                unit_cell = row[0].text if unit_column else ""
                nearby = " ".join(c.text for c in cs[j + 1 + width:j + 3 + width])
                binding = "binding" if "约束性" in nearby else "indicative" if "预期性" in nearby else "unknown"
                for column, cell in zip(columns, values):
                    t = _row_target(doc, cs[j], cell, unit_cell, column, columns, values, binding)
                    if t is not None and not column.is_base:
                        targets.append(t)
                region_end = row[-1].end
                j += width + 1
                misses = 0
            else:
                misses += 1
                j += 1
        regions.append((region_start, region_end))
        if not cs.has(j):
            break
        resume = cs[j].start
    return targets, regions


def _row_target(doc: Doc, indicator: Cell, cell: Cell, unit_cell: str, column: Column,
                columns: list[Column], values: list[Cell], binding: str = "unknown") -> TableTarget | None:
    m = _value(cell)
    if m is None:
        return None
    name = indicator.text
    rest = m.group("rest").strip()
    paren = _PAREN_UNIT.search(name)
    unit = unit_cell or (paren.group("u") if paren else "")
    if not unit and rest:
        found = unit_at(rest, 0)
        unit = found.text if found else ""
    if not unit and name.endswith("指数"):
        unit = "index"
    if not unit:
        return None
    unit = "%" if unit in ("%", "百分比") else unit
    growth = "增速" in name or "增长" in name or m.group("pre") == "年均"
    if growth and (m.group("pre") == "年均" or "年均" in name):
        kind, direction = "annual_growth", "increase"
    elif "下降" in name or "降低" in name or "减少" in name:
        kind, direction = "change_over_period", "decrease"
    elif growth:
        kind, direction = "annual_growth", "increase"
    elif ("提高" in name or "增加" in name) and "幅度" in name:
        kind, direction = "change_over_period", "increase"
    else:
        found = unit_at(unit, 0)
        category = found.category if found and found.end == len(unit) else ""
        kind = {"count": "count", "money": "amount", "quantity": "amount"}.get(category, "level")
        if "每" in name or "/" in unit or "均" in name:
            kind = "level"
        direction = "reach"
    suf = m.group("suf") or m.group("cmp") or ""
    cmp = "range" if m.group("high") else _CMP.get(suf, "=")
    base_col = next((c for c in columns if c.is_base), None)
    baseline = ""
    if base_col is not None:
        base_cell = values[columns.index(base_col)]
        if (bm := _value(base_cell)) is not None:
            baseline = f"{base_col.year}: {bm.group('num')}"
    return TableTarget(
        indicator=indicator, value_cell=cell, value=float(m.group("num")),
        value_high=float(m.group("high")) if m.group("high") else None, unit=unit, comparator=cmp,
        kind=kind, direction=direction, per_year=kind == "annual_growth", target_year=column.year,
        base_year=base_col.year if base_col else None, baseline=baseline, binding=binding,
    )
