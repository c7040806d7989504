"""Cell values shared by the readers and the analyses: amounts of money and dates."""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

from ..core.text import clip, fold, to_text

FEN = Decimal("0.01")
_CURRENCY = re.compile(r"^(?:¥|人民币|rmb|cny)+")
MAX_MONEY = Decimal("1e12")   # a yuan amount above this is no real allocation (and beyond Decimal's quantize)


def to_money(value: object) -> Decimal | None:
    """Decimal in yuan rounded to the fen; None for an empty cell. '1,234.5元' -> Decimal('1234.50');
    '￥54,000.00' -> Decimal('54000.00').

    Raises ValueError (Chinese) for text that is no amount.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(float(value)) if isinstance(value, float) else to_text(value)
        # ￥54,000.00 (the full-width sign folds to ¥), 人民币 1,234.5 元, RMB 100
        text = fold(text).replace(",", "").removesuffix("元")
        text = _CURRENCY.sub("", text)
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"金额“{clip(value, 20)}”无法识别") from None
    if not amount.is_finite():
        raise ValueError(f"金额“{clip(value, 20)}”无法识别")
    if abs(amount) >= MAX_MONEY:
        raise ValueError(f"金额“{clip(value, 20)}”过大，不是真实的拨付或支出金额")
    try:
        return amount.quantize(FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"金额“{clip(value, 20)}”无法识别") from None


def to_date(value: object) -> dt.date | None:
    """A date from a date, datetime, Timestamp or ISO text; None when empty. ValueError (Chinese) otherwise."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):  # pd.Timestamp too
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = to_text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"拨付日期“{clip(value, 20)}”无法识别，应写成 2023-08-10 这样") from None
