"""The support-money ledger: was each home paid in full and on time, and is the money spent as allowed.

The plan's rule and the bureau's settings are policy.toml's ``[funds]`` section
(:class:`~tekun_helpers.config.policy.Funds`: monthly standard per person, allocation day,
forbidden spending categories, the quoted sentence); the functions here take those values
as plain arguments, e.g. ``check_ledger(..., standard=policy.funds.monthly_standard_per_person,
allocation_day=policy.funds.allocation_day)``.

Money is :class:`decimal.Decimal`, rounded to the fen (0.01 元, half up); floats from Excel
are read through their shortest text (1234.1 -> Decimal('1234.10')), never used in sums.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

from ..core.fmt import cn_date, money
from ..core.months import check_month, day_in_month
from ..core.text import clip, fold, to_text
from ..io.cells import FEN, to_money  # noqa: F401  (to_money re-exported)
from ..io.cells import to_date as _to_date

FLAG_NOT_PAID = "未拨付"
LEDGER_COLUMNS = ["home", "residents", "due", "allocated", "shortfall", "allocated_on", "deadline", "late",
                  "flags", "source"]
SPENDING_COLUMNS = ["home", "category", "amount", "forbidden", "matched", "flags", "source"]


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


def check_ledger(ledger: pd.DataFrame, residents: dict[str, int], month: str, standard: float,
                 allocation_day: int) -> pd.DataFrame:
    """One row per home: what was due, what was allocated, and what is wrong with it.

    ``ledger``: home, allocated (元), allocated_on (date or empty), source_file, source_row; several rows
    of one home are added up (the date is then the last one). ``residents``: home -> number of people
    in extreme hardship living there; ``standard``: 元 per person per month.

    due = standard x residents (to the fen); shortfall = due - allocated (> 0: short, < 0: more than due).
    A home of ``residents`` missing from the ledger, or allocated nothing, is flagged "未拨付".

    late is True when money was allocated (> 0) after the deadline, or without a date (it cannot be
    shown to be on time); False when nothing was allocated (that is "未拨付", not late) and when
    allocated on or before the deadline day (day ``allocation_day`` of ``month``).

    Rows: homes in the order of ``residents``, then homes only in the ledger. Money columns hold Decimal,
    or None when they cannot be worked out (the flags say why).
    """
    try:
        rate = Decimal(str(standard))
    except InvalidOperation:
        raise ValueError(f"供养标准“{clip(standard, 20)}”不是数字") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError("policy.toml [funds] monthly_standard_per_person 未设置（应为每人每月元数，大于0），无法核算应拨金额")
    last_day = deadline_for(month, allocation_day)
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

    records = []
    for h in homes.values():
        flags: list[str] = []
        n, rows = h["residents"], h["rows"]
        due = None if n is None else (rate * n).quantize(FEN, rounding=ROUND_HALF_UP)
        if n is None:
            flags.append("缺少该院入住特困人员人数，无法核算应拨金额")
        allocated: Decimal | None = Decimal("0.00")
        dates: list[dt.date] = []
        undated = False
        for row in rows:
            try:
                amount = to_money(row["allocated"])
            except ValueError as exc:
                flags.append(str(exc))
                allocated = None
                continue
            try:
                day = _to_date(row["allocated_on"])
            except ValueError as exc:
                flags.append(str(exc))
                day = None
            if amount is not None and allocated is not None:
                allocated += amount
            if amount:
                if day is None:
                    undated = True
                else:
                    dates.append(day)
        if len(rows) > 1:
            flags.append(f"台账中有 {len(rows)} 条拨付记录，已合计，拨付日期取最后一次")
        on = max(dates) if dates else None
        paid = allocated is not None and allocated > 0
        if allocated is not None and allocated < 0:
            flags.append(f"拨付金额合计为负数（{yuan(allocated)} 元）")
        if not paid and allocated is not None and (due is None or due > 0):
            flags.append(FLAG_NOT_PAID)
        shortfall = None if due is None or allocated is None else due - allocated
        if paid and shortfall is not None and shortfall > 0:
            flags.append(f"少拨 {yuan(shortfall)} 元（应拨 {yuan(due)} 元，实拨 {yuan(allocated)} 元）")
        if shortfall is not None and shortfall < 0:
            flags.append(f"实拨多于应拨 {yuan(-shortfall)} 元（应拨 {yuan(due)} 元，实拨 {yuan(allocated)} 元），请核实")
        late = paid and (undated or (on is not None and on > last_day))
        if paid and on is not None and on > last_day:
            flags.append(f"拨付晚于期限 {cn_date(last_day)}（实际 {cn_date(on)}）")
        if paid and undated:
            flags.append("已拨付但未填写拨付日期，无法确认是否按时")
        records.append({"home": h["home"], "residents": n, "due": due, "allocated": allocated,
                        "shortfall": shortfall, "allocated_on": on, "deadline": last_day, "late": bool(late),
                        "flags": flags, "source": "；".join(s for s in map(_source, rows) if s)})
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
        flags = []
        category = to_text(row["category"])
        key = fold(category, drop_units=False)
        matched = next((w for w, k in words if k in key), "")
        if matched:
            flags.append(f"支出类别“{clip(category, 20)}”属于不得列支的“{matched}”：特困人员救助供养费不得用于供养机构"
                         "工作经费、运转费用、维修改造等设施建设")
        if not key:
            flags.append("未填写支出类别，无法核对用途")
        try:
            amount = to_money(row["amount"])
        except ValueError as exc:
            amount = None
            flags.append(str(exc))
        records.append({"home": to_text(row["home"]), "category": category, "amount": amount,
                        "forbidden": bool(matched), "matched": matched, "flags": flags, "source": _source(row)})
    return pd.DataFrame.from_records(records, columns=SPENDING_COLUMNS)
