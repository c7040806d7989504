"""Number and date formatting for Chinese reports.

Every helper accepts what pandas hands out (numpy integers, floats, NaN,
``pd.NA``, None) and shows a missing value as "—" instead of failing.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

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


def round_half_up(value, digits: int = 0) -> Decimal:
    """``value`` rounded to ``digits`` decimals, halves away from zero (四舍五入), on its shortest decimal form.

    The one rounding rule of every output: 31.25 -> 31.3 (Python's round() and format() give 31.2,
    rounding halves to even), 2.675 -> 2.68, -0.5 -> -1.
    """
    d = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def thousands(n) -> str:
    """2700 -> '2,700'; 2700.0 -> '2,700'; None/NaN/NA -> '—'. Counts only: fractions are rounded."""
    if is_missing(n):
        return MISSING
    return f"{int(round_half_up(n)):,}"


def percent(x, digits: int = 1) -> str:
    """A ratio as a percentage, half up: 0.46521 -> '46.5%'; 15/48 -> '31.3%'; percent(0.6, 0) -> '60%'."""
    if is_missing(x):
        return MISSING
    return f"{round_half_up(Decimal(repr(float(x))) * 100, digits)}%"


def decimal(x, digits: int = 1) -> str:
    """4.2632 -> '4.3'; None/NaN/NA -> '—'."""
    if is_missing(x):
        return MISSING
    return f"{round_half_up(x, digits):,}"


def money(x) -> str:
    """An amount in 元 as a sentence shows it, to the fen, half up: 24000 -> '24,000.00'; None/NaN/NA -> '—'."""
    return decimal(x, 2)


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


def signed_points(x) -> str:
    """A change of a ratio in percentage points, half up: 0.0125 -> '+1.3'; -0.02 -> '−2.0'."""
    if is_missing(x):
        return MISSING
    v = round_half_up(Decimal(repr(float(x))) * 100, 1)
    return f"+{v}" if v > 0 else (f"−{-v}" if v < 0 else "0.0")


def rounding_words(rounding: str) -> str:
    """'up' -> '向上取整'. Unknown modes are shown as given, never guessed."""
    return ROUNDING_WORDS.get(rounding, rounding)
