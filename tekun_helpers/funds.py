"""The support-money ledger: was each home paid in full and on time, and is the money spent as allowed.

The plan's rule, to be added to data/reference/policy.toml (the functions take the values
as plain arguments, e.g. ``load_policy().section("funds")["allocation_day"]``)::

    # ---------------------------------------------------------------------------
    # 特困人员供养资金：按标准足额、及时拨付供养机构，不得挪作机构经费。

    [funds]
    # 每人每月拨付标准（元/人·月，基本生活费与照料护理费合计）。方案未给出金额，由民政局填写；
    # 为 0 时不核算应拨金额。
    monthly_standard_per_person = 0
    # 当月资金最迟于当月几日前拨付到供养机构（含当日）。方案只写“及时拨付”，未定日期，由民政局设定；
    # 当月没有这一天时（如31日），以当月最后一天为限。
    allocation_day = 10
    # 不得列支的费用类别（支出类别中含有其中任一词即视为违规）
    forbidden_categories = ["工作经费", "运转费用", "维修改造", "设施建设"]
    source = "旗财政、民政部门按标准足额安排特困人员供养基本生活费、照料护理费，及时拨付供养机构，供养机构不得擅自挪用，不得将特困人员救助供养费用于供养机构工作经费、运转费用、维修改造等设施建设中。"

Money is :class:`decimal.Decimal`, rounded to the fen (0.01 元, half up); floats from Excel
are read through their shortest text (1234.1 -> Decimal('1234.10')), never used in sums.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

from .month import check_month
from .textnorm import clip, fold, to_text

FEN = Decimal("0.01")
FLAG_NOT_PAID = "未拨付"
LEDGER_COLUMNS = ["home", "residents", "due", "allocated", "shortfall", "allocated_on", "deadline", "late",
                  "flags", "source"]
SPENDING_COLUMNS = ["home", "category", "amount", "forbidden", "matched", "flags", "source"]


def to_money(value: object) -> Decimal | None:
    """Decimal in yuan rounded to the fen; None for an empty cell. '1,234.5元' -> Decimal('1234.50').

    Raises ValueError (Chinese) for text that is no amount.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(float(value)) if isinstance(value, float) else to_text(value)
        text = fold(text).replace(",", "").removesuffix("元")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"金额“{clip(value, 20)}”无法识别") from None
    if not amount.is_finite():
        raise ValueError(f"金额“{clip(value, 20)}”无法识别")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def _to_date(value: object) -> dt.date | None:
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


def deadline_for(month: str, allocation_day: int) -> dt.date:
    """The last day on which month ``month``'s money counts as on time (day ``allocation_day`` of it, or its last day)."""
    check_month(month)
    if isinstance(allocation_day, bool) or not isinstance(allocation_day, int) or allocation_day < 1:
        raise ValueError(f"拨付期限 allocation_day 应为 1 到 31 的整数，实际为 {allocation_day!r}")
    year, mon = int(month[:4]), int(month[5:])
    return dt.date(year, mon, min(allocation_day, calendar.monthrange(year, mon)[1]))


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
            flags.append(f"拨付金额合计为负数（{allocated} 元）")
        if not paid and allocated is not None and (due is None or due > 0):
            flags.append(FLAG_NOT_PAID)
        shortfall = None if due is None or allocated is None else due - allocated
        if paid and shortfall is not None and shortfall > 0:
            flags.append(f"少拨 {shortfall} 元（应拨 {due} 元，实拨 {allocated} 元）")
        if shortfall is not None and shortfall < 0:
            flags.append(f"实拨多于应拨 {-shortfall} 元（应拨 {due} 元，实拨 {allocated} 元），请核实")
        late = paid and (undated or (on is not None and on > last_day))
        if paid and on is not None and on > last_day:
            flags.append(f"拨付晚于期限 {last_day.isoformat()}（实际 {on.isoformat()}）")
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
