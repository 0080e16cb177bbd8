"""One problem found in the data, located as precisely as possible."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: file or table, row id, column, value, what is wrong, line.

    Examples
    --------
    >>> str(Problem("targets.csv", "yuyao-2018-t001", "value", "x", "is not a valid number", 2))
    "targets.csv row yuyao-2018-t001 (line 2), column value = 'x': is not a valid number"
    """

    table: str
    row: str
    column: str
    value: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.table}"
        if self.row:
            where += f" row {self.row}"
        if self.line is not None:
            where += f" (line {self.line})"
        if self.column:
            where += f", column {self.column}"
        value = f" = {self.value!r}" if self.value != "" else ""
        return f"{where}{value}: {self.message}"
