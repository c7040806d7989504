"""Number and date formatting for Chinese reports.

Every helper accepts what pandas hands out (numpy integers, floats, NaN,
``pd.NA``, None) and shows a missing value as "—" instead of failing.
"""
from __future__ import annotations

import datetime as dt

MISSING = "—"

# How policy.occupancy.rounding reads in a sentence ("按床位的60%向上取整").
ROUNDING_WORDS = {"up": "向上取整", "nearest": "四舍五入", "down": "向下取整"}


def is_missing(x) -> bool:
    """True for None, NaN, NaT and ``pd.NA``."""
    if x is None:
        return True
    try:
        return bool(x != x)
    except TypeError:  # pd.NA: its comparisons are NA, and bool(NA) raises
        return True


def thousands(n) -> str:
    """2700 -> '2,700'; 2700.0 -> '2,700'; None/NaN/NA -> '—'. Counts only: fractions are rounded."""
    if is_missing(n):
        return MISSING
    return f"{int(round(n)):,}"


def percent(x, digits: int = 1) -> str:
    """A ratio as a percentage: 0.46521 -> '46.5%'; percent(0.6, 0) -> '60%'; None -> '—'."""
    if is_missing(x):
        return MISSING
    return f"{float(x) * 100:.{digits}f}%"


def decimal(x, digits: int = 1) -> str:
    """4.2632 -> '4.3'; None/NaN/NA -> '—'."""
    if is_missing(x):
        return MISSING
    return f"{float(x):,.{digits}f}"


def cn_date(d: dt.date) -> str:
    """2023-10-31 -> '2023年10月31日' (a datetime shows its date only)."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month(month: str) -> str:
    """'2023-08' -> '2023年8月'."""
    y, m = str(month).split("-")[:2]
    return f"{int(y)}年{int(m)}月"


def signed(n) -> str:
    """12 -> '+12', -3 -> '−3', 0 -> '0'."""
    if is_missing(n):
        return MISSING
    n = int(n)
    return f"+{n:,}" if n > 0 else (f"−{-n:,}" if n < 0 else "0")


def rounding_words(rounding: str) -> str:
    """'up' -> '向上取整'. Unknown modes are shown as given, never guessed."""
    return ROUNDING_WORDS.get(rounding, rounding)
