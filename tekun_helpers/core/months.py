"""Month arithmetic on 'YYYY-MM' strings, written once for the whole package.

A report month is a string such as ``'2023-08'``; the date a monthly report speaks of
is the month's last day (:func:`month_end`). Only ASCII digits are accepted, so a
full-width ``２０２３-０８`` or a trailing newline is a usage error, not a missing folder.
"""
from __future__ import annotations

import calendar
import datetime as dt
import os
import re

from .memo import remembered
from .paths import data_dir as _data_dir
from .text import printable

MONTH_RE = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def is_month(value: object) -> bool:
    """True for a well-formed 'YYYY-MM' (ASCII digits, nothing before or after)."""
    return isinstance(value, str) and MONTH_RE.fullmatch(value) is not None


def check_month(month: str) -> str:
    """'2023-08' -> '2023-08'; anything else raises ValueError with a Chinese message."""
    if not is_month(month):
        raise ValueError(f"月份“{printable(str(month))}”格式不对，应为 YYYY-MM（半角数字），例如 2023-08。")
    return month


@remembered(4096)      # called per person and month by the identity checks: 31,000 calls a report
def year_month(month: str) -> tuple[int, int]:
    """'2023-08' -> (2023, 8)."""
    y, m = check_month(month).split("-")
    return int(y), int(m)


def month_of(year: int, mon: int) -> str:
    """(2023, 8) -> '2023-08'."""
    return f"{year:04d}-{mon:02d}"


def shift_month(month: str, n: int) -> str:
    """'2023-12' shifted by 1 -> '2024-01'; by -1 -> '2023-11'."""
    y, m = year_month(month)
    k = y * 12 + (m - 1) + n
    return month_of(k // 12, k % 12 + 1)


def previous_month(month: str) -> str:
    """'2023-09' -> '2023-08'; '2024-01' -> '2023-12'."""
    return shift_month(month, -1)


def next_month(month: str) -> str:
    """'2023-12' -> '2024-01'."""
    return shift_month(month, 1)


def months_between(a: str, b: str) -> int:
    """Whole months from ``a`` to ``b``: ('2023-08', '2023-10') -> 2."""
    ya, ma = year_month(a)
    yb, mb = year_month(b)
    return (yb - ya) * 12 + (mb - ma)


def month_range(a: str, b: str) -> list[str]:
    """Every month from ``a`` to ``b`` inclusive; empty when ``a`` is after ``b``."""
    return [shift_month(a, i) for i in range(months_between(a, b) + 1)]


def month_start(month: str) -> dt.date:
    """'2023-08' -> 2023-08-01."""
    y, m = year_month(month)
    return dt.date(y, m, 1)


@remembered(4096)
def month_end(month: str) -> dt.date:
    """'2023-08' -> 2023-08-31: the date a monthly report speaks of."""
    y, m = year_month(str(month)[:7])
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def day_in_month(month: str, day: int) -> dt.date:
    """The ``day``-th of the month, or its last day when the month is shorter (31 in September -> 30th)."""
    y, m = year_month(month)
    return dt.date(y, m, min(int(day), calendar.monthrange(y, m)[1]))


def available_months(data_dir: str | os.PathLike | None = None) -> list[str]:
    """The month folders (YYYY-MM) present in the data folder, oldest first."""
    base = _data_dir(data_dir)
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir() and is_month(p.name))
