"""Number and date formatting for Chinese reports."""
from __future__ import annotations

import datetime as dt


def thousands(n) -> str:
    """2700 -> '2,700'; None -> '—'."""
    if n is None or (isinstance(n, float) and n != n):
        return "—"
    return f"{int(n):,}"


def percent(x, digits: int = 1) -> str:
    """0.4652 -> '46.5%'; None -> '—'."""
    if x is None or (isinstance(x, float) and x != x):
        return "—"
    return f"{x * 100:.{digits}f}%"


def cn_date(d: dt.date) -> str:
    """2023-10-31 -> '2023年10月31日'."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month(month: str) -> str:
    """'2023-08' -> '2023年8月'."""
    y, m = month.split("-")
    return f"{int(y)}年{int(m)}月"


def signed(n) -> str:
    """12 -> '+12', -3 -> '−3', 0 -> '0'."""
    n = int(n)
    return f"+{n:,}" if n > 0 else (f"−{-n:,}" if n < 0 else "0")
