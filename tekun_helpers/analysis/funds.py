"""The support-money ledger: was each home paid in full and on time, and is the money spent as allowed.

The plan's rule and the bureau's settings are policy.toml's ``[funds]`` section
(:class:`~tekun_helpers.config.policy.Funds`: monthly standard per person, allocation day,
forbidden spending categories, the quoted sentence); the functions here take those values
as plain arguments, e.g. ``check_ledger(..., standard=policy.funds.monthly_standard_per_person,
allocation_day=policy.funds.allocation_day)``.

Money is :class:`decimal.Decimal`, rounded to the fen (0.01 元, half up); floats from Excel
are read through their shortest text (1234.1 -> Decimal('1234.10')), never used in sums.

What is wrong with a home's money is a list of typed findings (:mod:`.findings`: ``NOT_PAID``,
``SHORT_PAID``, ``PAID_LATE``, ... with the amounts, days, deadline and the ledger's cells), in the
``findings`` column of :func:`check_ledger` and :func:`check_spending`; their sentences are rendered
from those fields by whoever shows them.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

from ..core.fmt import money
from ..core.months import check_month, day_in_month
from ..core.text import clip, fold, to_text
from ..io.cells import FEN, to_money  # noqa: F401  (to_money re-exported)
from ..io.cells import to_date as _to_date
from . import findings as fd

LEDGER_COLUMNS = ["home", "residents", "due", "allocated", "shortfall", "allocated_on", "deadline", "late",
                  "findings", "source"]
SPENDING_COLUMNS = ["home", "category", "amount", "forbidden", "matched", "findings", "source"]


def yuan(amount) -> str:
    """A sum in 元 as a sentence shows it (:func:`core.fmt.money`: 24000 -> '24,000.00');
    None and anything that is not a number as it is."""
    try:
        return money(Decimal(str(amount)))
    except (InvalidOperation, ValueError, TypeError):
        return str(amount)


def deadline_for(month: str, allocation_day: int) -> dt.date:
    """The last day on which month ``month``'s money counts as on time (day ``allocation_day`` of it, or its last day)."""
    check_month(month)
    if isinstance(allocation_day, bool) or not isinstance(allocation_day, int) or allocation_day < 1:
        raise ValueError(f"拨付期限 allocation_day 应为 1 到 31 的整数，实际为 {allocation_day!r}")
    return day_in_month(month, allocation_day)


def _source(row) -> str:
    file, line = to_text(row.get("source_file")), to_text(row.get("source_row"))
    return f"{file}:{line}" if file or line else ""


def _cell(row, column: str = "") -> fd.Cell:
    line = row.get("source_row")
    return fd.Cell(to_text(row.get("source_file")), to_text(row.get("source_sheet")),
                   None if line is None or line != line else int(line), column)


def _rate(standard) -> Decimal:
    try:
        rate = Decimal(str(standard))
    except InvalidOperation:
        raise ValueError(f"供养标准“{clip(standard, 20)}”不是数字") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError("policy.toml [funds] monthly_standard_per_person 未设置（应为每人每月元数，大于0），无法核算应拨金额")
    return rate


def _homes(ledger: pd.DataFrame, residents: dict[str, int]) -> list[dict]:
    """The homes of ``residents`` then those only in the ledger, each with its number of residents and ledger rows."""
    missing = [c for c in ("home", "allocated", "allocated_on") if c not in ledger.columns]
    if missing:
        raise ValueError(f"资金台账缺少列：{'、'.join(missing)}")
    homes: dict[str, dict] = {}
    for home, n in residents.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"{home} 的入住特困人员人数应为非负整数，实际为 {n!r}")
        homes.setdefault(fold(home, drop_units=False), {"home": to_text(home), "residents": n, "rows": []})
    for _, row in ledger.iterrows():
        key = fold(row["home"], drop_units=False)
        homes.setdefault(key, {"home": to_text(row["home"]), "residents": None, "rows": []})["rows"].append(row)
    return list(homes.values())


def _paid(home: str, rows: list) -> tuple[Decimal | None, list[dt.date], bool, list[fd.Finding]]:
    """(the rows' sum, or None when one is unreadable; their dates; whether money came without a date; findings)."""
    found: list[fd.Finding] = []
    allocated: Decimal | None = Decimal("0.00")
    dates: list[dt.date] = []
    undated = False
    for row in rows:
        try:
            amount = to_money(row["allocated"])
        except ValueError as exc:
            found.append(fd.make(fd.UNREADABLE, home=home, cells=(_cell(row, "allocated"),), reason=str(exc)))
            allocated = None
            continue
        try:
            day = _to_date(row["allocated_on"])
        except ValueError as exc:
            found.append(fd.make(fd.UNREADABLE, home=home, cells=(_cell(row, "allocated_on"),), reason=str(exc)))
            day = None
        if amount is not None and allocated is not None:
            allocated += amount
        if amount:
            if day is None:
                undated = True
            else:
                dates.append(day)
    return allocated, dates, undated, found


