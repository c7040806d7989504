"""The plain grids every reader makes of a file: sheets of rows of cell values, and the few cell values that
are not plain Python (a percentage, a formula without its result)."""
from __future__ import annotations

from dataclasses import dataclass, field

SAMPLE_KEYWORD = "tekun-sample"


@dataclass(frozen=True)
class Percent:
    """A number that Excel shows as a percentage (number format with %)."""

    value: float

    def __str__(self) -> str:
        return f"{self.value * 100:g}%"


@dataclass(frozen=True)
class Formula:
    """A formula cell whose file holds no computed value (as openpyxl and some tools save them)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Sheet:
    file: str          # name relative to the month folder
    name: str          # worksheet name ('' for CSV)
    rows: list[list]   # rows[i][j] is Excel row i+1, column j+1
    hidden: bool = False
    #: merged ranges as (first row, first column, last row, last column), 0-based and inclusive: the value
    #: is in the first cell, the others are empty (as the file stores them)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: 0-based rows that are an Excel table's own total row (表格工具 -> 汇总行), read from the table's definition
    total_rows: set[int] = field(default_factory=set)


def trim(rows: list[list]) -> list[list]:
    """Drop trailing empty cells of each row and trailing empty rows."""
    out = []
    for r in rows:
        r = list(r)
        while r and (r[-1] is None or (isinstance(r[-1], str) and not r[-1].strip())):
            r.pop()
        out.append(r)
    while out and not out[-1]:
        out.pop()
    return out