def _home_findings(home: str, due, allocated, on, undated: bool, last_day: dt.date, cells) -> list[fd.Finding]:
    """What is wrong with one home's money, once its sums are known (in the order a reader checks them)."""
    at = {"home": home, "cells": cells}
    paid = allocated is not None and allocated > 0
    shortfall = None if due is None or allocated is None else due - allocated
    out = []
    if allocated is not None and allocated < 0:
        out.append(fd.make(fd.NEGATIVE_TOTAL, amount=allocated, **at))
    if not paid and allocated is not None and (due is None or due > 0):
        out.append(fd.make(fd.NOT_PAID, amount=due, due=last_day, **at))
    if paid and shortfall is not None and shortfall > 0:
        out.append(fd.make(fd.SHORT_PAID, amount=shortfall, due=last_day, expected=due, actual=allocated, **at))
    if shortfall is not None and shortfall < 0:
        out.append(fd.make(fd.OVER_PAID, amount=-shortfall, expected=due, actual=allocated, **at))
    if paid and on is not None and on > last_day:
        out.append(fd.make(fd.PAID_LATE, days=(on - last_day).days, due=last_day, on=on, **at))
    if paid and undated:
        out.append(fd.make(fd.UNDATED, due=last_day, **at))
    return out


def check_ledger(ledger: pd.DataFrame, residents: dict[str, int], month: str, standard: float,
                 allocation_day: int) -> pd.DataFrame:
    """One row per home: what was due, what was allocated, and what is wrong with it.

    ``ledger``: home, allocated (元), allocated_on (date or empty), source_file, source_row; several rows
    of one home are added up (the date is then the last one). ``residents``: home -> number of people
    in extreme hardship living there; ``standard``: 元 per person per month.

    due = standard x residents (to the fen); shortfall = due - allocated (> 0: short, < 0: more than due).
    A home of ``residents`` missing from the ledger, or allocated nothing, has the finding
    :data:`~tekun_helpers.analysis.findings.NOT_PAID`.

    late is True when money was allocated (> 0) after the deadline, or without a date (it cannot be
    shown to be on time); False when nothing was allocated (that is "未拨付", not late) and when
    allocated on or before the deadline day (day ``allocation_day`` of ``month``).

    ``findings``: what is wrong, as :class:`~tekun_helpers.analysis.findings.Finding` records (a tuple).
    Rows: homes in the order of ``residents``, then homes only in the ledger. Money columns hold Decimal,
    or None when they cannot be worked out (the findings say why).
    """
    rate = _rate(standard)
    last_day = deadline_for(month, allocation_day)
    records = []
    for h in _homes(ledger, residents):
        home, n, rows = h["home"], h["residents"], h["rows"]
        cells = tuple(_cell(row) for row in rows)
        due = None if n is None else (rate * n).quantize(FEN, rounding=ROUND_HALF_UP)
        found = [] if n is not None else [fd.make(fd.RESIDENTS_UNKNOWN, home=home, cells=cells)]
        allocated, dates, undated, unreadable = _paid(home, rows)
        found += unreadable
        if len(rows) > 1:
            found.append(fd.make(fd.ROWS_ADDED, home=home, count=len(rows), cells=cells))
        on = max(dates) if dates else None
        found += _home_findings(home, due, allocated, on, undated, last_day, cells)
        paid = allocated is not None and allocated > 0
        records.append({"home": home, "residents": n, "due": due, "allocated": allocated,
                        "shortfall": None if due is None or allocated is None else due - allocated,
                        "allocated_on": on, "deadline": last_day,
                        "late": bool(paid and (undated or (on is not None and on > last_day))),
                        "findings": tuple(found), "source": "；".join(s for s in map(_source, rows) if s)})
    return pd.DataFrame.from_records(records, columns=LEDGER_COLUMNS)


def check_spending(spending: pd.DataFrame, forbidden: list[str]) -> pd.DataFrame:
    """Each spending row of the support money, with ``forbidden`` True when its category is one it may not pay for.

    A category matches a forbidden one when, spaces removed and full-width folded, it contains it
    ("维修改造费", "院内设施建设" match "维修改造", "设施建设"). ``matched`` names the forbidden
    category; ``flags`` says what is wrong in Chinese (also an empty category or unreadable amount).
    """
    missing = [c for c in ("home", "category", "amount") if c not in spending.columns]
    if missing:
        raise ValueError(f"支出台账缺少列：{'、'.join(missing)}")
    words = [(w, fold(w, drop_units=False)) for w in forbidden if fold(w, drop_units=False)]
    records = []
    for _, row in spending.iterrows():
        found = []
        home, category = to_text(row["home"]), to_text(row["category"])
        key = fold(category, drop_units=False)
        matched = next((w for w, k in words if k in key), "")
        try:
            amount = to_money(row["amount"])
        except ValueError as exc:
            amount = None
            unreadable = fd.make(fd.UNREADABLE_SPENDING, home=home, cells=(_cell(row, "amount"),), reason=str(exc))
        else:
            unreadable = None
        if matched:
            found.append(fd.make(fd.FORBIDDEN_SPENDING, home=home, amount=amount, cells=(_cell(row),),
                                 category=category, matched=matched))
        if not key:
            found.append(fd.make(fd.NO_CATEGORY, home=home, cells=(_cell(row, "category"),)))
        found += [unreadable] if unreadable else []
        records.append({"home": home, "category": category, "amount": amount, "forbidden": bool(matched),
                        "matched": matched, "findings": tuple(found), "source": _source(row)})
    return pd.DataFrame.from_records(records, columns=SPENDING_COLUMNS)
